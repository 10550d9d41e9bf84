//! A deterministic generator of varied news text for benchmarks.
//!
//! Stories are built from templates and word lists: six subjects (politics, courts,
//! sport, weather, business, science), invented people, places and organisations,
//! quotations with and without attribution, vague sourcing, figures, dates and
//! weekdays (mostly right, a few wrong), datelines (or none), and a few deliberate
//! spelling variants (Kiev / Kyiv, Zelensky / Zelenskyy, Erdoğan / Erdogan).
//! Paragraph lengths vary; no paragraph is one repeated block.
//!
//! The same seed always gives the same text, on every machine: the random numbers
//! come from a small xorshift generator, not from a crate.
//!
//! Used by `benches/analyze.rs` (as `mod newsgen;`) and by the examples
//! (`#[path = "../benches/newsgen.rs"] mod newsgen;`). As a bench target of its own
//! it only runs the tests at the bottom.

#![allow(dead_code)]

/// xorshift64*, seeded through splitmix64 so that nearby seeds diverge at once.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x1234_5678 } else { z })
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + (self.next_u64() >> 11) % (hi - lo + 1)
    }

    /// True with probability `pct` percent.
    pub fn chance(&mut self, pct: u32) -> bool {
        (self.next_u64() >> 11) % 100 < pct as u64
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    pub fn word(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len())]
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Topic {
    Politics,
    Courts,
    Sport,
    Weather,
    Business,
    Science,
}

const TOPICS: [Topic; 6] = [
    Topic::Politics,
    Topic::Courts,
    Topic::Sport,
    Topic::Weather,
    Topic::Business,
    Topic::Science,
];

const FIRST_F: &[&str] = &[
    "Amara", "Ingrid", "Mei", "Sofia", "Priya", "Hannah", "Lucía", "Olga", "Fatima", "Grace",
    "Chiara", "Aiko", "Nadia", "Eleanor", "Zainab", "Marta", "Rosa", "Keiko", "Leila", "Bridget",
    "Ana", "Ifeoma", "Hélène", "Yasmin", "Catriona", "Dagny", "Esther", "Noor",
];
const FIRST_M: &[&str] = &[
    "Tomas", "Kwame", "Rafael", "Jonah", "Arjun", "Mikhail", "Omar", "Declan", "Hiroshi", "Luis",
    "Pieter", "Samuel", "Bogdan", "Emeka", "Jürgen", "Callum", "Matteo", "Anders", "Tariq",
    "Felix", "Dmitri", "Rhys", "Kofi", "Ivo", "Benedikt", "Marcus", "Thabo",
];
const SURNAMES: &[&str] = &[
    "Okafor",
    "Lindqvist",
    "Haverford",
    "Castellanos",
    "Nakamura",
    "Brennan",
    "Mwangi",
    "Petrenko",
    "Delacroix",
    "Abernathy",
    "Szabo",
    "Oyelaran",
    "Vasquez",
    "Tanaka",
    "Kowalczyk",
    "Fairweather",
    "Achterberg",
    "Mbeki",
    "Rossetti",
    "Halloran",
    "Ishikawa",
    "Novak",
    "Quartermaine",
    "Adeyemi",
    "Valdez",
    "Strand",
    "Moreau",
    "Goldberg",
    "Kaur",
    "Whitlock",
    "Eriksen",
    "Baptiste",
    "Sørensen",
    "Papadakis",
    "Coulibaly",
    "Yilmaz",
    "Drummond",
    "Farrow",
    "Nwosu",
    "Lacroix",
    "Ferreira",
    "Oduya",
    "Blackwood",
    "Kimura",
    "Ashby",
    "Marchetti",
    "Osei",
    "Thornbury",
    "Vance",
    "Hartigan",
    "Ramírez",
    "Kovač",
    "Lindgren",
    "Okonkwo",
    "Pemberton",
    "Hoffmann",
    "Aziz",
    "Callaghan",
    "Duarte",
    "Mercer",
];
const REAL_PLACES: &[&str] = &[
    "London",
    "Nairobi",
    "Lyon",
    "Osaka",
    "Denver",
    "Manchester",
    "Lagos",
    "Toronto",
    "Melbourne",
    "Valencia",
    "Hamburg",
    "Kraków",
    "São Paulo",
    "Accra",
    "Lisbon",
    "Bergen",
    "Glasgow",
    "Montreal",
    "Auckland",
    "Cape Town",
    "Seville",
    "Rotterdam",
    "Dublin",
    "Chicago",
    "Mumbai",
    "Santiago",
    "Gdańsk",
    "Brisbane",
    "Marseille",
    "Porto",
];
const INVENTED_PLACES: &[&str] = &[
    "Port Aldmere",
    "Wexbridge",
    "Calloway Falls",
    "Marrow Bay",
    "Eastholm",
    "Fennick",
    "Upper Tarrow",
    "Saltcombe",
    "Brightwater",
    "Kellan Ridge",
    "Dunmarrow",
    "Orsk Valley",
    "Greyhaven",
    "Lowen",
    "Ashcombe",
    "Millbrook Junction",
    "Rathmoor",
    "Silverlake",
];
const REGIONS: &[&str] = &[
    "the northern province",
    "the coastal district",
    "the river valley",
    "the eastern suburbs",
    "the capital region",
    "the highlands",
    "the western border area",
    "the delta",
];
const AGENCIES: &[&str] = &["Reuters", "AP", "AFP", "Bloomberg", "DPA"];
const OUTLETS: &[&str] = &[
    "reporters",
    "the Daily Courier",
    "a local radio station",
    "state television",
    "the Evening Standard-Gazette",
    "a news conference",
    "lawmakers",
    "an industry conference",
];
const MONTHS: &[&str] = &[
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
];
const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const RELATIVE: &[&str] = &[
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "on Saturday",
    "on Sunday",
    "yesterday",
    "last week",
    "earlier this month",
    "this Saturday",
    "next Tuesday",
    "late on Friday",
];
const VAGUE: &[&str] = &[
    "officials said",
    "sources said",
    "people familiar with the matter said",
    "it is reported",
    "according to sources close to the talks",
    "observers said",
    "a senior official said",
    "analysts said",
];
const SAID: &[&str] = &[
    "said",
    "said",
    "said",
    "told",
    "added",
    "warned",
    "insisted",
    "explained",
    "argued",
    "noted",
];

/// Real people and places with a house spelling and a variant, as (preferred, variant).
const VARIANTS: &[(&str, &str)] = &[
    ("Kyiv", "Kiev"),
    ("Kharkiv", "Kharkov"),
    ("Odesa", "Odessa"),
    ("Volodymyr Zelenskyy", "Volodymyr Zelensky"),
    ("Recep Tayyip Erdogan", "Recep Tayyip Erdoğan"),
    ("Dmytro Kuleba", "Dmitro Kuleba"),
];

struct Person {
    first: &'static str,
    last: &'static str,
    title: String,
    she: bool,
}

impl Person {
    fn full(&self) -> String {
        format!("{} {}", self.first, self.last)
    }
    fn pronoun(&self) -> &'static str {
        if self.she { "she" } else { "he" }
    }
    fn pronoun_cap(&self) -> &'static str {
        if self.she { "She" } else { "He" }
    }
}

struct Ctx {
    topic: Topic,
    year: i64,
    month: usize, // 1..=12
    day: usize,
    place: String,
    place2: String,
    org: String,
    org2: String,
    people: Vec<Person>,
    /// Ukrainian/Turkish thread: a real entity with a house spelling, and whether
    /// this story slips into the variant once.
    real: Option<(usize, bool)>,
}

fn titles(t: Topic) -> &'static [&'static str] {
    match t {
        Topic::Politics => &[
            "Finance Minister",
            "Prime Minister",
            "opposition leader",
            "Senator",
            "Mayor",
            "Interior Minister",
            "party spokeswoman",
            "Deputy Speaker",
            "Governor",
        ],
        Topic::Courts => &[
            "Judge",
            "prosecutor",
            "defence lawyer",
            "Chief Justice",
            "attorney",
            "court spokesman",
            "police inspector",
        ],
        Topic::Sport => &[
            "coach",
            "captain",
            "striker",
            "manager",
            "goalkeeper",
            "club chairman",
            "sprinter",
            "midfielder",
        ],
        Topic::Weather => &[
            "meteorologist",
            "emergency services director",
            "forecaster",
            "fire chief",
            "flood warden",
            "climatologist",
        ],
        Topic::Business => &[
            "chief executive",
            "chief financial officer",
            "analyst",
            "union leader",
            "economist",
            "founder",
            "chairwoman",
        ],
        Topic::Science => &[
            "lead author",
            "professor",
            "epidemiologist",
            "astronomer",
            "biologist",
            "research director",
            "chemist",
        ],
    }
}

fn orgs(t: Topic, rng: &mut Rng) -> String {
    let s = *rng.pick(SURNAMES);
    let p = *rng.pick(INVENTED_PLACES);
    let s2 = *rng.pick(SURNAMES);
    match t {
        Topic::Politics => rng
            .pick(&[
                format!("the {p} Assembly"),
                "the Ministry of Finance".to_string(),
                "the Progressive Alliance".to_string(),
                format!("the {p} City Council"),
                "the National Reform Party".to_string(),
                "the Electoral Commission".to_string(),
            ])
            .clone(),
        Topic::Courts => rng
            .pick(&[
                format!("the {p} High Court"),
                "the Court of Appeal".to_string(),
                format!("{s} & Partners"),
                "the Public Prosecution Service".to_string(),
                format!("the {p} police"),
            ])
            .clone(),
        Topic::Sport => rng
            .pick(&[
                format!("{p} United"),
                format!("{p} Rovers"),
                format!("Athletic {p}"),
                "the National Football Federation".to_string(),
                format!("the {p} Harriers"),
                "the Continental Cycling Union".to_string(),
            ])
            .clone(),
        Topic::Weather => rng
            .pick(&[
                "the National Weather Service".to_string(),
                "the Met Office".to_string(),
                format!("the {p} Fire and Rescue Service"),
                "the Coastal Flood Agency".to_string(),
                "the Red Cross".to_string(),
            ])
            .clone(),
        Topic::Business => rng
            .pick(&[
                format!("{s} Holdings"),
                format!("{p} Freight"),
                format!("{s} Pharmaceuticals"),
                "Northfield Transit Authority".to_string(),
                format!("{s}-{s2} Logistics"),
                "the Central Bank".to_string(),
                format!("{p} Mutual"),
            ])
            .clone(),
        Topic::Science => rng
            .pick(&[
                format!("the University of {p}"),
                format!("the {s} Institute"),
                "the Bureau of Coastal Statistics".to_string(),
                "the European Space Agency".to_string(),
                format!("{p} General Hospital"),
                "the Royal Society".to_string(),
            ])
            .clone(),
    }
}

fn things(t: Topic) -> &'static [&'static str] {
    match t {
        Topic::Politics => &[
            "budget",
            "pension reform",
            "coalition deal",
            "border bill",
            "housing plan",
            "tax package",
            "election timetable",
            "ceasefire proposal",
        ],
        Topic::Courts => &[
            "verdict",
            "appeal",
            "trial",
            "injunction",
            "sentence",
            "inquiry",
            "settlement",
            "extradition request",
        ],
        Topic::Sport => &[
            "season",
            "final",
            "transfer",
            "relegation fight",
            "championship",
            "derby",
            "title race",
            "qualifier",
        ],
        Topic::Weather => &[
            "storm",
            "heatwave",
            "flood",
            "drought",
            "cold snap",
            "wildfire",
            "cyclone",
            "snowfall",
        ],
        Topic::Business => &[
            "merger",
            "quarterly results",
            "strike",
            "share sale",
            "takeover bid",
            "restructuring",
            "price rise",
            "factory closure",
        ],
        Topic::Science => &[
            "study",
            "trial",
            "discovery",
            "vaccine",
            "survey",
            "telescope",
            "experiment",
            "dataset",
        ],
    }
}

/// Quotation sentences per subject; `{place}`, `{thing}`, `{num}` are filled in.
fn quote_lines(t: Topic) -> &'static [&'static str] {
    match t {
        Topic::Politics => &[
            "We will not accept a {thing} that leaves {place} behind",
            "This is a question of trust, and people have run out of it",
            "The numbers simply do not add up",
            "Nobody in {place} voted for this",
            "We are ready to sit down tomorrow if they are serious",
            "I have said from the start that the {thing} needs a second look",
            "Voters deserve better than slogans",
            "We will not back down",
            "It is a good day for families in {place}",
            "There are {num} reasons to be worried and none to celebrate",
            "The door is open, but not for ever",
        ],
        Topic::Courts => &[
            "Justice has been done",
            "My client maintains his innocence and will appeal",
            "The evidence was overwhelming",
            "The court cannot ignore what happened in {place}",
            "We are studying the {thing} carefully",
            "This sends a clear message",
            "The family has waited {num} years for this day",
            "The procedure was flawed from the beginning",
            "No one is above the law",
        ],
        Topic::Sport => &[
            "We showed real character today",
            "The lads gave everything",
            "It was not good enough and we know it",
            "I am proud of every single player",
            "We take it one game at a time",
            "The {thing} is far from over",
            "Playing in {place} is never easy",
            "We scored {num} goals and still did not deserve to win",
            "It feels like a dream",
        ],
        Topic::Weather => &[
            "Stay indoors and keep away from the river",
            "We have not seen anything like this in {num} years",
            "The worst is still to come",
            "Crews are working around the clock",
            "Please check on elderly neighbours",
            "The ground simply cannot take any more water",
            "This {thing} will test everyone in {place}",
            "Conditions could change very quickly",
        ],
        Topic::Business => &[
            "We are confident in the long-term plan",
            "Our customers come first",
            "The market has been brutal this year",
            "This deal creates a stronger company",
            "Workers in {place} were never consulted",
            "We expect margins to recover by the end of the year",
            "The {thing} was the hardest decision of my career",
            "Demand is up {num} percent and we cannot keep up",
            "Nobody saw the slowdown coming",
        ],
        Topic::Science => &[
            "The results surprised us",
            "More work is needed before anyone changes their behaviour",
            "This is the first time it has been observed directly",
            "We looked at {num} patients over five years",
            "The signal is faint but unmistakable",
            "It opens a whole new line of research",
            "Funding for this kind of {thing} is hard to find",
            "We were careful not to overstate the findings",
        ],
    }
}

/// Narrative sentences per subject.
fn narrative(t: Topic) -> &'static [&'static str] {
    match t {
        Topic::Politics => &[
            "The {thing} passed its first reading by {num} votes to {num2}.",
            "{Org} has been divided over the {thing} for months.",
            "Opposition parties called the proposal rushed and unfunded.",
            "Talks collapsed {rel} after a dispute over spending in {region}.",
            "The government holds a narrow majority in {org2}.",
            "Protesters gathered outside the parliament building in {place}.",
            "The {thing} would cost more than {num} million dollars over four years.",
            "A vote is expected before the summer recess.",
            "Polls suggest support for the governing party has fallen to {pct} percent.",
            "Several backbenchers have said they will abstain.",
            "Critics say the plan does little for rural voters in {region}.",
        ],
        Topic::Courts => &[
            "The jury deliberated for {num} hours before reaching its decision.",
            "The case was heard at {org} in {place}.",
            "Prosecutors had asked for a sentence of {num} years.",
            "The defendant, who is {age}, denied all charges.",
            "The {thing} is expected to be heard {rel}.",
            "Lawyers for the company said they would study the ruling.",
            "The hearing was adjourned until {date}.",
            "More than {num} witnesses gave evidence during the trial.",
            "The ruling can be appealed within {num2} days.",
            "Police said the investigation had taken {num2} months.",
        ],
        Topic::Sport => &[
            "{Org} won {num} to {num2} in front of a crowd of {big}.",
            "The result leaves them {num2} points clear at the top of the table.",
            "{Org2} have not won away from home since {month}.",
            "The {thing} resumes {rel} when they travel to {place2}.",
            "The winning goal came in the {minute}th minute.",
            "Attendance at the stadium has risen by {pct} percent this season.",
            "The injury is expected to keep him out for {num2} weeks.",
            "Ticket prices have been frozen for a third season.",
            "The club's academy has produced {num2} internationals in a decade.",
        ],
        Topic::Weather => &[
            "Rainfall reached {num} millimetres in {num2} hours in parts of {region}.",
            "More than {big} homes were without power on {weekday} night.",
            "{Org} issued its highest warning for {place} and {place2}.",
            "Temperatures are forecast to reach {temp} degrees Celsius.",
            "Schools in {region} will stay closed {rel}.",
            "Roads into {place} were cut off by fallen trees.",
            "The {thing} is expected to ease by the weekend.",
            "Currently {num} shelters are open across {region}.",
            "Insurers estimate the damage at {num} million dollars.",
            "Rescue teams evacuated {num} people from low-lying streets.",
        ],
        Topic::Business => &[
            "Shares in {org} fell {pct} percent in early trading.",
            "The company employs about {big} people, {num} of them in {place}.",
            "Revenue rose to {num} million dollars in the three months to {month}.",
            "The {thing} still needs approval from regulators.",
            "{Org2} said it would respond {rel}.",
            "Analysts had expected a smaller loss.",
            "The firm plans to close {num2} stores by the end of the year.",
            "Inflation slowed to {pct} percent last month.",
            "The strike has halted production at {num2} plants in {region}.",
        ],
        Topic::Science => &[
            "The {thing} was published in the journal Nature {rel}.",
            "Researchers at {org} followed {big} volunteers for {num2} years.",
            "The team used data from {org2}.",
            "About {pct} percent of participants showed some improvement.",
            "The findings have not yet been replicated.",
            "The telescope observed the object for {num} nights.",
            "Similar results were reported by a group in {place2}.",
            "The {thing} cost about {num} million dollars and took {num2} years.",
            "Samples were collected from {num} sites across {region}.",
        ],
    }
}

fn headlines(t: Topic) -> &'static [&'static str] {
    match t {
        Topic::Politics => &[
            "{Surname} defends {thing} as critics in {place} push back",
            "Coalition wobbles over {thing}",
            "{Place} council votes to delay {thing}",
        ],
        Topic::Courts => &[
            "{Surname} loses {thing} at {Org}",
            "Jury reaches {thing} in {place} fraud case",
            "Court orders new hearing in {place}",
        ],
        Topic::Sport => &[
            "{Org} edge closer in {thing}",
            "{Surname} double settles {place} {thing}",
            "Late drama as {Org} survive",
        ],
        Topic::Weather => &[
            "{Thing} sweeps across {region}",
            "Warnings extended as {thing} hits {place}",
            "{Place} braces for second day of {thing}",
        ],
        Topic::Business => &[
            "{Org} confirms {thing}",
            "Markets slide as {thing} weighs on {place}",
            "{Surname} to step down after {thing}",
        ],
        Topic::Science => &[
            "New {thing} points to unexpected link",
            "{Org} team reports {thing} result",
            "Scientists in {place} question earlier {thing}",
        ],
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// 0 = Monday.
fn weekday(y: i64, m: usize, d: usize) -> usize {
    // days from civil (Howard Hinnant), 1970-01-01 was a Thursday
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    (days + 3).rem_euclid(7) as usize
}

fn fmt_int(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Ctx {
    fn new(rng: &mut Rng) -> Ctx {
        let topic = *rng.pick(&TOPICS);
        let n = 2 + rng.below(4);
        let ts = titles(topic);
        let mut people: Vec<Person> = Vec::new();
        while people.len() < n {
            let she = rng.chance(50);
            let first = if she {
                *rng.pick(FIRST_F)
            } else {
                *rng.pick(FIRST_M)
            };
            let last = *rng.pick(SURNAMES);
            if people.iter().any(|p| p.last == last) {
                continue;
            }
            people.push(Person {
                first,
                last,
                title: rng.pick(ts).to_string(),
                she,
            });
        }
        let place = if rng.chance(60) {
            rng.pick(REAL_PLACES).to_string()
        } else {
            rng.pick(INVENTED_PLACES).to_string()
        };
        let place2 = rng.pick(REAL_PLACES).to_string();
        let real = if topic == Topic::Politics && rng.chance(45) {
            Some((rng.below(VARIANTS.len()), rng.chance(35)))
        } else {
            None
        };
        Ctx {
            topic,
            year: rng.range(2019, 2026) as i64,
            month: rng.range(1, 12) as usize,
            day: rng.range(1, 28) as usize,
            place,
            place2,
            org: orgs(topic, rng),
            org2: orgs(topic, rng),
            people,
            real,
        }
    }

    fn date(&self, rng: &mut Rng) -> String {
        let m = rng.range(1, 12) as usize;
        let d = rng.range(1, 28) as usize;
        let y = self.year + rng.range(0, 1) as i64;
        if rng.chance(30) {
            // weekday with the date: right nine times in ten
            let wd = if rng.chance(90) {
                weekday(y, m, d)
            } else {
                rng.below(7)
            };
            format!("{}, {} {d}, {y}", WEEKDAYS[wd], MONTHS[m - 1])
        } else {
            format!("{} {d}, {y}", MONTHS[m - 1])
        }
    }

    fn fill(&self, tpl: &str, rng: &mut Rng) -> String {
        let mut out = String::with_capacity(tpl.len() + 32);
        let mut rest = tpl;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let j = rest[i..].find('}').map(|j| i + j).unwrap_or(rest.len() - 1);
            let key = &rest[i + 1..j];
            let p0 = &self.people[0];
            let v = match key {
                "place" => self.place.clone(),
                "Place" => cap(&self.place),
                "place2" => self.place2.clone(),
                "org" => self.org.clone(),
                "Org" => cap(self.org.trim_start_matches("the ")),
                "org2" => self.org2.clone(),
                "Org2" => cap(&self.org2),
                "thing" => rng.pick(things(self.topic)).to_string(),
                "Thing" => cap(rng.word(things(self.topic))),
                "Surname" => p0.last.to_string(),
                "region" => rng.pick(REGIONS).to_string(),
                "rel" => rng.pick(RELATIVE).to_string(),
                "weekday" => rng.pick(WEEKDAYS).to_string(),
                "month" => rng.pick(MONTHS).to_string(),
                "date" => self.date(rng),
                "num" => rng.range(2, 480).to_string(),
                "num2" => rng.range(2, 30).to_string(),
                "big" => fmt_int(rng.range(1_200, 95_000)),
                "pct" => format!("{}.{}", rng.range(0, 40), rng.range(0, 9)),
                "age" => rng.range(19, 84).to_string(),
                "temp" => rng.range(28, 46).to_string(),
                "minute" => rng.range(4, 89).to_string(),
                _ => key.to_string(),
            };
            out.push_str(&v);
            rest = &rest[j + 1..];
        }
        out.push_str(rest);
        out
    }

    fn quote(&self, rng: &mut Rng, sentences: usize) -> String {
        let lines = quote_lines(self.topic);
        let mut used = Vec::new();
        let mut q = String::new();
        while used.len() < sentences {
            let i = rng.below(lines.len());
            if used.contains(&i) {
                continue;
            }
            if !used.is_empty() {
                q.push_str(". ");
            }
            used.push(i);
            q.push_str(&self.fill(lines[i], rng));
        }
        q
    }

    /// A person's name as the story would write it: full with title the first time.
    fn name(&self, i: usize, introduced: &mut [bool], rng: &mut Rng) -> String {
        let p = &self.people[i];
        if !introduced[i] {
            introduced[i] = true;
            if rng.chance(50) {
                format!("{} {}", p.title, p.full())
            } else {
                format!("{}, {},", p.full(), with_article(&p.title))
            }
        } else {
            p.last.to_string()
        }
    }

    fn real_mention(&self, slip: &mut bool) -> Option<&'static str> {
        let (i, variant) = self.real?;
        let (good, bad) = VARIANTS[i];
        if variant && !*slip {
            *slip = true;
            Some(bad)
        } else {
            Some(good)
        }
    }
}

fn with_article(title: &str) -> String {
    let lower = title.to_lowercase();
    let an = matches!(lower.as_bytes()[0], b'a' | b'e' | b'i' | b'o' | b'u');
    format!("{} {lower}", if an { "an" } else { "a" })
}

fn trim_comma(s: &str) -> &str {
    s.strip_suffix(',').unwrap_or(s)
}

/// One news story: a headline, a dateline (or a byline, or neither), and 4 to 30
/// paragraphs of varied kinds and lengths.
pub fn story(seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let ctx = Ctx::new(&mut rng);
    let mut introduced = vec![false; ctx.people.len()];
    let mut slipped = false;
    let mut out = String::new();
    out.push_str(&ctx.fill(rng.word(headlines(ctx.topic)), &mut rng));
    out.push_str("\n\n");
    let month = MONTHS[ctx.month - 1];
    let dated = rng.below(10);
    let mut lead = String::new();
    if dated < 5 {
        let city = ctx.place.to_uppercase();
        lead.push_str(&format!(
            "{city}, {month} {} ({}) - ",
            ctx.day,
            rng.pick(AGENCIES)
        ));
    } else if dated < 8 {
        let f = *rng.pick(FIRST_F);
        let l = *rng.pick(SURNAMES);
        out.push_str(&format!(
            "By {f} {l}\n{month} {}, {}\n\n",
            ctx.day, ctx.year
        ));
    }
    // lead paragraph: the main person and the main thing
    let who = ctx.name(0, &mut introduced, &mut rng);
    let lead_tpl = rng.pick(&[
        "{who} on {weekday} defended the {thing}, saying it was the only way forward for {place}.",
        "{who} said {rel} that the {thing} would go ahead despite objections.",
        "The {thing} dominated the week in {place}, where {who} faced questions from all sides.",
        "{who} has been at the centre of the {thing} since it began.",
    ]);
    let lead_tpl = lead_tpl.replace("{who}", &who);
    lead.push_str(&cap(&ctx.fill(&lead_tpl, &mut rng)));
    if let Some(real) = ctx.real_mention(&mut slipped) {
        if real.contains(' ') {
            lead.push_str(&format!(" {real} was expected to comment later."));
        } else {
            lead.push_str(&format!(" The talks were followed closely in {real}."));
        }
    }
    out.push_str(&lead);
    out.push_str("\n\n");

    let paragraphs = 3 + rng.below(27);
    for _ in 0..paragraphs {
        let kind = rng.below(100);
        let mut para = String::new();
        let i = rng.below(ctx.people.len());
        let p = &ctx.people[i];
        if kind < 30 {
            // attributed quotation, in one of several shapes
            let k = 1 + rng.below(3);
            let q = ctx.quote(&mut rng, k);
            let n = ctx.name(i, &mut introduced, &mut rng);
            let verb = *rng.pick(SAID);
            match rng.below(6) {
                0 => para.push_str(&format!("\"{q},\" said {}.", trim_comma(&n))),
                1 => para.push_str(&format!("\"{q},\" {n} {verb}.")),
                2 => para.push_str(&format!(
                    "\"{q},\" {n} told {} {}.",
                    rng.pick(OUTLETS),
                    rng.pick(RELATIVE)
                )),
                3 => para.push_str(&format!("{} said: \u{201c}{q}.\u{201d}", cap(&n))),
                4 => {
                    let q2 = ctx.quote(&mut rng, 1);
                    para.push_str(&format!("\"{q},\" {n} said. \"{q2}.\""));
                }
                _ => {
                    let thing = rng.pick(things(ctx.topic));
                    para.push_str(&format!(
                        "{} described the {thing} as \"{}\" and said {} would say more {}.",
                        cap(&n),
                        rng.pick(&[
                            "a missed opportunity",
                            "long overdue",
                            "a step in the right direction",
                            "deeply troubling",
                            "historic",
                        ]),
                        p.pronoun(),
                        rng.pick(RELATIVE)
                    ));
                }
            }
        } else if kind < 36 {
            // a quotation no one in the text is said to have said
            let k = 1 + rng.below(2);
            let q = ctx.quote(&mut rng, k);
            if rng.chance(50) {
                para.push_str(&format!("\"{q}.\""));
            } else {
                para.push_str(&format!(
                    "The mood in {} was summed up in one phrase: \"{q}.\"",
                    ctx.place
                ));
            }
        } else if kind < 42 {
            // vague sourcing
            let s = ctx.fill(rng.word(narrative(ctx.topic)), &mut rng);
            let s = s.trim_end_matches('.');
            para.push_str(&format!("{s}, {}.", rng.pick(VAGUE)));
        } else if kind < 48 {
            // a pronoun-attributed quotation after a named one
            let q = ctx.quote(&mut rng, 1);
            if introduced[i] {
                para.push_str(&format!("\"{q},\" {} {}.", p.pronoun(), rng.pick(SAID)));
            } else {
                let n = ctx.name(i, &mut introduced, &mut rng);
                para.push_str(&format!(
                    "{} was not available for comment {}.",
                    cap(&n),
                    rng.pick(RELATIVE)
                ));
            }
        } else if kind < 52 {
            // a real entity, sometimes in the variant spelling
            match ctx.real_mention(&mut slipped) {
                Some(real) if real.contains(' ') => para.push_str(&format!(
                    "A spokesman for {real} said the {} had been discussed {}.",
                    rng.pick(things(ctx.topic)),
                    rng.pick(RELATIVE)
                )),
                Some(real) => para.push_str(&format!(
                    "Officials in {real} were briefed on the {} {}, an aide to the minister said.",
                    rng.pick(things(ctx.topic)),
                    rng.pick(RELATIVE)
                )),
                None => {
                    let s = ctx.fill(rng.word(narrative(ctx.topic)), &mut rng);
                    para.push_str(&s);
                }
            }
        } else {
            // narrative, one to six sentences, sometimes with a date
            let n = 1 + rng.below(6);
            let pool = narrative(ctx.topic);
            let mut used: Vec<usize> = Vec::new();
            for k in 0..n {
                if k > 0 {
                    para.push(' ');
                }
                if rng.chance(12) {
                    let d = ctx.date(&mut rng);
                    para.push_str(&format!(
                        "On {d}, {} {}.",
                        ctx.org,
                        rng.pick(&[
                            "published its annual figures",
                            "announced a review",
                            "held an emergency meeting",
                            "first raised the alarm",
                            "confirmed the timetable",
                        ])
                    ));
                } else if rng.chance(10) && introduced[i] {
                    para.push_str(&format!(
                        "{} has {} for {} years.",
                        if k == 0 { p.last } else { p.pronoun_cap() },
                        rng.pick(&[
                            "worked in the field",
                            "lived in the area",
                            "held the post",
                            "followed the issue",
                        ]),
                        rng.range(2, 30)
                    ));
                } else {
                    let mut j = rng.below(pool.len());
                    while used.contains(&j) {
                        j = (j + 1) % pool.len();
                    }
                    used.push(j);
                    para.push_str(&ctx.fill(pool[j], &mut rng));
                }
            }
        }
        out.push_str(&para);
        out.push_str("\n\n");
    }
    out
}

/// Stories one after another (seeds derived from `seed`) until `done` says so.
/// Stops at a paragraph boundary.
fn build(seed: u64, mut done: impl FnMut(&str) -> bool) -> String {
    let mut out = String::new();
    let mut k = 0u64;
    loop {
        let s = story(seed.wrapping_mul(1_000_003).wrapping_add(k));
        k += 1;
        for para in s.split_inclusive("\n\n") {
            out.push_str(para);
            if done(para) {
                while out.ends_with('\n') {
                    out.pop();
                }
                out.push('\n');
                return out;
            }
        }
    }
}

/// A document of at least `words` words (whitespace-separated), made of varied
/// stories one after another, ending at a paragraph boundary.
pub fn document(words: usize, seed: u64) -> String {
    let mut count = 0usize;
    build(seed, |para| {
        count += para.split_whitespace().count();
        count >= words
    })
}

/// A document of at least `bytes` bytes (UTF-8), made like [`document`].
pub fn document_bytes(bytes: usize, seed: u64) -> String {
    let mut len = 0usize;
    build(seed, |para| {
        len += para.len();
        len >= bytes
    })
}

#[cfg(test)]
mod tests {
    // Only the `newsgen` bench target runs these; where this file is a module of
    // another target built without the test harness, the imports go unused.
    #![allow(unused_imports)]
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn deterministic() {
        assert_eq!(story(7), story(7));
        assert_ne!(story(7), story(8));
        assert_eq!(document(5_000, 3), document(5_000, 3));
    }

    #[test]
    fn weekdays() {
        assert_eq!(weekday(1970, 1, 1), 3); // Thursday
        assert_eq!(weekday(2024, 3, 5), 1); // Tuesday
        assert_eq!(weekday(2000, 2, 29), 1); // Tuesday
    }

    #[test]
    fn sizes() {
        let d = document(10_000, 1);
        let w = d.split_whitespace().count();
        assert!((10_000..11_000).contains(&w), "{w}");
        let b = document_bytes(1_000_000, 1);
        assert!((1_000_000..1_010_000).contains(&b.len()), "{}", b.len());
    }

    #[test]
    fn varied() {
        let d = document(100_000, 42);
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let paras: Vec<&str> = d.split("\n\n").filter(|p| p.len() > 80).collect();
        for p in &paras {
            *seen.entry(p).or_default() += 1;
        }
        let distinct = seen.len() as f64 / paras.len() as f64;
        assert!(
            distinct > 0.95,
            "only {distinct:.3} of long paragraphs distinct"
        );
        for needle in ["Kiev", "Kyiv", "\u{201c}", "percent", "officials said"] {
            assert!(d.contains(needle), "{needle}");
        }
        let topics: Vec<Topic> = (0..60).map(|s| Ctx::new(&mut Rng::new(s)).topic).collect();
        for t in TOPICS {
            assert!(topics.contains(&t), "{t:?}");
        }
    }
}
