//! Words, numbers and punctuation with byte spans.

use crate::report::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

/// A token: where it is (`span`) and what it is. Its offsets are kept as 32 bits,
/// as the folded words' are (`fold::FoldedWords`): a token is 16 bytes, not 24,
/// and every pass over a long story's tokens reads a third fewer bytes (round 23).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    start: u32,
    end: u32,
    pub kind: TokenKind,
    /// First character is uppercase.
    pub cap: bool,
    /// Every letter is uppercase (and there are at least two).
    pub all_caps: bool,
    /// Whitespace stands between this token and the previous one.
    pub space_before: bool,
    /// For words ending in a possessive `'s` / `’s`: the bytes of that ending
    /// (0 for every other token). One byte, not the stem's length, keeps a token
    /// at 16 bytes: the text model of a long story is read on every keystroke.
    pub possessive: u8,
}

impl Token {
    /// The token's bytes in the text.
    #[inline]
    pub fn span(&self) -> Span {
        self.start as usize..self.end as usize
    }

    /// The same token `by` bytes further on (back, when negative).
    #[inline]
    pub(crate) fn moved(&self, by: isize) -> Token {
        let m = |x: u32| (x as isize + by) as u32;
        Token {
            start: m(self.start),
            end: m(self.end),
            ..self.clone()
        }
    }

    /// For words ending in a possessive `'s` / `’s`: the length of the stem.
    pub fn stem_len(&self) -> Option<usize> {
        (self.possessive > 0).then(|| self.span().len() - self.possessive as usize)
    }

    /// The span without a possessive ending.
    pub fn stem(&self) -> Span {
        self.start as usize..self.end as usize - self.possessive as usize
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’' || c == 'ʼ'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\u{300}'..='\u{36f}' | '\u{200d}')
}

/// The character at byte `i` and its length, with ASCII read directly.
#[inline]
fn char_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        (b as char, 1)
    } else {
        let c = text[i..].chars().next().unwrap_or('\u{fffd}');
        (c, c.len_utf8())
    }
}

/// The bytes of a word's possessive ending ('s, ’s, 'S, ’S, ʼs), or 0.
fn possessive_ending(word: &str) -> u8 {
    if !matches!(word.as_bytes().last(), Some(b's' | b'S')) {
        return 0;
    }
    ["'s", "’s", "'S", "’S", "ʼs"]
        .iter()
        .find(|suffix| word.len() > suffix.len() + 1 && word.ends_with(*suffix))
        .map_or(0, |suffix| suffix.len() as u8)
}

/// [`ASCII_CLASS`]: white space (as `char::is_whitespace` has it in ASCII).
const SPACE: u8 = 1;
/// [`ASCII_CLASS`]: a letter or a digit.
const ALNUM: u8 = 2;

/// What each ASCII byte is to the tokenizer (0 for punctuation, and for the bytes
/// of characters beyond ASCII, which are read as characters).
static ASCII_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() {
            ALNUM
        } else if matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
            SPACE
        } else {
            0
        };
        b += 1;
    }
    t
};

/// The end of the run of ASCII letters and digits that starts at byte `i`.
///
/// Sixteen bytes at a time where the text has them (SSE2, which every x86-64
/// processor has): a word's end is found without a branch per byte, whose last
/// guess, at the end of every word, was wrong, and was a seventh of the
/// tokenizer's time (round 23).
#[inline]
fn alnum_run_end(bytes: &[u8], mut i: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    while i + 16 <= bytes.len() {
        // SAFETY: the 16 bytes from `i` are within `bytes`; SSE2 is part of x86-64
        let run = unsafe { alnum_prefix16(bytes.as_ptr().add(i)) };
        i += run;
        if run < 16 {
            return i;
        }
    }
    while i < bytes.len() && ASCII_CLASS[usize::from(bytes[i])] & ALNUM != 0 {
        i += 1;
    }
    i
}

/// Which of the 16 bytes in `v` lie in `first..first + len`: each all ones or all
/// zeros. A range test by signed comparison: a byte minus the range's first, plus
/// 128, is below -128 + the range's length only within it. (SSE2, part of every
/// x86-64 processor: the tokenizer's, the folds' and the digit test's sixteen
/// bytes at a time.)
#[cfg(target_arch = "x86_64")]
#[inline]
pub(super) fn in_range16(
    v: std::arch::x86_64::__m128i,
    first: u8,
    len: u8,
) -> std::arch::x86_64::__m128i {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of x86-64; arithmetic on a value only
    unsafe {
        let shifted = _mm_add_epi8(v, _mm_set1_epi8(128u8.wrapping_sub(first) as i8));
        _mm_cmplt_epi8(shifted, _mm_set1_epi8(128u8.wrapping_add(len) as i8))
    }
}

/// How many of the 16 bytes at `p` are ASCII letters or digits before the first
/// that is not (16 if all are).
///
/// # Safety
/// The 16 bytes from `p` must be readable.
#[cfg(target_arch = "x86_64")]
#[inline]
unsafe fn alnum_prefix16(p: *const u8) -> usize {
    use std::arch::x86_64::*;
    // SAFETY: the caller keeps the load within the text; the rest is arithmetic
    unsafe {
        let v = _mm_loadu_si128(p.cast());
        // (bytes beyond ASCII, with 0x20 set, land outside the letters' range)
        let letter = in_range16(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', 26);
        let digit = in_range16(v, b'0', 10);
        let alnum = _mm_movemask_epi8(_mm_or_si128(letter, digit)) as u32;
        (!alnum).trailing_zeros() as usize
    }
}

/// Whether `bytes` hold an ASCII digit: sixteen bytes at a time (SSE2) where
/// they can be, a test the undated claims' rule makes of nearly every sentence.
pub(crate) fn has_ascii_digit(bytes: &[u8]) -> bool {
    let mut i = 0;
    #[cfg(target_arch = "x86_64")]
    while i + 16 <= bytes.len() {
        use std::arch::x86_64::*;
        // SAFETY: the 16 bytes from `i` are within `bytes`; SSE2 is part of x86-64
        let found = unsafe {
            let v = _mm_loadu_si128(bytes.as_ptr().add(i).cast());
            _mm_movemask_epi8(in_range16(v, b'0', 10)) != 0
        };
        if found {
            return true;
        }
        i += 16;
    }
    bytes[i..].iter().any(u8::is_ascii_digit)
}

pub fn tokenize(text: &str) -> Vec<Token> {
    tokenize_range(text, 0..text.len(), text.len())
}

/// The tokens of `text[range]`, with spans into `text`. A range that starts and ends
/// at white space (or at the text's ends) gives exactly the tokens `tokenize(text)`
/// has there: no token spans white space, and a token's look-ahead stops at it.
/// The vector has room for the tokens of `room` bytes (the range's length, or more
/// when other tokens will be appended to it).
pub fn tokenize_range(text: &str, range: std::ops::Range<usize>, room: usize) -> Vec<Token> {
    // news text runs about 4.5 bytes a token: room for all of them, so no regrowth
    let mut tokens = Vec::with_capacity(room.max(range.len()) / 4 + 16);
    tokenize_into(text, range, &mut tokens);
    tokens
}

/// `tokenize_range`, appending the tokens to `tokens`.
pub fn tokenize_into(text: &str, range: std::ops::Range<usize>, tokens: &mut Vec<Token>) {
    let text = &text[..range.end];
    let bytes = text.as_bytes();
    let len = bytes.len();
    let mut space_before = true;
    let mut i = range.start;
    while i < len {
        let start = i;
        let b = bytes[i];
        let class = ASCII_CLASS[usize::from(b)];
        let (c, clen) = char_at(text, i);
        i += clen;
        if class == SPACE || (b >= 0x80 && c.is_whitespace()) {
            space_before = true;
            continue;
        }
        let mut end = i;
        let begins_word = if b < 0x80 {
            class & ALNUM != 0
        } else {
            c.is_alphabetic() || c.is_numeric()
        };
        let kind = if begins_word {
            let number = !c.is_alphabetic();
            loop {
                // the common case first: a run of ASCII letters and digits
                i = alnum_run_end(bytes, i);
                end = i;
                if i == len {
                    break;
                }
                let (n, nlen) = char_at(text, i);
                if is_word_char(n) {
                    i += nlen;
                } else if (is_apostrophe(n) && !number) || (number && (n == ',' || n == '.')) {
                    // inner apostrophe (don't, Russia’s) or digit group (1,700 / 5.4)
                    let after = (i + nlen < len).then(|| char_at(text, i + nlen).0);
                    let ok = match after {
                        Some(a) if number => a.is_ascii_digit(),
                        Some(a) => a.is_alphabetic(),
                        None => false,
                    };
                    if !ok {
                        break;
                    }
                    i += nlen;
                } else {
                    break;
                }
            }
            if number {
                TokenKind::Number
            } else {
                TokenKind::Word
            }
        } else {
            TokenKind::Punct
        };
        let mut cap = false;
        let mut all_caps = false;
        let mut possessive = 0;
        if kind == TokenKind::Word {
            let s = &text[start..end];
            cap = c.is_uppercase();
            // (a word whose first letter is not a capital is not all capitals: its
            // letters are counted only when it is)
            if cap {
                let (letters, upper) = if s.is_ascii() {
                    s.bytes().fold((0, 0), |(l, u), b| {
                        (
                            l + usize::from(b.is_ascii_alphabetic()),
                            u + usize::from(b.is_ascii_uppercase()),
                        )
                    })
                } else {
                    s.chars()
                        .filter(|ch| ch.is_alphabetic())
                        .fold((0, 0), |(l, u), ch| {
                            (l + 1, u + usize::from(ch.is_uppercase()))
                        })
                };
                all_caps = letters >= 2 && letters == upper;
            }
            possessive = possessive_ending(s);
        }
        tokens.push(Token {
            start: start as u32,
            end: end as u32,
            kind,
            cap,
            all_caps,
            space_before,
            possessive,
        });
        space_before = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The run of letters and digits ends where a byte-by-byte reading by the table
    /// ends it: every byte value at every place in a 16-byte window, and runs
    /// longer than one window, near the end of the text and not.
    #[test]
    fn an_alnum_run_ends_where_the_table_ends_it() {
        let by_table = |bytes: &[u8], mut i: usize| {
            while i < bytes.len() && ASCII_CLASS[usize::from(bytes[i])] & ALNUM != 0 {
                i += 1;
            }
            i
        };
        for b in 0..=255u8 {
            for at in 0..40 {
                for len in [at + 1, at + 5, 17, 33, 48] {
                    let mut bytes = vec![b'k'; len.max(at + 1)];
                    bytes[at] = b;
                    for start in [0, 1, at.saturating_sub(3)] {
                        assert_eq!(
                            alnum_run_end(&bytes, start),
                            by_table(&bytes, start),
                            "byte {b:#x} at {at}, {len} bytes, from {start}"
                        );
                    }
                }
            }
        }
        for b in 0..=255u8 {
            for len in [1, 15, 16, 17, 40] {
                for at in [0, len / 2, len - 1] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    assert_eq!(
                        has_ascii_digit(&bytes),
                        b.is_ascii_digit(),
                        "{b:#x} at {at} of {len}"
                    );
                }
            }
        }
        let mixed = b"Zz09aAzZ-x_y9 \xff\x80Q`@[{/:";
        for start in 0..mixed.len() {
            assert_eq!(alnum_run_end(mixed, start), by_table(mixed, start));
        }
    }

    /// The tokens of `text[range]` as the tokenizer's rules say, a character at a
    /// time with no fast path: what the table-driven tokenizer must give.
    fn oracle(text: &str, range: std::ops::Range<usize>) -> Vec<Token> {
        let chars: Vec<(usize, char)> = text[..range.end]
            .char_indices()
            .filter(|&(i, _)| i >= range.start)
            .collect();
        let mut out = Vec::new();
        let (mut i, mut space) = (0, true);
        while let Some(&(start, c)) = chars.get(i) {
            i += 1;
            if c.is_whitespace() {
                space = true;
                continue;
            }
            let word = c.is_alphanumeric();
            let number = word && !c.is_alphabetic();
            while word && i < chars.len() {
                let (n, after) = (chars[i].1, chars.get(i + 1).map(|p| p.1));
                let apostrophe =
                    !number && is_apostrophe(n) && after.is_some_and(char::is_alphabetic);
                let group =
                    number && matches!(n, ',' | '.') && after.is_some_and(|a| a.is_ascii_digit());
                if !(is_word_char(n) || apostrophe || group) {
                    break;
                }
                i += 1;
            }
            let end = chars.get(i).map_or(range.end, |p| p.0);
            let w = &text[start..end];
            let kind = match (word, number) {
                (false, _) => TokenKind::Punct,
                (true, true) => TokenKind::Number,
                (true, false) => TokenKind::Word,
            };
            let letters: Vec<char> = w.chars().filter(|ch| ch.is_alphabetic()).collect();
            let is_word = kind == TokenKind::Word;
            out.push(Token {
                start: start as u32,
                end: end as u32,
                kind,
                cap: is_word && c.is_uppercase(),
                all_caps: is_word
                    && letters.len() >= 2
                    && letters.iter().all(|ch| ch.is_uppercase()),
                space_before: space,
                possessive: if is_word { possessive_ending(w) } else { 0 },
            });
            space = false;
        }
        out
    }

    /// The text model of a long story is read on every keystroke: a token stays
    /// small (its offsets in 32 bits, a possessive ending's length in one byte,
    /// `Token::possessive`).
    #[test]
    fn a_token_takes_16_bytes() {
        assert_eq!(std::mem::size_of::<Token>(), 16);
    }

    fn words(t: &str) -> Vec<&str> {
        tokenize(t).into_iter().map(|k| &t[k.span()]).collect()
    }

    /// The cases the ASCII fast path must not change: apostrophes, digit groups,
    /// combining marks, joiners, non-Latin letters and numbers.
    #[test]
    fn fast_path_edge_cases() {
        assert_eq!(
            words("e\u{301}cole ½ 3½ x² ’’ '' O'Neil's 1,2,3 4.5.6 ... ٣٤ 北京"),
            [
                "e\u{301}cole",
                "½",
                "3½",
                "x²",
                "’",
                "’",
                "'",
                "'",
                "O'Neil's",
                "1,2,3",
                "4.5.6",
                ".",
                ".",
                ".",
                "٣٤",
                "北京"
            ]
        );
        let t = tokenize("O'Neil's KYIV’S Kyiv's");
        assert_eq!(t[0].stem(), 0..6);
        assert_eq!(t[1].stem_len(), Some(4));
        assert!(t[1].all_caps);
        assert_eq!(t[2].stem(), 18..22);
        let t = tokenize("said  “We");
        assert!(t[1].space_before && !t[2].space_before);
    }

    /// A word's capitals, counted while it is read (when it is all ASCII) or after,
    /// are what its characters say: every corpus story, and words that mix ASCII
    /// with other letters, marks and apostrophes.
    #[test]
    fn capitals_are_counted_as_the_characters_say() {
        let mut texts = vec![
            "NATO NATO’S NAto Ñandú ÑANDÚ KYÏV E\u{301}COLE O'NEIL'S D’ARCY A I IT ÉA Aé \
             ABC1 1ABC x² X² ΑΘΗΝΑ Αθήνα don'T"
                .to_string(),
        ];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            texts.push(std::fs::read_to_string(e.path()).unwrap_or_default());
        }
        for text in &texts {
            for t in tokenize(text).iter().filter(|t| t.kind == TokenKind::Word) {
                let w = &text[t.span()];
                let letters = w.chars().filter(|c| c.is_alphabetic()).count();
                let upper = w.chars().filter(|c| c.is_alphabetic() && c.is_uppercase());
                let all_caps = letters >= 2 && upper.count() == letters;
                assert_eq!(t.all_caps, all_caps, "{w:?}");
                assert_eq!(t.cap, w.chars().next().unwrap().is_uppercase(), "{w:?}");
            }
        }
    }

    /// The table-driven tokenizer gives what the rules say, a character at a time,
    /// token for token: on every corpus story, seed and golden file, whole and from ranges
    /// that start at white space, and on strings made of the characters whose
    /// handling differs (ASCII and other letters, digits, marks, apostrophes,
    /// digit-group marks, white space of both kinds).
    #[test]
    fn the_table_reads_as_the_characters_did() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        for dir in ["tests/corpus", "seeds", "tests/golden"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    texts.push(t);
                }
            }
        }
        let pieces = [
            "a", "Z", "7", "é", "É", "ß", "Ω", "北", "٣", "½", "²", "\u{301}", "\u{200d}", "'",
            "’", "ʼ", ",", ".", "-", "s", "S", " ", "\n", "\t", "\u{a0}", "\u{2003}", "\u{85}",
            "\u{1c}", "“", "!",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..3000 {
            let mut t = String::new();
            for _ in 0..12 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                t.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            texts.push(t);
        }
        for text in &texts {
            assert_eq!(tokenize(text), oracle(text, 0..text.len()), "{text:?}");
            for (at, _) in text.match_indices(char::is_whitespace).step_by(7) {
                assert_eq!(
                    tokenize_range(text, at..text.len(), 0),
                    oracle(text, at..text.len()),
                    "{text:?} from {at}"
                );
            }
        }
    }

    #[test]
    fn tokens() {
        assert_eq!(
            words("Russia’s 1,700 trucks, don't."),
            ["Russia’s", "1,700", "trucks", ",", "don't", "."]
        );
        assert_eq!(
            words("NATO-Ukraine ’90s 5.4 million."),
            ["NATO", "-", "Ukraine", "’", "90s", "5.4", "million", "."]
        );
        let t = tokenize("Russia’s KYIV");
        assert_eq!(t[0].stem(), 0..6);
        assert!(t[1].all_caps && t[1].cap);
    }
}
