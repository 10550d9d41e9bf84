//! What `analyze` returns: findings, quotations, entities and dates, all with byte spans.
//! Adapters (CLI, LSP) convert spans to positions through [`crate::position`].
//!
//! The texts a typed change copies from the last analysis into the new report (a
//! finding's message, a quotation's speaker, cue and explanation, a date's
//! explanation and absolute form, an entity's name, description and preferred
//! spelling) are shared strings (`Arc<str>`): a report takes
//! one by counting, not by copying it, so a keystroke in a long story does not
//! copy every kept finding's words (BENCHMARKS.md, round 15).

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

pub type Span = Range<usize>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Information,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "information" | "info" => Some(Severity::Information),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }
}

/// `format!` into a shared string: written into a buffer the thread keeps, then
/// copied once into the string's own block (`format!(..).into()` would make a
/// string, grow it as it writes, copy it into the shared one and free it).
///
/// The same words again, as most findings of a rule give them ("“last month” is
/// relative to the day of writing…" once for each such date), are the same shared
/// string: each thread keeps the last [`RECENT`] strings it made, each in a slot
/// its words choose (`again_or_new`), and counts one of them again rather than
/// making a copy. A report then frees far fewer blocks (a 1 MB story's 5,600
/// findings have 1,800 different messages), and the caller frees the report on one
/// thread (BENCHMARKS.md, round 22).
pub fn shared(args: std::fmt::Arguments<'_>) -> Arc<str> {
    use std::fmt::Write;
    if let Some(s) = args.as_str() {
        return shared_str(s);
    }
    RECENT_STRINGS.with(|b| match b.try_borrow_mut() {
        Ok(mut b) => {
            let (buf, recent) = &mut *b;
            buf.clear();
            let _ = buf.write_fmt(args);
            again_or_new(recent, buf)
        }
        // (a value formatted here that formats a shared string itself)
        Err(_) => Arc::from(std::fmt::format(args)),
    })
}

/// `words` as a shared string: the one this thread made last for the same words,
/// if it keeps it (`shared`).
pub fn shared_str(words: &str) -> Arc<str> {
    RECENT_STRINGS.with(|b| match b.try_borrow_mut() {
        Ok(mut b) => again_or_new(&mut b.1, words),
        Err(_) => Arc::from(words),
    })
}

thread_local! {
    /// `shared`'s buffer, and the strings it made last.
    static RECENT_STRINGS: std::cell::RefCell<(String, Recent)> =
        std::cell::RefCell::new((String::new(), std::array::from_fn(|_| None)));
}

/// The string in `recent` with these words, or a new one put there. Its slot comes
/// from the words' length and their first and last eight bytes (where the words of
/// one message differ from another's, since most quote the text they are about):
/// a hash of all of them cost more than it saved.
fn again_or_new(recent: &mut Recent, words: &str) -> Arc<str> {
    let b = words.as_bytes();
    let eight = |at: usize| {
        let mut w = [0u8; 8];
        let part = &b[at.min(b.len())..(at + 8).min(b.len())];
        w[..part.len()].copy_from_slice(part);
        u64::from_le_bytes(w)
    };
    let h = (eight(0) ^ eight(b.len().saturating_sub(8)).rotate_left(29) ^ b.len() as u64)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let slot = &mut recent[(h >> 58) as usize % RECENT];
    match slot {
        Some(s) if **s == *words => s.clone(),
        _ => slot.insert(Arc::from(words)).clone(),
    }
}

/// How many of the strings it made last `shared` keeps on each thread.
const RECENT: usize = 64;

/// The strings `shared` made last, each in the slot its words give (`again_or_new`).
type Recent = [Option<Arc<str>>; RECENT];

/// One text replacement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub new_text: String,
    /// The part of `new_text` the writer has to replace (a byte range into `new_text`),
    /// such as `SPEAKER` in ` SPEAKER said`: editors that take snippets select it.
    pub placeholder: Option<Span>,
}

/// A fix offered for a finding: one or more edits applied together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    /// Shared: a "write it the same way everywhere" fix carries every occurrence, and
    /// each finding of that entity offers it, so the list is built once per entity.
    pub edits: Arc<[Edit]>,
    /// The fix an editor may apply without asking (`isPreferred`).
    pub preferred: bool,
}

/// Another place that matters to a finding (the other spellings of a name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule's stable kebab-case code.
    pub rule: &'static str,
    pub severity: Severity,
    pub message: Arc<str>,
    pub span: Span,
    pub fixes: Vec<Fix>,
    pub related: Vec<Related>,
}

/// Why a quotation is or is not someone's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// Someone's words: needs an attribution.
    Speech,
    /// A scare quote, a quoted term or a nickname.
    Term,
    /// A title of a work or the name of an operation or programme.
    Title,
}

/// A quotation as the report gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteInfo {
    /// From the opening mark through the closing mark (or the end of the paragraph).
    pub span: Span,
    /// The quoted words, between the marks.
    pub inner: Span,
    pub kind: QuoteKind,
    pub closed: bool,
    /// Canonical name of the speaker, when one was found and resolved.
    pub speaker: Option<Arc<str>>,
    /// The words of the text that name the speaker ("he", "the Foreign Minister").
    pub speaker_span: Option<Span>,
    /// The speech cue ("said", "according to").
    pub cue: Option<Arc<str>>,
    pub cue_span: Option<Span>,
    /// How the attribution was found, or why none was.
    pub explanation: Arc<str>,
    /// Index into `Report::entities` of the speaker, when it is an entity.
    pub speaker_entity: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Place,
    Organization,
    Other,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Organization => "organization",
            EntityKind::Other => "other",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    pub span: Span,
}

/// An entity the story mentions, known to the knowledge base or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityInfo {
    pub name: Arc<str>,
    pub kind: EntityKind,
    /// Index into the knowledge base, when known.
    pub kb: Option<usize>,
    pub description: Option<Arc<str>>,
    /// The spelling house style prefers, when it knows the entity.
    pub preferred: Option<Arc<str>>,
    pub mentions: Vec<Mention>,
}

/// How a temporal expression relates to the dateline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TemporalKind {
    /// A full date with its year.
    Absolute,
    /// Month and day, or month alone, without a year.
    Partial,
    /// A year alone.
    Year,
    /// Relative to the day of writing: weekdays, yesterday, last week.
    Relative,
    /// Relative to another event in the text ("a year earlier").
    Anchored,
}

/// What a temporal expression resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    Day(jiff::civil::Date),
    Month(i16, i8),
    Year(i16),
    /// A week, given by its Monday.
    Week(jiff::civil::Date),
}

impl Resolved {
    pub fn iso(&self) -> String {
        match self {
            Resolved::Day(d) => d.to_string(),
            Resolved::Month(y, m) => format!("{y:04}-{m:02}"),
            Resolved::Year(y) => format!("{y:04}"),
            Resolved::Week(d) => format!("week of {d}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemporalInfo {
    pub span: Span,
    pub kind: TemporalKind,
    pub resolved: Option<Resolved>,
    /// How the resolution was reached, or what is missing.
    pub explanation: Arc<str>,
    /// The absolute form to write instead of a relative expression ("April 7").
    pub absolute_text: Option<Arc<str>>,
}

/// Where the story's date came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dateline {
    pub date: jiff::civil::Date,
    pub source: DatelineSource,
    pub span: Option<Span>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DatelineSource {
    FrontMatter,
    DateLine,
    Wire,
    Configured,
}

impl DatelineSource {
    pub fn describe(self) -> &'static str {
        match self {
            DatelineSource::FrontMatter => "the front matter",
            DatelineSource::DateLine => "the `date` line at the top",
            DatelineSource::Wire => "the wire dateline",
            DatelineSource::Configured => "the configured dateline",
        }
    }
}

/// Everything `analyze` found in one text.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub dateline: Option<Dateline>,
    pub diagnostics: Vec<Diagnostic>,
    pub quotes: Vec<QuoteInfo>,
    pub entities: Vec<EntityInfo>,
    pub temporals: Vec<TemporalInfo>,
}

impl Report {
    /// The entity with a mention covering `offset`, if any.
    pub fn entity_at(&self, offset: usize) -> Option<(usize, &EntityInfo, &Mention)> {
        self.entities.iter().enumerate().find_map(|(i, e)| {
            e.mentions
                .iter()
                .find(|m| m.span.start <= offset && offset <= m.span.end)
                .map(|m| (i, e, m))
        })
    }

    pub fn quote_at(&self, offset: usize) -> Option<&QuoteInfo> {
        self.quotes
            .iter()
            .find(|q| q.span.start <= offset && offset < q.span.end.max(q.span.start + 1))
    }

    pub fn temporal_at(&self, offset: usize) -> Option<&TemporalInfo> {
        self.temporals
            .iter()
            .find(|t| t.span.start <= offset && offset <= t.span.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_formats_as_format_does() {
        let n = 4_000;
        assert_eq!(
            &*shared(format_args!("More than {n} people")),
            "More than 4000 people"
        );
        assert_eq!(&*shared(format_args!("no arguments")), "no arguments");
        // a value that formats a shared string itself, while the buffer is in use
        struct Nested;
        impl std::fmt::Display for Nested {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&shared(format_args!("“{}”", "Kyiv")))
            }
        }
        assert_eq!(&*shared(format_args!("{} said", Nested)), "“Kyiv” said");
    }

    #[test]
    fn the_same_words_again_are_the_same_shared_string() {
        let a = shared(format_args!("“{}” is relative", "last month"));
        let b = shared(format_args!("“{}” is relative", "last month"));
        assert!(Arc::ptr_eq(&a, &b));
        let c = shared(format_args!("“{}” is relative", "last week"));
        assert_eq!(&*c, "“last week” is relative");
        assert!(!Arc::ptr_eq(&a, &c));
        // however many other strings came between, the words are right
        for n in 0..1_000 {
            assert_eq!(&*shared(format_args!("{n} people")), format!("{n} people"));
        }
        assert_eq!(
            &*shared(format_args!("“{}” is relative", "last month")),
            &*a
        );
    }
}
