//! `analyze`: text in, report out.

use std::collections::HashMap;
use std::sync::Arc;

use crate::attribution::{self, Attribution};
use crate::entities::{self, Recognized};
use crate::kb::KnowledgeBase;
use crate::report::{
    Dateline, DatelineSource, Diagnostic, EntityInfo, Mention, QuoteInfo, QuoteKind, Report,
    Severity,
};
use crate::rules::{self, Context, Needs};
use crate::temporal::{self, Temporals};
use crate::text::{Document, Format, PARALLEL_MIN_BYTES, TextMemo};

/// Per-rule settings: on or off, and the severity to report at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleSetting {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
}

/// Everything `analyze` needs besides the text.
#[derive(Clone, Debug)]
pub struct Options {
    pub format: Format,
    /// A date that overrides whatever the story carries.
    pub dateline: Option<jiff::civil::Date>,
    pub rules: HashMap<String, RuleSetting>,
    pub kb: Arc<KnowledgeBase>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            kb: KnowledgeBase::embedded(),
            ..Options::default_without_kb()
        }
    }
}

impl Options {
    /// The defaults with an empty knowledge base, without loading the embedded one.
    pub fn default_without_kb() -> Self {
        Options {
            format: Format::Markdown,
            dateline: None,
            rules: HashMap::new(),
            kb: Arc::new(KnowledgeBase::empty()),
        }
    }
}

impl Options {
    pub fn rule_enabled(&self, code: &str) -> bool {
        self.rules.get(code).and_then(|r| r.enabled).unwrap_or(true)
    }
}

/// Analyse one story. Pure: no I/O, no global state beyond the immutable knowledge base.
///
/// A story of [`PARALLEL_MIN_BYTES`] or more is analysed on two threads: the text
/// model in two halves, then the names and quotations on this thread while the dates
/// and the rules that need only the text run on the other. The report is the same,
/// byte for byte, as on one thread.
pub fn analyze(text: &str, options: &Options) -> Report {
    analyze_with_threads(text, options, PARALLEL_MIN_BYTES)
}

/// `analyze`, on two threads when the text has at least `min_bytes` bytes
/// (`usize::MAX`: always on one; 0: always on two). The report is the same either
/// way (`tests/parallel.rs`).
pub fn analyze_with_threads(text: &str, options: &Options, min_bytes: usize) -> Report {
    let doc = Document::with_threads(text, options.format, min_bytes);
    analyze_document(doc, options, min_bytes)
}

/// `analyze`, reusing what `memo` kept of the text model from the last analysis of
/// the same document (the server keeps one for the document being typed in): only
/// the paragraphs that changed are split into words and sentences again. The report
/// is the same as `analyze` gives (`tests/incremental.rs`).
pub fn analyze_with_memo(text: &str, options: &Options, memo: &mut TextMemo) -> Report {
    analyze_with_memo_threads(text, options, memo, PARALLEL_MIN_BYTES)
}

/// `analyze_with_memo`, on two threads from `min_bytes` bytes on (as
/// `analyze_with_threads`).
pub fn analyze_with_memo_threads(
    text: &str,
    options: &Options,
    memo: &mut TextMemo,
    min_bytes: usize,
) -> Report {
    let doc = Document::with_memo(text, options.format, memo);
    analyze_document(doc, options, min_bytes)
}

/// The analysis of a built text model.
fn analyze_document(doc: Document, options: &Options, min_bytes: usize) -> Report {
    let text = doc.text;
    let dateline = match options.dateline {
        Some(date) => Some(Dateline {
            date,
            source: DatelineSource::Configured,
            span: None,
        }),
        None => temporal::detect_dateline(&doc),
    };
    let dates_and_kinds = || {
        let temporals = temporal::find(&doc, dateline.as_ref());
        let kinds: Vec<QuoteKind> = doc
            .quotes
            .iter()
            .map(|q| attribution::classify(&doc, q))
            .collect();
        (temporals, kinds)
    };
    // the names, and who speaks each quotation
    let names_side = || {
        let rec = entities::recognize(&doc, &options.kb);
        let mut attributions: Vec<Attribution> = Vec::with_capacity(doc.quotes.len());
        for i in 0..doc.quotes.len() {
            let a = attribution::attribute(&doc, &rec, i, &attributions);
            attributions.push(a);
        }
        (rec, attributions)
    };
    let base = Context {
        doc: &doc,
        entities: &Recognized::default(),
        kb: &options.kb,
        quote_kinds: &[],
        attributions: &[],
        temporals: &Temporals::default(),
        dateline: dateline.as_ref(),
    };
    fn context<'a>(
        base: &Context<'a>,
        entities: &'a Recognized,
        quote_kinds: &'a [QuoteKind],
        attributions: &'a [Attribution],
        temporals: &'a Temporals,
    ) -> Context<'a> {
        Context {
            entities,
            quote_kinds,
            attributions,
            temporals,
            ..*base
        }
    }
    let (temporals, kinds, rec, attributions, mut diagnostics) = if text.len() >= min_bytes {
        // the dates, the quotations' kinds and the rules that read only the text, on
        // a second thread, with empty stand-ins for what those rules do not read
        let text_side = || {
            let (temporals, kinds) = dates_and_kinds();
            let cx = context(&base, base.entities, &[], &[], &temporals);
            let found = run_rules(&cx, options, Needs::Text);
            (temporals, kinds, found)
        };
        let ((temporals, kinds, text_found), (rec, attributions)) = std::thread::scope(|s| {
            let other = s.spawn(text_side);
            let names = names_side();
            match other.join() {
                Ok(t) => (t, names),
                Err(e) => std::panic::resume_unwind(e),
            }
        });
        let cx = context(&base, &rec, &kinds, &attributions, &temporals);
        let names_found = run_rules(&cx, options, Some(Needs::Names));
        // in the order of `rules::ALL`, as if they had run one after another
        let (mut t, mut n) = (text_found.into_iter(), names_found.into_iter());
        let diagnostics = rules::ALL
            .iter()
            .flat_map(|rule| {
                match rule.needs {
                    Needs::Text => t.next(),
                    Needs::Names => n.next(),
                }
                .into_iter()
                .flatten()
            })
            .collect::<Vec<_>>();
        (temporals, kinds, rec, attributions, diagnostics)
    } else {
        // one after another, every rule with the whole context
        let (rec, attributions) = names_side();
        let (temporals, kinds) = dates_and_kinds();
        let cx = context(&base, &rec, &kinds, &attributions, &temporals);
        let diagnostics = run_rules(&cx, options, None).concat();
        (temporals, kinds, rec, attributions, diagnostics)
    };
    crate::suppress::apply(text, &doc, &mut diagnostics);
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));

    let quotes = doc
        .quotes
        .iter()
        .zip(&kinds)
        .zip(&attributions)
        .map(|((q, k), a)| QuoteInfo {
            span: q.span.clone(),
            inner: q.inner.clone(),
            kind: *k,
            closed: q.closed,
            speaker: a.speaker.clone().filter(|_| a.found()),
            speaker_span: a.speaker_span.clone().filter(|_| a.found()),
            cue: a.cue.clone(),
            cue_span: a.cue_span.clone(),
            explanation: a.how.clone(),
            speaker_entity: a.speaker_entity.filter(|_| a.found()),
        })
        .collect();
    let entities = rec
        .entities
        .iter()
        .map(|e| {
            let kbe = e.kb.map(|i| options.kb.entity(i));
            EntityInfo {
                name: e.name.clone(),
                kind: e.kind,
                kb: e.kb.map(|i| i as usize),
                description: kbe
                    .map(|k| k.data.description.clone())
                    .filter(|d| !d.is_empty()),
                preferred: kbe.map(|k| k.data.name.clone()),
                mentions: e
                    .mentions
                    .iter()
                    .map(|&m| Mention {
                        span: rec.mentions[m].span.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    Report {
        dateline,
        diagnostics,
        quotes,
        entities,
        temporals: temporals.expressions,
    }
}

/// Run the enabled rules that need `needs` (all of them for `None`), each into a
/// list of its own (one list a rule, in the order of `rules::ALL`, empty when it is
/// off).
fn run_rules(
    cx: &Context,
    options: &Options,
    needs: impl Into<Option<Needs>>,
) -> Vec<Vec<Diagnostic>> {
    let needs = needs.into();
    rules::ALL
        .iter()
        .filter(|r| needs.is_none_or(|n| r.needs == n))
        .map(|rule| {
            let mut found = Vec::new();
            if options.rule_enabled(rule.doc.code) {
                (rule.check)(cx, &mut found);
                if let Some(sev) = options.rules.get(rule.doc.code).and_then(|r| r.severity) {
                    for d in &mut found {
                        d.severity = sev;
                    }
                }
            }
            found
        })
        .collect()
}
