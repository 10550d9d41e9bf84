//! Paragraphs and sentences. Sentence splitting survives abbreviations, initials and
//! initialisms: "Lt. Gen.", "U.S.", "Dec. 8", "Mr.", "No. 9", "J.R.R.".

use super::{Format, Paragraph, Sentence, Token};
use crate::lexicon::WordList;
use crate::report::Span;

/// Paragraph spans: runs of non-blank lines, also split where Markdown starts a block.
pub fn paragraphs(prose: &str, block_starts: &[usize]) -> Vec<Span> {
    let mut out = Vec::new();
    scan_paragraphs(prose, block_starts, 0, None, &mut out);
    out
}

/// `paragraphs`, read as two halves that two threads can read at once: where the
/// first blank line that starts after `from` ends (`None` if there is none, or it
/// ends the text), the paragraphs before that and those after it. Nothing reads
/// across a blank line (`scan_paragraphs`), so together they are `paragraphs`
/// (tested below).
pub fn paragraph_break_after(prose: &str, block_starts: &[usize], from: usize) -> Option<usize> {
    // the first line that starts after `from` (past a "\r\n" whole)
    let bytes = prose.as_bytes();
    let at = super::find_byte(bytes, from.min(bytes.len()), b'\n', b'\r');
    if at >= bytes.len() {
        return None;
    }
    let line = at + 1 + usize::from(bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n'));
    // (the paragraphs read on the way are not wanted: only where the blank line ends)
    let mut unused = Vec::new();
    scan_paragraphs(prose, block_starts, line, Some(from), &mut unused)
}

/// The paragraphs before `at`, the end of a blank line (`paragraph_break_after`).
pub fn paragraphs_before(prose: &str, block_starts: &[usize], at: usize) -> Vec<Span> {
    let mut out = Vec::new();
    scan_paragraphs(&prose[..at], block_starts, 0, None, &mut out);
    out
}

/// The paragraphs from `at`, the end of a blank line (`paragraph_break_after`), on.
pub fn paragraphs_from(prose: &str, block_starts: &[usize], at: usize) -> Vec<Span> {
    let mut out = Vec::new();
    scan_paragraphs(prose, block_starts, at, None, &mut out);
    out
}

/// `paragraphs` of `prose` again after a change that `markdown::mask_with_memo`
/// patched (`patch`), from `old`, the paragraphs before it: those that end before
/// the paragraph before the change are kept, the lines from that one on are read
/// again, up to the first blank line after the change, and the paragraphs after
/// that line are the old ones, moved. The same as `paragraphs` (`tests/incremental.rs`).
pub fn paragraphs_patched(
    prose: &str,
    block_starts: &[usize],
    old: &[Span],
    patch: &super::markdown::Patch,
) -> Vec<Span> {
    // the first paragraph that reaches the change, and the one before it, which
    // starts on a line the change leaves as it was (with what stands before it)
    let j = old.partition_point(|s| s.end < patch.from);
    let (kept, pos) = match j.checked_sub(1) {
        None => (0, 0),
        Some(i) => {
            let start = old[i].start;
            let line = memchr::memrchr2(b'\n', b'\r', &prose.as_bytes()[..start]);
            (i, line.map_or(0, |l| l + 1))
        }
    };
    let mut out = Vec::with_capacity(old.len() + 4);
    out.extend_from_slice(&old[..kept]);
    if let Some(after) = scan_paragraphs(prose, block_starts, pos, Some(patch.new_to), &mut out) {
        // from the end of a blank line in the unchanged text on, both texts read alike
        let old_after = (after as isize - patch.shift()) as usize;
        let from = old.partition_point(|s| s.start < old_after);
        out.extend(
            old[from..]
                .iter()
                .map(|s| patch.moved(s.start)..patch.moved(s.end)),
        );
    }
    out
}

/// Read the lines of `prose` from `pos`, the start of a line where no paragraph is
/// open, into paragraphs pushed to `out`. With `stop`, return at the end of the
/// first blank line that starts after it (the offset after its line break),
/// with no paragraph open; else (or at the end of the text) `None`.
fn scan_paragraphs(
    prose: &str,
    block_starts: &[usize],
    mut pos: usize,
    stop: Option<usize>,
    out: &mut Vec<Span>,
) -> Option<usize> {
    let mut cur: Option<Span> = None;
    let first_block = block_starts.partition_point(|&b| b < pos);
    let mut blocks = block_starts[first_block..].iter().copied().peekable();
    let bytes = prose.as_bytes();
    while pos < prose.len() {
        let end = super::find_byte(bytes, pos, b'\n', b'\r');
        let line = &prose[pos..end];
        let content = line.trim();
        let blank = content.is_empty();
        let line_start = pos;
        if blank {
            if let Some(c) = cur.take() {
                out.push(c);
            }
        } else {
            let lstart = pos + (line.len() - line.trim_start().len());
            let lend = pos + line.trim_end().len();
            // a Markdown block starting on this line begins a new paragraph
            let mut new_block = false;
            while let Some(&b) = blocks.peek() {
                if b < pos {
                    blocks.next();
                } else if b < end.max(pos + 1) {
                    new_block = true;
                    blocks.next();
                } else {
                    break;
                }
            }
            match cur.as_mut() {
                Some(c) if !new_block => c.end = lend,
                _ => {
                    if let Some(c) = cur.take() {
                        out.push(c);
                    }
                    cur = Some(lstart..lend);
                }
            }
        }
        pos = end;
        if pos < bytes.len() {
            if bytes[pos] == b'\r' && bytes.get(pos + 1) == Some(&b'\n') {
                pos += 1;
            }
            pos += 1;
        }
        if blank && stop.is_some_and(|s| line_start > s) && pos < prose.len() {
            return Some(pos);
        }
    }
    if let Some(c) = cur {
        out.push(c);
    }
    None
}

/// Words (lower case, without their period) a period follows without ending the
/// sentence ("Dr.", "Gen.", "Dec.", "No.").
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "maj", "capt", "cpt",
    "sgt", "cpl", "adm", "cmdr", "brig", "st", "mt", "ft", "jr", "sr", "no", "nos", "vol", "vs",
    "v", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "approx", "fig", "rev", "hon", "pres", "supt", "dept", "univ", "ave", "blvd", "rd", "e.g",
    "i.e", "cf", "al", "op", "pp", "p", "ref", "atty", "lieut", "messrs", "mme", "mlle", "rt",
    "insp", "det", "pvt", "spc", "assn", "bros",
];

/// `ABBREVIATIONS`, looked up (a period closes most sentences).
static ABBREVIATION_SET: WordList = WordList::new(ABBREVIATIONS);

/// The endings of companies' names after which a period may or may not end the
/// sentence (the next word decides).
const COMPANY_ENDINGS: &[&str] = &["inc", "ltd", "co", "corp", "etc", "a.m", "p.m"];

/// The longest word of `ABBREVIATIONS` and `COMPANY_ENDINGS`, in bytes.
const ABBREVIATION_MAX: usize = 6;

/// Words that, after "U.S." or "Inc.", show a new sentence has begun.
const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "But",
    "And",
    "In",
    "On",
    "At",
    "This",
    "That",
    "These",
    "Those",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "There",
    "Then",
    "However",
    "Meanwhile",
    "After",
    "Before",
    "When",
    "While",
    "Some",
    "Many",
    "Most",
    "Its",
];

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '“' | '"' | '‘' | '\'' | '«' | '„' | '(' | '[' | '¿' | '¡' | '″'
    )
}

fn is_closing(c: char) -> bool {
    matches!(c, '”' | '"' | '’' | '\'' | '»' | ')' | ']' | '″')
}

/// The word just before `pos` (letters and inner periods), lowercased.
fn word_before(s: &str, pos: usize) -> &str {
    let b = s[..pos]
        .rfind(|c: char| !(c.is_alphanumeric() || c == '.'))
        .map_or(0, |i| i + s[i..].chars().next().unwrap().len_utf8());
    &s[b..pos]
}

fn next_word(s: &str) -> &str {
    let s = s.trim_start_matches(|c: char| is_opening(c) || c.is_whitespace());
    let e = s.find(|c: char| !c.is_alphanumeric()).unwrap_or(s.len());
    &s[..e]
}

/// Whether a period at `dot` (in `p`, the paragraph text) ends a sentence, given the
/// text that follows the punctuation run.
fn period_ends_sentence(p: &str, dot: usize, rest: &str) -> bool {
    let w = word_before(p, dot);
    // (looked at only after an initialism or a company's ending)
    let starter = || SENTENCE_STARTERS.contains(&next_word(rest));
    if w.is_empty() {
        return true;
    }
    // initials and initialisms: J. / J.R.R. / U.S.
    let mut letters = w.split('.').filter(|x| !x.is_empty()).peekable();
    if letters.peek().is_some()
        && letters.clone().all(|x| {
            let mut cs = x.chars();
            cs.next().is_some_and(char::is_alphabetic) && cs.next().is_none()
        })
    {
        // a lone initial (J.) never ends a sentence; an initialism (U.S.) does when a
        // sentence plainly starts after it
        return letters.count() > 1 && starter();
    }
    // lower-cased on the stack: an abbreviation is short, and a longer word is none
    let bare = w.trim_end_matches('.');
    if bare.len() > ABBREVIATION_MAX {
        return true;
    }
    let mut buf = [0u8; ABBREVIATION_MAX];
    buf[..bare.len()].copy_from_slice(bare.as_bytes());
    buf.make_ascii_lowercase();
    let Ok(bare) = std::str::from_utf8(&buf[..bare.len()]) else {
        return true;
    };
    if ABBREVIATION_SET.contains(bare) {
        // "No. 9", "Dec. 8": an abbreviation followed by a number or a name continues
        return false;
    }
    if COMPANY_ENDINGS.contains(&bare) {
        return starter();
    }
    true
}

pub fn split(
    prose: &str,
    para_spans: &[Span],
    tokens: &[Token],
    format: Format,
) -> (Vec<Paragraph>, Vec<Sentence>) {
    let mut paragraphs = Vec::with_capacity(para_spans.len());
    // (news runs about 13 tokens a sentence: room for them, not growth by copying)
    let mut sentences = Vec::with_capacity(tokens.len() / 10 + 4);
    let mut tok = 0;
    let mut boundaries: Vec<(usize, usize)> = Vec::new();
    for (pi, ps) in para_spans.iter().enumerate() {
        let first = sentences.len();
        let p = &prose[ps.clone()];
        let mut start = 0usize;
        boundaries.clear();
        let bytes = p.as_bytes();
        let mut i = 0;
        // only terminal punctuation, line breaks and the ellipsis (whose first byte,
        // 0xE2, begins other characters too) matter: the next of each, found by a
        // vectorised search, and found again once passed
        const TERMINAL: [u8; 3] = [b'.', b'!', b'?'];
        const OTHER: [u8; 3] = [b'\n', b'\r', 0xE2];
        let next = |set: [u8; 3], from: usize| {
            memchr::memchr3(set[0], set[1], set[2], &bytes[from..])
                .map_or(bytes.len(), |k| from + k)
        };
        let (mut terminal, mut other) = (next(TERMINAL, 0), next(OTHER, 0));
        loop {
            if terminal < i {
                terminal = next(TERMINAL, i);
            }
            if other < i {
                other = next(OTHER, i);
            }
            i = terminal.min(other);
            if i >= bytes.len() {
                break;
            }
            let c = if bytes[i] < 0x80 {
                bytes[i] as char
            } else {
                let ch = p[i..].chars().next().unwrap_or('\u{fffd}');
                if ch != '…' {
                    i += ch.len_utf8();
                    continue;
                }
                ch
            };
            let mut next_i = i + c.len_utf8();
            let mut boundary_at = None;
            if matches!(c, '.' | '!' | '?' | '…') {
                // swallow the run of terminal punctuation and closing marks
                let mut end = i + c.len_utf8();
                while let Some(n) = p[end..].chars().next() {
                    if matches!(n, '.' | '!' | '?' | '…') || is_closing(n) {
                        end += n.len_utf8();
                    } else {
                        break;
                    }
                }
                next_i = end;
                let rest = &p[end..];
                let next = rest.chars().next();
                let spaced = next.is_none_or(|n| n.is_whitespace());
                let after = rest.trim_start().chars().next();
                let starts = after.is_none_or(|a| {
                    a.is_uppercase()
                        || a.is_numeric()
                        || is_opening(a)
                        || a == '-'
                        || a == '—'
                        || a == '•'
                });
                if spaced && starts && (c != '.' || period_ends_sentence(p, i, rest)) {
                    boundary_at = Some(end);
                }
            } else if (c == '\n' || c == '\r') && format == Format::PlainText {
                let before = p[..i].trim_end_matches([' ', '\t']).chars().next_back();
                let after = p[i..].trim_start().chars().next();
                let continues = before
                    .is_some_and(|b| b.is_lowercase() || matches!(b, ',' | ';' | '-' | '–'))
                    && after.is_some_and(|a| a.is_lowercase() || a.is_ascii_digit());
                if !continues {
                    boundary_at = Some(i);
                }
            }
            i = next_i;
            if let Some(b) = boundary_at {
                if p[start..b].trim().is_empty() {
                    continue;
                }
                boundaries.push((start, b));
                start = b;
            }
        }
        if !p[start..].trim().is_empty() {
            boundaries.push((start, p.len()));
        }
        for &(s, e) in &boundaries {
            let seg = &p[s..e];
            let s2 = s + (seg.len() - seg.trim_start().len());
            let e2 = s + seg.trim_end().len();
            let span = ps.start + s2..ps.start + e2;
            while tok < tokens.len() && tokens[tok].span().start < span.start {
                tok += 1;
            }
            let t0 = tok;
            while tok < tokens.len() && tokens[tok].span().start < span.end {
                tok += 1;
            }
            sentences.push(Sentence {
                span,
                paragraph: pi,
                tokens: t0..tok,
            });
        }
        paragraphs.push(Paragraph {
            span: ps.clone(),
            first_sentence: first,
            sentence_end: sentences.len(),
        });
    }
    (paragraphs, sentences)
}

#[cfg(test)]
mod tests {
    use super::super::{Document, Format};

    fn sents(t: &str) -> Vec<String> {
        let d = Document::new(t, Format::PlainText);
        d.sentences
            .iter()
            .map(|s| t[s.span.clone()].to_string())
            .collect()
    }

    /// Read as two halves from any point, the paragraphs are those read at once:
    /// on the corpus, the seeds and hand-made texts (blank lines of spaces, "\r\n"
    /// and lone "\r" breaks, Markdown blocks), split at every line break and at
    /// points within lines and pairs.
    #[test]
    fn the_paragraphs_read_in_two_halves_are_those_read_at_once() {
        use super::{paragraph_break_after, paragraphs, paragraphs_before, paragraphs_from};
        use crate::text::markdown;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<(String, Format)> = [
            "One.\n\nTwo.\r\n\r\nThree\nstill three.\n  \t\nFour.\r\rFive.",
            "\n\n\nA\n\n",
            "A\r\n \r\nB\r\n",
            "# Head\nText under it.\n- item\n- item two\n\nMore.\n",
            "no breaks at all",
            "",
        ]
        .iter()
        .flat_map(|t| {
            [
                (t.to_string(), Format::PlainText),
                (t.to_string(), Format::Markdown),
            ]
        })
        .collect();
        for dir in ["seeds", "tests/corpus"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = e.unwrap().path();
                if let Ok(text) = std::fs::read_to_string(&path) {
                    let md = path.extension().is_some_and(|x| x == "md");
                    texts.push((
                        text,
                        if md {
                            Format::Markdown
                        } else {
                            Format::PlainText
                        },
                    ));
                }
            }
        }
        let mut splits = 0;
        for (text, format) in &texts {
            let masked = markdown::mask(text, *format);
            let (prose, blocks) = (masked.prose.as_str(), &masked.block_starts);
            let whole = paragraphs(prose, blocks);
            let step = (prose.len() / 40).max(1);
            // (any byte: a thread splits at a fraction of the length)
            let bytes = prose.as_bytes();
            let points = (0..=prose.len()).filter(|&i| {
                i % step == 0 || i < 8 || (i > 0 && matches!(bytes[i - 1], b'\n' | b'\r'))
            });
            for from in points {
                let Some(at) = paragraph_break_after(prose, blocks, from) else {
                    continue;
                };
                assert!(at > from && at < prose.len() && prose[..at].ends_with(['\n', '\r']));
                let mut both = paragraphs_before(prose, blocks, at);
                both.extend(paragraphs_from(prose, blocks, at));
                assert_eq!(both, whole, "{text:?} split after {from} at {at}");
                splits += 1;
            }
        }
        assert!(splits > 1_000, "{splits}");
    }

    #[test]
    fn no_abbreviation_is_longer_than_the_longest_looked_up() {
        use super::{ABBREVIATION_MAX, ABBREVIATIONS, COMPANY_ENDINGS};
        let longest = ABBREVIATIONS
            .iter()
            .chain(COMPANY_ENDINGS)
            .map(|w| w.len())
            .max();
        assert_eq!(longest, Some(ABBREVIATION_MAX));
    }

    #[test]
    fn abbreviations_and_initials() {
        let t = "Lt. Gen. Ann Reyes met Mr. Cole in the U.S. capital on Dec. 8 at No. 9 Main St. with J.R.R. Tolkien fans. The talks ended. She left.";
        assert_eq!(sents(t).len(), 3, "{:?}", sents(t));
        let t2 = "He moved to the U.S. The move was hard.";
        assert_eq!(sents(t2).len(), 2);
        // in any case; the longest abbreviations; a longer word, or one that merely
        // begins like one, ends the sentence
        for (t, n) in [
            ("The MESSRS. Hale sold it. It closed.", 2),
            ("Ask DR. Reyes. She knows.", 2),
            ("See the approx. Figures later.", 1),
            ("Fees, e.g. Parking, rose. Then fell.", 2),
            ("He met the Drs. Reyes.", 2),
            ("It sold to Acme Inc. The deal closed.", 2),
            ("It sold to Acme Inc. Shares rose.", 1),
            ("They met at the Messrsx. Hale was there.", 2),
            ("The Ministère. Hale was there.", 2),
        ] {
            assert_eq!(sents(t).len(), n, "{t}: {:?}", sents(t));
        }
    }

    #[test]
    fn quotes_and_paragraphs() {
        let t = "“We will win. Soon,” she said. Then he left!\n\nNew paragraph? Yes.";
        assert_eq!(
            sents(t),
            [
                "“We will win.",
                "Soon,” she said.",
                "Then he left!",
                "New paragraph?",
                "Yes."
            ]
        );
        let d = Document::new(t, Format::PlainText);
        assert_eq!(d.paragraphs.len(), 2);
    }

    /// The ellipsis ends a sentence; the other characters that begin with its
    /// first byte (curly quotes, dashes) do not, wherever they stand.
    #[test]
    fn ellipses_among_characters_of_the_same_first_byte() {
        let t = "“It fell…” She paused — then “No… Never.” Then… Yes! Done… \u{2026}";
        assert_eq!(
            sents(t),
            [
                "“It fell…”",
                "She paused — then “No…",
                "Never.”",
                "Then…",
                "Yes!",
                "Done… \u{2026}"
            ]
        );
        assert_eq!(sents("a… — ’"), ["a…", "— ’"]);
        assert_eq!(
            sents("Le café. Élan vital. Tő… Ő"),
            ["Le café.", "Élan vital.", "Tő…", "Ő"]
        );
    }

    #[test]
    fn lines_in_plain_text() {
        let t = "Stoltenberg calls for support\nStoltenberg calls again\nthe wrapped line\ncontinues here.";
        assert_eq!(sents(t).len(), 2, "{:?}", sents(t));
    }
}
