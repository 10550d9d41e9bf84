-- Neovim >= 0.11 native LSP config for copydesk.
--
-- With this folder (editors/nvim) on the runtimepath:
--
--   vim.lsp.enable("copydesk")
--
-- Override any field with vim.lsp.config(), for example:
--
--   vim.lsp.config("copydesk", {
--     cmd = { "/path/to/copydesk", "lsp" },
--     settings = { copydesk = { dateline = "2024-05-01" } },
--   })
--
-- The server reads its settings from initializationOptions and from
-- workspace/didChangeConfiguration ({ settings = { copydesk = {...} } }).
-- before_init copies settings.copydesk into initializationOptions so both
-- carry the same object.
--
-- `capabilities` and `commands` let the server send fixes with words to fill in
-- (the attribution "SPEAKER said") as snippets: see lua/copydesk/snippet.lua.
local snippet = require("copydesk.snippet")

return {
  cmd = { "copydesk", "lsp" },
  filetypes = { "markdown", "text" },
  root_markers = { ".copydesk.toml", ".git" },
  capabilities = snippet.capabilities,
  commands = snippet.commands(),
  settings = {
    copydesk = {
      inlayHints = { speakers = true, dates = true },
      -- dateline = "2024-05-01",
      -- configFile = ".copydesk.toml",
      -- rules = { ["undated-claim"] = { enabled = true, severity = "information" } },
    },
  },
  before_init = function(params, config)
    local s = config.settings and config.settings.copydesk
    if s ~= nil and params.initializationOptions == nil then
      params.initializationOptions = s
    end
  end,
}
