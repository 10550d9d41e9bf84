//! Entity recognition: known entities by every name, alias and variant (case,
//! diacritics and transliteration folded), surnames after a first full mention,
//! possessives and all-caps datelines; unknown names from capitalised sequences
//! with cues (titles, speech verbs, organisation and place words).

use std::sync::Arc;

use crate::kb::{FormKind, KnowledgeBase};
use crate::lexicon::{self, FUNCTION_WORDS, MONTHS, ORG_HEADS, PLACE_HEADS, TITLES, WEEKDAYS};
use crate::lexicon::{WordMap, WordSet};
use crate::report::{EntityKind, Span};
use crate::text::fold::{FoldedWords, Words, chain, fold, hash, translit_key, translit_key_into};
use crate::text::{Document, Token, TokenKeys, TokenKind};

/// Why a mention is not in the preferred spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VariantReason {
    /// The knowledge base lists it as a variant.
    Known,
    /// Only the letter case differs (kyiv / Kyiv).
    Case,
    /// Only diacritics differ (Erdoğan / Erdogan).
    Diacritics,
    /// A transliteration of the same name (Oleschuk / Oleshchuk).
    Transliteration,
    /// One letter away from a well-known name (Stoltenburg).
    NearMiss,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpellingVariant {
    /// The span of the words spelled differently.
    pub span: Span,
    pub replacement: String,
    pub reason: VariantReason,
}

#[derive(Clone, Debug)]
pub struct DocMention {
    pub span: Span,
    pub entity: usize,
    /// The mention names the entity in full (not a surname or acronym alone).
    pub full: bool,
    pub variant: Option<SpellingVariant>,
}

#[derive(Clone, Debug)]
pub struct DocEntity {
    pub kb: Option<u32>,
    /// (name and description shared with the report, `report::EntityInfo`)
    pub name: Arc<str>,
    pub kind: EntityKind,
    pub gender: Option<char>,
    /// Lowercased title words seen right before the name ("foreign", "minister").
    pub titles: Vec<String>,
    /// The knowledge base's one-line description, when known.
    pub description: Arc<str>,
    pub mentions: Vec<usize>,
}

#[derive(Clone, Debug, Default)]
pub struct Recognized {
    pub entities: Vec<DocEntity>,
    /// Sorted by position.
    pub mentions: Vec<DocMention>,
    /// The people's folded names, looked up by their ends (`person_by_surname`,
    /// `person_by_last_word`). Built on first use, so that looking a name up does
    /// not scan every entity.
    people: std::sync::OnceLock<PersonNames>,
}

/// The people of a story by the ends of their folded names, for
/// `Recognized::person_by_surname` and `person_by_last_word`.
#[derive(Clone, Debug, Default)]
struct PersonNames {
    /// Every person's folded name, one after another.
    folded: String,
    /// Each person (entity index) with their folded name in `folded`, in entity order.
    names: Vec<(usize, Span)>,
    /// By `fold::hash` of a name's end after a space or hyphen: the first person.
    surnames: crate::text::fold::PreHashedMap<usize>,
    /// By `fold::hash` of a name's last word: the first person.
    last_words: crate::text::fold::PreHashedMap<usize>,
}

impl PersonNames {
    /// The first person whose folded name `fits` `w`, through `index` (by the hash
    /// of `w`): no person when the hash is not there; when the person there does
    /// not fit (another word with the same hash), every person in turn.
    fn first(
        &self,
        index: &crate::text::fold::PreHashedMap<usize>,
        w: &str,
        fits: impl Fn(&str) -> bool,
    ) -> Option<usize> {
        let e = *index.get(&crate::text::fold::hash(w))?;
        let name_of = |span: &Span| &self.folded[span.clone()];
        // `names` is in entity order
        let found = self.names.binary_search_by_key(&e, |(i, _)| *i).ok();
        if found.is_some_and(|k| fits(name_of(&self.names[k].1))) {
            return Some(e);
        }
        self.names
            .iter()
            .find(|(_, span)| fits(name_of(span)))
            .map(|(i, _)| *i)
    }
}

impl Recognized {
    /// The first person whose name ends in the folded word `w` after a space or a
    /// hyphen.
    pub fn person_by_surname(&self, w: &str) -> Option<usize> {
        if w.len() < 3 {
            return None;
        }
        let people = self.people();
        people.first(&people.surnames, w, |name| {
            name.char_indices()
                .any(|(j, c)| (c == ' ' || c == '-') && name[j + 1..] == *w)
        })
    }

    /// The first person the last word of whose folded name (after its last space
    /// or hyphen; the whole name when it has neither) is the folded word `w`.
    pub fn person_by_last_word(&self, w: &str) -> Option<usize> {
        let people = self.people();
        people.first(&people.last_words, w, |name| {
            name.rsplit([' ', '-']).next() == Some(w)
        })
    }

    fn people(&self) -> &PersonNames {
        self.people.get_or_init(|| {
            let mut p = PersonNames::default();
            for (i, e) in self.entities.iter().enumerate() {
                if e.kind != EntityKind::Person {
                    continue;
                }
                let start = p.folded.len();
                crate::text::fold::fold_append(&e.name, &mut p.folded);
                let name = &p.folded[start..];
                for (j, c) in name.char_indices() {
                    if c == ' ' || c == '-' {
                        let h = crate::text::fold::hash(&name[j + 1..]);
                        p.surnames.entry(h).or_insert(i);
                    }
                }
                let last = name.rsplit([' ', '-']).next().unwrap_or_default();
                let h = crate::text::fold::hash(last);
                p.last_words.entry(h).or_insert(i);
                p.names.push((i, start..p.folded.len()));
            }
            p
        })
    }

    pub fn mention_at(&self, offset: usize) -> Option<&DocMention> {
        let i = self.mentions.partition_point(|m| m.span.end < offset);
        self.mentions.get(i).filter(|m| m.span.start <= offset)
    }
}

/// Speech verbs that mark the name next to them as a person (full list in attribution).
fn is_speech_word(folded: &str) -> bool {
    crate::attribution::is_cue_word(folded)
}

/// A speech verb in its plain present form ("say", "reject"): one whose -s form is
/// also a cue. After a name it agrees with a plural subject.
fn is_plural_verb(folded: &str) -> bool {
    if folded.ends_with('s') || folded.ends_with("ed") {
        return false;
    }
    let mut w = String::with_capacity(folded.len() + 2);
    w.push_str(folded);
    w.push('s');
    if is_speech_word(&w) {
        return true;
    }
    w.pop();
    w.push_str("es");
    is_speech_word(&w)
}

struct Builder<'k> {
    kb: &'k KnowledgeBase,
    entities: Vec<DocEntity>,
    by_kb: WordMap<u32, usize>,
    by_name: WordMap<String, usize>,
    /// Surname transliteration key → people (and unclassified full names) with it.
    by_surname: WordMap<String, Vec<(usize, Box<str>)>>,
    /// Folded words already reported as near misses (Guterrez): the same word again
    /// needs no cue.
    near_words: WordSet<String>,
    mentions: Vec<DocMention>,
}

impl Builder<'_> {
    fn known(&mut self, ei: u32) -> usize {
        if let Some(&i) = self.by_kb.get(&ei) {
            return i;
        }
        let e = self.kb.entity(ei);
        let i = self.entities.len();
        self.entities.push(DocEntity {
            kb: Some(ei),
            name: e.data().name.as_str().into(),
            kind: e.kind,
            gender: e.data().gender.as_deref().and_then(|g| g.chars().next()),
            titles: Vec::new(),
            description: e.data().description.as_str().into(),
            mentions: Vec::new(),
        });
        self.by_kb.insert(ei, i);
        i
    }

    fn add(&mut self, entity: usize, span: Span, full: bool, variant: Option<SpellingVariant>) {
        self.entities[entity].mentions.push(self.mentions.len());
        self.mentions.push(DocMention {
            span,
            entity,
            full,
            variant,
        });
    }
}

/// Front matter fields that carry prose: a headline's names are mentions too.
const FRONT_MATTER_PROSE: &[&str] = &[
    "title",
    "headline",
    "subtitle",
    "subhead",
    "dek",
    "summary",
    "description",
];

/// Tokens of the prose fields of the front matter (title:), with spans into the text,
/// and the index of each field's first token.
fn front_matter_tokens(doc: &Document) -> (Vec<Token>, Vec<usize>) {
    let (mut out, mut firsts) = (Vec::new(), Vec::new());
    let Some(fm) = doc.front_matter.clone() else {
        return (out, firsts);
    };
    let mut pos = fm.start;
    for line in doc.text[fm].split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if !FRONT_MATTER_PROSE.contains(&key.trim().to_ascii_lowercase().as_str()) {
            continue;
        }
        let vstart = start + key.len() + 1;
        let value = value.trim_end();
        firsts.push(out.len());
        for t in crate::text::words::tokenize(value) {
            out.push(t.moved(vstart as isize));
        }
        // a quoted title: its first word is the first token after the mark
        if out
            .get(*firsts.last().unwrap())
            .is_some_and(|t| t.kind == TokenKind::Punct)
        {
            *firsts.last_mut().unwrap() += 1;
        }
    }
    (out, firsts)
}

/// A known-entity form left for later: it names the entity only if the story also
/// names the entity another way (a surname before the full name in a headline;
/// "Odessa" in a story that writes "Odessa, Texas").
struct Deferred {
    first: usize,
    last: usize,
    r: crate::kb::FormRef,
    initial: bool,
}

/// What the names pass finds in a paragraph from its words alone, the same
/// whatever the rest of the story says: kept from one analysis of a story for the
/// next (`analyze::Memo`), for the knowledge base it was found with.
#[derive(Clone, Debug, Default)]
pub struct ParagraphNames {
    sites: Arc<Sites>,
    /// Found once known names are: kept while they take the same words.
    unknown: Option<Arc<Unknown>>,
}

/// What the names pass found in the last analysis of a story (`analyze::Memo`), for
/// `recognize_kept` to take again after a change that leaves everything the pass
/// reads as it was: a change within one paragraph whose fingerprint
/// (`fingerprint`) stays the same, that no quotation or mention spans.
#[derive(Clone, Debug)]
pub struct LastNames {
    /// (shared with the analysis that found them: kept without a copy)
    rec: Arc<Recognized>,
    /// What the names depend on besides the text: the format and the knowledge
    /// base's generation.
    setting: (crate::text::Format, u64),
    paragraphs: usize,
    quotes: Vec<Span>,
    /// Whether some tokens stood outside every paragraph (`segments`).
    outside: bool,
    /// The fingerprints of the paragraphs it has them of (those the change before
    /// it left new).
    prints: Vec<(usize, u64)>,
    /// Whether they were those of the analysis before, taken again.
    pub again: bool,
}

impl LastNames {
    pub fn new(
        doc: &Document,
        rec: &Arc<Recognized>,
        found: NamesFound,
        setting: (crate::text::Format, u64),
    ) -> LastNames {
        LastNames {
            rec: rec.clone(),
            setting,
            paragraphs: doc.paragraphs.len(),
            quotes: doc.quotes.iter().map(|q| q.span.clone()).collect(),
            outside: found.outside,
            prints: found.prints,
            again: found.again,
        }
    }

    /// The format and knowledge base generation they were found with.
    pub fn setting(&self) -> (crate::text::Format, u64) {
        self.setting
    }
}

/// What `recognize_kept` tells the next analysis's `LastNames` besides the names.
#[derive(Debug, Default)]
pub struct NamesFound {
    /// The fingerprints of the paragraphs a typed change left new.
    prints: Vec<(usize, u64)>,
    /// Whether the last names were taken again.
    again: bool,
    /// Whether some tokens stood outside every paragraph (`segments`).
    outside: bool,
}

/// The places in a paragraph where a known name may begin: its word tokens from
/// which some beginning of the words that follow is a form of a known name (or its
/// transliteration), each with those words (`sequence` in `recognize`). Token
/// indexes count from the paragraph's first.
#[derive(Debug, Default)]
struct Sites {
    /// Each site's token, and the end of its sequence in `seqs`.
    starts: Vec<(u32, u32)>,
    seqs: Vec<u32>,
}

/// The story's body tokens in text order, in pieces that do not overlap: each
/// paragraph's (with its index) and any tokens outside paragraphs (`None`; also the
/// rest of a paragraph whose tokens overlap the one before's, not kept).
fn segments(doc: &Document) -> Vec<(Option<usize>, std::ops::Range<usize>)> {
    let toks = &doc.tokens;
    let mut out = Vec::with_capacity(doc.paragraphs.len() + 1);
    let mut done = 0;
    for (p, para) in doc.paragraphs.iter().enumerate() {
        // (searched from where the paragraph's sentences say its tokens are: two
        // look-ups when they are right, as they are but for text outside sentences)
        let (hint_lo, hint_end) = match doc.sentences.get(para.first_sentence..para.sentence_end) {
            Some([first, .., last]) => (first.tokens.start, last.tokens.end),
            Some([only]) => (only.tokens.start, only.tokens.end),
            _ => (done, done),
        };
        let lo = crate::text::gallop(toks, hint_lo, |t| t.span().start < para.span.start);
        let end = crate::text::gallop(toks, hint_end.max(lo), |t| t.span().start < para.span.end);
        if lo > done {
            out.push((None, done..lo));
        }
        if lo < done {
            out.push((None, done..end.max(done)));
        } else {
            out.push((Some(p), lo..end));
        }
        done = end.max(done);
    }
    if toks.len() > done {
        out.push((None, done..toks.len()));
    }
    out
}

/// Every site of a story in text order (`Sites`, with token indexes into the
/// story's), as `recognize` gathers them; `seq` is room for one sequence.
#[derive(Default)]
struct AllSites {
    sites: Vec<(usize, std::ops::Range<usize>)>,
    seqs: Vec<usize>,
    seq: Vec<usize>,
}

pub fn recognize(doc: &Document, kb: &KnowledgeBase) -> Recognized {
    recognize_kept(doc, kb, &mut [], &mut None).0
}

/// `recognize`, with what `kept` has of each paragraph (one for each of
/// `doc.paragraphs`, found now and put there where it has none), and the last
/// analysis's names (`LastNames`), taken again, moved, when the change from its
/// document leaves all the pass reads as it was (and else left in `last`, for the
/// caller to free when it suits). Also returns what the next analysis's
/// `LastNames` keeps besides the names.
pub fn recognize_kept(
    doc: &Document,
    kb: &KnowledgeBase,
    kept: &mut [Option<ParagraphNames>],
    last: &mut Option<LastNames>,
) -> (Recognized, NamesFound) {
    let text = doc.text;
    let (fm_toks, fm_firsts) = front_matter_tokens(doc);
    let x = fm_toks.len();
    let combined: Vec<Token>;
    let toks: &[Token] = if x == 0 {
        &doc.tokens
    } else {
        combined = fm_toks
            .into_iter()
            .chain(doc.tokens.iter().cloned())
            .collect();
        &combined
    };
    let n = toks.len();
    let comma = hash(",");
    // per-token look-up keys (folded word, possessive stem, transliteration) and
    // every token's folded stem (a punctuation token's is empty): the document's
    // own, with the front matter's computed here before them
    let mut fm_folds = FoldedWords::with_capacity(x, 0);
    let mut fm_keys: Vec<TokenKeys> = Vec::with_capacity(x);
    let mut buf = String::new();
    for t in &toks[..x] {
        if t.kind == TokenKind::Punct {
            fm_folds.push_str("");
        } else if t.possessive > 0 {
            fm_folds.push_folded(&text[t.stem()]);
        } else {
            fm_folds.push_folded(&text[t.span()]);
        }
        fold(&text[t.span()], &mut buf);
        let i = fm_folds.len() - 1;
        fm_keys.push(TokenKeys::of(t, &buf, &fm_folds[i]));
    }
    let combined_folds: FoldedWords;
    let combined_keys: Vec<TokenKeys>;
    let (folded, keys): (Words, &[TokenKeys]) = if x == 0 {
        (doc.stems(), &doc.keys)
    } else {
        let mut f = fm_folds;
        let stems = doc.stems();
        for k in 0..stems.len() {
            f.push_str(stems.get(k));
        }
        combined_folds = f;
        combined_keys = fm_keys
            .into_iter()
            .chain(doc.keys.iter().copied())
            .collect();
        (combined_folds.view(), &combined_keys)
    };
    let stem_key = |k: usize| crate::text::stem_key(toks, keys, folded, k);
    // sentence-initial tokens (first word of a sentence, after any opening marks)
    let mut initial = vec![false; n];
    for s in &doc.sentences {
        if let Some(k) = s
            .tokens
            .clone()
            .find(|&k| toks[k + x].kind != TokenKind::Punct)
        {
            initial[k + x] = true;
        }
    }
    for &k in &fm_firsts {
        if k < x {
            initial[k] = true;
        }
    }
    // a name never runs from one front matter field into the next, or into the body
    let field_start = |j: usize| j == x || (j < x && fm_firsts.contains(&j));
    // the next word token after i, allowing one joining mark (NATO-Ukraine, U.S.),
    // before `end`: a name never runs from one paragraph into the next
    let next_word = |i: usize, end: usize| -> Option<usize> {
        let j = i + 1;
        if j >= end || field_start(j) {
            return None;
        }
        if toks[j].kind != TokenKind::Punct {
            return Some(j);
        }
        let p = &text[toks[j].span()];
        if matches!(p, "-" | "." | "‑")
            && !toks[j].space_before
            && j + 1 < end
            && toks[j + 1].kind != TokenKind::Punct
            && !toks[j + 1].space_before
        {
            return Some(j + 1);
        }
        None
    };
    // the word tokens from word token i, before `end`, that may make a known name:
    // as many as the knowledge base has names that begin with them (up to its
    // longest name)
    let sequence = |i: usize, end: usize, seq: &mut Vec<usize>| {
        seq.clear();
        seq.push(i);
        let (mut hp, mut ht) = (chain(0, keys[i].full), chain(0, keys[i].translit));
        while seq.len() < kb.max_words
            && (kb.is_prefix(hp) || (keys[*seq.last().unwrap()].translit != 0 && kb.is_prefix(ht)))
        {
            // a qualified place name continues over a comma (Odessa, Texas)
            let last = *seq.last().unwrap();
            if last + 2 < end
                && keys[last + 1].full == comma
                && toks[last + 2].kind == TokenKind::Word
                && kb.is_prefix(chain(hp, comma))
            {
                seq.push(last + 1);
                hp = chain(hp, comma);
                ht = chain(ht, comma);
                continue;
            }
            match next_word(last, end) {
                Some(j) => {
                    seq.push(j);
                    hp = chain(hp, keys[j].full);
                    ht = chain(ht, keys[j].translit);
                }
                None => break,
            }
        }
    };
    // whether some beginning of a sequence is a known form or, in capitals, the
    // transliteration of one: only there can the pass below find a name
    let any_form = |seq: &[usize]| {
        let mut h = 0u64;
        for &k in seq {
            let hs = chain(h, stem_key(k));
            h = chain(h, keys[k].full);
            // (a word with no possessive ending is its own stem: looked up once)
            if !kb.lookup(hs).is_empty() || (h != hs && !kb.lookup(h).is_empty()) {
                return true;
            }
        }
        let mut h = 0u64;
        for &k in seq.iter().take_while(|&&k| toks[k].cap) {
            h = chain(h, keys[k].translit);
            if !kb.lookup_translit(h).is_empty() {
                return true;
            }
        }
        false
    };
    // the sites of tokens lo..end into `all`, and with `keep` also returned, from lo
    let find_sites = |lo: usize, end: usize, keep: bool, all: &mut AllSites| {
        let mut sites = Sites::default();
        for (i, t) in toks.iter().enumerate().take(end).skip(lo) {
            if t.kind != TokenKind::Word {
                continue;
            }
            // (a word that is no key's first, by any of its keys, begins no site:
            // most words, told apart without the tables)
            let k = &keys[i];
            if !kb.may_be_key(chain(0, k.full))
                && (t.possessive == 0 || !kb.may_be_key(chain(0, stem_key(i))))
                && (k.translit == 0 || !kb.may_be_key(chain(0, k.translit)))
            {
                continue;
            }
            sequence(i, end, &mut all.seq);
            if any_form(&all.seq) {
                let start = all.seqs.len();
                all.seqs.extend_from_slice(&all.seq);
                all.sites.push((i, start..all.seqs.len()));
                if keep {
                    sites.seqs.extend(all.seq.iter().map(|&k| (k - lo) as u32));
                    sites
                        .starts
                        .push(((i - lo) as u32, sites.seqs.len() as u32));
                }
            }
        }
        keep.then_some(sites)
    };
    // token k is the first half of a double-barrelled name whose second half is no
    // known name (Vance-Okoro)
    let double_barrelled = |k: usize| {
        k + 2 < n
            && matches!(&text[toks[k + 1].span()], "-" | "‑")
            && !toks[k + 1].space_before
            && !toks[k + 2].space_before
            && toks[k + 2].kind == TokenKind::Word
            && toks[k + 2].cap
            && kb.lookup(chain(0, stem_key(k + 2))).is_empty()
    };
    // the paragraph a typed change left new (one, in place of one), and its
    // fingerprint, found from the sites found of it now
    let changed = doc.unchanged.filter(|u| {
        u.last_count == doc.paragraphs.len() && u.before + u.after + 1 == doc.paragraphs.len()
    });
    let mut prints = Vec::new();
    let segments = segments(doc);
    let outside = segments.iter().any(|(p, _)| p.is_none());
    if let Some(c) = changed.map(|u| u.before) {
        if let Some((_, range)) = segments.iter().find(|(p, _)| *p == Some(c)) {
            let (lo, end) = (range.start + x, range.end + x);
            let mut scratch = AllSites::default();
            if let Some(found) = find_sites(lo, end, true, &mut scratch) {
                let print = fingerprint(
                    Body {
                        doc,
                        kb,
                        covered: &[],
                        folded,
                        initial: &initial,
                    },
                    toks,
                    keys,
                    x,
                    lo..end,
                    c,
                    &found,
                );
                prints.push((c, print));
                // (the change may reach into the white space up to the next token)
                let next = segments
                    .iter()
                    .map(|(_, r)| r.start)
                    .find(|&k| k >= range.end)
                    .and_then(|k| doc.tokens.get(k))
                    .map_or(doc.text.len(), |t| t.span().start);
                let again = last
                    .as_ref()
                    .is_some_and(|l| l.prints.contains(&(c, print)) && !l.outside && !outside)
                    .then(|| names_again(doc, last, next))
                    .flatten();
                if let Some(slot) = kept.get_mut(c) {
                    *slot = Some(ParagraphNames {
                        sites: Arc::new(found),
                        unknown: None,
                    });
                }
                if let Some(rec) = again {
                    let found = NamesFound {
                        prints,
                        again: true,
                        outside,
                    };
                    return (rec, found);
                }
            }
        }
    }
    let mut b = Builder {
        kb,
        entities: Vec::new(),
        by_kb: WordMap::default(),
        by_name: WordMap::default(),
        by_surname: WordMap::default(),
        near_words: Default::default(),
        // (news has about a mention a 16 tokens: room for them, not growth by copying)
        mentions: Vec::with_capacity(n / 16),
    };
    let mut covered = vec![false; n];
    let mut deferred: Vec<Deferred> = Vec::new();
    // every site in text order, from tokens lo.. (token, its sequence in `seqs`):
    // the front matter's and any tokens outside paragraphs found now, each
    // paragraph's kept in `kept` (found now where it has none)
    let mut all = AllSites::default();
    let add_sites = |found: &Sites, lo: usize, all: &mut AllSites| {
        let mut from = 0;
        for &(at, to) in &found.starts {
            let start = all.seqs.len();
            all.seqs.extend(
                found.seqs[from..to as usize]
                    .iter()
                    .map(|&k| k as usize + lo),
            );
            all.sites.push((at as usize + lo, start..all.seqs.len()));
            from = to as usize;
        }
    };
    // (room for the sites kept, and a few found now)
    let (kept_sites, kept_seqs) = kept.iter().flatten().fold((0, 0), |(a, b), k| {
        (a + k.sites.starts.len(), b + k.sites.seqs.len())
    });
    all.sites.reserve(kept_sites + 64);
    all.seqs.reserve(kept_seqs + 256);
    find_sites(0, x, false, &mut all);
    for (p, range) in &segments {
        let (lo, end) = (range.start + x, range.end + x);
        match p {
            None => {
                find_sites(lo, end, false, &mut all);
            }
            Some(p) => {
                if let Some(Some(k)) = kept.get(*p) {
                    add_sites(&k.sites, lo, &mut all);
                } else if let Some(found) = find_sites(lo, end, *p < kept.len(), &mut all) {
                    kept[*p] = Some(ParagraphNames {
                        sites: Arc::new(found),
                        unknown: None,
                    });
                }
            }
        }
    }
    let AllSites { sites, seqs, .. } = all;
    b.mentions.reserve(sites.len());
    let mut seq: Vec<usize> = Vec::with_capacity(kb.max_words + 4);
    let mut i = 0;
    for (at, range) in sites {
        if at < i {
            continue;
        }
        i = at;
        seq.clear();
        seq.extend_from_slice(&seqs[range]);
        let mut best: Option<(usize, crate::kb::FormRef, Option<SpellingVariant>)> = None;
        let mut h = 0u64;
        for (len, &k) in seq.iter().enumerate() {
            let len = len + 1;
            let hs = chain(h, stem_key(k));
            let hf = chain(h, keys[k].full);
            h = hf;
            if kb.lookup(hs).is_empty() && kb.lookup(hf).is_empty() {
                continue;
            }
            let by_full: &[crate::kb::FormRef] = if hf != hs { kb.lookup(hf) } else { &[] };
            let cands = kb.lookup(hs).iter().chain(by_full).copied();
            let start = toks[i].span().start;
            let end = if kb.lookup(hs).is_empty() {
                toks[k].span().end
            } else {
                toks[k].stem().end
            };
            // a qualified name is compared, and spans, up to its comma
            let end = match seq[..len].iter().position(|&q| keys[q].full == comma) {
                Some(p) => toks[seq[p - 1]].span().end,
                None => end,
            };
            let surface = &text[start..end];
            let mut choice: Option<(i32, crate::kb::FormRef, Option<SpellingVariant>)> = None;
            // a capitalised word of no known name right after one word: the word may be
            // a first name (Taras Movchaniuk), not the place it also spells
            let before_name = len == 1 && k + 1 < n && !field_start(k + 1) && {
                let j = k + 1;
                toks[j].kind == TokenKind::Word
                    && toks[j].cap
                    && !toks[j].all_caps
                    && toks[j].space_before
                    && kb.lookup(chain(0, stem_key(j))).is_empty()
                    && !lexicon::contains(PLACE_HEADS, &folded[j])
                    && !lexicon::contains(ORG_HEADS, &folded[j])
            };
            for r in cands {
                let e = kb.entity(r.entity);
                let f = kb.form(r);
                let seen = b.by_kb.contains_key(&r.entity);
                if !seen
                    && (f.qualified
                        || (e.common_word && initial[i] && len == 1)
                        || (e.is_person()
                            && f.words == 1
                            && f.kind != FormKind::Name
                            && !e.well_known))
                {
                    deferred.push(Deferred {
                        first: i,
                        last: k,
                        r,
                        initial: initial[i],
                    });
                    continue;
                }
                if before_name && e.kind == EntityKind::Place && !e.well_known {
                    continue;
                }
                // a surname after someone else's first name is that other person's:
                // Brigitte Macron, Emine Erdoğan
                if len == 1
                    && e.is_person()
                    && f.words == 1
                    && other_first_name(text, toks, folded, |p| initial[p] || covered[p], i, kb, e)
                {
                    continue;
                }
                // nor is the first half of a double-barrelled surname no name knows
                // (Vance-Okoro; Macron-Scholz talks name two people)
                if len == 1 && e.is_person() && f.words == 1 && double_barrelled(k) {
                    continue;
                }
                if let Some((score, variant)) =
                    accept(surface, f, e, len, initial[i], seen, start..end)
                {
                    if choice.as_ref().is_none_or(|c| score > c.0) {
                        choice = Some((score, r, variant));
                    }
                }
            }
            if let Some((_, r, v)) = choice {
                best = Some((len, r, v));
            }
        }
        if best.is_none() {
            // transliteration of a known name (Dmitro Kuleba), capitalised words only
            let mut h = 0u64;
            for (len, &k) in seq.iter().enumerate() {
                if !toks[k].cap {
                    break;
                }
                h = chain(h, keys[k].translit);
                let cands = kb.lookup_translit(h);
                let first = cands.first().map(|c| c.entity);
                if !cands.is_empty() && cands.iter().all(|c| Some(c.entity) == first) {
                    let r = cands[0];
                    let f = kb.form(r);
                    let e = kb.entity(r.entity);
                    // only names a reader would know, or one the story has already used
                    if !b.by_kb.contains_key(&r.entity) && !e.well_known {
                        continue;
                    }
                    if len == 0 && e.is_person() && f.words == 1 && double_barrelled(k) {
                        continue;
                    }
                    if len == 0
                        && e.is_person()
                        && f.words == 1
                        && other_first_name(
                            text,
                            toks,
                            folded,
                            |p| initial[p] || covered[p],
                            i,
                            kb,
                            e,
                        )
                    {
                        continue;
                    }
                    let span = toks[i].span().start..toks[k].stem().end;
                    let replacement = f.replacement.clone().unwrap_or_else(|| f.text.clone());
                    let variant = (text[span.clone()] != replacement).then(|| SpellingVariant {
                        span: span.clone(),
                        replacement,
                        reason: VariantReason::Transliteration,
                    });
                    best = Some((len + 1, r, variant));
                }
            }
        }
        // an old name in a historical phrase is history, not a spelling (Soviet
        // Moldavia, the principality of Moldavia, the Persian Empire's Persia)
        if let Some((len, r, Some(v))) = &best {
            let last = seq[*len - 1];
            if v.reason == VariantReason::Known
                && (historical(toks, folded, i, last)
                    || in_proper_name(toks, folded, last)
                    || elsewhere(text, toks, kb, stem_key, r.entity, last))
            {
                for &k in &seq[..*len] {
                    covered[k] = true;
                }
                i = seq[*len - 1] + 1;
                continue;
            }
        }
        if let Some((len, r, variant)) = best {
            // a qualified name ends at its comma: the qualifier is a name of its own
            let len = seq[..len]
                .iter()
                .position(|&q| keys[q].full == comma)
                .unwrap_or(len);
            let last = seq[len - 1];
            let span = toks[i].span().start..toks[last].stem().end;
            let entity = b.known(r.entity);
            let f = kb.form(r);
            let full = f.kind == FormKind::Name || f.words > 1;
            // title words right before the name (Ukrainian Foreign Minister Dmytro Kuleba)
            let titles = titles_before(toks, i, folded);
            b.entities[entity].titles.extend(titles);
            b.add(entity, span, full, variant);
            for &k in &seq[..len] {
                covered[k] = true;
            }
            i = last + 1;
            continue;
        }
        i += 1;
    }
    resolve_deferred(text, toks, kb, &mut b, &mut covered, deferred);
    let body = Body {
        doc,
        kb,
        covered: &covered[x..],
        folded: folded.skip(x),
        initial: &initial[x..],
    };
    unknown_names(body, &mut b, &segments, kept);
    let mut out = Recognized {
        entities: b.entities,
        mentions: b.mentions,
        ..Default::default()
    };
    // mentions in text order; entity mention lists re-pointed
    let mut order: Vec<usize> = (0..out.mentions.len()).collect();
    order.sort_by_key(|&m| out.mentions[m].span.start);
    let mut remap = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        remap[old] = new;
    }
    let mut taken: Vec<Option<DocMention>> = std::mem::take(&mut out.mentions)
        .into_iter()
        .map(Some)
        .collect();
    out.mentions = Vec::with_capacity(order.len());
    out.mentions
        .extend(order.iter().filter_map(|&o| taken[o].take()));
    for e in &mut out.entities {
        for m in &mut e.mentions {
            *m = remap[*m];
        }
        e.mentions.sort();
    }
    infer_people(doc, &mut out);
    unknown_spellings(doc, &mut out);
    let found = NamesFound {
        prints,
        again: false,
        outside,
    };
    (out, found)
}

/// The last analysis's names, moved to this document, when the change between
/// them is within one paragraph (whose fingerprint the caller found the same) or
/// the white space after it up to `next` (the next token's start), touches no
/// mention (white space put in right after or before one does not), and leaves
/// every quotation as it was, moved, or (one it is in) longer or shorter by as
/// much as the text: then the pass would find the same. `last` is taken only then.
fn names_again(doc: &Document, last: &mut Option<LastNames>, next: usize) -> Option<Recognized> {
    let u = doc.unchanged?;
    let l = last.as_ref()?;
    let (from, to) = u.edit;
    let c = u.before;
    let para = doc.paragraphs.get(c)?;
    let new_to = to.checked_add_signed(u.shift)?;
    if l.paragraphs != doc.paragraphs.len()
        || !(para.span.start <= from && new_to <= next)
        || l.quotes.len() != doc.quotes.len()
    {
        return None;
    }
    // white space put in, taking nothing out: it touches no word, so a span that
    // ends where it goes in stays, and one that starts there moves with the text
    // after (the fingerprint is the same, so no token began or ended there)
    // (only white space between offsets a and b of this text, in either order)
    let blank_between = |a: usize, b: usize| {
        doc.text
            .get(a.min(b)..a.max(b))
            .is_some_and(|t| t.chars().all(char::is_whitespace))
    };
    let blank = from == to && blank_between(from, new_to);
    // (offsets of the last text, after the change, in this one; none for a span
    // the change is in or touches: typing right after a name may lengthen it)
    let moved = |s: &Span| -> Option<Span> {
        if s.end < from || (blank && s.end == from) {
            Some(s.clone())
        } else if s.start > to || (blank && s.start == to) {
            Some(s.start.checked_add_signed(u.shift)?..s.end.checked_add_signed(u.shift)?)
        } else {
            None
        }
    };
    // a quotation the change is in only grows or shrinks with it: the words
    // inside it stay inside, those outside outside
    let stretched = |s: &Span| -> Option<Span> {
        (s.start < from && s.end >= to).then_some(s.start..s.end.checked_add_signed(u.shift)?)
    };
    // an open quotation that ends at the change, or white space before it, may take
    // in the new words or give up the old: the words before the change stay inside
    // (the two ends have only white space between them before it), and no word
    // after the change is inside either (the pass reads of a quotation only which
    // words are inside it)
    let regrown = |s: &Span, q: &Span| {
        s.start < from
            && q.start == s.start
            && s.end <= to
            && q.end <= new_to
            && ((s.end >= from && q.end >= from) || blank_between(s.end.min(from), q.end.min(from)))
    };
    // (white space put in at a quotation's end may fall within it or after it)
    for (old, q) in l.quotes.iter().zip(&doc.quotes) {
        if moved(old).as_ref() != Some(&q.span)
            && stretched(old).as_ref() != Some(&q.span)
            && !regrown(old, &q.span)
        {
            return None;
        }
    }
    let movable = |m: &DocMention| {
        moved(&m.span).is_some() && m.variant.as_ref().is_none_or(|v| moved(&v.span).is_some())
    };
    if !l.rec.mentions.iter().all(movable) {
        return None;
    }
    // (no copy: the analysis that shared them is over)
    let rec = last.take()?.rec;
    let mut rec = Arc::try_unwrap(rec).unwrap_or_else(|r| (*r).clone());
    for m in &mut rec.mentions {
        m.span = moved(&m.span).unwrap_or_else(|| m.span.clone());
        if let Some(v) = &mut m.variant {
            v.span = moved(&v.span).unwrap_or_else(|| v.span.clone());
        }
    }
    Some(rec)
}

/// Words no part of the names pass reads the text of, wherever they stand
/// (`fingerprint`), besides those its word lists hold.
const PRONOUNS: &[&str] = &[
    "he", "his", "him", "himself", "she", "her", "hers", "herself",
];

/// Paragraph `paragraph`'s tokens `range` (indexes into `toks`, front matter's
/// first: `x` of them) as the names pass reads them, in one hash, given the sites
/// found in it (`found`). Each token gives its kind, its letter case, its possessive,
/// whether space or a line break stands before it and whether it opens a
/// sentence; and its text and keys, unless it is a plain word: a figure, or a word
/// in lower case, that is in no site's words, no title, connector, pronoun, speech
/// verb or historical word, nor "of", is joined to no other word by a mark (a
/// hyphen, a dot) and stands not within three words before a capitalised one
/// with only words between (where it could be a title). The pass reads of a plain
/// word only that it is none of these, so two versions of a paragraph with the
/// same fingerprint give the same names. (Function words, months, weekdays, the
/// heads of names, first-name words, demonyms and the first words of known names
/// it reads only capitalised, in a site or right before a capitalised word; so
/// they may be plain.) A plain word right after another with the same bits adds
/// nothing: the pass reads plain words only next to words that are not, so how
/// many stand in a row never changes what it finds, and a new word typed among
/// plain ones keeps the names. Nor does a comma between plain words.
fn fingerprint(
    body: Body,
    toks: &[Token],
    keys: &[TokenKeys],
    x: usize,
    range: std::ops::Range<usize>,
    paragraph: usize,
    found: &Sites,
) -> u64 {
    let Body {
        doc,
        folded,
        initial,
        ..
    } = body;
    let text = doc.text;
    let lo = range.start;
    let mut in_site = vec![false; range.len()];
    for &k in &found.seqs {
        if let Some(s) = in_site.get_mut(k as usize) {
            *s = true;
        }
    }
    let mut opens = vec![false; range.len()];
    // (the paragraph's own sentences: no other opens on its tokens)
    let sentences = doc
        .paragraphs
        .get(paragraph)
        .and_then(|p| doc.sentences.get(p.first_sentence..p.sentence_end))
        .unwrap_or(&[]);
    for s in sentences {
        if let Some(o) = (s.tokens.start + x)
            .checked_sub(lo)
            .and_then(|k| opens.get_mut(k))
        {
            *o = true;
        }
    }
    // a word joined to the next or the one before by a mark with no space on
    // either side (Oyelaran-aFissaeho, U.S.): part of a name
    let touching = |k: usize| {
        toks[k].kind == TokenKind::Punct && !toks[k].space_before && !toks[k + 1].space_before
    };
    let joined = |k: usize| (k + 2 < toks.len() && touching(k + 1)) || (k >= 2 && touching(k - 1));
    let plain = |k: usize| {
        let t = &toks[k];
        let f = &folded[k];
        matches!(t.kind, TokenKind::Word | TokenKind::Number)
            && !t.cap
            && !t.all_caps
            && t.possessive == 0
            && keys[k].translit == 0
            && !in_site[k - lo]
            && !joined(k)
            // (a run's titles are words of its own paragraph)
            && !toks[k + 1..range.end.min(k + 4)]
                .iter()
                .take_while(|n| n.kind == TokenKind::Word)
                .any(|n| n.cap)
            && !is_title(f)
            && ![
                CONNECTORS,
                HISTORICAL_BEFORE,
                HISTORICAL_OF,
                HISTORICAL_AFTER,
                PRONOUNS,
                &["of"],
            ]
            .iter()
            .any(|l| l.contains(&f))
            && !is_speech_word(f)
    };
    let mut h = 0u64;
    let mut last_plain = None;
    for k in range.clone() {
        let t = &toks[k];
        // a comma right after a plain word, with white space or the paragraph's end
        // after it, adds nothing either: the pass reads a comma only after a name
        // or in a site
        if last_plain.is_some()
            && t.kind == TokenKind::Punct
            && text[t.span()] == *","
            && (k + 1 == range.end || toks[k + 1].space_before)
        {
            continue;
        }
        let gap_break = k > 0 && text[toks[k - 1].span().end..t.span().start].contains('\n');
        let p = plain(k);
        let bits = t.kind as u64
            | (t.cap as u64) << 8
            | (t.all_caps as u64) << 9
            | (t.space_before as u64) << 10
            | ((t.possessive > 0) as u64) << 11
            | (initial[k] as u64) << 12
            | (opens[k - lo] as u64) << 13
            | (gap_break as u64) << 14
            | (p as u64) << 15;
        if p && last_plain == Some(bits) {
            continue;
        }
        last_plain = p.then_some(bits);
        h = chain(h, bits);
        if !p {
            h = chain(h, hash(&text[t.span()]));
            h = chain(h, keys[k].full);
            h = chain(h, keys[k].translit);
        }
    }
    h
}

/// Deferred forms whose entity the story names after all: a mention where no other
/// entity took the words, or in place of another entity's variant spelling (Odessa is
/// Odessa, Texas, not a variant of Odesa, in a story that writes "Odessa, Texas").
/// Entities left without mentions are dropped.
fn resolve_deferred(
    text: &str,
    toks: &[Token],
    kb: &KnowledgeBase,
    b: &mut Builder,
    covered: &mut [bool],
    deferred: Vec<Deferred>,
) {
    if deferred.is_empty() {
        return;
    }
    let before = b.mentions.len();
    for d in deferred {
        let Some(&entity) = b.by_kb.get(&d.r.entity) else {
            continue;
        };
        let (e, f) = (kb.entity(d.r.entity), kb.form(d.r));
        let span = toks[d.first].span().start..toks[d.last].stem().end;
        let words = f.words;
        let Some((_, variant)) = accept(
            &text[span.clone()],
            f,
            e,
            words,
            d.initial,
            true,
            span.clone(),
        ) else {
            continue;
        };
        let at = b.mentions[..before].partition_point(|m| m.span.start < span.start);
        match b.mentions[..before].get(at) {
            Some(m) if m.span.start == span.start => {
                // only the same words: Odessa, not "Odessa region"
                if m.span != span {
                    continue;
                }
                // only a variant spelling of another entity gives way
                if m.entity == entity || m.variant.is_none() || variant.is_some() {
                    continue;
                }
                let old = m.entity;
                b.entities[old].mentions.retain(|&x| x != at);
                b.entities[entity].mentions.push(at);
                let m = &mut b.mentions[at];
                m.entity = entity;
                m.variant = None;
                m.span = span;
            }
            _ => {
                if (d.first..=d.last).any(|k| covered[k]) {
                    continue;
                }
                for c in &mut covered[d.first..=d.last] {
                    *c = true;
                }
                b.add(entity, span, false, variant);
            }
        }
    }
    if b.entities.iter().all(|e| !e.mentions.is_empty()) {
        return;
    }
    let mut remap = vec![usize::MAX; b.entities.len()];
    let mut kept = Vec::with_capacity(b.entities.len());
    for (i, e) in std::mem::take(&mut b.entities).into_iter().enumerate() {
        if !e.mentions.is_empty() {
            remap[i] = kept.len();
            kept.push(e);
        }
    }
    b.entities = kept;
    for m in &mut b.mentions {
        m.entity = remap[m.entity];
    }
    b.by_kb = b
        .entities
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.kb.map(|k| (k, i)))
        .collect();
}

/// People the knowledge base does not know: the pronouns that follow a name's first
/// mention tell that it is a person, and which pronoun fits it.
fn infer_people(doc: &Document, rec: &mut Recognized) {
    for e in rec.entities.iter_mut() {
        if e.kb.is_some()
            || !matches!(e.kind, EntityKind::Person | EntityKind::Other)
            || e.mentions.is_empty()
        {
            continue;
        }
        let first = &rec.mentions[e.mentions[0]];
        let Some(si) = doc.sentence_at(first.span.start) else {
            continue;
        };
        let end = doc
            .sentences
            .get(si + 1)
            .map_or(doc.sentences[si].span.end, |s| s.span.end);
        let (mut m, mut f) = (0, 0);
        // (from the sentence's first token on)
        let from = crate::text::gallop(&doc.tokens, doc.sentences[si].tokens.start, |t| {
            t.span().start < first.span.end
        });
        for t in doc.tokens[from..]
            .iter()
            .take_while(|t| t.span().start < end)
        {
            if t.kind != TokenKind::Word || t.span().len() > 7 {
                continue;
            }
            let w = &doc.text[t.span()];
            let is = |words: &[&str]| words.iter().any(|p| w.eq_ignore_ascii_case(p));
            // (a pronoun inside a quotation is the speaker's, not about the name)
            if is(&["he", "his", "him", "himself"]) {
                m += !doc.in_quote(t.span().start) as usize;
            } else if is(&["she", "her", "hers", "herself"]) {
                f += !doc.in_quote(t.span().start) as usize;
            }
        }
        if m + f == 0 {
            continue;
        }
        let multiword = e.name.split_whitespace().count() >= 2;
        if e.kind == EntityKind::Other && !multiword {
            continue;
        }
        e.kind = EntityKind::Person;
        if m != f {
            e.gender = Some(if m > f { 'm' } else { 'f' });
        }
    }
}

/// Whether a surface string is an acceptable match for a knowledge-base form, with a
/// score for choosing among candidates and the spelling variant it represents.
fn accept(
    surface: &str,
    f: &crate::kb::Form,
    e: &crate::kb::Entity,
    words: usize,
    sentence_initial: bool,
    seen: bool,
    span: Span,
) -> Option<(i32, Option<SpellingVariant>)> {
    let ftext = f.head();
    let first = surface.chars().next()?;
    let letters = || surface.chars().filter(|c| c.is_alphabetic());
    let n_letters = letters().count();
    let all_caps = n_letters >= 2 && letters().all(|c| c.is_uppercase());
    // a leading lowercase word ("the", "el-", "von") may be capitalised at the start of
    // a sentence: El-Sissi said, Von der Leyen told
    // a final period of an abbreviation is sentence punctuation as often as not (U.N.)
    let exact = surface == ftext
        || (ftext.ends_with('.') && surface == ftext.trim_end_matches('.'))
        || (ftext.starts_with("the ") && surface.starts_with("The ") && surface[4..] == ftext[4..])
        || (sentence_initial && first.is_uppercase() && {
            let mut fc = ftext.chars();
            fc.next()
                .is_some_and(|c| c.is_lowercase() && c.to_uppercase().eq(std::iter::once(first)))
                && fc.as_str() == &surface[first.len_utf8()..]
        });
    let mut score = 0;
    if exact {
        score += 10;
    }
    if seen {
        score += 4;
    }
    if e.well_known {
        score += 1;
    }
    // acronyms match only as written (or as an all-caps word), or title case when long (Nato)
    if f.acronym && !exact {
        // a short acronym with a number is still distinctive (Cop30 for COP30)
        let tc = (n_letters >= 4 || surface.chars().any(|c| c.is_ascii_digit()))
            && first.is_uppercase()
            && letters().skip(1).all(|c| c.is_lowercase());
        if !tc {
            return None;
        }
    }
    if !first.is_uppercase() && !exact {
        // lowercase: only for uncommon, well-known names of four letters or more, with
        // the same letters (kyiv; not "sale" for Salé, a city few readers know)
        if e.common_word
            || f.acronym
            || f.kind == FormKind::Variant
            || n_letters < 4
            || !surface.chars().all(|c| !c.is_uppercase())
            || !e.well_known
            || surface != ftext.to_lowercase()
        {
            return None;
        }
    }
    if e.common_word && (sentence_initial && words == 1) && !seen {
        return None;
    }
    // in a name of several words, a capitalised word written in lower case makes a
    // common noun phrase, not a spelling of the name ("the alliance", "the commission")
    if f.words > 1 && !exact {
        let mut sw = surface.split_whitespace();
        for fw in ftext.split_whitespace() {
            let Some(w) = sw.next() else { break };
            let (Some(a), Some(b)) = (fw.chars().next(), w.chars().next()) else {
                break;
            };
            if a.is_uppercase() && b.is_lowercase() {
                return None;
            }
        }
    }
    // a person's surname alone counts once the person is known to the story
    if e.is_person() && f.words == 1 && f.kind != FormKind::Name && !seen && !e.well_known {
        return None;
    }
    let mut variant = None;
    // (made only for a variant: most mentions are written as their form)
    let target = || match f.kind {
        FormKind::Variant => f
            .replacement
            .clone()
            .unwrap_or_else(|| e.data().name.clone()),
        _ => ftext.to_string(),
    };
    if f.kind == FormKind::Variant {
        score -= 2;
        // a variant typed in capitals is still that variant (KIEV)
        variant = Some(SpellingVariant {
            span: span.clone(),
            replacement: target(),
            reason: VariantReason::Known,
        });
    } else if !exact && !all_caps {
        let same_letters = crate::text::fold::folded(surface) == crate::text::fold::folded(ftext)
            && surface.to_lowercase() != ftext.to_lowercase();
        let reason = if same_letters {
            VariantReason::Diacritics
        } else {
            VariantReason::Case
        };
        variant = Some(SpellingVariant {
            span,
            replacement: target(),
            reason,
        });
    }
    Some((score, variant))
}

fn titles_before(toks: &[Token], i: usize, folded: Words) -> Vec<String> {
    let mut out = Vec::new();
    let mut k = i;
    while k > 0 && out.len() < 5 {
        k -= 1;
        let t = &toks[k];
        if t.kind != TokenKind::Word {
            break;
        }
        let f = &folded[k];
        if lexicon::contains(TITLES, f) || (t.cap && !lexicon::contains(FUNCTION_WORDS, f)) {
            out.push(f.to_string());
        } else {
            break;
        }
    }
    out
}

/// Words before an old place name that make it history: Soviet Moldavia.
const HISTORICAL_BEFORE: &[&str] = &[
    "ancient",
    "byzantine",
    "colonial",
    "czarist",
    "historic",
    "historical",
    "imperial",
    "medieval",
    "ottoman",
    "soviet",
    "tsarist",
];

/// Words before "of" that make the old name after it history: the principality of Moldavia.
const HISTORICAL_OF: &[&str] = &[
    "caliphate",
    "duchy",
    "emirate",
    "empire",
    "fall",
    "khanate",
    "kingdom",
    "kings",
    "principality",
    "shah",
    "siege",
    "sultanate",
    "sultans",
];

/// Words after an old place name that make it history: the Persian Empire, Kievan Rus.
const HISTORICAL_AFTER: &[&str] = &[
    "dynasty",
    "empire",
    "khanate",
    "principality",
    "rus",
    "ssr",
    "sultanate",
];

/// Whether the words around tokens first..=last make an old name a historical one.
fn historical(toks: &[Token], folded: Words, first: usize, last: usize) -> bool {
    let word = |k: usize| (toks[k].kind == TokenKind::Word).then(|| folded.get(k));
    let before = first.checked_sub(1).and_then(word);
    let before2 = first.checked_sub(2).and_then(word);
    let after = (last + 1 < toks.len()).then(|| word(last + 1)).flatten();
    before.is_some_and(|w| HISTORICAL_BEFORE.contains(&w))
        || (before == Some("of") && before2.is_some_and(|w| HISTORICAL_OF.contains(&w)))
        || after.is_some_and(|w| HISTORICAL_AFTER.contains(&w))
}

/// Whether the word before token i is a first name that is not this person's.
fn other_first_name(
    text: &str,
    toks: &[Token],
    folded: Words,
    // the word before is a sentence's first or part of a known name
    taken: impl Fn(usize) -> bool,
    i: usize,
    kb: &KnowledgeBase,
    e: &crate::kb::Entity,
) -> bool {
    let Some(p) = i.checked_sub(1) else {
        return false;
    };
    let t = &toks[p];
    let f = folded.get(p);
    if t.kind != TokenKind::Word
        || !t.cap
        || t.all_caps
        || text[t.span().end..toks[i].span().start].contains('\n')
        || t.possessive > 0
        || !toks[i].space_before
        || taken(p)
        || is_title(f)
        || lexicon::contains(FUNCTION_WORDS, f)
        || lexicon::contains(MONTHS, f)
        || lexicon::contains(WEEKDAYS, f)
        || kb.demonym(hash(f)).is_some()
        || !kb.lookup(chain(0, hash(f))).is_empty()
    {
        return false;
    }
    // one of the person's own names (Recep Erdogan)
    !e.forms()
        .iter()
        .any(|form| crate::kb::form_words(&form.text).iter().any(|w| w == f))
}

/// An old name that begins an institution's name keeps it: Peking University.
fn in_proper_name(toks: &[Token], folded: Words, last: usize) -> bool {
    let j = last + 1;
    j < toks.len()
        && toks[j].kind == TokenKind::Word
        && toks[j].cap
        && lexicon::contains(ORG_HEADS, &folded[j])
}

/// A place name qualified by another known place that its entity is not in is a
/// namesake elsewhere: Canton, Ohio is not Guangzhou (whose description says China).
fn elsewhere(
    text: &str,
    toks: &[Token],
    kb: &KnowledgeBase,
    stem_key: impl Fn(usize) -> u64,
    entity: u32,
    last: usize,
) -> bool {
    let (c, j) = (last + 1, last + 2);
    let e = kb.entity(entity);
    e.kind == EntityKind::Place
        && j < toks.len()
        && &text[toks[c].span()] == ","
        && toks[j].kind == TokenKind::Word
        && toks[j].cap
        && {
            // Ukraine in "Ukrainian port city", China in "Chinese"
            let q = &text[toks[j].stem()];
            let stem: String = q.chars().take(4).collect();
            !e.data().description.contains(stem.as_str())
        }
        && kb
            .lookup(chain(0, stem_key(j)))
            .iter()
            .any(|r| r.entity != entity && kb.entity(r.entity).kind == EntityKind::Place)
}

/// A title word, or a hyphenated title whose first part is one (Secretary-General,
/// President-elect).
fn is_title(folded: &str) -> bool {
    is_title_with(folded, lexicon::flags(folded))
}

/// `is_title`, given the word's `lexicon::flags`.
fn is_title_with(folded: &str, flags: u8) -> bool {
    flags & lexicon::IN_TITLES != 0
        || folded
            .split_once('-')
            .is_some_and(|(a, _)| lexicon::contains(TITLES, a))
}

/// The last words of company names, whose first word alone names them too.
const COMPANY_HEADS: &[&str] = &[
    "steel",
    "alloys",
    "mining",
    "metals",
    "pharmaceuticals",
    "logistics",
    "shipping",
    "chemicals",
    "insurance",
    "telecom",
    "airlines",
    "airways",
    "motors",
    "energy",
    "holdings",
    "industries",
    "systems",
    "technologies",
    "labs",
    "inc",
    "corp",
    "corporation",
    "ltd",
    "llc",
    "plc",
    "gmbh",
    "ag",
];

/// Function words that are also first names (Per, Will, Don).
const FIRST_NAME_WORDS: &[&str] = &["per", "will", "don"];

const CONNECTORS: &[&str] = &[
    "de", "da", "das", "dos", "del", "della", "di", "du", "van", "von", "der", "den", "ter", "bin",
    "ibn", "al", "el", "le", "la", "ben", "abu", "bint",
];

/// What `unknown_names` reads of a paragraph, found from its words alone (and from
/// which of them a known name took): its runs of capitalised words that may name
/// someone or something the knowledge base does not know.
#[derive(Debug, Default)]
pub(crate) struct Unknown {
    /// The paragraph's tokens that known names took, as the runs were found with.
    covered: Box<[bool]>,
    runs: Vec<Run>,
    /// The runs' words and keys (`Run::strings`).
    strings: FoldedWords,
}

impl Unknown {
    /// String `k` of run `r` (`Run::strings`).
    fn string(&self, r: &Run, k: u32) -> &str {
        self.strings.view().get((r.strings + k) as usize)
    }
}

/// A run of name words (`Unknown`), with everything about it that does not depend
/// on the rest of the story. Token indexes count from the paragraph's first.
#[derive(Debug)]
struct Run {
    /// The bytes of its words (titles and function words stripped), counted from
    /// the start of the token its tokens are counted from (the bytes, not the
    /// tokens: by the time its name is looked for, a long story's tokens are out of
    /// the cache).
    bytes: (u32, u32),
    /// The first and last tokens of its last word (a hyphenated name is one word).
    last_word: (u32, u32),
    words: usize,
    /// One word opening a sentence, with no title before it.
    initial_single: bool,
    title_cue: bool,
    /// The speech verb right before the name ("said Wendell Oyama").
    cue_before: bool,
    /// A speech verb after it that a plural subject would not take.
    next_is_speech: bool,
    /// A cue that it names a person: a title or a speech verb, and no "the" before.
    cue: bool,
    kind: EntityKind,
    /// Where its strings begin in `Unknown::strings`: the folded last word
    /// (`LAST`), its transliteration key (`SURNAME`), the whole name folded
    /// (`NAME`) and as a transliteration key (`NAME_KEY`, the key of an entity it
    /// starts), then its folded words.
    strings: u32,
    /// Whether it may be a near miss (`near_miss`), and which, once asked.
    may_be_near: bool,
    near: std::sync::OnceLock<Option<crate::kb::FormRef>>,
    /// Title words before it, for an entity it starts.
    titles: Vec<String>,
    /// For a company: its first word, which names it too.
    company_first: Option<Box<str>>,
}

/// The strings of a `Run`, from `Run::strings`.
const LAST: u32 = 0;
const SURNAME: u32 = 1;
const NAME: u32 = 2;
const NAME_KEY: u32 = 3;
const WORDS: u32 = 4;

/// The story's body as the unknown-names pass reads it: by token, which tokens
/// known names took, the folded words, and which open a sentence.
#[derive(Clone, Copy)]
struct Body<'a> {
    doc: &'a Document<'a>,
    kb: &'a KnowledgeBase,
    covered: &'a [bool],
    folded: Words<'a>,
    initial: &'a [bool],
}

/// The runs of name words in tokens lo..end of the story's body added to `out`,
/// their tokens counted from `base`.
/// What `unknown_runs` writes and reads back while it reads a paragraph, kept from
/// one paragraph to the next (so that a story's thousands of paragraphs do not
/// each grow their own from nothing).
#[derive(Default)]
struct RunScratch {
    /// The folded words of a run of units.
    folds: FoldedWords,
    buf: String,
    key: String,
    run: Vec<(usize, usize)>,
}

fn unknown_runs(
    body: Body,
    lo: usize,
    end: usize,
    base: usize,
    out: &mut Unknown,
    scratch: &mut RunScratch,
) {
    let Body {
        doc,
        kb,
        covered,
        folded,
        initial,
    } = body;
    let toks = &doc.tokens;
    let text = doc.text;
    let is_name_word = |k: usize| -> bool {
        let t = &toks[k];
        t.kind == TokenKind::Word && t.cap && !covered[k] && !t.all_caps
    };
    // hyphenated names are one word: Okonkwo-Reyes, Jun-ho
    let joined = |k: usize| -> bool {
        k + 2 < end
            && toks[k].kind == TokenKind::Word
            && &text[toks[k + 1].span()] == "-"
            && !toks[k + 1].space_before
            && toks[k + 2].kind == TokenKind::Word
            && !toks[k + 2].space_before
    };
    let unit = |k: usize| -> (usize, usize) {
        let mut last = k;
        while joined(last) {
            last += 2;
        }
        (k, last)
    };
    let local = |k: usize| (k - base) as u32;
    let byte_base = toks.get(base).map_or(0, |t| t.span().start);
    let RunScratch {
        folds: run_folds,
        buf,
        key,
        run,
    } = scratch;
    let mut i = lo;
    while i < end {
        if !is_name_word(i) {
            i += 1;
            continue;
        }
        // a run of capitalised words, joined by connectors (Abu al-Hassan, van der Berg)
        run.clear();
        run.push(unit(i));
        let mut k = run[0].1;
        loop {
            let j = k + 1;
            if j < end
                && is_name_word(j)
                && doc.sentence_at(toks[j].span().start) == doc.sentence_at(toks[i].span().start)
            {
                let u = unit(j);
                run.push(u);
                k = u.1;
                continue;
            }
            if j + 1 < end
                && toks[j].kind == TokenKind::Word
                && CONNECTORS.contains(&folded.get(j))
                && is_name_word(j + 1)
            {
                run.push((j, j));
                let u = unit(j + 1);
                run.push(u);
                k = u.1;
                continue;
            }
            break;
        }
        let next_index = k + 1;
        // strip leading function words and titles; remember whether a title was there
        let mut title_cue = false;
        let mut start = 0;
        run_folds.clear();
        for u in run.iter() {
            if u.0 == u.1 {
                run_folds.push_str(&folded[u.0]);
            } else {
                run_folds.push_folded(&text[toks[u.0].span().start..toks[u.1].stem().end]);
            }
        }
        let run_f = run_folds.view();
        while start < run.len() {
            let f = run_f.get(start);
            let fl = lexicon::flags(f);
            // a function word that is also a first name, capitalised before another
            // name, is the first name: Per Halvorsen, Will Okafor
            let first_name = start + 1 < run.len() && FIRST_NAME_WORDS.contains(&f);
            if is_title_with(f, fl) {
                title_cue = true;
                start += 1;
            } else if !first_name
                && (fl & (lexicon::IN_FUNCTION_WORDS | lexicon::IN_MONTHS | lexicon::IN_WEEKDAYS)
                    != 0
                    || kb.demonym(hash(f)).is_some())
            {
                start += 1;
            } else {
                break;
            }
        }
        // a title right before the run, in lower case (spokesman Dmitry Peskov)
        if start == 0
            && i > lo
            && toks[i - 1].kind == TokenKind::Word
            && lexicon::contains(TITLES, &folded[i - 1])
        {
            title_cue = true;
        }
        let mut end_word = run.len();
        while end_word > start {
            let f = run_f.get(end_word - 1);
            let fl = lexicon::flags(f);
            if fl & (lexicon::IN_FUNCTION_WORDS | lexicon::IN_MONTHS | lexicon::IN_WEEKDAYS) != 0
                || is_title_with(f, fl)
                || kb.demonym(hash(f)).is_some()
            {
                end_word -= 1;
            } else {
                break;
            }
        }
        i = next_index;
        if start >= end_word {
            continue;
        }
        let words = &run[start..end_word];
        let first_tok = words[0].0;
        let last_word = *words.last().unwrap();
        let single_token = words.len() == 1 && words[0].0 == words[0].1;
        // one capitalised word opening a sentence is a name only if the story has met it
        let initial_single = initial[first_tok] && words.len() == 1 && !title_cue;
        let lastf = run_f.get(end_word - 1);
        // "said Wendell Oyama": a speech verb right before the name
        let cue_before = toks[i - 1].kind == TokenKind::Word && is_speech_word(&folded[i - 1]);
        let next = (next_index < end).then(|| &toks[next_index]);
        // "Ashcombe reject third bid": a verb agreeing with a plural subject names a
        // team or a group, not a person
        let next_is_speech = next.is_some_and(|t| {
            t.kind == TokenKind::Word
                && is_speech_word(&folded[next_index])
                && !is_plural_verb(&folded[next_index])
        }) || (next.is_some_and(|t| text[t.span()] == *",")
            && (next_index + 1 < end)
                .then(|| &toks[next_index + 1])
                .is_some_and(|t| t.kind == TokenKind::Word && !t.cap));
        let last_flags = lexicon::flags(lastf);
        let kind = if last_flags & lexicon::IN_ORG_HEADS != 0 {
            EntityKind::Organization
        } else if last_flags & lexicon::IN_PLACE_HEADS != 0 {
            EntityKind::Place
        } else if title_cue || ((next_is_speech || cue_before) && words.len() <= 4) {
            EntityKind::Person
        } else {
            EntityKind::Other
        };
        translit_key_into(lastf, key);
        let span = toks[first_tok].span().start..toks[last_word.1].stem().end;
        let bytes = (
            (span.start - byte_base) as u32,
            (span.end - byte_base) as u32,
        );
        let name = &text[span];
        fold(name, buf);
        // a person: a title, or a speech verb right before or after; never after
        // "the" (since the Games)
        let the_before = first_tok > lo && &folded[first_tok - 1] == "the";
        let speech_after =
            next.is_some_and(|t| t.kind == TokenKind::Word && is_speech_word(&folded[next_index]));
        let cue = !the_before && (title_cue || speech_after || cue_before);
        let may_be_near = kind != EntityKind::Organization && (single_token || words.len() <= 3);
        // title words in the run, and lower-case words right before it ("the
        // challenger Rafael Valdés-Lindgren", "fire chief Renata ...")
        let mut titles: Vec<String> = if title_cue {
            run_f.range(0, start).iter().map(str::to_string).collect()
        } else {
            Vec::new()
        };
        let mut j = i;
        while j > lo && i - j < 3 {
            j -= 1;
            if toks[j].kind != TokenKind::Word
                || toks[j].cap
                || lexicon::contains(FUNCTION_WORDS, &folded[j])
            {
                break;
            }
            titles.push(folded[j].to_string());
        }
        // a company goes by its first word too (Brightwater for Brightwater Steel),
        // when that word is no common one; a body does not (Halvern is the county,
        // not the Halvern County Highways Department)
        let company_first = (kind == EntityKind::Organization
            && words.len() >= 2
            && words[0].0 == words[0].1
            && COMPANY_HEADS.contains(&lastf))
        .then(|| &folded[words[0].0])
        .filter(|first| {
            first.chars().count() >= 4
                && lexicon::flags(first) == 0
                && kb.demonym(hash(first)).is_none()
                && kb.lookup(chain(0, hash(first))).is_empty()
        })
        .map(Into::into);
        let strings = out.strings.len() as u32;
        out.strings.push_str(lastf);
        out.strings.push_str(key);
        out.strings.push_str(buf);
        translit_key_into(buf, key);
        out.strings.push_str(key);
        for w in run_f.range(start, end_word).iter() {
            out.strings.push_str(w);
        }
        out.runs.push(Run {
            bytes,
            last_word: (local(last_word.0), local(last_word.1)),
            words: words.len(),
            initial_single,
            title_cue,
            cue_before,
            next_is_speech,
            cue,
            kind,
            strings,
            may_be_near,
            near: std::sync::OnceLock::new(),
            titles,
            company_first,
        });
    }
}

/// Names the knowledge base does not know, from the runs of name words of each
/// paragraph (`unknown_runs`, found again where `kept` has none, or none for the
/// tokens known names now take) and what the story has met before each.
fn unknown_names(
    body: Body,
    b: &mut Builder,
    segments: &[(Option<usize>, std::ops::Range<usize>)],
    kept: &mut [Option<ParagraphNames>],
) {
    let Body {
        doc, kb, covered, ..
    } = body;
    let toks = &doc.tokens;
    let text = doc.text;
    let mut scratch = RunScratch::default();
    // a paragraph's runs, with the tokens they were found with, for `kept`
    let paragraph = |lo: usize, end: usize, scratch: &mut RunScratch| {
        let mut u = Unknown {
            covered: covered[lo..end].into(),
            ..Default::default()
        };
        unknown_runs(body, lo, end, lo, &mut u, scratch);
        Arc::new(u)
    };
    // each paragraph's runs, and those of any tokens outside paragraphs, in text
    // order (with nothing kept, all in one)
    let mut found: Vec<(usize, Arc<Unknown>)> = Vec::new();
    let mut all = Unknown::default();
    for (p, range) in segments {
        let (lo, end) = (range.start, range.end);
        let Some(names) = p.and_then(|p| kept.get_mut(p)).and_then(Option::as_mut) else {
            if all.runs.capacity() == 0 {
                // room for the rest of the story's runs (news runs about one a 24
                // tokens, six strings and 40 bytes each), so that a long story's do
                // not grow by copying (round 23)
                let rest = toks.len() - lo;
                all.runs.reserve(rest / 16);
                all.strings = FoldedWords::with_capacity(rest / 3, rest * 2);
            }
            unknown_runs(body, lo, end, 0, &mut all, &mut scratch);
            continue;
        };
        if !all.runs.is_empty() {
            found.push((0, Arc::new(std::mem::take(&mut all))));
        }
        match &names.unknown {
            Some(u) if *u.covered == covered[lo..end] => found.push((lo, u.clone())),
            _ => {
                let u = paragraph(lo, end, &mut scratch);
                names.unknown = Some(u.clone());
                found.push((lo, u));
            }
        }
    }
    if !all.runs.is_empty() {
        found.push((0, Arc::new(all)));
    }
    for (lo, unknown) in &found {
        for r in &unknown.runs {
            unknown_name(text, toks, kb, b, unknown, r, *lo);
        }
    }
}

/// What run `r` of a paragraph whose first token is `lo` names, given what the
/// story has met before it: someone met before (by surname or full name), a
/// near miss of a well-known name, a new entity, or nothing.
fn unknown_name(
    text: &str,
    toks: &[Token],
    kb: &KnowledgeBase,
    b: &mut Builder,
    u: &Unknown,
    r: &Run,
    lo: usize,
) {
    let lastf = u.string(r, LAST);
    let surname_key = u.string(r, SURNAME);
    if r.initial_single
        && !r.next_is_speech
        && !r.cue_before
        && !b.by_surname.contains_key(surname_key)
        && !b.by_name.contains_key(lastf)
        && !b.near_words.contains(lastf)
    {
        return;
    }
    let base = toks[lo].span().start;
    let span = base + r.bytes.0 as usize..base + r.bytes.1 as usize;
    let name = &text[span.clone()];
    // a surname (or the end of a full name: Van Alst for Annelies van Aalst) of
    // someone already met
    let existing = b.by_surname.get(surname_key).and_then(|cands| {
        if r.words == 1 {
            // a surname alone: the first full name that ends with it
            return cands
                .iter()
                .map(|c| c.0)
                .find(|&e| b.entities[e].name.split_whitespace().count() > 1)
                .or(cands.first().map(|c| c.0));
        }
        // (each with its name's transliteration key)
        let nk = u.string(r, NAME_KEY);
        cands.iter().find_map(|(e, ek)| {
            (**ek == *nk
                || (ek.len() > nk.len()
                    && ek.ends_with(nk)
                    && ek[..ek.len() - nk.len()].ends_with(' ')))
            .then_some(*e)
        })
    });
    let known_name = b.by_name.get(u.string(r, NAME)).copied();
    let entity = match existing.or(known_name) {
        Some(e) => e,
        None => {
            if r.initial_single && !r.cue && !b.near_words.contains(lastf) {
                return;
            }
            // near miss of a well-known name (Stoltenburg, Olaf Scholtz): one word
            // alone needs a cue that it names a person, or the entity in the story
            let near = r
                .may_be_near
                .then(|| {
                    *r.near.get_or_init(|| {
                        let from = (r.strings + WORDS) as usize;
                        near_miss(kb, u.strings.view().range(from, from + r.words))
                    })
                })
                .flatten()
                .filter(|n| {
                    r.words > 1
                        || (kb.entity(n.entity).is_person() && r.cue)
                        || b.by_kb.contains_key(&n.entity)
                });
            if let Some(near) = near {
                let (a, z) = r.last_word;
                let vspan = toks[lo + a as usize].span().start..toks[lo + z as usize].stem().end;
                b.near_words.insert(lastf.to_string());
                let e = b.known(near.entity);
                let f = kb.form(near);
                // a full name is indexed by its surname: the surname replaces
                let replacement = match &f.replacement {
                    Some(t) => t.clone(),
                    None if f.words > 1 => f
                        .text
                        .split_whitespace()
                        .last()
                        .unwrap_or(&f.text)
                        .to_string(),
                    None => f.text.clone(),
                };
                b.add(
                    e,
                    span,
                    r.words > 1,
                    Some(SpellingVariant {
                        span: vspan,
                        replacement,
                        reason: VariantReason::NearMiss,
                    }),
                );
                return;
            }
            if r.initial_single {
                return;
            }
            if r.kind == EntityKind::Other && r.words < 2 {
                return;
            }
            if r.kind == EntityKind::Person
                && r.words == 1
                && !r.title_cue
                && !r.next_is_speech
                && !r.cue_before
            {
                return;
            }
            let idx = b.entities.len();
            b.entities.push(DocEntity {
                kb: None,
                name: name.into(),
                kind: r.kind,
                gender: None,
                titles: r.titles.clone(),
                description: "".into(),
                mentions: Vec::new(),
            });
            b.by_name.insert(u.string(r, NAME).to_string(), idx);
            if let Some(first) = &r.company_first {
                b.by_name.entry(first.to_string()).or_insert(idx);
            }
            if r.kind == EntityKind::Person || (r.kind == EntityKind::Other && r.words > 1) {
                let key = u.string(r, NAME_KEY).into();
                b.by_surname
                    .entry(surname_key.to_string())
                    .or_default()
                    .push((idx, key));
            }
            idx
        }
    };
    b.add(entity, span, r.words > 1, None);
}

/// A well-known name one edit away from the last word of a run of name words, as
/// far as the words tell: a longer run must match the rest of the name exactly
/// (Olaf Scholtz, Prabowo Subiyanto; not Winter Games for Bill Gates). One word
/// alone also needs a cue that it names a person (a title, a speech verb) or the
/// entity already in the story (`unknown_name`).
fn near_miss(kb: &KnowledgeBase, words: Words) -> Option<crate::kb::FormRef> {
    let lastf = words.get(words.len().checked_sub(1)?);
    if lastf.chars().count() < 5 {
        return None;
    }
    let near = kb.near_misses(lastf);
    let first = near.first()?.entity;
    if !near.iter().all(|r| r.entity == first) {
        return None;
    }
    let plural = near.iter().any(|r| {
        let f = crate::text::fold::folded(&kb.form(*r).text);
        lastf == format!("{f}s") || lastf == format!("{f}es")
    });
    if plural {
        return None;
    }
    let r = near[0];
    if words.len() == 1 {
        return Some(r);
    }
    // the words before the surname are one of the entity's full names (its first name)
    let head = words.range(0, words.len() - 1);
    let matches = kb.entity(r.entity).forms().iter().any(|f| {
        let fw = crate::kb::form_words(&f.text);
        fw.len() == words.len() && fw.iter().zip(head.iter()).all(|(a, b)| a == b)
    });
    matches.then_some(r)
}

/// Spelling families among unknown people: the same surname (or first name of the
/// same person) written two ways. The form used most often wins, then the first.
fn unknown_spellings(doc: &Document, rec: &mut Recognized) {
    let text = doc.text;
    // (lists made once, for every entity in turn)
    let mut tokens: Vec<std::ops::Range<usize>> = Vec::new();
    let mut words: Vec<Span> = Vec::new();
    let mut counts: Vec<(std::borrow::Cow<str>, usize, usize)> = Vec::new();
    // each mention's first token, found when an entity first needs them
    let mut first_tokens: Option<Vec<usize>> = None;
    for ei in 0..rec.entities.len() {
        let e = &rec.entities[ei];
        let person = e.kind == EntityKind::Person
            || (e.kind == EntityKind::Other && e.name.split_whitespace().count() > 1);
        // one mention has one spelling
        if e.kb.is_some() || !person || e.mentions.len() < 2 {
            continue;
        }
        // each mention's tokens, from its first
        let first_tokens = first_tokens.get_or_insert_with(|| {
            // (found for every mention in text order, each search going on from the
            // last: a few nearby tokens each, where a search per entity would leap
            // across the story from one of its mentions to the next)
            let mut from = 0;
            rec.mentions
                .iter()
                .map(|m| {
                    from =
                        crate::text::gallop(&doc.tokens, from, |t| t.span().start < m.span.start);
                    from
                })
                .collect::<Vec<usize>>()
        });
        tokens.clear();
        tokens.extend(rec.entities[ei].mentions.iter().map(|&m| {
            let span = &rec.mentions[m].span;
            let from = first_tokens[m];
            let to = from
                + doc.tokens[from..]
                    .iter()
                    .take_while(|t| t.span().start < span.end)
                    .count();
            from..to
        }));
        // words by position from the end: 0 = surname, 1 = the word before it
        for slot in 0..2 {
            words.clear();
            for range in &tokens {
                if let Some(t) = doc.tokens[range.clone()]
                    .iter()
                    .rev()
                    .filter(|t| t.kind == TokenKind::Word)
                    .nth(slot)
                {
                    words.push(t.stem());
                }
            }
            // apostrophe styles are one spelling (O'Connell, O’Connell)
            let norm = |s: &str| -> String { s.replace(['’', 'ʼ'], "'") };
            // particles (van, el, de) are typography, not the name
            let particle = |s: &str| {
                if s.is_ascii() {
                    CONNECTORS.iter().any(|c| s.eq_ignore_ascii_case(c))
                } else {
                    CONNECTORS.contains(&s.to_lowercase().as_str())
                }
            };
            counts.clear();
            for (order, w) in words.iter().enumerate() {
                let s = &text[w.clone()];
                let s: std::borrow::Cow<str> = if s.contains(['’', 'ʼ']) {
                    norm(s).into()
                } else {
                    s.into()
                };
                let letters = s.chars().filter(|c| c.is_alphabetic()).count();
                if letters < 2
                    || particle(&s)
                    || s.chars()
                        .filter(|c| c.is_alphabetic())
                        .all(|c| c.is_uppercase())
                {
                    continue;
                }
                match counts.iter_mut().find(|c| c.0 == s) {
                    Some(c) => c.1 += 1,
                    None => counts.push((s, 1, order)),
                }
            }
            if counts.len() < 2 {
                continue;
            }
            let preferred = counts
                .iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
                .unwrap()
                .0
                .to_string();
            let pfold = crate::text::fold::folded(&preferred);
            let pkey = translit_key(&pfold);
            for w in words.iter() {
                let s = &norm(&text[w.clone()]);
                if *s == preferred
                    || particle(s)
                    || s.chars()
                        .filter(|c| c.is_alphabetic())
                        .all(|c| c.is_uppercase())
                {
                    continue;
                }
                // short names merge only when they differ in diacritics (Mae, Mäe),
                // never by transliteration (Li, Lee)
                let short = s.chars().filter(|c| c.is_alphabetic()).count() < 4;
                let same = if short {
                    crate::text::fold::folded(s) == pfold
                } else {
                    translit_key(&crate::text::fold::folded(s)) == pkey
                };
                if !same {
                    continue;
                }
                // mentions are sorted and do not overlap: the one containing w
                let at = rec.mentions.partition_point(|m| m.span.end < w.end);
                if let Some(m) = rec
                    .mentions
                    .get_mut(at)
                    .filter(|m| m.span.start <= w.start && w.end <= m.span.end)
                {
                    if m.variant.is_none() {
                        let reason = if s.to_lowercase() == preferred.to_lowercase() {
                            VariantReason::Case
                        } else if crate::text::fold::folded(s) == pfold {
                            VariantReason::Diacritics
                        } else {
                            VariantReason::Transliteration
                        };
                        m.variant = Some(SpellingVariant {
                            span: w.clone(),
                            replacement: preferred.clone(),
                            reason,
                        });
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Format;

    /// (entity name, mention text, variant replacement) for every mention.
    fn mentions(text: &str, format: Format) -> Vec<(String, String, Option<String>)> {
        let kb = KnowledgeBase::embedded();
        let doc = Document::new(text, format);
        let rec = recognize(&doc, &kb);
        rec.mentions
            .iter()
            .map(|m| {
                (
                    rec.entities[m.entity].name.to_string(),
                    text[m.span.clone()].to_string(),
                    m.variant.as_ref().map(|v| v.replacement.clone()),
                )
            })
            .collect()
    }

    fn has(ms: &[(String, String, Option<String>)], name: &str, written: &str) -> bool {
        ms.iter().any(|m| m.0 == name && m.1 == written)
    }

    #[test]
    fn qualified_place_and_its_short_form_in_context() {
        let t = "The family left Odessa for a church in Odessa. ODESSA, Texas (AP) — More.";
        let ms = mentions(t, Format::PlainText);
        let odessa: Vec<_> = ms
            .iter()
            .filter(|m| m.1.eq_ignore_ascii_case("odessa"))
            .collect();
        assert_eq!(odessa.len(), 3, "{ms:?}");
        assert!(
            odessa
                .iter()
                .all(|m| m.0 == "Odessa, Texas" && m.2.is_none()),
            "{ms:?}"
        );
        assert!(has(&ms, "Texas", "Texas"), "{ms:?}");
        // without the qualified name, Odessa is the Ukrainian port's old spelling
        let ms = mentions("Ships left Odessa on Monday.", Format::PlainText);
        assert_eq!(ms[0].0, "Odesa");
        assert_eq!(ms[0].2.as_deref(), Some("Odesa"));
    }

    #[test]
    fn front_matter_title_is_prose() {
        let t = "---\ntitle: Kast wins in Chile\ndate: 2025-12-15\n---\n\nJosé Antonio Kast won.\n";
        let ms = mentions(t, Format::Markdown);
        assert_eq!(ms[0].1, "Kast", "{ms:?}");
        assert!(has(&ms, "Chile", "Chile"), "{ms:?}");
    }

    #[test]
    fn sentence_initial_surnames_and_their_spellings() {
        let t = "Serhiy Hryshchuk, an adviser, spoke. Hryshchuk said no. Hryschuk said later.";
        let ms = mentions(t, Format::PlainText);
        assert_eq!(ms.len(), 3, "{ms:?}");
        assert!(ms.iter().all(|m| m.0 == "Serhiy Hryshchuk"), "{ms:?}");
        assert_eq!(ms[2].2.as_deref(), Some("Hryshchuk"));
        // a capitalised word opening a sentence is no name by itself
        let ms = mentions("Officials said no. Markets fell.", Format::PlainText);
        assert!(ms.is_empty(), "{ms:?}");
    }

    #[test]
    fn near_misses_need_the_name_or_a_cue() {
        let ms = mentions(
            "German Chancellor Olaf Scholtz spoke. Guterrez said the gap was wide.",
            Format::PlainText,
        );
        assert!(has(&ms, "Olaf Scholz", "Olaf Scholtz"), "{ms:?}");
        assert!(has(&ms, "António Guterres", "Guterrez"), "{ms:?}");
        // the Winter Games are not Bill Gates
        let ms = mentions(
            "Coventry, chairing her first meeting since the Games, said no.",
            Format::PlainText,
        );
        assert!(ms.iter().all(|m| m.1 != "Games" || m.2.is_none()), "{ms:?}");
    }

    #[test]
    fn old_names_in_history_and_institutions_are_not_variants() {
        let t = "Her grandmother lived in Soviet Moldavia. A professor at Peking University \
                 spoke. A plant in Canton, Ohio, closed. Moldova votes.";
        let ms = mentions(t, Format::PlainText);
        assert!(ms.iter().all(|m| m.2.is_none()), "{ms:?}");
    }

    #[test]
    fn common_phrases_and_other_peoples_surnames() {
        let t = "NATO met. The alliance said the Alliance would grow. \
                 President Recep Tayyip Erdogan spoke. His wife, Emine Erdoğan, said.";
        let ms = mentions(t, Format::PlainText);
        assert!(
            !ms.iter()
                .any(|m| m.1 == "alliance" || m.1 == "The alliance"),
            "{ms:?}"
        );
        assert!(has(&ms, "NATO", "the Alliance"), "{ms:?}");
        assert!(!has(&ms, "Recep Tayyip Erdogan", "Erdoğan"), "{ms:?}");
    }

    fn person(name: &str, kind: EntityKind) -> DocEntity {
        DocEntity {
            kb: None,
            name: name.into(),
            kind,
            gender: None,
            titles: Vec::new(),
            description: "".into(),
            mentions: Vec::new(),
        }
    }

    #[test]
    fn people_are_found_by_the_ends_of_their_names() {
        let rec = Recognized {
            entities: vec![
                person("Lund University", EntityKind::Organization),
                person("Anders Lund", EntityKind::Person),
                person("Marisol Teixeira-Lund", EntityKind::Person),
                person("Ana Sofía Pérez", EntityKind::Person),
                person("Pérez", EntityKind::Person),
            ],
            ..Default::default()
        };
        assert_eq!(rec.person_by_surname("lund"), Some(1));
        assert_eq!(rec.person_by_surname("teixeira-lund"), Some(2));
        assert_eq!(rec.person_by_surname("sofia perez"), Some(3));
        assert_eq!(rec.person_by_surname("perez"), Some(3));
        assert_eq!(rec.person_by_surname("ana"), None);
        assert_eq!(rec.person_by_surname("university"), None);
        assert_eq!(rec.person_by_surname("lu"), None);
        assert_eq!(rec.person_by_last_word("lund"), Some(1));
        assert_eq!(rec.person_by_last_word("perez"), Some(3));
        assert_eq!(rec.person_by_last_word("teixeira-lund"), None);
        assert_eq!(rec.person_by_last_word("anders"), None);
        assert_eq!(Recognized::default().person_by_surname("lund"), None);
    }
}
