//! The regular expressions of the text model and the rules: each compiled once, in a
//! `OnceLock` beside the code that searches with it, on first use or by
//! [`crate::analyze::warm_up`]. Every one is compiled here, and counted, so that a
//! test can tell when the warm-up leaves one for a user's first document to compile
//! (round 14 in BENCHMARKS.md: seven of them did, 2–3 ms of its diagnostics).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use regex::Regex;

static COMPILED: AtomicUsize = AtomicUsize::new(0);

/// Compile one of the program's own patterns (a fault in one is a bug, found by any
/// test that reaches it).
pub(crate) fn compile(pattern: &str) -> Regex {
    COMPILED.fetch_add(1, Ordering::Relaxed);
    Regex::new(pattern).expect("valid pattern")
}

/// The pattern in `cell`, compiled from `pattern()` the first time.
pub(crate) fn lazy(
    cell: &'static OnceLock<Regex>,
    pattern: impl FnOnce() -> String,
) -> &'static Regex {
    cell.get_or_init(|| compile(&pattern()))
}

/// How many patterns this process has compiled.
#[cfg(test)]
pub(crate) fn compiled() -> usize {
    COMPILED.load(Ordering::Relaxed)
}
