//! Names through the language server, end to end (the built binary over stdio):
//! rename across spellings, references and highlights, completion of canonical
//! names, both quick fixes, and the entity hover.

mod common;

use common::{Client, pos_of};
use serde_json::{Value, json};

const URI: &str = "file:///tmp/copydesk-test/names.txt";

const STORY: &str = "date 2024-03-05

KYIV, Ukraine — Ukrainian Foreign Minister Dmytro Kuleba said on Tuesday that Kyiv needed more air defense systems before the spring. \"We need the systems now, not in the summer,\" Kuleba said.

Dmitro Kuleba later met envoys from Poland in Kiev. Officials in kyiv said the talks went well.

Mykola Hrytsenko, a city official, said the shelters were full. Hrytsenko said the city had opened two more.
";

/// A client with STORY open and analysed.
fn open_story() -> Client {
    let mut c = Client::start();
    c.initialize(&["utf-16"]);
    c.open(URI, "plaintext", STORY);
    c.diagnostics(URI, Some(1));
    c
}

fn at(text: &str, needle: &str, nth: usize) -> Value {
    let (line, ch) = pos_of(text, needle, nth, true);
    json!({"line": line, "character": ch + 1})
}

/// Byte offset of an LSP position (UTF-16 columns).
fn offset(text: &str, p: &Value) -> usize {
    let line = p["line"].as_u64().unwrap() as usize;
    let ch = p["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= ch {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The text after applying LSP text edits (which do not overlap).
fn apply(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| s.0);
    let mut out = String::new();
    let mut pos = 0;
    for (s, e, t) in spans {
        assert!(s >= pos, "edits overlap: {edits:?}");
        out.push_str(&text[pos..s]);
        out.push_str(&t);
        pos = e;
    }
    out.push_str(&text[pos..]);
    out
}

/// The texts the ranges cover.
fn covered(text: &str, ranges: &[Value]) -> Vec<String> {
    let mut v: Vec<(usize, String)> = ranges
        .iter()
        .map(|r| {
            let (s, e) = (offset(text, &r["start"]), offset(text, &r["end"]));
            (s, text[s..e].to_string())
        })
        .collect();
    v.sort();
    v.into_iter().map(|(_, t)| t).collect()
}

#[test]
fn rename_on_any_spelling_rewrites_every_mention() {
    let mut c = open_story();
    // from a variant spelling of a person: full mentions get the new name, the
    // surname alone its last word
    let r = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": URI}, "position": at(STORY, "Dmitro", 0), "newName": "Dmytro Kuleba"}),
    );
    let edits = r["result"]["documentChanges"][0]["edits"]
        .as_array()
        .expect("edits")
        .clone();
    assert_eq!(edits.len(), 3, "{r}");
    let renamed = apply(STORY, &edits);
    assert!(!renamed.contains("Dmitro"), "{renamed}");
    assert_eq!(renamed.matches("Dmytro Kuleba").count(), 2, "{renamed}");
    assert!(renamed.contains("\" Kuleba said."), "{renamed}");
    // from a lowercase variant of a place: every spelling, the dateline included
    let r = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": URI}, "position": at(STORY, "kyiv", 0), "newName": "Kyiv"}),
    );
    let edits = r["result"]["documentChanges"][0]["edits"]
        .as_array()
        .expect("edits")
        .clone();
    let renamed = apply(STORY, &edits);
    assert_eq!(edits.len(), 4, "KYIV, Kyiv, Kiev, kyiv: {r}");
    assert!(
        !renamed.contains("Kiev") && !renamed.contains("kyiv"),
        "{renamed}"
    );
    assert_eq!(renamed.matches("Kyiv").count(), 4, "{renamed}");
    // an unknown person's surname renames the full name too
    let r = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": URI}, "position": at(STORY, "Hrytsenko said", 0), "newName": "Mykola Hrytsenko-Lys"}),
    );
    let edits = r["result"]["documentChanges"][0]["edits"]
        .as_array()
        .expect("edits")
        .clone();
    let renamed = apply(STORY, &edits);
    assert!(
        renamed.contains("Mykola Hrytsenko-Lys, a city official")
            && renamed.contains("Hrytsenko-Lys said the city"),
        "{renamed}"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn references_and_highlights_show_every_mention() {
    let mut c = open_story();
    let pos = at(STORY, "Kuleba said", 0);
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": URI}, "position": pos, "context": {"includeDeclaration": true}}),
    );
    let ranges: Vec<Value> = refs["result"]
        .as_array()
        .expect("references")
        .iter()
        .map(|l| {
            assert_eq!(l["uri"], URI);
            l["range"].clone()
        })
        .collect();
    assert_eq!(
        covered(STORY, &ranges),
        ["Dmytro Kuleba", "Kuleba", "Dmitro Kuleba"],
        "{refs}"
    );
    let hl = c.request(
        "textDocument/documentHighlight",
        json!({"textDocument": {"uri": URI}, "position": at(STORY, "Kiev", 0)}),
    );
    let ranges: Vec<Value> = hl["result"]
        .as_array()
        .expect("highlights")
        .iter()
        .map(|h| h["range"].clone())
        .collect();
    assert_eq!(
        covered(STORY, &ranges),
        ["KYIV", "Kyiv", "Kiev", "kyiv"],
        "{hl}"
    );
    // Poland is a different entity: its references are its own
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": URI}, "position": at(STORY, "Poland", 0), "context": {"includeDeclaration": true}}),
    );
    assert_eq!(refs["result"].as_array().map(Vec::len), Some(1), "{refs}");
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn completion_offers_canonical_names_for_a_capitalised_prefix() {
    let mut c = open_story();
    let text = "Talks with Volod";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": text}]}),
    );
    c.diagnostics(URI, Some(2));
    let comp = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 16}}),
    );
    let items = comp["result"].as_array().expect("items");
    let z = items
        .iter()
        .find(|i| i["label"] == "Volodymyr Zelenskyy")
        .unwrap_or_else(|| panic!("{comp}"));
    assert!(
        z["detail"]
            .as_str()
            .unwrap()
            .contains("President of Ukraine"),
        "{z}"
    );
    // the edit replaces the prefix with the canonical name
    let edit = &z["textEdit"];
    assert_eq!(edit["newText"], "Volodymyr Zelenskyy");
    assert_eq!(edit["range"]["start"]["character"], 11);
    assert_eq!(edit["range"]["end"]["character"], 16);
    assert!(
        items
            .iter()
            .all(|i| i["label"].as_str().unwrap().starts_with("Volod")),
        "{comp}"
    );
    // names the story already uses sort first
    let text = "Dmytro Kuleba met the press. Later Dmy";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": text}]}),
    );
    c.diagnostics(URI, Some(3));
    let comp = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 38}}),
    );
    let items = comp["result"].as_array().expect("items");
    let best = items
        .iter()
        .min_by_key(|i| i["sortText"].as_str().unwrap().to_string())
        .unwrap();
    assert_eq!(best["label"], "Dmytro Kuleba", "{comp}");
    // a lowercase prefix is a common word: nothing offered
    let text = "talks with volod";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 4}, "contentChanges": [{"text": text}]}),
    );
    c.diagnostics(URI, Some(4));
    let comp = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 16}}),
    );
    assert!(
        comp["result"].is_null() || comp["result"].as_array().is_some_and(|a| a.is_empty()),
        "{comp}"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn quick_fixes_replace_one_occurrence_or_every_variant_at_once() {
    let mut c = Client::start();
    c.initialize(&["utf-16"]);
    c.open(URI, "plaintext", STORY);
    let diags = c.diagnostics(URI, Some(1));
    let spelling: Vec<String> = diags
        .iter()
        .filter(|d| d["code"] == "inconsistent-spelling")
        .map(|d| {
            let r = &d["range"];
            STORY[offset(STORY, &r["start"])..offset(STORY, &r["end"])].to_string()
        })
        .collect();
    assert_eq!(
        spelling,
        ["Dmitro Kuleba", "Kiev", "kyiv"],
        "the all-caps dateline is no variant: {diags:#?}"
    );
    let d = diags
        .iter()
        .find(|d| {
            d["code"] == "inconsistent-spelling"
                && STORY[offset(STORY, &d["range"]["start"])..].starts_with("Kiev")
        })
        .unwrap()
        .clone();
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let actions = r["result"].as_array().expect("actions");
    // one occurrence
    let one = actions
        .iter()
        .find(|a| a["title"] == "Replace with “Kyiv”")
        .unwrap_or_else(|| panic!("{r}"));
    assert_eq!(one["kind"], "quickfix");
    assert_eq!(one["isPreferred"], true);
    let change = &one["edit"]["documentChanges"][0];
    assert_eq!(change["textDocument"]["uri"], URI);
    assert_eq!(change["textDocument"]["version"], 1);
    let edits = change["edits"].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0]["range"], d["range"]);
    let fixed = apply(STORY, edits);
    assert!(fixed.contains("envoys from Poland in Kyiv."), "{fixed}");
    assert!(fixed.contains("Officials in kyiv"), "only this occurrence");
    // every variant of the entity, in one edit
    let all = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("everywhere"))
        .unwrap_or_else(|| panic!("{r}"));
    assert!(
        all["title"].as_str().unwrap().contains("Kyiv")
            && all["title"].as_str().unwrap().contains("2 changes"),
        "{all}"
    );
    let changes = all["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "one document edit");
    let fixed = apply(STORY, changes[0]["edits"].as_array().unwrap());
    assert!(
        !fixed.contains("Kiev") && !fixed.contains("kyiv"),
        "{fixed}"
    );
    assert!(
        fixed.starts_with("date 2024-03-05\n\nKYIV, Ukraine"),
        "{fixed}"
    );
    assert!(fixed.contains("Dmitro Kuleba"), "other entities untouched");
    // reanalysed, the fixed story has no Kyiv finding left
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let after = c.diagnostics(URI, Some(2));
    assert!(
        after
            .iter()
            .all(|d| !d["message"].as_str().unwrap().contains("Kyiv")),
        "{after:#?}"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

fn hover_text(c: &mut Client, pos: Value) -> String {
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": pos}),
    );
    assert_eq!(r["result"]["contents"]["kind"], "markdown", "{r}");
    r["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn hover_describes_the_entity_its_spellings_and_quotes() {
    let mut c = open_story();
    // a person, hovered on a variant spelling
    let md = hover_text(&mut c, at(STORY, "Dmitro", 0));
    assert!(md.starts_with("**Dmytro Kuleba** — person"), "{md}");
    assert!(md.contains("Ukrainian diplomat"), "description: {md}");
    assert!(
        md.contains("On the story's date (2024-03-05): Foreign Minister of Ukraine"),
        "role as of the dateline: {md}"
    );
    assert!(md.contains("House style: **Dmytro Kuleba**"), "{md}");
    assert!(
        md.contains("In this story: “Dmytro Kuleba” ×1, “Kuleba” ×1, “Dmitro Kuleba” ×1"),
        "spellings with counts: {md}"
    );
    assert!(md.contains("3 mentions; first on line 3."), "{md}");
    assert!(
        md.contains("Quoted 1 time:")
            && md.contains("“We need the systems now, not in the summer,” (*said*)"),
        "quotes: {md}"
    );
    // a place with four spellings, the dateline first
    let md = hover_text(&mut c, at(STORY, "Kiev", 0));
    assert!(md.starts_with("**Kyiv** — place"), "{md}");
    assert!(md.contains("Capital of Ukraine"), "{md}");
    assert!(md.contains("House style: **Kyiv**"), "{md}");
    assert!(
        md.contains("“KYIV” ×1, “Kyiv” ×1, “Kiev” ×1, “kyiv” ×1"),
        "{md}"
    );
    assert!(md.contains("4 mentions; first on line 3."), "{md}");
    assert!(!md.contains("Quoted"), "{md}");
    // an invented person: not in the knowledge base, quoted through the surname
    let md = hover_text(&mut c, at(STORY, "Hrytsenko said", 0));
    assert!(
        md.starts_with("**Mykola Hrytsenko** — person (not in the knowledge base)"),
        "{md}"
    );
    assert!(md.contains("2 mentions; first on line 7."), "{md}");
    assert!(!md.contains("House style"), "{md}");
    assert_eq!(c.shutdown_and_exit(), 0);
}
