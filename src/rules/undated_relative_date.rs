//! `undated-relative-date`

use super::{Context, RuleDoc};
use crate::report::{Diagnostic, Severity, TemporalKind};

pub const DOC: RuleDoc = RuleDoc {
    code: "undated-relative-date",
    severity: Severity::Warning,
    summary: "\"On Thursday\", \"this Saturday\", \"yesterday\" in a story with no dateline.",
    what: "Weekdays, today / yesterday / tomorrow, this / last / next week, month or year, \"earlier this month\" and \"two days ago\" in a story that carries no date: no front matter `date:`, no first line `date YYYY-MM-DD`, no dated wire dateline and no configured date. Expressions anchored to the story (\"a year earlier\", \"the next day\") and named days (Good Friday) are not flagged.",
    why: "A relative date means nothing once the story is read on another day, or syndicated without its date.",
    example: "In an interview published this Saturday, the minister said ...",
    fix: "Give the story a date (front matter `date:`, `copydesk check --date`, or the editor setting), or write the absolute date.",
};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    super::each_paragraph(cx, out, check_paragraph);
}

/// The findings in paragraph `p`: its relative dates, in a story with no date (a
/// paragraph rule: `rules::Rule::paragraph`; dates never cross paragraphs).
pub fn check_paragraph(cx: &Context, p: usize, out: &mut Vec<Diagnostic>) {
    if cx.dateline.is_some() {
        return;
    }
    let para = &cx.doc.paragraphs[p].span;
    let all = &cx.temporals.expressions;
    let from = cx.temporals.paragraph_start(p, para.start);
    for t in all[from..].iter().take_while(|t| t.span.end <= para.end) {
        if t.kind != TemporalKind::Relative {
            continue;
        }
        let written = &cx.doc.text[t.span.clone()];
        out.push(Diagnostic {
            rule: DOC.code,
            severity: DOC.severity,
            message: crate::report::shared(format_args!("“{written}” is relative to the day of writing, but this story has no date. Add a dateline or write the date.")),
            span: t.span.clone(),
            fixes: Vec::new(),
            related: Vec::new(),
        });
    }
}
