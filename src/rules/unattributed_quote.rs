//! `unattributed-quote`

use super::{Context, RuleDoc};
use crate::report::{Diagnostic, Edit, Fix, QuoteKind, Severity};

pub const DOC: RuleDoc = RuleDoc {
    code: "unattributed-quote",
    severity: Severity::Warning,
    summary: "Words in quotation marks that no one in the text is said to have said.",
    what: "A quotation of someone's words (more than three words, sentence punctuation inside, or a short sentence quoted on its own) with no speaker and speech verb in its sentence, in the sentence before in the same paragraph (or any sentence or paragraph ending in a colon that introduces it) or in the sentence after in the same paragraph. Speakers are people, title phrases (\"the foreign minister\"), bodies, documents (\"the report said\") and pronouns resolved to the most recent fitting person. Later quotations in a paragraph, and later paragraphs of a multi-paragraph quotation, inherit the attribution; \"according to X\", \"X told Y\", \"in a statement\", \"was quoted as saying\" and the headline form “…”: fire chief warns all attribute. An unclosed quotation is flagged only when no speech verb stands inside it. Scare quotes, quoted terms, nicknames, names of operations, slogans, songs and titles of works are not flagged.",
    why: "A quotation nobody is said to have said cannot be checked, and readers cannot weigh it. It is one of the first things an editor asks about.",
    example: "“We will not back down.” The council meets again in May.",
    fix: "Say who said it: “We will not back down,” Mayor Ana Ruiz said. The quick fix inserts an attribution, SPEAKER said, after the closing mark (closing an unclosed quotation first). In an editor that takes snippets, SPEAKER comes selected, so typing the name replaces it, and Tab moves on past said; other editors insert the words as they are. In the JSON output the edit names SPEAKER as its placeholder.",
};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, q) in cx.doc.quotes.iter().enumerate() {
        if cx.quote_kinds[i] != QuoteKind::Speech || cx.attributions[i].found() {
            continue;
        }
        // an unclosed quotation may hide its own attribution ("“We did what we could,
        // the mayor said."): flag it only when no speech verb stands in it
        if !q.closed && has_cue_inside(cx, q.inner.clone()) {
            continue;
        }
        let span = q.inner.clone();
        let insert_at = q.span.end;
        // an unclosed quotation is closed first, so the attribution falls outside it
        let close = if q.closed {
            ""
        } else {
            match &cx.doc.text[q.span.start..q.inner.start] {
                "\"" => "\"",
                "'" => "'",
                "‘" => "’",
                "«" => "»",
                _ => "”",
            }
        };
        out.push(Diagnostic {
            rule: DOC.code,
            severity: DOC.severity,
            message: crate::report::shared(format_args!(
                "No one is said to have said this quotation: {}. Name the speaker with a speech verb (said, told) in the same sentence or next to it.",
                cx.attributions[i].how
            )),
            span,
            fixes: vec![Fix {
                title: "Add an attribution after the quotation".into(),
                edits: vec![attribution(insert_at, close)].into(),
                preferred: false,
            }],
            related: Vec::new(),
        });
    }
}

/// What the fix inserts after the closing mark (`close` first, for an unclosed
/// quotation): ` SPEAKER said`, with `SPEAKER` as the placeholder to type over.
fn attribution(at: usize, close: &str) -> Edit {
    const SPEAKER: &str = "SPEAKER";
    let start = close.len() + 1;
    Edit {
        span: at..at,
        new_text: format!("{close} {SPEAKER} said"),
        placeholder: Some(start..start + SPEAKER.len()),
    }
}

fn has_cue_inside(cx: &Context, inner: std::ops::Range<usize>) -> bool {
    let from = cx.doc.token_index_at(inner.start);
    (from..cx.doc.tokens.len())
        .take_while(|&k| cx.doc.tokens[k].span().start < inner.end)
        .any(|k| crate::attribution::is_cue_word(cx.doc.folded(k)))
}
