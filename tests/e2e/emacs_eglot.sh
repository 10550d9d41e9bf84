#!/usr/bin/env bash
# Verify the Emacs/eglot snippet in editors/README.md against the built server:
# Emacs in batch mode loads the snippet, opens a copy of a seed story in
# text-mode, waits for copydesk's diagnostics through eglot and flymake, prints
# them, and checks a hover.
#
#   bash tests/e2e/emacs_eglot.sh
#
# Installs emacs-nox and elpa-eglot with apt-get when missing (needs root).
# Environment: COPYDESK_BIN (default target/release/copydesk).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
COPYDESK_BIN=${COPYDESK_BIN:-$ROOT/target/release/copydesk}
case $COPYDESK_BIN in /*) ;; *) COPYDESK_BIN=$PWD/$COPYDESK_BIN ;; esac
if [[ ! -x $COPYDESK_BIN ]]; then
  echo "emacs e2e: server binary $COPYDESK_BIN not found; run: cargo build --release" >&2
  exit 1
fi

have_eglot() {
  command -v emacs >/dev/null 2>&1 &&
    emacs --batch -q --eval "(require 'eglot)" >/dev/null 2>&1
}
if ! have_eglot; then
  echo "emacs e2e: installing emacs-nox elpa-eglot" >&2
  SUDO=; [[ $(id -u) -eq 0 ]] || SUDO=sudo
  APT=(env DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 -q)
  "${APT[@]}" install -y --no-install-recommends emacs-nox elpa-eglot >/dev/null ||
    { "${APT[@]}" update >/dev/null && "${APT[@]}" install -y --no-install-recommends emacs-nox elpa-eglot >/dev/null; }
fi
emacs --version | head -1 >&2

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# The snippet starts "copydesk" from PATH, as a user's setup would.
mkdir -p "$WORK/bin" "$WORK/story"
ln -s "$COPYDESK_BIN" "$WORK/bin/copydesk"
cp "$ROOT/seeds/004_4133e5cf710d752c.txt" "$WORK/story/story.txt"
# The Emacs snippet exactly as editors/README.md shows it.
awk -v m="<!-- test:emacs-eglot -->" '
  $0 == m { armed = 1; next }
  armed && /^```/ { if (inblock) exit; inblock = 1; next }
  inblock { print }' "$ROOT/editors/README.md" >"$WORK/snippet.el"
[[ -s $WORK/snippet.el ]] || { echo "emacs e2e: no snippet after <!-- test:emacs-eglot --> in editors/README.md" >&2; exit 1; }

export HOME=$WORK/home # keep ~/.emacs.d out of it
mkdir -p "$HOME"
PATH=$WORK/bin:$PATH COPYDESK_STORY=$WORK/story/story.txt COPYDESK_OUT=${COPYDESK_OUT:-$WORK/diagnostics.txt} \
  timeout 180 emacs --batch -q -l "$WORK/snippet.el" -l "$ROOT/tests/e2e/emacs_eglot.el"
