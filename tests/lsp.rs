//! The language server end to end: the built binary, spoken to over stdio.

mod common;

use common::{Client, pos_of, seed};
use serde_json::json;

const URI: &str = "file:///tmp/copydesk-test/story.txt";

#[test]
fn initialize_open_and_diagnostics() {
    let mut c = Client::start();
    let init = c.initialize(&["utf-16"]);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(
        init["result"]["capabilities"]["textDocumentSync"], 2,
        "incremental sync"
    );
    c.open(URI, "plaintext", &seed("004"));
    let diags = c.diagnostics(URI, Some(1));
    let kiev: Vec<_> = diags
        .iter()
        .filter(|d| d["code"] == "inconsistent-spelling")
        .collect();
    assert!(kiev.len() >= 5, "{diags:#?}");
    for d in &diags {
        assert_eq!(d["source"], "copydesk");
    }
    assert!(
        kiev[0]["relatedInformation"]
            .as_array()
            .is_some_and(|r| !r.is_empty()),
        "related information names the other spelling"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn hover_on_stoltenberg_names_nato() {
    let mut c = Client::start();
    c.initialize(&["utf-16"]);
    let text = seed("004");
    c.open(URI, "plaintext", &text);
    c.diagnostics(URI, Some(1));
    let (line, ch) = pos_of(&text, "Stoltenberg", 2, true);
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": ch + 2}}),
    );
    let md = r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        md.contains("Jens Stoltenberg") && md.contains("NATO"),
        "{r}"
    );
    assert_eq!(r["result"]["contents"]["kind"], "markdown");
}

/// An incremental change puts "Kiev" beside "Kyiv" after an emoji on the same line;
/// the diagnostic must land at the right column in both UTF-16 and UTF-8.
#[test]
fn incremental_change_after_emoji_in_utf16_and_utf8() {
    for enc in ["utf-16", "utf-8"] {
        let mut c = Client::start();
        let init = c.initialize(&[enc]);
        assert_eq!(init["result"]["capabilities"]["positionEncoding"], enc);
        let text = "Crowds 🎉 gathered in Kyiv on Monday.\n";
        c.open(URI, "plaintext", text);
        let first = c.diagnostics(URI, Some(1));
        assert!(
            first.iter().all(|d| d["code"] != "inconsistent-spelling"),
            "{first:#?}"
        );
        // insert " and Kiev" right after "Kyiv"
        let (line, ch) = pos_of(text, " on Monday", 0, enc == "utf-16");
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 2},
                   "contentChanges": [{"range": {"start": {"line": line, "character": ch}, "end": {"line": line, "character": ch}}, "text": " and Kiev"}]}),
        );
        let diags = c.diagnostics(URI, Some(2));
        let d = diags
            .iter()
            .find(|d| d["code"] == "inconsistent-spelling")
            .unwrap_or_else(|| panic!("{diags:#?}"));
        let new_text = "Crowds 🎉 gathered in Kyiv and Kiev on Monday.\n";
        let (_, want) = pos_of(new_text, "Kiev", 0, enc == "utf-16");
        assert_eq!(d["range"]["start"]["character"], json!(want), "{enc}");
        assert_eq!(d["range"]["end"]["character"], json!(want + 4), "{enc}");
        assert_eq!(c.shutdown_and_exit(), 0);
    }
}

#[test]
fn quick_fix_inlay_hints_and_symbols() {
    let mut c = Client::start();
    c.initialize(&["utf-16"]);
    let text = seed("004");
    c.open(URI, "plaintext", &text);
    let diags = c.diagnostics(URI, Some(1));
    let d = diags
        .iter()
        .find(|d| d["code"] == "inconsistent-spelling")
        .unwrap()
        .clone();
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let actions = r["result"].as_array().unwrap();
    let fix = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("Kyiv"))
        .expect("replace fix");
    let edit = &fix["edit"]["documentChanges"][0];
    assert_eq!(
        edit["textDocument"]["version"], 1,
        "fixes carry the document version"
    );
    assert_eq!(edit["edits"][0]["newText"], "Kyiv");
    assert!(
        actions
            .iter()
            .any(|a| a["title"].as_str().unwrap().contains("everywhere")),
        "replace-all fix"
    );
    let hints = c.request("textDocument/inlayHint", json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 0}}}));
    assert!(
        hints["result"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["label"].as_str().unwrap().contains("Stoltenberg")),
        "{hints}"
    );
    let syms = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert!(
        syms["result"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "Jens Stoltenberg"),
        "{syms}"
    );
}

#[test]
fn references_rename_and_completion() {
    let mut c = Client::start();
    c.initialize(&["utf-16"]);
    let text = seed("004");
    c.open(URI, "plaintext", &text);
    c.diagnostics(URI, Some(1));
    let (line, ch) = pos_of(&text, "Kyiv", 0, true);
    let refs = c.request("textDocument/references", json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": ch}, "context": {"includeDeclaration": true}}));
    let n = refs["result"].as_array().unwrap().len();
    assert!(n >= 7, "Kyiv and every Kiev: {refs}");
    let ren = c.request("textDocument/rename", json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": ch}, "newName": "Kyiv"}));
    assert_eq!(
        ren["result"]["documentChanges"][0]["textDocument"]["version"], 1,
        "a rename names the version it was computed for"
    );
    let edits = ren["result"]["documentChanges"][0]["edits"]
        .as_array()
        .unwrap();
    assert_eq!(edits.len(), n);
    assert!(edits.iter().all(|e| e["newText"] == "Kyiv"));
    // completion of a capitalised prefix
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": "Meeting with Stolt"}]}));
    c.diagnostics(URI, Some(2));
    let comp = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 18}}),
    );
    assert!(
        comp["result"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["label"] == "Jens Stoltenberg")
            || comp["result"].as_array().unwrap().is_empty(),
        "{comp}"
    );
}

#[test]
fn close_clears_and_bad_input_survives() {
    let mut c = Client::start();
    c.initialize(&["utf-16"]);
    c.open(URI, "plaintext", &seed("004"));
    assert!(!c.diagnostics(URI, Some(1)).is_empty());
    // garbage, an invalid body, a wrong Content-Length, a position past the end,
    // a change for an unknown document
    c.send_raw(b"\x00\xffgarbage\r\n");
    c.send_raw(b"Content-Length: 5\r\n\r\n{bad}");
    c.send_raw(b"Content-Length: 400\r\n\r\n{\"jsonrpc\":\"2.0\"}");
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": "file:///nope.txt", "version": 3}, "contentChanges": [{"text": "x"}]}));
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 99999, "character": 99999}}),
    );
    assert!(r.get("error").is_none(), "{r}");
    let r = c.request("copydesk/unknownMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    assert!(c.diagnostics(URI, None).is_empty());
    assert_eq!(c.shutdown_and_exit(), 0);
}
