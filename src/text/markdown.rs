//! What in the text is prose. Markdown structure comes from pulldown-cmark: only its
//! text events are prose, so front matter, fenced and indented code, inline code,
//! HTML (comments included), link targets and the markup itself are blanked.
//! Headings, list items and block quotes keep their text. URLs are blanked in both
//! formats.

use std::sync::OnceLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

use super::Format;
use crate::report::Span;

pub struct Masked {
    pub prose: String,
    pub front_matter: Option<Span>,
    /// Offsets where Markdown starts a new block (heading, list item, paragraph...):
    /// paragraph boundaries even without a blank line.
    pub block_starts: Vec<usize>,
}

fn url_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(?-u:\b)(?:https?://|ftp://|www\.)[^\s<>()\[\]{}]+|(?-u:\b)[a-z0-9.-]+\.(?:com|org|net|co\.uk|gov|edu|info|io|ua|ru)(?:/[^\s<>()]*)?(?-u:\b)")
            .unwrap()
    })
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
    let mut buf = text.as_bytes().to_vec();
    let mut block_starts = Vec::new();
    let fm = front_matter(text);
    if let Some(fm) = &fm {
        blank(&mut buf, fm.clone());
    }
    if format == Format::Markdown {
        // Blank everything, then restore the text events: whatever the parser does not
        // call text is markup, code or HTML.
        let body_start = fm.as_ref().map_or(0, |f| f.end);
        let body = &text[body_start..];
        let mut keep: Vec<Span> = Vec::new();
        let mut in_code = 0usize;
        let parser = Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
        for (event, range) in parser.into_offset_iter() {
            let range = range.start + body_start..range.end + body_start;
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
        let mut restored = vec![b' '; buf.len()];
        for (i, b) in buf.iter().enumerate() {
            if *b == b'\n' || *b == b'\r' {
                restored[i] = *b;
            }
        }
        for span in keep {
            restored[span.clone()].copy_from_slice(&buf[span]);
        }
        buf = restored;
    }
    // Multi-byte characters are restored whole or blanked whole, so this is UTF-8.
    let mut prose = String::from_utf8(buf)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let urls = urls(&prose);
    if !urls.is_empty() {
        let mut bytes = std::mem::take(&mut prose).into_bytes();
        for u in urls {
            // only whole characters: URLs found by the regex end on char boundaries
            blank(&mut bytes, u);
        }
        prose = String::from_utf8(bytes).expect("blanking ASCII-bounded spans keeps UTF-8");
    }
    Masked {
        prose,
        front_matter: fm,
        block_starts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(text: &str) -> String {
        let m = mask(text, Format::Markdown);
        assert_eq!(m.prose.len(), text.len());
        m.prose
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
    }
}
