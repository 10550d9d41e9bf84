//! Who said it: speech cues, speakers, and the classification of quotations into
//! someone's words, terms and titles.

use std::sync::{Arc, OnceLock};

use crate::entities::Recognized;
use crate::lexicon::{self, FUNCTION_WORDS, TITLES, WordList};
use crate::report::{EntityKind, QuoteKind, Span};
use crate::text::fold::folded;
use crate::text::{Document, Quote, TokenKind};

/// Verbs of speech, in their base forms. Inflections are generated; irregular ones
/// are listed in [`IRREGULAR`].
const CUE_LEMMAS: &[&str] = &[
    "say",
    "tell",
    "add",
    "ask",
    "write",
    "stress",
    "warn",
    "insist",
    "defend",
    "detail",
    "recall",
    "assure",
    "summarize",
    "summarise",
    "tweet",
    "post",
    "concede",
    "note",
    "explain",
    "argue",
    "claim",
    "state",
    "declare",
    "announce",
    "report",
    "reply",
    "respond",
    "answer",
    "acknowledge",
    "admit",
    "affirm",
    "assert",
    "comment",
    "confirm",
    "deny",
    "emphasize",
    "emphasise",
    "observe",
    "predict",
    "promise",
    "reiterate",
    "remark",
    "remind",
    "reveal",
    "suggest",
    "urge",
    "vow",
    "pledge",
    "complain",
    "conclude",
    "contend",
    "counter",
    "cry",
    "demand",
    "describe",
    "exclaim",
    "hint",
    "indicate",
    "maintain",
    "mention",
    "muse",
    "mutter",
    "plead",
    "proclaim",
    "protest",
    "recount",
    "repeat",
    "retort",
    "scream",
    "shout",
    "sigh",
    "snap",
    "speculate",
    "testify",
    "threaten",
    "whisper",
    "yell",
    "joke",
    "lament",
    "boast",
    "charge",
    "allege",
    "caution",
    "reason",
    "agree",
    "disagree",
    "wonder",
    "question",
    "quip",
    "express",
    "encourage",
    "highlight",
    "underline",
    "underscore",
    "accuse",
    "criticize",
    "criticise",
    "praise",
    "welcome",
    "condemn",
    "reassure",
    "specify",
    "clarify",
    "elaborate",
    "confess",
    "propose",
    "recommend",
    "request",
    "call",
    "tell",
    "insist",
    "stress",
    "add",
    "warn",
    "write",
    "posit",
    "relate",
    "murmur",
    "groan",
    "chime",
    "interject",
    "opine",
    "advise",
    "instruct",
    "order",
    "inform",
    "notify",
    "brief",
    "assess",
    "estimate",
    "forecast",
    "acknowledge",
    "caution",
    "boast",
    "gush",
    "rave",
    "scoff",
    "sneer",
    "laugh",
    "smile",
    "grin",
    "chuckle",
    "beg",
    "implore",
    "pray",
    "counsel",
    "preach",
    "lecture",
    "rule",
    "find",
    "conclude",
    "judge",
    "decree",
    "tout",
    "hail",
    "dismiss",
    "reject",
    "rebut",
    "refute",
    "contradict",
    "correct",
    "apologize",
    "apologise",
    "thank",
    "congratulate",
    "echo",
    "paraphrase",
    "quote",
    "cite",
    "read",
    "sing",
    "chant",
    "text",
    "email",
    "message",
    "blog",
    "broadcast",
    "publish",
    "share",
    "emphasize",
    "point",
    "reaffirm",
    "outline",
    "recap",
    "signal",
    "stipulate",
    "spell",
    "put",
    "go",
    "sum",
];

const IRREGULAR: &[&str] = &[
    "speak",
    "speaks",
    "spoke",
    "spoken",
    "speaking",
    "said",
    "says",
    "saying",
    "told",
    "tells",
    "telling",
    "wrote",
    "written",
    "writes",
    "writing",
    "cried",
    "cries",
    "replied",
    "replies",
    "denied",
    "denies",
    "specified",
    "clarified",
    "testified",
    "quipped",
    "snapped",
    "admitted",
    "admitting",
    "sang",
    "sung",
    "read",
    "found",
    "put",
    "went",
    "goes",
    "summed",
    "texted",
    "spelled",
    "spelt",
    "emailed",
    "e-mailed",
    "messaged",
    "blogged",
    "broadcast",
    "retorted",
    "posited",
    "according",
];

fn inflect(lemma: &str, out: &mut crate::lexicon::WordSet<String>) {
    out.insert(lemma.to_string());
    let b = lemma.as_bytes();
    let last = *b.last().unwrap() as char;
    let before = if b.len() > 1 {
        b[b.len() - 2] as char
    } else {
        ' '
    };
    let vowel = |c: char| "aeiou".contains(c);
    if last == 'e' {
        out.insert(format!("{lemma}s"));
        out.insert(format!("{lemma}d"));
        out.insert(format!("{}ing", &lemma[..lemma.len() - 1]));
    } else if last == 'y' && !vowel(before) {
        out.insert(format!("{}ies", &lemma[..lemma.len() - 1]));
        out.insert(format!("{}ied", &lemma[..lemma.len() - 1]));
        out.insert(format!("{lemma}ing"));
    } else {
        let s = if lemma.ends_with('s')
            || lemma.ends_with("sh")
            || lemma.ends_with("ch")
            || lemma.ends_with('x')
        {
            "es"
        } else {
            "s"
        };
        out.insert(format!("{lemma}{s}"));
        out.insert(format!("{lemma}ed"));
        out.insert(format!("{lemma}ing"));
    }
}

fn cues() -> &'static crate::lexicon::WordSet<String> {
    static CUES: OnceLock<crate::lexicon::WordSet<String>> = OnceLock::new();
    CUES.get_or_init(|| {
        let mut s = crate::lexicon::WordSet::default();
        for l in CUE_LEMMAS {
            inflect(l, &mut s);
        }
        for w in IRREGULAR {
            s.insert(w.to_string());
        }
        s
    })
}

/// Every inflected speech-cue form copydesk knows (for documentation and tests).
pub fn cue_forms() -> Vec<String> {
    let mut v: Vec<String> = cues().iter().cloned().collect();
    v.sort();
    v
}

pub fn is_cue_word(folded: &str) -> bool {
    cues().contains(folded)
}

/// Cues that mean speech only with a particle or in a phrase ("pointed out").
fn cue_needs_particle(w: &str) -> Option<&'static [&'static str]> {
    match w {
        "point" | "points" | "pointed" | "pointing" => Some(&["out"]),
        "go" | "goes" | "went" | "going" => Some(&["on"]),
        "sum" | "sums" | "summed" | "summing" => Some(&["up"]),
        "spell" | "spells" | "spelled" | "spelt" | "spelling" => Some(&["out"]),
        "put" | "puts" | "putting" => Some(&["it"]),
        "call" | "calls" | "called" | "calling" => {
            Some(&["on", "for", "it", "the", "this", "them", "him", "her"])
        }
        "find" | "finds" | "found" | "finding" => Some(&["that"]),
        "read" | "reads" | "reading" => Some(&["a", "the", "out"]),
        "share" | "shares" | "shared" | "sharing" => Some(&["on", "in", "a"]),
        "according" => Some(&["to"]),
        "rule" | "rules" | "ruled" | "ruling" => Some(&["that"]),
        "post" | "posts" | "posted" | "posting" => Some(&["on", "to", "online", "a", "that", ","]),
        "order" | "orders" | "ordered" | "ordering" => Some(&["that"]),
        "question" | "questions" | "questioned" | "questioning" => {
            Some(&["whether", "why", "how", "if"])
        }
        "state" | "states" => Some(&["that"]),
        "report" | "reports" => Some(&["that"]),
        "smile" | "smiles" | "smiled" | "smiling" | "laugh" | "laughs" | "laughed" | "laughing"
        | "grin" | "grinned" | "grins" | "sing" | "sang" | "sung" | "thank" | "thanks"
        | "thanked" | "welcome" | "welcomes" | "welcomed" | "express" | "expresses" => None,
        _ => None,
    }
}

const PRONOUNS: &[&str] = &["he", "she", "they", "it", "i", "we"];

/// Words a speaker phrase may run over after "the": adjectives and nouns of titles.
static PERSON_NOUNS: WordList = WordList::new(&[
    "minister",
    "president",
    "politician",
    "official",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "leader",
    "chief",
    "head",
    "secretary",
    "general",
    "diplomat",
    "mayor",
    "governor",
    "senator",
    "lawmaker",
    "prosecutor",
    "judge",
    "lawyer",
    "attorney",
    "commander",
    "officer",
    "director",
    "executive",
    "manager",
    "coach",
    "player",
    "captain",
    "chairman",
    "chairwoman",
    "chair",
    "ambassador",
    "envoy",
    "premier",
    "chancellor",
    "king",
    "queen",
    "pope",
    "candidate",
    "activist",
    "analyst",
    "economist",
    "expert",
    "scientist",
    "researcher",
    "professor",
    "doctor",
    "nurse",
    "teacher",
    "student",
    "witness",
    "resident",
    "victim",
    "survivor",
    "farmer",
    "worker",
    "owner",
    "founder",
    "author",
    "writer",
    "singer",
    "artist",
    "actor",
    "actress",
    "star",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "veteran",
    "soldier",
    "general",
    "councillor",
    "councilor",
    "councilwoman",
    "councilman",
    "superintendent",
    "principal",
    "inspector",
    "detective",
    "sheriff",
    "chief",
    "father",
    "mother",
    "son",
    "daughter",
    "wife",
    "husband",
    "woman",
    "man",
    "boy",
    "girl",
    "spokesperson",
    "negotiator",
    "mediator",
    "organizer",
    "organiser",
    "curator",
    "historian",
    "pilot",
    "driver",
    "captain",
    "speaker",
    "host",
    "dean",
    "rector",
    "provost",
    "administrator",
    "ceo",
    "cfo",
    "chef",
    "ruler",
    "monarch",
    "emir",
    "sheikh",
    "rabbi",
    "imam",
    "priest",
    "bishop",
    "cardinal",
    "referee",
    "umpire",
    "manager",
    "boss",
    "owner",
    "investor",
    "trader",
    "strategist",
    "engineer",
    "designer",
]);

static ORG_NOUNS: WordList = WordList::new(&[
    "museum",
    "gallery",
    "library",
    "orchestra",
    "theatre",
    "theater",
    "zoo",
    "church",
    "diocese",
    "council",
    "society",
    "trust",
    "alliance",
    "organization",
    "organisation",
    "ministry",
    "agency",
    "company",
    "firm",
    "government",
    "military",
    "army",
    "council",
    "union",
    "committee",
    "commission",
    "court",
    "department",
    "office",
    "party",
    "board",
    "bank",
    "group",
    "coalition",
    "club",
    "team",
    "federation",
    "league",
    "association",
    "institute",
    "university",
    "hospital",
    "school",
    "authority",
    "police",
    "kremlin",
    "pentagon",
    "administration",
    "regime",
    "bloc",
    "embassy",
    "foundation",
    "charity",
    "network",
    "newspaper",
    "broadcaster",
    "channel",
    "statement",
    "spokesman's",
    "campaign",
    "prosecutors",
    "regulator",
    "watchdog",
    "body",
    "secretariat",
    "presidency",
    "cabinet",
    "parliament",
    "senate",
    "assembly",
    "city",
    "county",
    "state",
    "district",
    "service",
    "fund",
    "programme",
    "program",
    "mission",
    "airline",
    "carrier",
    "maker",
    "manufacturer",
    "retailer",
    "startup",
    "operator",
]);

/// The result of looking for an attribution.
#[derive(Clone, Debug, Default)]
pub struct Attribution {
    pub speaker: Option<Arc<str>>,
    pub speaker_span: Option<Span>,
    pub speaker_entity: Option<usize>,
    pub cue: Option<Arc<str>>,
    pub cue_span: Option<Span>,
    /// (speaker, cue and this are shared strings: a typed change takes the kept
    /// attributions from the memo and gives them back, counting, not copying;
    /// `report`)
    pub how: Arc<str>,
}

impl Attribution {
    pub fn found(&self) -> bool {
        self.cue.is_some()
    }
}

/// What a quotation is: someone's words, a term, or a title.
/// Whether the word right after quotation `q` names a plan or a report (“Clean
/// Water Forever” campaign): all that `classify` reads after the closing mark.
pub fn plan_after(doc: &Document, q: &Quote) -> bool {
    let after = doc.token_index_at(q.span.end);
    doc.tokens
        .get(after)
        .filter(|t| t.kind == TokenKind::Word)
        .is_some_and(|_| {
            matches!(
                doc.folded(after),
                "operation"
                    | "programme"
                    | "program"
                    | "initiative"
                    | "campaign"
                    | "coalition"
                    | "plan"
                    | "project"
                    | "report"
                    | "strategy"
                    | "doctrine"
                    | "exercise"
            )
        })
}

pub fn classify(doc: &Document, q: &Quote) -> QuoteKind {
    let inner = doc.prose[q.inner.clone()].trim();
    let core = inner
        .trim_end_matches([',', '.', '!', '?', ';', ':', '…'])
        .trim();
    // its words, up to eleven: what follows reads them all only when there are ten or
    // fewer, and otherwise the first one and that there are more than ten (so a long
    // quotation is not split into words to the end)
    let mut words: Vec<&str> = Vec::with_capacity(11);
    words.extend(core.split_whitespace().take(11));
    // the words before the opening mark
    let before_start = doc.token_index_at(q.span.start);
    // the words before the opening mark, in its sentence only ("as the verdict was
    // read. “This isn’t over.”" is not a reading)
    let sent_start = doc
        .sentence_at(q.span.start)
        .map_or(0, |si| doc.sentences[si].span.start);
    let prev: Vec<&str> = (0..before_start)
        .rev()
        .take(3)
        .take_while(|&k| {
            let t = &doc.tokens[k];
            t.span().start >= sent_start
                && !(t.kind == TokenKind::Punct
                    && matches!(&doc.text[t.span()], "." | "!" | "?" | ";"))
        })
        .filter(|&k| doc.tokens[k].kind == TokenKind::Word)
        .map(|k| doc.folded(k))
        .collect();
    static TITLE_CUES: WordList = WordList::new(&[
        "titled",
        "entitled",
        "headlined",
        "dubbed",
        "nicknamed",
        "named",
        "book",
        "film",
        "movie",
        "report",
        "song",
        "album",
        "novel",
        "documentary",
        "play",
        "series",
        "show",
        "headline",
        "slogan",
        "motto",
        "banner",
        "hashtag",
        "column",
        "essay",
        "memoir",
        "podcast",
        "exhibition",
        "exhibit",
        "opera",
        "poem",
        "painting",
        "study",
        "paper",
        "article",
        "editorial",
        "campaign",
        "initiative",
        "programme",
        "program",
        "operation",
        "plan",
        "project",
        "strategy",
        "exercise",
        "doctrine",
        "coalition",
        "codenamed",
        "code-named",
        "brand",
        "label",
        "sign",
        "signs",
        "placards",
        "sang",
        "sing",
        "sings",
        "singing",
        "chanted",
        "chant",
        "chants",
        "chanting",
        "read",
        "reading",
        "reads",
        "known",
        "termed",
        "branded",
        "labelled",
        "labeled",
        "called",
    ]);
    if prev.first().is_some_and(|&p| {
        p == "so-called" || p == "called" && prev.get(1).is_some_and(|&x| x == "so")
    }) || prev.contains(&"so-called")
    {
        return QuoteKind::Term;
    }
    if let Some(&p0) = prev.first() {
        if TITLE_CUES.contains(p0)
            || (prev.get(1).is_some_and(|p| TITLE_CUES.contains(p))
                && (p0 == "the" || p0 == "as" || p0 == "a"))
        {
            // "called" before a short quote is a term; before a sentence it may be speech
            if !(p0 == "called" || p0 == "read" || p0 == "reads" || p0 == "reading")
                || words.len() <= 6
            {
                return if words.len() <= 3 && !starts_title_case(&words) {
                    QuoteKind::Term
                } else {
                    QuoteKind::Title
                };
            }
        }
    }
    if starts_title_case(&words) && plan_after(doc, q) {
        return QuoteKind::Title;
    }
    if words.first().is_some_and(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "operation" | "coalition" | "project" | "plan"
        )
    }) && starts_title_case(&words)
        && !core.contains(['.', '!', '?'])
    {
        return QuoteKind::Title;
    }
    let inner_punct = core.contains(['.', ',', '!', '?', ';', ':', '—']);
    // a short sentence quoted on its own ("This isn’t over.") is someone's words;
    // a term closing the reporter's sentence (nicknamed “the Chimney.”) is not
    let own_sentence =
        words.len() >= 2 && starts_title_case(&words) && inner.ends_with(['.', '!', '?']) && {
            let para_start = doc.paragraphs[q.first_paragraph].span.start;
            let before = doc.prose[para_start..q.span.start].trim_end();
            before.is_empty() || before.ends_with(['.', '!', '?'])
        };
    if words.len() <= 3 && !inner_punct && !own_sentence {
        return QuoteKind::Term;
    }
    // Title Case with no sentence punctuation: a title of a work
    if words.len() <= 10 && !inner_punct && starts_title_case(&words) && words.len() >= 2 {
        let caps = words
            .iter()
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .count();
        let small = words
            .iter()
            .filter(|w| {
                matches!(
                    w.to_lowercase().as_str(),
                    "a" | "an"
                        | "the"
                        | "of"
                        | "at"
                        | "in"
                        | "on"
                        | "and"
                        | "for"
                        | "to"
                        | "by"
                        | "with"
                        | "from"
                )
            })
            .count();
        if caps + small == words.len() && caps >= 2 {
            return QuoteKind::Title;
        }
    }
    QuoteKind::Speech
}

fn starts_title_case(words: &[&str]) -> bool {
    words
        .first()
        .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// Find the attribution of quotation `qi` (an index into `doc.quotes`).
pub fn attribute(
    doc: &Document,
    rec: &Recognized,
    qi: usize,
    earlier: &[Attribution],
) -> Attribution {
    let q = &doc.quotes[qi];
    let Some(s_first) = doc.sentence_at(q.span.start) else {
        return Attribution::default();
    };
    let s_last = doc
        .sentence_at(q.span.end.saturating_sub(1))
        .unwrap_or(s_first);
    // 1. the sentences the quotation stands in (for a multi-paragraph quotation, those
    //    of its first and last paragraphs)
    let mut own: Vec<usize> = (s_first..=s_last).collect();
    if q.first_paragraph != q.last_paragraph {
        let p1 = &doc.paragraphs[q.first_paragraph];
        let p2 = &doc.paragraphs[q.last_paragraph];
        own = (s_first..p1.sentence_end)
            .chain(p2.first_sentence..=s_last)
            .collect();
    }
    if let Some(a) = best_cue(doc, rec, &own, q.span.clone(), "in the same sentence") {
        return a;
    }
    // 1b. a colon inside the sentence introduces it: "Ramaswamy was blunt: “…”"
    {
        let start = doc.sentences[s_first].span.start;
        if doc.prose[start..q.span.start].trim_end().ends_with(':') {
            if let Some(mut a) = speaker_in_sentence(doc, rec, s_first, q.span.start) {
                a.how = crate::report::shared_str("introduced by a colon in the same sentence");
                return a;
            }
        }
    }
    // 2. the sentence before: introduces it with a colon, or names the speaker who goes on
    if s_first > 0 {
        let prev = s_first - 1;
        let ptext = doc.prose[doc.sentences[prev].span.clone()].trim_end();
        // a sentence of an earlier paragraph speaks for the quotation only when it
        // introduces it with a colon
        let same_paragraph = doc.sentences[prev].paragraph == q.first_paragraph;
        let intro = same_paragraph || ptext.ends_with(':');
        if let Some(mut a) = intro
            .then(|| best_cue(doc, rec, &[prev], q.span.clone(), "in the sentence before"))
            .flatten()
        {
            if ptext.ends_with(':') {
                a.how = crate::report::shared_str(
                    "introduced by the sentence before, which ends with a colon",
                );
            }
            return a;
        }
        if ptext.ends_with(':') {
            if let Some(a) = speaker_in_sentence(doc, rec, prev, q.span.start) {
                return a;
            }
        }
    }
    // 3. the sentence just after, in the same paragraph
    let next = s_last + 1;
    if next < doc.sentences.len() && doc.sentences[next].paragraph == q.last_paragraph {
        if let Some(a) = best_cue(doc, rec, &[next], q.span.clone(), "in the sentence after") {
            return a;
        }
    }
    // 3b. the headline form: “We are out of options”: county engineer warns
    if let Some(a) = headline_speaker(doc, rec, q) {
        return a;
    }
    // 4. an earlier quotation in the same paragraph (or the one this continues) speaks for it
    for (pj, prev_q) in doc.quotes[..qi].iter().enumerate().rev().take(3) {
        if prev_q.last_paragraph < q.first_paragraph {
            break;
        }
        if let Some(a) = earlier.get(pj).filter(|a| a.found()) {
            let mut a = a.clone();
            a.how = crate::report::shared_str(
                "continues an attributed quotation earlier in the paragraph",
            );
            return a;
        }
    }
    Attribution {
        how: crate::report::shared_str(
            "no speaker and speech verb in its sentence, the sentence before or the sentence after",
        ),
        ..Default::default()
    }
}

/// “…”: Stoltenberg reminded / fire chief warned: a quotation opening its paragraph,
/// followed by a colon and a speaker who is the subject of what follows.
fn headline_speaker(doc: &Document, rec: &Recognized, q: &Quote) -> Option<Attribution> {
    let para = &doc.paragraphs[q.first_paragraph];
    if !doc.prose[para.span.start..q.span.start].trim().is_empty() {
        return None;
    }
    let after = &doc.prose[q.span.end..doc.paragraphs[q.last_paragraph].span.end];
    if !after.trim_start().starts_with(':') {
        return None;
    }
    let colon = q.span.end + after.find(':')?;
    let k = doc.token_index_at(colon + 1);
    let end = doc
        .sentence_at(colon)
        .map_or(doc.tokens.len(), |si| doc.sentences[si].tokens.end)
        .min(doc.tokens.len());
    if k >= end {
        return None;
    }
    let cue_after = |j: usize| {
        doc.tokens
            .get(j)
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| doc.text[t.span()].to_string())
    };
    // a name: "Stoltenberg reminded"
    if let Some(mut a) = speaker_at(doc, rec, k, q.span.start) {
        if a.speaker_entity.is_some() || doc.tokens[k].cap {
            let span_end = a.speaker_span.as_ref().map_or(0, |s| s.end);
            let next = doc.token_index_at(span_end);
            let cue = cue_after(next).filter(|w| plain_cue(w));
            a.cue = Some(crate::report::shared_str(cue.as_deref().unwrap_or(":")));
            a.how =
                crate::report::shared_str("named after the colon of a headline-style quotation");
            return Some(a);
        }
    }
    // a title phrase: "fire chief warned", "the county engineer says"
    let mut j = k;
    while j < end && j - k < 5 && doc.tokens[j].kind == TokenKind::Word {
        let w = doc.folded(j);
        if is_speaker_noun(w) && !is_cue_word(w) {
            let next = cue_after(j + 1).map(|w| folded(&w)).unwrap_or_default();
            if is_speaker_noun(&next) {
                j += 1;
                continue;
            }
            let mut a = resolve_phrase(doc, rec, k..j, q.span.start);
            a.cue = Some(crate::report::shared_str(
                cue_after(j + 1)
                    .filter(|w| plain_cue(w))
                    .as_deref()
                    .unwrap_or(":"),
            ));
            a.how =
                crate::report::shared_str("named after the colon of a headline-style quotation");
            return Some(a);
        }
        if lexicon::contains(FUNCTION_WORDS, w) && !matches!(w, "the" | "a" | "an") {
            return None;
        }
        j += 1;
    }
    None
}

/// Verbs of manner that report speech only right beside the quotation.
fn is_gesture(w: &str) -> bool {
    let stems = [
        "smil", "laugh", "grin", "chuckl", "sigh", "scoff", "sneer", "groan", "muse", "mutter",
    ];
    stems.iter().any(|s| w.starts_with(s))
}

/// The verbs that report speech and nothing else.
const CORE_CUES: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "told",
    "tells",
    "tell",
    "added",
    "adds",
    "asked",
    "asks",
    "wrote",
    "writes",
    "according",
    "warned",
    "warns",
    "insisted",
    "insists",
    "stressed",
    "stresses",
    "replied",
    "replies",
    "answered",
    "answers",
    "explained",
    "explains",
    "noted",
    "notes",
    "declared",
    "declares",
    "tweeted",
    "posted",
];

/// A speech verb that needs no particle to mean speech ("warned", not "orders").
fn plain_cue(w: &str) -> bool {
    let f = folded(w);
    is_cue_word(&f) && cue_needs_particle(&f).is_none()
}

/// The cue nearest to the quotation in the given sentences, with its speaker.
fn best_cue(
    doc: &Document,
    rec: &Recognized,
    sentences: &[usize],
    quote: Span,
    place: &str,
) -> Option<Attribution> {
    let mut best: Option<(usize, Attribution)> = None;
    for &si in sentences {
        let s = &doc.sentences[si];
        for k in s.tokens.clone() {
            let t = &doc.tokens[k];
            if t.kind != TokenKind::Word || doc.token_in_quote(k) {
                continue;
            }
            let w = doc.folded(k);
            if !is_cue_word(w) {
                continue;
            }
            // the word after (for phrasal cues)
            let next_w = if k + 1 < doc.tokens.len() {
                doc.folded(k + 1)
            } else {
                ""
            };
            if let Some(parts) = cue_needs_particle(w) {
                if !parts.contains(&next_w) {
                    continue;
                }
            }
            // a smile or a sigh attributes only the words it stands next to ("…,” she
            // laughed), not a quotation in another sentence ("Ruiz smiled. “…”")
            let same_sentence = s.span.start <= quote.start && quote.start < s.span.end
                || s.span.start < quote.end && quote.end <= s.span.end;
            if !same_sentence && is_gesture(w) {
                continue;
            }
            let mut cue_span = t.span();
            if w == "according"
                || matches!(
                    w,
                    "pointed" | "points" | "point" | "went" | "goes" | "summed" | "spelled"
                )
            {
                cue_span.end = doc.tokens[k + 1].span().end;
            }
            let mut dist = if cue_span.start >= quote.end {
                cue_span.start - quote.end
            } else {
                quote.start.saturating_sub(cue_span.end)
            };
            // the verbs of speech proper win over a nearer "would publish"
            if !CORE_CUES.contains(&w) {
                dist += 120;
            }
            // (a cue no nearer than the best so far cannot win: its speaker is not
            // looked for)
            if best.as_ref().is_some_and(|b| dist >= b.0) {
                continue;
            }
            // the speaker stands after the cue only in inversion, right after a
            // quotation ("…,” said the mayor), and after "according to"
            let before = doc.prose[..t.span().start]
                .trim_end_matches([' ', ',', '\n', '\r', '\t', '—', '-']);
            let inverted = before.ends_with(['”', '"', '’', '\'', '»', '″']);
            let speaker = if w == "according" {
                speaker_after(doc, rec, k + 2, s.tokens.end, quote.start)
            } else if inverted {
                speaker_after(doc, rec, k + 1, s.tokens.end, quote.start)
                    .or_else(|| speaker_before(doc, rec, k, s.tokens.start, quote.start))
            } else {
                speaker_before(doc, rec, k, s.tokens.start, quote.start)
            };
            let Some(mut a) = speaker else { continue };
            a.cue = Some(crate::report::shared_str(if w == "according" {
                "according to"
            } else {
                &doc.text[cue_span.clone()]
            }));
            a.cue_span = Some(cue_span);
            best = Some((dist, a));
        }
    }
    best.map(|(_, mut a)| {
        a.how = crate::report::shared(format_args!("speaker and speech verb {place}"));
        a
    })
}

/// Words that may stand between a speaker and the cue ("he once again said").
static BETWEEN: WordList = WordList::new(&[
    "also",
    "once",
    "again",
    "later",
    "then",
    "has",
    "had",
    "have",
    "was",
    "is",
    "were",
    "are",
    "will",
    "would",
    "had",
    "previously",
    "repeatedly",
    "earlier",
    "recently",
    "further",
    "quickly",
    "firmly",
    "flatly",
    "simply",
    "bluntly",
    "angrily",
    "calmly",
    "told",
    "reportedly",
    "often",
    "frequently",
    "publicly",
    "privately",
    "openly",
    "already",
    "not",
    "never",
    "specifically",
    "more",
    "who",
    "has",
    "been",
    "being",
    "did",
    "does",
    "do",
    "just",
    "personally",
    "separately",
    "jointly",
    "similarly",
    "likewise",
    "however",
    "in",
    "a",
    "statement",
    "letter",
    "interview",
    "post",
    "on",
    "x",
    "twitter",
    "facebook",
    "telegram",
]);

fn speaker_before(
    doc: &Document,
    rec: &Recognized,
    cue: usize,
    sent_start: usize,
    quote_start: usize,
) -> Option<Attribution> {
    // "She paused for a long time before answering": the subject of the sentence
    if cue > sent_start
        && doc.folded(cue).ends_with("ing")
        && matches!(
            doc.folded(cue - 1),
            "before" | "after" | "while" | "when" | "without"
        )
    {
        return (sent_start..cue - 1)
            .take(4)
            .take_while(|&j| !doc.token_in_quote(j))
            .find_map(|j| speaker_at(doc, rec, j, quote_start));
    }
    let mut k = cue;
    let mut skipped = 0;
    while k > sent_start && skipped < 6 {
        k -= 1;
        let t = &doc.tokens[k];
        if doc.token_in_quote(k) {
            return None;
        }
        let w = doc.folded(k);
        if t.kind == TokenKind::Punct {
            if w == "," && skipped == 0 {
                // an appositive: "The minister, José Albares, pointed out" names the
                // speaker; "Ibrahim Sesay, who runs a dairy outside Millbrook, said"
                // has the speaker before it. A name in a longer clause ("Kowalski-Diaz,
                // asked whether … the town of Alder Creek, said") is not the speaker.
                let clause_len = (sent_start..k)
                    .rev()
                    .take_while(|&j| doc.token_text(j) != ",")
                    .count();
                if k > sent_start && clause_len <= 5 {
                    if let Some(a) = speaker_at(doc, rec, k - 1, quote_start) {
                        if a.speaker_entity
                            .is_some_and(|e| rec.entities[e].kind != EntityKind::Place)
                        {
                            return Some(a);
                        }
                    }
                }
                // the comma before: the name before it speaks, unless it is the object
                // of a preposition in a relative clause ("Priya Nandakumar-Ross, who
                // lives on Orchard Lane, a quarter mile from the site, put it"): then
                // the person the clause is about
                let earlier_comma = |from: usize| {
                    let mut j = from;
                    while j > sent_start && from - j < 25 {
                        j -= 1;
                        let tj = &doc.tokens[j];
                        if doc.token_in_quote(j) {
                            return None;
                        }
                        if tj.kind == TokenKind::Punct && &doc.text[tj.span()] == "," {
                            return Some(j);
                        }
                    }
                    None
                };
                if let Some(j) = earlier_comma(k) {
                    if j > sent_start {
                        if let Some(a) = speaker_at(doc, rec, j - 1, quote_start) {
                            let before =
                                doc.token_index_at(a.speaker_span.as_ref().map_or(0, |s| s.start));
                            let in_clause = before > sent_start
                                && PREPOSITIONS.contains(doc.folded(before - 1));
                            if in_clause {
                                if let Some(i) = earlier_comma(before).filter(|&i| i > sent_start) {
                                    let who = doc.folded(i + 1) == "who";
                                    if let Some(p) = speaker_at(doc, rec, i - 1, quote_start)
                                        .filter(|p| {
                                            who && p
                                                .speaker_entity
                                                .is_some_and(|e| person_like(&rec.entities[e]))
                                        })
                                    {
                                        return Some(p);
                                    }
                                }
                            }
                            return Some(a);
                        }
                        return title_phrase_ending(doc, rec, j - 1, sent_start, quote_start);
                    }
                }
                skipped += 1;
                continue;
            }
            return None;
        }
        // "the words were those of Ndiaye-Lefort, who told reporters": the relative
        // clause's antecedent speaks
        if w == "who" && k >= sent_start + 2 && doc.token_text(k - 1) == "," {
            if let Some(a) = speaker_at(doc, rec, k - 2, quote_start) {
                return Some(a);
            }
            return title_phrase_ending(doc, rec, k - 2, sent_start, quote_start);
        }
        // "the statement said": the body that issued it
        if matches!(w, "statement" | "release" | "communique" | "communiqué")
            && k > sent_start
            && matches!(
                doc.folded(k - 1),
                "the" | "its" | "a" | "their" | "his" | "her"
            )
        {
            return title_phrase_ending(doc, rec, k, sent_start, quote_start);
        }
        if let Some(a) = speaker_at(doc, rec, k, quote_start) {
            return Some(affiliated_person(doc, rec, a, sent_start, quote_start));
        }
        if BETWEEN.contains(w) {
            skipped += 1;
            continue;
        }
        // the head of a noun phrase: "the politician", "the head of Russian diplomacy"
        return title_phrase_ending(doc, rec, k, sent_start, quote_start);
    }
    None
}

/// "Fire Chief Renata Kowalski-Diaz of the Sierra Vista Fire Protection District
/// said": the person speaks, not the body they belong to.
fn affiliated_person(
    doc: &Document,
    rec: &Recognized,
    a: Attribution,
    sent_start: usize,
    quote_start: usize,
) -> Attribution {
    let Some(span) = a.speaker_span.clone() else {
        return a;
    };
    // back over "the" and up to two lowercase words ("of the group Alpine Future")
    let mut j = doc.token_index_at(span.start);
    let mut skipped = 0;
    while j > sent_start
        && skipped < 3
        && doc.tokens[j - 1].kind == TokenKind::Word
        && !doc.tokens[j - 1].cap
        && !matches!(doc.token_text(j - 1), "of" | "at" | "from")
        && !is_cue_word(doc.folded(j - 1))
    {
        j -= 1;
        skipped += 1;
    }
    if j < sent_start + 2 || !matches!(doc.token_text(j - 1), "of" | "at" | "from") {
        return a;
    }
    match speaker_at(doc, rec, j - 2, quote_start) {
        Some(p)
            if p.speaker_entity
                .is_some_and(|e| person_like(&rec.entities[e])) =>
        {
            p
        }
        _ => a,
    }
}

fn speaker_after(
    doc: &Document,
    rec: &Recognized,
    from: usize,
    sent_end: usize,
    quote_start: usize,
) -> Option<Attribution> {
    let k = from;
    if k < sent_end && k < doc.tokens.len() {
        let t = &doc.tokens[k];
        if doc.token_in_quote(k) || t.kind == TokenKind::Punct {
            return None;
        }
        let w = doc.folded(k);
        if let Some(a) = speaker_at(doc, rec, k, quote_start) {
            // "said Philharmonic chief executive Ingrid Mbeki-Larsson": the body's
            // name qualifies the title; the person after it speaks
            // ("according to Covewater's chief financial officer, Benedikt
            // Sarr-Lindqvist": adjectives in the title, and the name in apposition)
            if let Some(end) = a.speaker_span.as_ref().map(|s| s.end) {
                let mut j = doc.token_index_at(end);
                let first = j;
                while j < sent_end
                    && j < doc.tokens.len()
                    && j - first < 4
                    && doc.tokens[j].kind == TokenKind::Word
                    && !doc.tokens[j].cap
                    && !lexicon::contains(FUNCTION_WORDS, doc.folded(j))
                    && !is_cue_word(doc.folded(j))
                {
                    j += 1;
                }
                let title_ends = j > first && is_speaker_noun(doc.folded(j - 1));
                let apposition = j < sent_end && j < doc.tokens.len() && doc.token_text(j) == ",";
                let name = if apposition { j + 1 } else { j };
                if title_ends && name < sent_end && name < doc.tokens.len() && doc.tokens[name].cap
                {
                    if let Some(p) = speaker_at(doc, rec, name, quote_start).filter(|p| {
                        !apposition
                            || p.speaker_entity
                                .is_some_and(|e| person_like(&rec.entities[e]))
                    }) {
                        return Some(p);
                    }
                }
            }
            return Some(a);
        }
        if w == "the"
            || w == "a"
            || w == "an"
            || w == "its"
            || w == "his"
            || w == "her"
            || w == "their"
            || w == "our"
        {
            // "said the Russian Foreign Minister", "added the head of Russian
            // diplomacy": the phrase's head noun comes before any preposition
            let mut e = k + 1;
            let mut head = None;
            while e < sent_end
                && e < doc.tokens.len()
                && doc.tokens[e].kind == TokenKind::Word
                && e - k < 8
            {
                let we = doc.folded(e);
                if lexicon::contains(FUNCTION_WORDS, we) {
                    break;
                }
                if let Some(a) = speaker_at(doc, rec, e, quote_start) {
                    return Some(a);
                }
                head = Some(e);
                e += 1;
            }
            let head = head?;
            if !is_speaker_noun(doc.folded(head)) {
                return None;
            }
            // "says the study’s lead author, glaciologist Matthias Oberholzer-Nunes":
            // the name in apposition
            if doc
                .tokens
                .get(head + 1)
                .is_some_and(|t| &doc.text[t.span()] == ",")
            {
                let mut j = head + 2;
                while j < sent_end
                    && j < doc.tokens.len()
                    && j - head < 6
                    && doc.tokens[j].kind == TokenKind::Word
                {
                    if doc.tokens[j].cap {
                        if let Some(p) = speaker_at(doc, rec, j, quote_start).filter(|p| {
                            p.speaker_entity
                                .is_none_or(|e| person_like(&rec.entities[e]))
                        }) {
                            return Some(p);
                        }
                        break;
                    }
                    if !is_speaker_noun(doc.folded(j))
                        && lexicon::contains(FUNCTION_WORDS, doc.folded(j))
                    {
                        break;
                    }
                    j += 1;
                }
            }
            return Some(resolve_phrase(doc, rec, k..head, quote_start));
        }
        // "according to mission director Adaeze Nwachukwu-Berg", "said board member
        // Yuki Tanaka-Brennan": lowercase title words before the name
        // ("said co-author Rafael Ortiz-Kamau": a hyphen inside a title joins words)
        if !t.cap && !lexicon::contains(FUNCTION_WORDS, w) && !is_cue_word(w) {
            let joined = |e: usize| {
                e + 1 < doc.tokens.len()
                    && matches!(doc.token_text(e), "-" | "‑")
                    && !doc.tokens[e].space_before
                    && !doc.tokens[e + 1].space_before
            };
            let mut e = k + 1;
            while e < sent_end && e < doc.tokens.len() && e - k <= 6 {
                let te = &doc.tokens[e];
                if joined(e) {
                    e += 2;
                    continue;
                }
                if te.kind != TokenKind::Word || doc.token_in_quote(e) {
                    return None;
                }
                if te.cap {
                    return speaker_at(doc, rec, e, quote_start);
                }
                let we = doc.folded(e);
                if lexicon::contains(FUNCTION_WORDS, we) || is_cue_word(we) {
                    return None;
                }
                e += 1;
            }
        }
        return None;
    }
    None
}

/// A speaker standing at token `k`: an entity mention or a pronoun.
fn speaker_at(
    doc: &Document,
    rec: &Recognized,
    k: usize,
    quote_start: usize,
) -> Option<Attribution> {
    let t = &doc.tokens[k];
    let mention = rec.mention_at(t.span().start);
    // "The Department of Health", "Sarrelande’s Ministry of Finance": the whole name
    // of a body, even where the recognizer kept only part of it
    if t.kind == TokenKind::Word
        && t.cap
        && mention.is_none_or(|m| {
            matches!(
                rec.entities[m.entity].kind,
                EntityKind::Organization | EntityKind::Other
            ) && rec.entities[m.entity].kb.is_none()
        })
    {
        if let Some(span) = org_run(doc, k) {
            if mention.is_none_or(|m| span.start <= m.span.start && m.span.end <= span.end) {
                return Some(Attribution {
                    speaker: Some(doc.text[span.clone()].into()),
                    speaker_span: Some(span),
                    speaker_entity: mention.map(|m| m.entity),
                    ..Default::default()
                });
            }
        }
    }
    if let Some(m) = mention {
        let e = &rec.entities[m.entity];
        // known places speak by metonymy ("Moscow said"); unknown ones are where someone lives
        if matches!(
            e.kind,
            EntityKind::Person | EntityKind::Organization | EntityKind::Other
        ) || (e.kind == EntityKind::Place && e.kb.is_some())
        {
            // a surname alone: the full name the story gave first
            let full = (e.kind == EntityKind::Person && !e.name.contains(' '))
                .then(|| rec.person_by_surname(&folded(&e.name)))
                .flatten();
            return Some(Attribution {
                speaker: Some(match full {
                    Some(f) => untitled(&rec.entities[f].name).into(),
                    None => display_name(doc, e, &m.span).into(),
                }),
                speaker_span: Some(m.span.clone()),
                speaker_entity: Some(full.unwrap_or(m.entity)),
                ..Default::default()
            });
        }
    }
    let w = doc.folded(k);
    if PRONOUNS.contains(&w) {
        let (name, ent) = resolve_pronoun(doc, rec, w, quote_start.min(t.span().start));
        return Some(Attribution {
            speaker: name.map(Arc::from).or(Some(doc.text[t.span()].into())),
            speaker_span: Some(t.span()),
            speaker_entity: ent,
            ..Default::default()
        });
    }
    // a capitalised name the recognizer did not keep: the run of capitalised words
    // around it, linked to a person of the story with the same last name if any
    if t.kind == TokenKind::Word
        && t.cap
        && !lexicon::contains(FUNCTION_WORDS, w)
        && !lexicon::contains(TITLES, w)
        && !is_cue_word(w)
        && !titled_run(doc, k)
    {
        let cap = |j: usize| {
            doc.tokens[j].kind == TokenKind::Word && doc.tokens[j].cap && !doc.token_in_quote(j)
        };
        let (mut a, mut b) = (k, k);
        let link = |j: usize| {
            doc.tokens[j].kind == TokenKind::Word
                && matches!(doc.token_text(j), "of" | "for" | "on")
        };
        loop {
            if a > 0 && cap(a - 1) && k - a < 4 {
                a -= 1;
            } else if a > 1 && link(a - 1) && cap(a - 2) && k - a < 4 {
                a -= 2;
            } else {
                break;
            }
        }
        loop {
            if b + 1 < doc.tokens.len() && cap(b + 1) && b - k < 4 {
                b += 1;
            } else if b + 2 < doc.tokens.len() && link(b + 1) && cap(b + 2) && b - k < 4 {
                b += 2;
            } else {
                break;
            }
        }
        // "The Department of Health": the article is not part of the name
        while a < k && matches!(doc.folded(a), "the" | "a" | "an") {
            a += 1;
        }
        let span = doc.tokens[a].span().start..doc.tokens[b].stem().end;
        let last = doc.folded_stem(b);
        let person = rec.person_by_last_word(last);
        return Some(Attribution {
            speaker: Some(person.map_or_else(
                || doc.text[span.clone()].into(),
                |p| untitled(&rec.entities[p].name).into(),
            )),
            speaker_span: Some(span),
            speaker_entity: person,
            ..Default::default()
        });
    }
    None
}

/// The capitalised name of a body around token `k`, over "of", "for" and "on"
/// ("Department of Health"), when one of its words heads organisation names; without
/// a leading article or possessive ("Sarrelande’s").
fn org_run(doc: &Document, k: usize) -> Option<Span> {
    let cap = |j: usize| {
        doc.tokens[j].kind == TokenKind::Word && doc.tokens[j].cap && !doc.token_in_quote(j)
    };
    let link = |j: usize| matches!(doc.token_text(j), "of" | "for" | "on");
    let (mut a, mut b) = (k, k);
    loop {
        if a > 0 && cap(a - 1) && k - a < 6 {
            a -= 1;
        } else if a > 1 && link(a - 1) && cap(a - 2) && k - a < 6 {
            a -= 2;
        } else if a > 2 && doc.token_text(a - 1) == "the" && link(a - 2) && cap(a - 3) && k - a < 6
        {
            a -= 3;
        } else {
            break;
        }
    }
    loop {
        if b + 1 < doc.tokens.len() && cap(b + 1) && b - k < 6 {
            b += 1;
        } else if b + 2 < doc.tokens.len() && link(b + 1) && cap(b + 2) && b - k < 6 {
            b += 2;
        } else if b + 3 < doc.tokens.len()
            && link(b + 1)
            && doc.token_text(b + 2) == "the"
            && cap(b + 3)
            && b - k < 6
        {
            b += 3;
        } else {
            break;
        }
    }
    while a < b {
        let w = doc.token_text(a);
        let fw = folded(w);
        if matches!(fw.as_str(), "the" | "a" | "an")
            || w.ends_with("’s")
            || w.ends_with("'s")
            || link(a)
        {
            a += 1;
        } else {
            break;
        }
    }
    let head = (a..=b).any(|j| {
        doc.tokens[j].kind == TokenKind::Word
            && lexicon::contains(lexicon::ORG_HEADS, doc.folded(j))
    });
    (head && b > a).then(|| doc.tokens[a].span().start..doc.tokens[b].span().end)
}

/// The name to show for a person: the entity's name, or, when the recognizer kept
/// only the end of a hyphenated name ("Quinn" of "Rosalind Pereira-Quinn"), the whole
/// name as written.
fn display_name(doc: &Document, e: &crate::entities::DocEntity, span: &Span) -> String {
    if e.kind != EntityKind::Person || e.kb.is_some() || e.name.contains(' ') {
        return untitled(&e.name);
    }
    let k = doc.token_index_at(span.start);
    let hyphen = k >= 2
        && doc.token_text(k - 1) == "-"
        && doc.tokens[k - 1].span().start == doc.tokens[k - 2].span().end
        && doc.tokens[k - 1].span().end == doc.tokens[k].span().start
        && doc.tokens[k - 2].kind == TokenKind::Word
        && doc.tokens[k - 2].cap;
    if !hyphen {
        return untitled(&e.name);
    }
    let mut a = k - 2;
    while a > 0
        && k - a < 5
        && doc.tokens[a - 1].kind == TokenKind::Word
        && doc.tokens[a - 1].cap
        && !lexicon::contains(FUNCTION_WORDS, doc.folded(a - 1))
    {
        a -= 1;
    }
    untitled(&doc.text[doc.tokens[a].span().start..span.end])
}

/// A name without the titles written before it ("Fire Chief Renata Kowalski-Diaz").
fn untitled(name: &str) -> String {
    // a name of one or two words has nothing before its last two to cut
    let b = name.as_bytes();
    if b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && b.iter().filter(|&&c| c == b' ').count() <= 1
        && !b
            .iter()
            .any(|&c| matches!(c, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
        && (name.is_ascii() || !name.chars().any(|c| c.is_whitespace() && c != ' '))
    {
        return name.to_string();
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let cut = words[..words.len().saturating_sub(2)]
        .iter()
        .rposition(|w| {
            let f = folded(w);
            lexicon::contains(TITLES, &f) || PERSON_NOUNS.contains(&f)
        })
        .map_or(0, |i| i + 1);
    words[cut..].join(" ")
}

/// Whether the capitalised run around token `k` holds a title word ("Foreign
/// Minister"): then it is a title phrase, not a name.
fn titled_run(doc: &Document, k: usize) -> bool {
    let is_title = |j: usize| {
        let t = &doc.tokens[j];
        t.kind == TokenKind::Word
            && t.cap
            && lexicon::contains(TITLES, &folded(&doc.text[t.span()]))
    };
    let cap = |j: usize| doc.tokens[j].kind == TokenKind::Word && doc.tokens[j].cap;
    let mut a = k;
    while a > 0 && cap(a - 1) && k - a < 4 {
        a -= 1;
    }
    let mut b = k;
    while b + 1 < doc.tokens.len() && cap(b + 1) && b - k < 4 {
        b += 1;
    }
    (a..=b).any(is_title)
}

/// Whether a noun can head a phrase that names a speaker ("the minister", "the union").
/// Documents that speak for whoever wrote them: "the report said", "the ruling said".
const DOC_NOUNS: &[&str] = &[
    "report",
    "study",
    "memo",
    "letter",
    "filing",
    "filings",
    "ruling",
    "judgment",
    "judgement",
    "indictment",
    "complaint",
    "lawsuit",
    "audit",
    "survey",
    "document",
    "documents",
    "email",
    "notice",
    "announcement",
];

fn is_speaker_noun(w: &str) -> bool {
    PERSON_NOUNS.contains(w)
        || ORG_NOUNS.contains(w)
        || DOC_NOUNS.contains(&w)
        || (w.len() > 4
            && (w.ends_with("ist") || w.ends_with("er") || w.ends_with("or") || w.ends_with("ian")))
}

fn title_phrase_ending(
    doc: &Document,
    rec: &Recognized,
    head: usize,
    sent_start: usize,
    quote_start: usize,
) -> Option<Attribution> {
    let hw = doc.folded_stem(head);
    if !is_speaker_noun(hw) {
        return None;
    }
    // walk back to the determiner
    let mut k = head;
    while k > sent_start && head - k < 7 {
        let w = doc.folded(k - 1);
        if doc.tokens[k - 1].kind != TokenKind::Word {
            break;
        }
        k -= 1;
        if matches!(
            w,
            "the" | "a" | "an" | "its" | "his" | "her" | "their" | "our"
        ) {
            break;
        }
    }
    Some(resolve_phrase(doc, rec, k..head, quote_start))
}

/// Resolve "the Ukrainian Foreign Minister" or "the Alliance" to an entity in the story.
fn resolve_phrase(
    doc: &Document,
    rec: &Recognized,
    toks: std::ops::Range<usize>,
    before: usize,
) -> Attribution {
    let span = doc.tokens[toks.start].span().start..doc.tokens[toks.end].span().end;
    // the phrase refers back to someone named before it, outside quotations
    let before = before.min(span.start);
    let words: Vec<&str> = (toks.start..=toks.end)
        .filter(|&k| doc.tokens[k].kind == TokenKind::Word)
        .map(|k| doc.folded_stem(k))
        .filter(|w| {
            !matches!(
                *w,
                "the" | "a" | "an" | "of" | "its" | "his" | "her" | "their" | "our"
            )
        })
        .collect();
    let head = words.last().copied().unwrap_or_default();
    let org = ORG_NOUNS.contains(head);
    let phrase = doc.text[span.clone()].to_string();
    let bare = |phrase: &str| {
        ["the ", "The ", "a ", "A ", "an ", "An "]
            .iter()
            .find_map(|d| phrase.strip_prefix(d))
            .unwrap_or(phrase)
            .to_string()
    };
    // a document speaks as itself: "the 2019 report said"
    if DOC_NOUNS.contains(&head) {
        return Attribution {
            speaker: Some(bare(&phrase).into()),
            speaker_span: Some(span),
            ..Default::default()
        };
    }
    // candidates: entities mentioned before, most recent first
    let mut best: Option<(i32, usize)> = None;
    let upto = rec.mentions.partition_point(|m| m.span.start < before);
    for m in rec.mentions[..upto]
        .iter()
        .rev()
        .take(60)
        .filter(|m| !doc.in_quote(m.span.start))
    {
        let e = &rec.entities[m.entity];
        let fits = if org {
            e.kind == EntityKind::Organization
        } else {
            person_like(e)
        };
        if !fits {
            continue;
        }
        // with no word of the phrase in anyone's title, the story's main figure
        // (most mentioned) is meant: "the challenger told a crowd"
        let score = phrase_score(e, &words, head) * 1000 + e.mentions.len().min(999) as i32;
        if best.is_none_or(|b| score > b.0) {
            best = Some((score, m.entity));
        }
    }
    // a headline's "fire chief warned" names someone the story introduces later:
    // accept a later mention only when the phrase's words are in their title or name
    if best.is_none() {
        for m in rec.mentions[upto..]
            .iter()
            .take(40)
            .filter(|m| !doc.in_quote(m.span.start))
        {
            let e = &rec.entities[m.entity];
            let fits = if org {
                e.kind == EntityKind::Organization
            } else {
                person_like(e)
            };
            let score = phrase_score(e, &words, head) * 1000;
            if fits && score > 1000 && best.is_none_or(|b| score > b.0) {
                best = Some((score, m.entity));
            }
        }
    }
    match best {
        Some((_, e)) => Attribution {
            speaker: Some(
                full_body_name(doc, rec, e)
                    .unwrap_or_else(|| untitled(&rec.entities[e].name))
                    .into(),
            ),
            speaker_span: Some(span),
            speaker_entity: Some(e),
            ..Default::default()
        },
        None => Attribution {
            speaker: Some(bare(&phrase).into()),
            speaker_span: Some(span),
            ..Default::default()
        },
    }
}

/// The whole name of a body the recognizer kept only part of ("Department" of "the
/// state Department of Transportation"), from its first mention.
fn full_body_name(doc: &Document, rec: &Recognized, e: usize) -> Option<String> {
    let ent = &rec.entities[e];
    if ent.kind != EntityKind::Organization || ent.kb.is_some() {
        return None;
    }
    let m = &rec.mentions[*ent.mentions.first()?];
    let span = org_run(doc, doc.token_index_at(m.span.start))?;
    (span.start <= m.span.start && m.span.end <= span.end && span.len() > m.span.len())
        .then(|| doc.text[span].to_string())
}

/// How well an entity fits the words of a title phrase ("the Ukrainian Foreign
/// Minister"): 1, plus 3 for each word in its titles, description or name, less 1
/// when it carries other titles but not the phrase's head ("the challenger" is not
/// the mayor).
fn phrase_score(e: &crate::entities::DocEntity, words: &[&str], head: &str) -> i32 {
    let mut score = 1;
    let desc = e.description.to_lowercase();
    let name = folded(&e.name);
    for &w in words {
        if e.titles.iter().any(|t| t == w) || desc.contains(w) || name.contains(w) {
            score += 3;
        }
    }
    if score == 1 && !e.titles.is_empty() && !e.titles.iter().any(|t| t == head) {
        score -= 1;
    }
    score
}

/// The most recent fitting person before `offset`.
fn resolve_pronoun(
    doc: &Document,
    rec: &Recognized,
    pronoun: &str,
    offset: usize,
) -> (Option<String>, Option<usize>) {
    let fits = |e: &crate::entities::DocEntity| match pronoun {
        "he" => person_like(e) && e.gender != Some('f'),
        "she" => person_like(e) && e.gender != Some('m'),
        "i" => person_like(e),
        "they" => matches!(e.kind, EntityKind::Organization | EntityKind::Person),
        _ => e.kind == EntityKind::Organization,
    };
    // the nearest sentence (this one, before the pronoun, then earlier ones) that
    // names someone fitting; in it, the first such mention that is not the object of
    // a preposition ("her father's barbershop in Hackney"): the subject, usually. A
    // sentence whose subject is the same pronoun ("She thanked her staff and said she
    // had called Valdés-Lindgren") refers further back.
    let Some(si) = doc.sentence_at(offset) else {
        return (None, None);
    };
    let personal = matches!(pronoun, "he" | "she");
    for s in (si.saturating_sub(6)..=si).rev() {
        let sent = &doc.sentences[s];
        let end = if s == si { offset } else { sent.span.end };
        // names in parentheses are asides and credits ("(EFE/Ilya U. Topper)")
        let mut parens = 0usize;
        for k in sent.tokens.clone() {
            let t = &doc.tokens[k];
            if t.span().start >= end {
                break;
            }
            match doc.token_text(k) {
                "(" => parens += 1,
                ")" => parens = parens.saturating_sub(1),
                _ => {}
            }
            if t.kind != TokenKind::Word || parens > 0 || doc.token_in_quote(k) {
                continue;
            }
            let w = doc.folded(k);
            if personal && w == pronoun {
                break;
            }
            // "in Hackney", "the Foxes": not who "she" is (looked up only for a name)
            let after_preposition = || {
                k > sent.tokens.start
                    && (PREPOSITIONS.contains(doc.folded(k - 1))
                        || (personal && matches!(doc.folded(k - 1), "the" | "a" | "an")))
                    && !(k >= sent.tokens.start + 2 && doc.folded(k - 2) == "according")
            };
            // "Jun-ho Park, 71, has lived …": a name and an age open the sentence
            if personal && k == sent.tokens.start && t.cap {
                if let Some(name) = name_with_age(doc, rec, k, sent.tokens.end) {
                    return name;
                }
            }
            // "a letter to her late mother, Abena,": her relative, not her
            // ("His manager, Graham Pettigrew-Nwosu, had spent the week": opening the
            // sentence, the name in apposition is its subject)
            let relative = k > sent.tokens.start
                && doc.token_text(k - 1) == ","
                && (sent.tokens.start..k - 1)
                    .rev()
                    .take(4)
                    .take_while(|&j| doc.tokens[j].kind == TokenKind::Word)
                    .any(|j| {
                        matches!(doc.folded(j), "her" | "his" | "their")
                            && (sent.tokens.start..j)
                                .any(|i| doc.tokens[i].kind != TokenKind::Punct)
                    });
            if relative {
                continue;
            }
            if let Some(m) = rec.mention_at(t.span().start) {
                if m.span.start != t.span().start {
                    continue;
                }
                // "Ashcombe manager Ingrid Sæther", "Teixeira-Lund’s husband, Anders
                // Lund,": the name is a modifier; the person is the name that follows
                if personal && names_someone_else(doc, rec, m.span.end, sent.tokens.end) {
                    continue;
                }
                if !after_preposition() && fits(&rec.entities[m.entity]) {
                    let e = &rec.entities[m.entity];
                    return (Some(display_name(doc, e, &m.span)), Some(m.entity));
                }
                if !t.cap || rec.entities[m.entity].kb.is_some() {
                    continue;
                }
            }
            // a surname the recognizer left alone ("Amankwah, 56, read")
            if t.cap && !after_preposition() && !lexicon::contains(FUNCTION_WORDS, w) {
                if let Some(e) = rec.person_by_surname(w).filter(|&e| fits(&rec.entities[e])) {
                    return (Some(untitled(&rec.entities[e].name)), Some(e));
                }
            }
        }
    }
    (None, None)
}

/// Whether the words after a mention (ending at `end_off`) turn it into a modifier of
/// another person's name: a title and a name ("Ashcombe manager Ingrid Sæther"), or,
/// after a possessive, a noun and a name in apposition ("Teixeira-Lund’s husband,
/// Anders Lund,").
fn names_someone_else(doc: &Document, rec: &Recognized, end_off: usize, end: usize) -> bool {
    let k = doc.token_index_at(end_off);
    let possessive = k > 0 && doc.tokens[k - 1].possessive > 0;
    let is_person_at = |j: usize| {
        j < end
            && doc.tokens[j].cap
            && rec.mention_at(doc.tokens[j].span().start).is_some_and(|m| {
                m.span.start == doc.tokens[j].span().start
                    && rec.entities[m.entity].kind == EntityKind::Person
            })
    };
    // one or two lowercase title words, then the name
    let mut j = k;
    while j < end && j < k + 2 {
        let t = &doc.tokens[j];
        if t.kind != TokenKind::Word || t.cap {
            break;
        }
        if !lexicon::contains(TITLES, doc.folded(j)) {
            break;
        }
        j += 1;
    }
    if j > k && is_person_at(j) {
        return true;
    }
    if !possessive {
        return false;
    }
    // a possessive, one or two lowercase words, a comma, the name
    let mut j = k;
    while j < end && j < k + 2 && doc.tokens[j].kind == TokenKind::Word && !doc.tokens[j].cap {
        j += 1;
    }
    j > k && j < end && doc.token_text(j) == "," && is_person_at(j + 1)
}

/// A name opening a sentence followed by an age: "Jun-ho Park, 71, has lived".
fn name_with_age(
    doc: &Document,
    rec: &Recognized,
    k: usize,
    end: usize,
) -> Option<(Option<String>, Option<usize>)> {
    let mention = rec
        .mention_at(doc.tokens[k].span().start)
        .filter(|m| m.span.start == doc.tokens[k].span().start);
    if mention.is_some_and(|m| rec.entities[m.entity].kb.is_some()) {
        return None;
    }
    let mut b = k;
    while b + 1 < end && b - k < 5 {
        let next = &doc.tokens[b + 1];
        if next.kind == TokenKind::Word && next.cap {
            b += 1;
        } else if &doc.text[next.span()] == "-"
            && doc
                .tokens
                .get(b + 2)
                .is_some_and(|t| t.kind == TokenKind::Word && t.span().start == next.span().end)
        {
            b += 2;
        } else {
            break;
        }
    }
    let text = |j: usize| doc.tokens.get(j).map_or("", |t| &doc.text[t.span()]);
    let age = text(b + 1) == ","
        && doc
            .tokens
            .get(b + 2)
            .is_some_and(|t| t.kind == TokenKind::Number)
        && text(b + 2).len() <= 3
        && text(b + 3) == ",";
    if b == k || !age {
        return None;
    }
    let span = doc.tokens[k].span().start..doc.tokens[b].span().end;
    let e = mention
        .map(|m| m.entity)
        .filter(|&e| person_like(&rec.entities[e]));
    Some((Some(doc.text[span].to_string()), e))
}

/// A person, or an unclassified name of two words or more (Kieran O'Connell).
fn person_like(e: &crate::entities::DocEntity) -> bool {
    e.kind == EntityKind::Person
        || (e.kind == EntityKind::Other && e.name.split_whitespace().count() >= 2)
}

static PREPOSITIONS: WordList = WordList::new(&[
    "in", "at", "from", "to", "of", "near", "with", "by", "for", "on", "into", "outside", "inside",
    "above", "below", "across", "through", "via", "toward", "towards", "against", "about", "under",
    "over", "behind", "between", "beyond", "around", "past",
]);

/// A speaker named in a sentence that introduces a quotation with a colon: the
/// first person named outside a prepositional phrase ("At a town hall in Millbrook,
/// Villalobos-Kent put a question to …:"), else the first body, else a title phrase
/// ("The club’s statement was short:").
fn speaker_in_sentence(
    doc: &Document,
    rec: &Recognized,
    si: usize,
    quote_start: usize,
) -> Option<Attribution> {
    let s = &doc.sentences[si];
    let mut first_body: Option<Attribution> = None;
    let mut first_unknown: Option<Attribution> = None;
    let mut possessive: Option<Attribution> = None;
    let mut first_any: Option<Attribution> = None;
    let mut phrase: Option<Attribution> = None;
    for k in s.tokens.clone() {
        let t = &doc.tokens[k];
        if t.span().start >= quote_start || doc.token_in_quote(k) {
            break;
        }
        if t.kind != TokenKind::Word {
            continue;
        }
        let after_preposition = k > s.tokens.start && PREPOSITIONS.contains(doc.folded(k - 1));
        if let Some(a) = speaker_at(doc, rec, k, quote_start) {
            // people take no article: "The Ashcombe chairman" names a club
            let article = k > s.tokens.start && matches!(doc.folded(k - 1), "the" | "a" | "an");
            let person = !article
                && a.speaker_entity
                    .is_some_and(|e| person_like(&rec.entities[e]));
            if !after_preposition && person {
                return Some(colon(a));
            }
            // a capitalised name the recognizer did not keep
            if !after_preposition
                && a.speaker_entity.is_none()
                && org_run(doc, k).is_none()
                && first_unknown.is_none()
            {
                first_unknown = Some(a.clone());
            }
            if !after_preposition && first_body.is_none() {
                first_body = Some(a.clone());
            }
            if first_any.is_none() {
                first_any = Some(a);
            }
            continue;
        }
        let w = doc.folded_stem(k);
        // "Her answer was short:": whose answer
        if possessive.is_none() && !after_preposition {
            let pronoun = match w {
                "his" => Some("he"),
                "her" => Some("she"),
                "their" => Some("they"),
                _ => None,
            };
            if let Some(p) = pronoun {
                let (name, ent) = resolve_pronoun(doc, rec, p, t.span().start);
                if name.is_some() {
                    possessive = Some(Attribution {
                        speaker: name.map(Arc::from),
                        speaker_span: Some(t.span()),
                        speaker_entity: ent,
                        ..Default::default()
                    });
                }
            }
        }
        if phrase.is_none()
            && !after_preposition
            && (PERSON_NOUNS.contains(w) || ORG_NOUNS.contains(w))
        {
            phrase = title_phrase_ending(doc, rec, k, s.tokens.start, quote_start);
        }
    }
    possessive
        .or(first_unknown)
        .or(first_body)
        .or(phrase)
        .or(first_any)
        .map(colon)
}

fn colon(mut a: Attribution) -> Attribution {
    a.cue = Some(crate::report::shared_str(":"));
    a.how = crate::report::shared_str("introduced by the sentence before, which ends with a colon");
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (first words of the quotation, speaker, cue) for every quotation of speech.
    fn speakers(text: &str) -> Vec<(String, Option<String>, Option<String>)> {
        let options = crate::Options {
            format: crate::Format::PlainText,
            ..crate::Options::default()
        };
        crate::analyze(text, &options)
            .quotes
            .iter()
            .filter(|q| q.kind == QuoteKind::Speech)
            .map(|q| {
                let words: String = text[q.inner.clone()]
                    .split_whitespace()
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" ");
                let own = |s: &Option<Arc<str>>| s.as_deref().map(str::to_string);
                (words, own(&q.speaker), own(&q.cue))
            })
            .collect()
    }

    fn speaker_of(text: &str, start: &str) -> Option<String> {
        speakers(text)
            .into_iter()
            .find(|q| q.0.starts_with(start))
            .unwrap_or_else(|| panic!("no quotation {start:?} in {:?}", speakers(text)))
            .1
    }

    #[test]
    fn a_sentence_of_the_paragraph_before_does_not_attribute() {
        let t = "Mayor Ana Ruiz said the council would vote in May.\n\n\"We will not close a single library this year.\" The council meets again in May.";
        assert_eq!(speaker_of(t, "We will not"), None);
        let t = "Mayor Ana Ruiz was blunt:\n\n\"We will not close a single library this year.\"";
        assert_eq!(speaker_of(t, "We will not").as_deref(), Some("Ana Ruiz"));
    }

    #[test]
    fn pronouns_skip_same_pronoun_subjects_and_places() {
        let t = "Harriet Okwuosa conceded at a hotel in Port Anselm. She thanked her staff and said she had called Rafael Valdes to congratulate him.\n\n\"The voters have spoken, and I respect their decision,\" she said.";
        assert_eq!(
            speaker_of(t, "The voters").as_deref(),
            Some("Harriet Okwuosa")
        );
    }

    #[test]
    fn relative_clause_after_the_quotation() {
        let t = "The prosecutor, Camille Ndiaye, spoke first. Police arrived later.\n\n\"They knew exactly where the cameras were pointing.\" The words were those of Ndiaye, who told reporters the thieves had visited before.";
        assert_eq!(
            speaker_of(t, "They knew").as_deref(),
            Some("Camille Ndiaye")
        );
    }

    #[test]
    fn title_words_after_according_to_and_inverted_cues() {
        let t = "The lander is \"healthy and talking to us,\" according to mission director Adaeze Nwachukwu.";
        assert_eq!(
            speaker_of(t, "healthy and").as_deref(),
            Some("Adaeze Nwachukwu")
        );
    }

    #[test]
    fn headline_quote_with_the_speaker_named_later() {
        let t = "\"Leave now, not in an hour\": fire chief warns as blaze doubles\n\n\"If you are in the red zone, leave now,\" Fire Chief Renata Kowalski said on Tuesday.";
        let s = speaker_of(t, "Leave now");
        assert_eq!(s.as_deref(), Some("Renata Kowalski"), "{:?}", speakers(t));
    }

    #[test]
    fn gestures_attribute_only_beside_the_quotation() {
        let t = "Asked whether she would run again, Maria Ruiz smiled. \"Ask me next year.\"\n\nMaria Ruiz spoke for an hour. \"Nobody listens to us any more.\"";
        assert_eq!(speaker_of(t, "Ask me"), None);
        assert_eq!(
            speaker_of(t, "Nobody listens").as_deref(),
            Some("Maria Ruiz")
        );
    }

    #[test]
    fn colon_introduction_names_the_person_not_the_body() {
        let t = "The Ashcombe chairman, Harold Pemberton, was less diplomatic in an interview: \"Nobody is bigger than this club, and nobody will be sold.\"";
        assert_eq!(
            speaker_of(t, "Nobody is").as_deref(),
            Some("Harold Pemberton")
        );
    }

    #[test]
    fn at_least_150_cue_forms() {
        let forms = cue_forms();
        assert!(forms.len() >= 150, "{}", forms.len());
        for w in [
            "said",
            "says",
            "told",
            "added",
            "asked",
            "wrote",
            "stressed",
            "warned",
            "insisted",
            "defended",
            "detailed",
            "recalled",
            "assured",
            "summarized",
            "tweeted",
            "posted",
            "conceded",
        ] {
            assert!(is_cue_word(w), "{w}");
        }
    }
}
