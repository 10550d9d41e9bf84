//! Protocol abuse through the real binary: bad frames, bad JSON, unknown methods,
//! requests before `initialize`, positions past the end, changes to documents never
//! opened, versions that go backwards, a burst of 10,000 changes, cancellation.
//! After each, the server must still be alive and right: a hover on "Stoltenberg"
//! (in a copy of seeds/004) names Jens Stoltenberg and NATO, and where the text
//! changed, the final diagnostics equal those of a fresh `didOpen` of the same text.
//!
//! Not covered: a panic inside a request handler. There is no input known to make
//! a handler panic from outside (analysis runs under `catch_unwind` on the worker,
//! positions clamp), and the server has no test-only hook to force one.

mod common;

use common::{Client, pos_of, seed};
use serde_json::{Value, json};

const URI: &str = "file:///tmp/copydesk-protocol-test/story.txt";

fn started() -> (Client, String) {
    let mut c = Client::start();
    let init = c.initialize(&["utf-16"]);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    let text = seed("004");
    c.open(URI, "plaintext", &text);
    assert!(!c.diagnostics(URI, Some(1)).is_empty());
    (c, text)
}

/// An empty folder of this test process's own under the system's temporary one.
fn fresh_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("copydesk-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn hover_at(c: &mut Client, uri: &str, line: u32, ch: u32) -> Value {
    c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": ch}}),
    )
}

/// The server is alive and right: a hover on the third "Stoltenberg" of `text`
/// (the current text of `URI`) names him and NATO.
fn assert_hover_ok(c: &mut Client, text: &str) {
    let (line, ch) = pos_of(text, "Stoltenberg", 2, true);
    let r = hover_at(c, URI, line, ch + 2);
    let md = r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        md.contains("Jens Stoltenberg") && md.contains("NATO"),
        "hover after abuse: {r}"
    );
}

/// The response to a request sent raw with `id`, waiting behind later requests.
fn response_to(c: &mut Client, id: Value) -> Value {
    for _ in 0..5 {
        if let Some(i) = c
            .backlog
            .iter()
            .position(|m| m.get("id") == Some(&id) && m.get("method").is_none())
        {
            return c.backlog.remove(i);
        }
        // a barrier: handlers run in order, so earlier responses come first
        c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        );
    }
    panic!("no response to id {id}; backlog: {:?}", c.backlog);
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut v = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    v.extend_from_slice(body);
    v
}

fn error_code(r: &Value) -> i64 {
    r["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("expected an error: {r}"))
}

fn normalise(v: Vec<Value>, uri: &str) -> Vec<String> {
    let mut out: Vec<String> = v
        .iter()
        .map(|d| d.to_string().replace(uri, "<uri>"))
        .collect();
    out.sort();
    out
}

/// The diagnostics for `version` of URI equal a fresh open of `text`.
/// When a client repeats a version number, a publish for an older text may carry the
/// same number, so later publishes for that version are read until one matches.
fn assert_same_as_fresh(c: &mut Client, version: i64, text: &str, name: &str) {
    let mut got = normalise(c.diagnostics(URI, Some(version)), URI);
    let fresh = format!("file:///tmp/copydesk-protocol-test/{name}-fresh.txt");
    c.open(&fresh, "plaintext", text);
    let want = normalise(c.diagnostics(&fresh, Some(1)), &fresh);
    let mut tries = 0;
    while got != want && tries < 3 {
        // ask for a re-analysis of the same text: the newest version is published
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": []}),
        );
        got = normalise(c.diagnostics(URI, Some(version)), URI);
        tries += 1;
    }
    assert_eq!(got, want, "{name}: diagnostics differ from a fresh open");
}

#[test]
fn garbage_bytes() {
    let (mut c, text) = started();
    c.send_raw(b"\x00\x01\x02\xff\xfe garbage \r\n\r\n");
    c.send_raw(&[0xC3, 0x28, 0xA0, 0xA1, 0xF0, 0x28, 0x8C, 0xBC]);
    c.send_raw(b"Content-Type: x\r\n\r\n{}"); // a header without Content-Length
    c.send_raw(b"Content-Length: abc\r\n\r\n{}");
    c.send_raw(b"Content-Length: -5\r\n\r\n{}");
    c.send_raw(b"Content-Length: 99999999999999999999999\r\n\r\n");
    c.send_raw(b"Content-Length: 4\r\n\r\n\xff\xfe\xfd\xfc"); // a body that is not UTF-8
    let long_header = format!("Content-Length: 10\r\nX-Junk: {}", "z".repeat(5000));
    c.send_raw(long_header.as_bytes()); // a header that never ends
    c.send_raw(b"\r\n\r\n0123456789");
    assert_hover_ok(&mut c, &text);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn content_length_too_short() {
    let (mut c, text) = started();
    let body = br#"{"jsonrpc":"2.0","id":9001,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///x"},"position":{"line":0,"character":0}}}"#;
    let mut bad = format!("Content-Length: {}\r\n\r\n", body.len() - 20).into_bytes();
    bad.extend_from_slice(body);
    c.send_raw(&bad);
    // a well-formed request right behind it is still answered
    let good = frame(br#"{"jsonrpc":"2.0","id":9002,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///tmp/copydesk-protocol-test/story.txt"},"position":{"line":0,"character":0}}}"#);
    c.send_raw(&good);
    let r = response_to(&mut c, json!(9002));
    assert!(r.get("error").is_none(), "{r}");
    assert_hover_ok(&mut c, &text);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn content_length_too_long() {
    let (mut c, text) = started();
    // too long, with a good frame in the same write right behind it
    let mut bytes =
        b"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\"}".to_vec();
    bytes.extend(frame(br#"{"jsonrpc":"2.0","id":9101,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///tmp/copydesk-protocol-test/story.txt"},"position":{"line":0,"character":0}}}"#));
    c.send_raw(&bytes);
    let r = response_to(&mut c, json!(9101));
    assert!(r.get("error").is_none(), "{r}");
    // too long and the last thing sent for a while: the next frame resynchronises
    c.send_raw(b"Content-Length: 1000\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\"}");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_hover_ok(&mut c, &text);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn invalid_json_and_invalid_messages() {
    let (mut c, text) = started();
    for body in [
        &br#"{"jsonrpc":"2.0","id":5,"method":"#[..],
        b"{bad json}",
        b"[1,2,3]",
        b"null",
        b"\"a string\"",
        b"{}",
        br#"{"jsonrpc":"1.0","id":6,"method":"textDocument/hover"}"#,
        br#"{"jsonrpc":"2.0","id":{"an":"object"},"method":"textDocument/hover"}"#,
        br#"{"jsonrpc":"2.0","method":42}"#,
        br#"{"jsonrpc":"2.0","id":77,"result":null}"#,
        br#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":"nonsense"}"#,
        br#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"not a uri"}}}"#,
    ] {
        c.send_raw(&frame(body));
    }
    // a request with params of the wrong shape is answered with InvalidParams
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": "top"}),
    );
    assert_eq!(error_code(&r), -32602, "{r}");
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": -1, "character": 0}}),
    );
    assert_eq!(error_code(&r), -32602, "{r}");
    assert_hover_ok(&mut c, &text);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn unknown_methods() {
    let (mut c, text) = started();
    let r = c.request("copydesk/doesNotExist", json!({}));
    assert_eq!(error_code(&r), -32601, "{r}");
    let r = c.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(error_code(&r), -32601, "{r}");
    // unknown notifications are ignored
    c.notify("copydesk/whatever", json!({"a": 1}));
    c.notify("$/somethingOptional", json!(null));
    assert_hover_ok(&mut c, &text);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn requests_before_initialize() {
    let mut c = Client::start();
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(error_code(&r), -32002, "{r}");
    let r = c.request("shutdown", Value::Null);
    assert_eq!(error_code(&r), -32002, "{r}");
    let r = c.request("copydesk/doesNotExist", json!({}));
    assert!(r.get("error").is_some(), "{r}");
    // notifications before initialize are dropped
    c.open(URI, "plaintext", "Kiev and Kyiv.");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    // then a normal start still works
    let init = c.initialize(&["utf-16"]);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    // a second initialize is refused, and changes nothing
    let again = c.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    assert!(again.get("error").is_some(), "{again}");
    let text = seed("004");
    c.open(URI, "plaintext", &text);
    c.diagnostics(URI, Some(1));
    assert_hover_ok(&mut c, &text);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn positions_past_the_end() {
    let (mut c, text) = started();
    let big = u32::MAX;
    let (line, _) = pos_of(&text, "Stoltenberg", 2, true);
    for (l, ch) in [(line, 99_999), (99_999, 0), (big, big), (line, big)] {
        let r = hover_at(&mut c, URI, l, ch);
        assert!(r.get("error").is_none() || error_code(&r) == -32602, "{r}");
    }
    let past =
        json!({"start": {"line": 99_999, "character": 5}, "end": {"line": big, "character": big}});
    let inverted =
        json!({"start": {"line": 40, "character": 9_999}, "end": {"line": 0, "character": 0}});
    for range in [&past, &inverted] {
        for (method, params) in [
            (
                "textDocument/codeAction",
                json!({"textDocument": {"uri": URI}, "range": range, "context": {"diagnostics": []}}),
            ),
            (
                "textDocument/inlayHint",
                json!({"textDocument": {"uri": URI}, "range": range}),
            ),
        ] {
            let r = c.request(method, params);
            assert!(
                r.get("error").is_none() || error_code(&r) == -32602,
                "{method}: {r}"
            );
        }
    }
    for method in [
        "textDocument/references",
        "textDocument/documentHighlight",
        "textDocument/completion",
        "textDocument/rename",
    ] {
        let r = c.request(
            method,
            json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": big},
                   "context": {"includeDeclaration": true}, "newName": "X"}),
        );
        assert!(
            r.get("error").is_none() || error_code(&r) == -32602,
            "{method}: {r}"
        );
    }
    // changes past the end clamp to the end: append, then a range from past the end
    // of a line to far past the end of the document
    let mut model = text.clone();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 99_999, "character": 0}, "end": {"line": 99_999, "character": 7}}, "text": "\nKiev again."},
        ]}),
    );
    model.push_str("\nKiev again.");
    let last = model.lines().count() as u32 - 1;
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [
            {"range": {"start": {"line": last, "character": 4}, "end": {"line": big, "character": big}}, "text": " (end)"},
        ]}),
    );
    model.truncate(model.len() - " again.".len());
    model.push_str(" (end)");
    assert_same_as_fresh(&mut c, 3, &model, "past-the-end");
    assert_hover_ok(&mut c, &model);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn change_to_a_document_never_opened() {
    let (mut c, text) = started();
    let ghost = "file:///tmp/copydesk-protocol-test/never-opened.txt";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": ghost, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]}),
    );
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": ghost}}),
    );
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": ghost}}),
    );
    let r = hover_at(&mut c, ghost, 0, 0);
    assert!(r.get("error").is_none(), "{r}");
    assert!(r["result"].is_null(), "{r}");
    assert_hover_ok(&mut c, &text);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn versions_that_go_backwards() {
    let (mut c, text) = started();
    // 1 -> 10 -> 5 -> 3 -> 3: every change applies; the newest text wins
    let mut model = text.clone();
    for (v, insert) in [
        (10, "Kiev "),
        (5, "“No comment,” "),
        (3, "on Thursday "),
        (3, "Kyiv "),
    ] {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": v}, "contentChanges": [
                {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": insert}]}),
        );
        model.insert_str(0, insert);
    }
    assert_same_as_fresh(&mut c, 3, &model, "backwards");
    assert_hover_ok(&mut c, &model);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn burst_of_ten_thousand_changes() {
    let (mut c, text) = started();
    let mut model = text.clone();
    let n = 10_000;
    for i in 0..n {
        // type and delete at the start of the first line, now and then a whole word
        let change = if i % 2 == 0 {
            let s = if i % 1000 == 0 { "Kiev " } else { "é" };
            model.insert_str(0, s);
            json!({"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": s})
        } else if i % 1000 == 1 {
            json!({"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": ""})
        } else {
            model.remove(0);
            json!({"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}, "text": ""})
        };
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": i + 2}, "contentChanges": [change]}),
        );
    }
    assert!(model.starts_with("Kiev "));
    // a barrier, then the last version's diagnostics
    assert_hover_ok(&mut c, &model);
    assert_same_as_fresh(&mut c, n + 1, &model, "burst");
    assert_hover_ok(&mut c, &model);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn cancel_request() {
    let (mut c, text) = started();
    let (line, ch) = pos_of(&text, "Stoltenberg", 2, true);
    c.send_raw(&frame(
        json!({"jsonrpc": "2.0", "id": 4242, "method": "textDocument/hover",
               "params": {"textDocument": {"uri": URI}, "position": {"line": line, "character": ch}}})
        .to_string()
        .as_bytes(),
    ));
    c.notify("$/cancelRequest", json!({"id": 4242}));
    // cancelling what was never asked, or with an odd id, is harmless
    c.notify("$/cancelRequest", json!({"id": 999_999}));
    c.notify("$/cancelRequest", json!({"id": "no-such-request"}));
    c.notify("$/cancelRequest", json!({}));
    let r = response_to(&mut c, json!(4242));
    // answered either way: with its result, or with RequestCancelled
    if let Some(e) = r.get("error") {
        assert_eq!(e["code"], -32800, "{r}");
    } else {
        assert!(
            r["result"]["contents"]["value"]
                .as_str()
                .unwrap_or_default()
                .contains("Stoltenberg"),
            "{r}"
        );
    }
    assert_hover_ok(&mut c, &text);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn unknown_encoding_offer_falls_back_to_utf16() {
    let mut c = Client::start();
    let init = c.initialize(&["utf-7", "ebcdic"]);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    let text = seed("004");
    c.open(URI, "plaintext", &text);
    c.diagnostics(URI, Some(1));
    assert_hover_ok(&mut c, &text);
    assert_eq!(c.shutdown_and_exit(), 0);
}

fn count_messages(c: &Client, method: &str) -> usize {
    c.backlog.iter().filter(|m| m["method"] == method).count()
}

/// A panic inside a request handler (injected with `COPYDESK_FAULT`) is caught: the
/// request gets InternalError, the user sees one `window/showMessage` however often
/// it happens, each is logged, and every other request still answers correctly.
#[test]
fn panic_in_a_request_handler_is_caught_and_shown_once() {
    let mut c = Client::start_with_env(&[("COPYDESK_FAULT", "code_action")]);
    c.initialize(&["utf-16"]);
    let text = seed("004");
    c.open(URI, "plaintext", &text);
    let diags = c.diagnostics(URI, Some(1));
    assert!(!diags.is_empty());
    for _ in 0..3 {
        let r = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": diags[0]["range"], "context": {"diagnostics": [diags[0]]}}),
        );
        assert_eq!(error_code(&r), -32603, "{r}");
        assert!(
            r["error"]["message"]
                .as_str()
                .unwrap()
                .contains("code_action")
        );
        assert_hover_ok(&mut c, &text);
    }
    let shown = c.notification("window/showMessage");
    assert_eq!(shown["params"]["type"], 1, "an error message: {shown}");
    assert!(
        shown["params"]["message"]
            .as_str()
            .unwrap()
            .contains("carries on")
    );
    assert_eq!(
        count_messages(&c, "window/showMessage"),
        0,
        "shown once only"
    );
    assert_eq!(
        count_messages(&c, "window/logMessage"),
        3,
        "each one logged"
    );
    // editing still works and gives the same diagnostics as a fresh open
    let edited = format!("{text}\n");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    assert_eq!(c.diagnostics(URI, Some(2)).len(), diags.len());
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// A panic inside `analyze` (on the worker thread) is caught: the version gets empty
/// diagnostics instead of none, one `window/showMessage`, and the server goes on
/// serving requests and later versions.
#[test]
fn panic_in_analysis_is_caught_and_shown_once() {
    let mut c = Client::start_with_env(&[("COPYDESK_FAULT", "analyze")]);
    c.initialize(&["utf-16"]);
    let text = seed("004");
    c.open(URI, "plaintext", &text);
    assert!(c.diagnostics(URI, Some(1)).is_empty());
    let shown = c.notification("window/showMessage");
    assert_eq!(shown["params"]["type"], 1);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": "Kiev and Kyiv."}]}),
    );
    assert!(c.diagnostics(URI, Some(2)).is_empty());
    let r = hover_at(&mut c, URI, 0, 1);
    assert!(r.get("error").is_none(), "hover still answers: {r}");
    let sym = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert!(sym["result"].is_array(), "{sym}");
    assert_eq!(
        count_messages(&c, "window/showMessage"),
        0,
        "shown once only"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// A panic while converting a report to LSP diagnostics (on the worker thread) does
/// not stop the worker: every later version is analysed again (each caught panic is
/// logged), the message is shown once, and requests still answer.
#[test]
fn panic_in_diagnostics_conversion_keeps_the_worker_alive() {
    let mut c = Client::start_with_env(&[("COPYDESK_FAULT", "diagnostics")]);
    c.initialize(&["utf-16"]);
    let text = seed("004");
    c.open(URI, "plaintext", &text);
    let shown = c.notification("window/showMessage");
    assert_eq!(shown["params"]["type"], 1);
    for v in 2..5 {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": v}, "contentChanges": [{"text": text}]}),
        );
        // each version is analysed (the log says so) and the worker is still there
        let logged = c.notification("window/logMessage");
        assert_eq!(logged["params"]["type"], 1, "{logged}");
    }
    assert_hover_ok(&mut c, &text);
    assert_eq!(count_messages(&c, "window/showMessage"), 0);
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// A document over the typing limit (`maxTypingSize`, here 10 kB to keep the test
/// quick; 1 MB by default) is analysed when opened and saved but not at every change,
/// and the user is told so once, never silently.
#[test]
fn typing_size_limit_is_reported_once() {
    let mut c = Client::start();
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": null,
            "capabilities": {"general": {"positionEncodings": ["utf-16"]}},
            "initializationOptions": {"maxTypingSize": 10000}}),
    );
    c.notify("initialized", json!({}));
    let text = format!("{0}\n\n{0}\n\n{0}\n\n{0}", seed("004"));
    assert!(text.len() > 10000);
    c.open(URI, "plaintext", &text);
    let first = c.diagnostics(URI, Some(1));
    assert!(!first.is_empty());
    let shown = c.notification("window/showMessage");
    assert_eq!(shown["params"]["type"], 2, "a warning: {shown}");
    let msg = shown["params"]["message"].as_str().unwrap();
    assert!(
        msg.contains("story.txt") && msg.contains("maxTypingSize") && msg.contains("saved"),
        "{msg}"
    );
    // edits: no analysis per change (a request is a barrier: handlers run in order)
    for v in 2..5 {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": v},
                "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]}),
        );
    }
    assert_hover_ok(&mut c, &text);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_hover_ok(&mut c, &text);
    assert!(
        !c.backlog
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["version"].as_i64() > Some(1)),
        "no analysis while typing over the limit"
    );
    // saving checks it again, at the current version
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(c.diagnostics(URI, Some(4)).len(), first.len());
    assert_eq!(count_messages(&c, "window/showMessage"), 0, "told once");
    // under the limit (no limit: 0), every change is analysed again
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {"maxTypingSize": 0}}}),
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 5},
            "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "y"}]}),
    );
    assert_eq!(c.diagnostics(URI, Some(5)).len(), first.len());
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// Nothing is lost: the server never writes to disk. A session of quick fixes, rename,
/// saves and a configuration change leaves every file in the story's folder as it
/// was, and every edit the server proposes is a client-applied edit that names the
/// document version it was computed for.
#[test]
fn the_server_never_writes_to_disk_and_edits_carry_versions() {
    let dir = fresh_dir("nowrite");
    let story = dir.join("story.md");
    let text = seed("004");
    std::fs::write(&story, &text).unwrap();
    std::fs::write(
        dir.join(".copydesk.toml"),
        "[house_style]\nprefer = [\"Kyiv\"]\n",
    )
    .unwrap();
    let snapshot = |dir: &std::path::Path| {
        let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                (p.display().to_string(), std::fs::read(&p).unwrap())
            })
            .collect();
        v.sort();
        v
    };
    let before = snapshot(&dir);
    let uri = format!("file://{}", story.display());
    let mut c = Client::start();
    c.initialize(&["utf-16"]);
    c.open(&uri, "markdown", &text);
    let diags = c.diagnostics(&uri, Some(1));
    assert!(!diags.is_empty());
    for d in &diags {
        let r = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
        );
        for a in r["result"].as_array().unwrap() {
            assert!(a.get("command").is_none(), "no server-side commands: {a}");
            for change in a["edit"]["documentChanges"].as_array().unwrap() {
                assert_eq!(change["textDocument"]["uri"], uri.as_str());
                assert_eq!(change["textDocument"]["version"], 1, "{a}");
            }
        }
    }
    let (line, ch) = pos_of(&text, "Stoltenberg", 0, true);
    let ren = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": ch}, "newName": "Jens Stoltenberg"}),
    );
    let changes = ren["result"]["documentChanges"]
        .as_array()
        .unwrap_or_else(|| panic!("{ren}"));
    for change in changes {
        assert_eq!(change["textDocument"]["version"], 1, "{ren}");
    }
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": format!("{text}\nMore.\n")}]}),
    );
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {"rules": {"undated-claim": {"enabled": false}}}}}),
    );
    c.diagnostics(&uri, Some(2));
    assert_eq!(c.shutdown_and_exit(), 0);
    assert_eq!(snapshot(&dir), before, "the folder is unchanged");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A hover sent while the newest version is still being analysed is answered at once
/// from the last analysis, its position mapped through the edits since: the message
/// loop does not wait for the analysis (slowed here with `COPYDESK_DELAY_ANALYSIS`).
/// Its range is where the word now stands, and the new version is published later.
#[test]
fn hover_during_analysis_answers_from_the_last_analysis_at_the_mapped_place() {
    let mut c = Client::start_with_env(&[("COPYDESK_DELAY_ANALYSIS", "3000")]);
    c.initialize(&["utf-16"]);
    let text = seed("004");
    c.open(URI, "plaintext", &text);
    assert!(!c.diagnostics(URI, Some(1)).is_empty());
    // a line inserted at the top, then a word typed before the first "Stoltenberg"
    let top = "UPDATED: corrected.\n";
    let (sl, sc) = pos_of(&text, "Stoltenberg", 0, true);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": top},
            {"range": {"start": {"line": sl + 1, "character": sc}, "end": {"line": sl + 1, "character": sc}}, "text": "Mr "},
        ]}),
    );
    let first = text.find("Stoltenberg").unwrap();
    let edited = format!("{top}{}Mr {}", &text[..first], &text[first..]);
    let (line, ch) = pos_of(&edited, "Stoltenberg", 2, true);
    let r = hover_at(&mut c, URI, line, ch + 2);
    let published_v2 = c.backlog.iter().any(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == json!(2)
    });
    assert!(
        !published_v2,
        "the hover waited for the new version's analysis"
    );
    let md = r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        md.contains("Jens Stoltenberg") && md.contains("NATO"),
        "{r}"
    );
    assert_eq!(
        r["result"]["range"],
        json!({"start": {"line": line, "character": ch}, "end": {"line": line, "character": ch + 11}}),
        "{r}"
    );
    // the new version's diagnostics still come, for the edited text
    let fresh = {
        let mut f = Client::start();
        f.initialize(&["utf-16"]);
        f.open(URI, "plaintext", &edited);
        f.diagnostics(URI, Some(1))
    };
    assert_eq!(c.diagnostics(URI, Some(2)), fresh);
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// A configuration file's changes apply: at once when the editor saves it or the
/// client reports it changed (`didChangeWatchedFiles`), and within a second when
/// another program changes it unreported (the server reuses a document's options
/// for up to a second while it is typed in).
#[test]
fn configuration_changes_apply_when_saved_reported_or_a_second_later() {
    let dir = fresh_dir("config");
    let cfg = dir.join(".copydesk.toml");
    let off = "[rules.vague-attribution]\nenabled = false\n";
    let on = "[rules.vague-attribution]\nenabled = true\n";
    std::fs::write(&cfg, off).unwrap();
    let uri = format!("file://{}", dir.join("story.txt").display());
    let cfg_uri = format!("file://{}", cfg.display());
    let vague = |d: &[Value]| d.iter().any(|d| d["code"] == "vague-attribution");
    let mut c = Client::start();
    c.initialize(&["utf-16"]);
    let mut text = String::from("Sources said the vote was close.\n");
    c.open(&uri, "plaintext", &text);
    assert!(!vague(&c.diagnostics(&uri, Some(1))), "off in the file");
    let mut version = 1;
    let mut change = |c: &mut Client, text: &mut String| {
        version += 1;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [
                {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": "x"}]}),
        );
        text.push('x');
        c.diagnostics(&uri, Some(version))
    };
    // typed in (its options now reused), then the file saved in the editor
    assert!(!vague(&change(&mut c, &mut text)));
    std::fs::write(&cfg, on).unwrap();
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": cfg_uri}}),
    );
    assert!(vague(&change(&mut c, &mut text)), "saved: on at once");
    // changed by another program, and reported by the client
    std::fs::write(&cfg, off).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": cfg_uri, "type": 2}]}),
    );
    assert!(!vague(&change(&mut c, &mut text)), "reported: off at once");
    // changed unreported: in force a second later
    std::fs::write(&cfg, on).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(
        vague(&change(&mut c, &mut text)),
        "unreported: on a second later"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}
