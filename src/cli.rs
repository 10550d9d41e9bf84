//! The command-line adapter: files in, findings printed. All analysis is `analyze`.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Value, json};

use crate::config;
use crate::position::{Encoding, LineIndex};
use crate::report::{Report, Severity};
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
    // the text model keeps offsets in 32 bits (`Token`, `fold::FoldedWords`)
    let len = std::fs::metadata(path).map_err(|e| describe_io(&e))?.len();
    if len > u64::from(u32::MAX) {
        return Err(format!(
            "too large to check ({len} bytes; copydesk reads stories of up to 4 GiB)"
        ));
    }
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

/// The `--format json` document: a stable, public contract (version 1), written as
/// it is serialised rather than built in memory first (a "write it the same way
/// everywhere" fix repeats every occurrence of a name in each of its findings, which
/// made a tree of the whole document hundreds of MB for a 1 MB story). Keys are in
/// alphabetical order, as they always were.
pub fn write_json(checked: &[Checked], out: &mut impl Write) -> std::io::Result<()> {
    let doc = JsonDoc {
        files: many(checked, |c| JsonFile {
            c,
            idx: LineIndex::new(&c.text),
        }),
        version: 1,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// The same document as a `serde_json::Value`.
pub fn to_json(checked: &[Checked]) -> Value {
    let mut buf = Vec::new();
    write_json(checked, &mut buf).expect("writing to memory");
    serde_json::from_slice(&buf).expect("valid JSON")
}

/// A list serialised item by item through a view function.
struct Many<'a, T, F>(&'a [T], F);

fn many<'a, T, V: Serialize>(items: &'a [T], f: impl Fn(&'a T) -> V) -> impl Serialize {
    Many(items, f)
}

impl<'a, T, F, V> Serialize for Many<'a, T, F>
where
    F: Fn(&'a T) -> V,
    V: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(&self.1))
    }
}

#[derive(Serialize)]
struct JsonDoc<F> {
    files: F,
    version: u32,
}

#[derive(Serialize)]
struct JsonPos {
    column: usize,
    line: usize,
    offset: usize,
}

/// A position in the JSON contract: byte offset, 1-based line, 1-based column in
/// Unicode scalar values.
fn json_pos(text: &str, idx: &LineIndex, offset: usize) -> JsonPos {
    let lc = idx.to_line_col(text, offset, Encoding::Utf32);
    JsonPos {
        column: lc.col + 1,
        line: lc.line + 1,
        offset: offset.min(text.len()),
    }
}

struct JsonFile<'a> {
    c: &'a Checked,
    idx: LineIndex,
}

impl Serialize for JsonFile<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let text = self.c.text.as_str();
        let idx = &self.idx;
        let r = &self.c.report;
        let pos = |o: usize| json_pos(text, idx, o);
        let mut st = s.serialize_struct("file", 6)?;
        st.serialize_field("dateline", &r.dateline.as_ref().map(|d| d.date.to_string()))?;
        st.serialize_field(
            "dates",
            &many(&r.temporals, |t| JsonDate {
                end: pos(t.span.end),
                kind: t.kind,
                resolved: t.resolved.as_ref().map(|x| x.iso()),
                start: pos(t.span.start),
                text: &text[t.span.clone()],
            }),
        )?;
        st.serialize_field(
            "diagnostics",
            &many(&r.diagnostics, |d| JsonDiagnostic {
                end: pos(d.span.end),
                fixes: many(&d.fixes, move |f| JsonFix {
                    edits: many(&f.edits, move |e| JsonEdit {
                        end: pos(e.span.end),
                        new_text: &e.new_text,
                        placeholder: e.placeholder.clone().map(|p| JsonPlaceholder {
                            end: p.end,
                            start: p.start,
                            text: &e.new_text[p],
                        }),
                        start: pos(e.span.start),
                    }),
                    title: &f.title,
                }),
                message: &d.message,
                rule: d.rule,
                severity: d.severity.as_str(),
                start: pos(d.span.start),
                text: &text[d.span.clone()],
            }),
        )?;
        st.serialize_field(
            "entities",
            &many(&r.entities, |e| JsonEntity {
                description: e.description.as_deref().unwrap_or_default(),
                kind: e.kind.as_str(),
                known: e.kb.is_some(),
                mentions: many(&e.mentions, move |m| JsonMention {
                    end: pos(m.span.end),
                    start: pos(m.span.start),
                    text: &text[m.span.clone()],
                }),
                name: &e.name,
            }),
        )?;
        st.serialize_field("path", &self.c.path.display().to_string())?;
        st.serialize_field(
            "quotes",
            &many(&r.quotes, |q| JsonQuote {
                closed: q.closed,
                cue: q.cue.as_deref(),
                end: pos(q.span.end),
                kind: q.kind,
                speaker: q.speaker.as_deref(),
                start: pos(q.span.start),
                text: &text[q.inner.clone()],
            }),
        )?;
        st.end()
    }
}

#[derive(Serialize)]
struct JsonDate<'a, K> {
    end: JsonPos,
    kind: K,
    resolved: Option<String>,
    start: JsonPos,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a, F> {
    end: JsonPos,
    fixes: F,
    message: &'a str,
    rule: &'a str,
    severity: &'a str,
    start: JsonPos,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a, E> {
    edits: E,
    title: &'a str,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    end: JsonPos,
    new_text: &'a str,
    /// Only on edits that have one (an extension of version 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    placeholder: Option<JsonPlaceholder<'a>>,
    start: JsonPos,
}

/// The part of `new_text` to replace: byte offsets into `new_text`, and the text.
#[derive(Serialize)]
struct JsonPlaceholder<'a> {
    end: usize,
    start: usize,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonEntity<'a, M> {
    description: &'a str,
    kind: &'a str,
    known: bool,
    mentions: M,
    name: &'a str,
}

#[derive(Serialize)]
struct JsonMention<'a> {
    end: JsonPos,
    start: JsonPos,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonQuote<'a, K> {
    closed: bool,
    cue: Option<&'a str>,
    end: JsonPos,
    kind: K,
    speaker: Option<&'a str>,
    start: JsonPos,
    text: &'a str,
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
            results.push(json!({"ruleId": d.rule, "level": sarif_level(d.severity), "message": {"text": &*d.message},
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
