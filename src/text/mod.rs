//! The text model every rule shares: prose mask, paragraphs, sentences, words,
//! quotations. Built once per `analyze` call, in time linear in the text.

pub mod fold;
pub mod markdown;
pub mod quotes;
pub mod sentences;
pub mod words;

use crate::report::Span;

pub use quotes::{Quote, QuoteMark};
pub use words::{Token, TokenKind};

/// How to read the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// CommonMark with YAML front matter: code, HTML, link targets are not prose.
    #[default]
    Markdown,
    /// Plain text: every line is prose, except URLs.
    PlainText,
}

impl Format {
    /// The format for a file name: `.md` and `.markdown` are Markdown, the rest plain text.
    pub fn from_path(path: &std::path::Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
        {
            Some(e) if e == "md" || e == "markdown" || e == "mdx" => Format::Markdown,
            _ => Format::PlainText,
        }
    }
}

/// A paragraph: a block of prose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    pub span: Span,
    /// Index of the first sentence of the paragraph in `Document::sentences`.
    pub first_sentence: usize,
    pub sentence_end: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    pub paragraph: usize,
    /// Range of token indexes in `Document::tokens`.
    pub tokens: std::ops::Range<usize>,
}

/// The analysed text.
pub struct Document<'a> {
    pub text: &'a str,
    /// The text with everything that is not prose blanked to spaces (line breaks kept),
    /// so every offset into it is an offset into `text`.
    pub prose: String,
    /// YAML front matter, when the document has it (its full span, markers included).
    pub front_matter: Option<Span>,
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    pub quotes: Vec<Quote>,
    /// Every token's text folded (`fold::fold`), computed once for all the passes.
    folds: fold::FoldedWords,
    /// Each token's folded stem in `folds` (empty for punctuation): `stems`.
    stem_spans: Vec<(u32, u32)>,
    /// Each token's knowledge-base look-up keys.
    pub keys: Vec<TokenKeys>,
    /// One bit a token: whether it starts inside a quotation's marks
    /// (`token_in_quote`), found for all tokens on first use.
    quoted: std::sync::OnceLock<Vec<u64>>,
}

/// Below this many bytes of text, `Document::new` and `analyze` run on one thread:
/// a second one costs more to start than it saves.
pub const PARALLEL_MIN_BYTES: usize = 16 * 1024;

/// A token's look-up keys (`fold::hash` of folded text), for the knowledge base.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TokenKeys {
    /// The whole folded word (0 for punctuation other than a comma).
    pub full: u64,
    /// The folded word without its possessive ending (`full` when it has none).
    pub stem: u64,
    /// The transliteration key of the folded stem, for capitalised words (else 0).
    pub translit: u64,
}

impl TokenKeys {
    /// The keys of a token whose folded text is `folded` (`folded_stem` without
    /// its possessive ending); `buf` is scratch space.
    pub fn of(t: &Token, folded: &str, folded_stem: &str, buf: &mut String) -> TokenKeys {
        if t.kind == TokenKind::Punct {
            let h = if folded == "," { fold::hash(",") } else { 0 };
            return TokenKeys {
                full: h,
                stem: h,
                translit: 0,
            };
        }
        let full = fold::hash(folded);
        let stem = if t.stem_len.is_some() {
            fold::hash(folded_stem)
        } else {
            full
        };
        let translit = if t.cap && t.kind == TokenKind::Word {
            fold::translit_key_into(folded_stem, buf);
            fold::hash(buf)
        } else {
            0
        };
        TokenKeys {
            full,
            stem,
            translit,
        }
    }
}

/// The tokens, their folds and keys, and the paragraphs and sentences of
/// `para_spans`, with token, sentence and paragraph indexes from 0: one part of a
/// document.
struct Part {
    tokens: Vec<Token>,
    folds: fold::FoldedWords,
    /// Each token's folded stem in `folds` (empty for punctuation).
    stem_spans: Vec<(u32, u32)>,
    keys: Vec<TokenKeys>,
    paragraphs: Vec<Paragraph>,
    sentences: Vec<Sentence>,
}

impl Part {
    /// The part of `prose` in `range`, its vectors with room for `room` bytes of
    /// text (more than the range when the next part will be appended to it, so that
    /// appending does not move them).
    fn build(
        text: &str,
        prose: &str,
        range: Span,
        para_spans: &[Span],
        format: Format,
        room: usize,
    ) -> Part {
        let tokens = words::tokenize_range(prose, range.clone(), room);
        let (paragraphs, mut sentences) = sentences::split(prose, para_spans, &tokens, format);
        let scale = |n: usize| n * room.max(range.len()) / range.len().max(1) + 16;
        sentences.reserve(scale(sentences.len()) - sentences.len());
        let mut folds =
            fold::FoldedWords::with_capacity(scale(tokens.len()), room.max(range.len()));
        let mut stem_spans = Vec::with_capacity(scale(tokens.len()));
        let mut keys = Vec::with_capacity(scale(tokens.len()));
        let mut buf = String::new();
        for (i, t) in tokens.iter().enumerate() {
            folds.push_folded(&text[t.span.clone()]);
            let (s, e) = folds.span(i);
            let stem = match t.kind {
                TokenKind::Punct => (s, s),
                // every possessive ending ('s, ’s, ʼs, 'S) folds to the two bytes "'s"
                _ if t.stem_len.is_some() => (s, e - 2),
                _ => (s, e),
            };
            stem_spans.push(stem);
            let f = &folds[i];
            let fs = &f[..(stem.1 - s) as usize];
            keys.push(TokenKeys::of(t, f, fs, &mut buf));
        }
        Part {
            tokens,
            folds,
            stem_spans,
            keys,
            paragraphs,
            sentences,
        }
    }

    /// Append `next`, the part that follows this one: a part built on its own text
    /// that stands `bytes` bytes into this document (0 when it was built in place).
    fn append(&mut self, next: &Part, bytes: usize) {
        let (t, p, s) = (
            self.tokens.len(),
            self.paragraphs.len(),
            self.sentences.len(),
        );
        let shift = self.folds.span_end();
        self.tokens.extend(next.tokens.iter().map(|tok| Token {
            span: tok.span.start + bytes..tok.span.end + bytes,
            ..tok.clone()
        }));
        self.folds.append(&next.folds);
        self.stem_spans
            .extend(next.stem_spans.iter().map(|&(a, b)| (a + shift, b + shift)));
        self.keys.extend_from_slice(&next.keys);
        self.paragraphs
            .extend(next.paragraphs.iter().map(|para| Paragraph {
                span: para.span.start + bytes..para.span.end + bytes,
                first_sentence: para.first_sentence + s,
                sentence_end: para.sentence_end + s,
            }));
        self.sentences
            .extend(next.sentences.iter().map(|sent| Sentence {
                span: sent.span.start + bytes..sent.span.end + bytes,
                paragraph: sent.paragraph + p,
                tokens: sent.tokens.start + t..sent.tokens.end + t,
            }));
    }
}

/// The text model's pieces from the last analysis of one document, kept so that
/// the next analysis builds again only the paragraphs that changed
/// ([`Document::with_memo`]). A piece runs from one paragraph's start to the next
/// one's (a paragraph with no white space before it stays in the piece before it),
/// and is found again by its text: tokens, folds, look-up keys and sentences do not
/// depend on anything outside it. Only the pieces of the last analysis are kept.
#[derive(Default)]
pub struct TextMemo {
    format: Option<Format>,
    /// The last text masked, and its mask.
    mask: markdown::MaskMemo,
    /// The paragraphs of the last text masked.
    paragraphs: Vec<Span>,
    /// What finding its quotations left.
    quotes: quotes::QuoteMemo,
    /// Pieces by a hash of their text (`fold::hash_long`), each with its text.
    pieces: fold::PreHashedMap<(Box<str>, Part)>,
}

impl TextMemo {
    /// How many pieces are kept.
    pub fn len(&self) -> usize {
        self.pieces.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }
}

/// The first index at or after `from` of a byte that is `a` or `b`; the length
/// when there is none. SIMD (`memchr`): most of a text is bytes the caller skips.
pub(crate) fn find_byte(bytes: &[u8], from: usize, a: u8, b: u8) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| memchr::memchr2(a, b, rest))
        .map_or(bytes.len(), |i| from + i)
}

/// The bytes that may begin a quotation mark (`quotes::is_mark`): `"` and `'`, and
/// the first bytes of the marks' UTF-8 forms: 0xE2 (“ ” „ ‘ ’ ‹ › ″), 0xC2 (« »)
/// and 0xEF (＂). None of them is ever the middle of a character, so each position
/// found is a character's start.
pub(crate) struct MarkStarts<'b> {
    bytes: &'b [u8],
    /// The next `"`, `'` or 0xE2 at or after where the last search began.
    common: usize,
    /// The next 0xC2 or 0xEF, likewise.
    rare: usize,
}

impl<'b> MarkStarts<'b> {
    pub(crate) fn new(bytes: &'b [u8]) -> Self {
        MarkStarts {
            bytes,
            common: Self::common_from(bytes, 0),
            rare: Self::rare_from(bytes, 0),
        }
    }

    fn common_from(bytes: &[u8], from: usize) -> usize {
        bytes
            .get(from..)
            .and_then(|rest| memchr::memchr3(b'"', b'\'', 0xE2, rest))
            .map_or(bytes.len(), |i| from + i)
    }

    fn rare_from(bytes: &[u8], from: usize) -> usize {
        find_byte(bytes, from, 0xC2, 0xEF)
    }

    /// The first index at or after `from` of a byte that may begin a mark; the
    /// length when there is none. Calls must not go back (`from` never decreases).
    pub(crate) fn next(&mut self, from: usize) -> usize {
        if self.common < from {
            self.common = Self::common_from(self.bytes, from);
        }
        if self.rare < from {
            self.rare = Self::rare_from(self.bytes, from);
        }
        self.common.min(self.rare)
    }
}

/// Where a document of these paragraphs splits into two parts built on two threads:
/// the start of the paragraph nearest 46 % of the way in, when white space stands
/// before it (so no token can cross it). The first part is the smaller because its
/// thread also finds the quotations. `None` keeps it in one part.
fn split_point(prose: &str, para_spans: &[Span], min_bytes: usize) -> Option<usize> {
    if prose.len() < min_bytes || para_spans.len() < 2 {
        return None;
    }
    let m = para_spans.partition_point(|p| p.start < prose.len() / 100 * 46);
    let m = m.clamp(1, para_spans.len() - 1);
    starts_after_space(prose, para_spans[m].start).then_some(m)
}

/// Whether white space stands right before `at`: no token crosses it, and the text
/// from `at` on splits into tokens as it does within the whole.
fn starts_after_space(prose: &str, at: usize) -> bool {
    prose[..at].ends_with(char::is_whitespace)
}

impl<'a> Document<'a> {
    pub fn new(text: &'a str, format: Format) -> Document<'a> {
        Document::with_threads(text, format, PARALLEL_MIN_BYTES)
    }

    /// `new`, on two threads when the text has at least `min_bytes` bytes (the
    /// result is the same either way; `usize::MAX` keeps it on one).
    pub fn with_threads(text: &'a str, format: Format, min_bytes: usize) -> Document<'a> {
        let masked = markdown::mask(text, format);
        let para_spans = sentences::paragraphs(&masked.prose, &masked.block_starts);
        let prose = masked.prose.as_str();
        let whole = 0..prose.len();
        let (part, quotes) = match split_point(prose, &para_spans, min_bytes) {
            None => (
                Part::build(text, prose, whole, &para_spans, format, 0),
                quotes::find(prose, &para_spans),
            ),
            Some(m) => {
                let at = para_spans[m].start;
                let (first, second) = para_spans.split_at(m);
                std::thread::scope(|s| {
                    let later =
                        s.spawn(|| Part::build(text, prose, at..prose.len(), second, format, 0));
                    let quotes = quotes::find(prose, &para_spans);
                    let mut part = Part::build(text, prose, 0..at, first, format, prose.len());
                    match later.join() {
                        Ok(next) => part.append(&next, 0),
                        Err(e) => std::panic::resume_unwind(e),
                    }
                    (part, quotes)
                })
            }
        };
        Document::assemble(text, masked, part, quotes)
    }

    /// `new`, reusing the pieces of the text model that `memo` kept from the last
    /// analysis of this document: only the paragraphs whose text changed are built
    /// again. The document is the same as `new` would build (`tests/incremental.rs`).
    pub fn with_memo(text: &'a str, format: Format, memo: &mut TextMemo) -> Document<'a> {
        let masked = markdown::mask_with_memo(text, format, &mut memo.mask);
        let (para_spans, quotes) = match &masked.patch {
            Some(patch) => {
                let old = &memo.paragraphs;
                let spans =
                    sentences::paragraphs_patched(&masked.prose, &masked.block_starts, old, patch);
                let quotes =
                    quotes::find_patched(&masked.prose, &spans, old, patch, &mut memo.quotes);
                (spans, quotes)
            }
            None => {
                let spans = sentences::paragraphs(&masked.prose, &masked.block_starts);
                let quotes = quotes::find_with_memo(&masked.prose, &spans, &mut memo.quotes);
                (spans, quotes)
            }
        };
        memo.paragraphs.clone_from(&para_spans);
        let prose = masked.prose.as_str();
        if memo.format != Some(format) {
            memo.pieces.clear();
            memo.format = Some(format);
        }
        // pieces start at 0 and at each paragraph with white space before it
        let mut starts: Vec<usize> = vec![0];
        for (i, p) in para_spans.iter().enumerate().skip(1) {
            if starts_after_space(prose, p.start) {
                starts.push(i);
            }
        }
        let mut part = Part {
            tokens: Vec::with_capacity(prose.len() / 4 + 16),
            folds: fold::FoldedWords::with_capacity(prose.len() / 4 + 16, prose.len()),
            stem_spans: Vec::with_capacity(prose.len() / 4 + 16),
            keys: Vec::with_capacity(prose.len() / 4 + 16),
            paragraphs: Vec::with_capacity(para_spans.len()),
            sentences: Vec::new(),
        };
        let mut kept: fold::PreHashedMap<(Box<str>, Part)> = fold::PreHashedMap::default();
        kept.reserve(starts.len());
        'pieces: for (k, &first) in starts.iter().enumerate() {
            let last = starts.get(k + 1).copied().unwrap_or(para_spans.len());
            let from = if k == 0 { 0 } else { para_spans[first].start };
            let to = para_spans.get(last).map_or(prose.len(), |p| p.start);
            let key = &prose[from..to];
            // the same text again in this document (a repeated paragraph), or the
            // next free hash when another piece has this one's
            let mut h = fold::hash_long(key.as_bytes(), 0);
            loop {
                match kept.get(&h) {
                    Some((k, piece)) if **k == *key => {
                        part.append(piece, from);
                        continue 'pieces;
                    }
                    Some(_) => h = fold::chain(h, 1),
                    None => break,
                }
            }
            let (key, piece) = match memo.pieces.remove(&h) {
                Some(entry) if *entry.0 == *key => entry,
                _ => {
                    let spans: Vec<Span> = para_spans[first..last]
                        .iter()
                        .map(|p| p.start - from..p.end - from)
                        .collect();
                    let piece = Part::build(&text[from..to], key, 0..key.len(), &spans, format, 0);
                    (Box::<str>::from(key), piece)
                }
            };
            part.append(&piece, from);
            kept.insert(h, (key, piece));
        }
        memo.pieces = kept;
        Document::assemble(text, masked, part, quotes)
    }

    fn assemble(
        text: &'a str,
        masked: markdown::Masked,
        part: Part,
        quotes: Vec<Quote>,
    ) -> Document<'a> {
        Document {
            folds: part.folds,
            stem_spans: part.stem_spans,
            keys: part.keys,
            text,
            prose: masked.prose,
            front_matter: masked.front_matter,
            paragraphs: part.paragraphs,
            sentences: part.sentences,
            tokens: part.tokens,
            quotes,
            quoted: std::sync::OnceLock::new(),
        }
    }

    /// The sentence containing `offset` (the last one starting at or before it).
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.start <= offset);
        if i == 0 { None } else { Some(i - 1) }
    }

    /// The first token starting at or after `offset`.
    pub fn token_index_at(&self, offset: usize) -> usize {
        self.tokens.partition_point(|t| t.span.start < offset)
    }

    pub fn token_text(&self, i: usize) -> &'a str {
        &self.text[self.tokens[i].span.clone()]
    }

    /// Token `i`'s text folded (case, diacritics): `fold::folded(token_text(i))`.
    pub fn folded(&self, i: usize) -> &str {
        &self.folds[i]
    }

    /// Token `i` folded without its possessive ending: `fold::folded` of its stem.
    pub fn folded_stem(&self, i: usize) -> &str {
        match self.tokens[i].stem_len {
            Some(_) => self.stems().get(i),
            None => &self.folds[i],
        }
    }

    /// Every token's folded stem (`folded_stem`), punctuation as empty words.
    pub fn stems(&self) -> fold::Words<'_> {
        self.folds.view_spans(&self.stem_spans)
    }

    /// Whether token `k` starts inside a quotation's marks: `in_quote` of its start,
    /// read from a table of all tokens made in one pass on first use.
    pub fn token_in_quote(&self, k: usize) -> bool {
        let bits = self.quoted.get_or_init(|| {
            let mut bits = vec![0u64; self.tokens.len().div_ceil(64)];
            // `in_quote` looks at the last four quotations starting at or before an
            // offset: quotation i counts from its start until its end or the start
            // of quotation i + 4, whichever comes first
            for (i, q) in self.quotes.iter().enumerate() {
                let end = self
                    .quotes
                    .get(i + 4)
                    .map_or(q.span.end, |later| q.span.end.min(later.span.start));
                let from = self.token_index_at(q.span.start);
                let to = from + self.tokens[from..].partition_point(|t| t.span.start < end);
                for k in from..to {
                    bits[k / 64] |= 1 << (k % 64);
                }
            }
            bits
        });
        bits[k / 64] >> (k % 64) & 1 != 0
    }

    /// Whether a byte offset falls inside any quotation's marks.
    pub fn in_quote(&self, offset: usize) -> bool {
        let i = self.quotes.partition_point(|q| q.span.start <= offset);
        self.quotes[..i]
            .iter()
            .rev()
            .take(4)
            .any(|q| q.span.start <= offset && offset < q.span.end)
    }
}

#[cfg(test)]
mod tests {
    use super::{MarkStarts, find_byte};

    #[test]
    fn find_byte_finds_the_first_from_anywhere() {
        let text = "plain words, then a line\nbreak\r\nand more\n";
        let bytes = text.as_bytes();
        for from in 0..=bytes.len() + 2 {
            let want = (from..bytes.len())
                .find(|&i| bytes[i] == b'\n' || bytes[i] == b'\r')
                .unwrap_or(bytes.len());
            assert_eq!(find_byte(bytes, from, b'\n', b'\r'), want, "from {from}");
        }
        assert_eq!(find_byte(b"", 0, b'a', b'b'), 0);
    }

    #[test]
    fn mark_starts_are_the_starts_of_every_quotation_mark() {
        let text = "“Plain” ‘words’, «then» a \"mark\" and é, ＂x＂ ‹y› 5″ and 'more' — ü";
        let bytes = text.as_bytes();
        let want: Vec<usize> = text
            .char_indices()
            .filter(|&(_, c)| super::quotes::is_mark(c))
            .map(|(i, _)| i)
            .collect();
        // every mark's start is found, in order; what else is found is the start of
        // a character the caller looks at and skips
        let mut finder = MarkStarts::new(bytes);
        let mut got = Vec::new();
        let mut i = 0;
        loop {
            i = finder.next(i);
            if i >= bytes.len() {
                break;
            }
            assert!(text.is_char_boundary(i), "{i}");
            let c = text[i..].chars().next().unwrap();
            if super::quotes::is_mark(c) {
                got.push(i);
            }
            i += c.len_utf8();
        }
        assert_eq!(got, want);
        assert_eq!(MarkStarts::new(b"").next(0), 0);
    }
}
