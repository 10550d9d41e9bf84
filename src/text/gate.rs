//! A cheap test before a pattern: whether a stretch of text may hold one of the
//! words that every match of the pattern contains, or a digit. The undated claims'
//! figures and the dates are looked for only where it passes (round 23).
//!
//! Exact, not a guess: a stretch passes whenever the pattern could match in it.
//! The words are compared by their tokens' folded keys (any case). A word the
//! tokenizer may have drawn otherwise than a pattern's ASCII word boundaries (one
//! with a character beyond ASCII, "éone", or an apostrophe, "one'll", "one's") is
//! read in its parts between apostrophes, and passes if a part is one of the words
//! or is beyond ASCII. Each pattern's tests check that every stretch it matches in
//! the corpus, the seeds and the golden files passes.

use std::sync::OnceLock;

use super::{Document, TokenKind, fold, words::has_ascii_digit};

/// A set of folded words (lists of them, joined), by their keys, for [`may_hold`].
pub struct Words {
    lists: &'static [&'static [&'static str]],
    /// The words' keys, sorted, and a filter of 4,096 bits that turns away nearly
    /// every other key with one load.
    keys: OnceLock<(Vec<u64>, Box<[u64; 64]>)>,
}

impl Words {
    pub const fn new(lists: &'static [&'static [&'static str]]) -> Words {
        Words {
            lists,
            keys: OnceLock::new(),
        }
    }

    /// The words (for tests that write text with each).
    #[cfg(test)]
    pub(crate) fn words(&self) -> impl Iterator<Item = &'static str> {
        self.lists.iter().flat_map(|l| l.iter().copied())
    }

    /// A test of whether a key is one of the words' (their keys made on first use).
    #[inline]
    fn tester(&self) -> impl Fn(u64) -> bool + '_ {
        let (keys, filter) = self.keys.get_or_init(|| {
            let mut k: Vec<u64> = self
                .lists
                .iter()
                .flat_map(|l| l.iter().map(|w| fold::hash(w)))
                .collect();
            k.sort_unstable();
            let mut f = Box::new([0u64; 64]);
            for &h in &k {
                f[(h >> 6 & 63) as usize] |= 1 << (h & 63);
            }
            (k, f)
        });
        move |key: u64| {
            filter[(key >> 6 & 63) as usize] & 1 << (key & 63) != 0
                && keys.binary_search(&key).is_ok()
        }
    }
}

/// Whether `text`, the text of `doc`'s tokens `tokens`, holds an ASCII digit or
/// one of `words` as a word (in any case, as above).
pub fn may_hold(doc: &Document, tokens: std::ops::Range<usize>, text: &str, words: &Words) -> bool {
    if has_ascii_digit(text.as_bytes()) {
        return true;
    }
    let has = words.tester();
    // (punctuation's keys are 0 or a comma's, a number's its digits': none is a
    // word's)
    if doc.keys[tokens.clone()].iter().any(|k| has(k.full)) {
        return true;
    }
    if text.is_ascii() && !text.contains('\'') {
        return false;
    }
    tokens.into_iter().any(|k| {
        let t = &doc.tokens[k];
        let word = &doc.prose[t.span()];
        t.kind == TokenKind::Word
            && (!word.is_ascii() || word.contains('\''))
            && word.split(['\'', '’', 'ʼ']).any(|part| {
                !part.is_ascii()
                    || (!part.is_empty() && has(fold::hash(&part.to_ascii_lowercase())))
            })
    })
}
