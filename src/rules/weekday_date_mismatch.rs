//! `weekday-date-mismatch`

use super::{Context, RuleDoc};
use crate::report::{Diagnostic, Edit, Fix, Severity};
use crate::temporal::{long_date, month_name, weekday_name};

pub const DOC: RuleDoc = RuleDoc {
    code: "weekday-date-mismatch",
    severity: Severity::Warning,
    summary: "A weekday next to a date that disagrees with the calendar (\"Friday, March 5, 2024\" was a Tuesday).",
    what: "A weekday written next to a full date (or a month and day, with the year taken from the dateline) that falls on another day of the week.",
    why: "One of the two is wrong, and readers will notice. It is a correction waiting to happen.",
    example: "The vote is set for Friday, March 5, 2024.",
    fix: "Check which is right. The quick fixes offer both corrections: the weekday that fits the date, or the date of that weekday in the same week.",
};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for w in &cx.temporals.weekday_dates {
        let actual = w.date.weekday();
        if actual == w.weekday {
            continue;
        }
        let written_wd = &cx.doc.text[w.weekday_span.clone()];
        let abbreviated = written_wd.len() < 6;
        let right_name = if abbreviated {
            &weekday_name(actual)[..3]
        } else {
            weekday_name(actual)
        };
        // the date of the written weekday in the same Monday-to-Sunday week
        let shift =
            w.weekday.to_monday_zero_offset() as i64 - actual.to_monday_zero_offset() as i64;
        let other = w.date.saturating_add(jiff::Span::new().days(shift));
        let date_text = &cx.doc.text[w.date_span.clone()];
        let new_date = date_text
            .replacen(month_name(w.date.month()), month_name(other.month()), 1)
            .replacen(&w.date.day().to_string(), &other.day().to_string(), 1);
        let mut fixes = vec![Fix {
            title: format!("Change the weekday to {right_name}"),
            edits: vec![Edit {
                span: w.weekday_span.clone(),
                new_text: right_name.to_string(),
                placeholder: None,
            }]
            .into(),
            preferred: false,
        }];
        if other.month() == w.date.month() || date_text.contains(month_name(w.date.month())) {
            fixes.push(Fix {
                title: format!("Change the date to {} ({})", new_date, long_date(other)),
                edits: vec![Edit {
                    span: w.date_span.clone(),
                    new_text: new_date.clone(),
                    placeholder: None,
                }]
                .into(),
                preferred: false,
            });
        }
        out.push(Diagnostic {
            rule: DOC.code,
            severity: DOC.severity,
            message: crate::report::shared(format_args!(
                "{} is a {}, not a {}{}.",
                long_date(w.date).split_once(' ').map_or("", |x| x.1),
                weekday_name(actual),
                weekday_name(w.weekday),
                if w.year_assumed {
                    " (year taken from the dateline)"
                } else {
                    ""
                }
            )),
            span: w.span.clone(),
            fixes,
            related: Vec::new(),
        });
    }
}
