//! `analyze`: text in, report out.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use crate::attribution::{self, Attribution};
use crate::entities::{self, ParagraphNames, Recognized};
use crate::kb::KnowledgeBase;
use crate::report::{
    Dateline, DatelineSource, Diagnostic, Edit, EntityInfo, Fix, Mention, QuoteInfo, QuoteKind,
    Related, Report, Severity, Span,
};
use crate::rules::{self, Context, Needs, Rule};
use crate::temporal::{self, Temporals};
use crate::text::fold::{self, PreHashedMap};
use crate::text::{Document, Format, PARALLEL_MIN_BYTES, Quote, TextMemo};

/// Per-rule settings: on or off, and the severity to report at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleSetting {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
}

/// Everything `analyze` needs besides the text.
#[derive(Clone, Debug)]
pub struct Options {
    pub format: Format,
    /// A date that overrides whatever the story carries.
    pub dateline: Option<jiff::civil::Date>,
    pub rules: HashMap<String, RuleSetting>,
    pub kb: Arc<KnowledgeBase>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            kb: KnowledgeBase::embedded(),
            ..Options::default_without_kb()
        }
    }
}

impl Options {
    /// The defaults with an empty knowledge base, without loading the embedded one.
    pub fn default_without_kb() -> Self {
        Options {
            format: Format::Markdown,
            dateline: None,
            rules: HashMap::new(),
            kb: Arc::new(KnowledgeBase::empty()),
        }
    }
}

impl Options {
    pub fn rule_enabled(&self, code: &str) -> bool {
        self.rules.get(code).and_then(|r| r.enabled).unwrap_or(true)
    }
}

/// Short stories that between them reach every regular expression an analysis
/// uses (checked by a test over the seeds and the corpus), in the format each is
/// written in: front matter, a `date` first line and a wire dateline; weekdays,
/// dates and relative dates; figures of every kind, a tally, an anchored sentence;
/// quotations, vague sourcing, a suppression comment and a web address.
const WARM_UP: [(&str, Format); 3] = [
    (
        "---\ntitle: Council passes budget\ndate: 2024-03-05\n---\n\n# Council passes budget\n\n\
         <!-- copydesk-disable-next-line vague-attribution -->\n\
         Sources said the vote was close. The text is at www.example.org/budget.\n\n\
         The council approved $3.2 million on Tuesday, March 5, 2024, and spending rose 12 percent, \
         officials said. \"We will stay,\" she said. \"The so-called plan\n\n\
         The death toll rose to 212 and more than 1,200 people left, according to local reports. \
         A third of the city's schools are closed and fees rose 5 percent. Thousands of residents have so far signed. \
         As of Monday, 40% of the 3,000 homes were empty, a senior official, who spoke on \
         condition of anonymity, said last week.\n",
        Format::Markdown,
    ),
    (
        "date 2024-03-05\n\nThe mayor said on Thursday that two weeks ago the plan was dropped. \
         It will return in two weeks, she said, and again next month.\n",
        Format::PlainText,
    ),
    (
        "OSLO, March 5 (Reuters) - Norway's parliament voted on March 5, 2024, to keep \
         the 2023 limits, the day after the talks. Kiev and Kyiv, 15 March, Fri 8 March.\n",
        Format::PlainText,
    ),
];

/// Compile every regular expression an analysis uses and build its word tables, by
/// analysing short stories written to reach them all against an empty knowledge
/// base, so that none of it falls on a user's first document. The server runs it on
/// a thread of its own while the editor starts up.
pub fn warm_up() {
    let options = Options::default_without_kb();
    for (text, format) in WARM_UP {
        let options = Options {
            format,
            ..options.clone()
        };
        analyze(text, &options);
    }
}

/// Analyse one story. Pure: no I/O, no global state beyond the immutable knowledge base.
///
/// A story of [`PARALLEL_MIN_BYTES`] or more is analysed on two threads: the text
/// model in two halves, then the names, the quotations' speakers and the rules that
/// read the entities on this thread while the dates and the rules that need only the
/// text run on the other, the quotations' kinds shared between them. The report is
/// the same, byte for byte, as on one thread.
pub fn analyze(text: &str, options: &Options) -> Report {
    analyze_with_threads(text, options, PARALLEL_MIN_BYTES)
}

/// `analyze`, on two threads when the text has at least `min_bytes` bytes
/// (`usize::MAX`: always on one; 0: always on two). The report is the same either
/// way (`tests/parallel.rs`).
pub fn analyze_with_threads(text: &str, options: &Options, min_bytes: usize) -> Report {
    let doc = Document::with_threads(text, options.format, min_bytes);
    analyze_document(&doc, options, min_bytes, None)
}

/// What an analysis keeps of a document for the next analysis of it
/// (`analyze_with_memo`): the text model's pieces, and each paragraph's dates,
/// paragraph-rule findings, the kinds of the quotations within it and what the
/// names pass reads of its words (`entities::ParagraphNames`), and the quotations'
/// attributions with what they read (`LastAttributions`). It holds somewhat more
/// than the last analysis's text model, and only what the last analyses used.
#[derive(Default)]
pub struct Memo {
    text: TextMemo,
    paragraphs: ParagraphMemo,
    /// The last analysis's attributions, with what they read (taken out while an
    /// analysis runs, so that one that does not finish leaves none).
    attributions: Option<LastAttributions>,
    /// The last analysis's names (`entities::LastNames`), taken out the same way.
    names: Option<entities::LastNames>,
    /// What the last analysis replaced of the above (`Retired`).
    retired: Retired,
}

/// What an analysis replaced of what a memo keeps: the names and attributions of
/// the analysis before, when it did not take them again. Freeing them reads
/// thousands of mentions, entities and attributions scattered in memory, so the
/// caller frees them when it suits (`Memo::take_retired`): the server, once it
/// has published the diagnostics. Those left in the memo are freed by the next
/// analysis.
#[derive(Default)]
pub struct Retired {
    names: Option<entities::LastNames>,
    attributions: Option<LastAttributions>,
}

impl Retired {
    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.names.is_none() && self.attributions.is_none()
    }
}

impl Memo {
    /// Nothing kept yet: no analysis has used it.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.paragraphs.entries.is_empty()
    }

    /// How many quotations the last analysis kept the attribution of from the one
    /// before (`Reuse`), for tests and measurements.
    pub fn attributions_kept(&self) -> usize {
        self.attributions.as_ref().map_or(0, |a| a.kept)
    }

    /// Whether the last analysis took the names found by the one before again
    /// (`entities::LastNames`), for tests and measurements.
    pub fn names_kept(&self) -> bool {
        self.names.as_ref().is_some_and(|n| n.again)
    }

    /// What the last analysis replaced (`Retired`), for the caller to free when
    /// it suits.
    pub fn take_retired(&mut self) -> Retired {
        std::mem::take(&mut self.retired)
    }
}

/// `analyze`, reusing what `memo` kept from the last analysis of the same document
/// (the server keeps one for the document being typed in): only the paragraphs
/// that changed are split into words and sentences again, and only they have their
/// dates found, their quotations classified, their paragraph rules
/// (`rules::Rule::paragraph`) run again and their words read for names again.
/// Who speaks a quotation is kept from the last analysis when nothing it read
/// changed (`Reuse`), and found again otherwise. What the names mean (which depends
/// on what the story met before) is decided over the whole document. The report is
/// the same as `analyze` gives (`tests/incremental.rs`).
///
/// With a memo to reuse, the analysis runs on one thread: what is left to do is
/// little and sequential, and on two cores a thread that has been idle between
/// keystrokes starts late (BENCHMARKS.md, round 6).
pub fn analyze_with_memo(text: &str, options: &Options, memo: &mut Memo) -> Report {
    let min_bytes = if memo.is_empty() {
        PARALLEL_MIN_BYTES
    } else {
        usize::MAX
    };
    analyze_with_memo_threads(text, options, memo, min_bytes)
}

/// `analyze_with_memo`, on two threads from `min_bytes` bytes on (as
/// `analyze_with_threads`).
pub fn analyze_with_memo_threads(
    text: &str,
    options: &Options,
    memo: &mut Memo,
    min_bytes: usize,
) -> Report {
    let doc = Document::with_memo(text, options.format, &mut memo.text);
    let mut attributions = memo.attributions.take();
    let mut names = memo.names.take();
    let report = analyze_document(
        &doc,
        options,
        min_bytes,
        Some(Kept {
            paragraphs: &mut memo.paragraphs,
            attributions: &mut attributions,
            names: &mut names,
            retired: &mut memo.retired,
        }),
    );
    memo.attributions = attributions;
    memo.names = names;
    // the model goes back to the memo, to be changed in place next time
    memo.text.keep(doc);
    report
}

/// What is kept of each paragraph (`ParagraphEntry`), by what it depends on.
#[derive(Default)]
struct ParagraphMemo {
    /// What every entry also depends on: the format, the dateline's date and the
    /// knowledge base (`KnowledgeBase::generation`).
    setting: Option<Setting>,
    /// By `ParagraphKey::hash`; one paragraph of those with the same hash. Entries
    /// stay where they are from one analysis to the next: those no analysis has used
    /// lately are dropped once they are more than a few (`ParagraphRun::finish`).
    entries: PreHashedMap<(ParagraphKey, ParagraphEntry)>,
    /// Each paragraph's entry in the last analysis (`ParagraphRun::slots`).
    slots: Vec<u64>,
    /// The number of the last analysis (`ParagraphEntry::used`).
    run: u64,
    /// How many dates and weekday-date pairs the last analysis found, and how
    /// many findings each rule of `rules::ALL` gave: room made for as many, the
    /// lists are not grown (copied) a step at a time on every keystroke.
    last_counts: (usize, usize),
    last_found: Vec<usize>,
}

/// All that what is kept of a paragraph depends on, besides the
/// `ParagraphMemo::setting`.
struct ParagraphKey {
    text: Box<str>,
    prose: Box<str>,
    first: bool,
    /// The parts of quotations within the paragraph, from its start.
    quotes: Box<[(usize, usize)]>,
}

/// A paragraph of a document, as what its memo entry depends on.
struct ParagraphView<'d> {
    text: &'d str,
    prose: &'d str,
    first: bool,
    quotes: &'d [(usize, usize)],
}

impl ParagraphView<'_> {
    fn hash(&self) -> u64 {
        let mut h = fold::hash_long(self.text.as_bytes(), self.first as u64);
        if self.prose != self.text {
            h = fold::hash_long(self.prose.as_bytes(), h);
        }
        for &(a, b) in self.quotes {
            h = fold::chain(h, (a as u64) << 32 ^ b as u64);
        }
        h
    }

    fn is(&self, key: &ParagraphKey) -> bool {
        *key.text == *self.text
            && *key.prose == *self.prose
            && key.first == self.first
            && *key.quotes == *self.quotes
    }

    fn key(&self) -> ParagraphKey {
        ParagraphKey {
            text: self.text.into(),
            prose: self.prose.into(),
            first: self.first,
            quotes: self.quotes.into(),
        }
    }
}

/// The spans of the entity mentions in a paragraph, from its start.
type Mentions = Box<[(usize, usize)]>;

/// What is kept of a paragraph, with offsets from its start (token indexes from
/// its first token).
struct ParagraphEntry {
    temporals: Temporals,
    /// One for each rule of `rules::ALL`: `None` until the rule has run on it; for
    /// a rule that reads the names, with the mentions in the paragraph it saw.
    findings: Vec<Option<(Mentions, Vec<Diagnostic>)>>,
    /// The kinds of the quotations that open and close in the paragraph, by their
    /// start from the paragraph's; for one that ends it, with whether the word
    /// after it names a plan (`ParagraphRun::kind`).
    kinds: Vec<(usize, Option<bool>, QuoteKind)>,
    /// What the names pass found in it from its words alone.
    names: Option<ParagraphNames>,
    /// The last analysis that used it (`ParagraphMemo::run`).
    used: u64,
}

/// One analysis's use of a `ParagraphMemo`: the entries of this document's
/// paragraphs, found in the memo or put there new, marked used by this run.
struct ParagraphRun<'m> {
    memo: &'m mut ParagraphMemo,
    /// Each paragraph's entry in the memo's `entries`.
    slots: Vec<u64>,
    /// Each paragraph's mentions of entities, once the names are known (for the
    /// paragraph rules that read them).
    mentions: Option<ByParagraph>,
}

impl<'m> ParagraphRun<'m> {
    /// The document's dates, found again only in the paragraphs the memo does not
    /// have.
    fn dates(
        memo: &'m mut ParagraphMemo,
        doc: &Document,
        format: Format,
        dl: Option<jiff::civil::Date>,
        kb: u64,
    ) -> (Temporals, ParagraphRun<'m>) {
        if memo.setting != Some((format, dl, kb)) {
            memo.entries.clear();
            memo.setting = Some((format, dl, kb));
        }
        let quotes = quotes_by_paragraph(doc);
        let mut all = Temporals::default();
        all.expressions.reserve(memo.last_counts.0);
        all.weekday_dates.reserve(memo.last_counts.1);
        let mut slots = Vec::with_capacity(doc.paragraphs.len());
        let n = doc.paragraphs.len();
        let last_slots = std::mem::take(&mut memo.slots);
        memo.run += 1;
        let run = memo.run;
        let entries = &mut memo.entries;
        let unchanged = doc
            .unchanged
            .filter(|u| u.last_count == last_slots.len() && u.before + u.after <= n);
        for (i, p) in doc.paragraphs.iter().enumerate() {
            let quotes = &quotes[i];
            let view = ParagraphView {
                text: &doc.text[p.span.clone()],
                prose: &doc.prose[p.span.clone()],
                first: i == 0,
                quotes,
            };
            // a paragraph the text model kept from the last document: its text and
            // prose are the same, so its entry is the one it had (if still there)
            let last = unchanged.and_then(|u| match i {
                _ if i < u.before => Some(i),
                _ if i >= n - u.after => Some(i + u.last_count - n),
                _ => None,
            });
            if let Some(h) = last.map(|j| last_slots[j]) {
                if let Some((key, kept)) = entries.get_mut(&h) {
                    if key.first == view.first && *key.quotes == *view.quotes {
                        kept.used = run;
                        all.append_copy(&kept.temporals, p.span.start);
                        slots.push(h);
                        continue;
                    }
                }
            }
            // a paragraph seen before in this document, or kept from an earlier
            // analysis, or new: its dates found now (a paragraph whose hash another
            // one this analysis uses has takes the next free one; an entry of the
            // same hash no longer used gives way)
            let mut h = view.hash();
            loop {
                match entries.get_mut(&h) {
                    Some((key, kept)) if view.is(key) => {
                        kept.used = run;
                        break;
                    }
                    Some((_, other)) if other.used == run => h = fold::chain(h, 1),
                    _ => {
                        let entry = ParagraphEntry {
                            temporals: temporal::find_in(doc, p, dl),
                            findings: vec![None; rules::ALL.len()],
                            kinds: Vec::new(),
                            names: None,
                            used: run,
                        };
                        entries.insert(h, (view.key(), entry));
                        break;
                    }
                }
            }
            all.append_copy(&entries[&h].1.temporals, p.span.start);
            slots.push(h);
        }
        memo.last_counts = (all.expressions.len(), all.weekday_dates.len());
        let run = ParagraphRun {
            memo,
            slots,
            mentions: None,
        };
        (all, run)
    }

    /// The kind of quotation `q`: kept in its paragraph's entry when the quotation
    /// opens and closes in it (all that `attribution::classify` reads then lies
    /// within it: the quotation, the words before it there, the word after it),
    /// or, for one that ends the paragraph, with whether the word after it (in the
    /// next) names a plan; else found now.
    fn kind(&mut self, doc: &Document, q: &Quote) -> QuoteKind {
        self.keep_kind(doc, q, None)
    }

    /// Keep the kinds of the document's quotations (`kinds`, one a quotation, as
    /// `attribution::classify` gives them) in their paragraphs' entries, as `kind`
    /// would have.
    fn keep_kinds(&mut self, doc: &Document, kinds: &[QuoteKind]) {
        for (q, &kind) in doc.quotes.iter().zip(kinds) {
            self.keep_kind(doc, q, Some(kind));
        }
    }

    /// `kind`, with the kind already found (`known`) or not.
    fn keep_kind(&mut self, doc: &Document, q: &Quote, known: Option<QuoteKind>) -> QuoteKind {
        let classify = || known.unwrap_or_else(|| attribution::classify(doc, q));
        let para = &doc.paragraphs[q.first_paragraph];
        let entry = self.memo.entries.get_mut(&self.slots[q.first_paragraph]);
        let Some((_, entry)) = entry.filter(|_| q.last_paragraph == q.first_paragraph) else {
            return classify();
        };
        let at = q.span.start - para.span.start;
        let after = (q.span.end >= para.span.end).then(|| attribution::plan_after(doc, q));
        let kept = entry.kinds.iter_mut().find(|(s, _, _)| *s == at);
        if let Some((_, a, kind)) = &kept {
            if *a == after {
                return *kind;
            }
        }
        let kind = classify();
        match kept {
            Some(k) => *k = (at, after, kind),
            None => entry.kinds.push((at, after, kind)),
        }
        kind
    }

    /// Paragraph rule `r`'s findings (`rules::ALL[r]`), run again only on the
    /// paragraphs the memo has no findings of it for.
    fn findings(
        &mut self,
        cx: &Context,
        r: usize,
        paragraph: fn(&Context, usize, &mut Vec<Diagnostic>),
        out: &mut Vec<Diagnostic>,
    ) {
        let names = rules::ALL[r].needs != Needs::Text;
        if names && self.mentions.is_none() {
            self.mentions = Some(mentions_by_paragraph(cx.doc, cx.entities));
        }
        for (p, para) in cx.doc.paragraphs.iter().enumerate() {
            let base = para.span.start;
            let Some((_, entry)) = self.memo.entries.get_mut(&self.slots[p]) else {
                paragraph(cx, p, out);
                continue;
            };
            let seen: &[(usize, usize)] = match (&self.mentions, names) {
                (Some(m), true) => &m[p],
                _ => &[],
            };
            if let Some((kept_seen, kept)) = &entry.findings[r] {
                if **kept_seen == *seen {
                    out.extend(kept.iter().map(|d| moved(d, 0, base)));
                    continue;
                }
            }
            let from = out.len();
            paragraph(cx, p, out);
            let new = &out[from..];
            // kept only when they keep to their paragraph, as paragraph rules must
            let within = |s: &Span| para.span.start <= s.start && s.end <= para.span.end;
            if new.iter().all(|d| spans(d).all(within)) {
                let kept = new.iter().map(|d| moved(d, base, 0)).collect();
                entry.findings[r] = Some((seen.into(), kept));
            }
        }
    }

    /// What the entries have of each paragraph's names (for
    /// `entities::recognize_kept`).
    fn names(&self) -> Vec<Option<ParagraphNames>> {
        self.slots
            .iter()
            .map(|h| self.memo.entries.get(h).and_then(|(_, e)| e.names.clone()))
            .collect()
    }

    /// Keep what the names pass found of each paragraph (as `names` gave them, with
    /// what was found now put in).
    fn keep_names(&mut self, names: Vec<Option<ParagraphNames>>) {
        for (h, found) in self.slots.iter().zip(names) {
            if let (Some((_, e)), Some(found)) = (self.memo.entries.get_mut(h), found) {
                e.names = Some(found);
            }
        }
    }

    /// Leave the memo the slots of this analysis, and drop the entries it did not
    /// use once they are more than an eighth of those it did (and a few): a typed
    /// change leaves one or two, so they are dropped every few dozen changes, and
    /// the memo holds at most about an eighth more than this analysis used.
    fn finish(self) {
        let memo = self.memo;
        let used = self.slots.len();
        if memo.entries.len() > used + used / 8 + 16 {
            let run = memo.run;
            memo.entries.retain(|_, (_, e)| e.used == run);
        }
        memo.slots = self.slots;
    }
}

/// The memo's setting: the format, the dateline's date and the knowledge base.
type Setting = (Format, Option<jiff::civil::Date>, u64);

/// The last analysis's attributions, with what they read of the story, for `Reuse`.
pub(crate) struct LastAttributions {
    setting: Setting,
    text_len: usize,
    /// The paragraphs' spans.
    paragraphs: Vec<Span>,
    /// `entity_signature` of its entities.
    entities: u64,
    /// Each mention: its span, entity, whether it names the entity in full, and
    /// whether it stands inside a quotation.
    mentions: Vec<(Span, usize, bool, bool)>,
    quotes: Vec<Quote>,
    attributions: Vec<Attribution>,
    /// How many of them were kept from the analysis before.
    kept: usize,
}

impl LastAttributions {
    /// (`signature`: `entity_signature` of `rec`)
    fn new(
        doc: &Document,
        rec: &Recognized,
        signature: u64,
        attributions: &[Attribution],
        setting: Setting,
        kept: usize,
    ) -> Self {
        LastAttributions {
            kept,
            setting,
            text_len: doc.text.len(),
            paragraphs: doc.paragraphs.iter().map(|p| p.span.clone()).collect(),
            entities: signature,
            mentions: rec
                .mentions
                .iter()
                .zip(doc.in_quote_each(rec.mentions.iter().map(|m| m.span.start)))
                .map(|(m, quoted)| (m.span.clone(), m.entity, m.full, quoted))
                .collect(),
            quotes: doc.quotes.clone(),
            attributions: attributions.to_vec(),
        }
    }
}

/// Everything attribution reads of the story's entities: their names, kinds,
/// knowledge-base entries, genders, titles, descriptions and mentions.
fn entity_signature(rec: &Recognized) -> u64 {
    let mut h = fold::chain(0, rec.entities.len() as u64);
    for e in &rec.entities {
        h = fold::hash_long(e.name.as_bytes(), h);
        h = fold::hash_long(e.description.as_bytes(), h);
        h = fold::chain(h, e.kb.map_or(u64::MAX, u64::from));
        h = fold::chain(h, e.kind as u64);
        h = fold::chain(h, e.gender.map_or(u64::MAX, u64::from));
        h = fold::chain(h, e.titles.len() as u64);
        for t in &e.titles {
            h = fold::hash_long(t.as_bytes(), h);
        }
        h = fold::chain(h, e.mentions.len() as u64);
        for &m in &e.mentions {
            h = fold::chain(h, m as u64);
        }
    }
    h
}

/// When the last analysis's attribution of a quotation still holds: a change that
/// left the paragraphs before `before` and the last `after` as they were (the text
/// model's `Document::unchanged`), the entities as they were, and every mention and
/// quotation as it was, moved by the change (those within the changed paragraphs
/// only as to their entity, whether in full and whether quoted). Typing within
/// ordinary words does that.
///
/// What an attribution reads of the text: the sentences from eight before the
/// quotation's to the end of its last paragraph, and a few words into the next
/// (`attribution::attribute`: the sentence before and after, a pronoun's antecedent
/// up to six sentences back, a name's words around it); the entities and the
/// mentions in that stretch; and beyond it, only the story's mentions in order with
/// whether each is quoted (`resolve_phrase`), the people by their names
/// (`Recognized::person_by_surname`) and the words around an organisation's first
/// mention (`full_body_name`: no organisation first met in the changed paragraphs).
/// A quotation whose stretch (two paragraphs more each side, for the words read
/// around a name) lies in unchanged paragraphs, and whose earlier quotations in the same paragraph kept theirs
/// (which it may continue), keeps its attribution, moved with the text.
struct Reuse<'l> {
    last: &'l LastAttributions,
    before: usize,
    /// The first paragraph after the change.
    after_from: usize,
    /// How far the text after the change moved.
    delta: isize,
}

impl<'l> Reuse<'l> {
    /// (`signature`: `entity_signature` of `rec`)
    fn new(
        doc: &Document,
        rec: &Recognized,
        signature: u64,
        last: &'l LastAttributions,
        setting: Setting,
    ) -> Option<Self> {
        let u = doc.unchanged?;
        let n = doc.paragraphs.len();
        if last.setting != setting
            || u.last_count != last.paragraphs.len()
            || u.before + u.after > n.min(u.last_count)
            || last.quotes.len() != doc.quotes.len()
            || last.attributions.len() != doc.quotes.len()
            || last.mentions.len() != rec.mentions.len()
            || last.entities != signature
        {
            return None;
        }
        // the changed stretch: from the end of the last paragraph before the change to
        // the start of the first after it
        let a = if u.before > 0 {
            doc.paragraphs[u.before - 1].span.end
        } else {
            0
        };
        let (b_new, b_old) = if u.after > 0 {
            (
                doc.paragraphs[n - u.after].span.start,
                last.paragraphs[u.last_count - u.after].start,
            )
        } else {
            (doc.text.len(), last.text_len)
        };
        if a > b_new || a > b_old {
            return None;
        }
        let delta = b_new as isize - b_old as isize;
        // every mention as it was (moved), or within the changed stretch
        let now_quoted = doc.in_quote_each(rec.mentions.iter().map(|m| m.span.start));
        for (((old, e, full, quoted), m), now_quoted) in
            last.mentions.iter().zip(&rec.mentions).zip(now_quoted)
        {
            if m.entity != *e || m.full != *full {
                return None;
            }
            let same = if old.end <= a {
                m.span == *old
            } else if old.start >= b_old {
                m.span == shifted(old, delta)
            } else {
                a <= old.start && old.end <= b_old && a <= m.span.start && m.span.end <= b_new
            };
            if !same || now_quoted != *quoted {
                return None;
            }
        }
        // no organisation first met in the changed stretch or within two paragraphs of
        // it (the words around its first mention are read)
        let wide_a = match u.before {
            0 => 0,
            b => doc.paragraphs[b.saturating_sub(2)].span.start,
        };
        let wide_b = match u.after {
            0 => doc.text.len(),
            f => doc.paragraphs[(n - f + 1).min(n - 1)].span.end,
        };
        for e in &rec.entities {
            if e.kind == crate::report::EntityKind::Organization && e.kb.is_none() {
                let first = e.mentions.first().map(|&m| &rec.mentions[m].span);
                if first.is_some_and(|s| s.end >= wide_a && s.start <= wide_b) {
                    return None;
                }
            }
        }
        // every quotation as it was (moved), or within the changed stretch
        let para_shift = n as isize - u.last_count as isize;
        for (old, q) in last.quotes.iter().zip(&doc.quotes) {
            let same = if old.span.end <= a {
                q == old
            } else if old.span.start >= b_old {
                q.span == shifted(&old.span, delta)
                    && q.inner == shifted(&old.inner, delta)
                    && q.mark == old.mark
                    && q.closed == old.closed
                    && q.first_paragraph as isize == old.first_paragraph as isize + para_shift
                    && q.last_paragraph as isize == old.last_paragraph as isize + para_shift
                    && q.nested.len() == old.nested.len()
                    && q.nested
                        .iter()
                        .zip(&old.nested)
                        .all(|(x, y)| *x == shifted(y, delta))
            } else {
                a <= old.span.start
                    && old.span.end <= b_old
                    && a <= q.span.start
                    && q.span.end <= b_new
            };
            if !same {
                return None;
            }
        }
        Some(Reuse {
            last,
            before: u.before,
            after_from: n - u.after,
            delta,
        })
    }

    /// Quotation `i`'s attribution from the last analysis, moved, if it still holds
    /// (`reused`: which earlier quotations kept theirs).
    fn attribution(&self, doc: &Document, i: usize, reused: &[bool]) -> Option<Attribution> {
        let q = &doc.quotes[i];
        let s_first = doc.sentence_at(q.span.start)?;
        let first = doc.sentences[s_first.saturating_sub(8)]
            .paragraph
            .saturating_sub(2);
        let last = (q.last_paragraph + 2).min(doc.paragraphs.len().saturating_sub(1));
        let delta = if last < self.before {
            0
        } else if first >= self.after_from {
            self.delta
        } else {
            return None;
        };
        // earlier quotations it may continue (`attribute`, step 4) kept theirs
        let continued = doc.quotes[..i]
            .iter()
            .enumerate()
            .rev()
            .take(3)
            .take_while(|(_, p)| p.last_paragraph >= q.first_paragraph)
            .all(|(j, _)| reused[j]);
        if !continued {
            return None;
        }
        let a = &self.last.attributions[i];
        Some(Attribution {
            speaker_span: a.speaker_span.as_ref().map(|s| shifted(s, delta)),
            cue_span: a.cue_span.as_ref().map(|s| shifted(s, delta)),
            ..a.clone()
        })
    }
}

/// `s` moved on by `by` bytes (back, when negative).
fn shifted(s: &Span, by: isize) -> Span {
    s.start.saturating_add_signed(by)..s.end.saturating_add_signed(by)
}

/// Each paragraph's mentions of entities (those that touch it), from its start.
fn mentions_by_paragraph(doc: &Document, rec: &Recognized) -> ByParagraph {
    by_paragraph(doc, || rec.mentions.iter().map(|m| &m.span), true)
}

/// Each paragraph's parts of the quotations, from its start.
fn quotes_by_paragraph(doc: &Document) -> ByParagraph {
    by_paragraph(doc, || doc.quotes.iter().map(|q| &q.span), false)
}

/// Parts of spans in each paragraph (`by_paragraph`): paragraph `p`'s are
/// `parts[ends[p - 1]..ends[p]]` (two lists, however many paragraphs).
struct ByParagraph {
    parts: Vec<(usize, usize)>,
    ends: Vec<usize>,
}

impl std::ops::Index<usize> for ByParagraph {
    type Output = [(usize, usize)];
    fn index(&self, p: usize) -> &[(usize, usize)] {
        let start = p.checked_sub(1).map_or(0, |q| self.ends[q]);
        &self.parts[start..self.ends[p]]
    }
}

/// The parts of the spans `spans()` gives (in text order) in each paragraph, from
/// its start: those that overlap it, or with `touching` also those that only touch
/// its ends. (Counted first, then put in place; each span's first paragraph
/// searched on from the last one's.)
fn by_paragraph<'s, I: Iterator<Item = &'s Span>>(
    doc: &Document,
    spans: impl Fn() -> I,
    touching: bool,
) -> ByParagraph {
    let paras = &doc.paragraphs;
    // each span's paragraphs, in turn
    let each = |f: &mut dyn FnMut(usize, (usize, usize))| {
        let mut first = 0;
        for s in spans() {
            first = crate::text::gallop(paras, first, |p| {
                p.span.end < s.start || (!touching && p.span.end == s.start)
            });
            for (p, para) in paras.iter().enumerate().skip(first) {
                if para.span.start > s.end || (!touching && para.span.start == s.end) {
                    break;
                }
                let start = s.start.max(para.span.start) - para.span.start;
                let end = s.end.clamp(para.span.start, para.span.end) - para.span.start;
                f(p, (start, end));
            }
        }
    };
    let mut ends = vec![0usize; paras.len()];
    each(&mut |p, _| ends[p] += 1);
    let mut total = 0;
    for e in &mut ends {
        total += *e;
        *e = total;
    }
    // `next[p]`: where paragraph p's next part goes
    let mut next: Vec<usize> = (0..paras.len())
        .map(|p| p.checked_sub(1).map_or(0, |q| ends[q]))
        .collect();
    let mut parts = vec![(0, 0); total];
    each(&mut |p, part| {
        parts[next[p]] = part;
        next[p] += 1;
    });
    ByParagraph { parts, ends }
}

/// Every span of a finding: its own, its fixes' edits' and its related places'.
fn spans(d: &Diagnostic) -> impl Iterator<Item = &Span> {
    std::iter::once(&d.span)
        .chain(d.fixes.iter().flat_map(|f| f.edits.iter().map(|e| &e.span)))
        .chain(d.related.iter().map(|r| &r.span))
}

/// `d` with every offset moved from `from` to `to` (all at or after `from`).
fn moved(d: &Diagnostic, from: usize, to: usize) -> Diagnostic {
    let m = |s: &Span| s.start - from + to..s.end - from + to;
    // (each field built once: `..d.clone()` would clone the fixes and related
    // places too, only to drop them)
    Diagnostic {
        rule: d.rule,
        severity: d.severity,
        message: d.message.clone(),
        span: m(&d.span),
        fixes: d
            .fixes
            .iter()
            .map(|f| Fix {
                title: f.title.clone(),
                edits: f
                    .edits
                    .iter()
                    .map(|e| Edit {
                        span: m(&e.span),
                        new_text: e.new_text.clone(),
                        placeholder: e.placeholder.clone(),
                    })
                    .collect(),
                preferred: f.preferred,
            })
            .collect(),
        related: d
            .related
            .iter()
            .map(|r| Related {
                span: m(&r.span),
                message: r.message.clone(),
            })
            .collect(),
    }
}

/// The analysis of a built text model, with what `memo` kept of its paragraphs.
/// What a memo keeps from one analysis of a document for the next: each
/// paragraph's findings, the attributions and the names.
struct Kept<'m> {
    paragraphs: &'m mut ParagraphMemo,
    attributions: &'m mut Option<LastAttributions>,
    names: &'m mut Option<entities::LastNames>,
    /// Where the last analysis's names and attributions go when this one does not
    /// take them again.
    retired: &'m mut Retired,
}

/// What the names' side of an analysis gives (`analyze_document`): the names,
/// who speaks each quotation, how many of those were kept from the last analysis,
/// and the names' `entity_signature` (0 when nothing reads it).
struct NamesSide {
    rec: Arc<Recognized>,
    attributions: Vec<Attribution>,
    kept_count: usize,
    signature: u64,
}

fn analyze_document(
    doc: &Document,
    options: &Options,
    min_bytes: usize,
    memo: Option<Kept>,
) -> Report {
    let text = doc.text;
    let memo_given = memo.is_some();
    let (memo, last_attributions, last_names, retired) = match memo {
        Some(k) => (
            Some(k.paragraphs),
            Some(k.attributions),
            Some(k.names),
            Some(k.retired),
        ),
        None => (None, None, None, None),
    };
    // the last analysis's names (this one's kept in their place), for the same
    // format and knowledge base
    let names_setting = (options.format, options.kb.generation());
    let mut last_names = last_names;
    let mut names_before = last_names
        .as_mut()
        .and_then(|n| n.take())
        .filter(|n| n.setting() == names_setting);
    // the last analysis's attributions (this one's kept in their place)
    let mut last_attributions = last_attributions;
    let last = last_attributions.as_mut().and_then(|a| a.take());
    let dateline = match options.dateline {
        Some(date) => Some(Dateline {
            date,
            source: DatelineSource::Configured,
            span: None,
        }),
        None => temporal::detect_dateline(doc),
    };
    // the dates (from the memo where it has them)
    let dates = |memo| dates(doc, dateline.as_ref(), options, memo);
    // the names (with what is kept of each paragraph's), and who speaks each
    // quotation (the last analysis's speaker kept where nothing it read changed)
    let setting = (
        options.format,
        dateline.as_ref().map(|d| d.date),
        options.kb.generation(),
    );
    // the names once found, for the thread that does not find them
    let names_found: OnceLock<Arc<Recognized>> = OnceLock::new();
    let names_side = |kept: &mut [Option<ParagraphNames>]| {
        let (rec, found) = entities::recognize_kept(doc, &options.kb, kept, &mut names_before);
        // (shared with what the memo keeps of the names, and with the other thread's
        // share of the paragraph rules that read them)
        let rec = Arc::new(rec);
        let _ = names_found.set(Arc::clone(&rec));
        if let Some(slot) = last_names {
            *slot = Some(entities::LastNames::new(doc, &rec, found, names_setting));
        }
        // (once for the last attributions' check and for the next analysis's)
        let signature = if last.is_some() || last_attributions.is_some() {
            entity_signature(&rec)
        } else {
            0
        };
        let reuse = last
            .as_ref()
            .and_then(|l| Reuse::new(doc, &rec, signature, l, setting));
        let mut attributions: Vec<Attribution> = Vec::with_capacity(doc.quotes.len());
        let mut reused = vec![false; doc.quotes.len()];
        let mut kept_count = 0;
        for i in 0..doc.quotes.len() {
            if let Some(a) = reuse.as_ref().and_then(|r| r.attribution(doc, i, &reused)) {
                attributions.push(a);
                reused[i] = true;
                kept_count += 1;
                continue;
            }
            let a = attribution::attribute(doc, &rec, i, &attributions);
            attributions.push(a);
        }
        NamesSide {
            rec,
            attributions,
            kept_count,
            signature,
        }
    };
    let base = Context {
        doc,
        entities: &Recognized::default(),
        kb: &options.kb,
        quote_kinds: &[],
        attributions: &[],
        temporals: &Temporals::default(),
        dateline: dateline.as_ref(),
    };
    fn context<'a>(
        base: &Context<'a>,
        entities: &'a Recognized,
        quote_kinds: &'a [QuoteKind],
        attributions: &'a [Attribution],
        temporals: &'a Temporals,
    ) -> Context<'a> {
        Context {
            entities,
            quote_kinds,
            attributions,
            temporals,
            ..*base
        }
    }
    // each rule's findings, in the order of `rules::ALL`
    let (temporals, kinds, names, found) = if text.len() >= min_bytes {
        // the dates and the rules that read only the text, on the helper thread
        // (`parallel`), with empty stand-ins for what those rules do not read; the
        // quotations' kinds shared out between the two threads as each finishes its
        // part, so that neither waits long for the other whichever side a story
        // makes longer
        let groups = AtomicUsize::new(0);
        // the rules that read the names' entities but not the quotations' kinds,
        // the attributions or the dates, on this thread once the names are found,
        // where no memo keeps their findings (with one, after the threads are
        // joined, through the memo)
        let early = memo.is_none();
        // of those, the ones that go a paragraph at a time are shared out between
        // the two threads in groups of paragraphs, like the kinds: the thread that
        // finds the names takes groups once it has the rest of its work done, the
        // other once it has its own done and the names are found
        let shared = |r: &Rule| early && r.needs == Needs::Entities && r.paragraph.is_some();
        let paragraph_groups = AtomicUsize::new(0);
        let entities_side = |rec: &Recognized| {
            let cx = context(&base, rec, &[], &[], base.temporals);
            run_rules(
                &cx,
                options,
                |r| r.needs == Needs::Entities && !shared(r),
                None,
            )
        };
        let shared_side = |rec: &Recognized| {
            let cx = context(&base, rec, &[], &[], base.temporals);
            paragraphs_by_groups(&cx, options, shared, &paragraph_groups)
        };
        let text_side = || {
            let (temporals, mut run) = dates(memo);
            let cx = context(&base, base.entities, &[], &[], &temporals);
            let found = run_rules(&cx, options, |r| r.needs == Needs::Text, run.as_mut());
            let kinds = kinds_by_groups(doc, &groups);
            let paragraphs = names_found
                .get()
                .filter(|_| early)
                .map(|rec| shared_side(rec));
            (temporals, found, run, kinds, paragraphs)
        };
        // (a memo that has paragraphs comes with one thread: names found now)
        let mut kept = vec![None; if memo_given { doc.paragraphs.len() } else { 0 }];
        let (
            (names, entities_found, paragraphs, more_kinds),
            (temporals, text_found, mut run, mut kinds, more_paragraphs),
        ) = crate::parallel::join(
            || {
                let names = names_side(&mut kept);
                let (entities_found, paragraphs) = if early {
                    (entities_side(&names.rec), shared_side(&names.rec))
                } else {
                    (Vec::new(), Vec::new())
                };
                let kinds = kinds_by_groups(doc, &groups);
                (names, entities_found, paragraphs, kinds)
            },
            text_side,
        );
        let NamesSide {
            rec, attributions, ..
        } = &names;
        kinds.extend(more_kinds);
        kinds.sort_unstable_by_key(|(group, _)| *group);
        let kinds: Vec<QuoteKind> = kinds.into_iter().flat_map(|(_, k)| k).collect();
        if let Some(run) = run.as_mut() {
            run.keep_names(kept);
            run.keep_kinds(doc, &kinds);
        }
        let cx = context(&base, rec, &kinds, attributions, &temporals);
        let later = |r: &Rule| r.needs == Needs::Names || (r.needs == Needs::Entities && !early);
        let names_found = run_rules(&cx, options, later, run.as_mut());
        // the shared rules' findings, each in paragraph order
        let mut paragraphs = paragraphs;
        paragraphs.extend(more_paragraphs.into_iter().flatten());
        paragraphs.sort_unstable_by_key(|(group, _)| *group);
        if let Some(run) = run {
            run.finish();
        }
        // in the order of `rules::ALL`, as if they had run one after another (put
        // together in `order`, beside the report's other parts)
        let mut t = text_found.into_iter();
        let mut e = entities_found.into_iter();
        let mut n = names_found.into_iter();
        let mut shared_rules = 0;
        let mut found = Vec::new();
        for rule in rules::ALL {
            match rule.needs {
                Needs::Text => found.extend(t.next()),
                _ if shared(rule) => {
                    for (_, lists) in &mut paragraphs {
                        found.extend(lists.get_mut(shared_rules).map(std::mem::take));
                    }
                    shared_rules += 1;
                }
                Needs::Entities if early => found.extend(e.next()),
                _ => found.extend(n.next()),
            }
        }
        (temporals, kinds, names, found)
    } else {
        // one after another, every rule with the whole context
        let (temporals, mut run) = dates(memo);
        let kinds: Vec<QuoteKind> = match run.as_mut() {
            Some(run) => doc.quotes.iter().map(|q| run.kind(doc, q)).collect(),
            None => doc
                .quotes
                .iter()
                .map(|q| attribution::classify(doc, q))
                .collect(),
        };
        let mut kept = run.as_ref().map_or_else(Vec::new, |r| r.names());
        let names = names_side(&mut kept);
        if let Some(run) = run.as_mut() {
            run.keep_names(kept);
        }
        let cx = context(&base, &names.rec, &kinds, &names.attributions, &temporals);
        let found = run_rules(&cx, options, |_| true, run.as_mut());
        if let Some(run) = run {
            run.finish();
        }
        (temporals, kinds, names, found)
    };
    let NamesSide {
        rec,
        attributions,
        kept_count,
        signature,
    } = names;
    if let Some(slot) = last_attributions {
        *slot = Some(LastAttributions::new(
            doc,
            &rec,
            signature,
            &attributions,
            setting,
            kept_count,
        ));
    }
    // (freed by the caller, or the next analysis)
    if let Some(r) = retired {
        *r = Retired {
            names: names_before,
            attributions: last,
        };
    }
    // the findings in order, and beside that (on the helper, for a long story) what
    // the report says of the quotations and the entities
    let order = |found: Vec<Vec<Diagnostic>>| {
        // (moved, not cloned as `concat` would)
        let mut diagnostics = Vec::with_capacity(found.iter().map(Vec::len).sum());
        for f in found {
            diagnostics.extend(f);
        }
        crate::suppress::apply(text, doc, &mut diagnostics);
        diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
        diagnostics
    };
    let infos = || report_infos(doc, &kinds, attributions, &rec);
    let (diagnostics, (quotes, entities)) = if text.len() >= min_bytes {
        let both = crate::parallel::join(|| order(found), infos);
        // (what is left of the names, freed on the helper while the caller goes on)
        crate::parallel::drop_later((rec, names_found.into_inner()));
        both
    } else {
        (order(found), infos())
    };
    Report {
        dateline,
        diagnostics,
        quotes,
        entities,
        temporals: temporals.expressions,
    }
}

/// What the report says of each quotation (its kind and speaker) and each entity.
fn report_infos(
    doc: &Document,
    kinds: &[QuoteKind],
    attributions: Vec<Attribution>,
    rec: &Recognized,
) -> (Vec<QuoteInfo>, Vec<EntityInfo>) {
    let quotes = doc
        .quotes
        .iter()
        .zip(kinds)
        .zip(attributions)
        .map(|((q, k), a)| {
            let found = a.found();
            QuoteInfo {
                span: q.span.clone(),
                inner: q.inner.clone(),
                kind: *k,
                closed: q.closed,
                speaker: a.speaker.filter(|_| found),
                speaker_span: a.speaker_span.filter(|_| found),
                cue: a.cue,
                cue_span: a.cue_span,
                explanation: a.how,
                speaker_entity: a.speaker_entity.filter(|_| found),
            }
        })
        .collect();
    let entities = rec
        .entities
        .iter()
        .map(|e| {
            // (a known entity's name and description are the knowledge base's)
            EntityInfo {
                kind: e.kind,
                kb: e.kb.map(|i| i as usize),
                description: e
                    .kb
                    .map(|_| e.description.clone())
                    .filter(|d| !d.is_empty()),
                preferred: e.kb.map(|_| e.name.clone()),
                name: e.name.clone(),
                mentions: e
                    .mentions
                    .iter()
                    .map(|&m| Mention {
                        span: rec.mentions[m].span.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    (quotes, entities)
}

/// How many quotations `kinds_by_groups` classifies at a time.
const KINDS_GROUP: usize = 32;

/// The kinds of the groups of `KINDS_GROUP` quotations this thread takes, by
/// group number, taking the next group not taken (`taken` counts them) until there
/// is none: two threads calling this share the work out as each comes to it.
fn kinds_by_groups(doc: &Document, taken: &AtomicUsize) -> Vec<(usize, Vec<QuoteKind>)> {
    let mut out = Vec::new();
    loop {
        let group = taken.fetch_add(1, Ordering::Relaxed);
        let from = group.saturating_mul(KINDS_GROUP);
        if from >= doc.quotes.len() {
            return out;
        }
        let quotes = &doc.quotes[from..(from + KINDS_GROUP).min(doc.quotes.len())];
        let kinds = quotes.iter().map(|q| attribution::classify(doc, q));
        out.push((group, kinds.collect()));
    }
}

/// The dates (from `memo` where it has them), and the memo's run for the rest.
fn dates<'m>(
    doc: &Document,
    dateline: Option<&Dateline>,
    options: &Options,
    memo: Option<&'m mut ParagraphMemo>,
) -> (Temporals, Option<ParagraphRun<'m>>) {
    match memo {
        Some(memo) => {
            let dl = dateline.map(|d| d.date);
            let kb = options.kb.generation();
            let (temporals, run) = ParagraphRun::dates(memo, doc, options.format, dl, kb);
            (temporals, Some(run))
        }
        None => (temporal::find(doc, dateline), None),
    }
}

/// The severity the options give `rule`, if any, set on its findings.
fn set_severity(options: &Options, rule: &Rule, found: &mut [Diagnostic]) {
    if let Some(sev) = options.rules.get(rule.doc.code).and_then(|r| r.severity) {
        for d in found {
            d.severity = sev;
        }
    }
}

/// Paragraphs a group, for the paragraph rules shared out between two threads.
const PARAGRAPH_GROUP: usize = 16;

/// The findings of the paragraph rules that `which` takes, for the groups of
/// `PARAGRAPH_GROUP` paragraphs this thread takes (taking the next group not taken
/// until there is none, as `kinds_by_groups` does): by group number, one list a
/// rule, in the order of `rules::ALL` (empty for a rule that is off).
fn paragraphs_by_groups(
    cx: &Context,
    options: &Options,
    which: impl Fn(&Rule) -> bool,
    taken: &AtomicUsize,
) -> Vec<(usize, Vec<Vec<Diagnostic>>)> {
    let rules: Vec<&Rule> = rules::ALL.iter().filter(|r| which(r)).collect();
    let count = cx.doc.paragraphs.len();
    let mut out = Vec::new();
    while !rules.is_empty() {
        let group = taken.fetch_add(1, Ordering::Relaxed);
        let from = group.saturating_mul(PARAGRAPH_GROUP);
        if from >= count {
            break;
        }
        let lists = rules.iter().map(|rule| {
            let mut found = Vec::new();
            if let (true, Some(paragraph)) = (options.rule_enabled(rule.doc.code), rule.paragraph) {
                for p in from..(from + PARAGRAPH_GROUP).min(count) {
                    paragraph(cx, p, &mut found);
                }
                set_severity(options, rule, &mut found);
            }
            found
        });
        out.push((group, lists.collect()));
    }
    out
}

/// Run the enabled rules whose needs `which` takes, each into a list of its own
/// (one list a rule, in the order of `rules::ALL`, empty when it is off); the
/// paragraph rules through `run`'s memo when there is one.
fn run_rules(
    cx: &Context,
    options: &Options,
    which: impl Fn(&Rule) -> bool,
    mut run: Option<&mut ParagraphRun>,
) -> Vec<Vec<Diagnostic>> {
    rules::ALL
        .iter()
        .enumerate()
        .filter(|(_, r)| which(r))
        .map(|(i, rule)| {
            // (as many as the rule gave last time: `ParagraphMemo::last_found`)
            let room = run.as_ref().and_then(|r| r.memo.last_found.get(i).copied());
            let mut found = Vec::with_capacity(room.unwrap_or(0));
            if options.rule_enabled(rule.doc.code) {
                match (rule.paragraph, run.as_deref_mut()) {
                    (Some(paragraph), Some(run)) => run.findings(cx, i, paragraph, &mut found),
                    _ => (rule.check)(cx, &mut found),
                }
                set_severity(options, rule, &mut found);
            }
            if let Some(run) = run.as_deref_mut() {
                let counts = &mut run.memo.last_found;
                counts.resize(counts.len().max(rules::ALL.len()), 0);
                counts[i] = found.len();
            }
            found
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// After `warm_up`, no analysis compiles a regular expression: not of any seed,
    /// corpus story or golden file, in either format. (A pattern compiled on another
    /// test's thread meanwhile was either compiled before `warm_up` returned, and
    /// counted then, or is one `warm_up` does not reach.) And every pattern is a
    /// `pattern::Pattern`, where it is counted.
    #[test]
    fn the_warm_up_leaves_no_pattern_to_compile() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = vec![root.join("src")];
        while let Some(dir) = sources.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let path = e.unwrap().path();
                if path.is_dir() {
                    sources.push(path);
                } else if path.extension().is_some_and(|x| x == "rs")
                    && !path.ends_with("pattern.rs")
                {
                    let code = std::fs::read_to_string(&path).unwrap();
                    assert!(
                        !code.contains(concat!("regex", "::"))
                            && !code.contains(concat!("regex", "_automata")),
                        "{} uses a regular expression that is not a pattern::Pattern",
                        path.display()
                    );
                }
            }
        }
        warm_up();
        let compiled = crate::pattern::compiled();
        let kb = KnowledgeBase::embedded();
        let mut stories = 0;
        for dir in ["seeds", "tests/corpus", "tests/golden"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = e.unwrap().path();
                if !path.extension().is_some_and(|x| x == "txt" || x == "md") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for format in [Format::PlainText, Format::Markdown] {
                    let options = Options {
                        format,
                        kb: kb.clone(),
                        ..Options::default_without_kb()
                    };
                    analyze(&text, &options);
                    assert_eq!(
                        crate::pattern::compiled(),
                        compiled,
                        "{} ({format:?}) compiled a pattern the warm-up did not",
                        path.display()
                    );
                }
                stories += 1;
            }
        }
        assert!(stories > 60, "{stories} stories");
    }

    /// Typing in one paragraph after another leaves stale entries in the memo; they
    /// are dropped before they pass an eighth of those in use (and a few), and the
    /// reports stay those of a fresh analysis.
    #[test]
    fn the_memo_drops_entries_no_longer_used() {
        let options = Options {
            format: Format::PlainText,
            ..Options::default()
        };
        let paragraph = |i: usize, v: usize| {
            format!(
                "Officials in Kyiv said on Tuesday that {i} schools had reopened, draft {v}. \
                 \"We are ready,\" said Olena Bondar, a teacher.\n\n"
            )
        };
        let n = 40;
        let mut versions = vec![0; n];
        let mut memo = Memo::default();
        let mut most = 0;
        for step in 0..300 {
            versions[(step * 7) % n] += 1;
            let text: String = (0..n).map(|i| paragraph(i, versions[i])).collect();
            let report = analyze_with_memo(&text, &options, &mut memo);
            let fresh = analyze(&text, &options);
            assert!(format!("{report:?}") == format!("{fresh:?}"), "step {step}");
            let entries = memo.paragraphs.entries.len();
            assert!(
                entries <= n + n / 8 + 16 + 1,
                "step {step}: {entries} entries"
            );
            most = most.max(entries);
        }
        // stale entries did build up, and were dropped
        assert!(most > n, "no stale entries to drop: {most}");
    }
}
