-- Headless end-to-end test of editors/nvim against the real copydesk server.
--
--   nvim --headless -u NONE -l tests/e2e/nvim_e2e.lua
--
-- Environment: COPYDESK_BIN (server binary; default target/release/copydesk),
-- COPYDESK_E2E_TIMEOUT_MS (per wait; default 20000).
-- Prints PASS/FAIL lines and "N passed, N failed" to stdout; exits non-zero
-- on any failure. (In -l mode print() goes to stderr, so we write to stdout.)

local function out(s)
  io.stdout:write(s, "\n")
  io.stdout:flush()
end

local script = debug.getinfo(1, "S").source:sub(2)
local here = vim.fn.fnamemodify(script, ":p:h")
local repo = vim.fn.fnamemodify(here, ":h:h")
local bin = vim.env.COPYDESK_BIN
if bin == nil or bin == "" then
  bin = repo .. "/target/release/copydesk"
end
bin = vim.fn.fnamemodify(bin, ":p")
local TIMEOUT = tonumber(vim.env.COPYDESK_E2E_TIMEOUT_MS or "") or 20000

if vim.env.COPYDESK_E2E_LOG and vim.env.COPYDESK_E2E_LOG ~= "" then
  vim.lsp.set_log_level(vim.env.COPYDESK_E2E_LOG) -- e.g. "debug"
end

local passed, failed = 0, 0
local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    out("PASS " .. name .. (detail and (": " .. detail) or ""))
  else
    failed = failed + 1
    out("FAIL " .. name .. (detail and (": " .. detail) or ""))
  end
  return ok
end

local function lsp_log_tail()
  local ok, path = pcall(vim.lsp.get_log_path)
  if not ok or vim.fn.filereadable(path) ~= 1 then
    return
  end
  local lines = vim.fn.readfile(path)
  out("--- last lines of " .. path .. " ---")
  for i = math.max(1, #lines - 25), #lines do
    out(lines[i])
  end
end

local function finish()
  for _, c in ipairs(vim.lsp.get_clients({ name = "copydesk" })) do
    vim.lsp.stop_client(c.id)
  end
  vim.wait(3000, function()
    return #vim.lsp.get_clients({ name = "copydesk" }) == 0
  end, 20)
  if failed > 0 then
    lsp_log_tail()
  end
  out(("%d passed, %d failed"):format(passed, failed))
  os.exit(failed == 0 and 0 or 1)
end

local function abort(name, detail)
  check(name, false, detail)
  finish()
end

-- Neovim version and plugin --------------------------------------------------
check("neovim >= 0.10", vim.fn.has("nvim-0.10") == 1, tostring(vim.version()))
if vim.fn.executable(bin) ~= 1 then
  abort("server binary", bin .. " is not executable (build it: cargo build --release)")
end

vim.opt.runtimepath:prepend(repo .. "/editors/nvim")
vim.cmd("filetype on") -- -u NONE skips filetype detection
vim.o.swapfile = false
vim.o.shadafile = "NONE"

local ok_req, copydesk = pcall(require, "copydesk")
if not ok_req then
  abort("require('copydesk')", tostring(copydesk))
end

-- A story folder: a copy of the seed plus a root marker -------------------------
local seed = repo .. "/seeds/004_4133e5cf710d752c.txt"
local tmp = vim.fn.tempname() .. "-copydesk-e2e"
vim.fn.mkdir(tmp, "p")
tmp = vim.uv.fs_realpath(tmp) or tmp
local story = tmp .. "/story.txt"
vim.fn.writefile(vim.fn.readfile(seed, "b"), story, "b")
vim.fn.writefile({ "# copydesk e2e story folder" }, tmp .. "/.copydesk.toml")
local second = tmp .. "/second.md"
vim.fn.writefile(vim.fn.readfile(repo .. "/seeds/000_2c4b3c25a951bc1f.txt", "b"), second, "b")

copydesk.setup({
  cmd = { bin, "lsp" },
  settings = {
    -- Raise inconsistent-spelling to error: proves the settings reach the server.
    rules = { ["inconsistent-spelling"] = { enabled = true, severity = "error" } },
    inlayHints = { speakers = true, dates = true },
  },
  inlay_hints = true,
})
check("commands defined", vim.fn.exists(":CopydeskRestart") == 2 and vim.fn.exists(":CopydeskInfo") == 2)

vim.cmd.edit(vim.fn.fnameescape(story))
local buf = vim.api.nvim_get_current_buf()
check("filetype text", vim.bo[buf].filetype == "text", vim.bo[buf].filetype)

local function copydesk_client(b)
  return vim.lsp.get_clients({ name = "copydesk", bufnr = b })[1]
end

local attached = vim.wait(TIMEOUT, function()
  local c = copydesk_client(buf)
  return c ~= nil and c.initialized == true
end, 20)
local client = copydesk_client(buf)
if not check("client attached and initialized", attached and client ~= nil) then
  finish()
end
check("root_dir is the story folder", client.root_dir == tmp, tostring(client.root_dir))
out(("info server=%s %s offset_encoding=%s"):format(
  client.server_info and client.server_info.name or "?",
  client.server_info and client.server_info.version or "",
  client.offset_encoding
))

-- Diagnostics -------------------------------------------------------------------
local function copydesk_diags(b)
  return vim.tbl_filter(function(d)
    return d.source == "copydesk"
  end, vim.diagnostic.get(b))
end

local got = vim.wait(TIMEOUT, function()
  return #copydesk_diags(buf) > 0
end, 20)
local diags = copydesk_diags(buf)
check("copydesk diagnostics published", got, ("%d diagnostics"):format(#diags))

local function range_text(d)
  local lines = vim.api.nvim_buf_get_text(buf, d.lnum, d.col, d.end_lnum or d.lnum, d.end_col or d.col, {})
  return table.concat(lines, "\n")
end

local codes = {}
local kiev
for _, d in ipairs(diags) do
  codes[tostring(d.code)] = (codes[tostring(d.code)] or 0) + 1
  out(("diag %d:%d-%d:%d sev=%d [%s] %s"):format(d.lnum, d.col, d.end_lnum or -1, d.end_col or -1,
    d.severity, tostring(d.code), d.message))
  if kiev == nil and range_text(d):find("Kiev", 1, true) then
    kiev = d
  end
end
check("inconsistent-spelling diagnostic", (codes["inconsistent-spelling"] or 0) > 0, vim.inspect(codes, { newline = "" }))
if not check("a diagnostic on \"Kiev\"", kiev ~= nil) then
  finish()
end
check("settings honoured (inconsistent-spelling severity = error)", (function()
  for _, d in ipairs(diags) do
    if d.code == "inconsistent-spelling" and d.severity ~= vim.diagnostic.severity.ERROR then
      return false
    end
  end
  return (codes["inconsistent-spelling"] or 0) > 0
end)())

-- Hover on "Stoltenberg" ------------------------------------------------------------
local function markup_text(c)
  if c == nil then
    return ""
  elseif type(c) == "string" then
    return c
  elseif c.value then
    return c.value
  elseif vim.islist(c) then
    local t = {}
    for _, x in ipairs(c) do
      t[#t + 1] = markup_text(x)
    end
    return table.concat(t, "\n")
  end
  return vim.inspect(c)
end

local hover_pos
for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  local s = line:find("Stoltenberg", 1, true)
  if s then
    hover_pos = { i, s + 2 } -- (1-based row, 0-based col) inside the word
    break
  end
end
if check("found \"Stoltenberg\" in the story", hover_pos ~= nil) then
  vim.api.nvim_win_set_cursor(0, hover_pos)
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local res = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, TIMEOUT)
  local r = res and res[client.id]
  local text = r and r.result and markup_text(r.result.contents) or ""
  check("hover on Stoltenberg mentions NATO", text:find("NATO", 1, true) ~= nil,
    r and r.err and ("error " .. vim.inspect(r.err)) or (text:gsub("\n", " "):sub(1, 160)))
end

-- Code action on a "Kiev" diagnostic, applied -------------------------------------
local lsp_diag = kiev.user_data and kiev.user_data.lsp
if lsp_diag == nil then
  lsp_diag = {
    range = {
      start = { line = kiev.lnum, character = kiev.col },
      ["end"] = { line = kiev.end_lnum, character = kiev.end_col },
    },
    message = kiev.message,
    code = kiev.code,
    source = kiev.source,
  }
end
local ca_params = {
  textDocument = vim.lsp.util.make_text_document_params(buf),
  range = lsp_diag.range,
  context = { diagnostics = { lsp_diag }, triggerKind = 1 },
}
local res = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", ca_params, TIMEOUT)
local r = res and res[client.id]
local actions = r and r.result or {}
local action
for _, a in ipairs(actions) do
  local is_fix = a.kind == nil or a.kind == "quickfix" or vim.startswith(a.kind or "", "quickfix.")
  if is_fix and a.title and (action == nil or a.isPreferred) then
    local edit_text = a.edit and vim.inspect(a.edit) or ""
    if a.edit == nil or edit_text:find("Kyiv", 1, true) then
      action = a
    end
  end
end
local titles = vim.tbl_map(function(a)
  return ("%s (%s)"):format(a.title, tostring(a.kind))
end, actions)
check("code action offered for \"Kiev\"", action ~= nil,
  r and r.err and ("error " .. vim.inspect(r.err)) or table.concat(titles, "; "))
if action and action.edit == nil then
  local caps = client.server_capabilities.codeActionProvider
  if type(caps) == "table" and caps.resolveProvider then
    local rr = vim.lsp.buf_request_sync(buf, "codeAction/resolve", action, TIMEOUT)
    action = rr and rr[client.id] and rr[client.id].result or action
  end
end
if check("quickfix carries a workspace edit", action ~= nil and action.edit ~= nil,
  action and action.title or nil) then
  local line_before = vim.api.nvim_buf_get_lines(buf, kiev.lnum, kiev.lnum + 1, false)[1]
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  local line_after = vim.api.nvim_buf_get_lines(buf, kiev.lnum, kiev.lnum + 1, false)[1]
  check("quickfix applied: line now has \"Kyiv\"",
    line_after:find("Kyiv", 1, true) ~= nil and line_after ~= line_before,
    line_after:sub(math.max(1, kiev.col - 20), kiev.col + 30))
  -- The server re-checks the edited text: that Kiev's diagnostic goes away.
  local cleared = vim.wait(TIMEOUT, function()
    for _, d in ipairs(copydesk_diags(buf)) do
      if d.lnum == kiev.lnum and d.col == kiev.col and d.code == kiev.code then
        return false
      end
    end
    return true
  end, 20)
  check("diagnostic gone after the edit", cleared)
end

-- The attribution fix as a snippet (copydesk.insertSnippet) ------------------------
-- Neovim applies no LSP 3.18 snippet edits, so the plugin announces the experimental
-- capability and runs the server's command with vim.snippet.expand. This goes through
-- Neovim's own code-action path (vim.lsp.buf.code_action), as a user's would.
local QUOTES = {
  "date 2025-03-04",
  "",
  "“Nobody asked us what we wanted before the vote.” The council meets again in May.",
  "",
  "“We have done what we could, and the rest is up to the county.",
}
local ADD = "Add an attribution after the quotation"
local function unattributed_on(b, lnum)
  for _, d in ipairs(copydesk_diags(b)) do
    if d.code == "unattributed-quote" and d.lnum == lnum then
      return d
    end
  end
end
local quotes = tmp .. "/quotes.txt"
vim.fn.writefile(QUOTES, quotes)
vim.cmd.edit(vim.fn.fnameescape(quotes))
local qbuf = vim.api.nvim_get_current_buf()
local qclient
vim.wait(TIMEOUT, function()
  qclient = copydesk_client(qbuf)
  return qclient ~= nil and unattributed_on(qbuf, 2) ~= nil and unattributed_on(qbuf, 4) ~= nil
end, 20)
check("unattributed-quote diagnostics on both quotations", unattributed_on(qbuf, 2) ~= nil
  and unattributed_on(qbuf, 4) ~= nil, vim.inspect(vim.tbl_map(function(d)
    return ("%d %s"):format(d.lnum, d.code)
  end, copydesk_diags(qbuf)), { newline = "" }))
local exp = qclient and vim.tbl_get(qclient.config.capabilities or {}, "experimental", "copydesk") or {}
check("the client announces the copydesk.insertSnippet capability", exp.insertSnippetCommand == true,
  vim.inspect(exp, { newline = "" }))
check("the client defaults are kept beside it", qclient ~= nil
  and vim.tbl_get(qclient.config.capabilities or {}, "textDocument", "hover") ~= nil)

-- what the server offers this client: a command with the snippet, no edit
local function attribution_action(b, lnum)
  local d = unattributed_on(b, lnum)
  local res = vim.lsp.buf_request_sync(b, "textDocument/codeAction", {
    textDocument = vim.lsp.util.make_text_document_params(b),
    range = d.user_data.lsp.range,
    context = { diagnostics = { d.user_data.lsp } },
  }, TIMEOUT)
  for _, r in pairs(res or {}) do
    for _, a in ipairs(r.result or {}) do
      if a.title == ADD then
        return a
      end
    end
  end
end
local offered = unattributed_on(qbuf, 2) and attribution_action(qbuf, 2)
check("the fix is the copydesk.insertSnippet command with the snippet",
  offered ~= nil and offered.edit == nil and offered.command ~= nil
    and offered.command.command == "copydesk.insertSnippet"
    and offered.command.arguments[1].snippet == " ${1:SPEAKER} said$0"
    and offered.command.arguments[1].textDocument.version == vim.lsp.util.buf_versions[qbuf],
  offered and vim.inspect(offered.command, { newline = "" }) or "no action")

local function selected_text()
  local a, b = vim.fn.getpos("v"), vim.fn.getpos(".")
  if a[2] > b[2] or (a[2] == b[2] and a[3] > b[3]) then
    a, b = b, a
  end
  return table.concat(vim.api.nvim_buf_get_text(qbuf, a[2] - 1, a[3] - 1, b[2] - 1, b[3], {}), "\n")
end
local function line(n)
  return vim.api.nvim_buf_get_lines(qbuf, n, n + 1, false)[1]
end

-- apply it: cursor inside the first quotation, the one quick fix with that title
if unattributed_on(qbuf, 2) then
  vim.api.nvim_win_set_cursor(0, { 3, 10 })
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(a)
      return a.title == ADD
    end,
  })
  local started = vim.wait(TIMEOUT, function()
    return vim.snippet.active()
  end, 20)
  vim.api.nvim_feedkeys("", "x", false) -- run the keys that select the placeholder
  check("code action starts a snippet session", started)
  check("snippet inserted after the closing mark", line(2)
    == "“Nobody asked us what we wanted before the vote.” SPEAKER said The council meets again in May.",
    line(2))
  check("the placeholder SPEAKER is selected (Select mode)",
    vim.api.nvim_get_mode().mode == "s" and selected_text() == "SPEAKER",
    ("mode=%s selected=%q"):format(vim.api.nvim_get_mode().mode, selected_text()))
  vim.api.nvim_feedkeys("Ana Ruiz", "x", false) -- typing replaces the selection
  vim.snippet.jump(1)
  vim.api.nvim_feedkeys("", "x", false)
  local after = "“Nobody asked us what we wanted before the vote.” Ana Ruiz said"
  check("typing the name replaces SPEAKER; Tab goes past \"said\"",
    line(2) == after .. " The council meets again in May."
      and vim.api.nvim_win_get_cursor(0)[2] == #after,
    ("%s | cursor col %d"):format(line(2), vim.api.nvim_win_get_cursor(0)[2]))
  -- back to Normal mode, as a user's <Esc> (and no :startinsert left pending from $0)
  vim.snippet.stop()
  vim.cmd.stopinsert()
  vim.api.nvim_feedkeys("", "x", false)
  local cleared = vim.wait(TIMEOUT, function()
    return unattributed_on(qbuf, 2) == nil and unattributed_on(qbuf, 4) ~= nil
  end, 20)
  check("the server finds the attribution: that diagnostic is gone", cleared)
end

-- at the end of a line (an unclosed quotation, closed first), where Normal mode
-- would put the cursor on the last character: the snippet still goes after it
if unattributed_on(qbuf, 4) then
  local a = attribution_action(qbuf, 4)
  check("unclosed quotation: the snippet closes it first",
    a ~= nil and a.command ~= nil and a.command.arguments[1].snippet == "” ${1:SPEAKER} said$0",
    a and vim.inspect(a.command, { newline = "" }) or "no action")
  if a and a.command then
    -- stale: a version the buffer is no longer at is refused, nothing changes
    local stale = vim.deepcopy(a.command)
    stale.arguments[1].textDocument.version = stale.arguments[1].textDocument.version - 1
    local before = line(4)
    require("copydesk.snippet").insert(stale, { client_id = qclient.id, bufnr = qbuf })
    check("a fix for an older version is refused", line(4) == before and not vim.snippet.active(), line(4))
    if vim.fn.has("nvim-0.11") == 1 then
      qclient:exec_cmd(a.command, { bufnr = qbuf }) -- how Neovim runs a code action's command
    else
      require("copydesk.snippet").insert(a.command, { client_id = qclient.id, bufnr = qbuf })
    end
    vim.api.nvim_feedkeys("", "x", false)
    check("snippet at the end of the line, after the closing mark",
      line(4) == "“We have done what we could, and the rest is up to the county.” SPEAKER said"
        and selected_text() == "SPEAKER", ("%s | selected=%q"):format(line(4), selected_text()))
    vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<Esc>", true, false, true), "x", false)
    vim.snippet.stop()
  end
end
-- Inlay hints turned on when the server offers them ---------------------------------
if client.server_capabilities.inlayHintProvider then
  check("inlay hints enabled", vim.lsp.inlay_hint.is_enabled({ bufnr = buf }))
  local n = vim.api.nvim_buf_line_count(buf)
  local ih = vim.lsp.buf_request_sync(buf, "textDocument/inlayHint", {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    range = { start = { line = 0, character = 0 }, ["end"] = { line = n, character = 0 } },
  }, TIMEOUT)
  local hints = ih and ih[client.id] and ih[client.id].result or {}
  local labels = vim.tbl_map(function(h)
    return type(h.label) == "string" and h.label or vim.inspect(h.label, { newline = "" })
  end, hints)
  check("inlay hints returned (speakers)", #hints > 0,
    ("%d hints: %s"):format(#hints, table.concat(vim.list_slice(labels, 1, 4), " ")))
else
  out("info server has no inlayHintProvider; inlay hints not checked")
end

-- A second story in the same folder shares the client ----------------------------------
vim.cmd.edit(vim.fn.fnameescape(second))
local buf2 = vim.api.nvim_get_current_buf()
vim.wait(TIMEOUT, function()
  return copydesk_client(buf2) ~= nil
end, 20)
local c2 = copydesk_client(buf2)
check("markdown buffer attached to the same client", c2 ~= nil and c2.id == client.id
  and #vim.lsp.get_clients({ name = "copydesk" }) == 1,
  ("filetype=%s clients=%d"):format(vim.bo[buf2].filetype, #vim.lsp.get_clients({ name = "copydesk" })))

-- :CopydeskInfo and :CopydeskRestart --------------------------------------------------
local ok_info, info = pcall(vim.api.nvim_exec2, "CopydeskInfo", { output = true })
check(":CopydeskInfo", ok_info and info.output:find("client " .. client.id, 1, true) ~= nil,
  ok_info and info.output:gsub("\n", " | "):sub(1, 200) or tostring(info))

vim.cmd("CopydeskRestart")
local restarted = vim.wait(TIMEOUT, function()
  local c = copydesk_client(buf)
  local c2b = copydesk_client(buf2)
  return c ~= nil and c.id ~= client.id and c.initialized == true and c2b ~= nil and c2b.id == c.id
end, 20)
check(":CopydeskRestart starts a new client for both buffers", restarted)
if restarted and copydesk_client(buf).server_capabilities.inlayHintProvider then
  check("inlay hints enabled again after restart", vim.lsp.inlay_hint.is_enabled({ bufnr = buf }))
end
if restarted then
  local ns = vim.lsp.diagnostic.get_namespace(copydesk_client(buf).id, false)
  local function new_diags()
    return #vim.diagnostic.get(buf, { namespace = ns })
  end
  local fresh = vim.wait(TIMEOUT, function()
    return new_diags() > 0
  end, 20)
  check("diagnostics from the new client", fresh, ("%d diagnostics"):format(new_diags()))
end

-- Neovim 0.11 native form: lsp/copydesk.lua + vim.lsp.enable --------------------------
if vim.fn.has("nvim-0.11") == 1 then
  -- Take the setup() plugin out of the way first.
  pcall(vim.api.nvim_del_augroup_by_name, "copydesk")
  for _, c in ipairs(vim.lsp.get_clients({ name = "copydesk" })) do
    vim.lsp.stop_client(c.id)
  end
  vim.wait(5000, function()
    return #vim.lsp.get_clients({ name = "copydesk" }) == 0
  end, 20)
  local tmp2 = tmp .. "-native" -- tmp is already a real path
  vim.fn.mkdir(tmp2 .. "/.git", "p")
  local story2 = tmp2 .. "/story.md"
  vim.fn.writefile(vim.fn.readfile(seed, "b"), story2, "b")
  vim.lsp.config("copydesk", {
    cmd = { bin, "lsp" },
    settings = { copydesk = { rules = { ["inconsistent-spelling"] = { severity = "error" } } } },
  })
  vim.lsp.enable("copydesk")
  vim.cmd.edit(vim.fn.fnameescape(story2))
  local buf3 = vim.api.nvim_get_current_buf()
  local got3 = vim.wait(TIMEOUT, function()
    for _, d in ipairs(copydesk_diags(buf3)) do
      if d.code == "inconsistent-spelling" then
        return true
      end
    end
    return false
  end, 20)
  local c3 = copydesk_client(buf3)
  check("vim.lsp.enable('copydesk'): diagnostics", got3,
    ("root=%s"):format(c3 and tostring(c3.root_dir) or "no client"))
  check("vim.lsp.enable('copydesk'): root from .git marker", c3 ~= nil and c3.root_dir == tmp2)
  check("vim.lsp.enable('copydesk'): settings reach the server", (function()
    for _, d in ipairs(copydesk_diags(buf3)) do
      if d.code == "inconsistent-spelling" and d.severity ~= vim.diagnostic.severity.ERROR then
        return false
      end
    end
    return got3
  end)())
  -- lsp/copydesk.lua announces the capability and brings the command too
  local q2 = tmp2 .. "/quotes.txt"
  vim.fn.writefile(QUOTES, q2)
  vim.cmd.edit(vim.fn.fnameescape(q2))
  local qbuf2 = vim.api.nvim_get_current_buf()
  vim.wait(TIMEOUT, function()
    return unattributed_on(qbuf2, 2) ~= nil
  end, 20)
  local a2 = unattributed_on(qbuf2, 2) and attribution_action(qbuf2, 2)
  local c4 = copydesk_client(qbuf2)
  check("vim.lsp.enable('copydesk'): the attribution fix is the copydesk.insertSnippet command",
    a2 ~= nil and a2.command ~= nil and a2.command.command == "copydesk.insertSnippet"
      and c4 ~= nil and c4.commands["copydesk.insertSnippet"] ~= nil,
    a2 and vim.inspect(a2.command, { newline = "" }) or "no action")
end

finish()
