// The pure part of the knowledge base: the forms an entity goes by, and the hash
// tables that find them. Shared by build.rs, which runs it over the embedded data at
// compile time (src/kb/image.rs stores the result in the binary), and by
// `KnowledgeBase::build`, which runs it at run time for a newsroom's house style and
// entity files: the same code, so the same hashes and the same tables.
//
// build.rs includes this file with `#[path]`, beside src/kb/data.rs,
// src/text/fold.rs and src/text/words.rs: it may use only those (and std).

use std::borrow::Cow;
use std::collections::HashMap;

use crate::kb::data::EntityData;
use crate::text::fold::{PreHashedMap, chain, fold, folded, hash, translit_key};
use crate::text::words::{TokenKind, tokenize};

/// How a form relates to its entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormKind {
    /// The canonical, house-style name.
    Name,
    /// Another correct way to refer to it (surname, acronym, short name).
    Alias,
    /// A spelling house style does not use.
    Variant,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    pub text: String,
    pub kind: FormKind,
    /// For variants: the form to write instead.
    pub replacement: Option<String>,
    pub words: usize,
    /// All capitals, like NATO or US: matched only with the same case.
    pub acronym: bool,
    /// The short form of a qualified place name ("Odessa" for "Odessa, Texas"): it names
    /// the entity only in a story that also writes the qualified name.
    pub qualified: bool,
}

impl Form {
    /// The text before a qualifying comma ("Odessa" for "Odessa, Texas").
    pub fn head(&self) -> &str {
        self.text.split(',').next().unwrap_or(&self.text).trim()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormRef {
    pub entity: u32,
    pub form: u32,
}

/// The forms of an entity (house-style preferences already applied): its name, its
/// aliases, its variants, and for a qualified place name its head, each once.
pub fn forms(d: &EntityData) -> Vec<Form> {
    let mut forms = Vec::new();
    let mut push = |text: &str, kind: FormKind, replacement: Option<String>, qualified| {
        let text = text.trim();
        if text.is_empty() || forms.iter().any(|f: &Form| f.text == text) {
            return;
        }
        let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
        let acronym = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
        forms.push(Form {
            text: text.to_string(),
            kind,
            replacement,
            words: tokenize(text)
                .iter()
                .filter(|t| t.kind != TokenKind::Punct)
                .count(),
            acronym,
            qualified,
        });
    };
    push(&d.name, FormKind::Name, None, false);
    for a in &d.aliases {
        push(a, FormKind::Alias, None, false);
    }
    for (v, to) in &d.variants {
        push(v, FormKind::Variant, Some(to.clone()), false);
    }
    // a qualified place name ("Odessa, Texas") also goes by its head, in context
    if d.kind == "place" {
        if let Some((head, _)) = d.name.split_once(", ") {
            push(head, FormKind::Alias, None, true);
        }
    }
    forms
}

/// Folded words of a form as the index keys them: its words, and a comma between
/// words (a qualified place name: "Odessa, Texas").
fn index_words(text: &str) -> Vec<String> {
    let mut buf = String::new();
    tokenize(text)
        .into_iter()
        .filter(|t| t.kind != TokenKind::Punct || &text[t.span()] == ",")
        .map(|t| {
            fold(&text[t.span()], &mut buf);
            buf.clone()
        })
        .collect()
}

/// Folded words of a form, as the text tokenizer sees them.
pub fn form_words(text: &str) -> Vec<String> {
    let mut buf = String::new();
    tokenize(text)
        .into_iter()
        .filter(|t| t.kind != TokenKind::Punct)
        .map(|t| {
            fold(&text[t.span()], &mut buf);
            buf.clone()
        })
        .collect()
}

/// Hash of a sequence of folded words, as the index keys it.
pub fn seq_hash<S: AsRef<str>>(words: &[S]) -> u64 {
    words.iter().fold(0, |h, w| chain(h, hash(w.as_ref())))
}

pub fn deletions(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    (0..chars.len())
        .map(|i| {
            chars
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, c)| *c)
                .collect()
        })
        .collect()
}

/// One slot of a [`Table`]: a key and the range of values it maps to (`len` 0: empty).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Slot {
    pub key: u64,
    pub start: u32,
    pub len: u32,
}

/// Bytes per slot: the key, the start and the length, little-endian.
pub const SLOT_BYTES: usize = 16;

/// An open-addressing hash table (linear probing, at most half full) over keys that
/// are already hashes. Its slots are kept as little-endian bytes, so the embedded
/// tables are used in place, where build.rs laid them out: loading them costs nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    bytes: Cow<'static, [u8]>,
}

/// The slot a key is looked for first: the key's bits mixed again (the keys' low
/// bits alone are not spread well enough), masked to the table size.
fn home(key: u64, mask: usize) -> usize {
    let mut k = key ^ (key >> 33);
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    (k as usize) & mask
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

impl Table {
    /// A table of `entries` (distinct keys, each `len` at least 1).
    pub fn new(entries: &[Slot]) -> Table {
        if entries.is_empty() {
            return Table::default();
        }
        let size = (entries.len() * 2).next_power_of_two();
        let mut slots = vec![Slot::default(); size];
        let mask = size - 1;
        for e in entries {
            debug_assert!(e.len > 0);
            let mut i = home(e.key, mask);
            while slots[i].len != 0 {
                debug_assert!(slots[i].key != e.key, "duplicate key");
                i = (i + 1) & mask;
            }
            slots[i] = *e;
        }
        let mut bytes = Vec::with_capacity(size * SLOT_BYTES);
        for s in &slots {
            bytes.extend(s.key.to_le_bytes());
            bytes.extend(s.start.to_le_bytes());
            bytes.extend(s.len.to_le_bytes());
        }
        Table {
            bytes: Cow::Owned(bytes),
        }
    }

    /// A table laid out by [`Table::new`], in place.
    pub fn from_bytes(bytes: &'static [u8]) -> Table {
        let n = bytes.len() / SLOT_BYTES;
        assert!(
            bytes.len() % SLOT_BYTES == 0 && (n == 0 || n.is_power_of_two()),
            "a table is a power of two of slots"
        );
        Table {
            bytes: Cow::Borrowed(bytes),
        }
    }

    /// The slots as little-endian bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn slots(&self) -> usize {
        self.bytes.len() / SLOT_BYTES
    }

    fn slot(&self, i: usize) -> Slot {
        let b = &self.bytes[i * SLOT_BYTES..(i + 1) * SLOT_BYTES];
        Slot {
            key: u64::from(u32_at(b, 0)) | (u64::from(u32_at(b, 4)) << 32),
            start: u32_at(b, 8),
            len: u32_at(b, 12),
        }
    }

    #[inline]
    pub fn get(&self, key: u64) -> Option<Slot> {
        let n = self.slots();
        if n == 0 {
            return None;
        }
        let mask = n - 1;
        let mut i = home(key, mask);
        loop {
            let s = self.slot(i);
            if s.len == 0 {
                return None;
            }
            if s.key == key {
                return Some(s);
            }
            i = (i + 1) & mask;
        }
    }

    /// The occupied slots.
    pub fn entries(&self) -> impl Iterator<Item = Slot> + '_ {
        (0..self.slots())
            .map(|i| self.slot(i))
            .filter(|s| s.len != 0)
    }
}

/// Hash → forms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refs {
    pub table: Table,
    pub refs: Vec<FormRef>,
}

impl Refs {
    fn from_map(map: PreHashedMap<Vec<FormRef>>) -> Refs {
        let mut keyed: Vec<(u64, Vec<FormRef>)> = map.into_iter().collect();
        keyed.sort_unstable_by_key(|(k, _)| *k);
        let mut refs = Vec::new();
        let mut entries = Vec::with_capacity(keyed.len());
        for (key, v) in keyed {
            entries.push(Slot {
                key,
                start: refs.len() as u32,
                len: v.len() as u32,
            });
            refs.extend(v);
        }
        Refs {
            table: Table::new(&entries),
            refs,
        }
    }

    #[inline]
    pub fn get(&self, key: u64) -> &[FormRef] {
        match self.table.get(key) {
            Some(s) => &self.refs[s.start as usize..(s.start + s.len) as usize],
            None => &[],
        }
    }
}

/// One key string of [`Near`]: its text (a range of `Near::text`) and its forms (a
/// range of `Near::refs`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NearEntry {
    pub text_start: u32,
    pub text_len: u32,
    pub start: u32,
    pub len: u32,
}

/// Strings → forms, for the near-miss neighbourhoods: the table maps the hash of a
/// string to the entries with that hash (one, unless two strings collide), and each
/// entry keeps its string, so a look-up is exact.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Near {
    pub table: Table,
    pub entries: Vec<NearEntry>,
    pub text: Cow<'static, str>,
    pub refs: Vec<FormRef>,
}

impl Near {
    fn from_map(map: HashMap<String, Vec<FormRef>>) -> Near {
        let mut keyed: Vec<(u64, String, Vec<FormRef>)> =
            map.into_iter().map(|(k, v)| (hash(&k), k, v)).collect();
        keyed.sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let mut near = Near::default();
        let mut text = String::new();
        let mut slots: Vec<Slot> = Vec::new();
        for (h, k, v) in keyed {
            match slots.last_mut() {
                Some(s) if s.key == h => s.len += 1,
                _ => slots.push(Slot {
                    key: h,
                    start: near.entries.len() as u32,
                    len: 1,
                }),
            }
            near.entries.push(NearEntry {
                text_start: text.len() as u32,
                text_len: k.len() as u32,
                start: near.refs.len() as u32,
                len: v.len() as u32,
            });
            text.push_str(&k);
            near.refs.extend(v);
        }
        near.table = Table::new(&slots);
        near.text = Cow::Owned(text);
        near
    }

    pub fn key(&self, e: &NearEntry) -> &str {
        &self.text[e.text_start as usize..(e.text_start + e.text_len) as usize]
    }

    pub fn get(&self, key: &str) -> &[FormRef] {
        let Some(s) = self.table.get(hash(key)) else {
            return &[];
        };
        for e in &self.entries[s.start as usize..(s.start + s.len) as usize] {
            if self.key(e) == key {
                return &self.refs[e.start as usize..(e.start + e.len) as usize];
            }
        }
        &[]
    }
}

/// Every index of a knowledge base.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Indexes {
    /// Folded word-sequence hash → forms.
    pub index: Refs,
    /// Transliteration-key hash → forms (long, uncommon forms only).
    pub translit: Refs,
    /// Hash of a folded demonym → its entity (in `start`).
    pub demonyms: Table,
    /// Hashes of proper prefixes of multi-word forms (and of their transliteration
    /// keys): recognition stops extending a word sequence as soon as no form continues it.
    pub prefixes: Table,
    /// One-deletion neighbourhoods of well-known single-word forms, for near misses.
    pub near: Near,
    /// The most words (and commas) in an indexed form, at least 1.
    pub max_words: usize,
}

impl Indexes {
    /// Index `entities` (their data and forms, in order: a form's [`FormRef`] is its
    /// place here), leaving out the forms an `ignore` entry names.
    pub fn build<'a>(
        entities: impl Iterator<Item = (&'a EntityData, &'a [Form])>,
        ignore: &[String],
    ) -> Indexes {
        let ignore: Vec<String> = ignore.iter().map(|s| folded(s)).collect();
        let mut index: PreHashedMap<Vec<FormRef>> = PreHashedMap::default();
        let mut translit: PreHashedMap<Vec<FormRef>> = PreHashedMap::default();
        let mut demonyms: PreHashedMap<u32> = PreHashedMap::default();
        let mut prefixes: PreHashedMap<()> = PreHashedMap::default();
        let mut near: HashMap<String, Vec<FormRef>> = HashMap::new();
        let mut max_words = 1;
        for (ei, (data, forms)) in entities.enumerate() {
            let person = data.kind == "person";
            for (fi, f) in forms.iter().enumerate() {
                let words = index_words(&f.text);
                if words.is_empty()
                    || (!ignore.is_empty() && ignore.contains(&form_words(&f.text).join(" ")))
                {
                    continue;
                }
                max_words = max_words.max(words.len());
                let r = FormRef {
                    entity: ei as u32,
                    form: fi as u32,
                };
                index.entry(seq_hash(&words)).or_default().push(r);
                for n in 1..words.len() {
                    prefixes.insert(seq_hash(&words[..n]), ());
                    let keys: Vec<String> = words[..n].iter().map(|w| translit_key(w)).collect();
                    prefixes.insert(seq_hash(&keys), ());
                }
                let long = words.iter().map(|w| w.chars().count()).sum::<usize>() >= 5;
                if long && !data.common_word && !f.acronym {
                    let keys: Vec<String> = words.iter().map(|w| translit_key(w)).collect();
                    translit.entry(seq_hash(&keys)).or_default().push(r);
                }
                // single-word forms, and the surname of a person's full name
                // (Subiyanto for Prabowo Subianto)
                let words: Vec<String> = words.into_iter().filter(|w| w != ",").collect();
                let last = words.last().cloned().unwrap_or_default();
                let surname =
                    words.len() > 1 && person && f.kind == FormKind::Name && !f.text.contains(',');
                // near misses are of correct forms only (a variant is itself a miss)
                if data.well_known
                    && f.kind != FormKind::Variant
                    && (words.len() == 1 || surname)
                    && last.chars().count() >= 5
                    && !f.acronym
                {
                    for d in deletions(&last)
                        .into_iter()
                        .chain(std::iter::once(last.clone()))
                    {
                        near.entry(d).or_default().push(r);
                    }
                }
            }
            for d in &data.demonyms {
                demonyms.insert(hash(&folded(d)), ei as u32);
            }
        }
        for v in near.values_mut() {
            v.dedup();
        }
        let set = |keys: Vec<(u64, u32)>| {
            let mut entries: Vec<Slot> = keys
                .into_iter()
                .map(|(key, start)| Slot { key, start, len: 1 })
                .collect();
            entries.sort_unstable_by_key(|s| s.key);
            Table::new(&entries)
        };
        Indexes {
            index: Refs::from_map(index),
            translit: Refs::from_map(translit),
            demonyms: set(demonyms.into_iter().collect()),
            prefixes: set(prefixes.into_keys().map(|k| (k, 0)).collect()),
            near: Near::from_map(near),
            max_words,
        }
    }
}
