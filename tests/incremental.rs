//! The text model built from the pieces kept of the last analysis (`TextMemo`) is the
//! one built from scratch, and so is the report that reuses what the last analysis
//! kept (`Memo`: the text model's pieces, each paragraph's dates and paragraph-rule
//! findings): after every one of random edits of corpus stories and of a long
//! document (typed characters, deletions, paragraph breaks made and joined, repeated
//! and moved paragraphs), in Markdown and plain text, and when the dateline or the
//! rules' settings change between analyses.

use std::path::Path;

#[path = "../fuzz/src/checks.rs"]
mod checks;

use copydesk::report::Severity;
use copydesk::text::TextMemo;
use copydesk::{Format, Memo, Options, RuleSetting, analyze_with_memo, analyze_with_threads};

/// A small deterministic generator (xorshift64*), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One random edit of `text`.
fn edit(text: &mut String, rng: &mut Rng) {
    const INSERTS: &[&str] = &[
        "a",
        "K",
        " ",
        ".",
        ",",
        "\n",
        "\n\n",
        "“",
        "”",
        "\"",
        "'",
        "’s",
        "é",
        "Kyiv ",
        "said ",
        "on Friday ",
        "1,200 ",
        "Dr. ",
        "\n\n# Heading\n\n",
        "`code` ",
        "—",
        // Markdown that reads beyond the line it is typed in: a fence, a link
        // reference, a list, a quotation block, a rule or a heading's underline, a
        // table, HTML, indentation, a link and its target
        "```\n",
        "\n[ref]: https://example.org/x\n",
        "[ref] ",
        "- ",
        "1. ",
        "> ",
        "\n---\n",
        "\n===\n",
        "***",
        "| a | b |\n|---|---|\n",
        "<div>\n",
        "<!-- ",
        " -->",
        "    ",
        "  ",
        "\t",
        "[a link](http://example.com/a) ",
        "*",
        "www.example.org ",
        "\r\n",
    ];
    let at = boundary(text, rng.below(text.len() + 1));
    match rng.below(10) {
        0..=4 => text.insert_str(at, INSERTS[rng.below(INSERTS.len())]),
        5..=6 => {
            let end = boundary(text, at + 1 + rng.below(4));
            text.replace_range(at..end.max(at), "");
        }
        7 => {
            // join two paragraphs, or split one
            if let Some(i) = text[at..].find("\n\n") {
                text.replace_range(at + i..at + i + 2, " ");
            } else {
                text.insert_str(at, "\n\n");
            }
        }
        _ => {
            // repeat a paragraph somewhere else (the same piece twice)
            let paras: Vec<&str> = text.split("\n\n").collect();
            let p = paras[rng.below(paras.len())].to_string();
            let to = text.find("\n\n").map_or(text.len(), |i| {
                let mut k = i;
                for _ in 0..rng.below(5) {
                    match text[k + 2..].find("\n\n") {
                        Some(j) => k = k + 2 + j,
                        None => break,
                    }
                }
                k
            });
            text.insert_str(to, &format!("\n\n{p}"));
        }
    }
}

fn same_document(text: &str, format: Format, memo: &mut TextMemo, what: &str) {
    checks::check_memo_document(text, format, memo, what);
}

fn same_report(text: &str, options: &Options, memo: &mut Memo, what: &str) {
    let one = analyze_with_memo(text, options, memo);
    let two = analyze_with_threads(text, options, usize::MAX);
    assert!(
        format!("{one:?}") == format!("{two:?}"),
        "{what}: the reports differ"
    );
}

/// Each text in turn through one memo, each report against one from scratch.
fn same_reports_in_turn(texts: &[&str], options: &Options) {
    let mut memo = Memo::default();
    for (i, text) in texts.iter().enumerate() {
        same_report(text, options, &mut memo, &format!("step {i}"));
    }
}

/// The words of each finding of `rule` in `text`, analysed from scratch.
fn findings(text: &str, rule: &str) -> Vec<String> {
    analyze_with_threads(text, &Options::default(), usize::MAX)
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| text[d.span.clone()].to_string())
        .collect()
}

fn run(start: &str, seed: u64, edits: usize, what: &str) {
    let kb = copydesk::kb::KnowledgeBase::embedded();
    for format in [Format::Markdown, Format::PlainText] {
        let options = Options {
            format,
            kb: kb.clone(),
            ..Options::default_without_kb()
        };
        let mut rng = Rng(seed);
        let mut text = start.to_string();
        let (mut memo, mut report_memo) = (TextMemo::default(), Memo::default());
        for n in 0..edits {
            edit(&mut text, &mut rng);
            let what = format!("{what} ({format:?}), after edit {n}");
            same_document(&text, format, &mut memo, &what);
            // every edit, and now and then two at once (as when typing outpaces
            // the analysis)
            if n % 5 != 3 {
                same_report(&text, &options, &mut report_memo, &what);
            }
        }
        assert!(!memo.is_empty());
        // most edits change the last model in place
        assert!(
            memo.spliced() > edits / 3,
            "{what} ({format:?}): {}",
            memo.spliced()
        );
    }
}

fn story(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(p).unwrap()
}

/// The default options, for plain text.
fn plain_text() -> Options {
    Options {
        format: Format::PlainText,
        ..Options::default()
    }
}

/// Plain-text options, and a memo that has analysed `base` once (against the
/// report from scratch).
fn plain_text_start(base: &str) -> (Options, Memo) {
    let options = plain_text();
    let mut memo = Memo::default();
    same_report(base, &options, &mut memo, "start");
    (options, memo)
}

/// A corpus story, a generator seeded for it and a memo that has analysed it once
/// (against the report from scratch).
fn story_and_memo(name: &str, seed: u64, options: &Options) -> (String, Rng, Memo) {
    let text = story(name);
    let mut memo = Memo::default();
    same_report(&text, options, &mut memo, name);
    (text, Rng(seed), memo)
}

#[test]
fn edits_of_stories_give_the_text_model_and_report_from_scratch() {
    for (i, name) in [
        "tests/corpus/q01-council-budget.md",
        "tests/corpus/n06-nato-hague-summit.md",
        "tests/corpus/d01-earthquake-response.txt",
        "seeds/000_2c4b3c25a951bc1f.txt",
    ]
    .iter()
    .enumerate()
    {
        run(&story(name), 0x9E37_79B9 + i as u64, 120, name);
    }
}

#[test]
fn edits_of_a_long_document_give_the_text_model_and_report_from_scratch() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    let long: Vec<String> = names
        .iter()
        .take(12)
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    run(&long.join("\n\n"), 7, 60, "twelve stories");
}

#[test]
fn a_memo_kept_for_one_format_is_not_used_for_the_other() {
    let text = "# Kiev\n\nOfficials said on Friday that 1,200 people left Kiev.\n";
    let mut memo = TextMemo::default();
    same_document(text, Format::Markdown, &mut memo, "markdown");
    same_document(text, Format::PlainText, &mut memo, "plain text");
    same_document(text, Format::Markdown, &mut memo, "markdown again");
}

#[test]
fn a_memo_follows_the_dateline_and_the_rule_settings() {
    let story = "# Flood barrier to open\n\nThe barrier cost $40 million and protects 12,000 homes, officials said on Thursday.\n\n\"It will hold,\" the engineer said.\n";
    let kb = copydesk::kb::KnowledgeBase::embedded();
    let plain = Options {
        kb: kb.clone(),
        ..Options::default_without_kb()
    };
    let dated = Options {
        dateline: Some("2025-03-06".parse().unwrap()),
        ..plain.clone()
    };
    let mut off = plain.clone();
    off.rules.insert(
        "undated-claim".into(),
        RuleSetting {
            enabled: Some(false),
            severity: None,
        },
    );
    let mut louder = plain.clone();
    louder.rules.insert(
        "undated-claim".into(),
        RuleSetting {
            enabled: None,
            severity: Some(Severity::Error),
        },
    );
    let mut memo = Memo::default();
    let mut text = story.to_string();
    for (i, options) in [
        &plain, &dated, &plain, &off, &plain, &louder, &dated, &off, &louder,
    ]
    .into_iter()
    .enumerate()
    {
        same_report(&text, options, &mut memo, &format!("setting {i}"));
        // and a change between them
        text.insert_str(text.len() - 1, " Really.");
        same_report(&text, options, &mut memo, &format!("setting {i}, edited"));
    }
    // a dateline written into the story itself
    let datelined = format!("date 2025-03-06\n\n{text}");
    same_report(&datelined, &plain, &mut memo, "dateline typed in");
    same_report(&text, &plain, &mut memo, "dateline taken out");
}

/// What the names pass keeps of a paragraph holds for one knowledge base: another
/// (the house style's preferences, no entities at all) finds other names in the
/// same words.
#[test]
fn a_memo_follows_the_knowledge_base() {
    use copydesk::kb::{HouseStyle, KnowledgeBase};
    let story = "# Talks in Kiev\n\nPresident Volodymyr Zelensky met Recep Tayyip Erdogan in Kyiv on Monday, officials said.\n\n\"We talked,\" Zelensky said.\n";
    let embedded = Options::default();
    let kiev = Options {
        kb: std::sync::Arc::new(KnowledgeBase::build(
            KnowledgeBase::embedded_data(),
            &HouseStyle {
                prefer: vec!["Kiev".into()],
                ..Default::default()
            },
        )),
        ..Options::default()
    };
    let none = Options::default_without_kb();
    let variants = |options: &Options| {
        analyze_with_threads(story, options, usize::MAX)
            .diagnostics
            .iter()
            .map(|d| format!("{} {}", d.rule, &story[d.span.clone()]))
            .collect::<Vec<_>>()
    };
    assert_ne!(variants(&embedded), variants(&kiev));
    assert_ne!(variants(&embedded), variants(&none));
    let mut memo = Memo::default();
    let mut text = story.to_string();
    for (i, options) in [&embedded, &kiev, &embedded, &none, &kiev, &none, &embedded]
        .into_iter()
        .enumerate()
    {
        same_report(&text, options, &mut memo, &format!("knowledge base {i}"));
        text.insert_str(text.len() - 1, " Really.");
        same_report(
            &text,
            options,
            &mut memo,
            &format!("knowledge base {i}, edited"),
        );
    }
}

/// What a paragraph's findings depend on beyond its own text: a quotation that
/// runs into it from the paragraph before, and whether it is the story's first
/// paragraph (an unpunctuated first paragraph is a headline, its figures the
/// story's news).
#[test]
fn a_memo_follows_what_a_paragraph_depends_on_beyond_its_text() {
    // a quotation that runs on from the paragraph before
    let second = "“The union has about 4,000 members in all,” she said, “and it grows.\n";
    let steps = [
        format!("“We have grown.\n\n{second}"),
        format!("We have grown.\n\n{second}"),
        format!("“We have grown.\n\n{second}"),
    ];
    let headline = "City council says the new budget will cost taxpayers about 40 million dollars overall\n\nText follows.\n";
    let pushed_down = format!("A new first paragraph.\n\n{headline}");
    assert_ne!(
        findings(headline, "undated-claim"),
        findings(&pushed_down, "undated-claim")
    );
    let mut texts: Vec<&str> = steps.iter().map(String::as_str).collect();
    texts.extend([headline, &pushed_down, headline]);
    same_reports_in_turn(&texts, &Options::default());
}

/// A paragraph rule that reads the names sees the mentions in its paragraph, and
/// those can change with another paragraph: "Brightwater" opening a sentence is a
/// name once the story has named Brightwater Steel, and a lone common word before.
#[test]
fn a_memo_follows_the_names_a_paragraph_rule_reads() {
    let later = "Brightwater officials said the plant would close.\n";
    let named = format!("Brightwater Steel said on Monday that it would cut 300 jobs.\n\n{later}");
    let unnamed = format!("The company said on Monday that it would cut 300 jobs.\n\n{later}");
    assert_ne!(
        findings(&named, "vague-attribution"),
        findings(&unnamed, "vague-attribution")
    );
    same_reports_in_turn(&[&named, &unnamed, &named, &unnamed], &Options::default());
}

/// A quotation's kind can depend on the word after it, and when the quotation ends
/// its paragraph that word is in the next one: the memo keeps only the kinds of
/// quotations with words after them in their own paragraph.
#[test]
fn a_memo_follows_the_word_after_a_quotation() {
    let options = Options::default();
    let kinds = |text: &str| {
        analyze_with_threads(text, &options, usize::MAX)
            .quotes
            .iter()
            .map(|q| q.kind)
            .collect::<Vec<_>>()
    };
    let first = "The ministry launched “Clean Water Forever”\n\n";
    let title = format!("{first}campaign staff said it would run all year.\n");
    let term = format!("{first}Staff said it would run all year.\n");
    assert_ne!(kinds(&title), kinds(&term));
    same_reports_in_turn(&[&title, &term, &title], &options);
}

#[test]
fn a_line_typed_blank_or_inside_front_matter_gives_the_text_model_from_scratch() {
    for format in [Format::Markdown, Format::PlainText] {
        let mut memo = TextMemo::default();
        // the changed line turns blank and splits a paragraph in two
        for text in [
            " Kab\r\n\r\n\nx y\r\n”\nKa' \t",
            " Kab\r\n\r\n\nx y\r\n\nKa' \t",
            " Kab\r\n\r\n\nx y\r\n”\nKa' \t",
        ] {
            same_document(text, format, &mut memo, "blank line");
        }
        // a story that is all front matter, typed in at its end
        let mut memo = TextMemo::default();
        for text in [
            "---\n\n\r- |---.1. \n\n\"x y[ab\n---",
            "---\n\n\r- |---.1. \n\n\"x y[ab\n---",
            "---\n\n\r- |---.1. \n\n\"x y[abc\n---",
            "---\n\n\r- |---.1. \n\n\"x y[abc\n---\nBody.",
            "---\n\n\r- |---.1. \n\n\"x y[abc\n---\nBody!",
        ] {
            same_document(text, format, &mut memo, "front matter");
        }
    }
}

#[test]
fn typing_that_changes_how_later_quotations_read_gives_them_from_scratch() {
    let british = "Intro.\n\n‘We are not done yet,’ she said.\n\n‘Every role we keep must last.\n\nNext, the board owed fans ‘a proper account of where it went.\n\nEnd.";
    let carried =
        "Intro.\n\n“First part of it.\n\n“Second part,” he said.\n\nAfter “that” came more.";
    for format in [Format::Markdown, Format::PlainText] {
        let mut memo = TextMemo::default();
        for text in [
            british.to_string(),
            // the first quotation left open: the story no longer quotes with ‘ ’
            british.replacen("yet,’", "yet,", 1),
            british.to_string(),
            british.replacen("Intro.", "Intro!", 1),
            carried.to_string(),
            // the quotation no longer goes on into the next paragraph, and again
            carried.replacen("it.\n\n“Second", "it.\n\nSecond", 1),
            carried.to_string(),
            carried.replacen("First", "Firsts", 1),
            carried.replacen("First part of it.", "First part of it,” he said.", 1),
        ] {
            same_document(&text, format, &mut memo, &format!("{text:?}"));
        }
    }
}

/// Typing that keeps the story's names and quotations as they were keeps the
/// attributions of the quotations away from it (`Memo::attributions_kept`); typing
/// that changes a name, a quotation, or what a speaker or a pronoun reads has them
/// found again. Every report is the one from scratch.
#[test]
fn attributions_are_kept_away_from_typing_and_found_again_near_it() {
    let pieces = [
        "e",
        "s",
        " ",
        "\n\n",
        "“",
        "”",
        ".",
        ", ",
        " he said",
        " she said",
        " Smith",
        " Kyiv",
        " Olena Bondar",
        " the minister said",
        ": ",
        "They ",
        " according to officials",
        " Department of Health",
        "\n\n“We will",
        ",” he said.",
    ];
    let options = plain_text();
    let mut kept = 0;
    for (i, name) in [
        "tests/corpus/q01-council-budget.md",
        "tests/corpus/d01-earthquake-response.txt",
        "seeds/000_2c4b3c25a951bc1f.txt",
        "seeds/003_9b13e29202cecbc7.txt",
    ]
    .iter()
    .enumerate()
    {
        let (mut text, mut rng, mut memo) = story_and_memo(name, 0x5DEE_CE66 + i as u64, &options);
        for step in 0..40 {
            let at = boundary(&text, rng.below(text.len() + 1));
            if rng.below(4) == 0 {
                let end = boundary(&text, at + rng.below(12));
                text.replace_range(at..end.max(at), "");
            } else {
                text.insert_str(at, pieces[rng.below(pieces.len())]);
            }
            same_report(&text, &options, &mut memo, &format!("{name}, step {step}"));
            kept += memo.attributions_kept();
        }
    }
    assert!(kept > 100, "only {kept} attributions kept");
    // a speaker named again near the quotation, a pronoun's antecedent renamed, a
    // quotation opened or closed, an organisation's first mention changed: each
    // step against the report from scratch
    let base = "Officials met on Monday.\n\nMaria Okafor leads the county Department of Health. She spoke first.\n\n“We are ready,” she said.\n\nThe Department of Health said: “Supplies are low.”\n\nLater, “nobody knows,” said Okafor.\n\nEnd of the day.";
    let mut memo = Memo::default();
    for text in [
        base.to_string(),
        base.replacen("Maria Okafor", "Maria Okafor-Reyes", 1),
        base.replacen("She spoke", "He spoke", 1),
        base.replacen("county Department", "state Department", 1),
        base.replacen("“Supplies are low.”", "“Supplies are low.", 1),
        base.replacen("Officials met", "Officials, “angry,” met", 1),
        base.replacen("End of the day.", "End of the day, she said.", 1),
        base.to_string(),
    ] {
        same_report(&text, &options, &mut memo, &format!("{text:?}"));
    }
}

/// Typing within a plain word keeps the names of the analysis before
/// (`entities::LastNames`); typing that touches a name, a title, a word joined to
/// a name by a hyphen, a pronoun or a speech verb finds them again. Every step
/// against the report from scratch.
#[test]
fn names_are_kept_while_typing_plain_words_and_found_again_near_names() {
    let base = "Officials met in Kyiv on Monday.\n\nThe mayor said: “We will meet Dmytro Kuleba\n\nMaria Okafor-aFissaeho, the county health director, said the supplies were low. She spoke first.\n\nThe minister Dmytro Kuleba said the talks would go on.\n\nLater the council voted to keep the clinic open, “for now at least";
    let (options, mut memo) = plain_text_start(base);
    // (insertion point, text typed there one character at a time, and for each
    // character after the first whether the names are kept (k), found again (-) or
    // either (?): the first has no fingerprint of its paragraph from the analysis
    // before)
    let cases: [(&str, &str, &str); 15] = [
        ("the clinic", "xyz", "kk"),
        // white space after a name that ends its paragraph, inside an open
        // quotation; after a name within a paragraph; before a name
        ("Dmytro Kuleba", "   ", "kk"),
        ("The minister ", "  ", "k"),
        // inside a quotation left open at the end: it grows with the typing
        ("for now at least", "xyz", "kk"),
        // white space after a paragraph's last word
        ("She spoke first.", "  ", "k"),
        ("supplies were", "zq", "k"),
        // a word joined to a name, a place name, a title
        ("Okafor-aFissaeho", "ee", "-"),
        ("Kyiv", "ss", "-"),
        ("The minister", "ial", "--"),
        // a new word among plain ones: "h", kept; then the pronoun "he"
        ("She spoke", " he", "k-"),
        ("voted", "xx", "k"),
        // a new word among plain ones, then (unchecked) "sa" and "sai", then the
        // speech verb "said"
        ("council", " said", "k??-"),
        // a function word, and a word that begins known names ("a", "an"), typed
        // among plain words
        ("supplies were", " and", "kkk"),
        // a comma after a plain word, then a word after it
        ("the talks", ", so", "kkk"),
        // a new word between two that are not plain: "said" and "the"
        ("director, said", " x", "-"),
    ];
    let mut kept = 0;
    for (word, typed, keeps) in cases {
        let mut text = base.to_string();
        let mut at = text.find(word).unwrap() + word.len();
        for (i, c) in typed.chars().enumerate() {
            text.insert(at, c);
            at += c.len_utf8();
            same_report(&text, &options, &mut memo, &format!("{word} + {c}"));
            match keeps.as_bytes().get(i.wrapping_sub(1)) {
                Some(b'k') => {
                    assert!(memo.names_kept(), "{word} + {i}th character: not kept");
                    kept += 1;
                }
                Some(b'-') => assert!(!memo.names_kept(), "{word} + {i}th character: kept"),
                _ => {}
            }
        }
        // and back to the start
        same_report(base, &options, &mut memo, &format!("{word}: back"));
    }
    // white space typed right after a name, once a change elsewhere in its
    // paragraph has left a fingerprint of it to compare with: within the paragraph,
    // and where the name ends an open quotation and the paragraph
    for (elsewhere, name) in [("the talks", "Kuleba said"), ("will meet", "Kuleba\n")] {
        same_report(base, &options, &mut memo, "start");
        let mut text = base.to_string();
        text.insert(text.find(elsewhere).unwrap() + 3, 'x');
        same_report(&text, &options, &mut memo, elsewhere);
        text.insert(text.find(name).unwrap() + "Kuleba".len(), ' ');
        same_report(&text, &options, &mut memo, name);
        assert!(memo.names_kept(), "a space after {name:?}: not kept");
        kept += 1;
    }
    assert!(kept >= 6);
}

/// A comma typed right after a name, where the pass reads it (an appositive
/// follows: a person), finds the names again; one typed after a plain word keeps
/// them.
#[test]
fn a_comma_after_a_name_finds_the_names_again() {
    let base = "Officials met on Monday.\n\nLater Renata Voss visited the clinic at night.\n";
    let (options, mut memo) = plain_text_start(base);
    // (a change in the paragraph first, for a fingerprint of it to compare with)
    let mut text = base.replace("clinic", "clinics");
    same_report(&text, &options, &mut memo, "clinics");
    text = text.replace("at night", "at, night");
    same_report(&text, &options, &mut memo, "a comma after a plain word");
    assert!(memo.names_kept(), "a comma after a plain word: not kept");
    // (after the space: the change touches no mention)
    text = text.replace("Voss visited", "Voss , visited");
    same_report(&text, &options, &mut memo, "a comma after a name");
    assert!(!memo.names_kept(), "a comma after a name: kept");
}

/// A `publishDiagnostics` body that copies from the document's last one
/// (`publish_body` with `last`) is byte for byte the one serialized whole: after
/// every one of random edits of stories (line breaks made and taken out, `\r\n`,
/// characters of two and three bytes), in each position encoding; and when the
/// encoding or the document changes between them. Typed characters leave most
/// diagnostics to be copied.
#[test]
fn publishes_copy_from_the_last_only_what_an_edit_left_as_it_was() {
    use copydesk::lsp::{Analysis, Published, publish_body};
    use copydesk::position::{Encoding, LineIndex};
    use std::sync::Arc;
    let options = Options::default();
    let analysis = |text: &str, version: i32| {
        Arc::new(Analysis {
            version,
            rev: version as u64,
            index: LineIndex::new(text),
            report: analyze_with_threads(text, &options, usize::MAX),
            text: text.into(),
            options: options.clone(),
        })
    };
    let a: tower_lsp_server::ls_types::Uri = "file:///news/a.md".parse().unwrap();
    let b: tower_lsp_server::ls_types::Uri = "file:///news/b.md".parse().unwrap();
    let encodings = [Encoding::Utf16, Encoding::Utf8, Encoding::Utf32];
    let (mut copied, mut total) = (0, 0);
    for (i, name) in [
        "tests/corpus/q01-council-budget.md",
        "tests/corpus/d01-earthquake-response.txt",
        "seeds/000_2c4b3c25a951bc1f.txt",
    ]
    .iter()
    .enumerate()
    {
        let mut rng = Rng(0x5EED + i as u64);
        let mut text = story(name);
        let mut last: Option<Published> = None;
        for n in 0..150 {
            edit(&mut text, &mut rng);
            let an = analysis(&text, n);
            // now and then another encoding or another document
            let enc = encodings[usize::from(n % 37 == 36) + usize::from(n % 53 == 52)];
            let uri = if n % 41 == 40 { &b } else { &a };
            let whole = publish_body(uri, &an, enc, None).unwrap();
            let next = publish_body(uri, &an, enc, last.as_ref()).unwrap();
            assert!(
                whole.body() == next.body(),
                "{name}, after edit {n}: the copied body differs\n{}\n{}",
                String::from_utf8_lossy(whole.body()),
                String::from_utf8_lossy(next.body())
            );
            last = Some(next);
        }
        // typing: a character at a time, in the middle of the story
        let mut at = text[..text.len() / 2].rfind(' ').unwrap_or(0);
        for (n, c) in "Officials said on Friday that Kiev’s mayor “would stay”.\nIt rained."
            .chars()
            .enumerate()
        {
            text.insert(at, c);
            at += c.len_utf8();
            let an = analysis(&text, 1000 + n as i32);
            let next = publish_body(&a, &an, Encoding::Utf16, last.as_ref()).unwrap();
            assert!(
                publish_body(&a, &an, Encoding::Utf16, None).unwrap().body() == next.body(),
                "{name}, typed {n}: the copied body differs"
            );
            let (c, t) = next.copied();
            copied += c;
            total += t;
            last = Some(next);
        }
    }
    assert!(
        copied * 10 > total * 8,
        "typing copied only {copied} of {total} diagnostics"
    );
}

/// What an analysis replaced of the memo (the names and attributions of the one
/// before) waits in it for the caller to free (`Memo::take_retired`), as the server
/// does after publishing; one left there is freed by the next analysis. Either
/// way, the reports are those from scratch.
#[test]
fn what_an_analysis_replaced_waits_for_the_caller_to_free() {
    let options = Options {
        format: Format::PlainText,
        ..Options::default()
    };
    let mut text = story("seeds/003_9b13e29202cecbc7.txt");
    let mut memo = Memo::default();
    same_report(&text, &options, &mut memo, "first");
    assert!(memo.take_retired().is_empty(), "nothing before the first");
    for (i, c) in "Later Kyiv said".chars().enumerate() {
        let at = text.find("\n\n").unwrap_or(text.len());
        text.insert(at, c);
        same_report(&text, &options, &mut memo, &format!("change {i}"));
        if i % 2 == 0 {
            let retired = memo.take_retired();
            assert!(!retired.is_empty(), "change {i}: the attributions before");
            assert!(memo.take_retired().is_empty(), "change {i}: taken");
        }
    }
}

/// Typing as a reporter does, a character at a time, gives the report from scratch
/// after every character, most of them with the names kept from the analysis
/// before: words typed in and taken out again at random places of corpus stories,
/// among them the words the names pass reads in some places and not in others
/// (function words, the first words of known names, titles, pronouns, speech verbs,
/// heads of names, capitalised words, figures, marks).
#[test]
fn words_typed_and_taken_out_give_the_report_from_scratch() {
    const WORDS: &[&str] = &[
        "a",
        "an",
        "the",
        "of",
        "to",
        "will",
        "may",
        "and",
        "ho",
        "thi",
        "east",
        "school",
        "council",
        "he",
        "she",
        "her",
        "said",
        "told",
        "minister",
        "former",
        "van",
        "de",
        "x",
        "quickly",
        "Kyiv",
        "Kiev",
        "Maria",
        "Ukrainian",
        "March",
        "4,000",
        ",",
        ".",
        "ancient",
        "empire",
    ];
    const STORIES: [&str; 8] = [
        "tests/corpus/q01-council-budget.md",
        "tests/corpus/n14-grain-corridor-kiev.txt",
        "tests/corpus/d05-pharma-recall.txt",
        "tests/corpus/q09-drought-farmers.md",
        "tests/corpus/n06-nato-hague-summit.md",
        "tests/corpus/q15-bridge-closure.md",
        "tests/corpus/d12-polling.txt",
        "seeds/001_71a02698f07e61a3.txt",
    ];
    let options = plain_text();
    let (mut kept, mut steps) = (0, 0);
    for (s, name) in STORIES.iter().enumerate() {
        let (mut text, mut rng, mut memo) = story_and_memo(name, 0xC0DE + s as u64, &options);
        for n in 0..40 {
            // a space or a line break: the word typed after it, then a space (it
            // runs into the next word until then), or before it after a space
            let blanks: Vec<usize> = text
                .char_indices()
                .filter(|&(i, c)| i > 0 && (c == ' ' || c == '\n'))
                .map(|(i, _)| i)
                .collect();
            let blank = blanks[rng.below(blanks.len())];
            let word = WORDS[rng.below(WORDS.len())];
            let (at, typed) = if rng.below(2) == 0 {
                (blank + 1, format!("{word} "))
            } else {
                (blank, format!(" {word}"))
            };
            let what = |i: usize| format!("{name}: word {n} ({typed:?} at {at}), character {i}");
            let mut end = at;
            for (i, c) in typed.chars().enumerate() {
                text.insert(end, c);
                end += c.len_utf8();
                same_report(&text, &options, &mut memo, &what(i));
                kept += memo.names_kept() as usize;
                steps += 1;
            }
            // and every other word taken out again from its end, a character at a time
            if n % 2 == 1 {
                while end > at {
                    let c = text[..end].chars().next_back().unwrap();
                    end -= c.len_utf8();
                    text.remove(end);
                    same_report(&text, &options, &mut memo, &what(end - at));
                    kept += memo.names_kept() as usize;
                    steps += 1;
                }
            }
        }
    }
    // (not a vacuous check: the names were kept often)
    assert!(kept * 4 > steps, "kept {kept} of {steps}");
}
