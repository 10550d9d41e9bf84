// copydesk for VS Code: starts `copydesk lsp` and keeps its settings in sync.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

const SECTION = 'copydesk';
const INSTALL_HINT =
  'Install it with "cargo install --path ." from the copydesk repository, or set "copydesk.server.path" to the copydesk executable.';

let client: LanguageClient | undefined;
/** A log channel (vscode-languageclient 10+ logs and traces through one). */
let output: vscode.LogOutputChannel | undefined;
/** Serialises start/stop/restart so that quick setting changes cannot interleave. */
let queue: Promise<unknown> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): void {
  output = vscode.window.createOutputChannel('copydesk', { log: true });
  context.subscriptions.push(output);

  context.subscriptions.push(
    vscode.commands.registerCommand('copydesk.restartServer', () => enqueue(() => restart(context))),
    vscode.commands.registerCommand('copydesk.showOutput', () => output?.show(true)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      if (e.affectsConfiguration(`${SECTION}.server.path`)) {
        log('copydesk.server.path changed: restarting the server');
        void enqueue(() => restart(context));
      } else if (client?.isRunning()) {
        void client
          .sendNotification(DidChangeConfigurationNotification.type, {
            settings: { [SECTION]: serverSettings() },
          })
          .catch((err) => log(`didChangeConfiguration failed: ${String(err)}`));
      }
    }),
    { dispose: () => void stopClient() },
  );

  void enqueue(() => start(context));
}

export function deactivate(): Thenable<void> | undefined {
  return stopClient();
}

function enqueue<T>(job: () => Promise<T>): Promise<T> {
  const next = queue.then(job, job);
  queue = next.catch(() => undefined);
  return next;
}

function log(message: string): void {
  output?.info(message); // the log channel adds the time
}

// ------------------------------------------------------------------ settings

/** Rule codes the server knows (also listed in package.json's schema). */
export const RULE_CODES = [
  'unattributed-quote',
  'unclosed-quote',
  'vague-attribution',
  'inconsistent-spelling',
  'nonstandard-spelling',
  'undated-relative-date',
  'undated-claim',
  'weekday-date-mismatch',
] as const;

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint']);

interface RuleSetting {
  enabled?: boolean;
  severity?: string;
}

export interface ServerSettings {
  rules: Record<string, RuleSetting>;
  inlayHints: { speakers: boolean; dates: boolean };
  configFile?: string;
  dateline: string;
  maxTypingSize: number;
}

/** The object sent as initializationOptions and in workspace/didChangeConfiguration. */
export function serverSettings(scope?: vscode.ConfigurationScope): ServerSettings {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const rules: Record<string, RuleSetting> = {};
  const raw = cfg.get<Record<string, unknown>>('rules') ?? {};
  for (const [code, value] of Object.entries(raw)) {
    if (!value || typeof value !== 'object') continue;
    const v = value as Record<string, unknown>;
    const rule: RuleSetting = {};
    if (typeof v.enabled === 'boolean') rule.enabled = v.enabled;
    if (typeof v.severity === 'string' && SEVERITIES.has(v.severity)) rule.severity = v.severity;
    rules[code] = rule;
  }
  const settings: ServerSettings = {
    rules,
    inlayHints: {
      speakers: cfg.get<boolean>('inlayHints.speakers', true),
      dates: cfg.get<boolean>('inlayHints.dates', true),
    },
    dateline: (cfg.get<string>('dateline') ?? '').trim(),
    maxTypingSize: Math.max(0, Math.floor(cfg.get<number>('maxTypingSize', 1000000))),
  };
  const configFile = (cfg.get<string>('configFile') ?? '').trim();
  if (configFile) settings.configFile = resolvePath(configFile);
  return settings;
}

/** Expands `~` and `${workspaceFolder}`; resolves relative paths against the first workspace folder. */
function resolvePath(p: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  let out = p.replace(/\$\{workspaceFolder\}/g, folder ?? '');
  if (out === '~' || out.startsWith('~/') || out.startsWith('~\\')) out = path.join(os.homedir(), out.slice(1));
  if (!path.isAbsolute(out) && folder) out = path.join(folder, out);
  return out;
}

// ------------------------------------------------------------------ server discovery

type Found = { command: string; how: string } | { error: string };

function isExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  const exts =
    process.platform === 'win32'
      ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((e) => e.toLowerCase())]
      : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** `copydesk.server.path`, else the binary shipped in the extension, else `copydesk` on PATH. */
export function findServer(extensionPath: string): Found {
  const configured = (vscode.workspace.getConfiguration(SECTION).get<string>('server.path') ?? '').trim();
  if (configured) {
    const p = resolvePath(configured);
    if (isExecutable(p)) return { command: p, how: 'copydesk.server.path' };
    return { error: `copydesk.server.path is set to "${configured}", but no executable file is there.` };
  }
  const exe = process.platform === 'win32' ? 'copydesk.exe' : 'copydesk';
  const bundled = path.join(extensionPath, 'server', exe);
  if (isExecutable(bundled)) return { command: bundled, how: 'shipped with the extension' };
  const onPath = findOnPath('copydesk');
  if (onPath) return { command: onPath, how: 'found on PATH' };
  return { error: 'The copydesk language server was not found (no copydesk.server.path setting, no bundled server, no copydesk on PATH).' };
}

// ------------------------------------------------------------------ client lifecycle

async function start(context: vscode.ExtensionContext): Promise<void> {
  const found = findServer(context.extensionPath);
  if ('error' in found) {
    log(found.error);
    void vscode.window
      .showErrorMessage(`copydesk: ${found.error} ${INSTALL_HINT}`, 'Open Setting', 'Show Output')
      .then((choice) => {
        if (choice === 'Open Setting') {
          void vscode.commands.executeCommand('workbench.action.openSettings', 'copydesk.server.path');
        } else if (choice === 'Show Output') {
          output?.show(true);
        }
      });
    return;
  }
  log(`starting ${found.command} lsp (${found.how})`);

  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const serverOptions: ServerOptions = {
    command: found.command,
    // No `transport`: TransportKind.stdio would append `--stdio`, which `copydesk lsp` rejects.
    args: ['lsp'],
    options: cwd ? { cwd } : undefined,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'file', language: 'plaintext' },
      { scheme: 'untitled', language: 'markdown' },
      { scheme: 'untitled', language: 'plaintext' },
    ],
    initializationOptions: serverSettings(),
    outputChannel: output,
    traceOutputChannel: output,
    middleware: {
      workspace: {
        // A server that pulls settings gets the same normalised object as initializationOptions.
        configuration: async (params, token, next) => {
          const answer = await next(params, token);
          if (!Array.isArray(answer)) return answer;
          return params.items.map((item, i) => {
            if (item.section !== SECTION) return answer[i];
            const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
            return serverSettings(scope);
          });
        },
      },
    },
  };

  const c = new LanguageClient('copydesk', 'copydesk', serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
    const info = c.initializeResult?.serverInfo;
    log(`server running${info ? `: ${info.name} ${info.version ?? ''}` : ''}`);
  } catch (err) {
    log(`the server failed to start: ${String(err)}`);
    void vscode.window
      .showErrorMessage(`copydesk: the server (${found.command}) failed to start: ${String(err)}`, 'Show Output', 'Open Setting')
      .then((choice) => {
        if (choice === 'Show Output') output?.show(true);
        else if (choice === 'Open Setting')
          void vscode.commands.executeCommand('workbench.action.openSettings', 'copydesk.server.path');
      });
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (!c) return;
  try {
    if (c.isRunning()) await c.stop(5000);
    else await c.dispose();
  } catch (err) {
    log(`stopping the server: ${String(err)}`);
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await stopClient();
  await start(context);
}
