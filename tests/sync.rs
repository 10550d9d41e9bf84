//! Document sync through the real binary: seeded random sequences of incremental
//! edits (inserts, deletes, replacements; multi-byte, astral, combining characters,
//! CRLF and lone CR; ranges that end at or past the end of the file) sent over stdio,
//! in each position encoding, the client offering exactly one. After every sequence
//! the diagnostics (and the document symbols and inlay hints) for the final version
//! must equal those of a fresh `didOpen` of the same final text, which the test
//! builds with its own model of the edits (no copydesk code).
//!
//! `COPYDESK_SYNC_SEED=<n>` reruns with another seed; a failure names the seed and
//! the sequence.

mod common;

use common::{Client, seed};
use serde_json::{Value, json};

/// splitmix64: a small, seeded, dependency-free generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const PIECES: &[&str] = &[
    "a",
    "the ",
    "Kiev",
    "Kyiv",
    "Kyiv's",
    " said ",
    "\"",
    "“",
    "”",
    "\"We will win,\" ",
    "é",
    "e\u{301}",
    "n\u{303}\u{301}",
    "😀",
    "👩\u{200d}👩\u{200d}👧\u{200d}👦",
    "🇺🇦",
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "\r\n\r\n",
    " on Thursday",
    "Zelensky",
    "Zelenskyy",
    "Erdoğan",
    "Erdogan",
    "Jens Stoltenberg",
    "Stoltenberg",
    " officials said",
    "more than 12 million people",
    "שלום",
    "مرحبا",
    "ß",
    "\t",
    ". ",
];

/// The position encoding the test models, independent of copydesk's `LineIndex`.
#[derive(Clone, Copy)]
enum Enc {
    Utf8,
    Utf16,
    Utf32,
}

impl Enc {
    fn name(self) -> &'static str {
        match self {
            Enc::Utf8 => "utf-8",
            Enc::Utf16 => "utf-16",
            Enc::Utf32 => "utf-32",
        }
    }
    fn units(self, s: &str) -> usize {
        match self {
            Enc::Utf8 => s.len(),
            Enc::Utf16 => s.encode_utf16().count(),
            Enc::Utf32 => s.chars().count(),
        }
    }
}

/// Lines of a text as (start, end of content) byte pairs; breaks are \r\n, \r, \n.
fn lines(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\n' || b[i] == b'\r' {
            out.push((start, i));
            i += if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            start = i;
        } else {
            i += 1;
        }
    }
    out.push((start, b.len()));
    out
}

/// The LSP position of a byte offset (a char boundary, not inside a CRLF).
fn position(text: &str, off: usize, enc: Enc) -> Value {
    let ls = lines(text);
    let line = ls.iter().rposition(|&(s, _)| s <= off).unwrap();
    let (s, e) = ls[line];
    assert!(off <= e, "offset {off} inside a line break");
    json!({"line": line, "character": enc.units(&text[s..off])})
}

/// Offsets that have an LSP position: char boundaries except between \r and \n.
fn addressable(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    (0..=text.len())
        .filter(|&o| text.is_char_boundary(o))
        .filter(|&o| !(o > 0 && b[o - 1] == b'\r' && b.get(o) == Some(&b'\n')))
        .collect()
}

fn piece(rng: &mut Rng) -> String {
    let n = rng.below(4);
    (0..n).map(|_| PIECES[rng.below(PIECES.len())]).collect()
}

/// One random change against `text`: its JSON and the text after it.
fn random_change(rng: &mut Rng, text: &str, enc: Enc) -> (Value, String) {
    let offs = addressable(text);
    let a = offs[rng.below(offs.len())];
    let (start, end) = match rng.below(3) {
        0 => (a, a), // insert
        _ => {
            // delete or replace, now and then up to the end of the file
            let b = if rng.chance(20) {
                text.len()
            } else {
                let near: Vec<usize> = offs.iter().copied().filter(|&o| o >= a).take(40).collect();
                near[rng.below(near.len())]
            };
            (a, b)
        }
    };
    let new_text = if start != end && rng.chance(40) {
        String::new() // a pure delete
    } else {
        piece(rng)
    };
    let start_pos = position(text, start, enc);
    let end_pos = if end == text.len() {
        // the end of the file, said three ways
        let last = lines(text).len() - 1;
        match rng.below(3) {
            0 => position(text, end, enc),
            1 => json!({"line": last + 1 + rng.below(3), "character": rng.below(5)}),
            _ => {
                let ls = lines(text);
                if ls[last].1 == text.len() {
                    json!({"line": last, "character": 100_000})
                } else {
                    position(text, end, enc)
                }
            }
        }
    } else {
        position(text, end, enc)
    };
    let mut after = text.to_string();
    after.replace_range(start..end, &new_text);
    (
        json!({"range": {"start": start_pos, "end": end_pos}, "text": new_text}),
        after,
    )
}

fn initial_text(rng: &mut Rng) -> String {
    let names = ["000", "001", "002", "003", "004"];
    let s = seed(names[rng.below(names.len())]);
    let mut a = rng.below(s.len() / 2);
    while !s.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (a + 300 + rng.below(1500)).min(s.len());
    while !s.is_char_boundary(b) {
        b -= 1;
    }
    let mut t = s[a..b].to_string();
    if rng.chance(50) {
        t = t.replace('\n', "\r\n");
    }
    if rng.chance(30) {
        t.push_str("\rKiev 😀 e\u{301} “Unattributed words here,” and Kyiv.");
    }
    t
}

/// Diagnostics with the document's own URI taken out, in a stable order.
fn normalise(mut v: Vec<Value>, uri: &str) -> Vec<String> {
    let mut out: Vec<String> = v
        .iter_mut()
        .map(|d| {
            let s = d.to_string();
            s.replace(uri, "<uri>")
        })
        .collect();
    out.sort();
    out
}

fn full_range() -> Value {
    json!({"start": {"line": 0, "character": 0}, "end": {"line": 1_000_000, "character": 0}})
}

fn snapshot(c: &mut Client, uri: &str, version: i64) -> (Vec<String>, String, String) {
    let diags = c.diagnostics(uri, Some(version));
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let hints = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": full_range()}),
    );
    (
        normalise(diags, uri),
        symbols["result"].to_string().replace(uri, "<uri>"),
        hints["result"].to_string().replace(uri, "<uri>"),
    )
}

fn run(enc: Enc, salt: u64) {
    let base: u64 = std::env::var("COPYDESK_SYNC_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_260_408);
    let mut c = Client::start();
    let init = c.initialize(&[enc.name()]);
    assert_eq!(
        init["result"]["capabilities"]["positionEncoding"],
        enc.name()
    );
    let sequences = 30;
    for seq in 0..sequences {
        let seed = base ^ (salt << 32) ^ seq;
        let mut rng = Rng(seed);
        let live = format!(
            "file:///tmp/copydesk-sync-test/{}-{seq}-live.txt",
            enc.name()
        );
        let fresh = format!(
            "file:///tmp/copydesk-sync-test/{}-{seq}-fresh.txt",
            enc.name()
        );
        let mut text = initial_text(&mut rng);
        c.open(&live, "plaintext", &text);
        let mut version = 1i64;
        let edits = 20 + rng.below(41);
        let mut done = 0;
        while done < edits {
            // one to four changes in one notification, each against the text before it
            let n = (1 + rng.below(4)).min(edits - done);
            let mut changes = Vec::new();
            for _ in 0..n {
                let (change, after) = random_change(&mut rng, &text, enc);
                changes.push(change);
                text = after;
            }
            done += n;
            version += 1;
            c.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": live, "version": version}, "contentChanges": changes}),
            );
        }
        let got = snapshot(&mut c, &live, version);
        c.open(&fresh, "plaintext", &text);
        let want = snapshot(&mut c, &fresh, 1);
        let context = format!(
            "{} sequence {seq} (seed {seed}, COPYDESK_SYNC_SEED={base}); final text {text:?}",
            enc.name()
        );
        assert_eq!(got.0, want.0, "diagnostics differ: {context}");
        assert_eq!(got.1, want.1, "document symbols differ: {context}");
        assert_eq!(got.2, want.2, "inlay hints differ: {context}");
        for u in [&live, &fresh] {
            c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
        }
    }
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn sync_utf8() {
    run(Enc::Utf8, 1);
}

#[test]
fn sync_utf16() {
    run(Enc::Utf16, 2);
}

#[test]
fn sync_utf32() {
    run(Enc::Utf32, 3);
}

/// The model itself: positions of a text with every kind of line break.
#[test]
fn model_positions() {
    let t = "a😀\r\nb\rc\n";
    assert_eq!(lines(t), vec![(0, 5), (7, 8), (9, 10), (11, 11)]);
    assert_eq!(
        position(t, 5, Enc::Utf16),
        json!({"line": 0, "character": 3})
    );
    assert_eq!(
        position(t, 5, Enc::Utf8),
        json!({"line": 0, "character": 5})
    );
    assert_eq!(
        position(t, 5, Enc::Utf32),
        json!({"line": 0, "character": 2})
    );
    assert_eq!(
        position(t, 11, Enc::Utf16),
        json!({"line": 3, "character": 0})
    );
    assert!(!addressable(t).contains(&6));
}

/// The server fills the memo of a document just opened once it has been idle for a
/// moment (`lsp::warm_memo`): the first changes after that reuse it, and give what a
/// fresh open of the same text gives; a document closed before the warm-up, then
/// opened again with other text, is not served from the old one.
#[test]
fn a_memo_filled_while_idle_serves_the_first_changes() {
    let story = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/corpus/n06-nato-hague-summit.md"
    ))
    .unwrap();
    let mut c = Client::start();
    c.initialize(&["utf-16"]);
    let live = "file:///tmp/copydesk-sync-test/warm-live.md";
    let fresh = "file:///tmp/copydesk-sync-test/warm-fresh.md";
    // opened, closed before the warm-up, opened again with other text
    c.open(
        live,
        "markdown",
        "Officials said on Friday that 300 people left Kiev.\n",
    );
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": live}}),
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    for round in 0..2 {
        let mut text = story.clone();
        c.open(live, "markdown", &text);
        let _ = c.diagnostics(live, Some(1));
        // idle: the memo is filled now
        std::thread::sleep(std::time::Duration::from_millis(300));
        let mut rng = Rng(0x5EED ^ round);
        let mut version = 1i64;
        let mut seen = Vec::new();
        for _ in 0..12 {
            let (change, after) = random_change(&mut rng, &text, Enc::Utf16);
            text = after;
            version += 1;
            c.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": live, "version": version}, "contentChanges": [change]}),
            );
            seen.push((version, text.clone(), snapshot(&mut c, live, version)));
        }
        // then each version opened fresh (after the live document's changes, so
        // that they all reused its memo)
        for (version, text, got) in seen {
            c.open(fresh, "markdown", &text);
            let want = snapshot(&mut c, fresh, 1);
            c.notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": fresh}}),
            );
            assert_eq!(got, want, "round {round}, version {version}: {text:?}");
        }
        c.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": live}}),
        );
    }
    assert_eq!(c.shutdown_and_exit(), 0);
}
