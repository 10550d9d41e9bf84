//! `nonstandard-spelling`

use super::{Context, RuleDoc, spelling};
use crate::entities::VariantReason;
use crate::report::{Diagnostic, Severity};

pub const DOC: RuleDoc = RuleDoc {
    code: "nonstandard-spelling",
    severity: Severity::Information,
    summary: "A spelling house style does not use (Kiev, Kharkov, Zelensky), or a near miss of a well-known name (Stoltenburg).",
    what: "A form of a known name that house style does not use, even when the story uses it consistently; and a capitalised word one letter away from a well-known name that the knowledge base does not otherwise know (Stoltenburg, Macrone). When the story also uses the preferred form, the finding is an inconsistent-spelling instead. Not reported: old names in historical phrases (Soviet Moldavia) or institutions' names (Peking University), a name written consistently without the accents house style keeps (Jose for José), and the gazetteer's spellings of minor places.",
    why: "House style makes a publication consistent from story to story; old transliterations (Kiev) and misspelled names date or embarrass a story.",
    example: "Ukrainian President Volodymyr Zelensky spoke in Kiev.",
    fix: "Use the house-style spelling: Volodymyr Zelenskyy, Kyiv. A newsroom can change its preferred forms in .copydesk.toml.",
};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for f in spelling::findings(cx) {
        if f.inconsistent || cx.entities.entities[f.entity].kb.is_none() {
            continue;
        }
        let e = &cx.entities.entities[f.entity];
        let written = &cx.doc.text[f.variant.span.clone()];
        // the gazetteer's spellings of minor places (Taras for Taraz, Belen for Belém)
        // are also people's names: alone, they are not worth a finding
        if e.kb
            .is_some_and(|k| cx.kb.entity(k).data().id.starts_with("geo-"))
        {
            continue;
        }
        // a name written consistently without the accents house style keeps (Jose for
        // José) is a keyboard's limit more than a style: only a mix is reported
        if f.variant.reason == VariantReason::Diacritics
            && written.is_ascii()
            && !f.variant.replacement.is_ascii()
        {
            continue;
        }
        let message = if f.variant.reason == VariantReason::NearMiss {
            format!(
                "“{written}” looks like a misspelling of “{}” ({}).",
                f.variant.replacement, e.name
            )
        } else {
            format!(
                "House style writes “{}”, not “{written}” ({}).",
                f.variant.replacement,
                spelling::reason_text(f.variant.reason)
            )
        };
        out.push(Diagnostic {
            rule: DOC.code,
            severity: DOC.severity,
            message: message.into(),
            span: f.variant.span.clone(),
            fixes: spelling::fixes(cx, &f),
            related: Vec::new(),
        });
    }
}
