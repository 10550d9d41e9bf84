//! Odd documents: empty, whitespace only, 50 MB, one 5 MB line, NUL bytes, a BOM,
//! CRLF and CR line endings, right-to-left text, emoji ZWJ sequences, combining
//! marks. For each: every diagnostic's span is a char-boundary range that
//! round-trips through `LineIndex` in UTF-8, UTF-16 and UTF-32 and lands where the
//! test's own line/column model says; the CLI's JSON `text` equals the source slice
//! at its `offset`s with the right line and column; and, for the smaller ones, the
//! language server's diagnostics sit at the same ranges in every encoding.

mod common;

use common::Client;
use copydesk::position::{Encoding, LineCol, LineIndex};
use copydesk::{Format, Options, Report};
use serde_json::{Value, json};

/// A short story that sets off most rules.
const STORY: &str = "Jens Stoltenberg arrived in Kiev on Thursday.\n\
Officials said more than 12 million people have fled. Later, in Kyiv, Zelensky spoke.\n\
\"We need more weapons,\" the crowd chanted.\n\
\n\
Erdogan and Erdoğan were both written here. “Unattributed words stand alone.”\n";

fn story_with_breaks(br: &str) -> String {
    STORY.replace('\n', br)
}

/// The small documents, by name.
fn documents() -> Vec<(&'static str, String)> {
    vec![
        ("empty", String::new()),
        (
            "whitespace",
            " \t\n\r\n  \r \u{a0}\u{2003}\n\n\t ".to_string(),
        ),
        (
            "nul",
            STORY.replace(" in ", " in\0").replace(". ", ".\0\0 "),
        ),
        ("bom", format!("\u{feff}{STORY}")),
        ("crlf", story_with_breaks("\r\n")),
        ("cr", story_with_breaks("\r")),
        (
            "mixed-breaks",
            STORY
                .replacen('\n', "\r\n", 1)
                .replacen('\n', "\r", 1)
                .replace("\r\r", "\r\n\r"),
        ),
        (
            "rtl",
            format!(
                "مرحبا بالعالم. שלום עולם \u{202b}Kiev\u{202c} \u{200f}and\u{200e} Kyiv.\n{}\nفي كييف \"كلمات\" Kiev.\n",
                STORY.replace("Zelensky", "\u{202e}Zelensky\u{202c}")
            ),
        ),
        (
            "zwj",
            STORY
                .replace(
                    "Kiev",
                    "👩\u{200d}👩\u{200d}👧\u{200d}👦 Kiev 🏳\u{fe0f}\u{200d}🌈",
                )
                .replace("Kyiv", "🇺🇦 Kyiv 👨🏽\u{200d}🚀"),
        ),
        (
            "combining",
            STORY
                .replace("arrived", "arrive\u{301}\u{301}d")
                .replace("people", "peo\u{308}ple n\u{303}")
                .replace("Later", "La\u{20d7}ter"),
        ),
    ]
}

/// Line starts and content ends in the test's own model (\r\n, \r, \n).
fn model_lines(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let (mut out, mut start, mut i) = (Vec::new(), 0, 0);
    while i < b.len() {
        if b[i] == b'\n' || b[i] == b'\r' {
            out.push((start, i));
            i += 1 + usize::from(b[i] == b'\r' && b.get(i + 1) == Some(&b'\n'));
            start = i;
        } else {
            i += 1;
        }
    }
    out.push((start, b.len()));
    out
}

fn units(s: &str, enc: Encoding) -> usize {
    match enc {
        Encoding::Utf8 => s.len(),
        Encoding::Utf16 => s.encode_utf16().count(),
        Encoding::Utf32 => s.chars().count(),
    }
}

fn model_pos(text: &str, lines: &[(usize, usize)], off: usize, enc: Encoding) -> (usize, usize) {
    let line = lines.partition_point(|&(s, _)| s <= off) - 1;
    let (s, e) = lines[line];
    (line, units(&text[s..off.min(e)], enc))
}

const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

/// Every diagnostic (or at most `limit` of them, evenly spread) is a good span.
fn check_positions(name: &str, text: &str, report: &Report, limit: usize) {
    let idx = LineIndex::new(text);
    let lines = model_lines(text);
    assert_eq!(idx.line_count(), lines.len(), "{name}: line count");
    let step = (report.diagnostics.len() / limit.max(1)).max(1);
    for d in report.diagnostics.iter().step_by(step) {
        let s = &d.span;
        assert!(s.start <= s.end && s.end <= text.len(), "{name}: {s:?}");
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "{name}: {} span {s:?} not on char boundaries",
            d.rule
        );
        for enc in ENCODINGS {
            for off in [s.start, s.end] {
                let lc = idx.to_line_col(text, off, enc);
                assert_eq!(
                    (lc.line, lc.col),
                    model_pos(text, &lines, off, enc),
                    "{name}: {} at {off} in {enc:?}",
                    d.rule
                );
                assert_eq!(idx.to_offset(text, lc, enc), off, "{name}: {enc:?} {off}");
            }
        }
    }
}

fn analyze(text: &str, format: Format) -> Report {
    copydesk::analyze(
        text,
        &Options {
            format,
            ..Options::default()
        },
    )
}

#[test]
fn small_documents_through_analyze() {
    for (name, text) in documents() {
        for format in [Format::PlainText, Format::Markdown] {
            let r = analyze(&text, format);
            if name == "empty" || name == "whitespace" {
                assert!(r.diagnostics.is_empty(), "{name}: {:?}", r.diagnostics);
            } else {
                assert!(
                    r.diagnostics.len() >= 3,
                    "{name} {format:?}: too few findings to test positions: {:?}",
                    r.diagnostics
                );
            }
            check_positions(name, &text, &r, usize::MAX);
        }
    }
}

#[test]
fn empty_document_positions() {
    let idx = LineIndex::new("");
    for enc in ENCODINGS {
        assert_eq!(idx.to_line_col("", 0, enc), LineCol { line: 0, col: 0 });
        assert_eq!(idx.to_offset("", LineCol { line: 5, col: 5 }, enc), 0);
    }
}

/// The CLI's JSON: each diagnostic's `text` is the file's bytes at its offsets, and
/// its line and column (1-based, columns in scalar values) are where the model says.
#[test]
fn small_documents_through_the_cli_json() {
    let dir = std::env::temp_dir().join(format!("copydesk-documents-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in documents() {
        let path = dir.join(format!("{name}.txt"));
        std::fs::write(&path, &text).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_copydesk"))
            .args(["check", "--format", "json"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.code() == Some(0) || out.status.code() == Some(1),
            "{name}: {out:?}"
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let diags = v["files"][0]["diagnostics"].as_array().unwrap();
        let lines = model_lines(&text);
        for d in diags {
            let s = d["start"]["offset"].as_u64().unwrap() as usize;
            let e = d["end"]["offset"].as_u64().unwrap() as usize;
            assert_eq!(d["text"].as_str().unwrap(), &text[s..e], "{name}: {d}");
            for (pos, off) in [(&d["start"], s), (&d["end"], e)] {
                let (l, c) = model_pos(&text, &lines, off, Encoding::Utf32);
                assert_eq!(pos["line"], json!(l + 1), "{name}: {d}");
                assert_eq!(pos["column"], json!(c + 1), "{name}: {d}");
            }
        }
        let want = analyze(&text, Format::PlainText).diagnostics.len();
        assert_eq!(diags.len(), want, "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The server's diagnostics for each document, in each encoding, sit where
/// `analyze` and the test's model put them.
#[test]
fn small_documents_through_the_lsp() {
    for (enc, name) in [
        (Encoding::Utf8, "utf-8"),
        (Encoding::Utf16, "utf-16"),
        (Encoding::Utf32, "utf-32"),
    ] {
        let mut c = Client::start();
        let init = c.initialize(&[name]);
        assert_eq!(init["result"]["capabilities"]["positionEncoding"], name);
        for (doc, text) in documents() {
            let uri = format!("file:///tmp/copydesk-documents-test/{doc}.txt");
            c.open(&uri, "plaintext", &text);
            let mut got: Vec<String> = c
                .diagnostics(&uri, Some(1))
                .iter()
                .map(|d| format!("{} {} {}", d["code"], d["range"], d["message"]))
                .collect();
            got.sort();
            let lines = model_lines(&text);
            let mut want: Vec<String> = analyze(&text, Format::PlainText)
                .diagnostics
                .iter()
                .map(|d| {
                    let (sl, sc) = model_pos(&text, &lines, d.span.start, enc);
                    let (el, ec) = model_pos(&text, &lines, d.span.end, enc);
                    let range = json!({"end": {"character": ec, "line": el}, "start": {"character": sc, "line": sl}});
                    format!("{} {} {}", json!(d.rule), range, json!(&*d.message))
                })
                .collect();
            want.sort();
            assert_eq!(got, want, "{doc} in {name}");
            c.notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": uri}}),
            );
        }
        assert_eq!(c.shutdown_and_exit(), 0);
    }
}

/// Paragraphs of the story up to about `size` bytes.
fn repeated(size: usize, sep: &str) -> String {
    let mut s = String::with_capacity(size + STORY.len());
    let unit = STORY.replace('\n', sep);
    while s.len() < size {
        s.push_str(&unit);
        s.push_str(sep);
    }
    s
}

/// One line of 5 MB.
#[test]
#[ignore = "slow in the debug profile: .ci/run runs it with --release -- --ignored"]
fn one_five_megabyte_line() {
    let text = repeated(5 << 20, " ");
    assert_eq!(LineIndex::new(&text).line_count(), 1);
    let t = std::time::Instant::now();
    let r = analyze(&text, Format::PlainText);
    eprintln!("5 MB line: analyze {:?}", t.elapsed());
    assert!(r.diagnostics.len() > 100);
    // each check walks the line from its start: a dozen spread along it suffice
    check_positions("5 MB line", &text, &r, 12);
    eprintln!("5 MB line: checked {:?}", t.elapsed());
    // the last diagnostic too, far along the line
    let last = r.diagnostics.last().unwrap();
    let idx = LineIndex::new(&text);
    for enc in ENCODINGS {
        let lc = idx.to_line_col(&text, last.span.start, enc);
        assert_eq!(lc.line, 0);
        assert_eq!(idx.to_offset(&text, lc, enc), last.span.start);
    }
}

/// 50 MB through `analyze`. Even at linear speed this takes about ten minutes in the
/// debug test profile on this 2-core machine; run it with
/// `cargo test --release --test documents -- --ignored`.
#[test]
#[ignore = "slow in the debug profile: .ci/run runs it with --release -- --ignored"]
fn fifty_megabytes() {
    let text = repeated(50 << 20, "\r\n");
    let r = analyze(&text, Format::Markdown);
    assert!(r.diagnostics.len() > 1000);
    check_positions("50 MB", &text, &r, 200);
}
