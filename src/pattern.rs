//! The regular expressions of the text model and the rules: each a static
//! [`Pattern`] beside the code that searches with it, compiled once, on first use or
//! by [`crate::analyze::warm_up`].
//!
//! A search needs a cache, where the lazy DFA keeps the states it has built. The
//! `regex` crate keeps one per pattern for the first thread that searched with it,
//! and others by thread number, so that a thread started later, such as the one a
//! long story's analysis runs its dates and text rules on, or the server's worker
//! with its first document, starts with none and builds its states again (about
//! 2 ms of a 10,000-word story's first analysis, round 14 in BENCHMARKS.md). Here a
//! thread keeps the caches it used, for its next search without a lock, and gives
//! them back when it ends, for the next thread to take: the warm-up's serve the
//! first document.

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use regex_automata::meta::{Builder, Cache, Config, Regex};
use regex_automata::util::captures;
use regex_automata::util::iter::Searcher;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind};

use crate::lock;

/// How many patterns this process has compiled (each one's number, from 0).
static COMPILED: AtomicUsize = AtomicUsize::new(0);

/// One of the program's own regular expressions, with the caches no thread holds.
pub(crate) struct Pattern {
    source: fn() -> String,
    /// Whether the search may first look for literals every match has (see
    /// `without_prefilter`).
    prefilter: bool,
    compiled: OnceLock<(Regex, usize)>,
    // (boxed, as everywhere a cache is kept: it moves between places, see `Lease`)
    #[allow(clippy::vec_box)]
    spare: Mutex<Vec<Box<Cache>>>,
}

/// The caches a thread has used, by pattern number; given back when it ends.
#[derive(Default)]
struct Local(Vec<Option<(&'static Pattern, Box<Cache>)>>);

impl Drop for Local {
    fn drop(&mut self) {
        for (pattern, cache) in self.0.drain(..).flatten() {
            lock(&pattern.spare).push(cache);
        }
    }
}

thread_local! {
    static LOCAL: RefCell<Local> = RefCell::default();
}

/// A cache taken for one search (or one iteration), put back when dropped. (Boxed:
/// a cache is a large value, and moving it in and out of its places by value cost
/// a fifth of a long story's analysis.)
struct Lease {
    pattern: &'static Pattern,
    id: usize,
    cache: Option<Box<Cache>>,
}

impl Lease {
    fn cache(&mut self) -> &mut Cache {
        self.cache
            .as_mut()
            .expect("a lease holds its cache until dropped")
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        let Some(cache) = self.cache.take() else {
            return;
        };
        let (pattern, id) = (self.pattern, self.id);
        let mut cache = Some(cache);
        let _ = LOCAL.try_with(|l| {
            let mut l = l.borrow_mut();
            if l.0.len() <= id {
                l.0.resize_with(id + 1, || None);
            }
            if l.0[id].is_none() {
                l.0[id] = cache.take().map(|c| (pattern, c));
            }
        });
        // (the thread is ending, or a nested search of the same pattern kept one)
        if let Some(c) = cache {
            lock(&pattern.spare).push(c);
        }
    }
}

impl Pattern {
    /// The pattern `source()` gives, compiled on first use.
    pub(crate) const fn new(source: fn() -> String) -> Pattern {
        Pattern::with(source, true)
    }

    /// The same, with no prefilter: for a pattern whose matches begin with words
    /// too common, or too many, for a search of them to skip much text. Working out
    /// the prefilter was a third of compiling the rules' patterns, work the first
    /// document waited for, and the search over news text took as long with it as
    /// without it (each pattern measured: round 14 in BENCHMARKS.md).
    pub(crate) const fn without_prefilter(source: fn() -> String) -> Pattern {
        Pattern::with(source, false)
    }

    const fn with(source: fn() -> String, prefilter: bool) -> Pattern {
        Pattern {
            source,
            prefilter,
            compiled: OnceLock::new(),
            spare: Mutex::new(Vec::new()),
        }
    }

    fn regex(&'static self) -> (&'static Regex, usize) {
        let (re, id) = self.compiled.get_or_init(|| {
            let re = compile(&(self.source)(), self.prefilter);
            (re, COMPILED.fetch_add(1, Ordering::Relaxed))
        });
        (re, *id)
    }

    /// This thread's cache, or one another thread gave back, or a new one.
    fn lease(&'static self) -> (&'static Regex, Lease) {
        let (re, id) = self.regex();
        let mine = LOCAL
            .try_with(|l| l.borrow_mut().0.get_mut(id).and_then(Option::take))
            .ok()
            .flatten()
            .map(|(_, c)| c);
        let cache = mine
            .or_else(|| lock(&self.spare).pop())
            .unwrap_or_else(|| Box::new(re.create_cache()));
        let lease = Lease {
            pattern: self,
            id,
            cache: Some(cache),
        };
        (re, lease)
    }

    /// Compile it now, if no search has.
    pub(crate) fn compile(&'static self) {
        self.regex();
    }

    pub(crate) fn is_match(&'static self, hay: &str) -> bool {
        let (re, mut lease) = self.lease();
        let input = Input::new(hay).earliest(true);
        re.search_half_with(lease.cache(), &input).is_some()
    }

    pub(crate) fn find<'h>(&'static self, hay: &'h str) -> Option<Match<'h>> {
        let (re, mut lease) = self.lease();
        let m = re.search_with(lease.cache(), &Input::new(hay))?;
        Some(Match::new(hay, m.start(), m.end()))
    }

    /// Every match, left to right, none overlapping (as `regex::Regex::find_iter`).
    pub(crate) fn find_iter<'h>(&'static self, hay: &'h str) -> Matches<'h> {
        let (re, lease) = self.lease();
        Matches {
            re,
            lease,
            it: Searcher::new(Input::new(hay)),
            hay,
        }
    }

    pub(crate) fn captures<'h>(&'static self, hay: &'h str) -> Option<Captures<'h>> {
        let (re, mut lease) = self.lease();
        let mut caps = re.create_captures();
        re.search_captures_with(lease.cache(), &Input::new(hay), &mut caps);
        caps.is_match().then_some(Captures { hay, caps })
    }

    /// Every match with its groups, left to right (as `regex::Regex::captures_iter`).
    pub(crate) fn captures_iter<'h>(&'static self, hay: &'h str) -> CaptureMatches<'h> {
        let (re, lease) = self.lease();
        CaptureMatches {
            caps: re.create_captures(),
            re,
            lease,
            it: Searcher::new(Input::new(hay)),
            hay,
        }
    }
}

/// Compile one of the program's own patterns as `regex::Regex::new` would, with or
/// without a prefilter (a fault in one is a bug, found by any test that reaches it).
fn compile(pattern: &str, prefilter: bool) -> Regex {
    Builder::new()
        .configure(
            Config::new()
                .nfa_size_limit(Some(10 << 20))
                .hybrid_cache_capacity(2 << 20)
                .match_kind(MatchKind::LeftmostFirst)
                .utf8_empty(true)
                .auto_prefilter(prefilter),
        )
        .syntax(syntax::Config::new().utf8(true))
        .build(pattern)
        .expect("valid pattern")
}

/// How many patterns this process has compiled.
#[cfg(test)]
pub(crate) fn compiled() -> usize {
    COMPILED.load(Ordering::Relaxed)
}

/// A match: where it is in the text searched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Match<'h> {
    hay: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    fn new(hay: &'h str, start: usize, end: usize) -> Match<'h> {
        Match { hay, start, end }
    }

    pub(crate) fn start(&self) -> usize {
        self.start
    }

    pub(crate) fn end(&self) -> usize {
        self.end
    }

    pub(crate) fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    pub(crate) fn as_str(&self) -> &'h str {
        &self.hay[self.start..self.end]
    }
}

/// A match's groups.
pub(crate) struct Captures<'h> {
    hay: &'h str,
    caps: captures::Captures,
}

impl<'h> Captures<'h> {
    /// Group `i` (0: the whole match), if it took part.
    pub(crate) fn get(&self, i: usize) -> Option<Match<'h>> {
        let s = self.caps.get_group(i)?;
        Some(Match::new(self.hay, s.start, s.end))
    }
}

/// Group `i`'s text; a group that took no part is a bug in the caller.
impl std::ops::Index<usize> for Captures<'_> {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        match self.get(i) {
            Some(m) => m.as_str(),
            None => panic!("no group {i} in this match"),
        }
    }
}

/// `Pattern::find_iter`.
pub(crate) struct Matches<'h> {
    re: &'static Regex,
    lease: Lease,
    it: Searcher<'h>,
    hay: &'h str,
}

impl<'h> Iterator for Matches<'h> {
    type Item = Match<'h>;

    fn next(&mut self) -> Option<Match<'h>> {
        let (re, cache) = (self.re, self.lease.cache());
        let m = self.it.advance(|input| Ok(re.search_with(cache, input)))?;
        Some(Match::new(self.hay, m.start(), m.end()))
    }
}

/// `Pattern::captures_iter`.
pub(crate) struct CaptureMatches<'h> {
    re: &'static Regex,
    lease: Lease,
    caps: captures::Captures,
    it: Searcher<'h>,
    hay: &'h str,
}

impl<'h> Iterator for CaptureMatches<'h> {
    type Item = Captures<'h>;

    fn next(&mut self) -> Option<Captures<'h>> {
        let (re, cache, caps) = (self.re, self.lease.cache(), &mut self.caps);
        self.it.advance(|input| {
            re.search_captures_with(cache, input, caps);
            Ok(caps.get_match())
        })?;
        Some(Captures {
            hay: self.hay,
            caps: self.caps.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static WORDS: Pattern = Pattern::new(|| r"(?-u:\b)([a-z]+)(?:-([0-9]+))?(?-u:\b)".into());
    static EMPTY: Pattern = Pattern::new(|| r"x*".into());
    static PLAIN: Pattern =
        Pattern::without_prefilter(|| r"(?i)(?-u:\b)(?:the|ü|of)\s+([a-z]+)".into());

    /// The searches give what the `regex` crate gives for the same pattern and text,
    /// empty matches between the bytes of a character included.
    #[test]
    fn searches_agree_with_the_regex_crate() {
        let texts = [
            "",
            "abc-12 de, f-3 ü x",
            "xx€x",
            "é",
            "—",
            "a-1-2 b-",
            "The cat of Ü dogs",
        ];
        for (p, pattern) in [
            (&WORDS, r"(?-u:\b)([a-z]+)(?:-([0-9]+))?(?-u:\b)"),
            (&EMPTY, "x*"),
            (&PLAIN, r"(?i)(?-u:\b)(?:the|ü|of)\s+([a-z]+)"),
        ] {
            let reference = regex::Regex::new(pattern).unwrap();
            for t in texts {
                let want: Vec<_> = reference.find_iter(t).map(|m| m.range()).collect();
                let got: Vec<_> = p.find_iter(t).map(|m| m.range()).collect();
                assert_eq!(got, want, "{pattern} {t:?}");
                assert_eq!(p.is_match(t), reference.is_match(t));
                assert_eq!(
                    p.find(t).map(|m| m.range()),
                    reference.find(t).map(|m| m.range())
                );
                let groups = |c: &regex::Captures| -> Vec<_> {
                    (0..c.len()).map(|i| c.get(i).map(|m| m.range())).collect()
                };
                let want: Vec<_> = reference.captures_iter(t).map(|c| groups(&c)).collect();
                let got: Vec<_> = p
                    .captures_iter(t)
                    .map(|c| {
                        (0..want.first().map_or(0, Vec::len))
                            .map(|i| c.get(i).map(|m| m.range()))
                            .collect::<Vec<_>>()
                    })
                    .collect();
                assert_eq!(got, want, "{pattern} {t:?}");
                assert_eq!(
                    p.captures(t).map(|c| c.get(0).map(|m| m.range())),
                    reference.captures(t).map(|c| c.get(0).map(|m| m.range()))
                );
            }
        }
    }

    /// A thread keeps the cache it used; one that ends gives it back, and the next
    /// thread takes it; a nested search of the same pattern gets a cache of its own.
    #[test]
    fn caches_pass_from_a_thread_that_ends_to_the_next() {
        static P: Pattern = Pattern::new(|| r"[a-z]+".into());
        std::thread::spawn(|| {
            assert_eq!(P.find_iter("ab cd").count(), 2);
            assert!(lock(&P.spare).is_empty(), "kept by the thread");
            // nested: the outer iteration holds this thread's cache
            let inner: usize = P
                .find_iter("ab cd")
                .map(|m| P.find_iter(m.as_str()).count())
                .sum();
            assert_eq!(inner, 2);
            assert_eq!(lock(&P.spare).len(), 1, "one of the two, given back");
        })
        .join()
        .unwrap();
        assert_eq!(
            lock(&P.spare).len(),
            2,
            "the thread's own, given back as it ended"
        );
        std::thread::spawn(|| {
            assert!(P.is_match("x"));
            assert_eq!(lock(&P.spare).len(), 1, "one taken by the next thread");
        })
        .join()
        .unwrap();
    }
}
