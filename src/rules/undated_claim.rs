//! `undated-claim`
//!
//! One pass over each sentence that has no time anchor. A regex finds the
//! candidates (status words, sums of money, numbers with their hedge); each
//! number is then judged by the words that follow it: the head noun of its
//! phrase must belong to a class of things whose count changes (people in a
//! role, casualties, homes, vehicles, tickets, members, votes, ...), or be a
//! percentage, a poll margin, or a large tally. Ages, measures, durations,
//! family members and hyphenated properties ("a 12-room inn") are left alone.

use crate::lexicon::WordList;
use crate::pattern::{Match, Pattern, Stepped, find_both};
use crate::text::gate::{Words, may_hold};

use super::{Context, RuleDoc};
use crate::report::{Diagnostic, Severity, Span};

pub const DOC: RuleDoc = RuleDoc {
    code: "undated-claim",
    severity: Severity::Information,
    summary: "A figure that changes over time (\"more than 12 million people\", \"currently 1,700 trucks\") with no date in its sentence.",
    what: "Counts of people, casualties, refugees and other things that change, sums of money, prices and percentages, poll margins, and status words (currently, latest, so far, to date), in a sentence with no time anchor: no date, weekday, month, year, relative date, \"as of\" or \"that day\". Figures inside direct quotations, ages, years, times, measures, durations, family members and fixed properties (a 12-storey building) are not flagged.",
    why: "A count with no \"as of\" goes stale the day it is published, and readers cannot tell how old it is.",
    example: "The offensive has forced more than 12 million people to flee.",
    fix: "Add the date the figure is current to: \"as of April 7\", \"according to UN data published on Tuesday\".",
};

/// Head nouns whose counts change over time, by class.
static CLAIM_NOUNS: WordList = WordList::new(&[
    // people, in general and in the news's usual roles
    "people",
    "persons",
    "individuals",
    "adults",
    "civilians",
    "citizens",
    "inhabitants",
    "locals",
    "refugees",
    "migrants",
    "asylum-seekers",
    "seekers",
    "displaced",
    "evacuees",
    "survivors",
    "victims",
    "casualties",
    "deaths",
    "dead",
    "killed",
    "injured",
    "wounded",
    "fatalities",
    "missing",
    "affected",
    "homeless",
    "unemployed",
    "jobless",
    "evacuated",
    "infected",
    "hostages",
    "prisoners",
    "detainees",
    "inmates",
    "troops",
    "soldiers",
    "militants",
    "rebels",
    "police",
    "staff",
    "staffers",
    "personnel",
    "crew",
    "crews",
    "pilots",
    "nurses",
    "medics",
    "paramedics",
    "midwives",
    "doctors",
    "teachers",
    "pupils",
    "students",
    "patients",
    "children",
    "fans",
    "spectators",
    "tourists",
    "guests",
    "delegates",
    "volunteers",
    "witnesses",
    "donors",
    "families",
    "households",
    "employees",
    "jobs",
    "members",
    "voters",
    "users",
    "accounts",
    "followers",
    "subscribers",
    "customers",
    "clients",
    "passengers",
    "travellers",
    "travelers",
    "commuters",
    "attendees",
    "participants",
    "applicants",
    "tenants",
    "homeowners",
    "others",
    // cases, events and tallies
    "cases",
    "infections",
    "hospitalisations",
    "hospitalizations",
    "admissions",
    "tests",
    "vaccinations",
    "doses",
    "arrests",
    "charges",
    "complaints",
    "claims",
    "lawsuits",
    "applications",
    "permits",
    "signatures",
    "petitions",
    "requests",
    "calls",
    "incidents",
    "attacks",
    "strikes",
    "explosions",
    "outbreaks",
    "outages",
    "crimes",
    "overdoses",
    "arrivals",
    "departures",
    "crossings",
    "bookings",
    "reservations",
    "cancellations",
    "tickets",
    "orders",
    "sales",
    "shipments",
    "deliveries",
    "downloads",
    "views",
    "streams",
    "likes",
    "posts",
    "votes",
    "ballots",
    "seats",
    "donations",
    "loans",
    "mortgages",
    "meals",
    "rations",
    // places to live, work and shelter, and their contents
    "homes",
    "houses",
    "apartments",
    "flats",
    "buildings",
    "dwellings",
    "properties",
    "listings",
    "units",
    "tents",
    "vacancies",
    "openings",
    "shelters",
    "beds",
    "schools",
    "hospitals",
    "clinics",
    "stations",
    "businesses",
    "companies",
    "firms",
    "shops",
    "stores",
    "restaurants",
    "branches",
    "outlets",
    "locations",
    "factories",
    "plants",
    "farms",
    "fields",
    "acres",
    "hectares",
    // vehicles, weapons, goods
    "trucks",
    "lorries",
    "vehicles",
    "cars",
    "buses",
    "trains",
    "trams",
    "ferries",
    "ambulances",
    "flights",
    "aircraft",
    "planes",
    "jets",
    "helicopters",
    "drones",
    "missiles",
    "rockets",
    "shells",
    "tanks",
    "satellites",
    "vessels",
    "ships",
    "boats",
    "containers",
    "barrels",
    "tonnes",
    "tons",
    "animals",
    "cattle",
    "cows",
    "sheep",
    "pigs",
    "poultry",
    "chickens",
    "livestock",
    // money as a word
    "euros",
    "dollars",
    "pounds",
    "yuan",
    "rubles",
    "roubles",
    "hryvnias",
    "francs",
    "rupees",
    "yen",
    "pesos",
    "reais",
    "shekels",
    "lira",
    "kronor",
    "kroner",
    "crowns",
    "zloty",
    "forint",
    "rand",
    "naira",
    "dinars",
    "dirhams",
    "riyals",
    "ringgit",
    "baht",
    "lei",
    "krone",
    "cents",
    // works in progress and on offer
    "series",
    "titles",
    "projects",
    "productions",
]);

/// Words ending like agent nouns (-ers, -ors, -ants, -ents, -ists, -ians) that
/// are not people (or not things whose count is news).
static NOT_AGENTS: WordList = WordList::new(&[
    "numbers",
    "letters",
    "chapters",
    "quarters",
    "papers",
    "layers",
    "matters",
    "powers",
    "waters",
    "rivers",
    "corners",
    "floors",
    "doors",
    "meters",
    "metres",
    "liters",
    "litres",
    "kilometers",
    "kilometres",
    "millimeters",
    "millimetres",
    "centimeters",
    "centimetres",
    "parameters",
    "diameters",
    "centers",
    "centres",
    "towers",
    "borders",
    "orders",
    "parents",
    "grandparents",
    "events",
    "moments",
    "elements",
    "segments",
    "components",
    "documents",
    "comments",
    "percent",
    "agents",
    "points",
    "factors",
    "sectors",
    "colors",
    "colours",
    "errors",
    "mirrors",
    "floors",
    "offers",
    "hours",
    "years",
    "others",
    "weathers",
    "feathers",
    "characters",
    "dinners",
    "winners",
    "finishers",
    "runners-up",
    "members-elect",
    "governments",
    "departments",
    "apartments",
    "instruments",
    "amendments",
    "statements",
    "arguments",
    "treatments",
    "payments",
    "shipments",
]);

/// Relatives, whose number is a personal detail ("her three children").
const FAMILY: &[&str] = &[
    "sons",
    "daughters",
    "grandchildren",
    "grandsons",
    "granddaughters",
    "siblings",
    "brothers",
    "sisters",
    "kids",
    "wives",
    "husbands",
    "cousins",
    "nephews",
    "nieces",
];

/// Durations: a claim only as a statistic ("stays on the market for 41 days on average").
const DURATIONS: &[&str] = &["minutes", "hours", "days", "weeks", "months"];

/// Units that measure rather than count: never a claim on their own.
const MEASURES: &[&str] = &[
    "seconds",
    "years",
    "decades",
    "centuries",
    "miles",
    "feet",
    "inches",
    "yards",
    "degrees",
    "kilograms",
    "grams",
    "pounds-force",
    "storeys",
    "stories",
    "floors",
    "rooms",
];

/// Nouns that a share ("roughly a third of the market") can be a share of.
const SHARE_OF: &[&str] = &[
    "market",
    "population",
    "electorate",
    "workforce",
    "vote",
    "votes",
    "budget",
    "revenue",
    "sales",
    "supply",
    "output",
    "exports",
    "imports",
    "production",
    "capacity",
];

/// Words that end the search for a head noun.
static STOP: WordList = WordList::new(&[
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or",
    "but", "per", "as", "than", "that", "which", "who", "this", "these", "those", "its", "their",
    "his", "her", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will",
    "would", "could", "can", "may", "might", "should", "said", "says", "it", "they", "he", "she",
    "we", "you", "i", "more", "less", "fewer", "over", "under", "up", "down", "about", "into",
    "each", "every", "if", "when", "while", "where", "after", "before", "since", "until", "not",
    "no", "so", "just", "also", "only", "all",
]);

const HEDGE: &str = r"(?:(?:more\s+than|over|at\s+least|nearly|almost|about|around|roughly|some|up\s+to|an\s+estimated|approximately|close\s+to|fewer\s+than|less\s+than|as\s+many\s+as|as\s+much\s+as|just\s+over|just\s+under|well\s+over|well\s+above|a\s+record|a\s+further|another|only|just)\s+)";
const SMALL: &str = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety";

const DIGITS: &str = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?";
const SCALE: &str = r"(?:\s*(?:million|billion|trillion|thousand|bn|m|k)(?-u:\b))?";
const STATUS: &str = r"currently|so\s+far|thus\s+far|to\s+date|at\s+present|presently|latest";
const FRACTION: &str =
    r"a\s+(?:third|quarter|fifth|tenth|half)|half|two-thirds|three-quarters|one-third|one-quarter";
const LARGE: &str =
    r"(?:tens\s+of\s+|hundreds\s+of\s+)?(?:hundreds|thousands|millions|billions|dozens)\s+of";
const PCT: &str = r"\s*(?:%|per\s*cent(?-u:\b)|percent(?-u:\b)|percentage\s+points?(?-u:\b))";

/// Every figure: a status word, an amount of money, a fraction of something, or a
/// number (with a hedge before it and a percent sign after it). Searched without
/// capture groups, which would cost several times the search; `Figure::of` tells
/// which alternative matched and where its parts are.
fn figure_re() -> &'static Stepped {
    static RE: Stepped = Stepped::new(|| {
        format!(
            r"(?i)(?:(?-u:\b)(?:{STATUS})(?-u:\b))|(?:(?:(?-u:\b){HEDGE})?(?:US\$|C\$|A\$|[$€£¥₴₹]|Rs\.?\s?)\s?(?:{DIGITS}){SCALE})|(?:(?-u:\b){HEDGE}(?:{FRACTION})\s+of)(?-u:\b)|(?:(?-u:\b)(?:{HEDGE})?(?:(?:{DIGITS}){SCALE}|(?:{LARGE})|(?:(?:{SMALL})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|a\s+dozen)(?-u:\b)))(?:{PCT})?"
        )
    });
    &RE
}

/// The words one of which every figure without a digit contains (`figure_re`'s
/// alternatives: a small number, "dozen", a large round number, a fraction, a
/// status word, or the last word of a status phrase such as "so far"). The
/// automata read nearly every sentence (those with no date) and were half the
/// rule's time; a sentence with neither these nor a digit is not searched
/// (`text::gate`): at 1 MB, half the sentences asked about, and 8 M of 380 M
/// instructions (round 23).
static FIGURE_WORDS: Words = Words::new(&[FIGURE_LIST]);
#[rustfmt::skip]
const FIGURE_LIST: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "dozen",
    "hundreds", "thousands", "millions", "billions", "dozens", "third", "quarter", "fifth",
    "tenth", "half", "thirds", "quarters", "currently", "far", "date", "present", "presently",
    "latest",
];

/// What a match of `figure_re` is, and where its parts are (byte ranges in the
/// sentence). The four alternatives share no words, so the match's text tells which
/// one matched; within a number, the hedge is a prefix, the percent a suffix, and
/// the number between them is digits, a large round number or a small one in words.
#[derive(Default)]
struct Figure {
    status: Option<std::ops::Range<usize>>,
    money: bool,
    frac: bool,
    hedge: bool,
    digits: Option<std::ops::Range<usize>>,
    large: bool,
    small: bool,
    pct: Option<std::ops::Range<usize>>,
}

// The parts of a figure (`Figure::of`).
static P_STATUS: Pattern = Pattern::new(|| format!(r"(?i)\A(?:{STATUS})\z"));
static P_MONEY: Pattern = Pattern::new(|| {
    format!(r"(?i)\A(?:{HEDGE})?(?:US\$|C\$|A\$|[$€£¥₴₹]|Rs\.?\s?)\s?(?:{DIGITS}){SCALE}\z")
});
static P_FRAC: Pattern = Pattern::new(|| format!(r"(?i)\A{HEDGE}(?:{FRACTION})\s+of\z"));
static P_HEDGE: Pattern = Pattern::new(|| format!(r"(?i)\A{HEDGE}"));
static P_DIGITS: Pattern = Pattern::new(|| format!(r"\A(?:{DIGITS})"));
static P_LARGE: Pattern = Pattern::new(|| format!(r"(?i)\A(?:{LARGE})"));
static P_PCT: Pattern = Pattern::new(|| format!(r"(?i){PCT}\z"));

impl Figure {
    fn of(m: Match) -> Figure {
        let (t, at) = (m.as_str(), m.start());
        let shift = |r: Match| at + r.start()..at + r.end();
        // (each search below only where the first or last byte allows a match: a
        // figure is most often a bare number, which needs none of them; `may_start`)
        if may_start(t, b"cstapl") && P_STATUS.is_match(t) {
            return Figure {
                status: Some(m.range()),
                ..Figure::default()
            };
        }
        let currency = t.contains(['$', '€', '£', '¥', '₴', '₹', 'r', 'R']);
        if currency && P_MONEY.is_match(t) {
            return Figure {
                money: true,
                ..Figure::default()
            };
        }
        let of_end = t.len() >= 2 && t.as_bytes()[t.len() - 2..].eq_ignore_ascii_case(b"of");
        if of_end && P_FRAC.is_match(t) {
            return Figure {
                frac: true,
                ..Figure::default()
            };
        }
        let mut f = Figure::default();
        let hedge = may_start(t, b"moanrsucfljw").then(|| P_HEDGE.find(t));
        let core = match hedge.flatten() {
            Some(h) => {
                f.hedge = true;
                h.end()
            }
            None => 0,
        };
        if t.as_bytes().get(core).is_some_and(u8::is_ascii_digit) {
            f.digits = P_DIGITS
                .find(&t[core..])
                .map(|d| at + core + d.start()..at + core + d.end());
        } else if may_start(&t[core..], b"thmbd") && P_LARGE.is_match(&t[core..]) {
            f.large = true;
        } else {
            f.small = true;
        }
        f.pct = may_end_percent(t)
            .then(|| P_PCT.find(t))
            .flatten()
            .map(shift);
        f
    }
}

/// Whether `t` may end in a percentage: in "%", "cent", "point" or "points", in any
/// case ("ſ", beyond ASCII, folds to "s").
fn may_end_percent(t: &str) -> bool {
    matches!(
        t.as_bytes().last(),
        Some(b'%' | b't' | b'T' | b's' | b'S' | 0x80..)
    )
}

/// Whether `t` may begin with a word that begins with one of `letters` (lower case
/// ASCII), in any case: false only when its first byte is ASCII and no such letter.
/// A byte beyond ASCII may begin a letter that folds to one of them (`(?i)` folds
/// "ſ" to "s", "K" (the Kelvin sign) to "k").
fn may_start(t: &str, letters: &[u8]) -> bool {
    match t.as_bytes().first() {
        Some(&b) if b.is_ascii() => letters.contains(&b.to_ascii_lowercase()),
        Some(_) => true,
        None => false,
    }
}

/// Phrases that tie a sentence to a time the text gives elsewhere (searched with
/// the figures, in the same pass: `pattern::find_both`).
fn anchor_re() -> &'static Stepped {
    static RE: Stepped = Stepped::new(|| {
        String::from(concat!(
            r"(?i)(?-u:\b)(?:as\s+of|at\s+the\s+time|since\s+then|overnight",
            // a time the story gives elsewhere: "that afternoon", "the same day"
            r"|(?:that|the\s+same|the\s+previous|the\s+following)\s+(?:day|morning|afternoon|evening|night|week|weekend|month|year|season|spring|summer|autumn|fall|winter)",
            // seasons: "last spring", "this winter", "in the summer of"
            r"|(?:this|last|next|past|coming|early|late|in\s+the)\s+(?:spring|summer|autumn|winter)",
            // times of day as deadlines: "by midday", "by late afternoon"
            r"|by\s+(?:early\s+|late\s+|mid-?)?(?:midday|noon|midnight|nightfall|dawn|morning|afternoon|evening)",
            r"|(?:end|start|beginning|middle)\s+of\s+(?:the|this|next|last)\s+(?:year|decade|month|week|season|century|quarter))(?-u:\b)"
        ))
    });
    &RE
}

/// Heads a tally stands after without a noun of its own ("the death toll rose to 212").
fn tally_re() -> &'static Pattern {
    static RE: Pattern = Pattern::without_prefilter(|| {
        String::from(
            r"(?i)(?-u:\b)(?:toll|tally|headcount|population|membership|enrol?ment)(?:\s+[a-z]+){1,3}\s*$",
        )
    });
    &RE
}

/// The next word of `s` after `at` (letters, hyphens, apostrophes) and where it ends.
fn next_word(s: &str, at: usize) -> Option<(usize, &str, usize)> {
    let rest = &s[at..];
    let trimmed = rest.trim_start_matches([' ', '\t', '\n', '\r']);
    if trimmed.len() == rest.len() && at != 0 {
        // the number runs straight into something: "12-room", "4B", "2:07"
        return None;
    }
    let start = at + (rest.len() - trimmed.len());
    let len = trimmed
        .find(|c: char| !(c.is_alphabetic() || c == '-' || c == '\'' || c == '’'))
        .unwrap_or(trimmed.len());
    if len == 0 {
        return None;
    }
    Some((start, &s[start..start + len], start + len))
}

fn is_agent_noun(w: &str) -> bool {
    w.len() > 5
        && ["ers", "ors", "ants", "ents", "ists", "ians"]
            .iter()
            .any(|suf| w.ends_with(suf))
        && !NOT_AGENTS.contains(w)
        && !w.ends_with("meters")
        && !w.ends_with("metres")
}

enum Head {
    Claim(usize),
    Points(usize),
    Times(usize),
    Duration(usize),
    None,
}

/// The head noun of the phrase a number starts: up to two modifiers, then a noun.
fn head_after(sent: &str, at: usize) -> Head {
    let mut pos = at;
    for i in 0..3 {
        let Some((_, w, end)) = next_word(sent, pos) else {
            return Head::None;
        };
        let lower = w.to_lowercase();
        let l = lower.as_str();
        if CLAIM_NOUNS.contains(l) || is_agent_noun(l) {
            return Head::Claim(end);
        }
        if l == "points" || l == "point" {
            return Head::Points(end);
        }
        if l == "times" {
            return Head::Times(end);
        }
        if DURATIONS.contains(&l) {
            return Head::Duration(end);
        }
        if i == 2
            || STOP.contains(l)
            || FAMILY.contains(&l)
            || MEASURES.contains(&l)
            || l.ends_with("'s")
            || l.ends_with("’s")
        {
            return Head::None;
        }
        // a modifier must read as one: lowercase, or a capitalised compound
        pos = end;
    }
    Head::None
}

fn number_value(digits: &str, has_scale: bool) -> f64 {
    let v: f64 = digits.replace(',', "").parse().unwrap_or(0.0);
    if has_scale { v * 1000.0 } else { v }
}

/// Inside ", who ..." up to the next comma: a detail about a person, not a claim.
fn in_who_clause(before: &str) -> bool {
    let Some(i) = before.rfind(", who ") else {
        return false;
    };
    !before[i + 6..].contains([',', ';', '—', '–', '(', ')'])
}

/// The last `n` bytes of `s` or a little fewer, on a character boundary.
fn tail(s: &str, n: usize) -> &str {
    let mut i = s.len().saturating_sub(n);
    while !s.is_char_boundary(i) {
        i += 1;
    }
    &s[i..]
}

/// A headline or heading: a Markdown heading, or a paragraph with no
/// sentence-final punctuation that is the first of the story or a short line.
/// Its figures are the story's news, dated by the story; its status words
/// still count.
fn is_heading(text: &str, para: Span, first: bool) -> bool {
    let t = text.get(para).unwrap_or("").trim();
    if t.starts_with('#') {
        return true;
    }
    let unpunctuated = !t.ends_with(['.', '!', '?', '"', '”', '’', '\'', ')', ':', ';', '»']);
    unpunctuated && (first || t.split_whitespace().count() <= 12)
}

/// A goal, limit or pledge is not a measurement: "the 5% goal", "a ceiling of 1%".
fn is_target(before: &str, after: &str) -> bool {
    const TARGETS: &[&str] = &[
        "goal",
        "goals",
        "target",
        "targets",
        "ceiling",
        "limit",
        "cap",
        "threshold",
        "floor",
        "pledge",
        "benchmark",
        "quota",
    ];
    let next = after
        .trim_start()
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    TARGETS.contains(&next.as_str())
        || tail(before, 60)
            .split(|c: char| !c.is_alphabetic())
            .any(|w| TARGETS.contains(&w.to_ascii_lowercase().as_str()))
}

fn last_word(s: &str) -> String {
    s.trim_end()
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '.'))
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    super::each_paragraph(cx, out, check_paragraph);
}

/// The findings in paragraph `p`: sentence by sentence, each read on its own with
/// the dates and quotations in it (a paragraph rule: `rules::Rule::paragraph`).
pub fn check_paragraph(cx: &Context, p: usize, out: &mut Vec<Diagnostic>) {
    let prose = &cx.doc.prose;
    let temporals = &cx.temporals.expressions;
    let para = &cx.doc.paragraphs[p];
    // the dates from the paragraph's on, read forward sentence by sentence (a search
    // of all the story's dates for each sentence missed the cache at every step)
    let mut from = cx.temporals.paragraph_start(p, para.span.start);
    let mut quotes = cx.doc.quotes_from(para.span.start);
    for s in &cx.doc.sentences[para.first_sentence..para.sentence_end] {
        let sent = &prose[s.span.clone()];
        // a time anchor anywhere in the sentence dates its figures (looked for in
        // words only in a sentence with a figure: most have none)
        from += temporals[from..]
            .iter()
            .take_while(|t| t.span.start < s.span.start)
            .count();
        let dated = temporals[from..]
            .iter()
            .take_while(|t| t.span.start < s.span.end)
            .any(|t| t.span.end <= s.span.end);
        if dated {
            continue;
        }
        if !may_hold(cx.doc, s.tokens.clone(), sent, &FIGURE_WORDS) {
            continue;
        }
        let [figures, anchors] = find_both(figure_re(), anchor_re(), sent);
        if figures.is_empty() || !anchors.is_empty() {
            continue;
        }
        let para = &cx.doc.paragraphs[s.paragraph].span;
        let heading = is_heading(cx.doc.text, para.clone(), s.paragraph == 0);
        // ASCII lowercase keeps byte offsets aligned with `sent`
        let lower_sent = sent.to_ascii_lowercase();
        let statistic = ["average", "median", "typical"]
            .iter()
            .any(|w| lower_sent.contains(w));
        let mut last_end = 0;
        let mut found_in_sentence = false;
        for m in figures.iter().map(|f| f.matched(sent)) {
            if m.start() < last_end || quotes.in_quote(s.span.start + m.start()) {
                continue;
            }
            // the words just before the figure (bounded, so long sentences stay linear)
            let before = tail(&sent[..m.start()], 200);
            let prev_char = before.chars().next_back();
            if prev_char.is_some_and(|ch| ch.is_alphanumeric() || ch == '-' || ch == '.') {
                continue;
            }
            let prev = last_word(before);
            let mut end = m.end();
            let fig = Figure::of(m);
            if let Some(st) = fig.status.clone() {
                let l = sent[st.clone()].to_ascii_lowercase();
                let after = sent[st.end..].trim_start().to_ascii_lowercase();
                let next = after
                    .split(|ch: char| !ch.is_alphabetic())
                    .next()
                    .unwrap_or("");
                // "the latest." / "at the latest"; "so far from the road"; "up to date"
                if l == "latest" && (next.is_empty() || prev == "at") {
                    continue;
                }
                if l.starts_with("so")
                    && matches!(
                        next,
                        "from" | "away" | "as" | "that" | "behind" | "ahead" | "beyond" | "removed"
                    )
                {
                    continue;
                }
                if l.starts_with("to") && matches!(prev.as_str(), "up" | "out" | "of") {
                    continue;
                }
            } else if heading {
                continue;
            } else if fig.money {
                if in_who_clause(before) || is_target(before, &sent[m.end()..]) {
                    continue;
                }
            } else if fig.frac {
                // a share of something counted: "roughly a third of the generic market"
                let mut pos = m.end();
                let mut ok = false;
                for _ in 0..4 {
                    let Some((_, w, e)) = next_word(sent, pos) else {
                        break;
                    };
                    let l = w.to_lowercase();
                    if SHARE_OF.contains(&l.as_str())
                        || CLAIM_NOUNS.contains(&l)
                        || is_agent_noun(&l)
                    {
                        ok = true;
                        end = e;
                        break;
                    }
                    pos = e;
                }
                if !ok || in_who_clause(before) {
                    continue;
                }
                end = end.max(m.end());
            } else {
                // capacity is a fixed property: "designed for 15,000 students"
                let prev2 = tail(before, 24).to_ascii_lowercase();
                let prev2: Vec<&str> = prev2.split_whitespace().rev().take(2).collect();
                if prev2.len() == 2
                    && matches!(prev2[0], "for" | "of")
                    && matches!(
                        prev2[1],
                        "designed"
                            | "built"
                            | "room"
                            | "space"
                            | "capacity"
                            | "intended"
                            | "enough"
                    )
                {
                    continue;
                }
                if in_who_clause(before)
                    || matches!(
                        prev.as_str(),
                        "aged"
                            | "age"
                            | "ages"
                            | "top"
                            | "first"
                            | "last"
                            | "final"
                            | "next"
                            | "no."
                            | "no"
                    )
                {
                    continue;
                }
                let small = fig.small;
                let pct = fig.pct.clone();
                if let Some(p) = pct {
                    // "a margin of error of 3 percentage points" describes the poll;
                    // "a 6 percent raise", "the 5% goal" name a thing, not a measurement
                    let after = &sent[p.end..];
                    if tail(&lower_sent[..m.start()], 40)
                        .trim_end()
                        .ends_with("error of")
                        || is_target(before, after)
                        || (!fig.hedge
                            && matches!(prev.as_str(), "a" | "an" | "the")
                            && next_word(sent, p.end)
                                .is_some_and(|(_, w, _)| !STOP.contains(&w.to_lowercase())))
                    {
                        continue;
                    }
                    end = p.end;
                } else {
                    let digits = fig.digits.clone().map(|d| &sent[d]);
                    let has_scale = digits.is_some_and(|d| !m.as_str().trim_end().ends_with(d));
                    match head_after(sent, m.end()) {
                        Head::Claim(e) if !small => {
                            // "all 212 precincts", "the 10 ASEAN members": a whole,
                            // known set (large ones are news: "of the 1,480 drivers")
                            if !fig.hedge
                                && matches!(prev.as_str(), "the" | "all")
                                && digits
                                    .is_some_and(|d| !has_scale && number_value(d, false) < 1000.0)
                            {
                                continue;
                            }
                            // "her 11 children"
                            if matches!(
                                prev.as_str(),
                                "his" | "her" | "their" | "my" | "our" | "your"
                            ) && sent[m.end()..e].trim().eq_ignore_ascii_case("children")
                            {
                                continue;
                            }
                            end = e;
                        }
                        Head::Points(e) => {
                            if tail(&lower_sent[..m.start()], 40)
                                .trim_end()
                                .ends_with("error of")
                            {
                                continue;
                            }
                            end = e;
                        }
                        Head::Times(e)
                            if digits.is_some_and(|d| number_value(d, has_scale) >= 1000.0) =>
                        {
                            end = e;
                        }
                        // a statistic ("an average of 48 minutes", "3.4 months of
                        // supply"), not a fixed length or a target
                        Head::Duration(e)
                            if !has_scale
                                && !is_target(before, &sent[e..])
                                && (digits.is_some_and(|d| {
                                    d.contains('.')
                                        && !sent[m.end()..e].contains("minutes")
                                        && !sent[m.end()..e].contains("hours")
                                }) || (digits.is_some() && statistic)) =>
                        {
                            end = e;
                        }
                        Head::None
                            if (digits.is_some() || fig.large) && tally_re().is_match(before) =>
                        {
                            end = m.end();
                        }
                        // "About 310,000 households are behind, and 42,000 have been
                        // moved": a bare number standing for the noun just counted
                        Head::None
                            if digits.is_some()
                                && found_in_sentence
                                && next_word(sent, m.end()).is_some_and(|(_, w, _)| {
                                    matches!(
                                        w.to_ascii_lowercase().as_str(),
                                        "are"
                                            | "were"
                                            | "have"
                                            | "has"
                                            | "had"
                                            | "remain"
                                            | "remained"
                                    )
                                }) =>
                        {
                            end = m.end();
                        }
                        _ => continue,
                    }
                }
            }
            last_end = end;
            found_in_sentence = true;
            let span: Span = s.span.start + m.start()..s.span.start + end;
            let t = cx.doc.text[span.clone()].to_string();
            out.push(Diagnostic {
                rule: DOC.code,
                severity: DOC.severity,
                message: crate::report::shared(format_args!("“{t}” will change over time, and nothing in this sentence says when it was true. Add the date it is current to (\"as of …\").")),
                span,
                fixes: Vec::new(),
                related: Vec::new(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Options, analyze};

    /// The test before the automata (`text::gate::may_hold`) passes every sentence in
    /// which `figure_re` finds a figure: in the corpus, the seeds and the golden
    /// files, as plain text and as Markdown, and in sentences written
    /// for each of its words, in capitals, with an apostrophe, after a letter
    /// beyond ASCII, and with letters that fold to ASCII ones. And it turns away
    /// most sentences without one.
    #[test]
    fn the_figure_test_passes_every_sentence_with_a_figure() {
        use super::*;
        use crate::text::{Document, Format};
        let mut texts = crate::test_texts();
        for w in FIGURE_WORDS.words() {
            let upper = w.to_uppercase();
            texts.push(format!(
                "They said {w} of them, {w}'ll do. Then {upper} came."
            ));
            texts.push(format!("The éq{w} list. It was ß{w}ß. Were {w}’s ready?"));
        }
        for t in [
            "so far",
            "ſo far",
            "thus far this season",
            "to date",
            "at present",
            "a dozen",
            "two-thirds of",
            "a half of",
            "hundreds of",
            "é5 people",
            "x_9",
            "covid19 cases",
            "One's share",
            "seventy-one",
            "Kelvin one",
            "one\u{301} more",
        ] {
            texts.push(format!("Officials counted {t} in the town. It held."));
        }
        let (mut with, mut without, mut turned_away) = (0, 0, 0);
        for text in &texts {
            for format in [Format::PlainText, Format::Markdown] {
                let doc = Document::new(text, format);
                for s in &doc.sentences {
                    let sent = &doc.prose[s.span.clone()];
                    let [figures, _] = find_both(figure_re(), anchor_re(), sent);
                    let passes = may_hold(&doc, s.tokens.clone(), sent, &FIGURE_WORDS);
                    if !figures.is_empty() {
                        assert!(passes, "{sent:?}");
                        with += 1;
                    } else {
                        without += 1;
                        turned_away += usize::from(!passes);
                    }
                }
            }
        }
        assert!(with > 2_000, "{with}");
        assert!(turned_away * 2 > without, "{turned_away} of {without}");
    }

    /// The first- and last-byte tests in `Figure::of` skip only searches that could
    /// not match: checked on every figure in the corpus, the seeds and the golden
    /// files, and on figures written to begin or end with a folded letter.
    #[test]
    fn a_figure_skips_only_searches_that_cannot_match() {
        use super::*;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = vec![
            "ſo far".to_string(),
            "about 5 perceNT".to_string(),
            "ſome 12 per cenT".to_string(),
            "Thousands of".to_string(),
            "12 percentage pointſ".to_string(),
        ];
        for dir in ["seeds", "tests/corpus", "tests/golden"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                if let Ok(text) = std::fs::read_to_string(e.unwrap().path()) {
                    texts.push(text);
                }
            }
        }
        let mut figures = 0;
        for text in &texts {
            let [found, _] = find_both(figure_re(), anchor_re(), text);
            for m in found.iter().map(|f| f.matched(text)) {
                let t = m.as_str();
                figures += 1;
                assert!(!P_STATUS.is_match(t) || may_start(t, b"cstapl"), "{t}");
                assert!(
                    P_HEDGE.find(t).is_none() || may_start(t, b"moanrsucfljw"),
                    "{t}"
                );
                let core = P_HEDGE.find(t).map_or(0, |h| h.end());
                assert!(
                    !P_LARGE.is_match(&t[core..]) || may_start(&t[core..], b"thmbd"),
                    "{t}"
                );
                assert!(P_PCT.find(t).is_none() || may_end_percent(t), "{t}");
            }
        }
        assert!(figures > 1000, "{figures}");
    }

    fn claims(text: &str) -> Vec<String> {
        let r = analyze(text, &Options::default());
        r.diagnostics
            .iter()
            .filter(|d| d.rule == "undated-claim")
            .map(|d| text[d.span.clone()].to_string())
            .collect()
    }

    /// Found by the property test: a figure ending in a multi-byte character (a
    /// line separator inside the scale's whitespace) was sliced inside it.
    #[test]
    fn a_figure_ending_in_a_multibyte_character() {
        for text in ["# 0\u{2028}k\0\0", "6\u{85}k of", "a 6\u{85}k"] {
            let _ = claims(text);
        }
    }

    #[test]
    fn figures_that_change() {
        assert_eq!(
            claims("The airline employs about 1,150 pilots and flight attendants."),
            ["about 1,150 pilots"]
        );
        assert_eq!(claims("Donors have pledged $23 million."), ["$23 million"]);
        assert_eq!(
            claims("Tickets cost £65, and seats will cost €49.50."),
            ["£65", "€49.50"]
        );
        assert_eq!(
            claims("The survey found the senator leading by nine points."),
            ["nine points"]
        );
        assert_eq!(claims("The death toll has risen to 212."), ["212"]);
        assert_eq!(
            claims("The firm supplies roughly a third of the national market."),
            ["roughly a third of the national market"]
        );
        assert_eq!(
            claims("The clip has been viewed more than 2 million times."),
            ["more than 2 million times"]
        );
        assert_eq!(
            claims("Crews take an average of 48 minutes, against a target of 18 minutes."),
            ["48 minutes"]
        );
        assert_eq!(
            claims("Of the 1,480 drivers who voted, 87 percent backed a strike."),
            ["1,480 drivers", "87 percent"]
        );
        assert_eq!(
            claims("About 310,000 households are in arrears, and 42,000 have been cut off."),
            ["About 310,000 households", "42,000"]
        );
        assert_eq!(
            claims("The city has so far spent $4 million."),
            ["so far", "$4 million"]
        );
    }

    #[test]
    fn headlines_keep_status_words_only() {
        assert_eq!(
            claims(
                "Trucks queue at the border\n\nCurrently, more than 1700 trucks are waiting to enter Ukraine at these checkpoints\n"
            ),
            ["Currently", "more than 1700 trucks"]
        );
        assert_eq!(
            claims("# Firm to cut 600 jobs as sales currently slump\n\nText.\n"),
            ["currently"]
        );
    }

    #[test]
    fn details_that_do_not() {
        for t in [
            "She lives with her three children in Block 14.",
            "Said two people familiar with the talks.",
            "The trial is expected to last six weeks.",
            "The Kestrel-2, carrying eight satellites, shut down.",
            "He pleaded not guilty to 14 counts of fraud.",
            "The utility supplies water to 11 surrounding towns.",
            "said Hendrik Vos, who grows wheat on 640 hectares near the river.",
            "A 12-room inn stands at 14 Marktstrasse, 40 kilometres from the border.",
            "The poll has a margin of error of 3 percentage points.",
            "The village is so far from the road that no truck can reach it.",
            "\"We have 300 members,\" she said.",
            "The top three finishers share the prize.",
            "The bridge reopened that afternoon, and 400 trucks crossed.",
            "Keep the list up to date.",
            "The tower was designed for 15,000 students.",
            "In the end 212 were registered.",
            "# Firm to cut 600 jobs",
            "The plan splits the goal into 3.5% for the army and 1.5% for roads.",
            "The hospital offered a 6 percent raise.",
            "Last autumn the union surveyed 900 members.",
            "The post was shared more than 200,000 times by midday.",
            "It has changed little in 4.5 billion years.",
            "Ministers from the 10 ASEAN members signed.",
        ] {
            assert!(claims(t).is_empty(), "{t}: {:?}", claims(t));
        }
    }
}
