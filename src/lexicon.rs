//! Word lists the recognizers share. Knowledge about particular entities lives in
//! data/kb; these are words of the language itself.

/// Words that are capitalised at the start of a sentence but never names.
pub const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "if", "in", "on", "at", "to", "of", "for", "from", "by",
    "with", "as", "after", "before", "during", "since", "until", "while", "when", "where", "why",
    "how", "what", "who", "which", "this", "that", "these", "those", "there", "here", "he", "she",
    "it", "they", "we", "i", "you", "his", "her", "its", "their", "our", "my", "your", "however",
    "meanwhile", "also", "still", "yet", "so", "then", "now", "today", "some", "many", "most",
    "all", "both", "each", "every", "other", "another", "such", "no", "not", "more", "less",
    "earlier", "later", "despite", "although", "though", "because", "according", "following",
    "faced", "only", "even", "just", "first", "second", "third", "last", "next", "news", "site",
    "other", "share", "read", "see", "photo", "video", "updated", "exit", "icon", "more", "over",
    "under", "about", "against", "between", "among", "into", "through", "across", "without",
    "within", "once", "again", "mr", "mrs", "ms", "dr", "sir", "dame", "do", "did", "does", "be",
    "is", "are", "was", "were", "will", "would", "can", "could", "may", "might", "must", "should",
    "shall", "has", "have", "had", "not", "nor", "than", "like", "unlike", "amid", "via", "per",
    "up", "down", "out", "off", "away", "back", "well", "very", "much", "any", "few", "several",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "healthy",
    "carrot", "all", "only", "verified", "poles", "don", "let", "let's", "yes", "oh",
];

/// Titles and ranks that come before a person's name.
pub const TITLES: &[&str] = &[
    "president", "vice", "prime", "minister", "secretary", "general", "chancellor", "king",
    "queen", "prince", "princess", "sheikh", "emir", "sultan", "pope", "cardinal", "bishop",
    "archbishop", "rev", "reverend", "father", "sister", "brother", "senator", "sen",
    "representative", "rep", "congressman", "congresswoman", "governor", "gov", "mayor",
    "deputy", "chief", "commander", "lieutenant", "lt", "colonel", "col", "major", "maj",
    "captain", "capt", "sergeant", "sgt", "corporal", "private", "admiral", "adm", "marshal",
    "field", "brigadier", "gen", "judge", "justice", "chairman", "chairwoman", "chair",
    "director", "ambassador", "envoy", "spokesman", "spokeswoman", "spokesperson", "coach",
    "manager", "professor", "prof", "dr", "mr", "mrs", "ms", "miss", "sir", "dame", "lord",
    "lady", "speaker", "councillor", "councilor", "councilman", "councilwoman", "alderman",
    "sheriff", "inspector", "detective", "officer", "constable", "superintendent", "commissioner",
    "executive", "ceo", "cfo", "chief", "head", "leader", "foreign", "defense", "defence",
    "interior", "finance", "health", "justice", "economy", "trade", "energy", "education",
    "culture", "agriculture", "labor", "labour", "transport", "environment", "attorney",
    "solicitor", "state", "undersecretary", "assistant", "associate", "senior", "acting",
    "former", "ex", "opposition", "rabbi", "imam", "patriarch", "metropolitan", "premier",
    "taoiseach", "dean", "provost", "rector", "principal", "superintendent", "striker",
    "midfielder", "defender", "goalkeeper", "forward", "winger", "quarterback", "nurse",
    "doctor", "chef", "author", "artist", "singer", "rapper", "actor", "actress", "host",
];

/// Last words that make a capitalised sequence an organisation.
pub const ORG_HEADS: &[&str] = &[
    "council", "ministry", "union", "party", "agency", "company", "inc", "corp", "corporation",
    "group", "bank", "committee", "court", "association", "university", "institute",
    "foundation", "authority", "office", "department", "commission", "federation", "league",
    "club", "army", "forces", "force", "service", "services", "navy", "guard", "police",
    "school", "college", "hospital", "board", "trust", "fund", "society", "organization",
    "organisation", "alliance", "coalition", "front", "movement", "network", "press", "times",
    "post", "news", "tribune", "herald", "journal", "television", "radio", "airlines",
    "airways", "motors", "energy", "holdings", "partners", "ltd", "llc", "plc", "gmbh", "sa",
    "ag", "co", "industries", "systems", "technologies", "labs", "museum", "library", "centre",
    "center", "church", "parliament", "assembly", "senate", "congress", "cabinet", "government",
    "administration", "directorate", "bureau", "secretariat", "brigade", "battalion",
    "regiment", "division", "corps", "command", "fc", "united", "city", "rovers", "wanderers",
];

/// Last words that make a capitalised sequence a place.
pub const PLACE_HEADS: &[&str] = &[
    "street", "st", "avenue", "road", "square", "bridge", "river", "lake", "mountain",
    "mountains", "island", "islands", "county", "province", "region", "oblast", "district",
    "valley", "bay", "sea", "ocean", "peninsula", "desert", "forest", "park", "airport",
    "port", "harbor", "harbour", "village", "town", "state", "territory", "coast", "gulf",
    "strait", "canal", "heights", "hills", "plain", "highway", "boulevard", "station",
];

pub const MONTHS: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
];

pub const WEEKDAYS: &[&str] = &[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
];

pub fn contains(list: &[&str], folded: &str) -> bool {
    list.contains(&folded)
}
