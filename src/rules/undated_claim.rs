//! `undated-claim`

use std::sync::OnceLock;

use regex::Regex;

use super::{Context, RuleDoc};
use crate::report::{Diagnostic, Severity, Span};

pub const DOC: RuleDoc = RuleDoc {
    code: "undated-claim",
    severity: Severity::Information,
    summary: "A figure that changes over time (\"more than 12 million people\", \"currently 1,700 trucks\") with no date in its sentence.",
    what: "Counts of people, casualties, refugees and other things that change, sums of money, prices and percentages, and status words (currently, latest, so far, to date), in a sentence with no time anchor: no date, weekday, month, year, relative date or \"as of\". Figures inside direct quotations, ages, years, times and fixed properties (a 12-storey building) are not flagged.",
    why: "A count with no \"as of\" goes stale the day it is published, and readers cannot tell how old it is.",
    example: "The offensive has forced more than 12 million people to flee.",
    fix: "Add the date the figure is current to: \"as of April 7\", \"according to UN data published on Tuesday\".",
};

/// Nouns whose counts change over time.
const COUNT_NOUNS: &str = r"people|persons|civilians|residents|refugees|migrants|asylum[- ]seekers|soldiers|troops|fighters|militants|casualties|deaths|dead|killed|injured|wounded|victims|patients|cases|infections|hospitali[sz]ations|children|students|pupils|workers|employees|staff|jobs|members|voters|users|customers|subscribers|visitors|tourists|trucks|lorries|vehicles|homes|houses|buildings|households|families|displaced|evacuees|prisoners|hostages|detainees|protesters|demonstrators|doctors|nurses|teachers|beds|flights|passengers|drones|missiles|shells|rockets|tanks|cars|animals|cattle|sheep|acres|hectares|barrels|tonnes|tons|vaccinations|doses|applications|complaints|arrests|signatures|followers|downloads|units|outages|customers|properties|shelters|stations|schools|hospitals|businesses|companies|firms|positions|seats|votes|ballots|participants|runners|fans|spectators|attendees|delegates|volunteers|firefighters|officers|police|officials|inmates|listings|sales|orders|shipments|containers|vessels|ships|aircraft|planes|settlers|villages|towns|communities|dwellings|deaths|fatalities|overdoses|crimes|incidents|attacks|strikes|explosions|outbreaks|infected|missing|affected|unemployed|homeless|jobless|evacuated";

fn figure_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let q = r"(?:(?:more\s+than|over|at\s+least|nearly|almost|about|around|roughly|some|up\s+to|an\s+estimated|approximately|close\s+to|fewer\s+than|less\s+than|as\s+many\s+as|just\s+over|just\s+under|well\s+over)\s+)?";
        let num = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?:million|billion|trillion|thousand|hundred|bn|m|k)(?-u:\b))?|(?:tens|hundreds|thousands|millions)\s+of|(?-u:\b)(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|a\s+dozen|dozens\s+of)";
        Regex::new(&format!(
            r"(?i)(?:(?-u:\b){q}(?:[$€£¥₴]|US\$|Rs\.?\s?)\s?(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?:\s*(?:million|billion|trillion|thousand|bn|m|k)(?-u:\b))?)|(?:(?-u:\b){q}(?:{num})\s+(?:(?:euros|dollars|pounds|yuan|rubles|roubles|hryvnias|francs|rupees|yen|pesos|reais|shekels|lira|kronor|krone)(?-u:\b)|(?:per\s*cent|percent|%)|(?:[a-z-]+\s+){{0,2}}(?:{COUNT_NOUNS})(?-u:\b)))|(?-u:\b)(currently|so\s+far|to\s+date|at\s+present|latest)(?-u:\b)"
        ))
        .unwrap()
    })
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let prose = &cx.doc.prose;
    let temporals = &cx.temporals.expressions;
    for s in &cx.doc.sentences {
        let sent = &prose[s.span.clone()];
        // a time anchor anywhere in the sentence dates its figures
        let from = temporals.partition_point(|t| t.span.start < s.span.start);
        let anchored = temporals[from..]
            .iter()
            .take_while(|t| t.span.start < s.span.end)
            .any(|t| t.span.end <= s.span.end)
            || sent.to_ascii_lowercase().contains("as of ");
        if anchored {
            continue;
        }
        let mut last_end = 0;
        for m in figure_re().find_iter(sent) {
            let span: Span = s.span.start + m.start()..s.span.start + m.end();
            if cx.doc.in_quote(span.start) || m.start() < last_end {
                continue;
            }
            let t = m.as_str();
            let lower = t.to_ascii_lowercase();
            // ages and sizes: "45-year-old", "aged 45", a "12-storey" building
            let after = &sent[m.end()..];
            let before = sent[..m.start()].to_ascii_lowercase();
            if after.starts_with("-year")
                || before.trim_end().ends_with("aged")
                || before.trim_end().ends_with("age")
            {
                continue;
            }
            if lower == "latest"
                && !after
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with(|c: char| c.is_alphabetic())
            {
                continue;
            }
            last_end = m.end();
            out.push(Diagnostic {
                rule: DOC.code,
                severity: DOC.severity,
                message: format!("“{t}” will change over time, and nothing in this sentence says when it was true. Add the date it is current to (\"as of …\")."),
                span,
                fixes: Vec::new(),
                related: Vec::new(),
            });
        }
    }
}
