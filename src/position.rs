//! Positions: the one place where byte offsets become line/column pairs and back.
//!
//! The core speaks only UTF-8 byte offsets. Editors speak `(line, character)` where
//! `character` counts UTF-8 bytes, UTF-16 code units or Unicode scalar values,
//! depending on the negotiated position encoding; the CLI prints 1-based lines and
//! columns in scalar values. Every conversion in copydesk goes through [`LineIndex`].
//!
//! Line breaks are `\n`, `\r\n` and a lone `\r`, as the LSP specification says.
//! Positions past the end of a line or of the document are clamped, never a panic;
//! a position inside a multi-unit character rounds down to the character's start.

/// How the `character` of a position is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// A zero-based line and a column counted in some [`Encoding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

/// Start offsets of every line of one text, and checkpoints inside long lines so a
/// conversion never scans more than `MARK_EVERY` bytes (a 5 MB line stays fast).
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
    marks: Vec<Mark>,
}

/// A checkpoint: a char boundary and its UTF-16 and UTF-32 columns in its line.
#[derive(Clone, Copy, Debug)]
struct Mark {
    offset: usize,
    u16: usize,
    u32: usize,
}

const MARK_EVERY: usize = 1024;

/// The starts of the lines whose breaks lie in `range` of `text`, in order (a
/// `\r\n` is one break, after its `\n`; memchr: the server indexes every version).
fn push_line_starts(text: &str, range: std::ops::Range<usize>, starts: &mut Vec<usize>) {
    let bytes = text.as_bytes();
    for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[range.clone()]) {
        let i = range.start + i;
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        starts.push(i + 1);
    }
}

/// Whether some line of a text of `len` bytes starting at `starts` is longer than
/// `MARK_EVERY` (and so needs checkpoints).
fn has_long_line(starts: &[usize], len: usize) -> bool {
    starts.windows(2).any(|w| w[1] - w[0] > MARK_EVERY)
        || len - starts.last().copied().unwrap_or(0) > MARK_EVERY
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        push_line_starts(text, 0..text.len(), &mut starts);
        let mut marks: Vec<Mark> = Vec::new();
        if has_long_line(&starts, text.len()) {
            let (mut line_start, mut u16, mut u32) = (0usize, 0usize, 0usize);
            let mut next_line = 1;
            for (i, c) in text.char_indices() {
                if next_line < starts.len() && i >= starts[next_line] {
                    while next_line < starts.len() && i >= starts[next_line] {
                        line_start = starts[next_line];
                        next_line += 1;
                    }
                    u16 = 0;
                    u32 = 0;
                }
                let last = marks
                    .last()
                    .map_or(line_start, |m| m.offset.max(line_start));
                if i - last >= MARK_EVERY {
                    marks.push(Mark {
                        offset: i,
                        u16,
                        u32,
                    });
                }
                u16 += c.len_utf16();
                u32 += 1;
            }
        }
        LineIndex {
            starts,
            len: text.len(),
            marks,
        }
    }

    /// The last checkpoint at or before `offset` inside the line that starts at
    /// `line_start`, as (offset, units before it in `enc`).
    fn mark_before(&self, line_start: usize, offset: usize, enc: Encoding) -> (usize, usize) {
        let i = self.marks.partition_point(|m| m.offset <= offset);
        match i.checked_sub(1).map(|i| self.marks[i]) {
            Some(m) if m.offset >= line_start => {
                (m.offset, if enc == Encoding::Utf16 { m.u16 } else { m.u32 })
            }
            _ => (line_start, 0),
        }
    }

    /// The last checkpoint in `range` whose column in `enc` is at most `col`.
    fn mark_at_col(
        &self,
        range: &std::ops::Range<usize>,
        col: usize,
        enc: Encoding,
    ) -> (usize, usize) {
        let lo = self.marks.partition_point(|m| m.offset < range.start);
        let hi = self.marks.partition_point(|m| m.offset < range.end);
        let units = |m: &Mark| if enc == Encoding::Utf16 { m.u16 } else { m.u32 };
        let k = self.marks[lo..hi].partition_point(|m| units(m) <= col);
        match k.checked_sub(1) {
            Some(k) => {
                let m = &self.marks[lo + k];
                (m.offset, units(m))
            }
            None => (range.start, 0),
        }
    }

    /// The index of `text`, made from this one (of the text before) and the one
    /// edit between them: `removed` bytes at `start` replaced by `inserted`. Only
    /// the lines the edit touched are scanned again; the starts after them move.
    /// `None` where the edit does not fit this index or `text`, or where a line is
    /// long enough to need checkpoints (`LineIndex::new` then).
    pub fn edited(
        &self,
        start: usize,
        removed: usize,
        inserted: usize,
        text: &str,
    ) -> Option<Self> {
        let end = start.checked_add(removed)?;
        if !self.marks.is_empty() || end > self.len || self.len - removed + inserted != text.len() {
            return None;
        }
        let shift = inserted as isize - removed as isize;
        // the starts up to the line of the byte before the edit stay (their breaks
        // lie before that byte); those from two bytes after the removed text on
        // only move (their breaks, and a \r before one, lie after it)
        let keep = self.starts.partition_point(|&x| x < start.max(1));
        let from = self.starts[keep - 1];
        let moved = self.starts.partition_point(|&x| x < end + 2);
        let to = match self.starts.get(moved) {
            Some(&x) => x.checked_add_signed(shift)? - 1,
            None => text.len(),
        };
        if from > to || to > text.len() {
            return None;
        }
        let mut starts = Vec::with_capacity(self.starts.len() + 8);
        starts.extend_from_slice(&self.starts[..keep]);
        push_line_starts(text, from..to, &mut starts);
        for &x in &self.starts[moved..] {
            starts.push(x.checked_add_signed(shift)?);
        }
        (!has_long_line(&starts, text.len())).then_some(LineIndex {
            starts,
            len: text.len(),
            marks: Vec::new(),
        })
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte range of line `line` without its line break (clamped to the last line).
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let line = line.min(self.starts.len() - 1);
        let start = self.starts[line];
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let b = text.as_bytes();
        while end > start && (b[end - 1] == b'\n' || b[end - 1] == b'\r') {
            end -= 1;
        }
        start..end
    }

    /// The line and column of a byte offset. Offsets past the end clamp to the end;
    /// an offset inside a character counts as that character's start.
    pub fn to_line_col(&self, text: &str, offset: usize, enc: Encoding) -> LineCol {
        let offset = floor_boundary(text, offset.min(self.len));
        let line = match self.starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l - 1,
        };
        let range = self.line_range(text, line);
        let end = offset.min(range.end);
        let col = match enc {
            Encoding::Utf8 => end - range.start,
            _ => {
                let (from, base) = self.mark_before(range.start, end, enc);
                base + units_in(&text.as_bytes()[from..end], enc)
            }
        };
        LineCol { line, col }
    }

    /// The line and column of both ends of a span (`to_line_col` of each): an end
    /// on the start's line is counted on from the start.
    pub fn to_line_cols(
        &self,
        text: &str,
        span: std::ops::Range<usize>,
        enc: Encoding,
    ) -> (LineCol, LineCol) {
        let start = self.to_line_col(text, span.start, enc);
        let from = floor_boundary(text, span.start.min(self.len));
        let end = floor_boundary(text, span.end.min(self.len));
        let line_end = self.line_range(text, start.line).end;
        if from <= end && end <= line_end && self.marks.is_empty() {
            let col = start.col + units_in(&text.as_bytes()[from..end], enc);
            return (
                start,
                LineCol {
                    line: start.line,
                    col,
                },
            );
        }
        (start, self.to_line_col(text, span.end, enc))
    }

    /// The byte offset of a line and column. A line past the end gives the end of the
    /// text; a column past the end of its line gives the end of the line; a column in
    /// the middle of a character gives that character's start.
    pub fn to_offset(&self, text: &str, pos: LineCol, enc: Encoding) -> usize {
        if pos.line >= self.starts.len() {
            return self.len;
        }
        let range = self.line_range(text, pos.line);
        match enc {
            Encoding::Utf8 => {
                floor_boundary(text, range.start + pos.col.min(range.end - range.start))
            }
            _ => {
                let (from, mut units) = self.mark_at_col(&range, pos.col, enc);
                for (i, c) in text[from..range.end].char_indices() {
                    let next = units + enc.units(c);
                    if next > pos.col {
                        return from + i;
                    }
                    units = next;
                }
                range.end
            }
        }
    }
}

/// How many units of `enc` the whole characters of `bytes` (valid UTF-8) take,
/// counted from the bytes, not decoded: every byte that begins a character is one
/// unit, and one that begins a four-byte character is two in UTF-16. (A loop the
/// compiler vectorizes: the serialized diagnostics of a long story convert a few
/// hundred positions per keystroke.)
fn units_in(bytes: &[u8], enc: Encoding) -> usize {
    match enc {
        Encoding::Utf8 => bytes.len(),
        Encoding::Utf16 => bytes
            .iter()
            .map(|&b| usize::from((b as i8) >= -0x40) + usize::from(b >= 0xF0))
            .sum(),
        Encoding::Utf32 => bytes.iter().filter(|&&b| (b as i8) >= -0x40).count(),
    }
}

/// The largest char boundary at or before `offset`.
pub fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

#[cfg(test)]
mod tests {
    /// An index edited (`LineIndex::edited`) is the index built anew, after each of
    /// thousands of random edits of line breaks of every kind and characters of
    /// one to four bytes, at the ends and in the middle.
    #[test]
    fn an_edited_index_is_the_one_built_anew() {
        const PIECES: &[&str] = &["a", "\n", "\r", "\r\n", "\n\n", "é", "€", "😀", " ", "xy"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut text = String::from("One\ntwo\r\nthree\rfour\n\nfive");
        let mut index = LineIndex::new(&text);
        for step in 0..5000 {
            let mut at = next(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + next(4)).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let piece = if next(3) == 0 {
                ""
            } else {
                PIECES[next(PIECES.len())]
            };
            text.replace_range(at..end, piece);
            let fresh = LineIndex::new(&text);
            let edited = index.edited(at, end - at, piece.len(), &text);
            let edited = edited.unwrap_or_else(|| panic!("step {step}: not edited"));
            assert_eq!(edited.starts, fresh.starts, "step {step}: {text:?}");
            assert_eq!(edited.len, fresh.len);
            index = edited;
            if text.len() > 400 {
                text.replace_range(..200, "");
                index = LineIndex::new(&text);
            }
        }
        // what it cannot do: a long line (checkpoints), an edit that does not fit
        let long = "x".repeat(3000);
        assert!(
            LineIndex::new(&long)
                .edited(0, 0, 1, &format!("y{long}"))
                .is_none()
        );
        let short = LineIndex::new("ab\ncd");
        assert!(short.edited(0, 0, 1, &format!("y{long}")).is_none());
        assert!(short.edited(9, 0, 1, "ab\ncdy").is_none());
        assert!(short.edited(4, 3, 0, "ab\nc").is_none());
    }

    use super::*;

    const ALL: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

    #[test]
    fn astral_and_combining_round_trip() {
        let text = "a😀b\ne\u{301}x\r\nKyiv\rend";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        for enc in ALL {
            for (off, _) in text.char_indices() {
                if off > 0 && text.as_bytes()[off - 1] == b'\r' && text.as_bytes()[off] == b'\n' {
                    continue; // inside a CRLF: the same position as the \r
                }
                let lc = idx.to_line_col(text, off, enc);
                assert_eq!(idx.to_offset(text, lc, enc), off, "{enc:?} {off}");
            }
        }
        let b = text.find('b').unwrap();
        assert_eq!(
            idx.to_line_col(text, b, Encoding::Utf16),
            LineCol { line: 0, col: 3 }
        );
        assert_eq!(
            idx.to_line_col(text, b, Encoding::Utf8),
            LineCol { line: 0, col: 5 }
        );
        assert_eq!(
            idx.to_line_col(text, b, Encoding::Utf32),
            LineCol { line: 0, col: 2 }
        );
        let k = text.find("Kyiv").unwrap();
        assert_eq!(
            idx.to_line_col(text, k, Encoding::Utf16),
            LineCol { line: 2, col: 0 }
        );
        let e = text.find("end").unwrap();
        assert_eq!(
            idx.to_line_col(text, e, Encoding::Utf16),
            LineCol { line: 3, col: 0 }
        );
    }

    #[test]
    fn clamps_past_the_end_and_inside_characters() {
        let text = "a😀\nbc";
        let idx = LineIndex::new(text);
        // column past the end of line 0 clamps to its end, before the break
        assert_eq!(
            idx.to_offset(text, LineCol { line: 0, col: 99 }, Encoding::Utf16),
            5
        );
        // line past the end clamps to the end of the text
        assert_eq!(
            idx.to_offset(text, LineCol { line: 9, col: 0 }, Encoding::Utf16),
            text.len()
        );
        // the middle of the surrogate pair rounds down to the emoji
        assert_eq!(
            idx.to_offset(text, LineCol { line: 0, col: 2 }, Encoding::Utf16),
            1
        );
        // a byte inside the emoji rounds down as well
        assert_eq!(
            idx.to_offset(text, LineCol { line: 0, col: 3 }, Encoding::Utf8),
            1
        );
        assert_eq!(
            idx.to_line_col(text, 999, Encoding::Utf16),
            LineCol { line: 1, col: 2 }
        );
        assert_eq!(
            idx.to_line_col(text, 3, Encoding::Utf16),
            LineCol { line: 0, col: 1 }
        );
    }

    #[test]
    fn units_counted_from_bytes_agree_with_decoding() {
        // one-, two-, three- and four-byte characters, at every cut between them
        let text = "a é € 😀 Erdoğan Київ 𝒳\u{301}z";
        for (from, _) in text.char_indices() {
            for (to, _) in text.char_indices().chain([(text.len(), ' ')]) {
                if to < from {
                    continue;
                }
                for enc in ALL {
                    let decoded: usize = text[from..to].chars().map(|c| enc.units(c)).sum();
                    assert_eq!(units_in(&text.as_bytes()[from..to], enc), decoded);
                }
            }
        }
    }

    #[test]
    fn both_ends_of_a_span_agree_with_each_end_alone() {
        let line = "Kyiv 😀 e\u{301} Erdoğan ";
        for text in [format!("short\n{line}\r\n{line}\rend"), line.repeat(200)] {
            let idx = LineIndex::new(&text);
            let offsets: Vec<usize> = (0..=text.len() + 2).step_by(3).collect();
            for enc in ALL {
                for &a in &offsets {
                    for &b in offsets.iter().filter(|&&b| b >= a).take(40) {
                        assert_eq!(
                            idx.to_line_cols(&text, a..b, enc),
                            (
                                idx.to_line_col(&text, a, enc),
                                idx.to_line_col(&text, b, enc)
                            ),
                            "{enc:?} {a}..{b}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn long_lines_use_checkpoints_and_agree_with_a_scan() {
        let unit = "Kyiv 😀 e\u{301} ";
        let line: String = unit.repeat(2000);
        let text = format!("short\n{line}\r\n{line}");
        let idx = LineIndex::new(&text);
        assert!(!idx.marks.is_empty());
        for enc in ALL {
            for (off, _) in text.char_indices().step_by(37) {
                let lc = idx.to_line_col(&text, off, enc);
                let range = idx.line_range(&text, lc.line);
                let scan: usize = text[range.start..off.min(range.end)]
                    .chars()
                    .map(|c| enc.units(c))
                    .sum();
                if enc != Encoding::Utf8 {
                    assert_eq!(lc.col, scan, "{enc:?} {off}");
                }
                if off <= range.end {
                    assert_eq!(
                        idx.to_offset(&text, lc, enc),
                        off.min(range.end),
                        "{enc:?} {off}"
                    );
                }
            }
        }
    }

    #[test]
    fn empty_text() {
        let idx = LineIndex::new("");
        for enc in ALL {
            assert_eq!(idx.to_line_col("", 0, enc), LineCol { line: 0, col: 0 });
            assert_eq!(idx.to_offset("", LineCol { line: 3, col: 3 }, enc), 0);
        }
    }
}

/// The byte offset in a rope of a line and column, with the same clamping as
/// [`LineIndex::to_offset`]. Ropey is built with `cr_lines`, so its lines break at
/// `\n`, `\r\n` and `\r`, as LSP's do.
pub fn rope_offset(rope: &ropey::Rope, pos: LineCol, enc: Encoding) -> usize {
    if pos.line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let start = rope.line_to_byte(pos.line);
    let line = rope.line(pos.line);
    let mut units = 0;
    let mut bytes = 0;
    for c in line.chars() {
        if c == '\n' || c == '\r' {
            break;
        }
        let next = units + enc.units(c);
        if next > pos.col {
            break;
        }
        units = next;
        bytes += c.len_utf8();
    }
    start + bytes
}

/// The line and column of a byte offset in a rope (the inverse of [`rope_offset`]);
/// an offset past the end, or inside a character, clamps back to a boundary.
pub fn rope_line_col(rope: &ropey::Rope, offset: usize, enc: Encoding) -> LineCol {
    let offset = offset.min(rope.len_bytes());
    let line = rope.byte_to_line(offset);
    let start = rope.line_to_byte(line);
    let mut col = 0;
    let mut at = start;
    for c in rope.line(line).chars() {
        if at + c.len_utf8() > offset || c == '\n' || c == '\r' {
            break;
        }
        at += c.len_utf8();
        col += enc.units(c);
    }
    LineCol { line, col }
}

#[cfg(test)]
mod rope_tests {
    use super::*;

    #[test]
    fn rope_and_string_agree() {
        let text = "a😀b\r\ne\u{301}x\rKyiv\nend";
        let rope = ropey::Rope::from_str(text);
        let idx = LineIndex::new(text);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for line in 0..6 {
                for col in 0..12 {
                    let p = LineCol { line, col };
                    assert_eq!(
                        rope_offset(&rope, p, enc),
                        idx.to_offset(text, p, enc),
                        "{enc:?} {p:?}"
                    );
                }
            }
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    rope_line_col(&rope, offset, enc),
                    idx.to_line_col(text, offset, enc),
                    "{enc:?} {offset}"
                );
            }
        }
    }
}
