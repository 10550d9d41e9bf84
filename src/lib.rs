//! copydesk: the work of a newsroom copy desk, as a library.
//!
//! [`analyze`] is the whole core: text in, [`Report`] out, pure and synchronous. It
//! knows nothing of LSP, files or terminals; `cli` and `lsp` are adapters over it.

pub mod position;
pub mod report;
pub mod text;

pub use report::Report;
