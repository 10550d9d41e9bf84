//! Golden test over seeds/: every finding, quotation speaker and dateline, in a
//! compact form judged line by line (tests/golden/seeds.txt). Also checks that the
//! JSON output keeps the public shape of version 1.

use std::process::Command;

use serde_json::Value;

fn check_json(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(1) || out.status.code() == Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn compact(v: &Value) -> String {
    let mut s = String::new();
    for f in v["files"].as_array().unwrap() {
        let path = f["path"].as_str().unwrap().replace('\\', "/");
        let name = path.rsplit('/').next().unwrap()[..3].to_string();
        s.push_str(&format!("{name} dateline {}\n", f["dateline"]));
        for d in f["diagnostics"].as_array().unwrap() {
            s.push_str(&format!(
                "{name} {} {}:{} {:?}\n",
                d["rule"].as_str().unwrap(),
                d["start"]["line"],
                d["start"]["column"],
                d["text"].as_str().unwrap()
            ));
        }
        for q in f["quotes"].as_array().unwrap() {
            let words: String = q["text"].as_str().unwrap().chars().take(40).collect();
            s.push_str(&format!(
                "{name} quote {}:{} {:?} speaker={} cue={}\n",
                q["start"]["line"], q["start"]["column"], words, q["speaker"], q["cue"]
            ));
        }
    }
    s
}

#[test]
fn seeds_match_the_judged_golden_file() {
    let v = check_json(&["seeds/"]);
    let got = compact(&v);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/seeds.txt");
    if std::env::var_os("COPYDESK_BLESS").is_some() {
        std::fs::write(path, &got).unwrap();
    }
    let want = std::fs::read_to_string(path).unwrap();
    if got != want {
        let diff: Vec<String> = got
            .lines()
            .zip(want.lines())
            .filter(|(a, b)| a != b)
            .take(10)
            .map(|(a, b)| format!("got  {a}\nwant {b}"))
            .collect();
        panic!(
            "seed output changed; judge the new lines by hand, then COPYDESK_BLESS=1 cargo test --test golden\n{}\n(got {} lines, want {})",
            diff.join("\n"),
            got.lines().count(),
            want.lines().count()
        );
    }
}

#[test]
fn the_issue_two_acceptance_points_hold() {
    let v = check_json(&["seeds/"]);
    let files = v["files"].as_array().unwrap();
    let file = |n: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().unwrap().contains(n))
            .unwrap()
    };
    let rules = |f: &Value, rule: &str| -> Vec<String> {
        f["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == rule)
            .map(|d| d["text"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(rules(file("004_"), "inconsistent-spelling").contains(&"Kiev".to_string()));
    assert!(
        rules(file("003_"), "undated-relative-date")
            .iter()
            .any(|t| t.contains("this Saturday"))
    );
    assert_eq!(file("000_")["dateline"], "2022-04-07");
    assert!(rules(file("000_"), "undated-relative-date").is_empty());
    let unattributed: usize = files
        .iter()
        .map(|f| rules(f, "unattributed-quote").len())
        .sum();
    assert!(unattributed <= 1, "{unattributed}");
    // Dmitry Peskov and Dmitro Kuleba are different people
    let all: Vec<&Value> = files
        .iter()
        .flat_map(|f| f["entities"].as_array().unwrap())
        .collect();
    let peskov = all
        .iter()
        .find(|e| e["name"] == "Dmitry Peskov")
        .expect("Peskov");
    assert!(
        peskov["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| !m["text"].as_str().unwrap().contains("Kuleba"))
    );
    assert!(all.iter().any(|e| e["name"] == "Dmytro Kuleba"));
}

#[test]
fn json_shape_is_version_one() {
    let v = check_json(&["seeds/004_4133e5cf710d752c.txt"]);
    assert_eq!(v["version"], 1);
    let f = &v["files"][0];
    for key in ["path", "dateline", "diagnostics", "quotes", "entities"] {
        assert!(f.get(key).is_some(), "{key}");
    }
    let d = &f["diagnostics"][0];
    for key in [
        "rule", "severity", "message", "start", "end", "text", "fixes",
    ] {
        assert!(d.get(key).is_some(), "{key}");
    }
    for key in ["offset", "line", "column"] {
        assert!(d["start"][key].is_u64(), "{key}");
    }
    let fix = d["fixes"].as_array().unwrap().first().expect("a fix");
    assert!(
        fix["title"].is_string()
            && fix["edits"][0]["new_text"].is_string()
            && fix["edits"][0]["start"]["offset"].is_u64()
    );
    let q = &f["quotes"][0];
    for key in ["start", "end", "text", "speaker", "cue"] {
        assert!(q.get(key).is_some(), "{key}");
    }
    let e = &f["entities"][0];
    for key in ["name", "kind", "known", "description", "mentions"] {
        assert!(e.get(key).is_some(), "{key}");
    }
    // offsets are UTF-8 bytes; columns count scalar values
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/004_4133e5cf710d752c.txt"
    ))
    .unwrap();
    for d in f["diagnostics"].as_array().unwrap() {
        let (s, e) = (
            d["start"]["offset"].as_u64().unwrap() as usize,
            d["end"]["offset"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..e], d["text"].as_str().unwrap());
    }
}

/// An extension of version 1: an edit with text to fill in names it as its
/// `placeholder` (byte offsets into `new_text`, and the text); other edits have no
/// such key, so their JSON is as it was.
#[test]
fn json_edits_name_their_placeholder() {
    let dir = std::env::temp_dir().join(format!("copydesk-golden-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let story = dir.join("story.txt");
    std::fs::write(
        &story,
        "date 2025-03-04\n\n“Nobody asked us what we wanted before the vote.” The council met in Kiev and in Kyiv.\n\n“We have done what we could.\n",
    )
    .unwrap();
    let v = check_json(&[story.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    let fixes = |rule: &str| -> Vec<Value> {
        diags
            .iter()
            .filter(|d| d["rule"] == rule)
            .flat_map(|d| d["fixes"].as_array().unwrap().clone())
            .collect()
    };
    let attributions = fixes("unattributed-quote");
    assert_eq!(attributions.len(), 2, "{diags:#?}");
    // after a closed quotation
    let e = &attributions[0]["edits"][0];
    assert_eq!(e["new_text"], " SPEAKER said");
    assert_eq!(
        e["placeholder"],
        serde_json::json!({"start": 1, "end": 8, "text": "SPEAKER"})
    );
    assert_eq!(e["start"], e["end"], "an insertion: {e}");
    // after an unclosed one, closed first: the offsets count the mark's three bytes
    let e = &attributions[1]["edits"][0];
    assert_eq!(e["new_text"], "” SPEAKER said");
    assert_eq!(
        e["placeholder"],
        serde_json::json!({"start": 4, "end": 11, "text": "SPEAKER"})
    );
    // every other edit is as it was
    let others: Vec<Value> = ["inconsistent-spelling", "unclosed-quote"]
        .iter()
        .flat_map(|r| fixes(r))
        .flat_map(|f| f["edits"].as_array().unwrap().clone())
        .collect();
    assert!(others.len() >= 2, "{diags:#?}");
    for e in &others {
        let mut keys: Vec<&str> = e.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["end", "new_text", "start"], "{e}");
    }
}
