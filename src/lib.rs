//! copydesk: the work of a newsroom copy desk, as a library.
//!
//! [`analyze`] is the whole core: text in, [`Report`] out, pure and synchronous. It
//! knows nothing of LSP, files or terminals; `cli` and `lsp` are adapters over it.

pub mod analyze;
pub mod attribution;
pub mod cli;
pub mod config;
pub mod entities;
pub mod kb;
pub mod lexicon;
pub mod lsp;
pub mod memory;
pub mod parallel;
mod pattern;
pub mod position;
pub mod report;
pub mod rules;
pub mod suppress;
pub mod temporal;
pub mod text;

pub use analyze::{
    Memo, Options, Retired, RuleSetting, analyze, analyze_with_memo, analyze_with_memo_threads,
    analyze_with_threads, warm_up,
};
pub use report::Report;
pub use text::Format;

/// A mutex's guard, whether or not a thread panicked holding it: what it guards
/// (documents, caches, the output) stays usable, and one failed request must not
/// stop the server or a search.
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The texts of the seeds, the corpus and the golden files, for the tests that
/// check a claim on every one.
#[cfg(test)]
pub(crate) fn test_texts() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    for dir in ["seeds", "tests/corpus", "tests/golden"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            if let Ok(text) = std::fs::read_to_string(e.unwrap().path()) {
                texts.push(text);
            }
        }
    }
    texts
}
