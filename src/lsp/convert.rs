//! Core spans to LSP ranges, through the one position module.

use tower_lsp_server::ls_types::{Position, Range};

use crate::position::{Encoding, LineCol, LineIndex, rope_line_col, rope_offset};
use crate::report::Span;

pub fn position(text: &str, idx: &LineIndex, offset: usize, enc: Encoding) -> Position {
    lsp_position(idx.to_line_col(text, offset, enc))
}

fn lsp_position(lc: LineCol) -> Position {
    Position {
        line: lc.line as u32,
        character: lc.col as u32,
    }
}

pub fn range(text: &str, idx: &LineIndex, span: &Span, enc: Encoding) -> Range {
    let (start, end) = idx.to_line_cols(text, span.clone(), enc);
    Range {
        start: lsp_position(start),
        end: lsp_position(end),
    }
}

pub fn offset(text: &str, idx: &LineIndex, pos: Position, enc: Encoding) -> usize {
    idx.to_offset(text, line_col(pos), enc)
}

fn line_col(pos: Position) -> LineCol {
    LineCol {
        line: pos.line as usize,
        col: pos.character as usize,
    }
}

/// A position in a rope (the newest text of a document), as a byte offset.
pub fn rope_to_offset(rope: &ropey::Rope, pos: Position, enc: Encoding) -> usize {
    rope_offset(rope, line_col(pos), enc)
}

/// A byte offset in a rope, as a position.
pub fn rope_position(rope: &ropey::Rope, offset: usize, enc: Encoding) -> Position {
    lsp_position(rope_line_col(rope, offset, enc))
}
