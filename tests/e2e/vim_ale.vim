" Driver for tests/e2e/vim_ale.sh (run with vim -Nu vim_ale.vimrc -es -S vim_ale.vim).
" Opens $COPYDESK_STORY, waits for ALE's copydesk diagnostics, writes PASS/FAIL
" lines and the diagnostics to $COPYDESK_OUT, exits non-zero on failure.
let s:lines = []
let s:passed = 0
let s:failed = 0
function! s:Check(ok, what) abort
  if a:ok
    let s:passed += 1
  else
    let s:failed += 1
  endif
  call add(s:lines, (a:ok ? 'PASS ' : 'FAIL ') . a:what)
endfunction

execute 'edit' fnameescape($COPYDESK_STORY)
let s:buf = bufnr('')
call s:Check(&filetype is# 'text', 'filetype text: ' . &filetype)
let s:names = map(ale#linter#Get(&filetype), 'v:val.name')
call s:Check(index(s:names, 'copydesk') >= 0, 'copydesk among ALE linters for text: ' . string(s:names))

let s:timeout_ms = str2nr(empty($COPYDESK_E2E_TIMEOUT_MS) ? '60000' : $COPYDESK_E2E_TIMEOUT_MS)
let s:found = []
let s:waited = 0
while s:waited < s:timeout_ms
  sleep 100m
  let s:waited += 100
  let s:found = filter(copy(get(get(g:ale_buffer_info, s:buf, {}), 'loclist', [])),
  \ 'v:val.linter_name is# "copydesk"')
  if !empty(s:found)
    break
  endif
endwhile
call s:Check(!empty(s:found), printf('ALE diagnostics from copydesk: %d (after %d ms)', len(s:found), s:waited))

" ALE reads LSP columns as byte offsets, so check a finding on a line whose
" text before it is ASCII: there the range must cover exactly "Kiev".
let s:kiev = 0
for s:d in s:found
  let s:line = getbufline(s:buf, s:d.lnum)[0]
  let s:text = strpart(s:line, s:d.col - 1, get(s:d, 'end_col', s:d.col) - s:d.col + 1)
  call add(s:lines, printf('diag %d:%d-%d %s [%s] %s | %s', s:d.lnum, s:d.col, get(s:d, 'end_col', 0),
  \ s:d.type, get(s:d, 'code', ''), s:text, s:d.text))
  if get(s:d, 'code', '') is# 'inconsistent-spelling' && s:text is# 'Kiev'
  \ && strpart(s:line, 0, s:d.col - 1) !~# '[^\x00-\x7f]'
    let s:kiev = 1
  endif
endfor
call s:Check(s:kiev, 'inconsistent-spelling diagnostic exactly on "Kiev"')

call add(s:lines, printf('%d passed, %d failed', s:passed, s:failed))
call writefile(s:lines, $COPYDESK_OUT)
if s:failed > 0
  cquit 1
endif
qall!
