//! Dates: the story's dateline, temporal expressions with spans, and their
//! resolution against the dateline in the way HeidelTime resolves news text.

use jiff::civil::{Date, Weekday};

use crate::lexicon::WordList;
use crate::pattern::{Pattern, Stepped};
use crate::report::{Dateline, DatelineSource, Resolved, Span, TemporalInfo, TemporalKind};
use crate::text::{Document, Paragraph};

const MONTH_RE: &str = r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)";
const WEEKDAY_RE: &str = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const WEEKDAY_ABBR_RE: &str = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?";

pub fn month_number(s: &str) -> Option<i8> {
    let l = s.trim_end_matches('.').to_ascii_lowercase();
    let m = match l.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

pub fn weekday_of(s: &str) -> Option<Weekday> {
    let l = s.trim_end_matches('.').to_ascii_lowercase();
    Some(match l.get(..3)? {
        "mon" => Weekday::Monday,
        "tue" => Weekday::Tuesday,
        "wed" => Weekday::Wednesday,
        "thu" => Weekday::Thursday,
        "fri" => Weekday::Friday,
        "sat" => Weekday::Saturday,
        "sun" => Weekday::Sunday,
        _ => return None,
    })
}

pub fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

pub fn month_name(m: i8) -> &'static str {
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ][(m - 1).clamp(0, 11) as usize]
}

/// "Thu 7 April 2022"
pub fn long_date(d: Date) -> String {
    use std::fmt::Write;
    // (written into room for the longest, "Wed 30 September 2026", not grown)
    let mut s = String::with_capacity(24);
    let _ = write!(
        s,
        "{} {} {} {}",
        &weekday_name(d.weekday())[..3],
        d.day(),
        month_name(d.month()),
        d.year()
    );
    s
}

fn num_word(s: &str) -> Option<i64> {
    Some(match s.to_ascii_lowercase().as_str() {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "several" | "few" => return None,
        x => x.parse().ok()?,
    })
}

/// The dateline from front matter, a `date YYYY-MM-DD` first line, or a wire dateline.
pub fn detect_dateline(doc: &Document) -> Option<Dateline> {
    let text = doc.text;
    if let Some(fm) = &doc.front_matter {
        static FM: Pattern = Pattern::without_prefilter(|| {
            r#"(?mi)^\s*(?:date|published|pubdate|publish_date|published_at)\s*:\s*["']?([0-9]{4})-([0-9]{2})-([0-9]{2})"#.into()
        });
        let r = &FM;
        if let Some(c) = r.captures(&text[fm.clone()]) {
            if let Some(d) = ymd(&c[1], &c[2], &c[3]) {
                let m = c.get(0).unwrap();
                return Some(Dateline {
                    date: d,
                    source: DatelineSource::FrontMatter,
                    span: Some(fm.start + m.start()..fm.start + m.end()),
                });
            }
        }
    }
    // `date YYYY-MM-DD` as the first non-blank line (seed 000 starts so)
    static FIRST: Pattern = Pattern::new(|| {
        r"(?i)\A[\s\u{feff}]*(date:?\s+([0-9]{4})-([0-9]{2})-([0-9]{2}))(?-u:\b)".into()
    });
    let r = &FIRST;
    if let Some(c) = r.captures(text) {
        if let Some(d) = ymd(&c[2], &c[3], &c[4]) {
            let m = c.get(1).unwrap();
            return Some(Dateline {
                date: d,
                source: DatelineSource::DateLine,
                span: Some(m.range()),
            });
        }
    }
    // wire datelines near the top: "OSLO, Dec 8 (Reuters) -", "BRUSSELS, March 5, 2024 (AP) —"
    static WIRE: Pattern = Pattern::new(|| {
        format!(
            r"(?m)^[\s>#*]*([A-Z][A-Z.'\- ]{{1,40}}(?:,\s*[A-Z][A-Za-z.'\- ]{{1,30}})?),\s*({MONTH_RE})\s+([0-9]{{1,2}})(?:,?\s+([0-9]{{4}}))?\s*(?:\([^)]{{1,40}}\))?\s*[-—–]"
        )
    });
    let r = &WIRE;
    let head_end = doc
        .paragraphs
        .get(4)
        .map_or(text.len(), |p| p.span.start)
        .min(text.len());
    if let Some(c) = r.captures(&doc.prose[..head_end]) {
        let month = month_number(&c[2])?;
        let day: i8 = c[3].parse().ok()?;
        let year: Option<i16> = c.get(4).and_then(|y| y.as_str().parse().ok()).or_else(|| {
            // the year of a full date with the same month and day in the lead
            let lead_end = doc
                .paragraphs
                .get(3)
                .map_or(text.len(), |p| p.span.end)
                .min(text.len());
            year_from_lead(&doc.prose[..lead_end], month, day)
        });
        let m = c.get(0).unwrap();
        if let Some(y) = year {
            if let Ok(d) = Date::new(y, month, day) {
                return Some(Dateline {
                    date: d,
                    source: DatelineSource::Wire,
                    span: Some(m.range()),
                });
            }
        }
    }
    None
}

fn year_from_lead(lead: &str, month: i8, day: i8) -> Option<i16> {
    static FULL: Pattern = Pattern::without_prefilter(|| {
        format!(
            r"(?-u:\b)({MONTH_RE})\s+([0-9]{{1,2}}),?\s+([0-9]{{4}})(?-u:\b)|(?-u:\b)([0-9]{{1,2}})\s+({MONTH_RE})\s+([0-9]{{4}})(?-u:\b)"
        )
    });
    let r = &FULL;
    let mut any = None;
    for c in r.captures_iter(lead) {
        let (m, d, y) = if c.get(1).is_some() {
            (&c[1], &c[2], &c[3])
        } else {
            (&c[5], &c[4], &c[6])
        };
        let y: i16 = y.parse().ok()?;
        if month_number(m) == Some(month) && d.parse::<i8>().ok() == Some(day) {
            return Some(y);
        }
        any.get_or_insert(y);
    }
    any
}

fn ymd(y: &str, m: &str, d: &str) -> Option<Date> {
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// A weekday standing next to a full date, for the mismatch rule.
#[derive(Clone, Debug)]
pub struct WeekdayDate {
    pub span: Span,
    pub weekday: Weekday,
    pub weekday_span: Span,
    pub date: Date,
    pub date_span: Span,
    /// The year was not written; it came from the dateline.
    pub year_assumed: bool,
}

#[derive(Clone, Default)]
pub struct Temporals {
    pub expressions: Vec<TemporalInfo>,
    pub weekday_dates: Vec<WeekdayDate>,
    /// Where each paragraph's expressions begin in `expressions`, for a story's
    /// dates found a paragraph at a time (`find`, and the paragraph memo): the
    /// paragraph rules read their paragraph's dates from there, where a search of
    /// all the story's dates missed the cache at every step (round 23).
    paragraph_starts: Vec<usize>,
}

static FUTURE: WordList = WordList::new(&[
    "will",
    "shall",
    "'ll",
    "’ll",
    "scheduled",
    "due",
    "expected",
    "plans",
    "plan",
    "planned",
    "set",
    "upcoming",
    "next",
    "going",
    "intends",
    "aims",
    "hopes",
    "would",
    "to",
]);
static PAST_HINTS: WordList = WordList::new(&[
    "was",
    "were",
    "had",
    "did",
    "said",
    "says",
    "ago",
    "last",
    "yesterday",
    // irregular past forms that news copy uses most
    "met",
    "told",
    "held",
    "made",
    "took",
    "gave",
    "went",
    "came",
    "saw",
    "left",
    "won",
    "lost",
    "fell",
    "rose",
    "began",
    "broke",
    "ran",
    "spoke",
    "wrote",
    "sent",
    "struck",
    "shot",
    "paid",
    "sold",
    "bought",
    "brought",
    "built",
    "found",
    "kept",
    "led",
    "fled",
    "flew",
    "drove",
    "grew",
    "knew",
    "threw",
    "drew",
    "became",
    "chose",
    "spent",
    "thought",
    "caught",
    "taught",
    "fought",
]);

/// Whether the clause around `span` speaks of the future.
fn future_tense(prose: &str, sentence: Span, span: &Span) -> bool {
    tense(prose, sentence, span) == Some(true)
}

/// The tense of the clause around `span`: `Some(true)` future, `Some(false)`
/// past, `None` when nothing nearby says.
fn tense(prose: &str, sentence: Span, span: &Span) -> Option<bool> {
    // the clause ends at a quotation mark: in `"Ask me in May," he said` the
    // reporting verb says nothing of the quoted words' tense
    let is_mark = |c: char| matches!(c, '"' | '“' | '”' | '«' | '»');
    // a bounded window, so a huge sentence with many dates stays linear
    let mut from = sentence
        .start
        .min(span.start)
        .max(span.start.saturating_sub(240));
    while !prose.is_char_boundary(from) {
        from += 1;
    }
    let before = &prose[from..span.start];
    let before = before.rfind(is_mark).map_or(before, |i| {
        &before[i + before[i..].chars().next().map_or(1, char::len_utf8)..]
    });
    let mut words = before
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .take(12)
        .peekable();
    let mut buf = [0u8; WORD_MAX];
    while let Some(w) = words.next() {
        let l = lowered(w, &mut buf);
        if FUTURE.contains(l) && l != "to" {
            return Some(true);
        }
        if l == "to" {
            continue;
        }
        if PAST_HINTS.contains(l) || ends_in_ed(w) {
            // a passive after "be" says nothing yet: "will be held on Friday"
            if words.peek().is_some_and(|p| p.eq_ignore_ascii_case("be")) {
                continue;
            }
            return Some(false);
        }
    }
    let mut after_end = sentence
        .end
        .max(span.end)
        .min(prose.len())
        .min(span.end + 240);
    while !prose.is_char_boundary(after_end) {
        after_end -= 1;
    }
    let after = &prose[span.end..after_end];
    let after = after.find(is_mark).map_or(after, |i| &after[..i]);
    // and at a comma or a conjunction: "met on Thursday and will meet again"
    let after = after
        .find([',', ';', '—', '('])
        .map_or(after, |i| &after[..i]);
    for w in after
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .take(6)
    {
        let l = lowered(w, &mut buf);
        if matches!(l, "and" | "but" | "or" | "while" | "whereas") {
            break;
        }
        if l == "will" || l == "shall" {
            return Some(true);
        }
        if PAST_HINTS.contains(l) || ends_in_ed(w) {
            return Some(false);
        }
    }
    None
}

/// The longest word `tense` looks up (`lowered`).
const WORD_MAX: usize = 32;

/// `w` in ASCII lower case, copied into `buf` (without a string allocated for each
/// word `tense` reads); a word longer than `WORD_MAX` gives "", since no word the
/// tenses are told by is that long.
fn lowered<'b>(w: &str, buf: &'b mut [u8; WORD_MAX]) -> &'b str {
    let Some(out) = buf.get_mut(..w.len()) else {
        return "";
    };
    out.copy_from_slice(w.as_bytes());
    out.make_ascii_lowercase();
    // (ASCII lower-casing keeps UTF-8 valid)
    std::str::from_utf8(out).unwrap_or_default()
}

/// A past participle or past tense by its ending: longer than four bytes and
/// ending in "ed", in any case.
fn ends_in_ed(w: &str) -> bool {
    w.len() > 4 && w.as_bytes()[w.len() - 2..].eq_ignore_ascii_case(b"ed")
}

fn on_or_before(d: Date, w: Weekday) -> Date {
    let back = (d.weekday().to_monday_zero_offset() - w.to_monday_zero_offset()).rem_euclid(7);
    d.saturating_sub(jiff::Span::new().days(back as i64))
}

fn on_or_after(d: Date, w: Weekday) -> Date {
    let fwd = (w.to_monday_zero_offset() - d.weekday().to_monday_zero_offset()).rem_euclid(7);
    d.saturating_add(jiff::Span::new().days(fwd as i64))
}

fn add_days(d: Date, n: i64) -> Date {
    d.saturating_add(jiff::Span::new().days(n))
}

fn add_months(y: i16, m: i8, delta: i32) -> (i16, i8) {
    let idx = y as i32 * 12 + (m as i32 - 1) + delta;
    ((idx.div_euclid(12)) as i16, (idx.rem_euclid(12) + 1) as i8)
}

const HOLIDAY_PREFIX: &[&str] = &[
    "good", "black", "cyber", "ash", "super", "holy", "easter", "palm", "maundy", "shrove",
    "bloody", "blue", "giving",
];

/// "the second Tuesday (of each month)": a recurring day, not a relative one.
const ORDINALS: &[&str] = &["first", "second", "third", "fourth", "fifth", "final"];

fn lower_starts_with_any(text: &str, prefixes: &[&str]) -> bool {
    let l = text.to_ascii_lowercase();
    prefixes.iter().any(|p| l.starts_with(p))
}

/// The story's date expressions, paragraph by paragraph (`find_in`): an expression
/// never runs from one paragraph into the next, and what decides it (the words
/// before and after, the tense of its clause) is read within its paragraph. So a
/// paragraph's dates depend only on its own text and the dateline, and an analysis
/// can keep them for a paragraph that has not changed (`analyze_with_memo`).
pub fn find(doc: &Document, dateline: Option<&Dateline>) -> Temporals {
    let dl = dateline.map(|d| d.date);
    let mut all = Temporals::default();
    for p in &doc.paragraphs {
        all.append(find_in(doc, p, dl), p.span.start);
    }
    all
}

impl Temporals {
    /// Where the expressions of paragraph `p`, which starts at byte `start`, begin
    /// in `expressions`: the first that does not start before it.
    pub fn paragraph_start(&self, p: usize, start: usize) -> usize {
        match self.paragraph_starts.get(p) {
            Some(&i) => i,
            None => self.expressions.partition_point(|t| t.span.start < start),
        }
    }

    /// Move every offset on by `by`.
    fn shift(&mut self, by: usize) {
        let m = |s: &mut Span| *s = s.start + by..s.end + by;
        for t in &mut self.expressions {
            m(&mut t.span);
        }
        for w in &mut self.weekday_dates {
            m(&mut w.span);
            m(&mut w.weekday_span);
            m(&mut w.date_span);
        }
    }

    /// Append copies of `other`'s expressions, those of the story's next
    /// paragraph, their offsets moved on by `by` (`append` of a clone, without the
    /// clone's own lists).
    pub fn append_copy(&mut self, other: &Temporals, by: usize) {
        self.paragraph_starts.push(self.expressions.len());
        let from = (self.expressions.len(), self.weekday_dates.len());
        self.expressions.extend_from_slice(&other.expressions);
        self.weekday_dates.extend_from_slice(&other.weekday_dates);
        let m = |s: &mut Span| *s = s.start + by..s.end + by;
        for t in &mut self.expressions[from.0..] {
            m(&mut t.span);
        }
        for w in &mut self.weekday_dates[from.1..] {
            m(&mut w.span);
            m(&mut w.weekday_span);
            m(&mut w.date_span);
        }
    }

    /// Append `other`'s expressions, those of the story's next paragraph, their
    /// offsets moved on by `by`.
    pub fn append(&mut self, mut other: Temporals, by: usize) {
        self.paragraph_starts.push(self.expressions.len());
        other.shift(by);
        self.expressions.append(&mut other.expressions);
        self.weekday_dates.append(&mut other.weekday_dates);
    }
}

/// A weekday and a full date (the first pass of `find_in`).
static WD: Pattern = Pattern::new(|| {
    format!(
        r"(?-u:\b)({WEEKDAY_RE}|{WEEKDAY_ABBR_RE}),?\s+(?:\(\s*)?(?:({MONTH_RE})\s+([0-9]{{1,2}})(?:st|nd|rd|th)?(?:,?\s+([0-9]{{4}}))?|([0-9]{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_RE})(?:,?\s+([0-9]{{4}}))?)(?-u:\b)\)?"
    )
});

/// The words one of which every match of `DATES` or `REL` without a digit
/// contains: a month's name or its abbreviation (`MONTH_RE`), a weekday's name
/// (`WEEKDAY_RE`), a unit of time, or a day named relative to today. A paragraph
/// with neither these nor a digit is not searched (`text::gate`): at 1 MB, about a
/// quarter of the paragraphs (round 23).
static DATE_WORDS: crate::text::gate::Words =
    crate::text::gate::Words::new(&[crate::lexicon::MONTHS, crate::lexicon::WEEKDAYS, DATE_LIST]);
/// `DATE_WORDS` beyond the months' and weekdays' names.
#[rustfmt::skip]
const DATE_LIST: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "day", "days", "week", "weeks", "weekend", "month", "months", "year", "years", "hour",
    "hours", "morning", "afternoon", "evening", "night", "yesterday", "today", "tonight",
    "tomorrow",
];

/// The tokens of paragraph `para`: those of its sentences (a paragraph's every
/// token is in one of them).
fn tokens_of(doc: &Document, para: &Paragraph) -> std::ops::Range<usize> {
    match &doc.sentences[para.first_sentence..para.sentence_end] {
        [] => 0..0,
        [first, .., last] => first.tokens.start..last.tokens.end,
        [one] => one.tokens.clone(),
    }
}

/// Full and partial dates, months, years (the second pass of `find_in`), one
/// alternative at a time (`Stepped::alternatives`): `dates_source` is the same
/// pattern in one.
static DATES: Stepped = Stepped::alternatives(dates_alternatives);

fn dates_alternatives() -> Vec<String> {
    vec![
        r"(?-u:\b)([0-9]{4})-([0-9]{2})-([0-9]{2})(?-u:\b)".into(),
        format!(
            r"(?-u:\b)(?:(by|until|before|from|since|after|on|in|for)\s+)?({MONTH_RE})\s+([0-9]{{1,2}})(?:st|nd|rd|th)?(?-u:\b)(?:,?\s+([0-9]{{4}})(?-u:\b))?"
        ),
        format!(
            r"(?-u:\b)([0-9]{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_RE})(?:(?-u:\b)|\.)(?:,?\s+([0-9]{{4}})(?-u:\b))?"
        ),
        format!(
            r"(?-u:\b)(?:(early|mid|late|in|since|until|by|last|next|this|of|from|through|during|before|after|for)[\s-]+)?({MONTH_RE})(?:,?\s+([0-9]{{4}}))?(?-u:\b)"
        ),
        r"(?-u:\b)((?:19|20)[0-9]{2})(?-u:\b)".into(),
    ]
}

/// The dates' pattern in one, as `find_in` searched for it before (for the tests
/// that compare the two).
#[cfg(test)]
fn dates_source() -> String {
    dates_alternatives().join("|")
}

/// Relative and anchored expressions (the third pass), one alternative at a time
/// (`Stepped::alternatives`): `relative_source` is the same pattern in one.
static REL: Stepped = Stepped::alternatives(relative_alternatives);

fn relative_alternatives() -> Vec<String> {
    relative_parts()
        .into_iter()
        .map(|a| format!(r"(?i)(?-u:\b)(?:{a})(?-u:\b)"))
        .collect()
}

/// The relative dates' alternatives, each one group with its own groups within.
fn relative_parts() -> [String; 9] {
    [
        format!(r"(the\s+(?:following|next|previous|preceding)\s+(?:day|week|month|year|morning|evening|night|{WEEKDAY_RE}))"),
        r"((?:a|one|two|three|four|five|six|seven|eight|nine|ten|[0-9]+|several|a\s+few)\s+(?:days?|weeks?|months?|years?|hours?)\s+(?:later|earlier|before|after|on|prior))".into(),
        r"(the\s+(?:day|night|week)\s+(?:before|after))".into(),
        r"((?:a|one|two|three|four|five|six|seven|eight|nine|ten|[0-9]+)\s+(days?|weeks?|months?|years?)\s+ago)".into(),
        r"((?:earlier|later)\s+this\s+(?:week|month|year))".into(),
        r"((this|last|next|past|coming)\s+(week(?:end)?|month|year))".into(),
        r"(day\s+before\s+yesterday|yesterday|today|tonight|tomorrow|(?:this|last)\s+(?:morning|afternoon|evening|night))".into(),
        format!(r"((?:(this|last|next|past|coming)\s+)?({WEEKDAY_RE})(?:'s|’s)?(?:\s+(morning|afternoon|evening|night))?)"),
        r"(in\s+(?:a|one|two|three|four|five|six|seven|eight|nine|ten|[0-9]+)\s+(days?|weeks?|months?|years?))".into(),
    ]
}

/// The relative dates' pattern in one, as `find_in` searched for it before (for
/// the tests that compare the two).
#[cfg(test)]
fn relative_source() -> String {
    format!(r"(?i)(?-u:\b)(?:{})(?-u:\b)", relative_parts().join("|"))
}

/// The date expressions of paragraph `para`, with offsets from its start, for the
/// dateline's date `dl`.
pub fn find_in(doc: &Document, para: &Paragraph, dl: Option<Date>) -> Temporals {
    let base = para.span.start;
    let prose = &doc.prose[para.span.clone()];
    let mut out: Vec<TemporalInfo> = Vec::new();
    let mut weekday_dates = Vec::new();
    // Each pass adds its expressions in text order, without overlaps, so the
    // earlier passes' runs of `out` are sorted: a binary search per run keeps
    // this linear-logarithmic on documents with thousands of dates.
    let taken = |out: &Vec<TemporalInfo>, runs: &[usize], s: &Span| {
        let mut from = 0;
        runs.iter().any(|&to| {
            let run = &out[from..to];
            from = to;
            let i = run.partition_point(|t| t.span.end <= s.start);
            run.get(i).is_some_and(|t| t.span.start < s.end)
        })
    };
    // the sentence around `off`, in the paragraph's offsets
    let sentence_of = |off: usize| {
        let sentences = &doc.sentences[para.first_sentence..para.sentence_end];
        match sentences.partition_point(|s| s.span.start <= base + off) {
            0 => 0..prose.len(),
            i => {
                let s = &sentences[i - 1].span;
                s.start.clamp(base, para.span.end) - base..s.end.clamp(base, para.span.end) - base
            }
        }
    };

    // the dates and the relative dates, searched at once (`pattern::find_both`),
    // where the paragraph may hold one (`DATE_WORDS`)
    let [dates, relative] =
        if crate::text::gate::may_hold(doc, tokens_of(doc, para), prose, &DATE_WORDS) {
            crate::pattern::find_both(&DATES, &REL, prose)
        } else {
            [Vec::new(), Vec::new()]
        };

    // 1. weekday + full date ("Friday, March 5, 2024", "Fri 5 March 2024", "Friday
    // (March 5)"), looked for only where there are dates: each has a month name
    // between word boundaries, which the dates' pattern matches
    let wd = (!dates.is_empty()).then(|| WD.captures_iter(prose));
    for c in wd.into_iter().flatten() {
        let m = c.get(0).unwrap();
        let Some(weekday) = weekday_of(&c[1]) else {
            continue;
        };
        let (mon, day, year) = if c.get(2).is_some() {
            (c.get(2), c.get(3), c.get(4))
        } else {
            (c.get(6), c.get(5), c.get(7))
        };
        let (Some(mon), Some(day)) = (mon, day) else {
            continue;
        };
        let Some(month) = month_number(mon.as_str()) else {
            continue;
        };
        let Ok(day_n) = day.as_str().parse::<i8>() else {
            continue;
        };
        let year_assumed = year.is_none();
        let y: Option<i16> = year
            .and_then(|y| y.as_str().parse().ok())
            .or(dl.map(|d| d.year()));
        let span = m.start()..m.end().min(prose.len());
        let span = span.start..(span.start + prose[span.clone()].trim_end_matches(')').len());
        let date_start = mon.start().min(day.start());
        let date_span = date_start..span.end;
        let Some(y) = y else {
            out.push(TemporalInfo {
                span,
                kind: TemporalKind::Partial,
                resolved: None,
                explanation: crate::report::shared_str(
                    "a weekday and a date without a year, in a story with no dateline",
                ),
                absolute_text: None,
            });
            continue;
        };
        let Ok(date) = Date::new(y, month, day_n) else {
            continue;
        };
        weekday_dates.push(WeekdayDate {
            span: span.clone(),
            weekday,
            weekday_span: c.get(1).unwrap().range(),
            date,
            date_span,
            year_assumed,
        });
        out.push(TemporalInfo {
            span,
            kind: if year_assumed {
                TemporalKind::Partial
            } else {
                TemporalKind::Absolute
            },
            resolved: Some(Resolved::Day(date)),
            explanation: if year_assumed {
                crate::report::shared(format_args!("{} (year from the dateline)", long_date(date)))
            } else {
                crate::report::shared_str(&long_date(date))
            },
            absolute_text: None,
        });
    }

    // 2. full and partial dates, months, years
    let runs = [out.len()];
    for m in &dates {
        if taken(&out, &runs, &m.range()) {
            continue;
        }
        let c = DATES.captures(prose, m);
        let m = c.get(0).unwrap();
        let mut span = m.range();
        let sent = sentence_of(span.start);
        let (kind, resolved, expl) = if let Some(y) = c.get(1) {
            match ymd(y.as_str(), &c[2], &c[3]) {
                Some(d) => (TemporalKind::Absolute, Some(Resolved::Day(d)), long_date(d)),
                None => continue,
            }
        } else if let Some(mon) = c.get(5).or(c.get(9)) {
            let day = c.get(6).or(c.get(8)).unwrap();
            let year = c.get(7).or(c.get(10));
            // "by December 2": the preposition stays out of the span, and a deadline
            // looks ahead
            let deadline = c.get(4).is_some_and(|p| {
                matches!(
                    p.as_str().to_ascii_lowercase().as_str(),
                    "by" | "until" | "before"
                )
            });
            span.start = span.start.max(mon.start().min(day.start()));
            let Some(month) = month_number(mon.as_str()) else {
                continue;
            };
            // "May 5" needs a capital M; "may" is a verb
            if mon.as_str() == "may" {
                continue;
            }
            let Ok(dn) = day.as_str().parse::<i8>() else {
                continue;
            };
            if let Some(y) = year {
                match Date::new(y.as_str().parse().unwrap_or(0), month, dn) {
                    Ok(d) => (TemporalKind::Absolute, Some(Resolved::Day(d)), long_date(d)),
                    Err(_) => continue,
                }
            } else if let Some(base) = dl {
                let t = if deadline {
                    Some(true)
                } else {
                    tense(prose, sent.clone(), &span)
                };
                let mut y = base.year();
                let Ok(mut d) = Date::new(y, month, dn) else {
                    continue;
                };
                // future: not before the dateline; otherwise not after it
                match t {
                    Some(true) if d < base => y += 1,
                    Some(true) => {}
                    _ if d > add_days(base, 7) => y -= 1,
                    _ => {}
                }
                if let Ok(d2) = Date::new(y, month, dn) {
                    d = d2;
                }
                (
                    TemporalKind::Partial,
                    Some(Resolved::Day(d)),
                    format!(
                        "{} (month and day, year from the dateline {base})",
                        long_date(d)
                    ),
                )
            } else {
                (
                    TemporalKind::Partial,
                    None,
                    "a month and day without a year; the story has no dateline".into(),
                )
            }
        } else if let Some(mon) = c.get(12) {
            let Some(month) = month_number(mon.as_str()) else {
                continue;
            };
            let word = mon.as_str();
            let prep = c.get(11).map(|p| p.as_str().to_ascii_lowercase());
            // a bare month name needs a capital and, for May/March, a preposition or year
            if word.chars().next().is_some_and(|ch| ch.is_lowercase()) {
                continue;
            }
            let ambiguous = matches!(
                word.trim_end_matches('.'),
                "May" | "March" | "Mar" | "Jan" | "Sat" | "Sun" | "Aug"
            );
            if ambiguous && prep.is_none() && c.get(13).is_none() {
                continue;
            }
            // "voted for May" is a person
            if word == "May" && prep.as_deref() == Some("for") {
                continue;
            }
            if word.len() <= 4 && word.ends_with('.') && c.get(13).is_none() && prep.is_none() {
                continue;
            }
            // keep the preposition out of the span, except last/next/this
            if let Some(p) = c.get(11) {
                if !matches!(
                    p.as_str().to_ascii_lowercase().as_str(),
                    "last" | "next" | "this" | "early" | "mid" | "late"
                ) {
                    span.start = mon.start();
                }
            }
            if let Some(y) = c.get(13) {
                let y: i16 = y.as_str().parse().unwrap_or(0);
                (
                    TemporalKind::Absolute,
                    Some(Resolved::Month(y, month)),
                    format!("{} {y}", month_name(month)),
                )
            } else if let Some(base) = dl {
                let t = match prep.as_deref() {
                    Some("next") | Some("by") | Some("until") | Some("before") => Some(true),
                    Some("last") => Some(false),
                    _ => tense(prose, sent.clone(), &span),
                };
                let mut y = base.year();
                let (bm, m) = (base.month() as i32, month as i32);
                match t {
                    Some(false) if m > bm || (m == bm && prep.as_deref() == Some("last")) => y -= 1,
                    Some(true) if m < bm || (m == bm && prep.as_deref() == Some("next")) => y += 1,
                    // unsaid: the nearer of last year's and this year's month
                    None if m - bm > 6 => y -= 1,
                    None if bm - m >= 6 => y += 1,
                    _ => {}
                }
                (
                    TemporalKind::Partial,
                    Some(Resolved::Month(y, month)),
                    format!("{} {y} (month from the dateline {base})", month_name(month)),
                )
            } else {
                (
                    TemporalKind::Partial,
                    None,
                    "a month without a year; the story has no dateline".into(),
                )
            }
        } else if let Some(y) = c.get(14) {
            // a year, unless part of a bigger number (1,2024) or a figure
            let before = &prose[..y.start()];
            if before.ends_with(',')
                || before.ends_with('.')
                || before.ends_with('$')
                || prose[y.end()..].starts_with(['%', ','])
                    && prose[y.end()..]
                        .chars()
                        .nth(1)
                        .is_some_and(|c| c.is_ascii_digit())
            {
                continue;
            }
            let yy: i16 = y.as_str().parse().unwrap_or(0);
            (
                TemporalKind::Year,
                Some(Resolved::Year(yy)),
                format!("the year {yy}"),
            )
        } else {
            continue;
        };
        out.push(TemporalInfo {
            span,
            kind,
            resolved,
            explanation: crate::report::shared_str(&expl),
            absolute_text: None,
        });
    }

    // 3. relative and anchored expressions
    let runs = [runs[0], out.len()];
    for m in &relative {
        if taken(&out, &runs, &m.range()) {
            continue;
        }
        let c = REL.captures(prose, m);
        let m = c.get(0).unwrap();
        let mut span = m.range();
        let text = m.as_str();
        if c.get(1).is_some() || c.get(2).is_some() || c.get(3).is_some() {
            out.push(TemporalInfo {
                span,
                kind: TemporalKind::Anchored,
                resolved: None,
                explanation: crate::report::shared_str(
                    "relative to an event in the story, not to the day of writing",
                ),
                absolute_text: None,
            });
            continue;
        }
        // weekdays need their capital letter, and named days are not relative
        if let Some(wd) = c.get(13) {
            if !wd.as_str().chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            let before = prose[..span.start].trim_end();
            let prev_word = before
                .rsplit(|ch: char| !ch.is_alphanumeric())
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if HOLIDAY_PREFIX.contains(&prev_word.as_str())
                || prev_word == "every"
                || ORDINALS.contains(&prev_word.as_str())
                || prose[wd.end()..].starts_with('s')
            {
                continue;
            }
        } else if c.get(10).is_some() && lower_starts_with_any(text, &["this ", "last "]) {
            // "the last night of the festival" is not last night
            let prev = prose[..span.start]
                .trim_end()
                .rsplit(|ch: char| !ch.is_alphanumeric())
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if matches!(
                prev.as_str(),
                "the" | "a" | "its" | "their" | "his" | "her" | "our" | "every"
            ) {
                continue;
            }
        } else if c.get(15).is_some() {
            // "in two weeks" points ahead only in a clause about the future;
            // "pages in three weeks" is a duration
            if !future_tense(prose, sentence_of(span.start), &span) {
                continue;
            }
        }
        // (worked out only where a weekday needs it)
        let fut = || future_tense(prose, sentence_of(span.start), &span);
        let lower = text.to_ascii_lowercase();
        let (resolved, how, abs): (Option<Resolved>, String, Option<String>) = match dl {
            None => (
                None,
                "relative to the day of writing, and the story has no dateline".into(),
                None,
            ),
            Some(base) => {
                if let Some(wd) = c.get(13) {
                    let w = weekday_of(wd.as_str()).unwrap();
                    let modifier = c.get(12).map(|x| x.as_str().to_ascii_lowercase());
                    let (d, how) = match modifier.as_deref() {
                        Some("last") | Some("past") => (
                            on_or_before(add_days(base, -1), w),
                            format!("the latest {} before the dateline, {base}", weekday_name(w)),
                        ),
                        Some("next") | Some("coming") => (
                            on_or_after(add_days(base, 1), w),
                            format!("the first {} after the dateline, {base}", weekday_name(w)),
                        ),
                        _ if fut() => (
                            on_or_after(base, w),
                            format!(
                                "the next {} on or after the dateline, {base}, since the clause speaks of the future",
                                weekday_name(w)
                            ),
                        ),
                        _ => (
                            on_or_before(base, w),
                            format!(
                                "latest {} on or before the dateline, {base}",
                                weekday_name(w)
                            ),
                        ),
                    };
                    (
                        Some(Resolved::Day(d)),
                        how,
                        Some(format!("{} {}", month_name(d.month()), d.day())),
                    )
                } else if c.get(10).is_some() {
                    let (n, word) = if lower.starts_with("day before") {
                        (-2, "the day before yesterday")
                    } else if lower.starts_with("last") {
                        (-1, "the night before the dateline")
                    } else if lower == "yesterday" {
                        (-1, "the day before the dateline")
                    } else if lower == "tomorrow" {
                        (1, "the day after the dateline")
                    } else {
                        (0, "the dateline itself")
                    };
                    let d = add_days(base, n);
                    (
                        Some(Resolved::Day(d)),
                        format!("{word}, {base}"),
                        Some(format!("{} {}", month_name(d.month()), d.day())),
                    )
                } else if let Some(unit) = c.get(16) {
                    // "in two weeks": ahead of the dateline
                    let n = num_word(text.split_whitespace().nth(1).unwrap_or("")).unwrap_or(1);
                    let u = unit.as_str().to_ascii_lowercase();
                    if u.starts_with("day") {
                        let d = add_days(base, n);
                        (
                            Some(Resolved::Day(d)),
                            format!("{n} days after the dateline, {base}"),
                            Some(format!("on {} {}", month_name(d.month()), d.day())),
                        )
                    } else if u.starts_with("week") {
                        let d = add_days(base, 7 * n);
                        (
                            Some(Resolved::Week(on_or_before(d, Weekday::Monday))),
                            format!("{n} weeks after the dateline, {base}"),
                            None,
                        )
                    } else if u.starts_with("month") {
                        let (y, mo) = add_months(base.year(), base.month(), n as i32);
                        (
                            Some(Resolved::Month(y, mo)),
                            format!("{n} months after the dateline, {base}"),
                            Some(format!("in {} {y}", month_name(mo))),
                        )
                    } else {
                        let y = base.year() + n as i16;
                        (
                            Some(Resolved::Year(y)),
                            format!("{n} years after the dateline, {base}"),
                            Some(format!("in {y}")),
                        )
                    }
                } else if let Some(unit) = c.get(5) {
                    let n = num_word(text.split_whitespace().next().unwrap_or("")).unwrap_or(1);
                    let u = unit.as_str().to_ascii_lowercase();
                    if u.starts_with("day") {
                        let d = add_days(base, -n);
                        (
                            Some(Resolved::Day(d)),
                            format!("{n} days before the dateline, {base}"),
                            Some(format!("on {} {}", month_name(d.month()), d.day())),
                        )
                    } else if u.starts_with("week") {
                        let d = add_days(base, -7 * n);
                        (
                            Some(Resolved::Week(on_or_before(d, Weekday::Monday))),
                            format!("{n} weeks before the dateline, {base}"),
                            None,
                        )
                    } else if u.starts_with("month") {
                        let (y, mo) = add_months(base.year(), base.month(), -(n as i32));
                        (
                            Some(Resolved::Month(y, mo)),
                            format!("{n} months before the dateline, {base}"),
                            Some(format!("in {} {y}", month_name(mo))),
                        )
                    } else {
                        let y = base.year() - n as i16;
                        (
                            Some(Resolved::Year(y)),
                            format!("{n} years before the dateline, {base}"),
                            Some(format!("in {y}")),
                        )
                    }
                } else {
                    // this/last/next week, month, year; earlier/later this ...
                    let delta = if lower.starts_with("last") || lower.starts_with("past") {
                        -1
                    } else if lower.starts_with("next") || lower.starts_with("coming") {
                        1
                    } else {
                        0
                    };
                    if lower.contains("month") {
                        let (y, mo) = add_months(base.year(), base.month(), delta);
                        (
                            Some(Resolved::Month(y, mo)),
                            format!(
                                "the month of the dateline{} ({base})",
                                match delta {
                                    -1 => " before",
                                    1 => " after",
                                    _ => "",
                                }
                            ),
                            Some(format!("in {} {y}", month_name(mo))),
                        )
                    } else if lower.contains("year") {
                        let y = base.year() + delta as i16;
                        (
                            Some(Resolved::Year(y)),
                            format!("relative to the dateline year, {}", base.year()),
                            Some(format!("in {y}")),
                        )
                    } else {
                        let monday =
                            add_days(on_or_before(base, Weekday::Monday), 7 * delta as i64);
                        (
                            Some(Resolved::Week(monday)),
                            format!("the week beginning {monday}"),
                            Some(format!(
                                "the week of {} {}",
                                month_name(monday.month()),
                                monday.day()
                            )),
                        )
                    }
                }
            }
        };
        // "on Thursday": the span is the expression without "on"
        if span.end > prose.len() {
            span.end = prose.len();
        }
        let explanation = match &resolved {
            Some(r) => format!(
                "{} → {} ({how})",
                text,
                match r {
                    Resolved::Day(d) => long_date(*d),
                    other => other.iso(),
                }
            ),
            None => how,
        };
        out.push(TemporalInfo {
            span,
            kind: TemporalKind::Relative,
            resolved,
            explanation: crate::report::shared_str(&explanation),
            absolute_text: abs.as_deref().map(crate::report::shared_str),
        });
    }
    out.sort_by_key(|t| t.span.start);
    Temporals {
        paragraph_starts: Vec::new(),
        expressions: out,
        weekday_dates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Format;

    /// The test before the dates' automata (`text::gate::may_hold` of
    /// `DATE_WORDS`) passes every paragraph in which they find a date or a relative
    /// date: in the corpus, the seeds and the golden files, as plain text and as
    /// Markdown, and in paragraphs written for each of the words, in capitals, with
    /// a possessive and after a letter beyond ASCII. And it turns some away.
    #[test]
    fn the_date_test_passes_every_paragraph_with_a_date() {
        // each word in paragraphs of its own, with no digit, some of which the
        // patterns match: in capitals, title case, lower case, with a possessive,
        // after a letter beyond ASCII
        let mut texts = Vec::new();
        for w in DATE_WORDS.words() {
            let upper = w.to_uppercase();
            let title = format!("{}{}", &upper[..1], &w[1..]);
            let mut paragraphs = Vec::new();
            for form in [w.to_string(), upper, title] {
                for context in [
                    "It was {} then.",
                    "It came last {}.",
                    "The {} before.",
                    "Two {} ago.",
                    "The following {}.",
                    "By {}'s end.",
                    "By {}’s end.",
                    "An é{} list.",
                ] {
                    paragraphs.push(context.replace("{}", &form));
                }
            }
            texts.push(paragraphs.join("\n\n"));
        }
        texts.extend(crate::test_texts());
        let (mut with, mut turned_away) = (0, 0);
        for text in &texts {
            for format in [Format::PlainText, Format::Markdown] {
                let doc = Document::new(text, format);
                for p in &doc.paragraphs {
                    let prose = &doc.prose[p.span.clone()];
                    let [dates, relative] = crate::pattern::find_both(&DATES, &REL, prose);
                    let passes =
                        crate::text::gate::may_hold(&doc, tokens_of(&doc, p), prose, &DATE_WORDS);
                    if !dates.is_empty() || !relative.is_empty() {
                        assert!(passes, "{prose:?}");
                        with += 1;
                    } else {
                        turned_away += usize::from(!passes);
                    }
                }
            }
        }
        assert!(with > 1_000, "{with}");
        assert!(turned_away > 500, "{turned_away}");
    }

    /// Where a paragraph's dates begin, as `find` records it, is where a search of
    /// all the story's dates by the paragraph's start finds it, in every paragraph
    /// of the corpus, the seeds and the golden files (with and without a dateline).
    #[test]
    fn each_paragraphs_dates_begin_where_a_search_finds_them() {
        let mut paragraphs_with_dates = 0;
        for text in crate::test_texts() {
            for format in [Format::PlainText, Format::Markdown] {
                let doc = Document::new(&text, format);
                let dl = detect_dateline(&doc);
                for dateline in [dl.as_ref(), None] {
                    let found = find(&doc, dateline);
                    assert_eq!(found.paragraph_starts.len(), doc.paragraphs.len());
                    let searched = Temporals {
                        paragraph_starts: Vec::new(),
                        ..found.clone()
                    };
                    for (i, p) in doc.paragraphs.iter().enumerate() {
                        let at = found.paragraph_start(i, p.span.start);
                        assert_eq!(at, searched.paragraph_start(i, p.span.start));
                        let next = found.paragraph_start(i + 1, p.span.end);
                        let next = next.min(found.expressions.len());
                        paragraphs_with_dates += usize::from(next > at);
                        assert!(
                            found.expressions[at..next]
                                .iter()
                                .all(|t| p.span.start <= t.span.start && t.span.end <= p.span.end)
                        );
                    }
                }
            }
        }
        assert!(paragraphs_with_dates > 300, "{paragraphs_with_dates}");
    }

    /// The dates and the relative dates, searched together, are what each pattern's
    /// `meta` search finds alone (as `find_in` searched before), groups included, in every paragraph of
    /// the corpus, the seeds and the golden files (as plain text and as Markdown
    /// prose).
    #[test]
    fn the_dates_searched_together_are_those_found_one_by_one() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        static DATES_ALONE: Pattern = Pattern::without_prefilter(dates_source);
        static REL_ALONE: Pattern = Pattern::without_prefilter(relative_source);
        let mut found = [0, 0];
        let mut weekday_dates = 0;
        for dir in ["seeds", "tests/corpus", "tests/golden"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = e.unwrap().path();
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                for format in [Format::PlainText, Format::Markdown] {
                    let doc = Document::new(&text, format);
                    for p in &doc.paragraphs {
                        let prose = &doc.prose[p.span.clone()];
                        let both = crate::pattern::find_both(&DATES, &REL, prose);
                        // (`find_in` looks for a weekday's date only where there are dates)
                        if WD.is_match(prose) {
                            assert!(!both[0].is_empty(), "{}: {prose}", path.display());
                            weekday_dates += 1;
                        }
                        for (k, (stepped, reference)) in
                            [(&DATES, &DATES_ALONE), (&REL, &REL_ALONE)]
                                .into_iter()
                                .enumerate()
                        {
                            let want: Vec<_> = reference.captures_iter(prose).collect();
                            assert_eq!(both[k].len(), want.len(), "{}: {prose}", path.display());
                            for (m, c) in both[k].iter().zip(&want) {
                                let got = stepped.captures(prose, m);
                                for i in 0..c.len() {
                                    assert_eq!(
                                        got.get(i).map(|g| g.range()),
                                        c.get(i).map(|g| g.range()),
                                        "{}: {prose}",
                                        path.display()
                                    );
                                }
                            }
                            found[k] += want.len();
                        }
                    }
                }
            }
        }
        assert!(found[0] > 500 && found[1] > 500, "{found:?}");
        assert!(weekday_dates > 10, "{weekday_dates}");
        for text in [
            "Fri 5 Mar.",
            "on Monday (March 5)",
            "Tues. 12th Sept, 2023",
            "Sunday, Dec. 1",
            "Wed (  4 June)x",
            "Sat 1st Jan",
        ] {
            assert!(WD.is_match(text), "{text}");
            let [dates, _] = crate::pattern::find_both(&DATES, &REL, text);
            assert!(!dates.is_empty(), "{text}");
        }
    }

    fn resolve(text: &str) -> Vec<(String, Option<String>)> {
        let doc = Document::new(text, Format::Markdown);
        let dl = detect_dateline(&doc);
        find(&doc, dl.as_ref())
            .expressions
            .iter()
            .map(|t| {
                (
                    text[t.span.clone()].to_string(),
                    t.resolved.as_ref().map(|r| r.iso()),
                )
            })
            .collect()
    }

    #[test]
    fn datelines() {
        for (t, want) in [
            ("---\ndate: 2024-03-05\n---\nText.", Some("2024-03-05")),
            (
                " date 2022-04-07 The Atlantic Alliance stressed on Thursday.",
                Some("2022-04-07"),
            ),
            (
                "OSLO, Dec 8 (Reuters) - Talks on December 8, 2022 ended.",
                Some("2022-12-08"),
            ),
            (
                "BRUSSELS, March 5, 2024 (AP) — Ministers met.",
                Some("2024-03-05"),
            ),
            ("KYIV, Ukraine (AP) — Ministers met on Friday.", None),
        ] {
            let doc = Document::new(t, Format::Markdown);
            assert_eq!(
                detect_dateline(&doc).map(|d| d.date.to_string()).as_deref(),
                want,
                "{t}"
            );
        }
    }

    #[test]
    fn relative_resolution() {
        let r = resolve(
            " date 2022-04-07 The Alliance stressed on Thursday that it met last Tuesday and will meet on Friday, yesterday and a year earlier.",
        );
        let get = |s: &str| r.iter().find(|x| x.0 == s).and_then(|x| x.1.clone());
        assert_eq!(get("Thursday").as_deref(), Some("2022-04-07"));
        assert_eq!(get("last Tuesday").as_deref(), Some("2022-04-05"));
        assert_eq!(get("Friday").as_deref(), Some("2022-04-08"));
        assert_eq!(get("yesterday").as_deref(), Some("2022-04-06"));
        assert!(r.iter().any(|x| x.0 == "a year earlier" && x.1.is_none()));
    }

    #[test]
    fn deadlines_quotes_and_new_forms() {
        let r = resolve(
            "date 2024-09-12\n\nThe firm must report by December 2. \"Ask me in February,\" she said. Pumps failed last night and the next poll is due in two weeks. The board meets on the second Tuesday of each month at 14 Marktstrasse.",
        );
        let get = |s: &str| r.iter().find(|x| x.0 == s).map(|x| x.1.clone());
        assert_eq!(get("December 2"), Some(Some("2024-12-02".into())));
        assert_eq!(get("February"), Some(Some("2025-02".into())));
        assert_eq!(get("last night"), Some(Some("2024-09-11".into())));
        assert!(get("in two weeks").is_some());
        assert_eq!(get("Tuesday"), None, "{r:?}");
        assert!(!r.iter().any(|x| x.0.starts_with("14")), "{r:?}");
    }

    #[test]
    fn tense_reads_words_of_any_length_and_case() {
        // every word the tense is told by fits `lowered`'s buffer
        let longest = FUTURE
            .words()
            .iter()
            .chain(PAST_HINTS.words())
            .map(|w| w.len());
        assert!(longest.max().unwrap() <= WORD_MAX);
        let sentence = |s: &str| tense(s, 0..s.len(), &(s.len() - 6..s.len()));
        assert_eq!(sentence("It WILL open Friday"), Some(true));
        assert_eq!(sentence("It OPENED Friday"), Some(false));
        let long = format!("It {}ed Friday", "x".repeat(40));
        assert_eq!(sentence(&long), Some(false));
        assert_eq!(sentence("Ça s'est passé Friday"), None);
        assert_eq!(sentence("It reopened Friday"), Some(false));
    }

    #[test]
    fn tense_stays_in_its_clause() {
        let r = resolve(
            "date 2022-04-07\n\nMinisters met on Tuesday and will meet again next week. A review will be held on Friday morning.",
        );
        let get = |s: &str| r.iter().find(|x| x.0 == s).and_then(|x| x.1.clone());
        assert_eq!(get("Tuesday").as_deref(), Some("2022-04-05"));
        assert_eq!(get("Friday morning").as_deref(), Some("2022-04-08"));
    }
}
