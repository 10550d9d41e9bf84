//! The command-line adapter: files in, findings printed. All analysis is `analyze`.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::config;
use crate::position::{Encoding, LineIndex};
use crate::report::{Report, Severity, Span};
use crate::text::Format;
use crate::{Options, analyze};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
    Sarif,
    Github,
}

/// One checked file.
pub struct Checked {
    pub path: PathBuf,
    pub text: String,
    pub report: Report,
}

/// A problem reading a file or folder; the rest are still checked.
#[derive(Debug)]
pub struct ReadError {
    pub path: PathBuf,
    pub message: String,
}

const EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// Files to check under the given paths: files as given, folders walked for .md,
/// .markdown and .txt files, in a stable order. Symlink loops and unreadable folders
/// become errors, not hangs.
pub fn collect(paths: &[PathBuf], errors: &mut Vec<ReadError>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in paths {
        walk(p, true, &mut out, &mut seen, errors);
    }
    out
}

fn walk(
    p: &Path,
    explicit: bool,
    out: &mut Vec<PathBuf>,
    seen: &mut std::collections::HashSet<PathBuf>,
    errors: &mut Vec<ReadError>,
) {
    let meta = match std::fs::metadata(p) {
        Ok(m) => m,
        Err(e) => {
            errors.push(ReadError {
                path: p.into(),
                message: describe_io(&e),
            });
            return;
        }
    };
    if meta.is_dir() {
        let canon = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        if !seen.insert(canon) {
            errors.push(ReadError {
                path: p.into(),
                message: "symbolic link loop: this folder was already visited".into(),
            });
            return;
        }
        let entries = match std::fs::read_dir(p) {
            Ok(e) => e,
            Err(e) => {
                errors.push(ReadError {
                    path: p.into(),
                    message: describe_io(&e),
                });
                return;
            }
        };
        let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        for c in children {
            let name = c.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with('.') || name == "node_modules" || name == "target" {
                continue;
            }
            walk(&c, false, out, seen, errors);
        }
    } else if explicit
        || p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
    {
        out.push(p.to_path_buf());
    }
}

fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Read a story: lossy for invalid UTF-8 (reported once), refused for binary files.
pub fn read_story(path: &Path) -> Result<(String, Option<String>), String> {
    let bytes = std::fs::read(path).map_err(|e| describe_io(&e))?;
    let sample = &bytes[..bytes.len().min(8192)];
    let nuls = sample.iter().filter(|b| **b == 0).count();
    if nuls > 0 && nuls * 20 > sample.len().max(1) {
        return Err("binary file, not a story (skipped)".into());
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok((s, None)),
        Err(e) => {
            // each invalid byte becomes one U+001A SUBSTITUTE, one byte long, so every
            // offset, line and column of the valid parts stays what it is on disk
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let mut text = String::with_capacity(bytes.len());
            let mut bad = 0;
            for chunk in bytes.utf8_chunks() {
                text.push_str(chunk.valid());
                bad += chunk.invalid().len();
                text.extend(std::iter::repeat_n('\u{1a}', chunk.invalid().len()));
            }
            Ok((
                text,
                Some(format!(
                    "invalid UTF-8 ({bad} byte(s), the first at byte {at}); each was read as U+001A, and the rest was checked"
                )),
            ))
        }
    }
}

/// Options for a file: the nearest `.copydesk.toml` (or the given one), cached per file.
pub struct ConfigCache {
    explicit: Option<config::Loaded>,
    by_path: std::collections::HashMap<PathBuf, config::Loaded>,
    pub date: Option<jiff::civil::Date>,
}

impl ConfigCache {
    pub fn new(
        explicit: Option<&Path>,
        date: Option<jiff::civil::Date>,
        errors: &mut Vec<ReadError>,
    ) -> Self {
        let explicit = explicit.map(|p| {
            let l = config::load(p);
            for e in &l.errors {
                errors.push(ReadError {
                    path: e.path.clone(),
                    message: format!("{}:{}: {}", e.line, e.column, e.message),
                });
            }
            l
        });
        ConfigCache {
            explicit,
            by_path: Default::default(),
            date,
        }
    }

    pub fn options_for(&mut self, file: &Path, errors: &mut Vec<ReadError>) -> Options {
        let mut options = if let Some(l) = &self.explicit {
            l.options.clone()
        } else {
            let abs = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
            match config::discover(&abs) {
                Some(cfg) => {
                    if !self.by_path.contains_key(&cfg) {
                        let l = config::load(&cfg);
                        for e in &l.errors {
                            errors.push(ReadError {
                                path: e.path.clone(),
                                message: format!("{}:{}: {}", e.line, e.column, e.message),
                            });
                        }
                        self.by_path.insert(cfg.clone(), l);
                    }
                    self.by_path[&cfg].options.clone()
                }
                None => Options::default(),
            }
        };
        options.format = Format::from_path(file);
        if self.date.is_some() {
            options.dateline = self.date;
        }
        options
    }
}

pub fn check_files(
    files: &[PathBuf],
    configs: &mut ConfigCache,
    errors: &mut Vec<ReadError>,
) -> Vec<Checked> {
    let mut out = Vec::new();
    for f in files {
        let (text, warning) = match read_story(f) {
            Ok(t) => t,
            Err(m) => {
                errors.push(ReadError {
                    path: f.clone(),
                    message: m,
                });
                continue;
            }
        };
        if let Some(w) = warning {
            errors.push(ReadError {
                path: f.clone(),
                message: w,
            });
        }
        let options = configs.options_for(f, errors);
        let report = analyze(&text, &options);
        out.push(Checked {
            path: f.clone(),
            text,
            report,
        });
    }
    out
}

/// A position in the JSON contract: byte offset, 1-based line, 1-based column in
/// Unicode scalar values.
pub fn json_pos(text: &str, idx: &LineIndex, offset: usize) -> Value {
    let lc = idx.to_line_col(text, offset, Encoding::Utf32);
    json!({"offset": offset.min(text.len()), "line": lc.line + 1, "column": lc.col + 1})
}

fn span_json(text: &str, idx: &LineIndex, s: &Span) -> (Value, Value) {
    (json_pos(text, idx, s.start), json_pos(text, idx, s.end))
}

/// The `--format json` document: a stable, public contract (version 1).
pub fn to_json(checked: &[Checked]) -> Value {
    let files: Vec<Value> = checked
        .iter()
        .map(|c| {
            let text = c.text.as_str();
            let idx = LineIndex::new(text);
            let r = &c.report;
            let diagnostics: Vec<Value> = r
                .diagnostics
                .iter()
                .map(|d| {
                    let (start, end) = span_json(text, &idx, &d.span);
                    let fixes: Vec<Value> = d
                        .fixes
                        .iter()
                        .map(|f| {
                            let edits: Vec<Value> = f
                                .edits
                                .iter()
                                .map(|e| {
                                    let (s, en) = span_json(text, &idx, &e.span);
                                    json!({"start": s, "end": en, "new_text": e.new_text})
                                })
                                .collect();
                            json!({"title": f.title, "edits": edits})
                        })
                        .collect();
                    json!({"rule": d.rule, "severity": d.severity.as_str(), "message": d.message,
                        "start": start, "end": end, "text": &text[d.span.clone()], "fixes": fixes})
                })
                .collect();
            let quotes: Vec<Value> = r
                .quotes
                .iter()
                .map(|q| {
                    let (start, end) = span_json(text, &idx, &q.span);
                    json!({"start": start, "end": end, "text": &text[q.inner.clone()], "speaker": q.speaker, "cue": q.cue,
                        "kind": q.kind, "closed": q.closed})
                })
                .collect();
            let entities: Vec<Value> = r
                .entities
                .iter()
                .map(|e| {
                    let mentions: Vec<Value> = e
                        .mentions
                        .iter()
                        .map(|m| {
                            let (start, end) = span_json(text, &idx, &m.span);
                            json!({"start": start, "end": end, "text": &text[m.span.clone()]})
                        })
                        .collect();
                    json!({"name": e.name, "kind": e.kind.as_str(), "known": e.kb.is_some(),
                        "description": e.description.clone().unwrap_or_default(), "mentions": mentions})
                })
                .collect();
            let temporals: Vec<Value> = r
                .temporals
                .iter()
                .map(|t| {
                    let (start, end) = span_json(text, &idx, &t.span);
                    json!({"start": start, "end": end, "text": &text[t.span.clone()], "kind": t.kind,
                        "resolved": t.resolved.as_ref().map(|x| x.iso())})
                })
                .collect();
            json!({"path": c.path.display().to_string(),
                "dateline": r.dateline.as_ref().map(|d| d.date.to_string()),
                "diagnostics": diagnostics, "quotes": quotes, "entities": entities, "dates": temporals})
        })
        .collect();
    json!({"version": 1, "files": files})
}

/// Compiler-style human output: `path:line:col: severity[rule]: message`, the line,
/// and the span underlined.
pub fn human(c: &Checked, color: bool, out: &mut impl Write) -> std::io::Result<()> {
    let text = c.text.as_str();
    let idx = LineIndex::new(text);
    for d in &c.report.diagnostics {
        let lc = idx.to_line_col(text, d.span.start, Encoding::Utf32);
        let (sev, col) = match d.severity {
            Severity::Error => ("error", "\x1b[1;31m"),
            Severity::Warning => ("warning", "\x1b[1;33m"),
            Severity::Information => ("info", "\x1b[1;36m"),
            Severity::Hint => ("hint", "\x1b[1;32m"),
        };
        let (c0, c1, b0) = if color {
            (col, "\x1b[0m", "\x1b[1m")
        } else {
            ("", "", "")
        };
        writeln!(
            out,
            "{b0}{}:{}:{}{c1}: {c0}{sev}{c1}[{}]: {}",
            c.path.display(),
            lc.line + 1,
            lc.col + 1,
            d.rule,
            d.message
        )?;
        let range = idx.line_range(text, lc.line);
        let line = &text[range.clone()];
        let shown: String = line
            .chars()
            .map(|ch| if ch == '\t' { ' ' } else { ch })
            .collect();
        writeln!(out, "  {} | {}", lc.line + 1, shown)?;
        let end = d.span.end.min(range.end).max(d.span.start + 1);
        let pad = text[range.start..d.span.start.max(range.start)]
            .chars()
            .count();
        let width = text[d.span.start.min(range.end)..end.min(range.end)]
            .chars()
            .count()
            .max(1);
        let gutter = " ".repeat((lc.line + 1).to_string().len());
        writeln!(
            out,
            "  {gutter} | {}{c0}{}{c1}",
            " ".repeat(pad),
            "^".repeat(width)
        )?;
        if let Some(f) = d.fixes.first() {
            writeln!(out, "  {gutter} = fix: {}", f.title)?;
        }
    }
    Ok(())
}

/// GitHub workflow annotations.
pub fn github(c: &Checked, out: &mut impl Write) -> std::io::Result<()> {
    let text = c.text.as_str();
    let idx = LineIndex::new(text);
    for d in &c.report.diagnostics {
        let s = idx.to_line_col(text, d.span.start, Encoding::Utf32);
        let e = idx.to_line_col(text, d.span.end, Encoding::Utf32);
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            _ => "notice",
        };
        let msg = d
            .message
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A");
        writeln!(
            out,
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            c.path.display(),
            s.line + 1,
            s.col + 1,
            e.line + 1,
            e.col + 1,
            d.rule,
            msg
        )?;
    }
    Ok(())
}

/// SARIF 2.1.0.
pub fn sarif(checked: &[Checked]) -> Value {
    let rules: Vec<Value> = crate::rules::ALL
        .iter()
        .map(|r| json!({"id": r.doc.code, "shortDescription": {"text": r.doc.summary}, "fullDescription": {"text": r.doc.what},
            "help": {"text": format!("{} Fix: {}", r.doc.why, r.doc.fix)},
            "defaultConfiguration": {"level": sarif_level(r.doc.severity)}}))
        .collect();
    let mut results = Vec::new();
    for c in checked {
        let text = c.text.as_str();
        let idx = LineIndex::new(text);
        for d in &c.report.diagnostics {
            let s = idx.to_line_col(text, d.span.start, Encoding::Utf32);
            let e = idx.to_line_col(text, d.span.end, Encoding::Utf32);
            results.push(json!({"ruleId": d.rule, "level": sarif_level(d.severity), "message": {"text": d.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": c.path.display().to_string()},
                    "region": {"startLine": s.line + 1, "startColumn": s.col + 1, "endLine": e.line + 1, "endColumn": e.col + 1,
                        "charOffset": d.span.start, "charLength": d.span.len()}}}]}));
        }
    }
    json!({"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "copydesk", "version": env!("CARGO_PKG_VERSION"), "rules": rules}}, "results": results}]})
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}
