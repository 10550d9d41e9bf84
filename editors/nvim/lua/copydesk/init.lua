-- copydesk.nvim: starts `copydesk lsp` for news stories (Markdown and plain text).
--
--   require("copydesk").setup({
--     cmd = { "copydesk", "lsp" },
--     settings = { dateline = "2024-05-01", rules = { ["undated-claim"] = { enabled = false } } },
--     filetypes = { "markdown", "text" },
--     root_markers = { ".copydesk.toml", ".git" },
--     inlay_hints = true,
--   })
--
-- Requires Neovim >= 0.10 (vim.lsp.start, vim.fs.root, vim.lsp.inlay_hint).
-- Written against the public API of 0.10 and 0.11: no colon-calls on client
-- objects (0.10 exposes client.stop(force) as a plain function, so
-- client:stop() would force-kill there), vim.lsp.stop_client() instead.

local M = {}

local NAME = "copydesk"

-- copydesk.insertSnippet: fixes with words to fill in, as snippets (snippet.lua)
local snippet = require("copydesk.snippet")

M.defaults = {
  -- Command that starts the server on stdio.
  cmd = { "copydesk", "lsp" },
  -- The server's settings object (see editors/nvim/README.md). Sent as
  -- initializationOptions and, wrapped as { copydesk = ... }, as the client's
  -- `settings` (workspace/didChangeConfiguration and workspace/configuration).
  settings = {},
  filetypes = { "markdown", "text" },
  -- Files or folders that mark a story folder's root. One server per root.
  root_markers = { ".copydesk.toml", ".git" },
  -- Turn on inlay hints (speakers, resolved dates) in attached buffers.
  inlay_hints = true,
  -- Use the file's folder as root when no marker is found (false: start
  -- without a root, one shared client for such files).
  single_file_root = true,
  -- Passed through to vim.lsp.start.
  on_attach = nil,
  capabilities = nil,
  cmd_env = nil,
}

M.config = vim.deepcopy(M.defaults)

local group = nil

local function notify(msg, level)
  vim.notify("copydesk: " .. msg, level or vim.log.levels.INFO)
end

-- 0.11 client methods take self (client:notify(...)); 0.10 exposes plain
-- functions (client.notify(...)). Call whichever this Neovim has.
local function client_call(client, method, ...)
  if vim.fn.has("nvim-0.11") == 1 then
    return client[method](client, ...)
  end
  return client[method](...)
end

local function has_version()
  return vim.fn.has("nvim-0.10") == 1
end

--- All running copydesk clients (optionally only those attached to `bufnr`).
function M.clients(bufnr)
  return vim.lsp.get_clients({ name = NAME, bufnr = bufnr })
end

--- The root folder copydesk would use for `bufnr`, or nil.
function M.root_dir(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local fname = vim.api.nvim_buf_get_name(bufnr)
  if fname == "" then
    return nil
  end
  local root = vim.fs.root(bufnr, M.config.root_markers)
  if root == nil and M.config.single_file_root then
    root = vim.fs.dirname(vim.fs.normalize(vim.fn.fnamemodify(fname, ":p")))
  end
  return root
end

local function enable_inlay_hints(client, bufnr)
  if not M.config.inlay_hints or not vim.lsp.inlay_hint then
    return
  end
  local caps = client.server_capabilities or {}
  if caps.inlayHintProvider then
    pcall(vim.lsp.inlay_hint.enable, true, { bufnr = bufnr })
  end
end

--- The vim.lsp.start() config for `bufnr` (nil if the buffer is not a file).
function M.make_config(bufnr)
  local cfg = M.config
  local root = M.root_dir(bufnr)
  local settings = vim.deepcopy(cfg.settings or {})
  return {
    name = NAME,
    cmd = cfg.cmd,
    cmd_env = cfg.cmd_env,
    root_dir = root,
    init_options = settings,
    settings = { copydesk = settings },
    -- the defaults, the user's, and the capability that asks the server for
    -- snippet fixes as the copydesk.insertSnippet command (run by `commands`)
    capabilities = snippet.with_capabilities(
      vim.tbl_deep_extend("force", vim.lsp.protocol.make_client_capabilities(), cfg.capabilities or {})
    ),
    commands = snippet.commands(),
    on_attach = function(client, b)
      enable_inlay_hints(client, b)
      if cfg.on_attach then
        cfg.on_attach(client, b)
      end
    end,
  }
end

local function reuse_client(client, config)
  return client.name == config.name
    and client.root_dir == config.root_dir
    and vim.lsp.get_client_by_id(client.id) ~= nil
end

--- Start (or reuse) the copydesk client for `bufnr` and attach it.
--- Returns the client id, or nil.
function M.start(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= "" then
    return nil
  end
  if vim.api.nvim_buf_get_name(bufnr) == "" then
    return nil
  end
  local exe = M.config.cmd and M.config.cmd[1]
  if exe and vim.fn.executable(exe) ~= 1 then
    if not M._warned_missing then
      M._warned_missing = true
      notify(("server %q not found or not executable; set `cmd` in setup()"):format(exe), vim.log.levels.ERROR)
    end
    return nil
  end
  return vim.lsp.start(M.make_config(bufnr), { bufnr = bufnr, reuse_client = reuse_client })
end

local function wanted(bufnr)
  return vim.api.nvim_buf_is_loaded(bufnr)
    and vim.tbl_contains(M.config.filetypes, vim.bo[bufnr].filetype)
end

--- Stop every copydesk client, then start again for the buffers they served.
function M.restart()
  local clients = M.clients()
  local buffers = {}
  local ids = {}
  for _, client in ipairs(clients) do
    for b in pairs(client.attached_buffers or {}) do
      buffers[b] = true
    end
    ids[#ids + 1] = client.id
  end
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if wanted(b) then
      buffers[b] = true
    end
  end
  if #ids > 0 then
    -- Without this, the inlay-hint module can ask the stopping server for
    -- hints after `shutdown`, which the server (rightly) refuses.
    if vim.lsp.inlay_hint then
      for b in pairs(buffers) do
        if vim.api.nvim_buf_is_valid(b) then
          pcall(vim.lsp.inlay_hint.enable, false, { bufnr = b })
        end
      end
    end
    vim.lsp.stop_client(ids)
  end
  local deadline = vim.uv.now() + 3000
  local function try_start()
    local alive = false
    for _, id in ipairs(ids) do
      if vim.lsp.get_client_by_id(id) then
        alive = true
      end
    end
    if alive and vim.uv.now() < deadline then
      return vim.defer_fn(try_start, 50)
    end
    if alive then
      vim.lsp.stop_client(ids, true)
    end
    local n = 0
    for b in pairs(buffers) do
      if vim.api.nvim_buf_is_valid(b) and M.start(b) then
        n = n + 1
      end
    end
    notify(("restarted (%d buffer%s)"):format(n, n == 1 and "" or "s"))
  end
  try_start()
end

--- Lines describing the running clients (what :CopydeskInfo prints).
function M.info_lines()
  local lines = {}
  local cfg = M.config
  lines[#lines + 1] = ("copydesk.nvim: cmd=%s filetypes=%s root_markers=%s inlay_hints=%s"):format(
    table.concat(cfg.cmd or {}, " "),
    table.concat(cfg.filetypes or {}, ","),
    table.concat(cfg.root_markers or {}, ","),
    tostring(cfg.inlay_hints)
  )
  local clients = M.clients()
  if #clients == 0 then
    lines[#lines + 1] = "no copydesk client running"
  end
  for _, c in ipairs(clients) do
    local bufs = {}
    for b in pairs(c.attached_buffers or {}) do
      bufs[#bufs + 1] = tostring(b)
    end
    table.sort(bufs)
    local si = c.server_info or {}
    lines[#lines + 1] = ("client %d: %s %s, root=%s, encoding=%s, buffers=[%s]"):format(
      c.id,
      si.name or "?",
      si.version or "",
      tostring(c.root_dir),
      tostring(c.offset_encoding),
      table.concat(bufs, ",")
    )
  end
  local buf = vim.api.nvim_get_current_buf()
  local counts = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == NAME then
      local code = tostring(d.code or "?")
      counts[code] = (counts[code] or 0) + 1
    end
  end
  local parts = {}
  for code, n in pairs(counts) do
    parts[#parts + 1] = ("%s=%d"):format(code, n)
  end
  table.sort(parts)
  lines[#lines + 1] = ("buffer %d diagnostics: %s"):format(buf, #parts > 0 and table.concat(parts, " ") or "none")
  lines[#lines + 1] = "settings: " .. vim.inspect(cfg.settings or {}, { newline = " ", indent = "" })
  return lines
end

function M.info()
  vim.api.nvim_echo({ { table.concat(M.info_lines(), "\n") } }, false, {})
end

--- Send new settings to running clients (workspace/didChangeConfiguration).
function M.update_settings(settings)
  M.config.settings = vim.tbl_deep_extend("force", M.config.settings or {}, settings or {})
  for _, c in ipairs(M.clients()) do
    c.settings = { copydesk = vim.deepcopy(M.config.settings) }
    if c.config then
      c.config.settings = c.settings
    end
    client_call(c, "notify", "workspace/didChangeConfiguration", { settings = c.settings })
  end
end

function M.setup(opts)
  if not has_version() then
    notify("Neovim >= 0.10 is required", vim.log.levels.ERROR)
    return
  end
  opts = opts or {}
  M.config = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), opts)
  -- Lists replace the defaults rather than merging index by index.
  for _, key in ipairs({ "cmd", "filetypes", "root_markers" }) do
    if opts[key] then
      M.config[key] = vim.deepcopy(opts[key])
    end
  end
  M._warned_missing = false

  group = vim.api.nvim_create_augroup("copydesk", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = M.config.filetypes,
    desc = "Start the copydesk language server",
    callback = function(args)
      M.start(args.buf)
    end,
  })

  vim.api.nvim_create_user_command("CopydeskRestart", function()
    M.restart()
  end, { desc = "Restart the copydesk language server" })
  vim.api.nvim_create_user_command("CopydeskInfo", function()
    M.info()
  end, { desc = "Show copydesk clients, roots and diagnostics" })

  -- Buffers opened before setup() ran (lazy loading).
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if wanted(b) then
      M.start(b)
    end
  end
end

return M
