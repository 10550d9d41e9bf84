//! `.copydesk.toml` and entity files in error: reported with their position, the
//! defaults stay in force; a configuration that names a missing file says so. Through
//! the CLI, and for the malformed configuration through the language server too.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Client;
use serde_json::Value;

const STORY: &str = "Jens Stoltenberg arrived in Kiev on Thursday. Later, in Kyiv, officials said \
more than 12 million people had fled.\n\"We need more,\" a crowd chanted.\n";

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        // tests run in parallel, several with the same name (`defaults`): a counter
        // keeps their folders apart
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let p =
            std::env::temp_dir().join(format!("copydesk-config-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Run `copydesk check --format json`: exit code, diagnostics (rule and offsets), stderr.
fn check(args: &[&Path]) -> (Option<i32>, Vec<String>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let diags = json["files"][0]["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    format!(
                        "{} {} {} {}",
                        d["rule"], d["severity"], d["start"]["offset"], d["end"]["offset"]
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (out.status.code(), diags, stderr)
}

/// The findings with no configuration at all.
fn defaults() -> Vec<String> {
    let d = TempDir::new("defaults");
    let story = d.write("story.txt", STORY);
    let (code, diags, stderr) = check(&[&story]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(diags.len() >= 3, "{diags:?}");
    diags
}

/// A stderr line names `path` and carries `line:column`.
fn assert_reported_at(stderr: &str, path: &Path, line: usize, column: Option<usize>, what: &str) {
    let p = path.display().to_string();
    let at = match column {
        Some(c) => format!("{p}: {line}:{c}:"),
        None => format!("{p}: {line}:"),
    };
    assert!(
        stderr
            .lines()
            .any(|l| l.contains(&at) && l.to_lowercase().contains(what)),
        "no message at {at} about {what:?} in:\n{stderr}"
    );
}

#[test]
fn malformed_config_is_reported_with_its_position_and_defaults_stay() {
    let want = defaults();
    for (toml, line, column, what) in [
        // a value of the wrong type
        (
            "[rules.unattributed-quote]\nenabled = \"yes\"\n",
            2,
            Some(11),
            "bool",
        ),
        // broken TOML syntax
        (
            "# comment\n\n[rules.undated-claim\nseverity = \"hint\"\n",
            3,
            None,
            "",
        ),
        // an unknown key
        (
            "dateline = \"2024-03-05\"\ncolour = \"red\"\n",
            2,
            Some(1),
            "colour",
        ),
    ] {
        let d = TempDir::new("malformed");
        let cfg = d.write(".copydesk.toml", toml);
        let story = d.write("story.txt", STORY);
        let (code, diags, stderr) = check(&[&story]);
        assert_eq!(code, Some(2), "{toml}: {stderr}");
        assert_reported_at(&stderr, &cfg, line, column, what);
        // the whole file is in error, so the defaults stand for all of it
        assert_eq!(diags, want, "{toml}");
    }
}

#[test]
fn one_bad_value_leaves_the_rest_of_the_config_in_force() {
    let d = TempDir::new("partly");
    let cfg = d.write(
        ".copydesk.toml",
        "[rules.no-such-rule]\nenabled = false\n[rules.undated-claim]\nenabled = false\n",
    );
    let story = d.write("story.txt", STORY);
    let (code, diags, stderr) = check(&[&story]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_reported_at(&stderr, &cfg, 1, Some(8), "unknown rule");
    assert!(!diags.is_empty());
    assert!(
        diags.iter().all(|d| !d.contains("undated-claim")),
        "{diags:?}"
    );
}

#[test]
fn malformed_entity_file_is_reported_with_its_position_and_defaults_stay() {
    let want = defaults();
    let d = TempDir::new("entities");
    d.write(
        ".copydesk.toml",
        "[entities]\nfiles = [\"newsroom.toml\"]\n",
    );
    let ents = d.write(
        "newsroom.toml",
        "knowledge_date = \"2026-11-01\"\n\n[[entity]]\nid = \"x\"\nkind = \"person\"\nname = \"Ann Example\"\naliases = \"not a list\"\n",
    );
    let story = d.write("story.txt", STORY);
    let (code, diags, stderr) = check(&[&story]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_reported_at(&stderr, &ents, 7, Some(11), "");
    assert_eq!(diags, want);
}

#[test]
fn missing_entity_file_says_so() {
    let want = defaults();
    let d = TempDir::new("missing-entities");
    let cfg = d.write(
        ".copydesk.toml",
        "[entities]\nfiles = [\"does-not-exist.toml\"]\n",
    );
    let story = d.write("story.txt", STORY);
    let (code, diags, stderr) = check(&[&story]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_reported_at(&stderr, &cfg, 2, Some(11), "cannot be read");
    assert!(stderr.contains("does-not-exist.toml"), "{stderr}");
    assert_eq!(diags, want);
}

#[test]
fn missing_config_file_given_on_the_command_line() {
    let d = TempDir::new("missing-config");
    let story = d.write("story.txt", STORY);
    let missing = d.0.join("nowhere.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["check", "--config"])
        .arg(&missing)
        .arg(&story)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&missing.display().to_string()) && stderr.contains("does not exist"),
        "{stderr}"
    );
}

/// The server publishes the config error on the config file, at its line, and
/// analyses the story with the defaults.
#[test]
fn malformed_config_through_the_language_server() {
    let d = TempDir::new("lsp");
    let cfg = d.write(
        ".copydesk.toml",
        "# house style\n[rules.unattributed-quote]\nenabled = \"yes\"\n",
    );
    let story = d.write("story.txt", STORY);
    let uri = format!("file://{}", story.display());
    let cfg_uri = format!("file://{}", cfg.display());
    let mut c = Client::start();
    c.initialize(&["utf-16"]);
    c.open(&uri, "plaintext", STORY);
    let errs = c.diagnostics(&cfg_uri, None);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0]["code"], "config-error");
    assert_eq!(errs[0]["range"]["start"]["line"], 2);
    let got = c.diagnostics(&uri, Some(1));
    // the same findings as a story with no configuration
    let fresh = "file:///tmp/copydesk-config-test-none/story.txt";
    c.open(fresh, "plaintext", STORY);
    let want = c.diagnostics(fresh, Some(1));
    let norm = |v: &[Value], u: &str| {
        let mut s: Vec<String> = v
            .iter()
            .map(|d| d.to_string().replace(u, "<uri>"))
            .collect();
        s.sort();
        s
    };
    assert_eq!(norm(&got, &uri), norm(&want, fresh));
    assert!(got.len() >= 3, "{got:?}");
    assert_eq!(c.shutdown_and_exit(), 0);
}
