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
    start_with(
        json!({"general": {"positionEncodings": ["utf-16"]}}),
        init_options,
    )
}

fn start_with(capabilities: Value, init_options: Option<Value>) -> Client {
    start_full(capabilities, init_options).0
}

/// The client, and the server's answer to `initialize`.
fn start_full(capabilities: Value, init_options: Option<Value>) -> (Client, Value) {
    let mut c = Client::start();
    let mut params = json!({"processId": null, "rootUri": null, "capabilities": capabilities});
    if let Some(o) = init_options {
        params["initializationOptions"] = o;
    }
    let r = c.request("initialize", params);
    assert!(r.get("error").is_none(), "{r}");
    c.notify("initialized", json!({}));
    c.open(URI, "plaintext", STORY);
    c.diagnostics(URI, Some(1));
    (c, r)
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
    // a client that declares no snippet support gets the words as plain text
    assert_eq!(e["newText"], " SPEAKER said", "{e}");
    assert!(
        e.get("snippet").is_none() && add.get("command").is_none(),
        "{add}"
    );
    assert_eq!(
        paragraph(
            &apply(STORY, &e["range"], e["newText"].as_str().unwrap()),
            "“Nobody"
        ),
        "“Nobody asked us what we wanted before the vote.” SPEAKER said The council meets again in May."
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

/// Apply one LSP edit (UTF-16 positions) to `text`.
fn apply(text: &str, range: &Value, new_text: &str) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let ch = p["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        let rest = &text[start..];
        let col = rest
            .char_indices()
            .find(|&(_, c)| {
                let here = units >= ch;
                units += c.len_utf16();
                here
            })
            .map_or(rest.len(), |(i, _)| i);
        start + col
    };
    let (s, e) = (offset(&range["start"]), offset(&range["end"]));
    format!("{}{new_text}{}", &text[..s], &text[e..])
}

/// The paragraph of `text` that starts with `start`.
fn paragraph<'a>(text: &'a str, start: &str) -> &'a str {
    let from = text.find(start).unwrap();
    let len = text[from..].find('\n').unwrap_or(text.len() - from);
    &text[from..from + len]
}

/// What an editor leaves after expanding `snippet` (as this server writes them:
/// text, `${1:placeholder}`, `$0`, backslash escapes) and typing `typed` over the
/// placeholder; also the byte range the placeholder had, selected, when inserted.
fn expand(snippet: &str, typed: &str) -> (String, std::ops::Range<usize>, String) {
    let (mut out, mut shown, mut selected) = (String::new(), String::new(), 0..0);
    let mut chars = snippet.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next().unwrap();
                out.push(next);
                shown.push(next);
            }
            '$' if chars.peek() == Some(&'0') => {
                chars.next();
            }
            '$' => {
                let head: String = chars.by_ref().take(3).collect();
                assert_eq!(head, "{1:", "only tab stop 1 has a placeholder: {snippet}");
                let mut words = String::new();
                loop {
                    match chars.next().expect("a closing brace") {
                        '}' => break,
                        '\\' => words.push(chars.next().unwrap()),
                        w => words.push(w),
                    }
                }
                selected = shown.len()..shown.len() + words.len();
                shown.push_str(&words);
                out.push_str(typed);
            }
            c => {
                out.push(c);
                shown.push(c);
            }
        }
    }
    (out, selected, shown)
}

/// The "Add an attribution" action for “Nobody asked us …”, and its insertion point.
fn attribution_action(c: &mut Client) -> (Value, Value) {
    // re-publish so the diagnostics can be read again
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {}}}),
    );
    let actions = actions_for(c, "unattributed-quote", "“Nobody asked us");
    let add = actions
        .iter()
        .find(|a| a["title"] == "Add an attribution after the quotation")
        .unwrap_or_else(|| panic!("{actions:#?}"))
        .clone();
    assert_eq!(add["kind"], "quickfix", "{add}");
    assert_eq!(add["diagnostics"][0]["code"], "unattributed-quote", "{add}");
    // the suppression comment stays a plain edit in every client
    let silence = actions
        .iter()
        .find(|a| a["title"] == "Silence unattributed-quote on this line")
        .unwrap_or_else(|| panic!("{actions:#?}"));
    let e = &silence["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(
        e["newText"], "[copydesk-disable-next-line unattributed-quote]\n",
        "{silence}"
    );
    let (line, ch) = pos_of(STORY, " The council meets", 0, true);
    let here = json!({"line": line, "character": ch});
    (add, json!({"start": here, "end": here}))
}

#[test]
fn a_client_with_snippet_edit_support_gets_the_attribution_as_a_snippet_edit() {
    let mut c = start_with(
        json!({"general": {"positionEncodings": ["utf-16"]},
            "workspace": {"workspaceEdit": {"documentChanges": true, "snippetEditSupport": true}}}),
        None,
    );
    let (add, at) = attribution_action(&mut c);
    assert!(add.get("command").is_none(), "{add}");
    let change = &add["edit"]["documentChanges"][0];
    assert_eq!(change["textDocument"], json!({"uri": URI, "version": 1}));
    // an LSP 3.18 SnippetTextEdit: SPEAKER is tab stop 1, the end the final stop
    assert_eq!(
        change["edits"],
        json!([{"range": at, "snippet": {"kind": "snippet", "value": " ${1:SPEAKER} said$0"}}]),
        "{add}"
    );
    let snippet = change["edits"][0]["snippet"]["value"].as_str().unwrap();
    let (typed, selected, shown) = expand(snippet, "Ana Ruiz");
    assert_eq!(&shown[selected], "SPEAKER", "the placeholder is selected");
    assert_eq!(
        paragraph(&apply(STORY, &at, &typed), "“Nobody"),
        "“Nobody asked us what we wanted before the vote.” Ana Ruiz said The council meets again in May."
    );

    // an unclosed quotation is closed before the attribution, outside the snippet's stop
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {}}}),
    );
    let actions = actions_for(&mut c, "unattributed-quote", "“We have done");
    let add = actions
        .iter()
        .find(|a| a["title"] == "Add an attribution after the quotation")
        .unwrap_or_else(|| panic!("{actions:#?}"));
    let e = &add["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(e["snippet"]["value"], "” ${1:SPEAKER} said$0", "{e}");
    let (typed, _, _) = expand(e["snippet"]["value"].as_str().unwrap(), "Ana Ruiz");
    assert_eq!(
        paragraph(&apply(STORY, &e["range"], &typed), "“We have done"),
        "“We have done what we could, and the rest is up to the county.” Ana Ruiz said"
    );
    // fixes with no placeholder keep plain text edits
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {}}}),
    );
    let close = actions_for(&mut c, "unclosed-quote", "“We have done")
        .into_iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.starts_with("Close")))
        .unwrap();
    assert_eq!(
        close["edit"]["documentChanges"][0]["edits"][0]["newText"],
        "”"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn a_client_announcing_the_copydesk_command_gets_the_command_with_the_snippet() {
    let caps = json!({"general": {"positionEncodings": ["utf-16"]},
        "experimental": {"copydesk": {"insertSnippetCommand": true}}});
    let (mut c, init) = start_full(caps.clone(), None);
    // the command is the client's: the server does not offer to run it
    assert!(
        init["result"]["capabilities"]
            .get("executeCommandProvider")
            .is_none(),
        "{init}"
    );
    // a later version: the command names the version it was made for
    let end = STORY.lines().count() as u32;
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{
            "range": {"start": {"line": end, "character": 0}, "end": {"line": end, "character": 0}},
            "text": "More later.\n"}]}),
    );
    c.diagnostics(URI, Some(2));
    let (add, at) = attribution_action(&mut c);
    assert!(
        add.get("edit").is_none(),
        "no edit beside the command: {add}"
    );
    assert_eq!(
        add["command"],
        json!({
            "title": "Add an attribution after the quotation",
            "command": "copydesk.insertSnippet",
            "arguments": [{
                "textDocument": {"uri": URI, "version": 2},
                "range": at,
                "snippet": " ${1:SPEAKER} said$0",
            }],
        })
    );
    assert_eq!(c.shutdown_and_exit(), 0);

    // a client that has both takes the standard snippet edit
    let mut caps = caps;
    caps["workspace"] =
        json!({"workspaceEdit": {"documentChanges": true, "snippetEditSupport": true}});
    let mut c = start_with(caps, None);
    let (add, _) = attribution_action(&mut c);
    assert!(add.get("command").is_none(), "{add}");
    assert_eq!(
        add["edit"]["documentChanges"][0]["edits"][0]["snippet"]["value"],
        " ${1:SPEAKER} said$0"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}
