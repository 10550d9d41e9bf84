//! What in the text is prose. Markdown structure comes from pulldown-cmark: only its
//! text events are prose, so front matter, fenced and indented code, inline code,
//! HTML (comments included), link targets and the markup itself are blanked.
//! Headings, list items and block quotes keep their text. URLs are blanked in both
//! formats.

use std::sync::Arc;

use crate::pattern::Pattern;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{Format, common_ends};
use crate::report::Span;

/// Where `mask_with_memo` masked a text again: the lines (plain text) or the
/// paragraph (Markdown) from `from` to `old_to` in the last text, `from` to
/// `new_to` in this one. The texts are the same before `from`, and after `old_to`
/// and `new_to` respectively.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Patch {
    pub from: usize,
    pub old_to: usize,
    pub new_to: usize,
    /// The bytes of the last text that changed (within `from..old_to`): the texts
    /// are the same before `edit.start`, and after `edit.end` and `edit.end +
    /// shift()` respectively.
    pub edit: Span,
}

impl Patch {
    /// How far the text after the change moved.
    pub fn shift(&self) -> isize {
        self.new_to as isize - self.old_to as isize
    }

    /// Offset `x` of the last text, after the change, in this one.
    pub fn moved(&self, x: usize) -> usize {
        (x as isize + self.shift()) as usize
    }
}

pub struct Masked {
    /// Shared with `MaskMemo`, which patches it in place for the next text once
    /// the document made of it is gone (one copy of the story less a keystroke).
    pub prose: Arc<String>,
    pub front_matter: Option<Span>,
    /// Offsets where Markdown starts a new block (heading, list item, paragraph...):
    /// paragraph boundaries even without a blank line.
    pub block_starts: Vec<usize>,
    /// When the mask was patched (`mask_with_memo`): where the text changed.
    pub patch: Option<Patch>,
}

fn url_re() -> &'static Pattern {
    static RE: Pattern = Pattern::without_prefilter(|| {
        String::from(
            r"(?i)(?-u:\b)(?:https?://|ftp://|www\.)[^\s<>()\[\]{}]+|(?-u:\b)[a-z0-9.-]+\.(?:com|org|net|co\.uk|gov|edu|info|io|ua|ru)(?:/[^\s<>()]*)?(?-u:\b)",
        )
    });
    &RE
}

/// The URLs in `prose` (`url_re`). No URL spans a line, so the regex runs only on
/// the lines that may hold one, with a mark that every URL has: "://", "www." or a
/// dot before a letter a domain ending starts with (no letter those are, in any
/// case, is a capital or a small letter of one outside ASCII). Most lines have none.
fn urls(prose: &str) -> Vec<Span> {
    let bytes = prose.as_bytes();
    let mark = |i: usize| match bytes[i] {
        b':' => bytes[i + 1..].starts_with(b"//"),
        _ => {
            (i >= 3 && bytes[i - 3..i].eq_ignore_ascii_case(b"www"))
                || bytes
                    .get(i + 1)
                    .is_some_and(|c| b"cognieur".contains(&c.to_ascii_lowercase()))
        }
    };
    let mut out = Vec::new();
    let mut from = 0;
    loop {
        let i = super::find_byte(bytes, from, b'.', b':');
        if i >= bytes.len() {
            return out;
        }
        if !mark(i) {
            from = i + 1;
            continue;
        }
        let start = bytes[..i]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1);
        let end = super::find_byte(bytes, i, b'\n', b'\n');
        out.extend(
            url_re()
                .find_iter(&prose[start..end])
                .map(|m| m.start() + start..m.end() + start),
        );
        from = end;
    }
}

/// Replace bytes with spaces, keeping line breaks (so lines and offsets stay put).
fn blank(buf: &mut [u8], span: Span) {
    for b in &mut buf[span] {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

/// A front matter block: `---` on the first line, closed by `---` or `...`.
fn front_matter(text: &str) -> Option<Span> {
    let rest = text.strip_prefix('\u{feff}').unwrap_or(text);
    let skip = text.len() - rest.len();
    let first_end = rest.find('\n')?;
    if rest[..first_end].trim_end() != "---" {
        return None;
    }
    let mut pos = first_end + 1;
    while pos <= rest.len() {
        let end = rest[pos..]
            .find('\n')
            .map(|e| pos + e)
            .unwrap_or(rest.len());
        let line = rest[pos..end].trim_end();
        if line == "---" || line == "..." {
            let stop = if end < rest.len() { end + 1 } else { end };
            return Some(skip..skip + stop);
        }
        if end >= rest.len() {
            break;
        }
        pos = end + 1;
    }
    None
}

pub fn mask(text: &str, format: Format) -> Masked {
    mask_whole(text, format).0
}

/// The options every Markdown parse here uses.
fn parser_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Blank everything of `buf` but the spans to keep, line breaks kept.
fn keep_only(buf: &[u8], keep: &[Span]) -> Vec<u8> {
    let mut restored: Vec<u8> = buf
        .iter()
        .map(|&b| if b == b'\n' || b == b'\r' { b } else { b' ' })
        .collect();
    for span in keep {
        restored[span.clone()].copy_from_slice(&buf[span.clone()]);
    }
    restored
}

/// `buf` as prose: UTF-8 again, with its URLs blanked.
fn finish(buf: Vec<u8>) -> String {
    // Multi-byte characters are restored whole or blanked whole, so this is UTF-8.
    let prose = String::from_utf8(buf)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    without_urls(prose)
}

/// `prose` with its URLs blanked: each a run of spaces as long (no URL spans a
/// line, and each ends on a character boundary, so no UTF-8 check is needed).
fn without_urls(mut prose: String) -> String {
    for u in urls(&prose) {
        let spaces = " ".repeat(u.len());
        prose.replace_range(u, &spaces);
    }
    prose
}

/// Plain text as prose: a copy with its front matter blanked (each character of
/// it a space, line breaks kept), built as a string, so that it needs no UTF-8
/// check as `finish` makes.
fn plain_prose(text: &str, front_matter: Option<&Span>) -> String {
    let Some(fm) = front_matter else {
        return text.to_owned();
    };
    let mut prose = String::with_capacity(text.len());
    prose.push_str(&text[..fm.start]);
    // (a space or a line break for each byte: the offsets stay put)
    prose.extend(text[fm.clone()].bytes().map(|b| match b {
        b'\n' | b'\r' => b as char,
        _ => ' ',
    }));
    prose.push_str(&text[fm.end..]);
    prose
}

/// `mask`, and for Markdown the spans of the paragraphs that `mask_with_memo` may
/// mask again on their own (`lone_paragraph`); `None` when the story defines link
/// references, which any paragraph may use.
fn mask_whole(text: &str, format: Format) -> (Masked, Option<Vec<Span>>) {
    let mut block_starts = Vec::new();
    let fm = front_matter(text);
    let mut lone = Some(Vec::new());
    let prose = if format == Format::Markdown {
        let mut buf = text.as_bytes().to_vec();
        if let Some(fm) = &fm {
            blank(&mut buf, fm.clone());
        }
        // Blank everything, then restore the text events: whatever the parser does not
        // call text is markup, code or HTML.
        let body_start = fm.as_ref().map_or(0, |f| f.end);
        let body = &text[body_start..];
        let mut keep: Vec<Span> = Vec::new();
        let mut in_code = 0usize;
        let mut depth = 0usize;
        let mut events = Parser::new_ext(body, parser_options()).into_offset_iter();
        if events.reference_definitions().iter().next().is_some() {
            lone = None;
        }
        for (event, range) in events.by_ref() {
            let range = range.start + body_start..range.end + body_start;
            if let (Event::Start(Tag::Paragraph), 0, Some(spans)) = (&event, depth, lone.as_mut()) {
                let end = range.start + text[range.clone()].trim_end().len();
                if lone_paragraph(text, body_start, range.start..end) {
                    spans.push(range.start..end);
                }
            }
            match &event {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            match event {
                Event::Start(Tag::CodeBlock(_)) => in_code += 1,
                Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
                Event::Start(
                    Tag::Paragraph
                    | Tag::Heading { .. }
                    | Tag::Item
                    | Tag::BlockQuote(_)
                    | Tag::TableCell,
                ) => block_starts.push(range.start),
                Event::Text(_) if in_code == 0 => keep.push(range),
                _ => {}
            }
        }
        finish(keep_only(&buf, &keep))
    } else {
        without_urls(plain_prose(text, fm.as_ref()))
    };
    let masked = Masked {
        prose: Arc::new(prose),
        front_matter: fm,
        block_starts,
        patch: None,
    };
    (masked, lone)
}

/// Whether the paragraph at `span` (its text, without the line break after it) is
/// one that Markdown reads the same on its own as within the story: it starts a
/// line, at the first column, with a blank line (or the start of the body) before
/// it and a blank line (or the end) after it. Nothing before such a paragraph reads
/// into it, and nothing in it reads into what follows (a table's or a heading's
/// underline would have to stand right after it).
fn lone_paragraph(text: &str, body_start: usize, span: Span) -> bool {
    let before = &text[body_start..span.start];
    let blank_before = before.is_empty()
        || before
            .strip_suffix('\n')
            .map(|b| b.strip_suffix('\r').unwrap_or(b))
            .is_some_and(|b| {
                b[b.rfind('\n').map_or(0, |i| i + 1)..]
                    .trim_matches([' ', '\t'])
                    .is_empty()
            });
    if !blank_before || text[span.clone()].starts_with(char::is_whitespace) {
        return false;
    }
    let mut lines = text[span.end..].split('\n');
    let rest_of_line = lines.next().unwrap_or("");
    if !rest_of_line.trim_matches([' ', '\t', '\r']).is_empty() {
        return false;
    }
    lines
        .next()
        .is_none_or(|next| next.trim_matches([' ', '\t', '\r']).is_empty())
}

/// What `mask_with_memo` keeps of the last text it masked.
#[derive(Default)]
pub struct MaskMemo {
    last: Option<LastMask>,
    /// How many masks were patched rather than made whole (for the tests).
    patched: usize,
}

struct LastMask {
    format: Format,
    text: String,
    prose: Arc<String>,
    front_matter: Option<Span>,
    block_starts: Vec<usize>,
    /// Markdown: the lone paragraphs (`lone_paragraph`); `None` when the story
    /// defines link references.
    lone: Option<Vec<Span>>,
}

impl MaskMemo {
    /// The last text masked.
    pub(crate) fn last_text(&self) -> Option<&str> {
        self.last.as_ref().map(|l| l.text.as_str())
    }
}

/// `mask`, reusing what `memo` kept of the last text masked: when the text changed
/// only within lines of plain text, or within one lone paragraph of Markdown
/// (`lone_paragraph`) that stays one paragraph, only those lines or that paragraph
/// are masked again. The result is the same as `mask` gives (`tests/incremental.rs`).
pub fn mask_with_memo(text: &str, format: Format, memo: &mut MaskMemo) -> Masked {
    let patched = memo
        .last
        .as_mut()
        .filter(|last| last.format == format)
        .and_then(|last| patch(last, text));
    if let Some(masked) = patched {
        memo.patched += 1;
        return masked;
    }
    let (masked, lone) = mask_whole(text, format);
    memo.last = Some(LastMask {
        format,
        text: text.to_string(),
        prose: Arc::clone(&masked.prose),
        front_matter: masked.front_matter.clone(),
        block_starts: masked.block_starts.clone(),
        lone,
    });
    masked
}

/// Mask `text` by patching the last mask, when the change allows (`mask_with_memo`).
fn patch(last: &mut LastMask, text: &str) -> Option<Masked> {
    let old = last.text.as_bytes();
    let new = text.as_bytes();
    let (p, s) = common_ends(old, new);
    let (old_end, new_end) = (old.len() - s, new.len() - s);
    // the front matter stays what it was, and the change is after it
    let fm = front_matter(text);
    if fm != last.front_matter || fm.as_ref().is_some_and(|f| p < f.end) {
        return None;
    }
    // the region masked again, in the old text and in the new
    let (from, old_to, new_to) = match last.format {
        Format::PlainText => {
            let from = memchr::memrchr(b'\n', &old[..p]).map_or(0, |i| i + 1);
            let to = super::find_byte(new, new_end, b'\n', b'\n');
            (from, to + old.len() - new.len(), to)
        }
        Format::Markdown => {
            let lone = last.lone.as_ref()?;
            let i = lone.partition_point(|q| q.end < p);
            let blank = |b: &[u8]| b.iter().all(|&c| c == b' ' || c == b'\t');
            let q = lone
                .get(i)
                .filter(|q| q.start <= p && old_end <= q.end)
                // or in the spaces after its last word on its line: typing on
                // after a space at a paragraph's end
                .or_else(|| {
                    let q = lone.get(i.checked_sub(1)?)?;
                    blank(old.get(q.end..old_end.max(p))?).then_some(q)
                })?;
            let old_to = q.end.max(old_end);
            (q.start, old_to, old_to + new.len() - old.len())
        }
    };
    // the region masked again is all after the front matter
    if fm.as_ref().is_some_and(|f| from < f.end) {
        return None;
    }
    let region = &text[from..new_to];
    let buf = match last.format {
        Format::PlainText => region.as_bytes().to_vec(),
        Format::Markdown => {
            // the paragraph, on its own, is still one lone paragraph
            let body_start = fm.as_ref().map_or(0, |f| f.end);
            if !lone_paragraph(text, body_start, from..new_to) {
                return None;
            }
            let mut keep: Vec<Span> = Vec::new();
            let mut events = Parser::new_ext(region, parser_options()).into_offset_iter();
            if events.reference_definitions().iter().next().is_some() {
                return None;
            }
            // one paragraph, from the region's start to its end, and nothing else
            let (mut depth, mut paragraph) = (0usize, false);
            for (event, range) in events.by_ref() {
                if depth == 0 {
                    // (all of it but spaces after its last word: typing a space
                    // at a paragraph's end)
                    let whole = range.start == 0
                        && region[range.clone()].trim_end().len()
                            == region.trim_end_matches([' ', '\t']).len();
                    if paragraph || !whole || event != Event::Start(Tag::Paragraph) {
                        return None;
                    }
                    paragraph = true;
                }
                match event {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth -= 1,
                    Event::Text(_) => keep.push(range),
                    _ => {}
                }
            }
            if !paragraph {
                return None;
            }
            keep_only(region.as_bytes(), &keep)
        }
    };
    let masked_region = finish(buf);
    // in place when no document holds the last prose any more, else anew
    match Arc::get_mut(&mut last.prose) {
        Some(prose) => prose.replace_range(from..old_to, &masked_region),
        None => {
            let mut prose = String::with_capacity(text.len());
            prose.push_str(&last.prose[..from]);
            prose.push_str(&masked_region);
            prose.push_str(&last.prose[old_to..]);
            last.prose = Arc::new(prose);
        }
    }
    let patch = Patch {
        from,
        old_to,
        new_to,
        edit: p..old_end,
    };
    for b in last.block_starts.iter_mut().filter(|b| **b > from) {
        *b = patch.moved(*b);
    }
    if let Some(lone) = last.lone.as_mut() {
        for q in lone.iter_mut() {
            if q.start == from {
                q.end = new_to;
            } else if q.start > from {
                *q = patch.moved(q.start)..patch.moved(q.end);
            }
        }
    }
    // (the text changed only between its common start and end, widened to whole
    // characters: the bytes either side are the same in both)
    let (mut a, mut z) = (p, old_end.max(p));
    while !last.text.is_char_boundary(a) {
        a -= 1;
    }
    while !last.text.is_char_boundary(z) {
        z += 1;
    }
    let grown = new.len() as isize - old.len() as isize;
    last.text
        .replace_range(a..z, &text[a..(z as isize + grown) as usize]);
    Some(Masked {
        prose: Arc::clone(&last.prose),
        front_matter: fm,
        block_starts: last.block_starts.clone(),
        patch: Some(patch),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each text in turn through one memo: the same mask as from scratch. Returns
    /// how many were patched.
    fn masks_in_turn(texts: &[&str], format: Format) -> usize {
        let mut memo = MaskMemo::default();
        for (i, t) in texts.iter().enumerate() {
            let a = mask_with_memo(t, format, &mut memo);
            let b = mask(t, format);
            assert_eq!(a.prose, b.prose, "step {i}: {t:?}");
            assert_eq!(a.block_starts, b.block_starts, "step {i}: {t:?}");
            assert_eq!(a.front_matter, b.front_matter, "step {i}: {t:?}");
            // (the memo holds the text it masked, patched in place)
            assert_eq!(memo.last_text(), Some(*t), "step {i}");
        }
        memo.patched
    }

    /// The memo's copy of the text is patched in place, in whole characters: a
    /// change may share the first bytes of a character (é, è) or its last.
    #[test]
    fn the_text_kept_is_patched_in_whole_characters() {
        let texts = [
            "Le café ouvre.\n\nIl ferme à 18 h.\n",
            "Le cafè ouvre.\n\nIl ferme à 18 h.\n",
            "Le cafè ouvre.\n\nIl ferme á 18 h.\n",
            "Le caf ouvre.\n\nIl ferme á 18 h.\n",
            "Le caf€ ouvre.\n\nIl ferme á 18 h.\n",
            "Le caf₤ ouvre.\n\nIl ferme á 18 h.\n",
            "Le caf₤ ouvre.\n\nIl ferme \u{1F600} 18 h.\n",
            "Le caf₤ ouvre.\n\nIl ferme \u{1F601} 18 h.\n",
        ];
        for format in [Format::PlainText, Format::Markdown] {
            assert!(masks_in_turn(&texts, format) >= 5, "{format:?}");
        }
    }

    #[test]
    fn common_ends_are_the_longest() {
        let long: String = (0..3000)
            .map(|i| char::from(b'a' + (i % 7) as u8))
            .collect();
        for (a, b) in [
            ("", ""),
            ("abc", "abc"),
            ("abc", "abxc"),
            ("aaaa", "aa"),
            ("xabc", "abc"),
            (
                long.as_str(),
                &format!("{}Z{}", &long[..1500], &long[1500..]),
            ),
            (long.as_str(), &format!("{}{}", &long[..2999], "q")),
            (long.as_str(), &long[1..]),
        ] {
            let (p, s) = common_ends(a.as_bytes(), b.as_bytes());
            let want_p = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
            let want_s = a.as_bytes()[want_p..]
                .iter()
                .rev()
                .zip(b.as_bytes()[want_p..].iter().rev())
                .take_while(|(x, y)| x == y)
                .count();
            assert_eq!((p, s), (want_p, want_s), "{} / {}", a.len(), b.len());
        }
    }

    #[test]
    fn typing_in_a_paragraph_masks_only_that_paragraph_again() {
        let texts = [
            "# Title\n\nThe *mayor* said.\n\nSee `x` and [a](http://a.org/b).\n",
            "# Title\n\nThe *mayor* saidd.\n\nSee `x` and [a](http://a.org/b).\n",
            "# Title\n\nThe *mayor* said.\n\nSee `x` and [a](http://a.org/b).\n",
            "# Title\n\nThe *mayor* said. Visit www.example.org\n\nSee `x` and [a](http://a.org/b).\n",
            "# Title\n\nThe *mayor* said. Visit www.example.org\n\nSee `x` and [a](http://a.org/b) **now**.\n",
        ];
        assert_eq!(masks_in_turn(&texts, Format::Markdown), 4);
        assert_eq!(masks_in_turn(&texts, Format::PlainText), 4);
    }

    #[test]
    fn typing_on_after_a_space_at_a_paragraphs_end_masks_only_that_paragraph_again() {
        let texts = [
            "The *mayor* said.\n\nNext one.\n",
            "The *mayor* said. \n\nNext one.\n",
            "The *mayor* said. L\n\nNext one.\n",
            "The *mayor* said. La  \n\nNext one.\n",
            "The *mayor* said. La  *x\n\nNext one.\n",
            "The *mayor* said. La  *x*\n\nNext one.\n",
            // a line break after trailing spaces, then a heading: masked whole
            "The *mayor* said. La  *x*\n# H\n\nNext one.\n",
            "The *mayor* said. La  *x*\n\nNext one.\n",
        ];
        assert_eq!(masks_in_turn(&texts, Format::Markdown), 5);
    }

    #[test]
    fn a_paragraph_typed_into_something_else_is_masked_whole() {
        let base = "Intro line.\n\nA paragraph here.\n\n| a | b |\n\nLast one.\n";
        for changed in [
            // a setext heading, a table, a list, a fence, a quotation block, HTML, a
            // rule, an indented continuation, a link reference, a split paragraph
            "Intro line.\n\nA paragraph here.\n===\n\n| a | b |\n\nLast one.\n",
            "Intro line.\n\n| A | paragraph here. |\n|---|---|\n\n| a | b |\n\nLast one.\n",
            "Intro line.\n\n- A paragraph here.\n\n| a | b |\n\nLast one.\n",
            "Intro line.\n\nA paragraph\n```\nhere.\n\n| a | b |\n\nLast one.\n",
            "Intro line.\n\n> A paragraph here.\n\n| a | b |\n\nLast one.\n",
            "Intro line.\n\nA paragraph\n<!-- here.\n\n| a | b |\n\nLast one.\n",
            "Intro line.\n\nA paragraph\n***\n\n| a | b |\n\nLast one.\n",
            "Intro line.\n\n    A paragraph here.\n\n| a | b |\n\nLast one.\n",
            "Intro line.\n\n[a]: http://x.org\n\n| a | b |\n\nLast [a].\n",
            "Intro line.\n\nA paragraph\n\nhere.\n\n| a | b |\n\nLast one.\n",
            "Intro line.\n\nA paragraph here.\n|---|---|\n\nLast one.\n",
        ] {
            masks_in_turn(&[base, changed, base], Format::Markdown);
            masks_in_turn(&[base, changed, base], Format::PlainText);
        }
        // a story with link references masks whole
        let refs = "[a]: http://x.org\n\nSee [a] here.\n";
        let typed = "[a]: http://x.org\n\nSee [a] there.\n";
        assert_eq!(masks_in_turn(&[refs, typed], Format::Markdown), 0);
        // front matter, line ends of both kinds
        masks_in_turn(
            &[
                "---\ntitle: x\n---\nBody one.\r\n\r\nBody two.\r\n",
                "---\ntitle: xy\n---\nBody one.\r\n\r\nBody two.\r\n",
                "---\ntitle: xy\n---\nBody one!\r\n\r\nBody two.\r\n",
                "---\ntitle: xy\n--\nBody one!\r\n\r\nBody two.\r\n",
                "---\ntitle: xy\n---\nBody one!\r\n\r\nBody two?\r\n",
            ],
            Format::Markdown,
        );
    }

    fn prose(text: &str) -> String {
        let m = mask(text, Format::Markdown);
        assert_eq!(m.prose.len(), text.len());
        m.prose.to_string()
    }

    #[test]
    fn urls_found_line_by_line_are_those_of_the_whole_text() {
        let lines = [
            "See https://example.org/a?b=c for more.",
            "Visit WWW.Example.COM today, or www.example.net.",
            "The council (council.gov.uk) and the ministry site gov.ua/news said so.",
            "FTP://files.example.io/x and http://x.ru",
            "No addresses here: e.g. the U.S. and Dr. Ruiz, at 3.5 per cent.",
            "example.co.uk",
            "ends with a dot.",
            "a:// b www. .com",
            "Ünïcode dots.ćom and ещё.ru and x.info/путь",
            "",
            ".",
            "tail.com",
        ];
        let mut texts: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        texts.push(lines.join("\n"));
        texts.push(lines.join("\r\n"));
        texts.push(lines.join(" "));
        for t in &texts {
            let whole: Vec<Span> = url_re().find_iter(t).map(|m| m.range()).collect();
            assert_eq!(urls(t), whole, "{t:?}");
        }
        for f in std::fs::read_dir("tests/corpus").unwrap() {
            let t = std::fs::read_to_string(f.unwrap().path()).unwrap_or_default();
            let whole: Vec<Span> = url_re().find_iter(&t).map(|m| m.range()).collect();
            assert_eq!(urls(&t), whole);
        }
    }

    #[test]
    fn code_html_links_and_front_matter_are_not_prose() {
        let text = "---\ndate: 2024-01-02\n---\n# Kyiv talks\n\nSee `Kiev` and [Kyiv](http://kiev.example/x) <!-- Kiev -->.\n\n```\nKiev\n```\n\n    Kiev indented\n\n> “Quote,” she said.\n- item Kyiv\n";
        let p = prose(text);
        assert!(!p.contains("date"));
        assert!(p.contains("Kyiv talks"));
        assert!(!p.contains("Kiev"), "{p}");
        assert!(p.contains("“Quote,” she said."));
        assert!(p.contains("item Kyiv"));
        assert_eq!(p.matches('\n').count(), text.matches('\n').count());
    }

    #[test]
    fn urls_are_blanked_in_plain_text() {
        let t = "Read www.presstv.co.uk or https://a.example/b?c=d now.";
        let m = mask(t, Format::PlainText);
        assert!(!m.prose.contains("presstv"));
        assert!(m.prose.starts_with("Read "));
        assert!(m.prose.ends_with(" now."));
        // letters beyond ASCII in an address, after front matter: blanked whole,
        // every offset kept
        let t = "---\ntitle: Ünïcode\r\n---\nSee https://пример.рф/путь and www.ещё.ru, then Kyiv.";
        let m = mask(t, Format::PlainText);
        assert_eq!(m.prose.len(), t.len());
        for gone in ["пример", "путь", "ещё", "Ünïcode"] {
            assert!(!m.prose.contains(gone), "{gone}: {:?}", m.prose);
        }
        assert!(m.prose.ends_with(" then Kyiv."), "{:?}", m.prose);
        assert_eq!(m.prose.matches('\n').count(), t.matches('\n').count());
        assert!(m.prose.contains("\r\n"));
    }
}
