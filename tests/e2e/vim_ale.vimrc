" vimrc for tests/e2e/vim_ale.sh: ALE as Debian's vim-ale installs it (an
" optional package), then the copydesk snippet from editors/README.md.
set nocompatible
filetype plugin on
packadd! ale
" Lint once when the file is opened; no typing happens in this test.
let g:ale_lint_on_enter = 1
let g:ale_lint_on_text_changed = 'never'
execute 'source' fnameescape($COPYDESK_SNIPPET)
