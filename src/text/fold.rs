//! Folding names for comparison: case, diacritics and transliteration families.

use unicode_normalization::UnicodeNormalization;

/// Lowercase with diacritics removed: "Erdoğan" → "erdogan", "KYIV" → "kyiv".
pub fn fold(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        return;
    }
    for c in word.nfd() {
        match c {
            '\u{300}'..='\u{36f}' => {}
            'ı' | 'İ' => out.push('i'),
            'ł' | 'Ł' => out.push('l'),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' => out.push('d'),
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            '’' | 'ʼ' | '`' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
}

pub fn folded(word: &str) -> String {
    let mut s = String::new();
    fold(word, &mut s);
    s
}

/// The transliteration key of an already folded word: y/i, kh/h, shch/sch, ts/tz,
/// doubled letters. "oleshchuk" and "oleschuk" share a key; so do "dmytro" and "dmitro".
pub fn translit_key(folded: &str) -> String {
    let s = folded
        .replace("shch", "sch")
        .replace("kh", "h")
        .replace("tz", "ts")
        .replace("ks", "x")
        .replace(['y', 'j'], "i");
    let mut out = String::with_capacity(s.len());
    let mut prev = None;
    for c in s.chars() {
        if Some(c) != prev && c != '\'' && c != '-' {
            out.push(c);
        }
        prev = Some(c);
    }
    out
}

/// A 64-bit FNV-1a hash, for word-sequence keys.
pub fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// Extend a sequence hash with the next word's hash.
pub fn chain(seq: u64, word: u64) -> u64 {
    (seq ^ word)
        .wrapping_mul(0x9E3779B97F4A7C15)
        .rotate_left(17)
        ^ 0x51
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds() {
        assert_eq!(folded("Erdoğan"), "erdogan");
        assert_eq!(folded("José"), "jose");
        assert_eq!(folded("KYIV"), "kyiv");
        assert_eq!(
            translit_key(&folded("Oleshchuk")),
            translit_key(&folded("Oleschuk"))
        );
        assert_eq!(translit_key("dmytro"), translit_key("dmitro"));
        assert_eq!(translit_key("zelenskyy"), translit_key("zelensky"));
        assert_ne!(translit_key("dmitry"), translit_key("dmytro"));
        assert_ne!(translit_key("iran"), translit_key("iraq"));
    }
}
