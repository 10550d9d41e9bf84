//! The properties the fuzz targets check, shared with `tests/properties.rs`
//! (which includes this file with `#[path]`), so cargo-fuzz and proptest check
//! exactly the same things.
//!
//! - [`check_analyze`]: `analyze` never panics and every span it reports is a
//!   char-boundary range inside the text that round-trips through `LineIndex`.
//! - [`check_positions`]: offset -> line/col -> offset is the identity at every char
//!   boundary (except between the `\r` and `\n` of a CRLF, which has no position of
//!   its own), in UTF-8, UTF-16 and UTF-32; any line/col gives a char boundary
//!   `<= len`; the rope and the string agree on every position.
//! - [`check_edits`]: a sequence of range edits applied to a ropey `Rope` through
//!   `position::rope_offset` (as the server's `apply_changes` does) gives the same
//!   text as applying them to a `String` through `LineIndex::to_offset`, and after
//!   every edit the text model built from the pieces kept of the last one
//!   (`Document::with_memo`, as the server builds it while typing) is the one built
//!   from scratch, and so is the report that reuses what the last analysis kept
//!   (`analyze_with_memo`).

#![allow(dead_code)]

use copydesk::position::{Encoding, LineCol, LineIndex, floor_boundary, rope_offset};
use copydesk::text::{Document, TextMemo};
use copydesk::{Format, Memo, Options, Report};

pub const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

/// Fragments that bytes >= 0x80 map to: multi-byte, astral, combining, ZWJ, RTL,
/// BOM, line breaks, quotation marks and a few names the rules react to.
pub const ALPHABET: &[&str] = &[
    "é",
    "e\u{301}",
    "😀",
    "👩\u{200d}👩\u{200d}👧\u{200d}👦",
    "🇺🇦",
    "\u{feff}",
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "\u{2028}",
    "\u{85}",
    "“",
    "”",
    "«",
    "»",
    "\"",
    "'",
    "’",
    "שלום",
    "مرحبا",
    "\u{202e}",
    "Kyiv",
    "Kiev",
    "Zelensky",
    "Zelenskyy",
    "Erdoğan",
    "Erdogan",
    " said ",
    "on Thursday",
    "Friday, March 5, 2024",
    "more than 12 million people",
    "Jens Stoltenberg",
    "officials said",
    "# ",
    "```",
    "<!-- ",
    " -->",
    "[link](http://x.y)",
    "\t",
    "\0",
    "ß",
    "İ",
    "ﬁ",
    "\u{10FFFF}",
    "𝔘",
];

/// Bytes to text: ASCII as itself (control characters included), other bytes as
/// fragments of [`ALPHABET`].
pub fn text_from_bytes(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        if b < 0x80 {
            s.push(b as char);
        } else {
            s.push_str(ALPHABET[(b - 0x80) as usize % ALPHABET.len()]);
        }
    }
    s
}

fn check_span(text: &str, idx: &LineIndex, span: &std::ops::Range<usize>, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside the text (len {})",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} not on char boundaries"
    );
    for off in [span.start, span.end] {
        // a span edge between the \r and \n of a CRLF has no position of its own
        if off > 0 && text.as_bytes()[off - 1] == b'\r' && text.as_bytes().get(off) == Some(&b'\n')
        {
            continue;
        }
        for enc in ENCODINGS {
            let lc = idx.to_line_col(text, off, enc);
            assert_eq!(
                idx.to_offset(text, lc, enc),
                off,
                "{what}: {span:?} edge {off} does not round-trip in {enc:?} ({lc:?})"
            );
        }
    }
}

/// Every span in a report is a valid, round-tripping range of `text`.
pub fn check_report(text: &str, report: &Report) {
    let idx = LineIndex::new(text);
    for d in &report.diagnostics {
        check_span(text, &idx, &d.span, d.rule);
        for f in &d.fixes {
            for e in f.edits.iter() {
                check_span(text, &idx, &e.span, "fix edit");
            }
        }
        for r in &d.related {
            check_span(text, &idx, &r.span, "related");
        }
    }
    for q in &report.quotes {
        check_span(text, &idx, &q.span, "quote");
        check_span(text, &idx, &q.inner, "quote inner");
        if let Some(s) = &q.speaker_span {
            check_span(text, &idx, s, "speaker");
        }
        if let Some(s) = &q.cue_span {
            check_span(text, &idx, s, "cue");
        }
    }
    for e in &report.entities {
        for m in &e.mentions {
            check_span(text, &idx, &m.span, "mention");
        }
    }
    for t in &report.temporals {
        check_span(text, &idx, &t.span, "temporal");
    }
    if let Some(s) = report.dateline.as_ref().and_then(|d| d.span.as_ref()) {
        check_span(text, &idx, s, "dateline");
    }
}

/// `analyze` on arbitrary bytes (lossy UTF-8), in both formats.
pub fn check_analyze(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    check_analyze_text(&text);
}

pub fn check_analyze_text(text: &str) {
    for format in [Format::Markdown, Format::PlainText] {
        let options = Options {
            format,
            ..Options::default()
        };
        let report = copydesk::analyze_with_threads(text, &options, usize::MAX);
        check_report(text, &report);
        // two threads (forced, whatever the size) give the same report as one
        let two = copydesk::analyze_with_threads(text, &options, 0);
        assert!(
            format!("{report:?}") == format!("{two:?}"),
            "{format:?}: the report on two threads differs from the one on one"
        );
        // the table of tokens inside quotations agrees with the look-up by offset
        let doc = copydesk::text::Document::new(text, format);
        for (k, t) in doc.tokens.iter().enumerate() {
            assert_eq!(
                doc.token_in_quote(k),
                doc.in_quote(t.span().start),
                "{format:?}: token {k} at {}",
                t.span().start
            );
        }
    }
}

/// Position conversions on `text`, with arbitrary probes `(line, col, offset)`.
pub fn check_positions(text: &str, probes: &[(usize, usize, usize)]) {
    let idx = LineIndex::new(text);
    let rope = ropey::Rope::from_str(text);
    assert_eq!(
        idx.line_count(),
        rope.len_lines(),
        "LineIndex and ropey disagree on the number of lines"
    );
    let b = text.as_bytes();
    for enc in ENCODINGS {
        let mut last = LineCol { line: 0, col: 0 };
        for off in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            if off > 0 && b[off - 1] == b'\r' && b.get(off) == Some(&b'\n') {
                continue;
            }
            let lc = idx.to_line_col(text, off, enc);
            assert!(lc >= last, "{enc:?}: positions go backwards at {off}");
            last = lc;
            assert!(lc.line < idx.line_count());
            assert_eq!(
                idx.to_offset(text, lc, enc),
                off,
                "{enc:?}: offset {off} -> {lc:?} does not come back"
            );
            assert_eq!(
                rope_offset(&rope, lc, enc),
                off,
                "{enc:?}: rope_offset({lc:?}) differs from offset {off}"
            );
        }
        for &(line, col, off) in probes {
            let p = LineCol { line, col };
            let o = idx.to_offset(text, p, enc);
            assert!(o <= text.len(), "{enc:?}: {p:?} -> {o} past the end");
            assert!(
                text.is_char_boundary(o),
                "{enc:?}: {p:?} -> {o} not a boundary"
            );
            assert_eq!(
                rope_offset(&rope, p, enc),
                o,
                "{enc:?}: rope and string disagree on {p:?}"
            );
            // whatever the offset, to_line_col answers and lands on a real line
            let lc = idx.to_line_col(text, off, enc);
            assert!(lc.line < idx.line_count());
            let back = idx.to_offset(text, lc, enc);
            let f = floor_boundary(text, off);
            assert!(
                back <= f.min(text.len()),
                "{enc:?}: offset {off} -> {lc:?} -> {back}, past {f}"
            );
        }
    }
}

/// One incremental change: a range (either end may come first, either may be past
/// the end of its line or of the document) and its new text.
#[derive(Clone, Debug)]
pub struct Edit {
    pub start: LineCol,
    pub end: LineCol,
    pub text: String,
}

/// Apply `edits` to a rope exactly as the server's `apply_changes` does.
pub fn apply_to_rope(rope: &mut ropey::Rope, edits: &[Edit], enc: Encoding) {
    for e in edits {
        let mut s = rope_offset(rope, e.start, enc);
        let mut t = rope_offset(rope, e.end, enc);
        if t < s {
            std::mem::swap(&mut s, &mut t);
        }
        let cs = rope.byte_to_char(s);
        let ce = rope.byte_to_char(t);
        rope.remove(cs..ce);
        rope.insert(cs, &e.text);
    }
}

/// Apply `edits` to a string through `LineIndex`.
pub fn apply_to_string(text: &mut String, edits: &[Edit], enc: Encoding) {
    for e in edits {
        let idx = LineIndex::new(text);
        let mut s = idx.to_offset(text, e.start, enc);
        let mut t = idx.to_offset(text, e.end, enc);
        if t < s {
            std::mem::swap(&mut s, &mut t);
        }
        text.replace_range(s..t, &e.text);
    }
}

pub fn check_edits(initial: &str, edits: &[Edit], enc: Encoding) {
    let mut rope = ropey::Rope::from_str(initial);
    let mut s = initial.to_string();
    let mut memos = [TextMemo::default(), TextMemo::default()];
    let mut report_memos = [Memo::default(), Memo::default()];
    for (i, e) in edits.iter().enumerate() {
        apply_to_rope(&mut rope, std::slice::from_ref(e), enc);
        apply_to_string(&mut s, std::slice::from_ref(e), enc);
        assert_eq!(
            rope.to_string(),
            s,
            "{enc:?}: rope and string differ after edit {i} {e:?}"
        );
        assert_eq!(rope.len_lines(), LineIndex::new(&s).line_count());
        for ((format, memo), report_memo) in [Format::Markdown, Format::PlainText]
            .into_iter()
            .zip(&mut memos)
            .zip(&mut report_memos)
        {
            check_memo_document(&s, format, memo, &format!("after edit {i}"));
            check_memo_report(&s, format, report_memo, &format!("after edit {i}"));
        }
    }
}

/// The text model built from the pieces `memo` kept is the one built from scratch.
pub fn check_memo_document(text: &str, format: Format, memo: &mut TextMemo, what: &str) {
    let a = Document::with_memo(text, format, memo);
    let b = Document::with_threads(text, format, usize::MAX);
    check_same_document(&a, &b, &format!("{what} ({format:?})"));
    // given back, as `analyze_with_memo` does, so that the next one is changed in place
    memo.keep(a);
}

/// The report that reuses what `memo` kept from the last analysis is the one
/// analysed from scratch.
pub fn check_memo_report(text: &str, format: Format, memo: &mut Memo, what: &str) {
    let options = Options {
        format,
        ..Options::default()
    };
    let a = copydesk::analyze_with_memo(text, &options, memo);
    let b = copydesk::analyze_with_threads(text, &options, usize::MAX);
    assert!(
        format!("{a:?}") == format!("{b:?}"),
        "{what} ({format:?}): the report from the memo differs from the one from scratch"
    );
}

/// Two text models of the same text are the same, field by field.
pub fn check_same_document(a: &Document, b: &Document, what: &str) {
    assert_eq!(a.tokens, b.tokens, "{what}: tokens");
    assert_eq!(a.keys, b.keys, "{what}: keys");
    assert_eq!(a.sentences, b.sentences, "{what}: sentences");
    assert_eq!(a.paragraphs, b.paragraphs, "{what}: paragraphs");
    assert_eq!(a.quotes, b.quotes, "{what}: quotes");
    assert_eq!(a.prose, b.prose, "{what}: prose");
    for i in 0..a.tokens.len() {
        assert_eq!(a.folded(i), b.folded(i), "{what}: fold {i}");
        assert_eq!(a.stems().get(i), b.stems().get(i), "{what}: stem {i}");
    }
}

/// A byte cursor for decoding fuzz input into structured values.
pub struct Bytes<'a>(pub &'a [u8]);

impl Bytes<'_> {
    pub fn u8(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }
    pub fn take(&mut self, n: usize) -> &[u8] {
        let n = n.min(self.0.len());
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        a
    }
    /// A small number most of the time, now and then a large one.
    pub fn coord(&mut self) -> Option<usize> {
        let b = self.u8()?;
        Some(match b {
            0..=239 => (b % 40) as usize,
            240..=249 => usize::from(b - 240) * 1000 + 100,
            250..=254 => u32::MAX as usize,
            255 => usize::MAX,
        })
    }
}

/// Positions input: one length byte, that many text bytes, then probes.
pub fn decode_positions(data: &[u8]) -> (String, Vec<(usize, usize, usize)>) {
    let mut b = Bytes(data);
    let n = b.u8().unwrap_or(0) as usize;
    let text = text_from_bytes(b.take(n));
    let mut probes = Vec::new();
    while let (Some(l), Some(c), Some(o)) = (b.coord(), b.coord(), b.coord()) {
        probes.push((l, c, o));
    }
    (text, probes)
}

/// Edits input: the encoding, the initial text, then edits.
pub fn decode_edits(data: &[u8]) -> (Encoding, String, Vec<Edit>) {
    let mut b = Bytes(data);
    let enc = ENCODINGS[b.u8().unwrap_or(0) as usize % 3];
    let n = b.u8().unwrap_or(0) as usize;
    let initial = text_from_bytes(b.take(n));
    let mut edits = Vec::new();
    while let (Some(sl), Some(sc), Some(el), Some(ec), Some(len)) =
        (b.coord(), b.coord(), b.coord(), b.coord(), b.u8())
    {
        let text = text_from_bytes(b.take((len % 24) as usize));
        edits.push(Edit {
            start: LineCol { line: sl, col: sc },
            end: LineCol { line: el, col: ec },
            text,
        });
    }
    (enc, initial, edits)
}
