//! The language server: a thin adapter that keeps documents in sync, runs `analyze`
//! off the message loop, and converts reports to LSP.
//!
//! Ordering: tower-lsp runs handlers concurrently (upstream issue #284), which can
//! apply `didChange` notifications out of order. We serve with a concurrency level
//! of 1, so handlers run strictly in arrival order; every handler is short because
//! analysis runs on a worker thread, never on the message loop.

mod convert;
mod features;
mod framing;
mod output;
mod snippet;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use ropey::Rope;
use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::analyze::{Memo, Options, RuleSetting};
use crate::config;
use crate::lock;
use crate::position::{Encoding, LineCol, LineIndex, rope_offset};
use crate::report::{Report, Severity};
use crate::text::Format;

/// One analysed version of a document.
pub struct Analysis {
    pub version: i32,
    /// The server's own revision counter (client versions may repeat or go backwards).
    pub rev: u64,
    pub text: Arc<str>,
    pub index: LineIndex,
    pub report: Report,
    pub options: Options,
}

/// The `publishDiagnostics` notification, as the server writes it (public for the
/// benchmark of this keystroke-path step: `cargo bench --bench analyze -- publish`).
pub use features::{Published, publish_body};

/// Above this size, requests answer from the last analysis instead of waiting.
const INLINE_ANALYSIS_LIMIT: usize = 256 * 1024;

struct Doc {
    rope: Rope,
    version: i32,
    rev: u64,
    format: Format,
    analysis: Option<Arc<Analysis>>,
    /// Over the typing limit and edited since its last analysis: analysed again on save.
    deferred: bool,
    /// The user has been told this document is over the typing limit.
    warned: bool,
    /// The edits since the stored analysis, in order, so that a request can be
    /// answered from that analysis while the newest version is being analysed.
    edits: EditLog,
    /// The revision whose diagnostics the worker last published: each is published
    /// once, though the worker may be asked for it again (a close and a reopen).
    published: Option<u64>,
    /// When the last change arrived (for the `COPYDESK_TIMING` log).
    changed: std::time::Instant,
}

/// One edit of a document, in byte offsets of the text it was applied to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Edit {
    /// The server revision the edit produced.
    rev: u64,
    start: usize,
    removed: usize,
    inserted: usize,
}

/// The edits since the stored analysis.
#[derive(Clone, Debug, Default)]
struct EditLog {
    edits: Vec<Edit>,
    /// The last revision that replaced the whole text: no edit before it maps.
    whole: u64,
}

impl EditLog {
    fn push(&mut self, e: Edit) {
        // a document long unanalysed (over the typing limit) does not grow its log
        // without bound: past this many edits, requests wait for an analysis instead
        if self.edits.len() >= 4096 {
            self.replaced(e.rev);
            return;
        }
        self.edits.push(e);
    }

    fn replaced(&mut self, rev: u64) {
        self.edits.clear();
        self.whole = rev;
    }

    /// Forget the edits an analysis of revision `rev` already has.
    fn analysed(&mut self, rev: u64) {
        self.edits.retain(|e| e.rev > rev);
    }

    /// The edits after revision `rev`, if they can all be mapped.
    fn since(&self, rev: u64) -> Option<Vec<Edit>> {
        (self.whole <= rev).then(|| self.edits.iter().copied().filter(|e| e.rev > rev).collect())
    }
}

/// An offset in the newest text, in the text before `edits`: `None` inside text the
/// edits inserted.
fn offset_before(edits: &[Edit], mut at: usize) -> Option<usize> {
    for e in edits.iter().rev() {
        if at >= e.start + e.inserted {
            at = at - e.inserted + e.removed;
        } else if at > e.start {
            return None;
        }
    }
    Some(at)
}

/// An offset in the text before `edits`, in the newest text: `None` inside text the
/// edits removed. Where text was inserted at the offset itself, `right` puts the
/// offset after it (the start of a range: "X |Kyiv") or before it (an end: "Kyiv| X").
fn offset_after(edits: &[Edit], mut at: usize, right: bool) -> Option<usize> {
    for e in edits {
        if at >= e.start + e.removed && (e.removed > 0 || at > e.start || right) {
            at = at + e.inserted - e.removed;
        } else if at > e.start {
            return None;
        }
    }
    Some(at)
}

/// Documents larger than this are analysed when opened and saved, not at every
/// change (`maxTypingSize`; analysis runs at a few MB/s, so a 10 MB story would
/// take seconds per keystroke). The user is told once per document.
const DEFAULT_TYPING_LIMIT: usize = 1_000_000;

/// Settings from the client (initializationOptions, didChangeConfiguration).
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub rules: HashMap<String, RuleSetting>,
    pub speaker_hints: bool,
    pub date_hints: bool,
    pub config_file: Option<PathBuf>,
    pub dateline: Option<jiff::civil::Date>,
    /// `maxTypingSize` in bytes; `Some(0)` means no limit.
    pub max_typing_size: Option<usize>,
}

impl Settings {
    fn from_json(v: &Value) -> Settings {
        let v = v.get("copydesk").unwrap_or(v);
        let mut s = Settings {
            speaker_hints: true,
            date_hints: true,
            ..Default::default()
        };
        if let Some(rules) = v.get("rules").and_then(Value::as_object) {
            for (code, r) in rules {
                let enabled = r.get("enabled").and_then(Value::as_bool);
                let severity = r
                    .get("severity")
                    .and_then(Value::as_str)
                    .and_then(Severity::parse);
                s.rules
                    .insert(code.clone(), RuleSetting { enabled, severity });
            }
        }
        if let Some(h) = v.get("inlayHints") {
            s.speaker_hints = h.get("speakers").and_then(Value::as_bool).unwrap_or(true);
            s.date_hints = h.get("dates").and_then(Value::as_bool).unwrap_or(true);
        }
        s.config_file = v
            .get("configFile")
            .and_then(Value::as_str)
            .filter(|p| !p.is_empty())
            .map(PathBuf::from);
        s.dateline = v
            .get("dateline")
            .and_then(Value::as_str)
            .and_then(|d| d.parse().ok());
        s.max_typing_size = v
            .get("maxTypingSize")
            .and_then(Value::as_u64)
            .map(|n| n as usize);
        s
    }

    fn typing_limit(&self) -> usize {
        match self.max_typing_size {
            Some(0) => usize::MAX,
            Some(n) => n,
            None => DEFAULT_TYPING_LIMIT,
        }
    }
}

struct State {
    docs: Mutex<HashMap<Uri, Doc>>,
    encoding: Mutex<Encoding>,
    /// How the client takes a fix with a placeholder (from `initialize`; see `snippet`).
    snippets: Mutex<snippet::Support>,
    settings: Mutex<Settings>,
    /// Loaded configuration files, reloaded when they change on disk.
    configs: Mutex<HashMap<PathBuf, (Option<std::time::SystemTime>, config::Loaded)>>,
    jobs: Mutex<mpsc::Sender<Uri>>,
    /// A panic was caught and not yet shown to the user.
    panicked: AtomicBool,
    /// A panic has been shown once already (later ones are only logged).
    panic_shown: AtomicBool,
    /// Fault injection for the reliability tests: `COPYDESK_FAULT=<point>` makes the
    /// server panic on purpose at that point (`analyze`, `diagnostics`, or a request
    /// such as `hover`), to show that the panic is caught and the server carries on.
    fault: Option<String>,
    /// For the reliability tests: `COPYDESK_DELAY_ANALYSIS=<ms>` makes the worker
    /// wait that long before each analysis, so that a test can send requests while
    /// a version is still being analysed.
    delay: Option<std::time::Duration>,
    /// `COPYDESK_TIMING=1`: log each publish's analysis, conversion and hand-over
    /// times to stderr (for the benchmarks).
    timing: bool,
    /// What the last analysis kept (`Memo`: text-model pieces, each paragraph's
    /// dates, findings and quotation kinds), and the document it is of: the next
    /// analysis of that document redoes only the paragraphs that changed.
    memo: Mutex<Option<(Uri, Memo)>>,
    /// Analyses replaced by newer ones, freed by the worker once it has published
    /// (`release_retired`): freeing one (thousands of findings, mentions and dates,
    /// cold in memory after a pause) is work the diagnostics need not wait for.
    retired: Mutex<Vec<Arc<Analysis>>>,
    /// What analyses replaced of the memo (`crate::Retired`), freed with them.
    replaced: Mutex<Vec<crate::Retired>>,
    /// Each document's options, reused while typing (`options_for`).
    options: Mutex<OptionsCache>,
    /// Where the worker writes its diagnostics (`output`).
    output: Arc<output::Output>,
}

/// Run `f`, catching a panic: it is logged (the panic hook writes it to stderr, the
/// server's log) and flagged for `report_panic`, and `None` comes back.
fn guarded<T>(state: &State, what: &str, f: impl FnOnce() -> T) -> Option<T> {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if state.fault.as_deref() == Some(what) {
            panic!("COPYDESK_FAULT={what}: a panic injected on purpose");
        }
        f()
    }));
    match result {
        Ok(v) => Some(v),
        Err(_) => {
            eprintln!("copydesk: internal error in {what} caught; the server carries on");
            state.panicked.store(true, Ordering::SeqCst);
            None
        }
    }
}

/// Show the first caught panic once with `window/showMessage`; log every one.
async fn report_panic(client: &Client, state: &State) {
    if state.panicked.swap(false, Ordering::SeqCst) {
        client
            .log_message(
                MessageType::ERROR,
                "copydesk caught an internal error (details in the server's stderr log) and carries on",
            )
            .await;
        if !state.panic_shown.swap(true, Ordering::SeqCst) {
            client
                .show_message(MessageType::ERROR, "copydesk hit an internal error; it carries on. Please report the document and what you did (the details are in the copydesk server log).")
                .await;
        }
    }
}

pub struct Backend {
    client: Client,
    state: Arc<State>,
}

/// Start the server on stdin/stdout and run until `exit`.
pub fn run() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime");
    output::enlarge_stdout_pipe();
    let output = output::Output::new(Box::new(std::io::stdout()));
    let (sink, writer) = output.sink();
    rt.block_on(async {
        let (tx, rx) = mpsc::channel::<Uri>();
        let state = Arc::new(State {
            docs: Mutex::new(HashMap::new()),
            encoding: Mutex::new(Encoding::Utf16),
            snippets: Mutex::new(snippet::Support::Plain),
            settings: Mutex::new(Settings {
                speaker_hints: true,
                date_hints: true,
                ..Default::default()
            }),
            configs: Mutex::new(HashMap::new()),
            jobs: Mutex::new(tx),
            panicked: AtomicBool::new(false),
            panic_shown: AtomicBool::new(false),
            fault: std::env::var("COPYDESK_FAULT")
                .ok()
                .filter(|f| !f.is_empty()),
            delay: std::env::var("COPYDESK_DELAY_ANALYSIS")
                .ok()
                .and_then(|ms| ms.parse().ok())
                .map(std::time::Duration::from_millis),
            timing: std::env::var_os("COPYDESK_TIMING").is_some_and(|v| v != "0"),
            memo: Mutex::new(None),
            retired: Mutex::new(Vec::new()),
            replaced: Mutex::new(Vec::new()),
            options: Mutex::new(OptionsCache::default()),
            output,
        });
        let (service, socket) = LspService::new(|client| {
            spawn_worker(
                client.clone(),
                state.clone(),
                rx,
                tokio::runtime::Handle::current(),
            );
            Backend {
                client,
                state: state.clone(),
            }
        });
        // while the client starts up, one thread loads the knowledge base and then
        // compiles the largest of the rules' regular expressions, and another compiles
        // the others by analysing short stories against an empty knowledge base
        // (`analyze::warm_up`): all of it would otherwise fall on the first
        // document's diagnostics. The search caches it fills pass to the threads
        // that analyse (`pattern`). The worker stays free, so a document opened at
        // once starts its analysis at once (it waits only for a pattern or the
        // knowledge base it needs that is not ready).
        // (The warm-up on the worker's own thread, tried in session 3, was no faster.)
        std::thread::spawn(|| {
            crate::kb::KnowledgeBase::embedded();
            crate::rules::vague_attribution::warm_up();
        });
        std::thread::spawn(|| {
            let _ = std::panic::catch_unwind(crate::warm_up);
            // the long stories' second thread (`parallel`), started before one opens
            crate::parallel::start_helper();
        });
        // reads the client's snippet support, writes snippet edits (see `snippet`)
        let service = snippet::Capture::new(service, state.clone());
        let (guarded, feed) = tokio::io::duplex(1 << 16);
        tokio::spawn(framing::guard(tokio::io::stdin(), feed));
        Server::new(guarded, sink, socket)
            .concurrency_level(1)
            .serve(service)
            .await;
    });
    // stdin's reader may still be blocked in a read; do not wait for it
    rt.shutdown_background();
    // what tower-lsp-server wrote last goes out, unless the client stopped reading
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = writer.join();
        let _ = done.send(());
    });
    let _ = finished.recv_timeout(std::time::Duration::from_secs(1));
}

/// The `COPYDESK_TIMING` log: each step's time, from its start to the next one's
/// (the last one's to now), in milliseconds.
fn log_times(prefix: &str, steps: [(&str, std::time::Instant); 3]) {
    let now = std::time::Instant::now();
    let parts: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, (name, start))| {
            let end = steps.get(i + 1).map_or(now, |s| s.1);
            format!("{name} {:.3} ms", (end - *start).as_secs_f64() * 1e3)
        })
        .collect();
    eprintln!("copydesk timing: {prefix}{}", parts.join(", "));
}

/// The analysis worker: newest version only, published only if still newest.
fn spawn_worker(
    client: Client,
    state: Arc<State>,
    rx: mpsc::Receiver<Uri>,
    handle: tokio::runtime::Handle,
) {
    std::thread::spawn(move || {
        // the last publish, for the next of the same document to copy from
        let mut published: Option<Published> = None;
        loop {
            // idle for a moment: fill the memo of a document just opened, so that its
            // first typed change finds its paragraphs kept (`warm_memo`)
            let first = match rx.recv_timeout(WARM_AFTER) {
                Ok(u) => u,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    warm_memo(&state);
                    match rx.recv() {
                        Ok(u) => u,
                        Err(_) => break,
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            let mut pending = vec![first];
            while let Ok(u) = rx.try_recv() {
                if !pending.contains(&u) {
                    pending.push(u);
                }
            }
            for uri in pending {
                if let Some(d) = state.delay {
                    std::thread::sleep(d);
                }
                let t0 = std::time::Instant::now();
                let Some((analysis, enc)) = analyze_now(&state, &uri) else {
                    // a document closed: its diagnostics cleared, after any this
                    // worker published of it
                    if !lock(&state.docs).contains_key(&uri) {
                        if published.as_ref().is_some_and(|p| p.uri() == &uri) {
                            published = None;
                        }
                        publish(&state, uri, Vec::new(), None);
                    }
                    release_retired(&state);
                    continue;
                };
                // published once (a request may have analysed it first)
                let unpublished = match lock(&state.docs).get_mut(&uri) {
                    Some(d) if d.published != Some(analysis.rev) => {
                        d.published = Some(analysis.rev);
                        true
                    }
                    _ => false,
                };
                if !unpublished {
                    release_retired(&state);
                    continue;
                }
                let t1 = std::time::Instant::now();
                let version = analysis.version;
                // serialized straight from the report, copying what the edit left
                // as it was from the document's last publish (`publish_body`)
                let body = guarded(&state, "diagnostics", || {
                    publish_body(&uri, &analysis, enc, published.as_ref())
                });
                let mut last = None;
                if let Some(Ok(body)) = body {
                    let t2 = std::time::Instant::now();
                    // (a client that stopped reading is gone: nothing to tell it)
                    let _ = state.output.frame(body.body());
                    if state.timing {
                        log_times(
                            &format!("v{version} "),
                            [("analysis", t0), ("diagnostics", t1), ("publish", t2)],
                        );
                    }
                    last = published.replace(body);
                }
                // the analyses this one replaced are freed now that it is out
                let t3 = std::time::Instant::now();
                let freed = usize::from(last.take().is_some()) + release_retired(&state);
                if freed > 0 && state.timing {
                    let ms = t3.elapsed().as_secs_f64() * 1e3;
                    eprintln!(
                        "copydesk timing: v{version} released the last analysis after publishing: {ms:.3} ms"
                    );
                }
                handle.block_on(report_panic(&client, &state));
            }
        }
    });
}

/// Free the analyses that newer ones replaced (`State::retired`); how many.
fn release_retired(state: &State) -> usize {
    let retired = std::mem::take(&mut *lock(&state.retired));
    let n = retired.len();
    drop(retired);
    drop(std::mem::take(&mut *lock(&state.replaced)));
    n
}

/// Publish a document's diagnostics from LSP values (now only to clear a closed
/// document's; an analysis's are serialized straight from its report, in the
/// worker): written out by the worker itself (`output`).
fn publish(state: &State, uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
    let params = PublishDiagnosticsParams {
        uri,
        diagnostics,
        version,
    };
    // (a client that stopped reading is gone: nothing to tell it)
    let _ = state
        .output
        .notify("textDocument/publishDiagnostics", &params);
}

/// How long the worker waits idle before it fills the memo of a document just
/// opened: longer than between the documents an editor opens at once, shorter than
/// a writer takes to start typing.
const WARM_AFTER: std::time::Duration = std::time::Duration::from_millis(100);

/// Fill the memo of the document analysed last if it is still empty (the document
/// was just opened: its first analysis is a plain one, on two threads, to publish
/// soonest). Without this, the first typed change would fill it, at two to three
/// times the cost of the changes after it. The memo holds results by content, so it
/// serves whatever the text has become since.
fn warm_memo(state: &State) {
    let Some((uri, mut memo)) = lock(&state.memo).take() else {
        return;
    };
    let current = if memo.is_empty() {
        let docs = lock(&state.docs);
        docs.get(&uri).map(|d| (String::from(&d.rope), d.format))
    } else {
        None
    };
    if let Some((text, format)) = current {
        let options = options_for(state, &uri, format);
        let _ = guarded(state, "analyze", || {
            crate::analyze_with_memo(&text, &options, &mut memo)
        });
    }
    // put back unless the document was closed meanwhile (or another took the place)
    let open = lock(&state.docs).contains_key(&uri);
    let mut slot = lock(&state.memo);
    if open && slot.is_none() {
        *slot = Some((uri, memo));
    }
}

/// A rope's text in one shared string: gathered into a string of the right size,
/// then copied into the shared block. (`to_string` grew a string chunk by chunk
/// before that copy: 0.038 against 0.025 ms for a 61 kB story after a pause. One
/// copy straight into the shared block, which takes `unsafe`, saved 0.006 ms more.)
fn shared_text(rope: &Rope) -> Arc<str> {
    Arc::from(String::from(rope))
}

/// Analyse the current version of a document (unless done), store and return it.
fn analyze_now(state: &State, uri: &Uri) -> Option<(Arc<Analysis>, Encoding)> {
    let (text, version, rev, format, changed, last) = {
        let docs = lock(&state.docs);
        let d = docs.get(uri)?;
        if let Some(a) = &d.analysis {
            if a.rev == d.rev {
                return Some((a.clone(), *lock(&state.encoding)));
            }
        }
        // the last analysis and the one edit since, if one: its line index is
        // edited, not built again
        let last = d
            .analysis
            .clone()
            .and_then(|a| match d.edits.since(a.rev)?[..] {
                [e] => Some((a, e)),
                _ => None,
            });
        let text = shared_text(&d.rope);
        (text, d.version, d.rev, d.format, d.changed, last)
    };
    let t0 = std::time::Instant::now();
    let options = options_for(state, uri, format);
    let t1 = std::time::Instant::now();
    // the text model's pieces kept from the last analysis of this document, if it
    // was the last one analysed and is within the typing limit (the memo holds about
    // as much as the document's text model: not kept for larger documents). A
    // document's first analysis (just opened, or typed in after another) builds its
    // text model on two threads as `analyze` does, and starts an empty memo: the
    // next change fills it, and the ones after reuse it.
    let mut memo = match lock(&state.memo).take() {
        Some((u, m)) if u == *uri => Some(m),
        _ => None,
    };
    let keep = text.len() <= lock(&state.settings).typing_limit();
    let report = guarded(state, "analyze", || match memo.as_mut() {
        Some(memo) if keep => crate::analyze_with_memo(&text, &options, memo),
        _ => crate::analyze(&text, &options),
    });
    let mut memo = memo.unwrap_or_default();
    // what the memo no longer keeps is freed once the diagnostics are out
    let replaced = memo.take_retired();
    if !replaced.is_empty() {
        lock(&state.replaced).push(replaced);
    }
    if keep && report.is_some() {
        *lock(&state.memo) = Some((uri.clone(), memo));
    }
    let report = report.unwrap_or_default();
    let t2 = std::time::Instant::now();
    let index = last
        .and_then(|(a, e)| a.index.edited(e.start, e.removed, e.inserted, &text))
        .unwrap_or_else(|| LineIndex::new(&text));
    if state.timing {
        // (queued: from the change's arrival to the text taken for analysis)
        let queued = t0.saturating_duration_since(changed).as_secs_f64() * 1e3;
        log_times(
            &format!("queued {queued:.3} ms, "),
            [("options", t0), ("analyze", t1), ("line index", t2)],
        );
    }
    let analysis = Arc::new(Analysis {
        version,
        rev,
        index,
        text,
        report,
        options,
    });
    let mut docs = lock(&state.docs);
    let d = docs.get_mut(uri)?;
    // kept even when a newer version is queued: requests can answer from it, their
    // positions mapped through the edits since (`Backend::hover`)
    if d.analysis.as_ref().is_none_or(|a| a.rev < rev) {
        // the one replaced is freed by the worker once it has published
        if let Some(old) = d.analysis.replace(analysis.clone()) {
            lock(&state.retired).push(old);
        }
        d.edits.analysed(rev);
    }
    if d.rev != rev {
        return None; // stale: a newer version is queued, and will be published
    }
    Some((analysis, *lock(&state.encoding)))
}

/// A hover from an analysis of an earlier version: the position (in the newest
/// text) mapped back through `edits`, the answer's range mapped forward. `None`
/// where a position falls in text the edits inserted or removed.
fn hover_mapped(
    a: &Analysis,
    edits: &[Edit],
    rope: &Rope,
    pos: Position,
    enc: Encoding,
) -> Option<Option<Hover>> {
    let old = offset_before(edits, convert::rope_to_offset(rope, pos, enc))?;
    let mut hover = features::hover(a, convert::position(&a.text, &a.index, old, enc), enc);
    if let Some(h) = &mut hover {
        if let Some(r) = h.range {
            let start = offset_after(
                edits,
                convert::offset(&a.text, &a.index, r.start, enc),
                true,
            )?;
            let end = offset_after(edits, convert::offset(&a.text, &a.index, r.end, enc), false)?;
            h.range = Some(Range {
                start: convert::rope_position(rope, start, enc),
                end: convert::rope_position(rope, end, enc),
            });
        }
    }
    Some(hover)
}

/// How long a document's options serve its analyses before its configuration file
/// is looked for and its modification time read again (`options_for`). A file
/// saved in the editor, a change the client reports (`didChangeWatchedFiles`) or
/// new settings apply at once.
const OPTIONS_FRESH: std::time::Duration = std::time::Duration::from_secs(1);

/// Each open document's options, as `options_for` last found them, and when.
#[derive(Default)]
struct OptionsCache {
    /// Counts the changes of settings and configuration files reported: options
    /// found before the last are not kept.
    generation: u64,
    entries: HashMap<Uri, (std::time::Instant, Options)>,
}

/// Forget every document's options (the settings or a configuration file changed).
fn forget_options(state: &State) {
    let mut cache = lock(&state.options);
    cache.generation += 1;
    cache.entries.clear();
}

/// A document's options: found at most once a second while it is typed in (the
/// configuration file is looked for from its folder upward, its modification time
/// read: system calls that took about 0.04 ms of each keystroke after a pause).
fn options_for(state: &State, uri: &Uri, format: Format) -> Options {
    let generation = {
        let cache = lock(&state.options);
        if let Some((at, o)) = cache.entries.get(uri) {
            if o.format == format && at.elapsed() < OPTIONS_FRESH {
                return o.clone();
            }
        }
        cache.generation
    };
    let options = find_options(state, uri, format);
    let mut cache = lock(&state.options);
    // (not kept when the settings changed meanwhile)
    if cache.generation == generation {
        let now = std::time::Instant::now();
        cache.entries.insert(uri.clone(), (now, options.clone()));
    }
    options
}

/// A document's options, from the settings and the configuration file found for it.
fn find_options(state: &State, uri: &Uri, format: Format) -> Options {
    let settings = lock(&state.settings).clone();
    let cfg_path = settings
        .config_file
        .clone()
        .or_else(|| uri.to_file_path().and_then(|p| config::discover(&p)));
    let mut options = match cfg_path {
        Some(p) => load_config(state, &p).options,
        None => Options::default(),
    };
    for (k, v) in settings.rules {
        let e = options.rules.entry(k).or_default();
        if v.enabled.is_some() {
            e.enabled = v.enabled;
        }
        if v.severity.is_some() {
            e.severity = v.severity;
        }
    }
    if settings.dateline.is_some() {
        options.dateline = settings.dateline;
    }
    options.format = format;
    options
}

/// A configuration file, cached until its modification time changes. A broken file
/// keeps the last good configuration in force.
fn load_config(state: &State, path: &std::path::Path) -> config::Loaded {
    let mtime = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let mut configs = lock(&state.configs);
    if let Some((t, l)) = configs.get(path) {
        if *t == mtime {
            return l.clone();
        }
    }
    let mut loaded = config::load(path);
    if !loaded.errors.is_empty() {
        if let Some((_, last)) = configs.get(path) {
            let errors = loaded.errors.clone();
            loaded = last.clone();
            loaded.errors = errors;
        }
    }
    configs.insert(path.to_path_buf(), (mtime, loaded.clone()));
    loaded
}

/// Apply content changes in order to a document's rope. Ranges past the end clamp.
fn apply_changes(
    doc: &mut Doc,
    changes: Vec<TextDocumentContentChangeEvent>,
    version: i32,
    enc: Encoding,
) {
    let rev = doc.rev + 1;
    for change in changes {
        match change.range {
            None => {
                doc.rope = Rope::from_str(&change.text);
                doc.edits.replaced(rev);
            }
            Some(r) => {
                let mut s = rope_offset(
                    &doc.rope,
                    LineCol {
                        line: r.start.line as usize,
                        col: r.start.character as usize,
                    },
                    enc,
                );
                let mut e = rope_offset(
                    &doc.rope,
                    LineCol {
                        line: r.end.line as usize,
                        col: r.end.character as usize,
                    },
                    enc,
                );
                if e < s {
                    std::mem::swap(&mut s, &mut e);
                }
                let cs = doc.rope.byte_to_char(s);
                let ce = doc.rope.byte_to_char(e);
                doc.rope.remove(cs..ce);
                doc.rope.insert(cs, &change.text);
                doc.edits.push(Edit {
                    rev,
                    start: s,
                    removed: e - s,
                    inserted: change.text.len(),
                });
            }
        }
    }
    // the newest text always wins, whatever version number the client sent
    doc.version = version;
    doc.rev = rev;
}

impl Backend {
    /// Mark every open document for re-analysis (settings or configuration changed)
    /// and return their URIs.
    fn invalidate_all(&self) -> Vec<Uri> {
        forget_options(&self.state);
        let mut docs = lock(&self.state.docs);
        docs.values_mut().for_each(|d| d.rev += 1);
        docs.keys().cloned().collect()
    }

    /// Tell the user, once per document, that it is over the typing limit.
    async fn warn_if_over_limit(&self, uri: &Uri) {
        let limit = lock(&self.state.settings).typing_limit();
        let size = {
            let mut docs = lock(&self.state.docs);
            let Some(d) = docs.get_mut(uri) else { return };
            let size = d.rope.len_bytes();
            if size <= limit || std::mem::replace(&mut d.warned, true) {
                return;
            }
            size
        };
        let name = uri.as_str().rsplit('/').next().unwrap_or(uri.as_str());
        self.client
            .show_message(
                MessageType::WARNING,
                format!(
                    "copydesk: {name} is {:.1} MB, over the {:.1} MB limit for checking while you type (setting maxTypingSize). It is checked when opened and when saved; its findings may lag behind your edits until then.",
                    size as f64 / 1e6,
                    limit as f64 / 1e6
                ),
            )
            .await;
    }

    fn enqueue(&self, uri: Uri) {
        let _ = lock(&self.state.jobs).send(uri);
    }

    fn encoding(&self) -> Encoding {
        *lock(&self.state.encoding)
    }

    /// The analysis of the current version, computed now if the worker has not yet.
    /// The analysis of the current version. Small documents are analysed now if the
    /// worker has not got to them; a large one answers from its last analysis rather
    /// than hold the message loop while it is analysed again.
    fn analysis(&self, uri: &Uri) -> Option<Arc<Analysis>> {
        let last = {
            let docs = lock(&self.state.docs);
            let d = docs.get(uri)?;
            d.analysis
                .clone()
                .filter(|_| d.rope.len_bytes() > INLINE_ANALYSIS_LIMIT)
        };
        last.or_else(|| analyze_now(&self.state, uri).map(|a| a.0))
            .or_else(|| {
                lock(&self.state.docs)
                    .get(uri)
                    .and_then(|d| d.analysis.clone())
            })
    }

    /// The last analysis of a document that has changed since, with the edits since
    /// and the newest text, when every edit can be mapped (`None` when the analysis
    /// is current, or an edit replaced the whole text).
    fn last_analysis_with_edits(&self, uri: &Uri) -> Option<(Arc<Analysis>, Vec<Edit>, Rope)> {
        let docs = lock(&self.state.docs);
        let d = docs.get(uri)?;
        let a = d.analysis.clone()?;
        if a.rev == d.rev {
            return None;
        }
        let edits = d.edits.since(a.rev)?;
        Some((a, edits, d.rope.clone()))
    }

    /// Run a request's work under `guarded`: a panic becomes an InternalError answer.
    async fn guard<T>(&self, what: &'static str, f: impl FnOnce() -> T) -> Result<T> {
        let r = guarded(&self.state, what, f);
        report_panic(&self.client, &self.state).await;
        r.ok_or_else(|| tower_lsp_server::jsonrpc::Error {
            code: tower_lsp_server::jsonrpc::ErrorCode::InternalError,
            message: format!("copydesk: internal error in {what}; the server carries on").into(),
            data: None,
        })
    }

    async fn publish_config_errors(&self, uri: &Uri) {
        let Some(path) = lock(&self.state.settings)
            .config_file
            .clone()
            .or_else(|| uri.to_file_path().and_then(|p| config::discover(&p)))
        else {
            return;
        };
        let loaded = load_config(&self.state, &path);
        let Some(curi) = Uri::from_file_path(&path) else {
            return;
        };
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let idx = LineIndex::new(&text);
        let enc = self.encoding();
        let diags = loaded
            .errors
            .iter()
            .filter(|e| e.path == path)
            .map(|e| {
                let span = e.span.clone().unwrap_or(0..0);
                Diagnostic {
                    range: convert::range(&text, &idx, &span, enc),
                    severity: Some(DiagnosticSeverity::ERROR),
                    source: Some("copydesk".into()),
                    code: Some(NumberOrString::String("config-error".into())),
                    message: format!("{} (the last good configuration stays in force)", e.message),
                    ..Default::default()
                }
            })
            .collect();
        self.client.publish_diagnostics(curi, diags, None).await;
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.clone())
            .unwrap_or_default();
        let enc = if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.contains(&PositionEncodingKind::UTF16) || offered.is_empty() {
            Encoding::Utf16
        } else if offered.contains(&PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        };
        *lock(&self.state.encoding) = enc;
        if let Some(opts) = &params.initialization_options {
            *lock(&self.state.settings) = Settings::from_json(opts);
        }
        let kind = match enc {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        };
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "copydesk".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(kind),
                text_document_sync: Some(TextDocumentSyncCapability::Kind(
                    TextDocumentSyncKind::INCREMENTAL,
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::REFACTOR_REWRITE,
                        ]),
                        ..Default::default()
                    },
                )),
                inlay_hint_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Left(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: None,
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        })
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        let format = if d.language_id == "markdown"
            || d.uri.as_str().ends_with(".md")
            || d.uri.as_str().ends_with(".markdown")
        {
            Format::Markdown
        } else {
            Format::PlainText
        };
        lock(&self.state.docs).insert(
            d.uri.clone(),
            Doc {
                rope: Rope::from_str(&d.text),
                version: d.version,
                rev: 0,
                format,
                analysis: None,
                deferred: false,
                warned: false,
                edits: EditLog::default(),
                published: None,
                changed: std::time::Instant::now(),
            },
        );
        self.publish_config_errors(&d.uri).await;
        self.warn_if_over_limit(&d.uri).await;
        self.enqueue(d.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let enc = self.encoding();
        let uri = params.text_document.uri;
        let limit = lock(&self.state.settings).typing_limit();
        let (known, defer) = {
            let mut docs = lock(&self.state.docs);
            match docs.get_mut(&uri) {
                None => (false, false),
                Some(doc) => {
                    doc.changed = std::time::Instant::now();
                    apply_changes(
                        doc,
                        params.content_changes,
                        params.text_document.version,
                        enc,
                    );
                    let defer = doc.rope.len_bytes() > limit;
                    doc.deferred = defer;
                    (true, defer)
                }
            }
        };
        if !known {
            self.client
                .log_message(
                    MessageType::WARNING,
                    format!(
                        "didChange for a document that is not open: {}",
                        uri.as_str()
                    ),
                )
                .await;
            return;
        }
        if defer {
            self.warn_if_over_limit(&uri).await;
            return;
        }
        self.enqueue(uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        lock(&self.state.docs).remove(&uri);
        lock(&self.state.options).entries.remove(&uri);
        {
            let mut memo = lock(&self.state.memo);
            if memo.as_ref().is_some_and(|(u, _)| *u == uri) {
                *memo = None;
            }
        }
        // the worker clears its diagnostics, after any it is publishing
        self.enqueue(uri);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        *lock(&self.state.settings) = Settings::from_json(&params.settings);
        for u in self.invalidate_all() {
            self.enqueue(u);
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        // a document over the typing limit is checked again when saved
        let deferred = lock(&self.state.docs)
            .get_mut(&params.text_document.uri)
            .is_some_and(|d| std::mem::replace(&mut d.deferred, false));
        if deferred {
            self.enqueue(params.text_document.uri.clone());
        }
        // a saved .copydesk.toml applies at once
        if params
            .text_document
            .uri
            .as_str()
            .ends_with(config::FILE_NAME)
        {
            lock(&self.state.configs).clear();
            for u in self.invalidate_all() {
                self.publish_config_errors(&u).await;
                self.enqueue(u);
            }
        }
    }

    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        lock(&self.state.configs).clear();
        forget_options(&self.state);
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let enc = self.encoding();
        // while the newest version is being analysed, answer from the last analysis
        // with the position mapped through the edits since, rather than wait
        if let Some((a, edits, rope)) = self.last_analysis_with_edits(&p.text_document.uri) {
            let mapped = self
                .guard("hover", || hover_mapped(&a, &edits, &rope, p.position, enc))
                .await?;
            if let Some(answer) = mapped {
                return Ok(answer);
            }
        }
        let Some(a) = self.analysis(&p.text_document.uri) else {
            return Ok(None);
        };
        self.guard("hover", || features::hover(&a, p.position, enc))
            .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let Some(a) = self.analysis(&params.text_document.uri) else {
            return Ok(None);
        };
        let enc = self.encoding();
        let snippets = *lock(&self.state.snippets);
        self.guard("code_action", || {
            Some(features::code_actions(
                &params.text_document.uri,
                &a,
                params.range,
                enc,
                snippets,
            ))
        })
        .await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let Some(a) = self.analysis(&params.text_document.uri) else {
            return Ok(None);
        };
        let s = lock(&self.state.settings).clone();
        let enc = self.encoding();
        self.guard("inlay_hint", || {
            Some(features::inlay_hints(
                &a,
                params.range,
                enc,
                s.speaker_hints,
                s.date_hints,
            ))
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some(a) = self.analysis(&params.text_document.uri) else {
            return Ok(None);
        };
        let enc = self.encoding();
        self.guard("document_symbol", || {
            Some(DocumentSymbolResponse::Nested(features::symbols(&a, enc)))
        })
        .await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let Some(a) = self.analysis(&params.text_document.uri) else {
            return Ok(None);
        };
        let enc = self.encoding();
        self.guard("code_lens", || Some(features::code_lenses(&a, enc)))
            .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let Some(a) = self.analysis(&p.text_document.uri) else {
            return Ok(None);
        };
        let enc = self.encoding();
        self.guard("references", || {
            features::mentions(&a, p.position, enc).map(|spans| {
                spans
                    .into_iter()
                    .map(|r| Location {
                        uri: p.text_document.uri.clone(),
                        range: r,
                    })
                    .collect()
            })
        })
        .await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let p = params.text_document_position_params;
        let Some(a) = self.analysis(&p.text_document.uri) else {
            return Ok(None);
        };
        let enc = self.encoding();
        self.guard("document_highlight", || {
            features::mentions(&a, p.position, enc).map(|spans| {
                spans
                    .into_iter()
                    .map(|r| DocumentHighlight {
                        range: r,
                        kind: Some(DocumentHighlightKind::TEXT),
                    })
                    .collect()
            })
        })
        .await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let p = params.text_document_position;
        let Some(a) = self.analysis(&p.text_document.uri) else {
            return Ok(None);
        };
        let enc = self.encoding();
        self.guard("rename", || {
            features::rename(&p.text_document.uri, &a, p.position, &params.new_name, enc)
        })
        .await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let Some(a) = self.analysis(&p.text_document.uri) else {
            return Ok(None);
        };
        let enc = self.encoding();
        self.guard("completion", || {
            features::completion(&a, p.position, enc).map(CompletionResponse::Array)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, removed: usize, inserted: usize) -> Edit {
        Edit {
            rev: 1,
            start,
            removed,
            inserted,
        }
    }

    /// Apply edits to a text, and check every offset outside them maps both ways.
    #[test]
    fn offsets_map_through_edits_both_ways() {
        let old = "Kyiv said on Monday that Stoltenberg met Kuleba.";
        // "said" -> "told reporters" (a replacement), then "X " inserted at the start,
        // then " met" deleted
        let mut new = old.to_string();
        let edits = {
            let a = edit(5, 4, 14);
            new.replace_range(5..9, "told reporters");
            let b = edit(0, 0, 2);
            new.insert_str(0, "X ");
            let met = new.find(" met").unwrap();
            let c = edit(met, 4, 0);
            new.replace_range(met..met + 4, "");
            vec![a, b, c]
        };
        assert_eq!(
            new,
            "X Kyiv told reporters on Monday that Stoltenberg Kuleba."
        );
        for word in ["Kyiv", "Monday", "Stoltenberg", "Kuleba"] {
            let (o, n) = (old.find(word).unwrap(), new.find(word).unwrap());
            for k in 0..word.len() {
                assert_eq!(offset_before(&edits, n + k), Some(o + k), "{word} {k}");
                assert_eq!(offset_after(&edits, o + k, true), Some(n + k), "{word} {k}");
            }
        }
        // inside inserted or removed text there is no answer
        let told = new.find("told").unwrap();
        assert_eq!(offset_before(&edits, told + 2), None);
        assert_eq!(
            offset_after(&edits, old.find("said").unwrap() + 1, true),
            None
        );
        assert_eq!(
            offset_after(&edits, old.find(" met").unwrap() + 2, true),
            None
        );
        // at an insertion point: a range's start moves past the inserted text, its end
        // stays before it
        assert_eq!(offset_after(&edits, 0, true), Some(2));
        assert_eq!(offset_after(&edits, 0, false), Some(0));
    }

    /// Random edits of a text, each character's origin tracked: every character that
    /// survives maps to where it went and back.
    #[test]
    fn offsets_map_through_random_edits() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut rand = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        for _ in 0..200 {
            let len = 1 + rand(60);
            // each byte of the text: Some(its offset in the original) or None (inserted)
            let mut origin: Vec<Option<usize>> = (0..len).map(Some).collect();
            let mut edits = Vec::new();
            for rev in 0..1 + rand(6) {
                let start = rand(origin.len() + 1);
                let removed = rand((origin.len() - start).min(5) + 1);
                let inserted = rand(6);
                origin.splice(start..start + removed, std::iter::repeat_n(None, inserted));
                edits.push(Edit {
                    rev: rev as u64 + 1,
                    start,
                    removed,
                    inserted,
                });
            }
            for (new, o) in origin.iter().enumerate() {
                if let Some(old) = *o {
                    assert_eq!(offset_before(&edits, new), Some(old), "{edits:?}");
                    assert_eq!(offset_after(&edits, old, true), Some(new), "{edits:?}");
                }
            }
        }
    }

    #[test]
    fn the_log_forgets_what_an_analysis_has_and_stops_at_a_whole_replacement() {
        let mut log = EditLog::default();
        log.push(Edit {
            rev: 1,
            ..edit(0, 0, 1)
        });
        log.push(Edit {
            rev: 2,
            ..edit(3, 1, 0)
        });
        assert_eq!(log.since(0).map(|v| v.len()), Some(2));
        assert_eq!(log.since(1).map(|v| v.len()), Some(1));
        log.analysed(1);
        assert_eq!(log.edits.len(), 1);
        log.replaced(3);
        assert_eq!(log.since(2), None);
        log.push(Edit {
            rev: 4,
            ..edit(0, 0, 1)
        });
        assert_eq!(log.since(3).map(|v| v.len()), Some(1));
    }

    #[test]
    fn a_ropes_shared_text_is_its_text() {
        // many chunks, characters of two to four bytes, edits in the middle
        let mut text = "Zelenskyy spoke in Kyiv — “we hold” 🇺🇦. ".repeat(400);
        let mut rope = Rope::from_str(&text);
        assert!(rope.chunks().count() > 10);
        for (i, at) in [0usize, 17, 9_000, 15_000].into_iter().enumerate() {
            let at = text.floor_char_boundary(at);
            let piece = ["é", "🇺🇦", "\n\n", "x"][i];
            text.insert_str(at, piece);
            rope.insert(rope.byte_to_char(at), piece);
            assert_eq!(&*shared_text(&rope), text);
        }
        assert_eq!(&*shared_text(&Rope::new()), "");
    }
}
