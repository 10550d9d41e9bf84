//! Suppression comments: `<!-- copydesk-disable RULE -->`, `<!-- copydesk-enable RULE -->`
//! and `<!-- copydesk-disable-next-line RULE -->` in Markdown; in plain text the same
//! words in a line of their own bracketed by `[` `]`: `[copydesk-disable-next-line RULE]`.
//! RULE may be a list separated by spaces or commas, or omitted for every rule.

use crate::pattern::Pattern;

use crate::report::Diagnostic;
use crate::text::Document;

fn re() -> &'static Pattern {
    static RE: Pattern = Pattern::new(|| {
        String::from(
            r"(?:<!--|\[)\s*copydesk-(disable-next-line|disable|enable)(?-u:\b)([^>\]\n]*?)\s*(?:-->|\])",
        )
    });
    &RE
}

struct Region {
    rules: Vec<String>,
    start: usize,
    end: usize,
}

pub fn apply(text: &str, _doc: &Document, diagnostics: &mut Vec<Diagnostic>) {
    if !text.contains("copydesk-") {
        return;
    }
    let mut regions: Vec<Region> = Vec::new();
    let mut open: Vec<(Vec<String>, usize)> = Vec::new();
    for c in re().captures_iter(text) {
        let m = c.get(0).unwrap();
        let rules: Vec<String> = c[2]
            .split([' ', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        match &c[1] {
            "disable-next-line" => {
                let line_end = text[m.end()..]
                    .find('\n')
                    .map_or(text.len(), |i| m.end() + i);
                let next_end = text[(line_end + 1).min(text.len())..]
                    .find('\n')
                    .map_or(text.len(), |i| line_end + 1 + i);
                regions.push(Region {
                    rules,
                    start: m.start(),
                    end: next_end,
                });
            }
            "disable" => open.push((rules, m.end())),
            _ => {
                // enable closes the matching disable (or all of them when no rule is named)
                let mut keep = Vec::new();
                for (r, start) in open.drain(..) {
                    if rules.is_empty() || r.is_empty() || r.iter().any(|x| rules.contains(x)) {
                        regions.push(Region {
                            rules: r,
                            start,
                            end: m.start(),
                        });
                    } else {
                        keep.push((r, start));
                    }
                }
                open = keep;
            }
        }
    }
    for (rules, start) in open {
        regions.push(Region {
            rules,
            start,
            end: text.len(),
        });
    }
    diagnostics.retain(|d| {
        !regions.iter().any(|r| {
            (r.rules.is_empty() || r.rules.iter().any(|x| x == d.rule))
                && r.start <= d.span.start
                && d.span.start < r.end
        })
    });
}
