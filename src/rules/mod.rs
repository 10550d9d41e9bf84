//! The rules. Each is one module with its documentation (what it flags, why it
//! matters, an example, the fix) and a stable kebab-case code; `copydesk rules` and
//! the README's rule table are generated from [`ALL`].

pub mod inconsistent_spelling;
pub mod nonstandard_spelling;
pub mod spelling;
pub mod unattributed_quote;
pub mod unclosed_quote;
pub mod undated_claim;
pub mod undated_relative_date;
pub mod vague_attribution;
pub mod weekday_date_mismatch;

use crate::attribution::Attribution;
use crate::entities::Recognized;
use crate::report::{Dateline, Diagnostic, QuoteKind, Severity};
use crate::temporal::Temporals;
use crate::text::Document;

/// A rule's documentation, the single source for `copydesk rules` and the README.
pub struct RuleDoc {
    pub code: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    pub example: &'static str,
    pub fix: &'static str,
}

/// Everything a rule may look at.
pub struct Context<'a> {
    pub doc: &'a Document<'a>,
    pub entities: &'a Recognized,
    pub kb: &'a crate::kb::KnowledgeBase,
    pub quote_kinds: &'a [QuoteKind],
    pub attributions: &'a [Attribution],
    pub temporals: &'a Temporals,
    pub dateline: Option<&'a Dateline>,
}

pub struct Rule {
    pub doc: &'static RuleDoc,
    pub check: fn(&Context, &mut Vec<Diagnostic>),
    /// What the rule reads of the [`Context`]. `analyze` runs the rules that need
    /// only the text while the names are being recognised, on a second thread, with
    /// empty stand-ins for `entities`, `quote_kinds` and `attributions`, and those
    /// that need the entities but not the dates right after the names, with empty
    /// stand-ins for `temporals`, `quote_kinds` and `attributions`: a rule must say
    /// which of [`Needs`] it is.
    pub needs: Needs,
    /// For a paragraph rule, its findings in one paragraph (by index). Its findings
    /// there depend only on that paragraph: its text, whether it is the story's
    /// first, the dateline's date, and the dates and quotations within it (and, for
    /// a rule that needs the names, the entity mentions within it, through
    /// `Recognized::mention_at`, and nothing else of the names); and they lie within
    /// it. `check` gives the same as this on every paragraph in turn
    /// ([`each_paragraph`]). `analyze_with_memo` keeps a paragraph's findings while
    /// none of that changes.
    pub paragraph: Option<fn(&Context, usize, &mut Vec<Diagnostic>)>,
}

/// A paragraph rule's `check`: its `paragraph` on every paragraph in turn.
pub fn each_paragraph(
    cx: &Context,
    out: &mut Vec<Diagnostic>,
    paragraph: fn(&Context, usize, &mut Vec<Diagnostic>),
) {
    for p in 0..cx.doc.paragraphs.len() {
        paragraph(cx, p, out);
    }
}

/// What a rule reads, beyond the document, the knowledge base and the dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    /// `doc`, `kb`, `temporals` and `dateline` only.
    Text,
    /// `doc`, `kb`, `dateline` and `entities` only (not the dates).
    Entities,
    /// Any of it: also `quote_kinds` or `attributions`.
    Names,
}

pub const ALL: &[Rule] = &[
    Rule {
        doc: &unattributed_quote::DOC,
        check: unattributed_quote::check,
        needs: Needs::Names,
        paragraph: None,
    },
    Rule {
        doc: &unclosed_quote::DOC,
        check: unclosed_quote::check,
        needs: Needs::Text,
        paragraph: None,
    },
    Rule {
        doc: &vague_attribution::DOC,
        check: vague_attribution::check,
        needs: Needs::Entities,
        paragraph: Some(vague_attribution::check_paragraph),
    },
    Rule {
        doc: &inconsistent_spelling::DOC,
        check: inconsistent_spelling::check,
        needs: Needs::Entities,
        paragraph: None,
    },
    Rule {
        doc: &nonstandard_spelling::DOC,
        check: nonstandard_spelling::check,
        needs: Needs::Entities,
        paragraph: None,
    },
    Rule {
        doc: &undated_relative_date::DOC,
        check: undated_relative_date::check,
        needs: Needs::Text,
        paragraph: Some(undated_relative_date::check_paragraph),
    },
    Rule {
        doc: &undated_claim::DOC,
        check: undated_claim::check,
        needs: Needs::Text,
        paragraph: Some(undated_claim::check_paragraph),
    },
    Rule {
        doc: &weekday_date_mismatch::DOC,
        check: weekday_date_mismatch::check,
        needs: Needs::Text,
        paragraph: None,
    },
];

pub fn find(code: &str) -> Option<&'static Rule> {
    ALL.iter().find(|r| r.doc.code == code)
}

/// The rules as a Markdown table (README) or as text (`copydesk rules`).
pub fn markdown_table() -> String {
    let mut s = String::from("| code | default severity | what it flags |\n|---|---|---|\n");
    for r in ALL {
        s.push_str(&format!(
            "| `{}` | {} | {} |\n",
            r.doc.code,
            r.doc.severity.as_str(),
            r.doc.summary
        ));
    }
    s
}

pub fn text_docs() -> String {
    let mut s = String::new();
    for r in ALL {
        let d = r.doc;
        s.push_str(&format!(
            "{} ({})\n  {}\n\n  What it flags: {}\n  Why it matters: {}\n  Example: {}\n  Fix: {}\n\n",
            d.code, d.severity.as_str(), d.summary, d.what, d.why, d.example, d.fix
        ));
    }
    s
}
