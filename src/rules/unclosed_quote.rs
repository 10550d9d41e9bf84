//! `unclosed-quote`

use super::{Context, RuleDoc};
use crate::report::{Diagnostic, Edit, Fix, Severity};
use crate::text::QuoteMark;

pub const DOC: RuleDoc = RuleDoc {
    code: "unclosed-quote",
    severity: Severity::Warning,
    summary: "An opening quotation mark never closed in its paragraph.",
    what: "An opening double quotation mark, guillemet or (British style) single mark opening a sentence, with no closing mark before the end of its paragraph, where the next paragraph does not open with a quotation mark (which would continue a multi-paragraph quotation, as news style does).",
    why: "Readers cannot tell where the quoted words end and the reporter's begin, and the attribution may be lost.",
    example: "“We have done what we could, the mayor said.",
    fix: "Close the quotation where the speaker's words end. The quick fix closes it at the end of the paragraph.",
};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for q in &cx.doc.quotes {
        if q.closed {
            continue;
        }
        let close = match q.mark {
            QuoteMark::Guillemet => "»",
            QuoteMark::Single => {
                let open = &cx.doc.text[q.span.start..q.inner.start];
                if open == "'" { "'" } else { "’" }
            }
            _ => {
                let open = &cx.doc.text[q.span.start..q.inner.start];
                if open == "\"" { "\"" } else { "”" }
            }
        };
        let end = q.span.end;
        out.push(Diagnostic {
            rule: DOC.code,
            severity: DOC.severity,
            message: "This quotation is never closed: its paragraph ends without a closing mark and the next paragraph does not continue it.".into(),
            span: q.span.clone(),
            fixes: vec![Fix {
                title: format!("Close the quotation at the end of the paragraph ({close})"),
                edits: vec![Edit { span: end..end, new_text: close.into(), placeholder: None }].into(),
                preferred: true,
            }],
            related: Vec::new(),
        });
    }
}
