//! Dates in the editor, end to end through the built binary over stdio: hovers on
//! temporal expressions, date inlay hints and their setting, the code action that
//! writes the absolute date, both corrections of a weekday-date mismatch, and the
//! dateline as code lens and document symbol.

mod common;

use common::{Client, pos_of};
use serde_json::{Value, json};

const URI: &str = "file:///tmp/copydesk-dates/story.txt";

const DATED: &str = "date 2022-04-07\n\nNATO foreign ministers met in Brussels on Thursday and will meet again next Monday.\n\nThe vote is set for Friday, March 5, 2024, officials said.\n";

const UNDATED: &str = "BRUSSELS (AP) - NATO foreign ministers met in Brussels on Thursday.\n";

fn whole_document() -> Value {
    json!({"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 0}})
}

/// Byte offset of an LSP position in ASCII text (UTF-16 units are bytes there).
fn offset_of(text: &str, p: &Value) -> usize {
    let line = p["line"].as_u64().unwrap() as usize;
    let ch = p["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    start + ch
}

/// Apply a code action's (single-document, versioned) edits to `text`.
fn apply(text: &str, action: &Value) -> String {
    let edits = action["edit"]["documentChanges"][0]["edits"]
        .as_array()
        .unwrap_or_else(|| panic!("no edits in {action}"));
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset_of(text, &e["range"]["start"]),
                offset_of(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, new) in spans {
        out.replace_range(a..b, new);
    }
    out
}

fn hover_at(c: &mut Client, text: &str, needle: &str) -> Value {
    let (line, ch) = pos_of(text, needle, 0, true);
    c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": ch + 2}}),
    )
}

fn range_of(text: &str, needle: &str) -> Value {
    let (line, ch) = pos_of(text, needle, 0, true);
    json!({"start": {"line": line, "character": ch},
           "end": {"line": line, "character": ch + needle.len() as u32}})
}

fn date_hints(c: &mut Client) -> Vec<Value> {
    let r = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": URI}, "range": whole_document()}),
    );
    r["result"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|h| h["label"].as_str().is_some_and(|l| l.starts_with('(')))
        .collect()
}

#[test]
fn hover_shows_the_resolved_date_and_how() {
    let mut c = Client::start();
    c.initialize(&["utf-16"]);
    c.open(URI, "plaintext", DATED);
    c.diagnostics(URI, Some(1));
    let r = hover_at(&mut c, DATED, "Thursday");
    let md = r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(
        md, "Thursday → Thu 7 April 2022 (latest Thursday on or before the dateline, 2022-04-07)",
        "{r}"
    );
    assert_eq!(r["result"]["range"], range_of(DATED, "Thursday"), "{r}");
    // a future clause looks ahead: "will meet again next Monday"
    let r = hover_at(&mut c, DATED, "next Monday");
    let md = r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        md.starts_with("next Monday → Mon 11 April 2022") && md.contains("after the dateline"),
        "{r}"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn hover_without_a_dateline_says_what_is_missing() {
    let mut c = Client::start();
    c.initialize(&["utf-16"]);
    c.open(URI, "plaintext", UNDATED);
    let diags = c.diagnostics(URI, Some(1));
    assert!(
        diags
            .iter()
            .any(|d| d["code"] == "undated-relative-date"
                && d["range"] == range_of(UNDATED, "Thursday")),
        "{diags:#?}"
    );
    let r = hover_at(&mut c, UNDATED, "Thursday");
    let md = r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(md.starts_with("**Thursday** — cannot be resolved"), "{r}");
    assert!(md.contains("no dateline"), "names what is missing: {md}");
    assert!(
        md.contains("`date:`") && md.contains("copydesk.dateline"),
        "says how to add it: {md}"
    );
    // and no inlay hint can show a date that does not exist
    assert!(date_hints(&mut c).is_empty());
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn the_dateline_setting_dates_an_undated_story() {
    let mut c = Client::start();
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {},
               "initializationOptions": {"copydesk": {"dateline": "2022-04-07"}}}),
    );
    c.notify("initialized", json!({}));
    c.open(URI, "plaintext", UNDATED);
    let diags = c.diagnostics(URI, Some(1));
    assert!(
        diags.iter().all(|d| d["code"] != "undated-relative-date"),
        "{diags:#?}"
    );
    let r = hover_at(&mut c, UNDATED, "Thursday");
    let md = r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(md.starts_with("Thursday → Thu 7 April 2022"), "{r}");
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn inlay_hints_show_resolved_dates_and_can_be_switched_off() {
    let mut c = Client::start();
    c.initialize(&["utf-16"]);
    c.open(URI, "plaintext", DATED);
    c.diagnostics(URI, Some(1));
    let hints = date_hints(&mut c);
    let end_of = |needle: &str| {
        let (line, ch) = pos_of(DATED, needle, 0, true);
        json!({"line": line, "character": ch + needle.len() as u32})
    };
    let thursday = hints
        .iter()
        .find(|h| h["position"] == end_of("Thursday"))
        .unwrap_or_else(|| panic!("a hint right after Thursday: {hints:#?}"));
    assert_eq!(thursday["label"], "(Thu 7 April 2022)");
    assert!(
        thursday["tooltip"]
            .as_str()
            .is_some_and(|t| t.contains("on or before the dateline")),
        "{thursday}"
    );
    let monday = hints
        .iter()
        .find(|h| h["position"] == end_of("next Monday"))
        .unwrap_or_else(|| panic!("a hint right after next Monday: {hints:#?}"));
    assert_eq!(monday["label"], "(Mon 11 April 2022)");
    // absolute dates get no hint: only relative expressions do
    assert_eq!(hints.len(), 2, "{hints:#?}");

    // switched off in the settings, on again
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {"inlayHints": {"dates": false}}}}),
    );
    c.diagnostics(URI, Some(1));
    assert!(date_hints(&mut c).is_empty());
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {"inlayHints": {"dates": true}}}}),
    );
    c.diagnostics(URI, Some(1));
    assert_eq!(date_hints(&mut c).len(), 2);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn inlay_hints_off_from_initialization_options() {
    let mut c = Client::start();
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {},
               "initializationOptions": {"copydesk": {"inlayHints": {"dates": false}}}}),
    );
    c.notify("initialized", json!({}));
    c.open(URI, "plaintext", DATED);
    c.diagnostics(URI, Some(1));
    assert!(date_hints(&mut c).is_empty());
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn code_action_writes_the_absolute_date() {
    let mut c = Client::start();
    c.initialize(&["utf-16"]);
    c.open(URI, "plaintext", DATED);
    c.diagnostics(URI, Some(1));
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range_of(DATED, "Thursday"), "context": {"diagnostics": []}}),
    );
    let actions = r["result"].as_array().unwrap();
    let a = actions
        .iter()
        .find(|a| a["title"] == "Replace “Thursday” with “April 7”")
        .unwrap_or_else(|| panic!("{r}"));
    assert_eq!(a["kind"], "refactor.rewrite");
    assert_eq!(
        a["edit"]["documentChanges"][0]["textDocument"]["version"],
        1
    );
    let fixed = apply(DATED, a);
    assert!(
        fixed.contains("met in Brussels on April 7 and will meet"),
        "{fixed}"
    );
    // the action is offered only where it is asked for
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range_of(DATED, "NATO"), "context": {"diagnostics": []}}),
    );
    assert!(
        r["result"].as_array().is_none_or(|a| a
            .iter()
            .all(|a| !a["title"].as_str().unwrap().starts_with("Replace “"))),
        "{r}"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn weekday_date_mismatch_offers_either_correction() {
    let mut c = Client::start();
    c.initialize(&["utf-16"]);
    c.open(URI, "plaintext", DATED);
    let diags = c.diagnostics(URI, Some(1));
    let d = diags
        .iter()
        .find(|d| d["code"] == "weekday-date-mismatch")
        .unwrap_or_else(|| panic!("{diags:#?}"))
        .clone();
    assert_eq!(d["range"], range_of(DATED, "Friday, March 5, 2024"));
    let msg = d["message"].as_str().unwrap();
    assert!(msg.contains("Tuesday") && msg.contains("Friday"), "{msg}");
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let actions = r["result"].as_array().unwrap();
    let weekday = actions
        .iter()
        .find(|a| a["title"] == "Change the weekday to Tuesday")
        .unwrap_or_else(|| panic!("{r}"));
    let date = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Change the date to March 8, 2024"))
        })
        .unwrap_or_else(|| panic!("{r}"));
    for a in [weekday, date] {
        assert_eq!(a["kind"], "quickfix");
        assert_eq!(a["diagnostics"][0]["code"], "weekday-date-mismatch");
    }
    let by_weekday = apply(DATED, weekday);
    assert!(
        by_weekday.contains("set for Tuesday, March 5, 2024,"),
        "{by_weekday}"
    );
    let by_date = apply(DATED, date);
    assert!(
        by_date.contains("set for Friday, March 8, 2024,"),
        "{by_date}"
    );
    // either correction leaves nothing to report
    for (v, fixed) in [(2, by_weekday), (3, by_date)] {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": v}, "contentChanges": [{"text": fixed}]}),
        );
        let diags = c.diagnostics(URI, Some(v));
        assert!(
            diags.iter().all(|d| d["code"] != "weekday-date-mismatch"),
            "{diags:#?}"
        );
    }
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn the_dateline_as_code_lens_and_document_symbol() {
    let mut c = Client::start();
    c.initialize(&["utf-16"]);
    c.open(URI, "plaintext", DATED);
    c.diagnostics(URI, Some(1));
    let lens = c.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": URI}}),
    );
    let lenses = lens["result"].as_array().unwrap();
    assert_eq!(lenses.len(), 1, "{lens}");
    let title = lenses[0]["command"]["title"].as_str().unwrap();
    assert!(
        title.starts_with("Dateline: Thu 7 April 2022 (from "),
        "{title}"
    );
    assert_eq!(
        lenses[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    let syms = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let dl = syms["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Dateline 2022-04-07")
        .unwrap_or_else(|| panic!("{syms}"));
    assert_eq!(dl["kind"], 24, "SymbolKind::EVENT");
    assert_eq!(dl["range"], range_of(DATED, "date 2022-04-07"), "{dl}");

    // without a dateline the lens says so, and there is no dateline symbol
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": UNDATED}]}),
    );
    c.diagnostics(URI, Some(2));
    let lens = c.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(
        lens["result"][0]["command"]["title"], "No dateline: relative dates cannot be resolved",
        "{lens}"
    );
    let syms = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert!(
        syms["result"].as_array().is_none_or(|s| s
            .iter()
            .all(|s| !s["name"].as_str().unwrap().starts_with("Dateline"))),
        "{syms}"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}
