//! `analyze`: text in, report out.

use std::collections::HashMap;
use std::sync::Arc;

use crate::attribution::{self, Attribution};
use crate::entities;
use crate::kb::KnowledgeBase;
use crate::report::{
    Dateline, DatelineSource, EntityInfo, Mention, QuoteInfo, QuoteKind, Report, Severity,
};
use crate::rules::{self, Context};
use crate::temporal;
use crate::text::{Document, Format};

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
pub fn analyze(text: &str, options: &Options) -> Report {
    let doc = Document::new(text, options.format);
    let dateline = match options.dateline {
        Some(date) => Some(Dateline {
            date,
            source: DatelineSource::Configured,
            span: None,
        }),
        None => temporal::detect_dateline(&doc),
    };
    let rec = entities::recognize(&doc, &options.kb);
    let kinds: Vec<QuoteKind> = doc
        .quotes
        .iter()
        .map(|q| attribution::classify(&doc, q))
        .collect();
    let mut attributions: Vec<Attribution> = Vec::with_capacity(doc.quotes.len());
    for i in 0..doc.quotes.len() {
        let a = attribution::attribute(&doc, &rec, i, &attributions);
        attributions.push(a);
    }
    let temporals = temporal::find(&doc, dateline.as_ref());
    let cx = Context {
        doc: &doc,
        entities: &rec,
        kb: &options.kb,
        quote_kinds: &kinds,
        attributions: &attributions,
        temporals: &temporals,
        dateline: dateline.as_ref(),
    };
    let mut diagnostics = Vec::new();
    for rule in rules::ALL {
        if !options.rule_enabled(rule.doc.code) {
            continue;
        }
        let from = diagnostics.len();
        (rule.check)(&cx, &mut diagnostics);
        if let Some(sev) = options.rules.get(rule.doc.code).and_then(|r| r.severity) {
            for d in &mut diagnostics[from..] {
                d.severity = sev;
            }
        }
    }
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
