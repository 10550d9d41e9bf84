//! Shared by the two spelling rules: which variant mentions are inconsistencies
//! (the story also uses another form) and which are consistent but not house style.

use super::Context;
use crate::entities::{SpellingVariant, VariantReason};
use std::sync::Arc;

use crate::report::{Edit, Fix, Related, Span};

pub struct Finding<'a> {
    pub entity: usize,
    pub variant: &'a SpellingVariant,
    /// The story also writes the entity the preferred way (or another variant).
    pub inconsistent: bool,
    /// Where the other spellings stand.
    pub others: Vec<Span>,
    /// Every variant mention of the entity rewritten the preferred way: built once per
    /// entity and shared by its findings' "everywhere" fixes.
    pub all: Arc<[Edit]>,
}

fn letters_upper(s: &str) -> bool {
    let mut n = 0;
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        n += 1;
    }
    n >= 2
}

pub fn findings<'a>(cx: &'a Context) -> Vec<Finding<'a>> {
    let rec = cx.entities;
    let text = cx.doc.text;
    let mut out = Vec::new();
    for (ei, e) in rec.entities.iter().enumerate() {
        // the other spellings depend only on this spelling and its replacement
        let mut seen: std::collections::HashMap<(&str, &str), Vec<Span>> = Default::default();
        let mut all: Option<Arc<[Edit]>> = None;
        let mut all_edits = || {
            all.get_or_insert_with(|| {
                let mentions = if e.mentions.len() > MAX_MENTIONS_FOR_FIX_ALL {
                    &e.mentions[..0]
                } else {
                    &e.mentions[..]
                };
                let mut v: Vec<Edit> = mentions
                    .iter()
                    .filter_map(|&mi| rec.mentions[mi].variant.as_ref())
                    .map(|v| Edit {
                        span: v.span.clone(),
                        new_text: v.replacement.clone(),
                        placeholder: None,
                    })
                    .collect();
                v.sort_by_key(|e| e.span.start);
                v.dedup();
                v.into()
            })
            .clone()
        };
        for &mi in &e.mentions {
            let m = &rec.mentions[mi];
            let Some(v) = &m.variant else { continue };
            let surface = &text[v.span.clone()];
            if let Some(others) = seen.get(&(surface, v.replacement.as_str())) {
                let inconsistent = !others.is_empty() || e.kb.is_none();
                out.push(Finding {
                    entity: ei,
                    variant: v,
                    inconsistent,
                    others: others.clone(),
                    all: all_edits(),
                });
                continue;
            }
            let mut others = Vec::new();
            for &oi in &e.mentions {
                if oi == mi {
                    continue;
                }
                let o = &rec.mentions[oi];
                let os = &text[o.span.clone()];
                if letters_upper(os) && !letters_upper(surface) && !letters_upper(&v.replacement) {
                    continue; // an all-caps dateline is no spelling
                }
                let differs = match &o.variant {
                    None => {
                        // the preferred form itself, or a form containing it
                        os == v.replacement
                            || os.contains(v.replacement.as_str())
                            || v.replacement.contains(os)
                                && os.split_whitespace().count()
                                    == v.replacement.split_whitespace().count()
                    }
                    Some(ov) => {
                        ov.replacement == v.replacement && text[ov.span.clone()] != *surface
                    }
                };
                if differs {
                    others.push(o.span.clone());
                    if others.len() >= 5 {
                        break;
                    }
                }
            }
            let inconsistent = !others.is_empty() || e.kb.is_none();
            seen.insert((surface, v.replacement.as_str()), others.clone());
            out.push(Finding {
                entity: ei,
                variant: v,
                inconsistent,
                others,
                all: all_edits(),
            });
        }
    }
    out
}

/// Above this many mentions of one entity, the replace-everywhere fix is left out: the
/// edit list is shared in memory, but the JSON output repeats it in every finding and
/// would grow with the square of the story's length.
const MAX_MENTIONS_FOR_FIX_ALL: usize = 400;

pub fn fixes(cx: &Context, f: &Finding) -> Vec<Fix> {
    let rec = cx.entities;
    let mut fixes = vec![Fix {
        title: format!("Replace with “{}”", f.variant.replacement),
        edits: vec![Edit {
            span: f.variant.span.clone(),
            new_text: f.variant.replacement.clone(),
            placeholder: None,
        }]
        .into(),
        preferred: true,
    }];
    if f.all.len() > 1 {
        fixes.push(Fix {
            title: format!(
                "Write {} the preferred way everywhere ({} changes)",
                rec.entities[f.entity].name,
                f.all.len()
            ),
            edits: f.all.clone(),
            preferred: false,
        });
    }
    fixes
}

pub fn related(cx: &Context, f: &Finding) -> Vec<Related> {
    f.others
        .iter()
        .take(5)
        .map(|s| Related {
            span: s.clone(),
            message: format!("written “{}” here", &cx.doc.text[s.clone()]),
        })
        .collect()
}

pub fn reason_text(r: VariantReason) -> &'static str {
    match r {
        VariantReason::Known => "a spelling house style does not use",
        VariantReason::Case => "the same name in different letter case",
        VariantReason::Diacritics => "the same name with different diacritics",
        VariantReason::Transliteration => "another transliteration of the same name",
        VariantReason::NearMiss => "one letter away from a well-known name",
    }
}
