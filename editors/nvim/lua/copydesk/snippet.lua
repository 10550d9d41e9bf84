-- copydesk.insertSnippet: the client side of copydesk's snippet quick fixes.
--
-- Some fixes leave words to fill in: "Add an attribution after the quotation"
-- inserts ` SPEAKER said`. LSP 3.18 sends such a fix as a SnippetTextEdit, to
-- clients that declare `workspace.workspaceEdit.snippetEditSupport`; Neovim 0.10
-- and 0.11 neither declare nor apply snippet edits. So this plugin announces the
-- experimental client capability below, and the server then sends the fix as a
-- code action whose command, `copydesk.insertSnippet`, this module carries out
-- with vim.snippet.expand: SPEAKER comes selected (Select mode: type the name),
-- and <Tab> moves on past "said". Clients without the capability get the plain
-- text edit.
--
-- The command's one argument (made by the server, src/lsp/snippet.rs):
--   { textDocument = { uri, version }, range = lsp.Range, snippet = string }

local M = {}

M.COMMAND = "copydesk.insertSnippet"

--- Merged into the client capabilities by setup() and lsp/copydesk.lua.
M.capabilities = { experimental = { copydesk = { insertSnippetCommand = true } } }

local function notify(msg, level)
  vim.notify("copydesk: " .. msg, level or vim.log.levels.INFO)
end

--- The byte column of LSP `character` (in `encoding` units) on `line`.
local function byte_col(line, character, encoding)
  if encoding == "utf-8" then
    return math.min(character, #line)
  end
  local ok, col
  if vim.fn.has("nvim-0.11") == 1 then
    ok, col = pcall(vim.str_byteindex, line, encoding, character, false)
  else
    ok, col = pcall(vim.str_byteindex, line, character, encoding == "utf-16")
  end
  return ok and col or #line
end

--- Carry out the command: replace the range with the snippet and start it.
--- Signature of vim.lsp.commands / client `commands` handlers.
function M.insert(command, ctx)
  local arg = command and command.arguments and command.arguments[1]
  if type(arg) ~= "table" or type(arg.textDocument) ~= "table" or type(arg.range) ~= "table"
    or type(arg.snippet) ~= "string" then
    notify(("malformed %s arguments: %s"):format(M.COMMAND, vim.inspect(command and command.arguments)),
      vim.log.levels.ERROR)
    return
  end
  local bufnr = vim.uri_to_bufnr(arg.textDocument.uri)
  if not vim.api.nvim_buf_is_loaded(bufnr) then
    notify("the story of this fix is not open", vim.log.levels.WARN)
    return
  end
  -- versioned, like the server's edits: a stale fix does not apply to newer text
  local want, have = arg.textDocument.version, vim.lsp.util.buf_versions[bufnr]
  if want ~= nil and want ~= vim.NIL and have ~= nil and want ~= have then
    notify("the story has changed since this fix was offered; ask for it again", vim.log.levels.WARN)
    return
  end
  local client = ctx and ctx.client_id and vim.lsp.get_client_by_id(ctx.client_id)
  local encoding = client and client.offset_encoding or "utf-16"

  -- vim.snippet.expand inserts at the cursor of the current window
  if vim.api.nvim_get_current_buf() ~= bufnr then
    local win = vim.fn.bufwinid(bufnr)
    if win ~= -1 then
      vim.api.nvim_set_current_win(win)
    else
      vim.api.nvim_set_current_buf(bufnr)
    end
  end
  local function line(n)
    return vim.api.nvim_buf_get_lines(bufnr, n, n + 1, false)[1] or ""
  end
  local s, e = arg.range.start, arg.range["end"]
  local srow, scol = s.line, byte_col(line(s.line), s.character, encoding)
  local erow, ecol = e.line, byte_col(line(e.line), e.character, encoding)
  if srow ~= erow or scol ~= ecol then
    vim.api.nvim_buf_set_text(bufnr, srow, scol, erow, ecol, {})
  end

  -- Normal mode puts the cursor on the last character at most, and the fix often
  -- goes at the end of a line (after a closing mark): let the cursor stand past it
  -- while the snippet is inserted.
  local ve = vim.api.nvim_get_option_value("virtualedit", { scope = "local", win = 0 })
  vim.api.nvim_set_option_value("virtualedit", "onemore", { scope = "local", win = 0 })
  local ok, err = pcall(function()
    vim.api.nvim_win_set_cursor(0, { srow + 1, scol })
    vim.snippet.expand(arg.snippet)
  end)
  vim.api.nvim_set_option_value("virtualedit", ve, { scope = "local", win = 0 })
  if not ok then
    notify("could not insert the snippet: " .. tostring(err), vim.log.levels.ERROR)
  end
end

--- The client `commands` table for vim.lsp.start / vim.lsp.config.
function M.commands()
  return { [M.COMMAND] = M.insert }
end

--- `capabilities` with the experimental copydesk capability added.
function M.with_capabilities(capabilities)
  return vim.tbl_deep_extend("force", capabilities or {}, M.capabilities)
end

return M
