//! The text model built from the pieces kept of the last analysis (`TextMemo`) is the
//! one built from scratch, and so is the report: through random edits of corpus
//! stories and of a long document (typed characters, deletions, paragraph breaks made
//! and joined, repeated and moved paragraphs), in Markdown and plain text.

use std::path::Path;

#[path = "../fuzz/src/checks.rs"]
mod checks;

use copydesk::text::TextMemo;
use copydesk::{Format, Options, analyze_with_memo, analyze_with_threads};

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
        let (mut memo, mut report_memo) = (TextMemo::default(), TextMemo::default());
        for n in 0..edits {
            edit(&mut text, &mut rng);
            let what = format!("{what} ({format:?}), after edit {n}");
            same_document(&text, format, &mut memo, &what);
            if n % 8 == 0 {
                let one = analyze_with_memo(&text, &options, &mut report_memo);
                let two = analyze_with_threads(&text, &options, usize::MAX);
                assert!(
                    format!("{one:?}") == format!("{two:?}"),
                    "{what}: the reports differ"
                );
            }
        }
        assert!(!memo.is_empty());
    }
}

fn story(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(p).unwrap()
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
