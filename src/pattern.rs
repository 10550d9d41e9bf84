//! The regular expressions of the text model and the rules: each a static
//! [`Pattern`] (or, for those searched two at a time by [`find_both`], a
//! [`Stepped`]) beside the code that searches with it, compiled once, on first use
//! or by [`crate::analyze::warm_up`].
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
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread::LocalKey;

use regex_automata::hybrid::LazyStateID;
use regex_automata::hybrid::dfa::{self as lazy, DFA};
use regex_automata::meta::{Builder, Cache, Config, Regex};
use regex_automata::nfa::thompson::backtrack::{self, BoundedBacktracker};
use regex_automata::nfa::thompson::pikevm::{self, PikeVM};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::captures;
use regex_automata::util::iter::Searcher;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind, PatternID};

use crate::lock;

/// How many patterns this process has compiled (each one's number, from 0).
static COMPILED: AtomicUsize = AtomicUsize::new(0);

/// The caches of a pattern that no thread holds.
// (boxed, as everywhere a cache is kept: it moves between places, see `Lease`)
#[allow(clippy::vec_box)]
type Spare<C> = Mutex<Vec<Box<C>>>;

/// One of the program's own regular expressions, with the caches no thread holds.
pub(crate) struct Pattern {
    source: fn() -> String,
    /// Whether the search may first look for literals every match has (see
    /// `without_prefilter`).
    prefilter: bool,
    compiled: OnceLock<(Regex, usize)>,
    spare: Spare<Cache>,
}

/// The caches a thread has used, by pattern number; given back when it ends.
struct Local<C: 'static>(Vec<Option<(&'static Spare<C>, Box<C>)>>);

impl<C> Default for Local<C> {
    fn default() -> Self {
        Local(Vec::new())
    }
}

impl<C> Drop for Local<C> {
    fn drop(&mut self) {
        for (spare, cache) in self.0.drain(..).flatten() {
            lock(spare).push(cache);
        }
    }
}

thread_local! {
    static LOCAL: RefCell<Local<Cache>> = RefCell::default();
    static LOCAL_STEPPED: RefCell<Local<SteppedCache>> = RefCell::default();
}

/// A cache taken for one search (or one iteration), put back when dropped. (Boxed:
/// a cache is a large value, and moving it in and out of its places by value cost
/// a fifth of a long story's analysis.)
struct Lease<C: 'static> {
    local: &'static LocalKey<RefCell<Local<C>>>,
    spare: &'static Spare<C>,
    id: usize,
    cache: Option<Box<C>>,
}

impl<C> Lease<C> {
    /// This thread's cache of pattern `id`, or one another thread gave back, or
    /// `new()`.
    fn take(
        local: &'static LocalKey<RefCell<Local<C>>>,
        spare: &'static Spare<C>,
        id: usize,
        new: impl FnOnce() -> C,
    ) -> Lease<C> {
        let mine = local
            .try_with(|l| l.borrow_mut().0.get_mut(id).and_then(Option::take))
            .ok()
            .flatten()
            .map(|(_, c)| c);
        let cache = mine
            .or_else(|| lock(spare).pop())
            .unwrap_or_else(|| Box::new(new()));
        Lease {
            local,
            spare,
            id,
            cache: Some(cache),
        }
    }

    fn cache(&mut self) -> &mut C {
        self.cache
            .as_mut()
            .expect("a lease holds its cache until dropped")
    }
}

impl<C> Drop for Lease<C> {
    fn drop(&mut self) {
        let Some(cache) = self.cache.take() else {
            return;
        };
        let (spare, id) = (self.spare, self.id);
        let mut cache = Some(cache);
        let _ = self.local.try_with(|l| {
            let mut l = l.borrow_mut();
            if l.0.len() <= id {
                l.0.resize_with(id + 1, || None);
            }
            if l.0[id].is_none() {
                l.0[id] = cache.take().map(|c| (spare, c));
            }
        });
        // (the thread is ending, or a nested search of the same pattern kept one)
        if let Some(c) = cache {
            lock(spare).push(c);
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
    fn lease(&'static self) -> (&'static Regex, Lease<Cache>) {
        let (re, id) = self.regex();
        (
            re,
            Lease::take(&LOCAL, &self.spare, id, || re.create_cache()),
        )
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
        caps.is_match().then_some(Captures {
            hay,
            caps,
            offset: 0,
        })
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
    /// How many groups come before those of the alternative that matched (for a
    /// stepped pattern given as alternatives; 0 for any other).
    offset: usize,
}

impl<'h> Captures<'h> {
    /// How many groups the pattern has, the whole match included.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.caps.group_len()
    }

    /// Group `i` (0: the whole match), if it took part.
    pub(crate) fn get(&self, i: usize) -> Option<Match<'h>> {
        // (a group of another alternative: beyond this one's groups, or before them)
        let local = match i {
            0 => 0,
            i => i.checked_sub(self.offset).filter(|&l| l > 0)?,
        };
        let s = self.caps.get_group(local)?;
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
    lease: Lease<Cache>,
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
    lease: Lease<Cache>,
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
            offset: 0,
        })
    }
}

/// A pattern searched with lazy DFAs of its own rather than through `meta`, so that
/// [`find_both`] can step two of them through a text at once.
///
/// A lazy DFA reads one byte per step, and each step waits for the table entry the
/// step before chose: the processor has the next byte and its class long before it
/// has the state. Two automata stepped in one loop wait at the same time, and a
/// paragraph's dates and relative dates are found in about two thirds of the time
/// of two searches, one after the other (round 20 in BENCHMARKS.md). The matches
/// are those `Pattern::find_iter` would give: the same automata, the same
/// leftmost-first rule, the same restart after each match (the tests compare them).
/// A stepped pattern must not match the empty string (checked when it is compiled).
///
/// A pattern may be given as its alternatives (`Stepped::alternatives`): it is the
/// same pattern as their `|`, with its groups numbered the same way, but each
/// alternative is a pattern of its own to the automata, so that the groups of a
/// match are read from that alternative's states alone. The relative dates' nine
/// alternatives read their groups in less than half the time (round 20).
pub(crate) struct Stepped {
    source: Source,
    compiled: OnceLock<(Automata, usize)>,
    spare: Spare<SteppedCache>,
}

enum Source {
    One(fn() -> String),
    Alternatives(fn() -> Vec<String>),
}

impl Source {
    fn patterns(&self) -> Vec<String> {
        match self {
            Source::One(f) => vec![f()],
            Source::Alternatives(f) => f(),
        }
    }
}

/// A stepped pattern's automata.
struct Automata {
    /// Leftmost-first and unanchored: where each match ends, and which
    /// alternative matched.
    fwd: DFA,
    /// Every match, anchored at a match's end and read backwards: where it starts.
    rev: DFA,
    /// The groups of a match whose span is known.
    backtrack: BoundedBacktracker,
    /// The same, for a match too long for the backtracker's memory.
    pikevm: PikeVM,
    /// For each alternative, how many groups the ones before it have (its group
    /// `i` is the pattern's group `offset + i`).
    offsets: Vec<usize>,
}

struct SteppedCache {
    fwd: lazy::Cache,
    rev: lazy::Cache,
    backtrack: backtrack::Cache,
    pikevm: pikevm::Cache,
}

impl Stepped {
    /// The pattern `source()` gives, compiled on first use.
    pub(crate) const fn new(source: fn() -> String) -> Stepped {
        Stepped::with(Source::One(source))
    }

    /// The pattern made of the alternatives `source()` gives, in order (see above).
    pub(crate) const fn alternatives(source: fn() -> Vec<String>) -> Stepped {
        Stepped::with(Source::Alternatives(source))
    }

    const fn with(source: Source) -> Stepped {
        Stepped {
            source,
            compiled: OnceLock::new(),
            spare: Mutex::new(Vec::new()),
        }
    }

    fn automata(&'static self) -> (&'static Automata, usize) {
        let (a, id) = self.compiled.get_or_init(|| {
            let a = Automata::new(&self.source.patterns());
            (a, COMPILED.fetch_add(1, Ordering::Relaxed))
        });
        (a, *id)
    }

    /// The pattern (its alternatives joined), for tests that compare the searches
    /// with the `regex` crate's.
    #[cfg(test)]
    pub(crate) fn source(&self) -> String {
        self.source.patterns().join("|")
    }

    fn lease(&'static self) -> (&'static Automata, Lease<SteppedCache>) {
        let (a, id) = self.automata();
        let lease = Lease::take(&LOCAL_STEPPED, &self.spare, id, || SteppedCache {
            fwd: a.fwd.create_cache(),
            rev: a.rev.create_cache(),
            backtrack: a.backtrack.create_cache(),
            pikevm: a.pikevm.create_cache(),
        });
        (a, lease)
    }

    /// The groups of `m`, a match [`find_both`] found in `hay`.
    pub(crate) fn captures<'h>(&'static self, hay: &'h str, m: &Found) -> Captures<'h> {
        let (a, mut lease) = self.lease();
        let cache = lease.cache();
        let input = Input::new(hay)
            .span(m.range())
            .anchored(Anchored::Pattern(m.alternative));
        let mut caps = a.backtrack.create_captures();
        // (the backtracker declines a match too long for its memory)
        let searched = a
            .backtrack
            .try_search(&mut cache.backtrack, &input, &mut caps);
        if searched.is_err() {
            a.pikevm.search(&mut cache.pikevm, &input, &mut caps);
        }
        let offset = a.offsets[m.alternative.as_usize()];
        Captures { hay, caps, offset }
    }
}

impl Automata {
    /// As `compile` builds a pattern's `meta::Regex`: the same syntax, limits and
    /// match rule.
    fn new(patterns: &[String]) -> Automata {
        // (parsed once, for the automata both ways)
        let syntax = syntax::Config::new().utf8(true);
        let hirs = syntax::parse_many_with(patterns, &syntax).expect("valid pattern");
        let nfa_config = || thompson::Config::new().nfa_size_limit(Some(10 << 20));
        let nfa = thompson::Compiler::new()
            .configure(nfa_config())
            .build_many_from_hir(&hirs)
            .expect("valid pattern");
        assert!(
            !nfa.has_empty(),
            "a stepped pattern matches the empty string"
        );
        let groups = nfa.group_info();
        let offsets = (0..nfa.pattern_len())
            .scan(0, |before, p| {
                let offset = *before;
                *before += groups.group_len(PatternID::new_unchecked(p)) - 1;
                Some(offset)
            })
            .collect();
        let rev_nfa = thompson::Compiler::new()
            .configure(
                nfa_config()
                    .reverse(true)
                    .which_captures(WhichCaptures::None),
            )
            .build_many_from_hir(&hirs)
            .expect("valid pattern");
        let dfa = |kind| {
            DFA::config()
                .cache_capacity(2 << 20)
                .match_kind(kind)
                .specialize_start_states(false)
        };
        Automata {
            fwd: DFA::builder()
                .configure(dfa(MatchKind::LeftmostFirst))
                .build_from_nfa(nfa.clone())
                .expect("valid pattern"),
            // (started at a match's end, for the alternative that matched)
            rev: DFA::builder()
                .configure(dfa(MatchKind::All).starts_for_each_pattern(true))
                .build_from_nfa(rev_nfa)
                .expect("valid pattern"),
            backtrack: BoundedBacktracker::new_from_nfa(nfa.clone()).expect("valid pattern"),
            pikevm: PikeVM::new_from_nfa(nfa).expect("valid pattern"),
            offsets,
        }
    }
}

/// One pattern's search in `find_both`: where its automaton is, and what it has
/// found.
struct Cursor<'a> {
    a: &'a Automata,
    cache: &'a mut SteppedCache,
    /// The state after the bytes before `at`.
    sid: LazyStateID,
    /// The next byte to read.
    at: usize,
    /// Where this search began (the end of the match before).
    from: usize,
    /// The end of the longest match yet, and its alternative, while the automaton
    /// looks for a longer.
    end: Option<(usize, PatternID)>,
    done: bool,
    found: Vec<Found>,
}

/// A match of a stepped pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Which of the pattern's alternatives matched.
    alternative: PatternID,
}

impl Found {
    pub(crate) fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The match in `hay`, the text it was found in.
    pub(crate) fn matched<'h>(&self, hay: &'h str) -> Match<'h> {
        Match::new(hay, self.start, self.end)
    }
}

impl<'a> Cursor<'a> {
    fn new(a: &'a Automata, cache: &'a mut SteppedCache, hay: &str) -> Cursor<'a> {
        let mut c = Cursor {
            a,
            cache,
            sid: LazyStateID::default(),
            at: 0,
            from: 0,
            end: None,
            done: false,
            found: Vec::new(),
        };
        c.begin(hay, 0);
        c
    }

    /// Start a search at `from`.
    fn begin(&mut self, hay: &str, from: usize) {
        (self.at, self.from, self.end) = (from, from, None);
        self.done = from >= hay.len();
        if self.done {
            return;
        }
        let input = Input::new(hay).range(from..);
        match self.a.fwd.start_state_forward(&mut self.cache.fwd, &input) {
            Ok(sid) => self.sid = sid,
            Err(_) => self.fall_back(hay),
        }
    }

    /// Read the byte at `at` (which is before the end).
    #[inline(always)]
    fn step(&mut self, hay: &str) {
        let byte = hay.as_bytes()[self.at];
        let mut next = if self.sid.is_tagged() {
            self.a.fwd.next_state(&mut self.cache.fwd, self.sid, byte)
        } else {
            // SAFETY: `sid` is an untagged state of this cache (tagged ones take
            // the branch above, and a cleared cache made every state after it)
            Ok(unsafe {
                self.a
                    .fwd
                    .next_state_untagged_unchecked(&self.cache.fwd, self.sid, byte)
            })
        };
        if next.as_ref().is_ok_and(|s| s.is_unknown()) {
            next = self.a.fwd.next_state(&mut self.cache.fwd, self.sid, byte);
        }
        let Ok(next) = next else {
            return self.fall_back(hay);
        };
        self.sid = next;
        if next.is_tagged() {
            if next.is_match() {
                let alternative = self.a.fwd.match_pattern(&self.cache.fwd, next, 0);
                self.end = Some((self.at, alternative));
            } else if next.is_dead() || next.is_quit() {
                return self.finish(hay, next.is_quit());
            }
        }
        self.at += 1;
        if self.at == hay.len() {
            match self.a.fwd.next_eoi_state(&mut self.cache.fwd, self.sid) {
                Ok(eoi) if eoi.is_match() => {
                    let alternative = self.a.fwd.match_pattern(&self.cache.fwd, eoi, 0);
                    self.end = Some((hay.len(), alternative));
                }
                Ok(_) => {}
                Err(_) => return self.fall_back(hay),
            }
            self.finish(hay, false);
        }
    }

    /// The search from `from` has ended: keep its match, if any, and begin the next.
    #[cold]
    fn finish(&mut self, hay: &str, quit: bool) {
        if quit {
            return self.fall_back(hay);
        }
        let Some((end, alternative)) = self.end else {
            self.done = true;
            return;
        };
        let input = Input::new(hay)
            .range(self.from..end)
            .anchored(Anchored::Pattern(alternative));
        match self.a.rev.try_search_rev(&mut self.cache.rev, &input) {
            Ok(Some(start)) => self.found.push(Found {
                start: start.offset(),
                end,
                alternative,
            }),
            _ => return self.fall_back(hay),
        }
        self.begin(hay, end);
    }

    /// The lazy DFA gave up (it cannot on these patterns: no byte makes it quit and
    /// its cache has no minimum): the rest of the matches from `from`, by the
    /// PikeVM.
    #[cold]
    fn fall_back(&mut self, hay: &str) {
        let input = Input::new(hay).range(self.from..);
        let rest = self.a.pikevm.find_iter(&mut self.cache.pikevm, input);
        self.found.extend(rest.map(|m| Found {
            start: m.start(),
            end: m.end(),
            alternative: m.pattern(),
        }));
        self.done = true;
    }
}

/// Every match of `a` and of `b` in `hay`, each left to right and none overlapping
/// another of its own pattern, as `find_iter` gives them: the two automata stepped
/// through the text together.
pub(crate) fn find_both(a: &'static Stepped, b: &'static Stepped, hay: &str) -> [Vec<Found>; 2] {
    let ((aa, mut la), (ab, mut lb)) = (a.lease(), b.lease());
    let (mut x, mut y) = (
        Cursor::new(aa, la.cache(), hay),
        Cursor::new(ab, lb.cache(), hay),
    );
    let bytes = hay.as_bytes();
    while !x.done && !y.done {
        if !x.sid.is_tagged() && !y.sid.is_tagged() {
            // both in plain states: step both until either meets a tagged one,
            // short of the last byte (which `step` reads, for the end of the text)
            let n = bytes.len() - x.at.max(y.at);
            let (mut xs, mut ys) = (x.sid, y.sid);
            let (xb, yb) = (&bytes[x.at..], &bytes[y.at..]);
            let mut i = 0;
            while i + 1 < n {
                // SAFETY: `xs` and `ys` are untagged states of their caches, and
                // `i + 1 < n` keeps both reads within the text
                let (nx, ny) = unsafe {
                    (
                        x.a.fwd.next_state_untagged_unchecked(
                            &x.cache.fwd,
                            xs,
                            *xb.get_unchecked(i),
                        ),
                        y.a.fwd.next_state_untagged_unchecked(
                            &y.cache.fwd,
                            ys,
                            *yb.get_unchecked(i),
                        ),
                    )
                };
                if nx.is_tagged() | ny.is_tagged() {
                    break;
                }
                (xs, ys) = (nx, ny);
                i += 1;
            }
            (x.sid, y.sid) = (xs, ys);
            x.at += i;
            y.at += i;
        }
        x.step(hay);
        if !y.done {
            y.step(hay);
        }
    }
    while !x.done {
        x.step(hay);
    }
    while !y.done {
        y.step(hay);
    }
    [x.found, y.found]
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

    /// `find_both` and `Stepped::captures` give what the `regex` crate gives for each
    /// pattern alone: matches that end where the text does or run into each other,
    /// restarts after a word (where `\b` looks back), case folded beyond ASCII, and a
    /// match too long for the backtracker.
    #[test]
    fn stepped_searches_agree_with_the_regex_crate() {
        static A: Stepped =
            Stepped::new(|| r"(?-u:\b)([A-Z][a-z]+)(?:\s+([0-9]{1,2}))?(?-u:\b)".into());
        static B: Stepped =
            Stepped::new(|| r"(?i)(?-u:\b)(?:(last|next)\s+)?(week|kelvin)s?(?-u:\b)".into());
        static LONG: Stepped = Stepped::new(|| r"q(x+)y|x".into());
        // (groups numbered across the alternatives, as in their `|`)
        static ALT: Stepped = Stepped::alternatives(|| {
            vec![
                r"(?i)(?-u:\b)(?:(last|next)\s+)?(week)s?(?-u:\b)".into(),
                r"(?i)(?-u:\b)(kelvin|(k)[a-z]+)s?(?-u:\b)".into(),
                r"([0-9]+)".into(),
            ]
        });
        let long = format!("q{}y x", "x".repeat(600_000));
        assert!(LONG.automata().0.backtrack.max_haystack_len() < 600_000);
        let texts = [
            "",
            "a",
            "March 5 and April 12",
            "Last week, next weeks and WEEK",
            "weekly week-end week",
            "the \u{212A}elvin Week ends Week",
            "May5 June 30éJuly 4 week",
            "xx Oct 3",
            "Oct",
            "next week 12 kilns, Kelvins and last WEEKs",
            long.as_str(),
        ];
        let reference = |p: &Stepped| regex::Regex::new(&p.source()).unwrap();
        let groups = |c: &regex::Captures| -> Vec<_> {
            (0..c.len()).map(|i| c.get(i).map(|m| m.range())).collect()
        };
        for (a, b) in [
            (&A, &B),
            (&B, &A),
            (&A, &LONG),
            (&LONG, &B),
            (&A, &A),
            (&ALT, &A),
            (&B, &ALT),
        ] {
            let (ra, rb) = (reference(a), reference(b));
            for t in texts {
                let [got_a, got_b] = find_both(a, b, t);
                for (p, r, got) in [(a, &ra, got_a), (b, &rb, got_b)] {
                    let want: Vec<_> = r.find_iter(t).map(|m| m.range()).collect();
                    let ranges: Vec<_> = got.iter().map(Found::range).collect();
                    assert_eq!(ranges, want, "{} {:.40?}", p.source(), t);
                    for (m, c) in got.iter().zip(r.captures_iter(t)) {
                        let mine = p.captures(t, m);
                        let mine: Vec<_> = (0..c.len())
                            .map(|i| mine.get(i).map(|m| m.range()))
                            .collect();
                        assert_eq!(mine, groups(&c), "{} {:.40?}", p.source(), t);
                    }
                }
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
