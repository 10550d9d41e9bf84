// Test-only companion extension for tests/e2e/vscode.sh.
// Runs inside the real VS Code extension host (code-server) next to the copydesk
// extension, drives it only through the public vscode API, and writes what it
// observed to $COPYDESK_E2E_RESULT as JSON: {"ok": bool, "done": true, "steps": [...]}.
'use strict';
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const RESULT = process.env.COPYDESK_E2E_RESULT;
const FILE = process.env.COPYDESK_E2E_FILE;
const MODE = process.env.COPYDESK_E2E_MODE || 'test';
const QUOTES = process.env.COPYDESK_E2E_QUOTES;
const EXTENSION_ID = 'copydesk.copydesk';

const t0 = Date.now();
const result = { ok: false, done: false, mode: MODE, vscodeVersion: vscode.version, steps: [] };

function save() {
  if (!RESULT) return;
  const tmp = `${RESULT}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(result, null, 2));
  fs.renameSync(tmp, RESULT);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function poll(what, timeoutMs, fn, intervalMs = 250) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

async function step(name, fn) {
  const start = Date.now();
  const entry = { name, ok: false };
  result.steps.push(entry);
  save();
  try {
    const detail = await fn();
    entry.ok = true;
    if (detail !== undefined) entry.detail = detail;
    return detail;
  } catch (err) {
    entry.error = err && err.message ? err.message : String(err);
    throw err;
  } finally {
    entry.ms = Date.now() - start;
    save();
  }
}

const codeOf = (d) => (d.code && typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code));
const rangeJson = (r) => ({ start: [r.start.line, r.start.character], end: [r.end.line, r.end.character] });

function hoverText(hovers) {
  const parts = [];
  for (const h of hovers || []) {
    for (const c of h.contents || []) {
      if (typeof c === 'string') parts.push(c);
      else if (c && typeof c.value === 'string') parts.push(c.value);
    }
  }
  return parts.join('\n---\n');
}

function copydeskDiagnostics(uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'copydesk');
}

async function run() {
  if (!FILE) throw new Error('COPYDESK_E2E_FILE is not set');
  const uri = vscode.Uri.file(FILE);

  await step('copydesk extension installed', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed`);
    return { id: ext.id, version: ext.packageJSON.version, activationEvents: ext.packageJSON.activationEvents };
  });

  let doc, editor, original;
  await step('open the seed story', async () => {
    doc = await vscode.workspace.openTextDocument(uri);
    editor = await vscode.window.showTextDocument(doc, { preview: false });
    original = doc.getText();
    return { file: path.basename(FILE), languageId: doc.languageId, lines: doc.lineCount };
  });
  result.languageId = doc.languageId;

  await step('copydesk extension activated (onLanguage)', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    await poll('activation', 30000, () => ext.isActive);
    return { languageId: doc.languageId };
  });

  const diags = await step('diagnostics with source "copydesk"', async () => {
    // Wait for the first copydesk diagnostics, then a moment for the set to settle.
    await poll('copydesk diagnostics', 30000, () => copydeskDiagnostics(uri).length > 0);
    await sleep(500);
    const ds = copydeskDiagnostics(uri);
    const byCode = {};
    for (const d of ds) byCode[codeOf(d)] = (byCode[codeOf(d)] || 0) + 1;
    return {
      count: ds.length,
      byCode,
      sample: ds.slice(0, 12).map((d) => ({
        code: codeOf(d),
        severity: ['error', 'warning', 'information', 'hint'][d.severity],
        text: doc.getText(d.range),
        range: rangeJson(d.range),
        message: d.message,
      })),
    };
  });

  let kievDiag;
  await step('a diagnostic on "Kiev"', async () => {
    const ds = copydeskDiagnostics(uri).filter((d) => doc.getText(d.range) === 'Kiev');
    const d = ds.find((x) => codeOf(x) === 'inconsistent-spelling') || ds[0];
    if (!d) throw new Error(`no copydesk diagnostic covers exactly "Kiev"; codes seen: ${JSON.stringify(diags.byCode)}`);
    if (codeOf(d) !== 'inconsistent-spelling') throw new Error(`the "Kiev" diagnostic has code ${codeOf(d)}, expected inconsistent-spelling`);
    kievDiag = d;
    return { code: codeOf(d), range: rangeJson(d.range), message: d.message, kievDiagnostics: ds.length };
  });

  const stoltenberg = doc.positionAt(doc.getText().indexOf('Stoltenberg') + 3);
  await step('hover on "Stoltenberg" mentions NATO', async () => {
    let text = '';
    await poll('a hover mentioning NATO', 10000, async () => {
      const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, stoltenberg);
      text = hoverText(hovers);
      return /NATO/.test(text);
    }, 500).catch((err) => {
      throw new Error(`${err.message}; last hover text: ${JSON.stringify(text)}`);
    });
    return { position: [stoltenberg.line, stoltenberg.character], text };
  });

  await step('quickfix on "Kiev" rewrites it to "Kyiv"', async () => {
    const range = kievDiag.range;
    const actions = (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, range, undefined, 50)) || [];
    const listed = actions.map((a) => ({ title: a.title, kind: a.kind && a.kind.value, hasEdit: !!a.edit, command: a.command && (a.command.command || a.command) }));
    const quickfixes = actions.filter((a) => a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind));
    if (quickfixes.length === 0) throw new Error(`no quickfix code action for the "Kiev" diagnostic; got ${JSON.stringify(listed)}`);
    const fix = quickfixes.find((a) => /Kyiv/.test(a.title)) || quickfixes[0];
    const before = doc.getText();
    let applied;
    if (fix.edit) applied = await vscode.workspace.applyEdit(fix.edit);
    if (fix.command) {
      await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments || []));
      applied = applied !== false;
    }
    if (!applied) throw new Error(`applying "${fix.title}" failed (edit: ${!!fix.edit}, command: ${!!fix.command})`);
    const at = doc.getText(new vscode.Range(range.start, range.start.translate(0, 4)));
    const count = (s, w) => s.split(w).length - 1;
    const after = doc.getText();
    const detail = {
      actions: listed,
      applied: fix.title,
      textAtRangeAfter: at,
      kievBefore: count(before, 'Kiev'),
      kievAfter: count(after, 'Kiev'),
      kyivBefore: count(before, 'Kyiv'),
      kyivAfter: count(after, 'Kyiv'),
    };
    if (at !== 'Kyiv') throw new Error(`after the fix the text at the range is ${JSON.stringify(at)}, expected "Kyiv": ${JSON.stringify(detail)}`);
    return detail;
  });

  if (QUOTES) {
    // The attribution fix as a snippet: vscode-languageclient declares snippetEditSupport,
    // the server answers with a SnippetTextEdit, and VS Code starts a snippet session.
    await step('attribution quick fix inserts a snippet: SPEAKER selected, Tab past "said"', async () => {
      const quri = vscode.Uri.file(QUOTES);
      const qdoc = await vscode.workspace.openTextDocument(quri);
      const qeditor = await vscode.window.showTextDocument(qdoc, { preview: false });
      const unattributed = () => copydeskDiagnostics(quri).filter((d) => codeOf(d) === 'unattributed-quote');
      const first = () => unattributed().find((d) => qdoc.getText(d.range).startsWith('Nobody asked us'));
      await poll('an unattributed-quote diagnostic on "Nobody asked us"', 30000, () => first());
      const d = first();
      const actions = (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', quri, d.range, undefined, 50)) || [];
      const fix = actions.find((a) => a.title === 'Add an attribution after the quotation');
      if (!fix || !fix.edit) throw new Error(`no attribution fix with an edit; got ${JSON.stringify(actions.map((a) => a.title))}`);
      if (fix.command) throw new Error(`the fix carries a command as well: ${JSON.stringify(fix.command)}`);
      const line = d.range.start.line;
      const before = qdoc.lineAt(line).text;
      if (!(await vscode.workspace.applyEdit(fix.edit))) throw new Error('applyEdit returned false');
      const inserted = '“Nobody asked us what we wanted before the vote.” SPEAKER said The council meets again in May.';
      await poll('the inserted attribution', 5000, () => qdoc.lineAt(line).text === inserted).catch((err) => {
        throw new Error(`${err.message}: line is ${JSON.stringify(qdoc.lineAt(line).text)}`);
      });
      // the placeholder comes selected
      const at = before.indexOf(' The council') + 1;
      const speaker = new vscode.Range(line, at, line, at + 'SPEAKER'.length);
      await poll('SPEAKER selected', 5000, () => qeditor.selection.isEqual(speaker)).catch((err) => {
        throw new Error(`${err.message}: selection ${JSON.stringify(rangeJson(qeditor.selection))}, text ${JSON.stringify(qdoc.getText(qeditor.selection))}`);
      });
      const selected = qdoc.getText(qeditor.selection);
      // typing replaces it; the next tab stop is the end of the inserted words
      await vscode.commands.executeCommand('type', { text: 'Ana Ruiz' });
      await vscode.commands.executeCommand('jumpToNextSnippetPlaceholder');
      const typed = '“Nobody asked us what we wanted before the vote.” Ana Ruiz said';
      const end = new vscode.Position(line, typed.length);
      await poll('the name typed and the cursor after "said"', 5000, () =>
        qdoc.lineAt(line).text === `${typed} The council meets again in May.` &&
        qeditor.selection.isEmpty && qeditor.selection.active.isEqual(end)).catch((err) => {
        throw new Error(`${err.message}: line ${JSON.stringify(qdoc.lineAt(line).text)}, selection ${JSON.stringify(rangeJson(qeditor.selection))}`);
      });
      await vscode.commands.executeCommand('leaveSnippet');
      // the server re-checks the story: that quotation now has a speaker
      await poll('the unattributed-quote diagnostic gone', 15000, () => !first() && unattributed().length > 0);
      return { selected, after: qdoc.lineAt(line).text, cursor: [end.line, end.character] };
    });
  }

  const cfg = () => vscode.workspace.getConfiguration('copydesk');
  const spelling = () => copydeskDiagnostics(uri).filter((d) => codeOf(d) === 'inconsistent-spelling');
  await step('settings apply live: copydesk.rules disables, then re-severities a rule', async () => {
    const before = spelling().length;
    await cfg().update('rules', { 'inconsistent-spelling': { enabled: false } }, vscode.ConfigurationTarget.Workspace);
    await poll('inconsistent-spelling to disappear after disabling it', 10000, () => spelling().length === 0)
      .catch((err) => { throw new Error(`${err.message} (still ${spelling().length}, other copydesk diagnostics: ${copydeskDiagnostics(uri).length})`); });
    await cfg().update('rules', { 'inconsistent-spelling': { enabled: true, severity: 'error' } }, vscode.ConfigurationTarget.Workspace);
    await poll('inconsistent-spelling back with severity error', 10000, () =>
      spelling().length > 0 && spelling().every((d) => d.severity === vscode.DiagnosticSeverity.Error));
    const after = spelling().length;
    await cfg().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await poll('default severity again', 10000, () =>
      spelling().length > 0 && spelling().every((d) => d.severity !== vscode.DiagnosticSeverity.Error));
    return { before, whileDisabled: 0, withSeverityError: after };
  });

  await step('copydesk.restartServer restarts and diagnostics return', async () => {
    await vscode.commands.executeCommand('copydesk.restartServer');
    await poll('copydesk diagnostics after restart', 30000, () => copydeskDiagnostics(uri).length > 0);
    return { count: copydeskDiagnostics(uri).length };
  });

  if (MODE === 'screenshot') {
    await step('arrange the workbench for the screenshot', async () => {
      // Back to the story as written (undo the quick fix), so all its diagnostics are there.
      const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
      const restore = new vscode.WorkspaceEdit();
      restore.replace(uri, whole, original);
      if (!(await vscode.workspace.applyEdit(restore))) throw new Error('could not restore the story');
      await doc.save();
      await poll(`${diags.count} copydesk diagnostics again`, 15000, () =>
        copydeskDiagnostics(uri).length === diags.count &&
        copydeskDiagnostics(uri).some((d) => d.range.isEqual(kievDiag.range)));
      await vscode.commands.executeCommand('workbench.action.closeSidebar');
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      await sleep(500);
      await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: false });
      // "Stoltenberg told DPA" (line 19): its hover opens above, leaving the "Kiev" squiggles below in view.
      const at = doc.positionAt(doc.getText().indexOf('Stoltenberg told') + 3);
      editor.selection = new vscode.Selection(at, at);
      editor.revealRange(new vscode.Range(at.translate(4, 0), at.translate(4, 0)), vscode.TextEditorRevealType.InCenter);
      await sleep(300);
      await vscode.commands.executeCommand('editor.action.showHover');
      await sleep(2000);
      return { cursor: [at.line, at.character] };
    });
  }
}

function activate() {
  if (!RESULT) return; // inert unless run by tests/e2e/vscode.sh
  save();
  run()
    .then(() => {
      result.ok = result.steps.every((s) => s.ok);
    })
    .catch((err) => {
      result.ok = false;
      result.error = err && err.message ? err.message : String(err);
    })
    .finally(() => {
      result.totalMs = Date.now() - t0;
      result.done = true;
      save();
    });
}

module.exports = { activate, deactivate() {} };
