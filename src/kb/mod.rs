//! The knowledge base: entities, their names, aliases and spelling variants, and the
//! indexes that find them in a text in one pass over its words.
//!
//! The built-in knowledge base is compiled with the binary: build.rs validates
//! data/kb/*.toml, works out every entity's forms and every index with the same code
//! as [`KnowledgeBase::build`] (src/kb/index.rs), and writes them as a compact image
//! (src/kb/image.rs) that [`KnowledgeBase::embedded`] reads in place: the tables as they
//! are, each entity's data and forms when first asked for. A newsroom's
//! house style and entity files are indexed at run time by [`KnowledgeBase::build`].

pub mod data;
mod image;
mod index;

use std::sync::{Arc, OnceLock};

pub use data::{EntityData, KbFile, RoleData};
pub use index::{Form, FormKind, FormRef, deletions, form_words};

use crate::report::EntityKind;
use index::{Indexes, seq_hash};

/// An entity: its data and its forms. The built-in knowledge base's are read out of
/// the image when first asked for: a story meets a few dozen of its 5,337 entities,
/// and building them all at start-up wrote 5.7 MB of fresh memory, most of the
/// load's 6 ms and work the first document waited for (round 14 in BENCHMARKS.md).
#[derive(Clone, Debug)]
pub struct Entity {
    pub kind: EntityKind,
    /// `EntityData::common_word` and `well_known`, which recognition asks of every
    /// entity a name in the story may be: kept here, so that it reads no more.
    pub common_word: bool,
    pub well_known: bool,
    data: OnceLock<Box<EntityData>>,
    forms: OnceLock<Vec<Form>>,
    /// Where the embedded image holds its data and forms, if it is built-in.
    image: Option<(u32, u32)>,
}

impl Entity {
    fn new(data: EntityData, forms: Vec<Form>) -> Entity {
        Entity {
            kind: entity_kind(&data.kind),
            common_word: data.common_word,
            well_known: data.well_known,
            data: OnceLock::from(Box::new(data)),
            forms: OnceLock::from(forms),
            image: None,
        }
    }

    pub fn data(&self) -> &EntityData {
        self.data.get_or_init(|| {
            let (at, _) = self.image.expect("an entity has its data or where it is");
            Box::new(image::data_at(EMBEDDED_WORDS, EMBEDDED_TEXT, at))
        })
    }

    pub fn forms(&self) -> &[Form] {
        self.forms.get_or_init(|| {
            let (_, at) = self
                .image
                .expect("an entity has its forms or where they are");
            image::forms_at(EMBEDDED_WORDS, EMBEDDED_TEXT, at)
        })
    }

    pub fn is_person(&self) -> bool {
        self.kind == EntityKind::Person
    }

    /// The role held on `date` (YYYY-MM-DD), if the data says.
    pub fn role_on(&self, date: &str) -> Option<&RoleData> {
        self.data().roles.iter().find(|r| {
            let starts = r.start.as_deref().is_none_or(|s| s <= date);
            let ends = r.end.as_deref().is_none_or(|e| date < e);
            starts && ends
        })
    }
}

/// House-style changes a newsroom makes over the built-in data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HouseStyle {
    /// Forms this newsroom prefers: each becomes its entity's name (a form that was
    /// a variant stops being one; the old name becomes a variant of it).
    pub prefer: Vec<String>,
    /// Names never to flag or recognize.
    pub ignore: Vec<String>,
}

pub struct KnowledgeBase {
    pub knowledge_date: Option<String>,
    pub entities: Vec<Entity>,
    /// Word-sequence hashes, transliteration keys, demonyms, prefixes, near misses.
    indexes: Indexes,
    /// Every key of the word-sequence, transliteration, prefix and demonym tables,
    /// in a filter small enough to stay in the cache (`may_be_key`).
    keys: KeyFilter,
    pub max_words: usize,
    pub ignore: Vec<String>,
    /// Different for every knowledge base built in this process: what an analysis
    /// keeps for the next (`analyze::Memo`) holds only for the one it was made with.
    generation: u64,
}

/// A set of hashes that may say a hash is in it when it is not, never that it is
/// not when it is: one bit per hash, 128 KB, which the look-ups of a long story keep
/// in the cache. About one in sixty hashes not in it is taken for one that is, with
/// the 24,500 keys of the built-in knowledge base (`KnowledgeBase::may_be_key`).
#[derive(Clone)]
struct KeyFilter(Box<[u64]>);

impl KeyFilter {
    const BITS: u32 = 20;

    /// The keys of `indexes`' word-sequence, transliteration, prefix and demonym
    /// tables.
    fn of(indexes: &Indexes) -> KeyFilter {
        let mut bits = vec![0u64; 1 << (Self::BITS - 6)].into_boxed_slice();
        let tables = [
            &indexes.index.table,
            &indexes.translit.table,
            &indexes.prefixes,
            &indexes.demonyms,
        ];
        for slot in tables.into_iter().flat_map(|t| t.entries()) {
            let b = Self::bit(slot.key);
            bits[b >> 6] |= 1 << (b & 63);
        }
        KeyFilter(bits)
    }

    /// The bit of `key` (its top bits mixed again: the tables find a key's slot by
    /// its low bits).
    #[inline]
    fn bit(key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - Self::BITS)) as usize
    }

    #[inline]
    fn may_hold(&self, key: u64) -> bool {
        let b = Self::bit(key);
        self.0[b >> 6] & (1 << (b & 63)) != 0
    }
}

/// The next `KnowledgeBase::generation`.
fn next_generation() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl std::fmt::Debug for KnowledgeBase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KnowledgeBase({} entities)", self.entities.len())
    }
}

/// The compiled built-in knowledge base (src/kb/image.rs), written by build.rs.
static EMBEDDED_WORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/kb.bin"));
static EMBEDDED_TEXT: &str = include_str!(concat!(env!("OUT_DIR"), "/kb.txt"));

fn entity_kind(kind: &str) -> EntityKind {
    match kind {
        "person" => EntityKind::Person,
        "place" => EntityKind::Place,
        "organization" => EntityKind::Organization,
        _ => EntityKind::Other,
    }
}

impl KnowledgeBase {
    /// The built-in knowledge base, loaded once: read from the image build.rs
    /// compiled (each entity's data and forms when first asked for), the same as
    /// `build(embedded_data(), &HouseStyle::default())`.
    pub fn embedded() -> Arc<KnowledgeBase> {
        static KB: OnceLock<Arc<KnowledgeBase>> = OnceLock::new();
        KB.get_or_init(|| Arc::new(Self::load_embedded())).clone()
    }

    fn load_embedded() -> KnowledgeBase {
        let image = image::read(EMBEDDED_WORDS, EMBEDDED_TEXT, |r| Entity {
            kind: entity_kind(r.kind),
            common_word: r.common_word,
            well_known: r.well_known,
            data: OnceLock::new(),
            forms: OnceLock::new(),
            image: Some((r.data, r.forms)),
        });
        KnowledgeBase {
            knowledge_date: image.knowledge_date,
            entities: image.entities,
            max_words: image.indexes.max_words,
            keys: KeyFilter::of(&image.indexes),
            indexes: image.indexes,
            ignore: Vec::new(),
            generation: next_generation(),
        }
    }

    /// The built-in entity data, as data/kb/*.toml gives it.
    pub fn embedded_data() -> KbFile {
        image::read_data(EMBEDDED_WORDS, EMBEDDED_TEXT)
    }

    pub fn empty() -> KnowledgeBase {
        KnowledgeBase::build(KbFile::default(), &HouseStyle::default())
    }

    pub fn build(file: KbFile, style: &HouseStyle) -> KnowledgeBase {
        let prefer: Vec<String> = style.prefer.iter().map(|p| p.trim().to_string()).collect();
        let entities: Vec<Entity> = file
            .entity
            .into_iter()
            .map(|mut d| {
                apply_preference(&mut d, &prefer);
                let forms = index::forms(&d);
                Entity::new(d, forms)
            })
            .collect();
        let indexes = Indexes::build(
            entities.iter().map(|e| (e.data(), e.forms())),
            &style.ignore,
        );
        KnowledgeBase {
            knowledge_date: file.knowledge_date,
            entities,
            max_words: indexes.max_words,
            keys: KeyFilter::of(&indexes),
            indexes,
            ignore: style.ignore.clone(),
            generation: next_generation(),
        }
    }

    /// This knowledge base among those built in this process.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether `seq` may be a key of `is_prefix`, `lookup`, `lookup_translit` or
    /// `demonym`: false only when it is none (a filter of their keys, which each of
    /// them asks first: most words of a story are no key, the tables are megabytes,
    /// and a look-up there waits on memory).
    #[inline]
    pub fn may_be_key(&self, seq: u64) -> bool {
        self.keys.may_hold(seq)
    }

    /// Whether some form continues this word sequence (full or transliteration key).
    pub fn is_prefix(&self, seq: u64) -> bool {
        self.keys.may_hold(seq) && self.indexes.prefixes.get(seq).is_some()
    }

    pub fn lookup(&self, seq: u64) -> &[FormRef] {
        if !self.keys.may_hold(seq) {
            return &[];
        }
        self.indexes.index.get(seq)
    }

    pub fn lookup_translit(&self, seq: u64) -> &[FormRef] {
        if !self.keys.may_hold(seq) {
            return &[];
        }
        self.indexes.translit.get(seq)
    }

    pub fn demonym(&self, folded_hash: u64) -> Option<u32> {
        if !self.keys.may_hold(folded_hash) {
            return None;
        }
        self.indexes.demonyms.get(folded_hash).map(|s| s.start)
    }

    /// Well-known single-word forms within one edit of `folded` (not equal to it).
    pub fn near_misses(&self, folded: &str) -> Vec<FormRef> {
        let mut out: Vec<FormRef> = Vec::new();
        let mut probe = |k: &str| {
            for r in self.indexes.near.get(k) {
                if !out.contains(r) {
                    out.push(*r);
                }
            }
        };
        probe(folded);
        // each one-character deletion, built in one reused buffer (`deletions`)
        let mut d = String::with_capacity(folded.len());
        for (i, c) in folded.char_indices() {
            d.clear();
            d.push_str(&folded[..i]);
            d.push_str(&folded[i + c.len_utf8()..]);
            probe(&d);
        }
        out.retain(|r| {
            let f = &self.form(*r).text;
            let ff = form_words(f).pop().unwrap_or_default();
            ff != folded && strsim::damerau_levenshtein(&ff, folded) == 1
        });
        out
    }

    pub fn form(&self, r: FormRef) -> &Form {
        &self.entities[r.entity as usize].forms()[r.form as usize]
    }

    pub fn entity(&self, i: u32) -> &Entity {
        &self.entities[i as usize]
    }

    /// Hash of a sequence of folded words, as the index keys it.
    pub fn key<S: AsRef<str>>(words: &[S]) -> u64 {
        seq_hash(words)
    }
}

/// Make a preferred form the entity's name, demoting the old name to a variant.
fn apply_preference(d: &mut EntityData, prefer: &[String]) {
    for p in prefer {
        if d.name == *p {
            continue;
        }
        let is_variant = d.variants.contains_key(p);
        let old_target = d.variants.get(p).cloned();
        if !is_variant && !d.aliases.contains(p) {
            continue;
        }
        d.variants.remove(p);
        // the form it replaced becomes the variant, pointing at the preferred form
        let replaced = old_target.unwrap_or_else(|| d.name.clone());
        for to in d.variants.values_mut() {
            if *to == replaced {
                *to = p.clone();
            }
        }
        d.variants.insert(replaced.clone(), p.clone());
        if replaced == d.name {
            d.name = p.clone();
        } else {
            d.aliases.retain(|a| a != &replaced);
            if !d.aliases.contains(p) {
                d.aliases.push(p.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_loads_and_preference_flips() {
        let kb = KnowledgeBase::embedded();
        assert!(kb.entities.len() > 100);
        let mut d = EntityData {
            kind: "person".into(),
            name: "Volodymyr Zelenskyy".into(),
            aliases: vec!["Zelenskyy".into()],
            ..Default::default()
        };
        d.variants.insert("Zelensky".into(), "Zelenskyy".into());
        d.variants
            .insert("Volodymyr Zelensky".into(), "Volodymyr Zelenskyy".into());
        apply_preference(
            &mut d,
            &["Zelensky".to_string(), "Volodymyr Zelensky".to_string()],
        );
        assert_eq!(d.name, "Volodymyr Zelensky");
        assert_eq!(
            d.variants.get("Zelenskyy").map(String::as_str),
            Some("Zelensky")
        );
        assert_eq!(
            d.variants.get("Volodymyr Zelenskyy").map(String::as_str),
            Some("Volodymyr Zelensky")
        );
        assert!(d.aliases.contains(&"Zelensky".to_string()));
    }
}

/// The embedded knowledge base against one built at run time, and the indexes
/// against the first implementation (kept here as the reference).
#[cfg(test)]
mod equivalence {
    use std::collections::HashMap;

    use super::*;
    use crate::text::fold::{PreHashedMap, fold, folded, hash, translit_key};
    use crate::text::words::{TokenKind, tokenize};

    /// The indexes as `KnowledgeBase::build` made them before build.rs compiled them:
    /// hash maps filled form by form.
    #[derive(Default)]
    struct Reference {
        index: PreHashedMap<Vec<FormRef>>,
        translit: PreHashedMap<Vec<FormRef>>,
        demonyms: PreHashedMap<u32>,
        prefixes: PreHashedMap<()>,
        near: HashMap<String, Vec<FormRef>>,
        max_words: usize,
        forms: Vec<Vec<Form>>,
    }

    fn reference_words(text: &str, comma: bool) -> Vec<String> {
        let mut buf = String::new();
        tokenize(text)
            .into_iter()
            .filter(|t| t.kind != TokenKind::Punct || (comma && &text[t.span()] == ","))
            .map(|t| {
                fold(&text[t.span()], &mut buf);
                buf.clone()
            })
            .collect()
    }

    fn reference_deletions(word: &str) -> Vec<String> {
        let chars: Vec<char> = word.chars().collect();
        (0..chars.len())
            .map(|i| {
                let mut c = chars.clone();
                c.remove(i);
                c.into_iter().collect()
            })
            .collect()
    }

    fn reference(file: &KbFile, style: &HouseStyle) -> Reference {
        let prefer: Vec<String> = style.prefer.iter().map(|p| p.trim().to_string()).collect();
        let ignore: Vec<String> = style.ignore.iter().map(|s| folded(s)).collect();
        let mut r = Reference {
            max_words: 1,
            ..Default::default()
        };
        for (ei, d) in file.entity.iter().enumerate() {
            let mut e = d.clone();
            apply_preference(&mut e, &prefer);
            // the forms themselves are not under test here: the tables built from them are
            let forms = index::forms(&e);
            for (fi, f) in forms.iter().enumerate() {
                let words = reference_words(&f.text, true);
                if words.is_empty()
                    || (!ignore.is_empty()
                        && ignore.contains(&reference_words(&f.text, false).join(" ")))
                {
                    continue;
                }
                r.max_words = r.max_words.max(words.len());
                let fr = FormRef {
                    entity: ei as u32,
                    form: fi as u32,
                };
                r.index
                    .entry(KnowledgeBase::key(&words))
                    .or_default()
                    .push(fr);
                for n in 1..words.len() {
                    r.prefixes.insert(KnowledgeBase::key(&words[..n]), ());
                    let keys: Vec<String> = words[..n].iter().map(|w| translit_key(w)).collect();
                    r.prefixes.insert(KnowledgeBase::key(&keys), ());
                }
                let long = words.iter().map(|w| w.chars().count()).sum::<usize>() >= 5;
                if long && !e.common_word && !f.acronym {
                    let keys: Vec<String> = words.iter().map(|w| translit_key(w)).collect();
                    r.translit
                        .entry(KnowledgeBase::key(&keys))
                        .or_default()
                        .push(fr);
                }
                let words: Vec<String> = words.into_iter().filter(|w| w != ",").collect();
                let last = words.last().cloned().unwrap_or_default();
                let surname = words.len() > 1
                    && e.kind == "person"
                    && f.kind == FormKind::Name
                    && !f.text.contains(',');
                if e.well_known
                    && f.kind != FormKind::Variant
                    && (words.len() == 1 || surname)
                    && last.chars().count() >= 5
                    && !f.acronym
                {
                    for d in reference_deletions(&last)
                        .into_iter()
                        .chain(std::iter::once(last.clone()))
                    {
                        r.near.entry(d).or_default().push(fr);
                    }
                }
            }
            for d in &e.demonyms {
                r.demonyms.insert(hash(&folded(d)), ei as u32);
            }
            r.forms.push(forms);
        }
        for v in r.near.values_mut() {
            v.dedup();
        }
        r
    }

    /// `kb` answers every look-up as the reference does, and holds nothing more.
    fn assert_matches_reference(kb: &KnowledgeBase, r: &Reference) {
        assert_eq!(kb.max_words, r.max_words);
        assert_eq!(kb.entities.len(), r.forms.len());
        for (e, forms) in kb.entities.iter().zip(&r.forms) {
            assert_eq!(&e.forms(), forms, "{}", e.data().name);
        }
        let ix = &kb.indexes;
        for (k, v) in &r.index {
            assert_eq!(kb.lookup(*k), v.as_slice());
            assert!(kb.may_be_key(*k));
        }
        assert_eq!(ix.index.table.entries().count(), r.index.len());
        assert_eq!(
            ix.index.refs.len(),
            r.index.values().map(Vec::len).sum::<usize>()
        );
        for (k, v) in &r.translit {
            assert_eq!(kb.lookup_translit(*k), v.as_slice());
            assert!(kb.may_be_key(*k));
        }
        assert_eq!(ix.translit.table.entries().count(), r.translit.len());
        assert_eq!(
            ix.translit.refs.len(),
            r.translit.values().map(Vec::len).sum::<usize>()
        );
        for k in r.prefixes.keys() {
            assert!(kb.is_prefix(*k));
            assert!(kb.may_be_key(*k));
        }
        // (and the filter lets few other keys through)
        let mut other = 0x5eed_u64;
        let through = (0..10_000)
            .filter(|_| {
                other = other
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                kb.may_be_key(other)
            })
            .count();
        let held = r.index.len() + r.translit.len() + r.prefixes.len() + r.demonyms.len();
        assert!(through <= 10_000 * held / (1 << 20) * 2 + 100, "{through}");
        assert_eq!(ix.prefixes.entries().count(), r.prefixes.len());
        for (k, v) in &r.demonyms {
            assert_eq!(kb.demonym(*k), Some(*v));
            assert!(kb.may_be_key(*k));
        }
        assert_eq!(ix.demonyms.entries().count(), r.demonyms.len());
        for (k, v) in &r.near {
            assert_eq!(ix.near.get(k), v.as_slice(), "{k}");
        }
        assert_eq!(ix.near.entries.len(), r.near.len());
        assert_eq!(
            ix.near.refs.len(),
            r.near.values().map(Vec::len).sum::<usize>()
        );
        // keys no form has: nothing found
        for e in kb.entities.iter().take(500) {
            let mut words = form_words(&e.data().name);
            words.push("zzq".into());
            let k = KnowledgeBase::key(&words);
            assert!(kb.lookup(k).is_empty() && kb.lookup_translit(k).is_empty());
            assert!(!kb.is_prefix(k) && kb.demonym(k).is_none());
            assert!(ix.near.get(&words.join(" ")).is_empty());
        }
    }

    /// Probes for near misses: every neighbourhood key, and the key with a letter
    /// changed, added and swapped.
    fn near_probes(kb: &KnowledgeBase) -> Vec<String> {
        let mut probes = Vec::new();
        for e in &kb.indexes.near.entries {
            let k = kb.indexes.near.key(e).to_string();
            let chars: Vec<char> = k.chars().collect();
            probes.push(format!("{k}e"));
            if chars.len() > 2 {
                let mut swapped = chars.clone();
                swapped.swap(1, 2);
                probes.push(swapped.into_iter().collect());
                let mut changed = chars.clone();
                changed[1] = if changed[1] == 'a' { 'o' } else { 'a' };
                probes.push(changed.into_iter().collect());
            }
            probes.push(k);
        }
        probes
    }

    #[test]
    fn embedded_agrees_with_a_run_time_build() {
        let fast = KnowledgeBase::embedded();
        let slow = KnowledgeBase::build(KnowledgeBase::embedded_data(), &HouseStyle::default());
        assert_eq!(fast.knowledge_date, slow.knowledge_date);
        assert_eq!(fast.max_words, slow.max_words);
        assert_eq!(fast.ignore, slow.ignore);
        assert_eq!(fast.entities.len(), slow.entities.len());
        for (a, b) in fast.entities.iter().zip(&slow.entities) {
            // (read out of the image here, on first asking)
            assert_eq!(a.data(), b.data());
            assert_eq!(a.kind, b.kind);
            assert_eq!(
                (a.common_word, a.well_known),
                (a.data().common_word, a.data().well_known)
            );
            assert_eq!((a.common_word, a.well_known), (b.common_word, b.well_known));
            assert_eq!(a.forms(), b.forms(), "{}", a.data().name);
        }
        // the tables are the ones build.rs laid out, slot for slot
        assert_eq!(fast.indexes.index, slow.indexes.index);
        assert_eq!(fast.indexes.translit, slow.indexes.translit);
        assert_eq!(fast.indexes.demonyms, slow.indexes.demonyms);
        assert_eq!(fast.indexes.prefixes, slow.indexes.prefixes);
        assert_eq!(fast.indexes.near.table, slow.indexes.near.table);
        assert_eq!(fast.indexes.near.refs, slow.indexes.near.refs);
        // and every look-up agrees with the reference
        let reference = reference(&KnowledgeBase::embedded_data(), &HouseStyle::default());
        assert_matches_reference(&fast, &reference);
        assert_matches_reference(&slow, &reference);
        let probes = near_probes(&fast);
        assert!(probes.len() > 1000);
        let mut found = 0;
        for p in &probes {
            let near = fast.near_misses(p);
            assert_eq!(near, slow.near_misses(p), "{p}");
            found += usize::from(!near.is_empty());
        }
        assert!(found > 500, "{found}");
    }

    #[test]
    fn house_style_builds_agree_with_the_reference() {
        let style = HouseStyle {
            prefer: vec![
                "Zelensky".into(),
                "Kiev".into(),
                " Volodymyr Zelensky ".into(),
            ],
            ignore: vec!["Stoltenberg".into(), "NATO".into(), "kyiv".into()],
        };
        let mut file = KnowledgeBase::embedded_data();
        file.entity.push(EntityData {
            kind: "place".into(),
            name: "Odessa, Texas".into(),
            aliases: vec!["Odessa TX".into()],
            well_known: true,
            ..Default::default()
        });
        let kb = KnowledgeBase::build(file.clone(), &style);
        assert_matches_reference(&kb, &reference(&file, &style));
        assert_eq!(kb.ignore, style.ignore);
        let empty = KnowledgeBase::empty();
        assert_matches_reference(
            &empty,
            &reference(&KbFile::default(), &HouseStyle::default()),
        );
        assert!(empty.lookup(KnowledgeBase::key(&["kyiv"])).is_empty());
        assert!(empty.near_misses("kyiv").is_empty());
    }

    /// What build.rs embedded is data/kb/*.toml, read again here.
    #[test]
    fn embedded_data_is_the_toml_files() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/kb");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        let mut want = KbFile::default();
        for f in files {
            let file: KbFile = toml::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
            want.knowledge_date = want.knowledge_date.max(file.knowledge_date);
            want.entity.extend(file.entity);
        }
        assert_eq!(KnowledgeBase::embedded_data(), want);
        assert_eq!(KnowledgeBase::embedded().entities.len(), want.entity.len());
    }
}
