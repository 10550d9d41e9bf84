//! `analyze` on two threads gives the same report as on one: for every corpus story,
//! seed and fuzz input (forced onto two threads whatever their size), and for long
//! documents made of them. The one-thread path runs every rule with the whole
//! context, so a rule that declares `Needs::Text` but reads the names, or
//! `Needs::Entities` but reads the dates, kinds or attributions, would show here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

#[path = "../fuzz/src/checks.rs"]
mod checks;

use copydesk::report::Severity;
use copydesk::text::{Document, PARALLEL_MIN_BYTES};
use copydesk::{Format, Options, RuleSetting, analyze_with_memo_threads, analyze_with_threads};

fn files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["tests/corpus", "seeds", "fuzz/corpus/analyze"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if matches!(p.extension().and_then(|x| x.to_str()), Some("txt" | "md"))
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().ends_with("CONVENTIONS.md"))
                && !p.ends_with("README.md")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    assert!(out.len() > 60, "found only {} stories", out.len());
    out
}

/// The text of every story `files` gives, in its order.
fn stories() -> Vec<String> {
    files()
        .iter()
        .map(|f| String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned())
        .collect()
}

fn options(format: Format, kb: &Arc<copydesk::kb::KnowledgeBase>) -> Options {
    Options {
        format,
        kb: kb.clone(),
        ..Options::default_without_kb()
    }
}

fn same(text: &str, what: &str, kb: &Arc<copydesk::kb::KnowledgeBase>) {
    for format in [Format::Markdown, Format::PlainText] {
        let o = options(format, kb);
        let one = analyze_with_threads(text, &o, usize::MAX);
        let two = analyze_with_threads(text, &o, 0);
        // Report has no PartialEq: its Debug form shows every field
        let (one, two) = (format!("{one:#?}"), format!("{two:#?}"));
        assert!(one == two, "{what} ({format:?}): the reports differ");
        let d1 = Document::with_threads(text, format, usize::MAX);
        let d2 = Document::with_threads(text, format, 0);
        checks::check_same_document(&d1, &d2, &format!("{what} ({format:?})"));
    }
}

#[test]
fn every_story_gives_the_same_report_on_two_threads() {
    let kb = copydesk::kb::KnowledgeBase::embedded();
    for f in files() {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        same(&text, &f.display().to_string(), &kb);
    }
}

#[test]
fn long_documents_give_the_same_report_on_two_threads() {
    let kb = copydesk::kb::KnowledgeBase::embedded();
    let stories = stories();
    // every story once, in two orders, and with no blank line between stories
    let all = stories.join("\n\n");
    assert!(all.len() > 4 * PARALLEL_MIN_BYTES);
    same(&all, "all stories", &kb);
    let reversed: Vec<&str> = stories.iter().rev().map(String::as_str).collect();
    same(&reversed.join("\n\n"), "all stories, reversed", &kb);
    same(
        &stories.join("\n"),
        "all stories, one line break apart",
        &kb,
    );
}

#[test]
fn a_document_without_paragraph_breaks_stays_whole() {
    // one long line: no paragraph to split at, the same report either way
    let kb = copydesk::kb::KnowledgeBase::embedded();
    let line = "Officials said on Friday that 1,200 people had left Kiev. ".repeat(600);
    same(&line, "one line", &kb);
}

#[test]
fn a_memo_filled_on_two_threads_serves_the_next_analysis() {
    // the server's first analysis of a long story runs on two threads and fills the
    // memo (the quotations' kinds found on both); the typed changes after it, on
    // one, take what it kept and must give the report from scratch
    let kb = copydesk::kb::KnowledgeBase::embedded();
    let stories = stories();
    let all = stories.join("\n\n");
    for format in [Format::Markdown, Format::PlainText] {
        let o = options(format, &kb);
        for (what, text) in [("all stories", all.as_str()), ("a story", &stories[3])] {
            let mut memo = copydesk::Memo::default();
            let first = analyze_with_memo_threads(text, &o, &mut memo, 0);
            let scratch = analyze_with_threads(text, &o, usize::MAX);
            assert_eq!(format!("{first:#?}"), format!("{scratch:#?}"), "{what}");
            // a word typed at the end of the first paragraph, then at the story's end
            let at = text.find("\n\n").unwrap_or(text.len());
            let once = format!("{} Meanwhile{}", &text[..at], &text[at..]);
            let twice = format!("{once} Later.");
            for edited in [once, twice] {
                let kept = analyze_with_memo_threads(&edited, &o, &mut memo, usize::MAX);
                let scratch = analyze_with_threads(&edited, &o, usize::MAX);
                assert_eq!(
                    format!("{kept:#?}"),
                    format!("{scratch:#?}"),
                    "{what} ({format:?}), edited"
                );
            }
        }
    }
}

#[test]
fn rule_settings_hold_on_two_threads() {
    // the paragraph rules shared out between the threads in groups of paragraphs
    // (the vague sources') keep their settings: off, or at another severity
    let kb = copydesk::kb::KnowledgeBase::embedded();
    let all = stories().join("\n\n");
    for (enabled, severity) in [(Some(false), None), (None, Some(Severity::Error))] {
        let mut o = options(Format::Markdown, &kb);
        for code in [
            "vague-attribution",
            "undated-claim",
            "inconsistent-spelling",
        ] {
            o.rules
                .insert(code.to_string(), RuleSetting { enabled, severity });
        }
        let one = analyze_with_threads(&all, &o, usize::MAX);
        let two = analyze_with_threads(&all, &o, 0);
        assert_eq!(format!("{one:#?}"), format!("{two:#?}"));
        let mut vague = one
            .diagnostics
            .iter()
            .filter(|d| d.rule == "vague-attribution");
        match enabled {
            Some(false) => assert_eq!(vague.count(), 0),
            _ => assert!(vague.clone().count() > 0 && vague.all(|d| d.severity == Severity::Error)),
        }
    }
}
