// Usage: node --experimental-websocket cdp-screenshot.js CDP_PORT OUT.png
// Captures the VS Code workbench page of a headless Chromium started with
// --remote-debugging-port=CDP_PORT, through the DevTools protocol (no extra packages).
'use strict';
const fs = require('fs');
const [port, out] = process.argv.slice(2);

async function main() {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const page = targets.find((t) => t.type === 'page' && /^http:\/\/127\.0\.0\.1/.test(t.url));
  if (!page) throw new Error(`no workbench page among ${JSON.stringify(targets.map((t) => t.url))}`);
  const ws = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  let id = 0;
  const pending = new Map();
  ws.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); }
  };
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    const n = ++id;
    pending.set(n, (msg) => (msg.error ? reject(new Error(`${method}: ${msg.error.message}`)) : resolve(msg.result)));
    ws.send(JSON.stringify({ id: n, method, params }));
  });
  const shot = await send('Page.captureScreenshot', { format: 'png' });
  fs.writeFileSync(out, Buffer.from(shot.data, 'base64'));
  ws.close();
}

const timer = setTimeout(() => { console.error('screenshot timed out'); process.exit(1); }, 20000);
main().then(() => { clearTimeout(timer); process.exit(0); }, (err) => { console.error(err.message || err); process.exit(1); });
