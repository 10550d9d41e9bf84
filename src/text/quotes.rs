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
    find_with_memo(prose, paragraphs, &mut QuoteMemo::default())
}

/// `find`, keeping in `memo` what `find_patched` takes up next time.
pub fn find_with_memo(prose: &str, paragraphs: &[Span], memo: &mut QuoteMemo) -> Vec<Quote> {
    *memo = QuoteMemo::default();
    find_from(prose, paragraphs, 0, None, memo);
    sorted(memo)
}

/// What a run of `find` leaves for the next (`find_patched`): the quotations in
/// the order they were found, and the state at each paragraph's start.
#[derive(Default)]
pub struct QuoteMemo {
    /// Top-level quotations, in the order they closed (or ended their paragraph).
    found: Vec<Quote>,
    /// For each paragraph, at its start: how many quotations were found before it,
    /// whether the story quotes with ‘ ’ by then, and whether a quotation goes on
    /// into it from the one before.
    states: Vec<ParagraphState>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct ParagraphState {
    found: usize,
    british: bool,
    carried: bool,
}

/// The memo's quotations in text order.
fn sorted(memo: &QuoteMemo) -> Vec<Quote> {
    let mut quotes = memo.found.clone();
    quotes.sort_by_key(|q| q.span.start);
    quotes
}

/// `find` after a change the mask patched (`markdown::Patch`), from what the last
/// run kept (`memo`, of the paragraphs `old`): the quotations before the
/// paragraph before the change are kept, the paragraphs from that one on are read
/// again, and from the first paragraph after the change that starts as it did,
/// with nothing carried into it and the same quoting style, the rest is the last
/// run's, moved. The same as `find` (`tests/incremental.rs`).
pub fn find_patched(
    prose: &str,
    paragraphs: &[Span],
    old: &[Span],
    patch: &super::markdown::Patch,
    memo: &mut QuoteMemo,
) -> Vec<Quote> {
    // the first paragraph the change reaches, in both lists (they agree before it)
    let changed = paragraphs.partition_point(|p| p.end < patch.from);
    let mut from = changed.saturating_sub(1);
    // a quotation carried into a paragraph reads back into earlier ones
    while from > 0 && memo.states.get(from).is_none_or(|s| s.carried) {
        from -= 1;
    }
    if memo.states.len() != old.len() || old.get(..from) != paragraphs.get(..from) {
        *memo = QuoteMemo::default();
        from = 0;
    }
    let resume = Resume {
        old,
        patch,
        count: paragraphs.len(),
    };
    find_from(prose, paragraphs, from, Some(resume), memo);
    sorted(memo)
}

/// Where `find_from` may take up the last run's results again.
#[derive(Clone, Copy)]
struct Resume<'o> {
    old: &'o [Span],
    patch: &'o super::markdown::Patch,
    /// How many paragraphs there are now.
    count: usize,
}

/// Read the paragraphs from `start` on (nothing carried into it), keeping in `memo`
/// what was found before it; with `resume`, stop at the first paragraph after
/// the change that the last run reached in the same state, and take its results
/// from there on, moved.
fn find_from(
    prose: &str,
    paragraphs: &[Span],
    start: usize,
    resume: Option<Resume>,
    memo: &mut QuoteMemo,
) {
    let (mut british, found_before) = match memo.states.get(start) {
        Some(s) if start > 0 => (s.british, s.found),
        _ => (false, 0),
    };
    let old_found = std::mem::take(&mut memo.found);
    let old_states = std::mem::take(&mut memo.states);
    let mut quotes: Vec<Quote> = Vec::with_capacity(old_found.len() + 8);
    quotes.extend_from_slice(&old_found[..found_before.min(old_found.len())]);
    let mut states: Vec<ParagraphState> = Vec::with_capacity(paragraphs.len());
    states.extend_from_slice(&old_states[..start.min(old_states.len())]);
    let mut carry: Option<Open> = None;
    let mut marks: Vec<(usize, char)> = Vec::new();
    // the story quotes with ‘ ’: a closed single-quoted quotation of four words or
    // more in an earlier paragraph
    let mut rsquo_after: Vec<bool> = Vec::new();
    let mut checked = quotes.len();
    for (pi, para) in paragraphs.iter().enumerate().skip(start) {
        for q in &quotes[checked..] {
            british |= q.mark == QuoteMark::Single
                && q.closed
                && prose[q.span.start..].starts_with('‘')
                && prose[q.inner.clone()].split_whitespace().count() >= 4;
        }
        checked = quotes.len();
        let state = ParagraphState {
            found: quotes.len(),
            british,
            carried: carry.is_some(),
        };
        // a paragraph after the change the last run reached in the same state:
        // the rest is that run's, moved
        let same = resume
            .filter(|_| pi > start && !state.carried)
            .and_then(|r| {
                let k = r.same_paragraph(para, pi)?;
                let o = old_states
                    .get(k)
                    .filter(|o| !o.carried && o.british == british)?;
                Some((r, k, *o))
            });
        if let Some((r, k, o)) = same {
            let paras = pi as isize - k as isize;
            let moved = |s: &Span| r.patch.moved(s.start)..r.patch.moved(s.end);
            let para_at = |x: usize| (x as isize + paras) as usize;
            quotes.extend(old_found[o.found..].iter().map(|q| Quote {
                span: moved(&q.span),
                inner: moved(&q.inner),
                first_paragraph: para_at(q.first_paragraph),
                last_paragraph: para_at(q.last_paragraph),
                nested: q.nested.iter().map(moved).collect(),
                ..q.clone()
            }));
            let found_shift = state.found as isize - o.found as isize;
            states.extend(old_states[k..].iter().map(|s| ParagraphState {
                found: (s.found as isize + found_shift) as usize,
                ..*s
            }));
            memo.found = quotes;
            memo.states = states;
            return;
        }
        states.push(state);
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
    memo.found = quotes;
    memo.states = states;
}

impl Resume<'_> {
    /// The last run's paragraph that `para` (paragraph `pi` now) is, when it
    /// starts after the change and stood, moved, where it stands now.
    fn same_paragraph(&self, para: &Span, pi: usize) -> Option<usize> {
        if para.start <= self.patch.new_to {
            return None;
        }
        let start = (para.start as isize - self.patch.shift()) as usize;
        let k = self.old.partition_point(|p| p.start < start);
        let old = self.old.get(k)?;
        let same = old.start == start && self.patch.moved(old.end) == para.end;
        // the paragraphs after it are then the same too, and as many
        (same && self.old.len() - k == self.count - pi).then_some(k)
    }
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
