#!/usr/bin/env bash
# Verify the Vim/ALE snippet in editors/README.md against the built server:
# Vim runs headless (Ex mode, -es) with ALE and the snippet, opens a copy of a
# seed story, waits for ALE's copydesk diagnostics and writes them out.
#
#   bash tests/e2e/vim_ale.sh
#
# Installs vim and vim-ale with apt-get when missing (needs root).
# Environment: COPYDESK_BIN (default target/release/copydesk),
# COPYDESK_OUT (where to keep the report; default a temp file).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
COPYDESK_BIN=${COPYDESK_BIN:-$ROOT/target/release/copydesk}
case $COPYDESK_BIN in /*) ;; *) COPYDESK_BIN=$PWD/$COPYDESK_BIN ;; esac
if [[ ! -x $COPYDESK_BIN ]]; then
  echo "vim e2e: server binary $COPYDESK_BIN not found; run: cargo build --release" >&2
  exit 1
fi

if ! command -v vim >/dev/null 2>&1 || [[ ! -e /usr/share/vim-ale/autoload/ale.vim ]]; then
  echo "vim e2e: installing vim vim-ale" >&2
  SUDO=; [[ $(id -u) -eq 0 ]] || SUDO=sudo
  APT=(env DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 -q)
  "${APT[@]}" install -y --no-install-recommends vim vim-ale >/dev/null ||
    { "${APT[@]}" update >/dev/null && "${APT[@]}" install -y --no-install-recommends vim vim-ale >/dev/null; }
fi
vim --version | head -1 >&2

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/bin" "$WORK/story" "$WORK/home"
# The snippet starts "copydesk" from PATH, as a user's setup would.
ln -s "$COPYDESK_BIN" "$WORK/bin/copydesk"
cp "$ROOT/seeds/004_4133e5cf710d752c.txt" "$WORK/story/story.txt"
awk -v m="<!-- test:vim-ale -->" '
  $0 == m { armed = 1; next }
  armed && /^```/ { if (inblock) exit; inblock = 1; next }
  inblock { print }' "$ROOT/editors/README.md" >"$WORK/snippet.vim"
[[ -s $WORK/snippet.vim ]] || { echo "vim e2e: no snippet after <!-- test:vim-ale --> in editors/README.md" >&2; exit 1; }

OUT=${COPYDESK_OUT:-$WORK/report.txt}
rc=0
HOME=$WORK/home PATH=$WORK/bin:$PATH COPYDESK_SNIPPET=$WORK/snippet.vim \
  COPYDESK_STORY=$WORK/story/story.txt COPYDESK_OUT=$OUT \
  timeout 180 vim -Nu "$ROOT/tests/e2e/vim_ale.vimrc" -i NONE -es \
  -S "$ROOT/tests/e2e/vim_ale.vim" </dev/null || rc=$?
if [[ -s $OUT ]]; then
  cat "$OUT"
else
  echo "FAIL vim wrote no report (exit $rc)"
  rc=${rc/#0/1}
fi
exit "$rc"
