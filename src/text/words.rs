//! Words, numbers and punctuation with byte spans.

use crate::report::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    /// First character is uppercase.
    pub cap: bool,
    /// Every letter is uppercase (and there are at least two).
    pub all_caps: bool,
    /// Whitespace stands between this token and the previous one.
    pub space_before: bool,
    /// For words ending in a possessive `'s` / `’s`: the length of the stem.
    pub stem_len: Option<usize>,
}

impl Token {
    /// The span without a possessive ending.
    pub fn stem(&self) -> Span {
        match self.stem_len {
            Some(n) => self.span.start..self.span.start + n,
            None => self.span.clone(),
        }
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’' || c == 'ʼ'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '\u{300}'..='\u{36f}' | '\u{200d}')
}

pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut chars = text.char_indices().peekable();
    let mut space_before = true;
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            space_before = true;
            continue;
        }
        let mut end = start + c.len_utf8();
        let kind = if c.is_alphabetic() || c.is_ascii_digit() || c.is_numeric() {
            let number = !c.is_alphabetic();
            while let Some(&(i, n)) = chars.peek() {
                if is_word_char(n) {
                    chars.next();
                    end = i + n.len_utf8();
                } else if (is_apostrophe(n) && !number) || (number && (n == ',' || n == '.')) {
                    // inner apostrophe (don't, Russia’s) or digit group (1,700 / 5.4)
                    let after = text[i + n.len_utf8()..].chars().next();
                    let ok = match after {
                        Some(a) if number => a.is_ascii_digit(),
                        Some(a) => a.is_alphabetic(),
                        None => false,
                    };
                    if ok {
                        chars.next();
                        end = i + n.len_utf8();
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            if number {
                TokenKind::Number
            } else {
                TokenKind::Word
            }
        } else {
            TokenKind::Punct
        };
        let s = &text[start..end];
        let mut cap = false;
        let mut all_caps = false;
        let mut stem_len = None;
        if kind == TokenKind::Word {
            cap = c.is_uppercase();
            let mut letters = 0;
            let mut upper = 0;
            for ch in s.chars() {
                if ch.is_alphabetic() {
                    letters += 1;
                    if ch.is_uppercase() {
                        upper += 1;
                    }
                }
            }
            all_caps = letters >= 2 && letters == upper;
            for suffix in ["'s", "’s", "'S", "’S", "ʼs"] {
                if s.len() > suffix.len() + 1 && s.ends_with(suffix) {
                    stem_len = Some(s.len() - suffix.len());
                }
            }
        }
        tokens.push(Token {
            span: start..end,
            kind,
            cap,
            all_caps,
            space_before,
            stem_len,
        });
        space_before = false;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(t: &str) -> Vec<&str> {
        tokenize(t).into_iter().map(|k| &t[k.span]).collect()
    }

    #[test]
    fn tokens() {
        assert_eq!(
            words("Russia’s 1,700 trucks, don't."),
            ["Russia’s", "1,700", "trucks", ",", "don't", "."]
        );
        assert_eq!(
            words("NATO-Ukraine ’90s 5.4 million."),
            ["NATO", "-", "Ukraine", "’", "90s", "5.4", "million", "."]
        );
        let t = tokenize("Russia’s KYIV");
        assert_eq!(t[0].stem(), 0..6);
        assert!(t[1].all_caps && t[1].cap);
    }
}
