//! The knowledge base: entities, their names, aliases and spelling variants, and the
//! indexes that find them in a text in one pass over its words.

pub mod data;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

pub use data::{EntityData, KbFile, RoleData};

use crate::report::EntityKind;
use crate::text::fold::{PreHashedMap, chain, fold, hash, translit_key};
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

#[derive(Clone, Debug)]
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

#[derive(Clone, Debug)]
pub struct Entity {
    pub data: EntityData,
    pub kind: EntityKind,
    pub forms: Vec<Form>,
}

impl Entity {
    pub fn is_person(&self) -> bool {
        self.kind == EntityKind::Person
    }

    /// The role held on `date` (YYYY-MM-DD), if the data says.
    pub fn role_on(&self, date: &str) -> Option<&RoleData> {
        self.data.roles.iter().find(|r| {
            let starts = r.start.as_deref().is_none_or(|s| s <= date);
            let ends = r.end.as_deref().is_none_or(|e| date < e);
            starts && ends
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormRef {
    pub entity: u32,
    pub form: u32,
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
    /// Folded word-sequence hash → forms.
    index: PreHashedMap<Vec<FormRef>>,
    /// Transliteration-key hash → forms (long, uncommon forms only).
    translit: PreHashedMap<Vec<FormRef>>,
    /// Demonyms (folded) → entity.
    demonyms: PreHashedMap<u32>,
    /// Hashes of proper prefixes of multi-word forms (and of their transliteration keys):
    /// recognition stops extending a word sequence as soon as no form continues it.
    prefixes: PreHashedMap<()>,
    /// One-deletion neighbourhoods of well-known single-word forms, for near misses.
    near: HashMap<String, Vec<FormRef>>,
    pub max_words: usize,
    pub ignore: Vec<String>,
}

impl std::fmt::Debug for KnowledgeBase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KnowledgeBase({} entities)", self.entities.len())
    }
}

static EMBEDDED_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/kb.json"));

/// Folded words of a form as the index keys them: its words, and a comma between
/// words (a qualified place name: "Odessa, Texas").
fn index_words(text: &str) -> Vec<String> {
    let mut buf = String::new();
    tokenize(text)
        .into_iter()
        .filter(|t| t.kind != TokenKind::Punct || &text[t.span.clone()] == ",")
        .map(|t| {
            fold(&text[t.span], &mut buf);
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
            fold(&text[t.span], &mut buf);
            buf.clone()
        })
        .collect()
}

fn seq_hash<S: AsRef<str>>(words: &[S]) -> u64 {
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

impl KnowledgeBase {
    /// The built-in knowledge base, loaded once.
    pub fn embedded() -> Arc<KnowledgeBase> {
        static KB: OnceLock<Arc<KnowledgeBase>> = OnceLock::new();
        KB.get_or_init(|| {
            Arc::new(KnowledgeBase::build(
                Self::embedded_data(),
                &HouseStyle::default(),
            ))
        })
        .clone()
    }

    pub fn embedded_data() -> KbFile {
        serde_json::from_str(EMBEDDED_JSON).expect("build.rs wrote valid JSON")
    }

    pub fn empty() -> KnowledgeBase {
        KnowledgeBase::build(KbFile::default(), &HouseStyle::default())
    }

    pub fn build(file: KbFile, style: &HouseStyle) -> KnowledgeBase {
        let mut entities: Vec<Entity> = Vec::with_capacity(file.entity.len());
        let prefer: Vec<String> = style.prefer.iter().map(|p| p.trim().to_string()).collect();
        for mut d in file.entity {
            apply_preference(&mut d, &prefer);
            let kind = match d.kind.as_str() {
                "person" => EntityKind::Person,
                "place" => EntityKind::Place,
                "organization" => EntityKind::Organization,
                _ => EntityKind::Other,
            };
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
            if kind == EntityKind::Place {
                if let Some((head, _)) = d.name.split_once(", ") {
                    push(head, FormKind::Alias, None, true);
                }
            }
            entities.push(Entity {
                data: d,
                kind,
                forms,
            });
        }
        let mut kb = KnowledgeBase {
            knowledge_date: file.knowledge_date,
            entities,
            index: PreHashedMap::default(),
            translit: PreHashedMap::default(),
            demonyms: PreHashedMap::default(),
            prefixes: PreHashedMap::default(),
            near: HashMap::new(),
            max_words: 1,
            ignore: style.ignore.clone(),
        };
        kb.index_all();
        kb
    }

    fn index_all(&mut self) {
        let ignore: Vec<String> = self
            .ignore
            .iter()
            .map(|s| crate::text::fold::folded(s))
            .collect();
        for (ei, e) in self.entities.iter().enumerate() {
            for (fi, f) in e.forms.iter().enumerate() {
                let words = index_words(&f.text);
                if words.is_empty()
                    || (!ignore.is_empty() && ignore.contains(&form_words(&f.text).join(" ")))
                {
                    continue;
                }
                self.max_words = self.max_words.max(words.len());
                let r = FormRef {
                    entity: ei as u32,
                    form: fi as u32,
                };
                self.index.entry(seq_hash(&words)).or_default().push(r);
                for n in 1..words.len() {
                    self.prefixes.insert(seq_hash(&words[..n]), ());
                    let keys: Vec<String> = words[..n].iter().map(|w| translit_key(w)).collect();
                    self.prefixes.insert(seq_hash(&keys), ());
                }
                let long = words.iter().map(|w| w.chars().count()).sum::<usize>() >= 5;
                if long && !e.data.common_word && !f.acronym {
                    let keys: Vec<String> = words.iter().map(|w| translit_key(w)).collect();
                    self.translit.entry(seq_hash(&keys)).or_default().push(r);
                }
                // single-word forms, and the surname of a person's full name
                // (Subiyanto for Prabowo Subianto)
                let words: Vec<String> = words.into_iter().filter(|w| w != ",").collect();
                let last = words.last().cloned().unwrap_or_default();
                let surname = words.len() > 1
                    && e.kind == EntityKind::Person
                    && f.kind == FormKind::Name
                    && !f.text.contains(',');
                // near misses are of correct forms only (a variant is itself a miss)
                if e.data.well_known
                    && f.kind != FormKind::Variant
                    && (words.len() == 1 || surname)
                    && last.chars().count() >= 5
                    && !f.acronym
                {
                    for d in deletions(&last)
                        .into_iter()
                        .chain(std::iter::once(last.clone()))
                    {
                        self.near.entry(d).or_default().push(r);
                    }
                }
            }
            for d in &e.data.demonyms {
                self.demonyms
                    .insert(hash(&crate::text::fold::folded(d)), ei as u32);
            }
        }
        for v in self.near.values_mut() {
            v.dedup();
        }
    }

    /// Whether some form continues this word sequence (full or transliteration key).
    pub fn is_prefix(&self, seq: u64) -> bool {
        self.prefixes.contains_key(&seq)
    }

    pub fn lookup(&self, seq: u64) -> &[FormRef] {
        self.index.get(&seq).map_or(&[], |v| v.as_slice())
    }

    pub fn lookup_translit(&self, seq: u64) -> &[FormRef] {
        self.translit.get(&seq).map_or(&[], |v| v.as_slice())
    }

    pub fn demonym(&self, folded_hash: u64) -> Option<u32> {
        self.demonyms.get(&folded_hash).copied()
    }

    /// Well-known single-word forms within one edit of `folded` (not equal to it).
    pub fn near_misses(&self, folded: &str) -> Vec<FormRef> {
        let mut out: Vec<FormRef> = Vec::new();
        let mut probe = |k: &str| {
            if let Some(v) = self.near.get(k) {
                for r in v {
                    if !out.contains(r) {
                        out.push(*r);
                    }
                }
            }
        };
        probe(folded);
        for d in deletions(folded) {
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
        &self.entities[r.entity as usize].forms[r.form as usize]
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
