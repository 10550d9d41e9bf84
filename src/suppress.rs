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

/// Whether `text` has what every suppression comment begins with: `<!--` or `[`,
/// any white space, and `copydesk-`. (Asked on every keystroke, of the whole text:
/// the two brackets are rare in prose, and a vectorised search skips to them.)
fn may_have_comment(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(i) = memchr::memchr2(b'<', b'[', &bytes[at..]) {
        let open = at + i;
        at = open + 1;
        let rest = &text[open..];
        let after = match rest.strip_prefix("<!--") {
            Some(after) => after,
            None if bytes[open] == b'[' => &rest[1..],
            None => continue,
        };
        if after.trim_start().starts_with("copydesk-") {
            return true;
        }
    }
    false
}

struct Region {
    rules: Vec<String>,
    start: usize,
    end: usize,
}

pub fn apply(text: &str, _doc: &Document, diagnostics: &mut Vec<Diagnostic>) {
    if !may_have_comment(text) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text with a suppression comment passes the first look; texts without
    /// one's opening pass it only with a bracket and the word right after.
    #[test]
    fn the_first_look_misses_no_comment() {
        let texts = [
            "<!-- copydesk-disable undated-claim -->",
            "<!--copydesk-enable-->",
            "[copydesk-disable-next-line]",
            "[ \u{2003}copydesk-disable a, b]",
            "a [b] <c> <!-- d --> [ copydesk-x",
            "text with no comment at all",
            "ends with an open bracket [",
            "<!-- ",
            "[[[[copydesk-disable]",
            "<<!-- copydesk-disable -->",
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let corpus: Vec<String> = std::fs::read_dir(root.join("tests/corpus"))
            .unwrap()
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        for t in texts
            .iter()
            .copied()
            .chain(corpus.iter().map(String::as_str))
        {
            let has = re().is_match(t);
            assert!(!has || may_have_comment(t), "{t:?}");
            if !t.contains("copydesk-") {
                assert!(!may_have_comment(t), "{t:?}");
            }
        }
        assert!(may_have_comment(texts[0]) && may_have_comment(texts[4]));
        assert!(!may_have_comment(texts[5]) && !may_have_comment(texts[6]));
    }
}
