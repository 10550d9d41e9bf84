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
    let urls: Vec<Span> = url_re().find_iter(&prose).map(|m| m.range()).collect();
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
