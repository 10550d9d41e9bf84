//! Quotation marks paired into quotations. Straight `"`, curly `“ ”`, low `„`,
//! guillemets `« »`, nested single `‘ ’` (and straight `'`), and the marks real copy
//! misuses: a double prime `″` or a straight `"` closing a curly `“`. Apostrophes
//! (Russia’s, don't, ’90s, rock ’n’ roll) are never quotation marks. A quotation
//! whose paragraph ends open and whose next paragraph opens with a mark continues
//! there: one quotation over several paragraphs.

use crate::report::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuoteMark {
    /// “ ” „ and the straight " or ″ used as double marks.
    Double,
    /// « »
    Guillemet,
    /// ‘ ’ and the straight '
    Single,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    /// From the opening mark through the closing mark, or to the end of the
    /// paragraph when the quotation is never closed.
    pub span: Span,
    /// The quoted words between the marks.
    pub inner: Span,
    pub mark: QuoteMark,
    pub closed: bool,
    /// First and last paragraph (inclusive) the quotation covers.
    pub first_paragraph: usize,
    pub last_paragraph: usize,
    /// Quotations inside this one.
    pub nested: Vec<Span>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Family {
    Double,
    Guillemet,
    Single,
}

struct Open {
    family: Family,
    /// Offset of the opening mark and its length.
    at: usize,
    len: usize,
    first_paragraph: usize,
    nested: Vec<Span>,
}

pub(crate) fn is_mark(c: char) -> bool {
    matches!(
        c,
        '“' | '”' | '„' | '«' | '»' | '"' | '″' | '＂' | '‘' | '’' | '\'' | '‹' | '›'
    )
}

fn opener_context(prev: Option<char>, next: Option<char>) -> bool {
    let before =
        prev.is_none_or(|p| p.is_whitespace() || "([{—–-/:;…".contains(p) || "“‘«„\"'".contains(p));
    before && next.is_some_and(|n| !n.is_whitespace())
}

fn closer_context(prev: Option<char>, next: Option<char>) -> bool {
    prev.is_some_and(|p| !p.is_whitespace())
        && next.is_none_or(|n| n.is_whitespace() || (!n.is_alphanumeric() && !"“‘«„".contains(n)))
}

/// Pair the marks of every paragraph. Returns top-level quotations in text order.
pub fn find(prose: &str, paragraphs: &[Span]) -> Vec<Quote> {
    let mut quotes: Vec<Quote> = Vec::new();
    let mut carry: Option<Open> = None;
    let mut marks: Vec<(usize, char)> = Vec::new();
    // the story quotes with ‘ ’: a closed single-quoted quotation of four words or
    // more in an earlier paragraph
    let mut british = false;
    let mut rsquo_after: Vec<bool> = Vec::new();
    let mut checked = 0;
    for (pi, para) in paragraphs.iter().enumerate() {
        for q in &quotes[checked..] {
            british |= q.mark == QuoteMark::Single
                && q.closed
                && prose[q.span.start..].starts_with('‘')
                && prose[q.inner.clone()].split_whitespace().count() >= 4;
        }
        checked = quotes.len();
        let text = &prose[para.clone()];
        let base = para.start;
        let mut stack: Vec<Open> = Vec::new();
        let mut skip_first_open = false;
        if let Some(open) = carry.take() {
            stack.push(open);
            skip_first_open = true;
        }
        // only the marks are looked at: their positions, and the characters around
        // each read from the text when needed
        marks.clear();
        let bytes = text.as_bytes();
        let mut starts = super::MarkStarts::new(bytes);
        let mut i = 0;
        loop {
            i = starts.next(i);
            let Some(&b) = bytes.get(i) else {
                break;
            };
            if b < 0x80 {
                if b == b'"' || b == b'\'' {
                    marks.push((i, b as char));
                }
                i += 1;
                continue;
            }
            let c = text[i..].chars().next().unwrap_or('\u{fffd}');
            if is_mark(c) {
                marks.push((i, c));
            }
            i += c.len_utf8();
        }
        let char_after = |i: usize| text[i..].chars().next();
        // for each mark, whether a ’ that closes comes after it in the paragraph
        // before any ‘: then a plural possessive inside a single-quoted sentence
        // (‘The workers’ pay …’) is an apostrophe, not the closing mark
        rsquo_after.clear();
        rsquo_after.resize(marks.len(), false);
        let mut ahead = false;
        for m in (0..marks.len()).rev() {
            rsquo_after[m] = ahead;
            let (i, c) = marks[m];
            let closer = char_after(i + c.len_utf8()).is_none_or(|x| !x.is_alphanumeric());
            ahead = match c {
                '’' if closer => true,
                '‘' => false,
                _ => ahead,
            };
        }
        for (m, &(i, c)) in marks.iter().enumerate() {
            let mut before = text[..i].chars().rev();
            let prev = before.next();
            let prev2 = before.next();
            let prev3 = before.next();
            let mut after = text[i + c.len_utf8()..].chars();
            let next = after.next();
            let next2 = after.next();
            let at = base + i;
            let len = c.len_utf8();
            if skip_first_open {
                skip_first_open = false;
                if matches!(c, '“' | '„' | '«' | '"' | '″' | '＂' | '‘') {
                    // the opening mark of a continued paragraph
                    continue;
                }
            }
            let has = |stack: &Vec<Open>, f: Family| stack.iter().any(|o| o.family == f);
            let top_is = |stack: &Vec<Open>, f: Family| stack.last().is_some_and(|o| o.family == f);
            let action: Option<(bool, Family)> = match c {
                '“' | '„' => Some((true, Family::Double)),
                '”' => {
                    if has(&stack, Family::Double) {
                        Some((false, Family::Double))
                    } else if opener_context(prev, next) {
                        Some((true, Family::Double))
                    } else {
                        None
                    }
                }
                '«' => Some((true, Family::Guillemet)),
                '»' => has(&stack, Family::Guillemet).then_some((false, Family::Guillemet)),
                '‹' => Some((true, Family::Single)),
                '›' => has(&stack, Family::Single).then_some((false, Family::Single)),
                '"' | '″' | '＂' => {
                    if has(&stack, Family::Double) {
                        if opener_context(prev, next)
                            && !closer_context(prev, next)
                            && !top_is(&stack, Family::Double)
                        {
                            Some((true, Family::Double))
                        } else {
                            Some((false, Family::Double))
                        }
                    } else if opener_context(prev, next) || (prev.is_none() && next.is_some()) {
                        Some((true, Family::Double))
                    } else {
                        None
                    }
                }
                '‘' => {
                    let elision = next.is_some_and(|n| n.is_ascii_digit());
                    (!elision && prev.is_none_or(|p| !p.is_alphanumeric()))
                        .then_some((true, Family::Single))
                }
                '’' | '\'' => {
                    let letter_next = next.is_some_and(|n| n.is_alphanumeric());
                    let letter_prev = prev.is_some_and(|p| p.is_alphanumeric());
                    // rock ’n’ roll, 'n'
                    let n_contraction =
                        next == Some('n') && next2.is_some_and(|x| x == c || x == '’' || x == '\'');
                    let after_n = prev == Some('n')
                        && prev2.is_some_and(|x| x == '’' || x == '\'')
                        && prev3.is_none_or(|x| !x.is_alphanumeric());
                    // ‘The workers’ pay is too low,’: a plural possessive before a
                    // lowercase word, with the closing mark still to come
                    let plural_possessive = c == '’'
                        && matches!(prev, Some('s' | 'S'))
                        && next == Some(' ')
                        && next2.is_some_and(char::is_lowercase)
                        && rsquo_after[m];
                    if n_contraction || after_n || (letter_prev && letter_next) || plural_possessive
                    {
                        None
                    } else if has(&stack, Family::Single) && !letter_next {
                        Some((false, Family::Single))
                    } else if c == '\'' && !letter_prev && letter_next && opener_context(prev, next)
                    {
                        let digit_elision = next.is_some_and(|n| n.is_ascii_digit());
                        (!digit_elision).then_some((true, Family::Single))
                    } else {
                        None
                    }
                }
                _ => None,
            };
            let Some((is_open, family)) = action else {
                continue;
            };
            if is_open {
                stack.push(Open {
                    family,
                    at,
                    len,
                    first_paragraph: pi,
                    nested: Vec::new(),
                });
                continue;
            }
            // close: pop to the innermost open of this family
            let Some(pos) = stack.iter().rposition(|o| o.family == family) else {
                continue;
            };
            stack.truncate(pos + 1);
            let open = stack.pop().expect("position found above");
            let span = open.at..at + len;
            if let Some(parent) = stack.last_mut() {
                parent.nested.push(span);
            } else {
                quotes.push(Quote {
                    span,
                    inner: open.at + open.len..at,
                    mark: match family {
                        Family::Double => QuoteMark::Double,
                        Family::Guillemet => QuoteMark::Guillemet,
                        Family::Single => QuoteMark::Single,
                    },
                    closed: true,
                    first_paragraph: open.first_paragraph,
                    last_paragraph: pi,
                    nested: open.nested,
                });
            }
        }
        // what is still open at the end of the paragraph: the outermost double mark
        // or guillemet, or a curly single mark opening a sentence of at least four
        // words that is the outermost quotation (British style: ‘We are cutting …)
        // (or, in a story already quoting with ‘ ’, a partial quotation of four words
        // or more: said the board owed fans ‘a proper explanation of where …)
        let single_outer = stack.first().is_some_and(|o| {
            let rest = &prose[o.at + o.len..para.end];
            let first = rest
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("")
                .to_lowercase();
            o.family == Family::Single
                && prose[o.at..].starts_with('‘')
                && (rest.chars().next().is_some_and(char::is_uppercase)
                    || (british
                        && rest.chars().next().is_some_and(char::is_lowercase)
                        && !matches!(
                            first.as_str(),
                            "til" | "tis" | "twas" | "em" | "cause" | "n" | "round"
                        )))
                && rest.split_whitespace().count() >= 4
        });
        let mut outer = None;
        for (oi, open) in stack.into_iter().enumerate() {
            if (open.family != Family::Single || (oi == 0 && single_outer)) && outer.is_none() {
                outer = Some(open);
            }
        }
        if let Some(open) = outer {
            let single = open.family == Family::Single;
            let continues = paragraphs.get(pi + 1).is_some_and(|n| {
                let next = prose[n.clone()].trim_start();
                if single {
                    next.starts_with('‘')
                } else {
                    next.starts_with(['“', '„', '«', '"', '″'])
                }
            });
            if continues {
                carry = Some(open);
            } else {
                quotes.push(Quote {
                    span: open.at..para.end,
                    inner: open.at + open.len..para.end,
                    mark: match open.family {
                        Family::Guillemet => QuoteMark::Guillemet,
                        Family::Single => QuoteMark::Single,
                        Family::Double => QuoteMark::Double,
                    },
                    closed: false,
                    first_paragraph: open.first_paragraph,
                    last_paragraph: pi,
                    nested: open.nested,
                });
            }
        }
    }
    quotes.sort_by_key(|q| q.span.start);
    quotes
}

#[cfg(test)]
mod tests {
    use super::super::{Document, Format};

    fn quotes(t: &str) -> Vec<(String, bool)> {
        let d = Document::new(t, Format::PlainText);
        d.quotes
            .iter()
            .map(|q| (t[q.inner.clone()].to_string(), q.closed))
            .collect()
    }

    #[test]
    fn marks_and_apostrophes() {
        let q = quotes("Russia’s “war,” she said, don't ’90s rock ’n’ roll 'n' the Smiths' house.");
        assert_eq!(q, [("war,".to_string(), true)]);
        let q = quotes(
            "“Outer ‘inner’ words,” he said. «Oui», dit-il. \"Straight\" and 'single words' too.",
        );
        assert_eq!(q.len(), 4, "{q:?}");
        let d = Document::new("“Outer ‘inner’ words,” he said.", Format::PlainText);
        assert_eq!(d.quotes[0].nested.len(), 1);
    }

    #[test]
    fn misused_marks_close_a_curly_quote() {
        let t = "“Today, allies made it clear in 2024″NATO added. “Curly then straight\" he said.";
        let q = quotes(t);
        assert_eq!(q.len(), 2, "{q:?}");
        assert!(q[0].0.ends_with("2024"));
        assert!(q.iter().all(|x| x.1));
    }

    #[test]
    fn plural_possessive_inside_single_quotes() {
        let q = quotes("‘The workers’ pay is too low,’ she said. The players’ union agreed.");
        assert_eq!(q, [("The workers’ pay is too low,".to_string(), true)]);
        let q = quotes("‘Paid in full’ was the headline; the Smiths’ house stood.");
        assert_eq!(q, [("Paid in full".to_string(), true)]);
        let q = quotes("‘Thanks to the volunteers’ he wrote, and they don’t stop.");
        assert_eq!(q, [("Thanks to the volunteers".to_string(), true)]);
    }

    #[test]
    fn british_single_quote_paragraphs() {
        let t = "‘We are cutting so we are never in trouble,’ she said. ‘Every role we keep must last.\n\n‘I know that sounds cold.’\n\n‘We will be asking why a profitable company does this.\n\nNext.";
        let q = quotes(t);
        assert_eq!(q.len(), 3, "{q:?}");
        assert!(q[1].1 && q[1].0.contains("sounds cold"), "{q:?}");
        assert!(!q[2].1, "{q:?}");
    }

    #[test]
    fn multi_paragraph_and_unclosed() {
        let t = "“First paragraph of the quote.\n\n“Second paragraph,” she said.\n\n“Never closed here.\n\nNext paragraph.";
        let q = quotes(t);
        assert_eq!(q.len(), 2, "{q:?}");
        assert!(q[0].1 && q[0].0.contains("Second paragraph"));
        assert!(!q[1].1);
        assert_eq!(q[1].0, "Never closed here.");
    }
}
