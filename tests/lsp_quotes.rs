//! The quotation features of the language server end to end, through the built
//! binary over stdio: hover on a quotation, the speaker inlay hint (and switching it
//! off), document symbols grouped by speaker, and the quick fixes for unattributed
//! and unclosed quotations.

mod common;

use common::{Client, pos_of};
use serde_json::{Value, json};

const URI: &str = "file:///tmp/copydesk-test/quotes.txt";

const STORY: &str = "date 2025-03-04

PORT ELLIS — Mayor Maria Okafor defended the harbor budget on Tuesday. “We will not close a single library this year,” Okafor said at City Hall.

Residents packed the hall for the so-called “rainy day” debate. “The library is the only warm place my kids can go after school,” said Tomasz Brennan, a father of three.

“Nobody asked us what we wanted before the vote.” The council meets again in May.

“We have done what we could, and the rest is up to the county.

The meeting ended at 9 p.m.
";

fn start(init_options: Option<Value>) -> Client {
    let mut c = Client::start();
    let mut params = json!({"processId": null, "rootUri": null,
        "capabilities": {"general": {"positionEncodings": ["utf-16"]}}});
    if let Some(o) = init_options {
        params["initializationOptions"] = o;
    }
    let r = c.request("initialize", params);
    assert!(r.get("error").is_none(), "{r}");
    c.notify("initialized", json!({}));
    c.open(URI, "plaintext", STORY);
    c.diagnostics(URI, Some(1));
    c
}

fn at(needle: &str, nth: usize, plus: u32) -> Value {
    let (line, ch) = pos_of(STORY, needle, nth, true);
    json!({"line": line, "character": ch + plus})
}

fn hover(c: &mut Client, needle: &str) -> String {
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": at(needle, 0, 3)}),
    );
    assert_eq!(r["result"]["contents"]["kind"], "markdown", "{r}");
    r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn whole() -> Value {
    json!({"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 0}})
}

#[test]
fn hover_on_a_quotation_names_speaker_and_cue_or_says_why_not() {
    let mut c = start(None);
    let md = hover(&mut c, "We will not close");
    assert!(
        md.contains("**Maria Okafor**") && md.contains("*said*"),
        "speaker and cue: {md}"
    );
    let md = hover(&mut c, "The library is the only");
    assert!(
        md.contains("**Tomasz Brennan**") && md.contains("*said*"),
        "an inverted attribution: {md}"
    );
    let md = hover(&mut c, "Nobody asked us");
    assert!(
        md.starts_with("Quotation with no speaker found")
            && md.contains("no speaker and speech verb"),
        "why none was found: {md}"
    );
    let md = hover(&mut c, "rainy day");
    assert!(
        md.starts_with("Not a quotation of someone's words") && md.contains("term"),
        "a scare quote is a term: {md}"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

fn speaker_hints(c: &mut Client) -> Vec<Value> {
    let r = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": URI}, "range": whole()}),
    );
    r["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .filter(|h| h["label"].as_str().is_some_and(|l| l.starts_with('—')))
        .cloned()
        .collect()
}

#[test]
fn inlay_hint_names_the_speaker_after_the_quotation_and_can_be_switched_off() {
    let mut c = start(None);
    let hints = speaker_hints(&mut c);
    assert_eq!(
        hints.len(),
        2,
        "one for each attributed quotation: {hints:#?}"
    );
    // right after the closing mark of “We will not close …”
    let (line, ch) = pos_of(STORY, "” Okafor said", 0, true);
    assert_eq!(
        hints[0]["position"],
        json!({"line": line, "character": ch + 1})
    );
    assert_eq!(hints[0]["label"], "— Okafor");
    assert!(
        hints[0]["tooltip"]
            .as_str()
            .is_some_and(|t| t.contains("Maria Okafor") && t.contains("said")),
        "{:#?}",
        hints[0]
    );
    assert_eq!(hints[1]["label"], "— Brennan");
    // switched off by a settings change …
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {"inlayHints": {"speakers": false}}}}),
    );
    c.diagnostics(URI, None);
    assert!(speaker_hints(&mut c).is_empty());
    assert_eq!(c.shutdown_and_exit(), 0);
    // … and from the start, by initializationOptions
    let mut c = start(Some(json!({"inlayHints": {"speakers": false}})));
    assert!(speaker_hints(&mut c).is_empty());
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn document_symbols_group_quotations_by_speaker() {
    let mut c = start(None);
    let r = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let syms = r["result"].as_array().unwrap_or_else(|| panic!("{r}"));
    let group = |name: &str| {
        syms.iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {syms:#?}"))
    };
    let okafor = group("Maria Okafor");
    let kids = okafor["children"].as_array().unwrap();
    assert_eq!(kids.len(), 1);
    assert!(
        kids[0]["name"]
            .as_str()
            .unwrap()
            .starts_with("“We will not close a single library"),
        "{okafor:#}"
    );
    assert_eq!(kids[0]["detail"], "said");
    let brennan = group("Tomasz Brennan");
    assert_eq!(brennan["children"].as_array().unwrap().len(), 1);
    let nobody = group("(no speaker)");
    let names: Vec<&str> = nobody["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].starts_with("“Nobody asked us"), "{names:?}");
    assert!(
        names[1].starts_with("“We have done what we could"),
        "{names:?}"
    );
    // terms are not quotations of anyone's words
    assert!(
        !serde_json::to_string(syms).unwrap().contains("rainy day"),
        "{syms:#?}"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

fn actions_for(c: &mut Client, code: &str, needle: &str) -> Vec<Value> {
    let diags = c.diagnostics(URI, None);
    let (line, _) = pos_of(STORY, needle, 0, true);
    let d = diags
        .iter()
        .find(|d| d["code"] == code && d["range"]["start"]["line"] == json!(line))
        .unwrap_or_else(|| panic!("no {code} on {needle:?}: {diags:#?}"))
        .clone();
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    r["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .clone()
}

#[test]
fn quick_fixes_add_an_attribution_and_close_a_quotation() {
    let mut c = start(None);
    // re-publish so the diagnostics can be read again
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {}}}),
    );
    let actions = actions_for(&mut c, "unattributed-quote", "“Nobody asked us");
    let add = actions
        .iter()
        .find(|a| a["title"] == "Add an attribution after the quotation")
        .unwrap_or_else(|| panic!("{actions:#?}"));
    assert_eq!(add["kind"], "quickfix");
    let edit = &add["edit"]["documentChanges"][0];
    assert_eq!(edit["textDocument"]["version"], 1);
    let e = &edit["edits"][0];
    // inserted right after the closing mark
    let (line, ch) = pos_of(STORY, " The council meets", 0, true);
    let here = json!({"line": line, "character": ch});
    assert_eq!(e["range"], json!({"start": here, "end": here}), "{e}");
    let new_text = e["newText"].as_str().unwrap();
    assert!(
        new_text.contains("SPEAKER") && new_text.contains("said"),
        "a placeholder to fill in: {new_text:?}"
    );

    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {}}}),
    );
    let actions = actions_for(&mut c, "unclosed-quote", "“We have done");
    let close = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Close the quotation"))
        })
        .unwrap_or_else(|| panic!("{actions:#?}"));
    assert_eq!(close["isPreferred"], true);
    let e = &close["edit"]["documentChanges"][0]["edits"][0];
    // at the end of the paragraph, after "county."
    let (line, ch) = pos_of(STORY, "county.", 0, true);
    let end = json!({"line": line, "character": ch + "county.".len() as u32});
    assert_eq!(e["range"], json!({"start": end, "end": end}), "{e}");
    assert_eq!(e["newText"], "”");
    assert_eq!(c.shutdown_and_exit(), 0);
}
