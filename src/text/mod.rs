//! The text model every rule shares: prose mask, paragraphs, sentences, words,
//! quotations. Built once per `analyze` call, in time linear in the text.

pub mod fold;
pub mod gate;
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
    pub prose: std::sync::Arc<String>,
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
    /// (`token_in_quote`), found for all tokens once it has been asked often.
    quoted: std::sync::OnceLock<Vec<u64>>,
    /// How often `token_in_quote` was asked before the table was made.
    quote_questions: std::sync::atomic::AtomicUsize,
    /// Where the tokens and sentences of each block of the text begin
    /// (`token_index_at`, `sentence_at`), made once they have been asked often.
    blocks: std::sync::OnceLock<Blocks>,
    /// How often `token_index_at` and `sentence_at` were asked before `blocks`.
    block_questions: std::sync::atomic::AtomicUsize,
    /// When this document was made by changing the last one's model in place
    /// (`Document::with_memo`): which paragraphs have the same text and prose as
    /// there.
    pub unchanged: Option<Unchanged>,
}

/// `Document::in_quote` for offsets asked in order (`Document::quotes_from`).
pub struct QuotesFrom<'d, 'a> {
    doc: &'d Document<'a>,
    /// The first quotation that begins after `last`.
    i: usize,
    last: usize,
}

impl QuotesFrom<'_, '_> {
    pub fn in_quote(&mut self, offset: usize) -> bool {
        let quotes = &self.doc.quotes;
        if offset < self.last {
            self.i = quotes.partition_point(|q| q.span.start <= offset);
        }
        while self.i < quotes.len() && quotes[self.i].span.start <= offset {
            self.i += 1;
        }
        self.last = offset;
        self.doc.in_quote_before(offset, self.i)
    }
}

/// For each block of `1 << SHIFT` bytes of a text, the first token and the first
/// sentence that start at or after the block's start, and one more entry for the
/// end: the answer to `token_index_at` or `sentence_at` for an offset in block `k`
/// lies between entries `k` and `k + 1`.
struct Blocks {
    tokens: Vec<u32>,
    sentences: Vec<u32>,
}

impl Blocks {
    /// 128 bytes: about 28 tokens of news text, a search among them touching a
    /// few cache lines; a 1 MB story's tables take 63 kB.
    const SHIFT: usize = 7;

    fn new(len: usize, tokens: &[Token], sentences: &[Sentence]) -> Blocks {
        let count = (len >> Self::SHIFT) + 2;
        Blocks {
            tokens: Self::firsts(tokens.iter().map(|t| t.span().start), count),
            sentences: Self::firsts(sentences.iter().map(|s| s.span.start), count),
        }
    }

    /// For each of `count` blocks, the first of the items starting at `starts` (in
    /// order) that starts at or after the block's start; the items' count where
    /// none does.
    fn firsts(starts: impl ExactSizeIterator<Item = usize>, count: usize) -> Vec<u32> {
        let n = starts.len() as u32;
        let mut out = Vec::with_capacity(count);
        for (i, start) in starts.enumerate() {
            // the first at or after the start of every block up to and including
            // its own that no earlier item was
            let through = ((start >> Self::SHIFT) + 1).min(count);
            if out.len() < through {
                out.resize(through, i as u32);
            }
        }
        out.resize(count, n);
        out
    }
}

/// The paragraphs a document built in place shares with the last one: the first
/// `before` and the last `after` of them are the same text and prose (where the
/// last document had `last_count` paragraphs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unchanged {
    pub before: usize,
    pub after: usize,
    pub last_count: usize,
    /// The bytes of the last text that changed, and how far the text after them
    /// moved (`markdown::Patch::edit`).
    pub edit: (usize, usize),
    pub shift: isize,
}

/// Below this many bytes of text, `Document::new` and `analyze` run on one thread:
/// a second one costs more to start than it saves.
pub const PARALLEL_MIN_BYTES: usize = 16 * 1024;

/// A token's look-up keys (`fold::hash` of folded text), for the knowledge base.
/// The key of a word without its possessive ending, which differs from `full`
/// only for the few words that have one, is made where it is asked for
/// (`stem_key`): without it a token's keys take 16 bytes, not 24, and the
/// passes that read every word's keys read a third fewer bytes (round 23).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TokenKeys {
    /// The whole folded word (0 for punctuation other than a comma).
    pub full: u64,
    /// The transliteration key of the folded stem, for capitalised words (else 0).
    pub translit: u64,
}

/// The key of token `k` of `tokens` without its possessive ending (`fold::hash` of
/// its folded stem; its whole word's key when it has none), given every token's
/// keys and folded stem.
pub fn stem_key(tokens: &[Token], keys: &[TokenKeys], stems: fold::Words, k: usize) -> u64 {
    if tokens[k].possessive > 0 {
        fold::hash(stems.get(k))
    } else {
        keys[k].full
    }
}

impl TokenKeys {
    /// The keys of a token whose folded text is `folded` (`folded_stem` without
    /// its possessive ending).
    pub fn of(t: &Token, folded: &str, folded_stem: &str) -> TokenKeys {
        if t.kind == TokenKind::Punct {
            let h = if folded == "," { fold::hash(",") } else { 0 };
            return TokenKeys {
                full: h,
                translit: 0,
            };
        }
        let full = fold::hash(folded);
        let translit = if t.cap && t.kind == TokenKind::Word {
            fold::translit_hash(folded_stem)
        } else {
            0
        };
        TokenKeys { full, translit }
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
    /// How many bytes of text `build` reads into tokens, folds and keys at a time.
    const STRETCH: usize = 8 << 10;

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
        // news text runs about 4.5 bytes a token: room for all of them, so no regrowth
        let count = room.max(range.len()) / 4 + 16;
        let mut tokens = Vec::with_capacity(count);
        let mut folds = fold::FoldedWords::with_capacity(count, room.max(range.len()));
        let mut stem_spans = Vec::with_capacity(count);
        let mut keys = Vec::with_capacity(count);
        // a stretch of paragraphs at a time, its tokens folded and keyed while they
        // and their text are still in the cache (a stretch ends where a paragraph
        // starts after white space: no token crosses it)
        let mut from = range.start;
        let mut next = 0;
        while from < range.end {
            while next < para_spans.len()
                && (para_spans[next].start < from + Self::STRETCH
                    || !starts_after_space(prose, para_spans[next].start))
            {
                next += 1;
            }
            let to = para_spans
                .get(next)
                .map_or(range.end, |p| p.start.min(range.end));
            let first = tokens.len();
            words::tokenize_into(prose, from..to, &mut tokens);
            for (i, t) in tokens.iter().enumerate().skip(first) {
                folds.push_folded_at(text, t.span());
                let (s, e) = folds.span(i);
                let stem = match t.kind {
                    TokenKind::Punct => (s, s),
                    // every possessive ending ('s, ’s, ʼs, 'S) folds to the two bytes "'s"
                    _ if t.possessive > 0 => (s, e - 2),
                    _ => (s, e),
                };
                stem_spans.push(stem);
                let f = &folds[i];
                let fs = &f[..(stem.1 - s) as usize];
                keys.push(TokenKeys::of(t, f, fs));
            }
            from = to;
        }
        let (paragraphs, mut sentences) = sentences::split(prose, para_spans, &tokens, format);
        let scale = |n: usize| n * room.max(range.len()) / range.len().max(1) + 16;
        sentences.reserve(scale(sentences.len()) - sentences.len());
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
        self.append_with(next, bytes, false);
    }

    /// `append`, with `two_threads` the vectors copied half on this thread and half
    /// on the helper (`parallel`), rather than on one while the other waits. The
    /// copies are bound by memory: a 1 MB story's took 0.55–0.77 ms so against
    /// 1.2–1.6 ms on one thread in a slow spell, and about 0.6 ms either way in a
    /// quiet one (BENCHMARKS.md, round 21).
    fn append_with(&mut self, next: &Part, bytes: usize, two_threads: bool) {
        let (t, p, s) = (
            self.tokens.len(),
            self.paragraphs.len(),
            self.sentences.len(),
        );
        let shift = self.folds.span_end();
        // (each closure borrows only the vectors it fills: about as many bytes a
        // token each)
        let mut positions = || {
            self.stem_spans
                .extend(next.stem_spans.iter().map(|&(a, b)| (a + shift, b + shift)));
            self.tokens
                .extend(next.tokens.iter().map(|tok| tok.moved(bytes as isize)));
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
        };
        let mut words = || {
            self.folds.append(&next.folds);
            self.keys.extend_from_slice(&next.keys);
        };
        if two_threads {
            crate::parallel::join(positions, words);
        } else {
            positions();
            words();
        }
    }

    /// Replace the tokens, sentences and paragraphs in the given ranges with those
    /// of `mid`, a part built on its own text that now stands `at` bytes into the
    /// document; what follows moves by `delta` bytes.
    fn splice(
        &mut self,
        tokens: std::ops::Range<usize>,
        sentences: std::ops::Range<usize>,
        paragraphs: std::ops::Range<usize>,
        mid: Part,
        at: usize,
        delta: isize,
    ) {
        let (nt, ns, np) = (mid.tokens.len(), mid.sentences.len(), mid.paragraphs.len());
        let dt = nt as isize - tokens.len() as isize;
        let ds = ns as isize - sentences.len() as isize;
        let dp = np as isize - paragraphs.len() as isize;
        let sh = |x: usize, d: isize| (x as isize + d) as usize;
        let moved = |s: &Span| sh(s.start, delta)..sh(s.end, delta);
        self.tokens.splice(
            tokens.clone(),
            mid.tokens.into_iter().map(|t| t.moved(at as isize)),
        );
        for t in &mut self.tokens[tokens.start + nt..] {
            *t = t.moved(delta);
        }
        let (fold_at, fold_delta) = self.folds.splice(tokens.clone(), &mid.folds);
        let fsh = |x: u32, d: i64| (x as i64 + d) as u32;
        self.stem_spans.splice(
            tokens.clone(),
            mid.stem_spans
                .iter()
                .map(|&(a, b)| (a + fold_at, b + fold_at)),
        );
        for s in &mut self.stem_spans[tokens.start + nt..] {
            *s = (fsh(s.0, fold_delta), fsh(s.1, fold_delta));
        }
        self.keys.splice(tokens.clone(), mid.keys);
        self.paragraphs.splice(
            paragraphs.clone(),
            mid.paragraphs.into_iter().map(|p| Paragraph {
                span: p.span.start + at..p.span.end + at,
                first_sentence: p.first_sentence + sentences.start,
                sentence_end: p.sentence_end + sentences.start,
            }),
        );
        for p in &mut self.paragraphs[paragraphs.start + np..] {
            p.span = moved(&p.span);
            p.first_sentence = sh(p.first_sentence, ds);
            p.sentence_end = sh(p.sentence_end, ds);
        }
        self.sentences.splice(
            sentences.clone(),
            mid.sentences.into_iter().map(|x| Sentence {
                span: x.span.start + at..x.span.end + at,
                paragraph: x.paragraph + paragraphs.start,
                tokens: x.tokens.start + tokens.start..x.tokens.end + tokens.start,
            }),
        );
        for x in &mut self.sentences[sentences.start + ns..] {
            x.span = moved(&x.span);
            x.paragraph = sh(x.paragraph, dp);
            x.tokens = sh(x.tokens.start, dt)..sh(x.tokens.end, dt);
        }
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
    /// The last document's model as a whole, once `keep` gave it back, with where
    /// each piece of it starts.
    whole: Option<(Part, Vec<PieceAt>)>,
    /// Where each piece of the last document built starts, until `keep`.
    pending: Option<Vec<PieceAt>>,
    /// How many documents were built by changing the last one in place.
    spliced: usize,
    /// Pieces by a hash of their text (`fold::hash_long`), each with its text.
    pieces: fold::PreHashedMap<(Box<str>, Part)>,
}

/// Where a piece of a document starts: its byte offset, and how many tokens,
/// sentences and paragraphs come before it. A last one stands at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PieceAt {
    from: usize,
    tokens: usize,
    sentences: usize,
    paragraphs: usize,
}

impl PieceAt {
    fn of(from: usize, part: &Part) -> PieceAt {
        PieceAt {
            from,
            tokens: part.tokens.len(),
            sentences: part.sentences.len(),
            paragraphs: part.paragraphs.len(),
        }
    }
}

impl TextMemo {
    /// Take back the model of the document `Document::with_memo` built last, so
    /// that the next one changes it in place where the text changed
    /// (`Document::with_memo`); a document it did not build is not taken.
    pub fn keep(&mut self, doc: Document) {
        let Some(pieces) = self.pending.take() else {
            return;
        };
        // the document of the last text masked, and the model the pieces describe
        if self.mask.last_text() != Some(doc.text)
            || pieces.last().map(|p| (p.from, p.tokens)) != Some((doc.text.len(), doc.tokens.len()))
        {
            return;
        }
        let part = Part {
            tokens: doc.tokens,
            folds: doc.folds,
            stem_spans: doc.stem_spans,
            keys: doc.keys,
            paragraphs: doc.paragraphs,
            sentences: doc.sentences,
        };
        self.whole = Some((part, pieces));
    }

    /// How many documents were built by changing the last one's model in place
    /// (for the tests).
    pub fn spliced(&self) -> usize {
        self.spliced
    }

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
/// `xs.partition_point(pred)`, found by galloping on from `from` when the answer
/// lies there or after: a search that moves on through a long slice in order
/// (each paragraph's tokens, each quotation's) then touches the few entries near
/// the answer, not a binary search's spread over the whole slice, which after a
/// pause in typing are cache misses.
pub fn gallop<T>(xs: &[T], from: usize, pred: impl Fn(&T) -> bool) -> usize {
    let from = from.min(xs.len());
    if from > 0 && !pred(&xs[from - 1]) {
        return xs[..from].partition_point(pred);
    }
    // everything before `lo` holds; look `step` further each time
    let (mut lo, mut step) = (from, 1);
    while lo < xs.len() && pred(&xs[lo]) {
        let next = (lo + step).min(xs.len());
        if next == xs.len() || !pred(&xs[next]) {
            return lo + 1 + xs[lo + 1..next].partition_point(&pred);
        }
        lo = next + 1;
        step *= 2;
    }
    lo
}

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

/// The length of the common start of `a` and `b`, and of their common end after it
/// (what an edit left as it was: the Markdown memo's and the server's publish).
/// Blocks of a kilobyte, then of 64 bytes, are compared whole (`memcmp`), and only
/// the last few bytes one at a time.
pub(crate) fn common_ends(a: &[u8], b: &[u8]) -> (usize, usize) {
    let n = a.len().min(b.len());
    let mut p = 0;
    for step in [1024, 64, 1] {
        while p + step <= n && a[p..p + step] == b[p..p + step] {
            p += step;
        }
    }
    let m = n - p;
    let (ea, eb) = (a.len(), b.len());
    let mut s = 0;
    for step in [1024, 64, 1] {
        while s + step <= m && a[ea - s - step..ea - s] == b[eb - s - step..eb - s] {
            s += step;
        }
    }
    (p, s)
}

/// Whether white space stands right before `at`: no token crosses it, and the text
/// from `at` on splits into tokens as it does within the whole.
fn starts_after_space(prose: &str, at: usize) -> bool {
    prose[..at].ends_with(char::is_whitespace)
}

/// A text's pieces (`TextMemo`): piece `k` runs from the start of paragraph
/// `starts[k]` (the text's start for the first) to the next piece's.
struct Pieces<'t> {
    text: &'t str,
    prose: &'t str,
    para_spans: &'t [Span],
    starts: &'t [usize],
    format: Format,
}

impl Pieces<'_> {
    fn from(&self, k: usize) -> usize {
        if k == 0 {
            0
        } else {
            self.para_spans[self.starts[k]].start
        }
    }

    fn to(&self, k: usize) -> usize {
        self.starts
            .get(k + 1)
            .map_or(self.prose.len(), |&p| self.para_spans[p].start)
    }

    /// Piece `k` built on its own.
    fn build(&self, k: usize) -> Part {
        let (from, to) = (self.from(k), self.to(k));
        let last = self
            .starts
            .get(k + 1)
            .copied()
            .unwrap_or(self.para_spans.len());
        let spans: Vec<Span> = self.para_spans[self.starts[k]..last]
            .iter()
            .map(|p| p.start - from..p.end - from)
            .collect();
        let prose = &self.prose[from..to];
        Part::build(
            &self.text[from..to],
            prose,
            0..prose.len(),
            &spans,
            self.format,
            0,
        )
    }

    /// Change `part`, the model of the last text (whose pieces start at `old`),
    /// into this text's, after a change the mask patched: the pieces before the
    /// change and after it stay (those after it moved), the ones between are built
    /// again. Where each piece now starts; `None` (and `part` untouched) when the
    /// pieces before or after do not match.
    fn splice_into(
        &self,
        part: &mut Part,
        old: &[PieceAt],
        patch: &markdown::Patch,
    ) -> Option<(Vec<PieceAt>, (usize, usize))> {
        let n = self.starts.len();
        let m = old.len().checked_sub(1)?;
        let end = old[m];
        if end.tokens != part.tokens.len()
            || end.sentences != part.sentences.len()
            || end.paragraphs != part.paragraphs.len()
        {
            return None;
        }
        let delta = patch.shift();
        let back = |x: usize| (x as isize - delta) as usize;
        // the pieces before the change: the same text where they were
        let mut pre = 0;
        while pre < n.min(m)
            && self.from(pre) == old[pre].from
            && self.to(pre) == old[pre + 1].from
            && self.to(pre) <= patch.from
        {
            pre += 1;
        }
        // the pieces after it: the same text, moved
        let mut post = 0;
        while post < (n - pre).min(m - pre) {
            let (k, j) = (n - 1 - post, m - 1 - post);
            let from = self.from(k);
            if from < patch.new_to
                || back(from) != old[j].from
                || back(self.to(k)) != old[j + 1].from
            {
                break;
            }
            post += 1;
        }
        let (first, last) = (old[pre], old[m - post]);
        let at = if pre < n {
            self.from(pre)
        } else {
            self.prose.len()
        };
        let mut mid = Part {
            tokens: Vec::new(),
            folds: fold::FoldedWords::default(),
            stem_spans: Vec::new(),
            keys: Vec::new(),
            paragraphs: Vec::new(),
            sentences: Vec::new(),
        };
        let mut pieces: Vec<PieceAt> = Vec::with_capacity(n + 1);
        pieces.extend_from_slice(&old[..pre]);
        for k in pre..n - post {
            let shift = |p: PieceAt| PieceAt {
                from: p.from,
                tokens: p.tokens + first.tokens,
                sentences: p.sentences + first.sentences,
                paragraphs: p.paragraphs + first.paragraphs,
            };
            pieces.push(shift(PieceAt::of(self.from(k), &mid)));
            mid.append(&self.build(k), self.from(k) - at);
        }
        let grown = |new: usize, old_from: usize, old_to: usize| {
            new as isize - (old_to - old_from) as isize
        };
        let dt = grown(mid.tokens.len(), first.tokens, last.tokens);
        let ds = grown(mid.sentences.len(), first.sentences, last.sentences);
        let dp = grown(mid.paragraphs.len(), first.paragraphs, last.paragraphs);
        let sh = |x: usize, d: isize| (x as isize + d) as usize;
        pieces.extend(old[m - post..].iter().map(|p| PieceAt {
            from: sh(p.from, delta),
            tokens: sh(p.tokens, dt),
            sentences: sh(p.sentences, ds),
            paragraphs: sh(p.paragraphs, dp),
        }));
        let kept = (first.paragraphs, end.paragraphs - last.paragraphs);
        part.splice(
            first.tokens..last.tokens,
            first.sentences..last.sentences,
            first.paragraphs..last.paragraphs,
            mid,
            at,
            delta,
        );
        Some((pieces, kept))
    }
}

impl<'a> Document<'a> {
    pub fn new(text: &'a str, format: Format) -> Document<'a> {
        Document::with_threads(text, format, PARALLEL_MIN_BYTES)
    }

    /// `new`, on two threads when the text has at least `min_bytes` bytes (the
    /// result is the same either way; `usize::MAX` keeps it on one).
    pub fn with_threads(text: &'a str, format: Format, min_bytes: usize) -> Document<'a> {
        let masked = markdown::mask(text, format);
        let prose = masked.prose.as_str();
        let blocks = &masked.block_starts;
        // two halves at the end of a blank line near the middle (a little before it:
        // the first thread finds the quotations too), each thread finding its own
        // half's paragraphs
        let at = (prose.len() >= min_bytes)
            .then(|| sentences::paragraph_break_after(prose, blocks, prose.len() / 100 * 48))
            .flatten();
        let Some(at) = at else {
            let para_spans = sentences::paragraphs(prose, blocks);
            let part = Part::build(text, prose, 0..prose.len(), &para_spans, format, 0);
            let quotes = quotes::find(prose, &para_spans);
            return Document::assemble(text, masked, part, quotes);
        };
        // the second half's paragraphs, for the first thread's quotations
        let (send, receive) = std::sync::mpsc::channel();
        let ((mut part, quotes), next) = crate::parallel::join(
            || {
                let mut para_spans = sentences::paragraphs_before(prose, blocks, at);
                let part = Part::build(text, prose, 0..at, &para_spans, format, prose.len());
                // (sent long before this; none if the other thread panicked, which
                // `join` passes on)
                para_spans.extend(receive.recv().unwrap_or_default());
                (part, quotes::find(prose, &para_spans))
            },
            || {
                let para_spans = sentences::paragraphs_from(prose, blocks, at);
                let _ = send.send(para_spans.clone());
                Part::build(text, prose, at..prose.len(), &para_spans, format, 0)
            },
        );
        part.append_with(&next, 0, true);
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
            memo.whole = None;
            memo.format = Some(format);
        }
        // pieces start at 0 and at each paragraph with white space before it
        let mut starts: Vec<usize> = vec![0];
        for (i, p) in para_spans.iter().enumerate().skip(1) {
            if starts_after_space(prose, p.start) {
                starts.push(i);
            }
        }
        let whole = memo.whole.take();
        memo.pending = None;
        if let (Some(patch), Some((mut part, old))) = (&masked.patch, whole) {
            let pieces = Pieces {
                text,
                prose,
                para_spans: &para_spans,
                starts: &starts,
                format,
            };
            let last_count = part.paragraphs.len();
            if let Some((at, kept)) = pieces.splice_into(&mut part, &old, patch) {
                memo.pending = Some(at);
                memo.spliced += 1;
                let (edit, shift) = ((patch.edit.start, patch.edit.end), patch.shift());
                let mut doc = Document::assemble(text, masked, part, quotes);
                doc.unchanged = Some(Unchanged {
                    before: kept.0,
                    after: kept.1,
                    last_count,
                    edit,
                    shift,
                });
                return doc;
            }
        }
        let mut at: Vec<PieceAt> = Vec::with_capacity(starts.len() + 1);
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
                        at.push(PieceAt::of(from, &part));
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
            at.push(PieceAt::of(from, &part));
            part.append(&piece, from);
            kept.insert(h, (key, piece));
        }
        memo.pieces = kept;
        at.push(PieceAt::of(prose.len(), &part));
        memo.pending = Some(at);
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
            quote_questions: std::sync::atomic::AtomicUsize::new(0),
            blocks: std::sync::OnceLock::new(),
            block_questions: std::sync::atomic::AtomicUsize::new(0),
            unchanged: None,
        }
    }

    /// The sentence containing `offset` (the last one starting at or before it).
    #[inline]
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let before = |s: &Sentence| s.span.start <= offset;
        let i = match self.blocks_for(offset) {
            Some((b, k)) => {
                let (lo, hi) = (b.sentences[k] as usize, b.sentences[k + 1] as usize);
                lo + self.sentences[lo..hi].partition_point(before)
            }
            None => self.sentences.partition_point(before),
        };
        if i == 0 { None } else { Some(i - 1) }
    }

    /// The first token starting at or after `offset`.
    #[inline]
    pub fn token_index_at(&self, offset: usize) -> usize {
        let before = |t: &Token| t.span().start < offset;
        match self.blocks_for(offset) {
            Some((b, k)) => {
                let (lo, hi) = (b.tokens[k] as usize, b.tokens[k + 1] as usize);
                lo + self.tokens[lo..hi].partition_point(before)
            }
            None => self.tokens.partition_point(before),
        }
    }

    /// The blocks' table and the block of `offset`, once the table is made: in a
    /// document changed in place by a typed change, never (it asks about the few
    /// quotations near the change, and a pass over all the tokens would cost more
    /// than it saves); in any other, after as many questions as a 256th of the
    /// tokens, answered by a binary search over all the tokens or sentences. Then
    /// the table is made in one pass, and a question searches one block. (A binary
    /// search over a long story's tokens is a cache miss a step, about as long as
    /// the pass takes for 256 tokens.)
    fn blocks_for(&self, offset: usize) -> Option<(&Blocks, usize)> {
        use std::sync::atomic::Ordering::Relaxed;
        if self.unchanged.is_some() {
            return None;
        }
        let blocks = match self.blocks.get() {
            Some(b) => b,
            None => {
                // (a count, not a lock: two threads may both ask a few more times)
                let asked = self.block_questions.load(Relaxed);
                if asked < self.tokens.len() / 256 {
                    self.block_questions.store(asked + 1, Relaxed);
                    return None;
                }
                self.blocks
                    .get_or_init(|| Blocks::new(self.text.len(), &self.tokens, &self.sentences))
            }
        };
        let k = offset >> Blocks::SHIFT;
        (k + 1 < blocks.tokens.len()).then_some((blocks, k))
    }

    pub fn token_text(&self, i: usize) -> &'a str {
        &self.text[self.tokens[i].span()]
    }

    /// Token `i`'s text folded (case, diacritics): `fold::folded(token_text(i))`.
    pub fn folded(&self, i: usize) -> &str {
        &self.folds[i]
    }

    /// The folded text of the tokens in `tokens`, back to back with nothing between
    /// them (the folds are kept in token order in one buffer).
    pub fn folded_run(&self, tokens: std::ops::Range<usize>) -> &str {
        if tokens.is_empty() {
            return "";
        }
        let (from, _) = self.folds.span(tokens.start);
        let (_, to) = self.folds.span(tokens.end - 1);
        &self.folds.buffer()[from as usize..to as usize]
    }

    /// Token `i` folded without its possessive ending: `fold::folded` of its stem.
    pub fn folded_stem(&self, i: usize) -> &str {
        match self.tokens[i].possessive {
            1.. => self.stems().get(i),
            0 => &self.folds[i],
        }
    }

    /// Every token's folded stem (`folded_stem`), punctuation as empty words.
    pub fn stems(&self) -> fold::Words<'_> {
        self.folds.view_spans(&self.stem_spans)
    }

    /// Whether token `k` starts inside a quotation's marks: `in_quote` of its start.
    /// The first questions, as many as a sixteenth of the tokens (all a typed change
    /// asks, where only the quotations near it are attributed again), are answered
    /// from the quotations; the rest from a table of all tokens made in one pass.
    pub fn token_in_quote(&self, k: usize) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        if self.quoted.get().is_none() {
            // (a count, not a lock: two threads may both ask a few more times)
            let asked = self.quote_questions.load(Relaxed);
            if asked < self.tokens.len() / 16 {
                self.quote_questions.store(asked + 1, Relaxed);
                return self.in_quote(self.tokens[k].span().start);
            }
        }
        let bits = self.quoted.get_or_init(|| {
            let mut bits = vec![0u64; self.tokens.len().div_ceil(64)];
            let mut from = 0;
            // `in_quote` looks at the last four quotations starting at or before an
            // offset: quotation i counts from its start until its end or the start
            // of quotation i + 4, whichever comes first
            for (i, q) in self.quotes.iter().enumerate() {
                let end = self
                    .quotes
                    .get(i + 4)
                    .map_or(q.span.end, |later| q.span.end.min(later.span.start));
                // (quotations in text order: each search goes on from the last)
                from = gallop(&self.tokens, from, |t| t.span().start < q.span.start);
                let to = gallop(&self.tokens, from, |t| t.span().start < end);
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
        self.in_quote_before(offset, i)
    }

    /// `in_quote` of each of `offsets`, read in one pass over the quotations when
    /// the offsets come in order (as a story's mentions do), not by a search of
    /// them for each.
    pub fn in_quote_each(
        &self,
        offsets: impl Iterator<Item = usize>,
    ) -> impl Iterator<Item = bool> {
        let mut quotes = self.quotes_from(0);
        offsets.map(move |offset| quotes.in_quote(offset))
    }

    /// `in_quote` for offsets from `start` on, asked in order (or nearly: an offset
    /// before the last asked is searched for), each reading on from the last
    /// rather than searching all the quotations.
    pub fn quotes_from(&self, start: usize) -> QuotesFrom<'_, 'a> {
        QuotesFrom {
            doc: self,
            i: self.quotes.partition_point(|q| q.span.start <= start),
            last: start,
        }
    }

    /// Whether `offset` is inside one of the (last four of the) quotations before
    /// quotation `i`, the first to begin after it.
    fn in_quote_before(&self, offset: usize, i: usize) -> bool {
        self.quotes[..i]
            .iter()
            .rev()
            .take(4)
            .any(|q| q.span.start <= offset && offset < q.span.end)
    }
}

#[cfg(test)]
mod tests {
    use super::{Document, Format, MarkStarts, find_byte, gallop};

    #[test]
    fn tokens_in_quotations_are_found_alike_asked_few_times_or_many() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
        let mut files = 0;
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let doc = super::Document::new(&text, super::Format::from_path(&path));
            if doc.quotes.is_empty() {
                continue;
            }
            files += 1;
            // the first sixteenth of the tokens answered from the quotations, the
            // rest from the table
            for (k, t) in doc.tokens.iter().enumerate() {
                assert_eq!(
                    doc.token_in_quote(k),
                    doc.in_quote(t.span().start),
                    "{path:?}, token {k}"
                );
            }
            // in one pass, in order and with steps back
            let offsets = || {
                doc.tokens
                    .iter()
                    .flat_map(|t| [t.span().start, t.span().end, t.span().start / 2])
            };
            let each: Vec<bool> = doc.in_quote_each(offsets()).collect();
            let one: Vec<bool> = offsets().map(|o| doc.in_quote(o)).collect();
            assert_eq!(each, one, "{path:?}");
            assert!(doc.quoted.get().is_some());
        }
        assert!(files > 20);
    }

    /// `token_index_at` and `sentence_at` answer from the blocks' table as they do
    /// by a binary search over everything: at every offset of every corpus story
    /// (and past its end), asked often enough that the table is made.
    #[test]
    fn the_blocks_answer_as_a_search_of_everything_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = vec![String::new(), "x".repeat(300), " ".repeat(700)];
        for dir in ["tests/corpus", "seeds"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
                texts.push(std::fs::read_to_string(e.path()).unwrap_or_default());
            }
        }
        for text in &texts {
            for format in [Format::PlainText, Format::Markdown] {
                let doc = Document::with_threads(text, format, usize::MAX);
                let len = text.len();
                for offset in 0..=len + 300 {
                    let t = doc.tokens.partition_point(|t| t.span().start < offset);
                    let s = doc.sentences.partition_point(|s| s.span.start <= offset);
                    assert_eq!(doc.token_index_at(offset), t, "{offset}");
                    assert_eq!(doc.sentence_at(offset), s.checked_sub(1), "{offset}");
                }
                if doc.tokens.len() >= 16 {
                    assert!(doc.blocks.get().is_some());
                }
            }
        }
    }

    /// A document changed in place by a typed change answers from binary searches
    /// and never makes the blocks' table: a pass over all its tokens on every
    /// keystroke would cost more than the few questions it saves.
    #[test]
    fn a_typed_change_never_makes_the_blocks_table() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(root.join("seeds/000_2c4b3c25a951bc1f.txt")).unwrap();
        let mut memo = super::TextMemo::default();
        let doc = Document::with_memo(&text, Format::Markdown, &mut memo);
        memo.keep(doc);
        let at = text.rfind(" the ").unwrap();
        let changed = format!("{} thee {}", &text[..at], &text[at + 5..]);
        let doc = Document::with_memo(&changed, Format::Markdown, &mut memo);
        assert!(doc.unchanged.is_some());
        for offset in 0..changed.len() {
            doc.token_index_at(offset);
            doc.sentence_at(offset);
        }
        assert!(doc.blocks.get().is_none());
    }

    #[test]
    fn gallop_finds_what_a_binary_search_finds_from_anywhere() {
        for len in 0..70usize {
            let xs: Vec<usize> = (0..len).map(|i| i * 3 / 2).collect();
            for x in 0..len * 2 + 2 {
                let want = xs.partition_point(|&v| v < x);
                for from in 0..=len + 1 {
                    assert_eq!(gallop(&xs, from, |&v| v < x), want, "{len} {x} {from}");
                }
            }
        }
    }

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
