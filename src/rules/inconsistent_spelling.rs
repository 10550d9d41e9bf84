//! `inconsistent-spelling`

use super::{Context, RuleDoc, spelling};
use crate::report::{Diagnostic, Severity};

pub const DOC: RuleDoc = RuleDoc {
    code: "inconsistent-spelling",
    severity: Severity::Warning,
    summary: "One entity written two or more ways in one story (Kiev / Kyiv, kyiv / Kyiv, Erdoğan / Erdogan).",
    what: "Each occurrence of a non-preferred form of a name the story also writes another way: known variants, letter case (an all-caps dateline is not a variant), diacritics, and transliteration families of names the knowledge base does not know (Oleschuk / Oleshchuk: y/i, kh/h, shch/sch, ts/tz, doubled letters). The preferred form is house style, else the story's most frequent form, else its first. Distinct known entities (Iran / Iraq, Dmitry Peskov / Dmytro Kuleba) and short names never merge.",
    why: "Two spellings of one name in a story look careless and can make readers think two people or places are meant. These are the errors that earn corrections.",
    example: "Vitali Klitschko, the mayor of Kiev, said two drones were shot down before reaching Kyiv.",
    fix: "Use the preferred spelling throughout. Quick fixes replace this occurrence or every variant in the story at once.",
};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for f in spelling::findings(cx) {
        if !f.inconsistent {
            continue;
        }
        let name = &cx.entities.entities[f.entity].name;
        let written = &cx.doc.text[f.variant.span.clone()];
        out.push(Diagnostic {
            rule: DOC.code,
            severity: DOC.severity,
            message: crate::report::shared(format_args!(
                "“{written}” is {}: this story also writes {name} as “{}”. Use one spelling.",
                spelling::reason_text(f.variant.reason),
                f.variant.replacement
            )),
            span: f.variant.span.clone(),
            fixes: spelling::fixes(cx, &f),
            related: spelling::related(cx, &f),
        });
    }
}
