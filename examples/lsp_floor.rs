//! The latency harness's own floor: a stand-in language server that answers every
//! `didOpen` and `didChange` at once with a fixed list of diagnostics, as long as
//! copydesk's for a 10,000-word story, and does no other work.
//!
//! `python3 tools/lsp_bench.py --server "target/release/examples/lsp_floor 354" --doc DOC`
//!
//! What the harness measures with it is what any server pays besides its own work:
//! the client's side (Python) writing the change and reading the notification, and
//! the pipes between them. The argument is how many diagnostics each
//! notification carries (default 354, the count for the generated 10,000-word
//! story; each about 290 bytes, as copydesk's are). BENCHMARKS.md, round 11.

use std::io::{BufRead, BufReader, Write};

/// One diagnostic of about the size and shape copydesk publishes.
const DIAGNOSTIC: &str = r#"{"range":{"start":{"line":LINE,"character":34},"end":{"line":LINE,"character":52}},"severity":2,"code":"undated-claim","source":"copydesk","message":"This figure has no date: say when it was true (\"in March\", \"last year\") so a reader knows how current it is, or when it was counted."}"#;

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(354);
    let mut input = BufReader::new(std::io::stdin().lock());
    let mut out = std::io::stdout().lock();
    while let Some(body) = read_message(&mut input) {
        let Ok(msg) = serde_json::from_slice::<serde_json::Value>(&body) else {
            continue;
        };
        let id = &msg["id"];
        let reply = match msg["method"].as_str().unwrap_or("") {
            "initialize" => format!(
                r#"{{"jsonrpc":"2.0","id":{id},"result":{{"capabilities":{{"textDocumentSync":{{"openClose":true,"change":2}},"positionEncoding":"utf-16"}}}}}}"#
            ),
            "exit" => return,
            "textDocument/didOpen" | "textDocument/didChange" => {
                let doc = &msg["params"]["textDocument"];
                let mut s = format!(
                    r#"{{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{{"uri":{},"version":{},"diagnostics":["#,
                    doc["uri"], doc["version"]
                );
                for i in 0..count {
                    if i > 0 {
                        s.push(',');
                    }
                    s.push_str(&DIAGNOSTIC.replace("LINE", &(i * 3).to_string()));
                }
                s.push_str("]}}");
                s
            }
            // any other request gets an empty answer; notifications none
            _ if !id.is_null() => format!(r#"{{"jsonrpc":"2.0","id":{id},"result":null}}"#),
            _ => continue,
        };
        let sent = write!(out, "Content-Length: {}\r\n\r\n{reply}", reply.len());
        if sent.and_then(|_| out.flush()).is_err() {
            return;
        }
    }
}

/// The next message's body, or `None` at the end of the input.
fn read_message(input: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().ok();
            }
        }
    }
    let mut body = vec![0; length?];
    input.read_exact(&mut body).ok()?;
    Some(body)
}
