// The compiled knowledge base as the binary embeds it: build.rs writes it (entity
// data, each entity's forms and every index, all computed at compile time by
// src/kb/index.rs) and `KnowledgeBase::embedded` reads it back with no parsing,
// folding or hashing: the tables' lists of form references are copied out, the hash
// tables themselves are used in place, and each entity's data and forms are built
// from where `read` found them when first asked for (`data_at`, `forms_at`).
//
// Two files: the text (every distinct string once, concatenated: `include_str!`, so
// it is known to be UTF-8), and a stream of little-endian u32 words (`include_bytes!`)
// in which a string is its byte range in the text (start, length; start u32::MAX for
// None), a list is its length and then its items, and a table is its number of slots
// and then the slots, 16 bytes each, as `Table` keeps them (key as two words, low
// first; start; length). In order: the format word, the knowledge date, the entities
// (each with its forms), the forms index and the transliteration index (slots, then
// form references), the demonym and prefix tables, the near-miss table, entries and
// references, and the longest form's length in words.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use crate::kb::data::{EntityData, KbFile, RoleData};
use crate::kb::index::{
    Form, FormKind, FormRef, Indexes, Near, NearEntry, Refs, SLOT_BYTES, Table,
};

/// The first word: the format, changed whenever the layout does.
const MAGIC: u32 = 0x4b42_0001;
const NONE: u32 = u32::MAX;
/// Words per form record (text, kind, replacement, words, flags).
const FORM_WORDS: usize = 7;

/// Writes an image: used by build.rs (and by the tests), not by the library.
#[allow(dead_code)]
#[derive(Default)]
pub struct Writer {
    words: Vec<u32>,
    text: String,
    seen: HashMap<String, u32>,
}

#[allow(dead_code)]
impl Writer {
    fn u32(&mut self, v: u32) {
        self.words.push(v);
    }

    fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("knowledge base fits in u32"));
    }

    fn str(&mut self, s: &str) {
        let start = match self.seen.get(s) {
            Some(&i) => i,
            None => {
                let i = u32::try_from(self.text.len()).expect("knowledge base fits in u32");
                self.text.push_str(s);
                self.seen.insert(s.to_string(), i);
                i
            }
        };
        self.u32(start);
        self.len(s.len());
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => {
                self.u32(NONE);
                self.u32(0);
            }
        }
    }

    fn strs(&mut self, v: &[String]) {
        self.len(v.len());
        for s in v {
            self.str(s);
        }
    }

    fn entity(&mut self, d: &EntityData, forms: &[Form]) {
        self.str(&d.id);
        self.str(&d.kind);
        self.str(&d.name);
        self.str(&d.description);
        self.strs(&d.aliases);
        self.len(d.variants.len());
        for (v, to) in &d.variants {
            self.str(v);
            self.str(to);
        }
        self.len(d.roles.len());
        for r in &d.roles {
            self.str(&r.title);
            self.opt_str(r.start.as_deref());
            self.opt_str(r.end.as_deref());
        }
        self.opt_str(d.gender.as_deref());
        self.strs(&d.demonyms);
        self.u32(u32::from(d.common_word) | (u32::from(d.well_known) << 1));
        self.len(forms.len());
        for f in forms {
            let start = self.words.len();
            self.str(&f.text);
            self.u32(match f.kind {
                FormKind::Name => 0,
                FormKind::Alias => 1,
                FormKind::Variant => 2,
            });
            self.opt_str(f.replacement.as_deref());
            self.len(f.words);
            self.u32(u32::from(f.acronym) | (u32::from(f.qualified) << 1));
            debug_assert_eq!(self.words.len() - start, FORM_WORDS);
        }
    }

    fn table(&mut self, t: &Table) {
        self.len(t.slots());
        for w in t.bytes().chunks_exact(4) {
            self.u32(u32::from_le_bytes([w[0], w[1], w[2], w[3]]));
        }
    }

    fn refs(&mut self, refs: &[FormRef]) {
        self.len(refs.len());
        for r in refs {
            self.u32(r.entity);
            self.u32(r.form);
        }
    }

    fn indexes(&mut self, ix: &Indexes) {
        for r in [&ix.index, &ix.translit] {
            self.table(&r.table);
            self.refs(&r.refs);
        }
        self.table(&ix.demonyms);
        self.table(&ix.prefixes);
        self.table(&ix.near.table);
        self.len(ix.near.entries.len());
        for e in &ix.near.entries {
            // the key string is written into this file's text, wherever it is
            let key = ix.near.key(e).to_string();
            self.str(&key);
            self.u32(e.start);
            self.u32(e.len);
        }
        self.refs(&ix.near.refs);
        self.len(ix.max_words);
    }
}

/// The two files of a compiled knowledge base: the word stream (little-endian bytes)
/// and the text.
#[allow(dead_code)]
pub fn write(
    knowledge_date: Option<&str>,
    entities: &[(EntityData, Vec<Form>)],
    ix: &Indexes,
) -> (Vec<u8>, String) {
    let mut w = Writer::default();
    w.u32(MAGIC);
    w.opt_str(knowledge_date);
    w.len(entities.len());
    for (d, forms) in entities {
        w.entity(d, forms);
    }
    w.indexes(ix);
    let bytes = w.words.iter().flat_map(|v| v.to_le_bytes()).collect();
    (bytes, w.text)
}

/// A compiled knowledge base, read back.
pub struct Image<E> {
    pub knowledge_date: Option<String>,
    pub entities: Vec<E>,
    pub indexes: Indexes,
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    text: &'a str,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], text: &'a str) -> Reader<'a> {
        let mut r = Reader {
            bytes,
            pos: 0,
            text,
        };
        assert_eq!(r.u32(), MAGIC, "the knowledge base image is of this build");
        r
    }

    #[inline]
    fn u32(&mut self) -> u32 {
        let b = &self.bytes[self.pos..self.pos + 4];
        self.pos += 4;
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }

    #[inline]
    fn len(&mut self) -> usize {
        self.u32() as usize
    }

    #[inline]
    fn str(&mut self) -> &'a str {
        let start = self.len();
        let len = self.len();
        &self.text[start..start + len]
    }

    #[inline]
    fn string(&mut self) -> String {
        self.str().to_string()
    }

    fn opt_string(&mut self) -> Option<String> {
        let start = self.u32();
        let len = self.len();
        (start != NONE).then(|| self.text[start as usize..start as usize + len].to_string())
    }

    fn strings(&mut self) -> Vec<String> {
        let n = self.len();
        (0..n).map(|_| self.string()).collect()
    }

    fn entity(&mut self) -> EntityData {
        let id = self.string();
        let kind = self.string();
        let name = self.string();
        let description = self.string();
        let aliases = self.strings();
        let n = self.len();
        let mut variants = BTreeMap::new();
        for _ in 0..n {
            variants.insert(self.string(), self.string());
        }
        let n = self.len();
        let roles = (0..n)
            .map(|_| RoleData {
                title: self.string(),
                start: self.opt_string(),
                end: self.opt_string(),
            })
            .collect();
        let gender = self.opt_string();
        let demonyms = self.strings();
        let flags = self.u32();
        EntityData {
            id,
            kind,
            name,
            description,
            aliases,
            variants,
            roles,
            gender,
            demonyms,
            common_word: flags & 1 != 0,
            well_known: flags & 2 != 0,
        }
    }

    fn forms(&mut self) -> Vec<Form> {
        let n = self.len();
        (0..n)
            .map(|_| {
                let text = self.string();
                let kind = match self.u32() {
                    0 => FormKind::Name,
                    1 => FormKind::Alias,
                    _ => FormKind::Variant,
                };
                let replacement = self.opt_string();
                let words = self.len();
                let flags = self.u32();
                Form {
                    text,
                    kind,
                    replacement,
                    words,
                    acronym: flags & 1 != 0,
                    qualified: flags & 2 != 0,
                }
            })
            .collect()
    }

    /// Past an entity's data without building it; its kind and flags.
    fn skip_entity(&mut self) -> (&'a str, u32) {
        self.pos += 2 * 4; // id
        let kind = self.str();
        self.pos += 2 * 2 * 4; // name, description
        let n = self.len();
        self.pos += n * 2 * 4; // aliases
        let n = self.len();
        self.pos += n * 4 * 4; // variants: two strings each
        let n = self.len();
        self.pos += n * 6 * 4; // roles: a title and two optional dates each
        self.pos += 2 * 4; // gender
        let n = self.len();
        self.pos += n * 2 * 4; // demonyms
        let flags = self.u32();
        (kind, flags)
    }

    fn skip_forms(&mut self) {
        let n = self.len();
        self.pos += n * FORM_WORDS * 4;
    }

    fn refs(&mut self) -> Vec<FormRef> {
        let n = self.len();
        (0..n)
            .map(|_| FormRef {
                entity: self.u32(),
                form: self.u32(),
            })
            .collect()
    }
}

impl Reader<'static> {
    /// A table, in place.
    fn table(&mut self) -> Table {
        let n = self.len() * SLOT_BYTES;
        let t = Table::from_bytes(&self.bytes[self.pos..self.pos + n]);
        self.pos += n;
        t
    }
}

/// The entity data alone (what `write` was given, without forms or indexes).
pub fn read_data(bytes: &[u8], text: &str) -> KbFile {
    let mut r = Reader::new(bytes, text);
    let knowledge_date = r.opt_string();
    let n = r.len();
    let mut entity = Vec::with_capacity(n);
    for _ in 0..n {
        entity.push(r.entity());
        r.skip_forms();
    }
    KbFile {
        knowledge_date,
        entity,
    }
}

/// Where an entity's data and forms stand in an image, and its kind, read without
/// building either (`data_at`, `forms_at` build them).
pub struct Record {
    pub kind: &'static str,
    pub common_word: bool,
    pub well_known: bool,
    pub data: u32,
    pub forms: u32,
}

/// An entity's data, from where `read` found it (`Record::data`).
pub fn data_at(bytes: &'static [u8], text: &'static str, at: u32) -> EntityData {
    let mut r = Reader::new(bytes, text);
    r.pos = at as usize;
    r.entity()
}

/// An entity's forms, from where `read` found them (`Record::forms`).
pub fn forms_at(bytes: &'static [u8], text: &'static str, at: u32) -> Vec<Form> {
    let mut r = Reader::new(bytes, text);
    r.pos = at as usize;
    r.forms()
}

/// Everything `write` was given, each entity made by `entity` from where its data
/// and forms stand (built when first read: `data_at`, `forms_at`). The tables and
/// the near-miss keys are used in place.
pub fn read<E>(
    bytes: &'static [u8],
    text: &'static str,
    mut entity: impl FnMut(Record) -> E,
) -> Image<E> {
    let mut r = Reader::new(bytes, text);
    let knowledge_date = r.opt_string();
    let n = r.len();
    let mut entities = Vec::with_capacity(n);
    let at = |r: &Reader| u32::try_from(r.pos).expect("knowledge base fits in u32");
    for _ in 0..n {
        let data = at(&r);
        let (kind, flags) = r.skip_entity();
        let forms = at(&r);
        r.skip_forms();
        entities.push(entity(Record {
            kind,
            common_word: flags & 1 != 0,
            well_known: flags & 2 != 0,
            data,
            forms,
        }));
    }
    let index = Refs {
        table: r.table(),
        refs: r.refs(),
    };
    let translit = Refs {
        table: r.table(),
        refs: r.refs(),
    };
    let demonyms = r.table();
    let prefixes = r.table();
    let near_table = r.table();
    let n = r.len();
    let entries = (0..n)
        .map(|_| NearEntry {
            text_start: r.u32(),
            text_len: r.u32(),
            start: r.u32(),
            len: r.u32(),
        })
        .collect();
    let near = Near {
        table: near_table,
        entries,
        text: Cow::Borrowed(text),
        refs: r.refs(),
    };
    let max_words = r.len();
    assert_eq!(r.pos, bytes.len(), "the knowledge base image is read whole");
    Image {
        knowledge_date,
        entities,
        indexes: Indexes {
            index,
            translit,
            demonyms,
            prefixes,
            near,
            max_words,
        },
    }
}
