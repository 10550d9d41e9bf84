#!/usr/bin/env bash
# Real VS Code end-to-end test of the copydesk extension.
#
# Runs VS Code 1.100.3 (as code-server 4.100.3, installed from the npm registry
# into a cache dir) in headless Debian Chromium, with the copydesk .vsix built
# from editors/vscode and a companion probe extension (tests/e2e/vscode-probe)
# that drives the real vscode API: diagnostics, hover, code action + applyEdit, and
# the attribution fix as a snippet (placeholder selected, Tab to the end).
#
# Usage:
#   tests/e2e/vscode.sh                 run the test; exit 0 only if the probe says ok
#   tests/e2e/vscode.sh --screenshot    also save editors/vscode/images/screenshot.png
#                                       (diagnostics + a hover on "Stoltenberg")
#   tests/e2e/vscode.sh --install-only  install the Debian packages and code-server, then stop
#
# Environment:
#   CODESERVER_DIR   code-server cache (default ~/.cache/copydesk-code-server);
#                    the install is skipped when it is already complete there
#   COPYDESK_SERVER  server binary (else $COPYDESK_BIN, else <repo>/target/release/copydesk)
#   SCREENSHOT_OUT   where --screenshot writes (default editors/vscode/images/screenshot.png)
#   E2E_TIMEOUT      seconds to wait for the probe's result (default 120)
#   KEEP_TMP=1       keep the temp dir (logs, workspace) for debugging
#
# Downloads only from Debian (apt-get) and the npm registry.
set -euo pipefail

CS_VERSION=4.100.3
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CS_DIR=${CODESERVER_DIR:-$HOME/.cache/copydesk-code-server}
SERVER=${COPYDESK_SERVER:-${COPYDESK_BIN:-$ROOT/target/release/copydesk}}
SEED=$ROOT/seeds/004_4133e5cf710d752c.txt
EXT_DIR=$ROOT/editors/vscode
PROBE_DIR=$ROOT/tests/e2e/vscode-probe
SHOT_OUT=${SCREENSHOT_OUT:-$EXT_DIR/images/screenshot.png}
TIMEOUT=${E2E_TIMEOUT:-120}
MODE=test
case "${1:-}" in
  "") ;;
  --screenshot) MODE=screenshot ;;
  --install-only) MODE=install ;;
  -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
  *) echo "unknown argument: $1" >&2; exit 2 ;;
esac

T0=$(date +%s)
log() { printf '[vscode-e2e %3ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }

# ---------------------------------------------------------------- Debian packages
DEBS=(build-essential pkg-config python3 libkrb5-dev ripgrep chromium)
ensure_debs() {
  local missing=() p
  for p in "${DEBS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local SUDO=
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" >/dev/null
}

# ---------------------------------------------------------------- code-server
CS_ENTRY=$CS_DIR/node_modules/code-server/out/node/entry.js
CS_MARK=$CS_DIR/.copydesk-installed-$CS_VERSION
install_code_server() {
  if [ -f "$CS_MARK" ] && [ -f "$CS_ENTRY" ]; then
    log "code-server $CS_VERSION already in $CS_DIR"
    return 0
  fi
  log "installing code-server $CS_VERSION into $CS_DIR (npm registry only)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  (
    set -e
    cd "$CS_DIR"
    export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
    # node-gyp: build against the local Node's headers, never download them
    [ -f /usr/include/node/node.h ] && export npm_config_nodedir=/usr
    npm init -y >/dev/null
    # postinstall would fetch ripgrep from GitHub: skip scripts, use Debian's rg
    npm install --no-save --ignore-scripts --loglevel=error "code-server@$CS_VERSION" >/dev/null
    npm_config_build_from_source=true npm rebuild argon2 >/dev/null 2>&1
    cd node_modules/code-server/lib/vscode
    npm install --omit=dev --ignore-scripts --loglevel=error >/dev/null
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    npm_config_yes=true npm rebuild >/dev/null 2>&1   # node-pty, spdlog, kerberos, ...
    ln -sfn node_modules node_modules.asar           # what postinstall.sh does
    (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
    (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
    (cd extensions && npm install --omit=dev --ignore-scripts --loglevel=error >/dev/null)
  ) || { echo "code-server install failed" >&2; exit 1; }
  node "$CS_ENTRY" --version >/dev/null
  touch "$CS_MARK"
  log "code-server installed: $(node "$CS_ENTRY" --version | head -1)"
}

ensure_debs
install_code_server
[ "$MODE" = install ] && { log "install done"; exit 0; }

# ---------------------------------------------------------------- server binary
if ! "$SERVER" --version >/dev/null 2>&1; then
  echo "copydesk server not found or not runnable at $SERVER (build it: cargo build --release, or set COPYDESK_SERVER)" >&2
  exit 1
fi
SERVER=$(cd "$(dirname "$SERVER")" && pwd)/$(basename "$SERVER")

# ---------------------------------------------------------------- build the .vsix
log "building the extension (npm ci && npm run package)"
(
  cd "$EXT_DIR"
  rm -f copydesk-*.vsix
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  npm run --silent package >/dev/null
) || { echo "extension build failed" >&2; exit 1; }
VSIX=$(ls "$EXT_DIR"/copydesk-*.vsix)
log "built $(basename "$VSIX")"

# ---------------------------------------------------------------- temp workspace
TMP=$(mktemp -d "${TMPDIR:-/tmp}/copydesk-vscode-e2e.XXXXXX")
SP= BP=
# code-server and chromium run in their own sessions (setsid), so that stopping
# their process groups also stops the extension host and the copydesk server.
stop_group() {
  local pg=$1 i
  [ -n "$pg" ] || return 0
  kill -TERM -- "-$pg" 2>/dev/null || return 0
  for i in $(seq 50); do kill -0 -- "-$pg" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$pg" 2>/dev/null || true
}
cleanup() {
  stop_group "$BP"
  stop_group "$SP"
  wait 2>/dev/null || true
  if [ "${KEEP_TMP:-0}" = 1 ]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

WS=$TMP/workspace
mkdir -p "$WS/.vscode"
cp "$SEED" "$WS/story.txt"
# unattributed quotations, for the attribution fix (a snippet in VS Code)
cat >"$WS/quotes.txt" <<'STORY'
date 2025-03-04

“Nobody asked us what we wanted before the vote.” The council meets again in May.

“We have done what we could, and the rest is up to the county.
STORY
cat >"$WS/.vscode/settings.json" <<EOF
{
  "copydesk.server.path": "$SERVER",
  "copydesk.trace.server": "messages"
}
EOF

# user settings: a quiet workbench (no welcome page, no tips, no trust prompt)
UD=$TMP/user-data
mkdir -p "$UD/User"
cat >"$UD/User/settings.json" <<'EOF'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.colorTheme": "Default Light Modern",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.commandCenter.enabled": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "editor.minimap.enabled": false,
  "editor.wordWrap": "off",
  "editor.hover.delay": 100,
  "window.commandCenter": false,
  "git.enabled": false
}
EOF

# ---------------------------------------------------------------- probe .vsix
log "packaging the probe extension"
PROBE_BUILD=$TMP/probe
cp -r "$PROBE_DIR" "$PROBE_BUILD"
(cd "$PROBE_BUILD" && "$EXT_DIR/node_modules/.bin/vsce" package --no-dependencies \
   --allow-missing-repository --skip-license --out "$TMP/probe.vsix" >/dev/null) \
  || { echo "probe packaging failed" >&2; exit 1; }

# ---------------------------------------------------------------- install both
EXTS=$TMP/extensions
for v in "$VSIX" "$TMP/probe.vsix"; do
  XDG_CONFIG_HOME=$TMP/xdg XDG_DATA_HOME=$TMP/data \
    node "$CS_ENTRY" --user-data-dir "$UD" --extensions-dir "$EXTS" --install-extension "$v" \
    >"$TMP/install.log" 2>&1 || { cat "$TMP/install.log"; echo "installing $v failed" >&2; exit 1; }
done
log "installed $(basename "$VSIX") and the probe into code-server"

# ---------------------------------------------------------------- run
RESULT=$TMP/result.json
PORT=${PORT:-$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
export XDG_CONFIG_HOME=$TMP/xdg XDG_DATA_HOME=$TMP/data
export COPYDESK_E2E_RESULT=$RESULT COPYDESK_E2E_FILE=$WS/story.txt COPYDESK_E2E_MODE=$MODE
export COPYDESK_E2E_QUOTES=$WS/quotes.txt
setsid node "$CS_ENTRY" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$UD" --extensions-dir "$EXTS" "$WS" >"$TMP/server.log" 2>&1 &
SP=$!
for _ in $(seq 100); do grep -q 'HTTP server listening' "$TMP/server.log" && break; sleep 0.2; done
grep -q 'HTTP server listening' "$TMP/server.log" || { cat "$TMP/server.log"; echo "code-server did not start" >&2; exit 1; }
log "code-server listening on 127.0.0.1:$PORT; opening the workbench in headless chromium"

CDP_PORT=
CHROME_ARGS=(--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
  --disable-background-networking --disable-component-update --disable-sync --disable-quic
  --disable-default-apps --user-data-dir="$TMP/chrome" --window-size=1440,1000)
if [ "$MODE" = screenshot ]; then
  CDP_PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  CHROME_ARGS+=(--remote-debugging-address=127.0.0.1 --remote-debugging-port="$CDP_PORT")
fi
setsid chromium "${CHROME_ARGS[@]}" "http://127.0.0.1:$PORT/?folder=$WS" >"$TMP/chrome.log" 2>&1 &
BP=$!

for _ in $(seq "$TIMEOUT"); do
  [ -s "$RESULT" ] && node -e 'process.exit(require(process.argv[1]).done ? 0 : 1)' "$RESULT" && break
  kill -0 "$SP" 2>/dev/null || break
  sleep 1
done

show_logs() {
  echo "---- code-server log (tail)"; tail -n 40 "$TMP/server.log" || true
  local f
  for f in $(find "$UD/logs" -name '*copydesk*.log' -o -name 'remoteexthost.log' 2>/dev/null); do
    echo "---- $f (tail)"; tail -n 40 "$f"
  done
}

if ! [ -s "$RESULT" ]; then
  echo "no result from the probe within ${TIMEOUT}s" >&2
  show_logs
  exit 1
fi

probe_ok() { node -e 'process.exit(require(process.argv[1]).ok === true ? 0 : 1)' "$RESULT"; }

if [ "$MODE" = screenshot ] && probe_ok; then
  log "taking the screenshot"
  mkdir -p "$(dirname "$SHOT_OUT")"
  node --experimental-websocket --no-warnings "$ROOT/tests/e2e/vscode-probe/cdp-screenshot.js" \
    "$CDP_PORT" "$SHOT_OUT" || { echo "screenshot failed" >&2; exit 1; }
  log "wrote $SHOT_OUT"
fi

# one line per probe step; the whole JSON when something failed
node -e '
const r = require(process.argv[1]);
for (const s of r.steps) console.log(`  ${s.ok ? "ok  " : "FAIL"} ${s.name} (${s.ms} ms)${s.error ? ": " + s.error : ""}`);
const h = r.steps.find((s) => s.name.startsWith("hover"));
if (h && h.detail) console.log("  hover text: " + JSON.stringify(h.detail.text).slice(0, 300));
if (!r.ok) console.log(JSON.stringify(r, null, 2));
' "$RESULT"
if probe_ok; then
  log "PASS: VS Code $(node "$CS_ENTRY" --version | head -1 | sed 's/.*with Code //') (code-server $CS_VERSION) + copydesk extension"
  echo "1 passed, 0 failed"
  exit 0
fi
show_logs
log "FAIL"
echo "0 passed, 1 failed"
exit 1
