//! Suppression comments silence exactly the rule they name, where they say, in
//! Markdown and in plain text; and the server's "silence" quick fix inserts a comment
//! that does just that (issue 6).

mod common;

use common::Client;
use copydesk::{Format, Options, analyze};
use serde_json::json;

/// Two rules fire on line 3 and again on line 5: inconsistent-spelling on "Kiev" and
/// undated-relative-date on the weekday.
const BODY: &str = "The mayor of Kyiv opened a new bridge over the river.\n\n\
Officials in Kiev said on Friday that the repairs were finished.\n\n\
Traffic in Kiev resumed on Saturday.\n";

fn findings(text: &str, format: Format) -> Vec<(String, String)> {
    let options = Options {
        format,
        ..Options::default()
    };
    analyze(text, &options)
        .diagnostics
        .into_iter()
        .map(|d| (d.rule.to_string(), text[d.span].to_string()))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

const ALL: &[(&str, &str)] = &[
    ("inconsistent-spelling", "Kiev"),
    ("undated-relative-date", "Friday"),
    ("inconsistent-spelling", "Kiev"),
    ("undated-relative-date", "Saturday"),
];

#[test]
fn without_comments_both_rules_fire_twice() {
    assert_eq!(findings(BODY, Format::Markdown), pairs(ALL));
    assert_eq!(findings(BODY, Format::PlainText), pairs(ALL));
}

/// `disable-next-line RULE` silences that rule on the next line only: the other rule
/// on the same line stays, and so does the same rule further down.
#[test]
fn next_line_silences_exactly_the_named_rule_on_the_next_line() {
    for (format, comment) in [
        (
            Format::Markdown,
            "<!-- copydesk-disable-next-line undated-relative-date -->",
        ),
        (
            Format::PlainText,
            "[copydesk-disable-next-line undated-relative-date]",
        ),
    ] {
        let text = BODY.replace(
            "Officials in Kiev",
            &format!("{comment}\nOfficials in Kiev"),
        );
        assert_eq!(
            findings(&text, format),
            pairs(&[
                ("inconsistent-spelling", "Kiev"),
                ("inconsistent-spelling", "Kiev"),
                ("undated-relative-date", "Saturday"),
            ]),
            "{format:?}: {comment}"
        );
    }
}

/// `disable RULE` … `enable RULE` brackets a passage for that rule alone; an unclosed
/// `disable` runs to the end of the story.
#[test]
fn disable_and_enable_bracket_one_rule() {
    let text = format!(
        "<!-- copydesk-disable inconsistent-spelling -->\n{}<!-- copydesk-enable inconsistent-spelling -->\n\nIn Kiev, the bridge opened on Sunday.\n",
        BODY
    );
    assert_eq!(
        findings(&text, Format::Markdown),
        pairs(&[
            ("undated-relative-date", "Friday"),
            ("undated-relative-date", "Saturday"),
            ("inconsistent-spelling", "Kiev"),
            ("undated-relative-date", "Sunday"),
        ])
    );
    let text = format!("[copydesk-disable undated-relative-date]\n{BODY}");
    assert_eq!(
        findings(&text, Format::PlainText),
        pairs(&[
            ("inconsistent-spelling", "Kiev"),
            ("inconsistent-spelling", "Kiev"),
        ])
    );
}

/// A list names several rules; a comment without a rule silences every rule; a
/// comment naming another rule (or a misspelt one) silences nothing.
#[test]
fn lists_all_rules_and_other_rules() {
    let both = "<!-- copydesk-disable-next-line inconsistent-spelling, undated-relative-date -->";
    let text = BODY.replace("Traffic", &format!("{both}\nTraffic"));
    assert_eq!(
        findings(&text, Format::Markdown),
        pairs(&[
            ("inconsistent-spelling", "Kiev"),
            ("undated-relative-date", "Friday"),
        ])
    );
    let text = BODY.replace("Traffic", "<!-- copydesk-disable-next-line -->\nTraffic");
    assert_eq!(findings(&text, Format::Markdown), pairs(&ALL[..2]));
    for other in ["unattributed-quote", "undated-relative-dates"] {
        let text = BODY.replace(
            "Traffic",
            &format!("<!-- copydesk-disable-next-line {other} -->\nTraffic"),
        );
        assert_eq!(findings(&text, Format::Markdown), pairs(ALL), "{other}");
    }
}

/// The server offers "Silence RULE on this line"; applying its edit silences that
/// finding and leaves every other one in place.
#[test]
fn silence_quick_fix_through_the_server() {
    for (uri, lang) in [
        ("file:///tmp/copydesk-suppress.md", "markdown"),
        ("file:///tmp/copydesk-suppress.txt", "plaintext"),
    ] {
        let mut c = Client::start();
        c.initialize(&["utf-16"]);
        c.open(uri, lang, BODY);
        let diags = c.diagnostics(uri, Some(1));
        assert_eq!(diags.len(), 4, "{diags:?}");
        let friday = diags
            .iter()
            .find(|d| d["code"] == "undated-relative-date" && d["range"]["start"]["line"] == 2)
            .expect("Friday")
            .clone();
        let r = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": friday["range"], "context": {"diagnostics": [friday]}}),
        );
        let action = r["result"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == "Silence undated-relative-date on this line")
            .unwrap_or_else(|| panic!("no silence action: {r}"))
            .clone();
        let change = &action["edit"]["documentChanges"][0];
        assert_eq!(change["textDocument"]["version"], 1);
        let edit = &change["edits"][0];
        assert_eq!(edit["range"]["start"], json!({"line": 2, "character": 0}));
        assert_eq!(edit["range"]["end"], json!({"line": 2, "character": 0}));
        // apply it the way the editor would
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2},
                "contentChanges": [{"range": edit["range"], "text": edit["newText"]}]}),
        );
        let after = c.diagnostics(uri, Some(2));
        let mut got: Vec<(String, u64)> = after
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap(),
                )
            })
            .collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                ("inconsistent-spelling".to_string(), 3),
                ("inconsistent-spelling".to_string(), 5),
                ("undated-relative-date".to_string(), 5),
            ],
            "{lang}: {after:?}"
        );
        c.shutdown_and_exit();
    }
}
