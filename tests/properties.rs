//! The fuzz targets' properties as proptests, so `cargo test` covers them without
//! cargo-fuzz. The checks themselves live in `fuzz/src/checks.rs`, shared with the
//! fuzz targets: `analyze` on arbitrary text, position round trips in UTF-8, UTF-16
//! and UTF-32, and incremental edits on a rope (as the server applies them) against
//! edits on a string through `LineIndex`.

#[path = "../fuzz/src/checks.rs"]
mod checks;

use checks::{ENCODINGS, Edit, text_from_bytes};
use copydesk::position::LineCol;
use proptest::prelude::*;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // failures are reported with the shrunk input in the test output
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn seeds() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    v.sort();
    v
}

fn coord() -> impl Strategy<Value = usize> {
    prop_oneof![
        8 => 0usize..40,
        1 => 0usize..5000,
        1 => Just(u32::MAX as usize),
        1 => Just(usize::MAX),
    ]
}

fn fragment_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<u8>(), 0..max).prop_map(|b| text_from_bytes(&b))
}

/// A piece of a real story with odd fragments spliced in.
fn story_text() -> impl Strategy<Value = String> {
    let seeds = seeds();
    (
        0..seeds.len(),
        any::<prop::sample::Index>(),
        200usize..2500,
        prop::collection::vec((any::<prop::sample::Index>(), fragment_text(12)), 0..12),
    )
        .prop_map(move |(i, start, len, inserts)| {
            let s = &seeds[i];
            let a = floor(s, start.index(s.len().max(1)));
            let b = floor(s, (a + len).min(s.len()));
            let mut t = s[a..b].to_string();
            for (at, frag) in inserts {
                let at = floor(&t, at.index(t.len() + 1));
                t.insert_str(at, &frag);
            }
            t
        })
}

fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn analyze_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        checks::check_analyze(&bytes);
    }

    #[test]
    fn analyze_fragments(text in fragment_text(300)) {
        checks::check_analyze_text(&text);
    }

    #[test]
    fn positions_round_trip(
        text in fragment_text(200),
        probes in prop::collection::vec((coord(), coord(), coord()), 0..24),
    ) {
        checks::check_positions(&text, &probes);
    }

    #[test]
    fn edits_rope_equals_string(
        enc in 0usize..3,
        initial in fragment_text(120),
        raw in prop::collection::vec((coord(), coord(), coord(), coord(), fragment_text(16)), 1..40),
    ) {
        let edits: Vec<Edit> = raw
            .into_iter()
            .map(|(sl, sc, el, ec, text)| Edit {
                start: LineCol { line: sl, col: sc },
                end: LineCol { line: el, col: ec },
                text,
            })
            .collect();
        checks::check_edits(&initial, &edits, ENCODINGS[enc]);
    }
}

proptest! {
    #![proptest_config(config(120))]

    #[test]
    fn analyze_stories_with_odd_fragments(text in story_text()) {
        checks::check_analyze_text(&text);
    }
}

/// The checked-in fuzz corpora replay cleanly (a regression test for every finding).
#[test]
fn fuzz_corpora_replay() {
    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus");
    let mut n = 0;
    for target in ["analyze", "positions", "edits"] {
        let dir = std::path::Path::new(base).join(target);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let data = std::fs::read(&f).unwrap();
            match target {
                "analyze" => checks::check_analyze(&data),
                "positions" => {
                    let (text, probes) = checks::decode_positions(&data);
                    checks::check_positions(&text, &probes);
                }
                _ => {
                    let (enc, initial, edits) = checks::decode_edits(&data);
                    checks::check_edits(&initial, &edits, enc);
                }
            }
            n += 1;
        }
    }
    assert!(n >= 30, "only {n} corpus files");
}
