//! Report → LSP: diagnostics, hover, code actions, inlay hints, symbols, mentions,
//! rename and completion. Every position goes through `convert`.

use std::sync::Arc;

use tower_lsp_server::ls_types::*;

use super::convert::{offset, position, range};
use super::{Analysis, snippet};
use crate::position::Encoding;
use crate::report::{EntityKind, QuoteKind, Severity, TemporalKind};

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

pub fn diagnostics(uri: &Uri, a: &Analysis, enc: Encoding) -> Vec<Diagnostic> {
    let text = &*a.text;
    a.report
        .diagnostics
        .iter()
        .map(|d| Diagnostic {
            range: range(text, &a.index, &d.span, enc),
            severity: Some(severity(d.severity)),
            code: Some(NumberOrString::String(d.rule.to_string())),
            source: Some("copydesk".into()),
            message: d.message.to_string(),
            related_information: (!d.related.is_empty()).then(|| {
                d.related
                    .iter()
                    .map(|r| DiagnosticRelatedInformation {
                        location: Location {
                            uri: uri.clone(),
                            range: range(text, &a.index, &r.span, enc),
                        },
                        message: r.message.clone(),
                    })
                    .collect()
            }),
            ..Default::default()
        })
        .collect()
}

/// A document's last `publishDiagnostics` body, with the analysis it was
/// serialized from and where each diagnostic's JSON stands in it: the next publish
/// of the document copies the bytes of each diagnostic an edit left as it was
/// instead of serializing it again (`publish_body`).
pub struct Published {
    uri: Uri,
    enc: Encoding,
    analysis: Arc<Analysis>,
    body: Vec<u8>,
    /// Each diagnostic's JSON in `body`, in the report's order.
    items: Vec<std::ops::Range<usize>>,
    /// How many of them were copied from the last publish.
    copied: usize,
}

impl Published {
    /// The whole notification, to be sent with `Output::frame`.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    pub fn uri(&self) -> &Uri {
        &self.uri
    }

    /// How many diagnostics were copied from the last publish, of how many.
    pub fn copied(&self) -> (usize, usize) {
        (self.copied, self.items.len())
    }
}

/// The `textDocument/publishDiagnostics` notification for an analysis: the same
/// JSON as `PublishDiagnosticsParams` with `diagnostics` gives (tests below), but
/// serialized straight from the report, with no LSP values built in between (each
/// would copy its message, code, source and related places' URIs first). A
/// diagnostic whose JSON would be the same as in the document's last publish
/// (`last`) is copied from it (`Unmoved`): after a keystroke, all but those near it.
pub fn publish_body(
    uri: &Uri,
    a: &Arc<Analysis>,
    enc: Encoding,
    last: Option<&Published>,
) -> serde_json::Result<Published> {
    let diagnostics = &a.report.diagnostics;
    let unmoved = last
        .filter(|l| l.enc == enc && l.uri == *uri)
        .map(|l| Unmoved::new(l, a));
    let room = last.map_or(512 + 320 * diagnostics.len(), |l| l.body.len() + 4096);
    let mut body = Vec::with_capacity(room);
    body.extend_from_slice(
        br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#,
    );
    serde_json::to_writer(&mut body, uri)?;
    body.extend_from_slice(br#","diagnostics":["#);
    let mut items = Vec::with_capacity(diagnostics.len());
    // (the last publish's diagnostics before this one cannot be the same as it)
    let mut passed = 0;
    let mut copied = 0;
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        let start = body.len();
        match unmoved.as_ref().and_then(|u| u.same(d, &mut passed)) {
            Some(bytes) => {
                body.extend_from_slice(bytes);
                copied += 1;
            }
            None => serde_json::to_writer(
                &mut body,
                &DiagnosticJson {
                    range: range(&a.text, &a.index, &d.span, enc),
                    severity: severity(d.severity),
                    code: d.rule,
                    source: "copydesk",
                    message: &d.message,
                    related_information: (!d.related.is_empty()).then_some(RelatedJson {
                        uri,
                        a,
                        enc,
                        related: &d.related,
                    }),
                },
            )?,
        }
        items.push(start..body.len());
    }
    body.extend_from_slice(br#"],"version":"#);
    body.extend_from_slice(a.version.to_string().as_bytes());
    body.extend_from_slice(b"}}");
    Ok(Published {
        uri: uri.clone(),
        enc,
        analysis: a.clone(),
        body,
        items,
        copied,
    })
}

/// What an edit left as it was between the last publish's text and this one's:
/// the spans whose LSP ranges it cannot have changed.
struct Unmoved<'a> {
    last: &'a Published,
    /// The length of the texts' common start: a span that ends before it has
    /// the same range in both.
    prefix: usize,
    /// Where, in the new text, the first line wholly inside the texts' common end
    /// starts (at most): a span that starts there has the same columns in both,
    /// and the same lines if the texts have as many lines.
    settled: usize,
    same_lines: bool,
    /// The new text's length less the last one's.
    shift: isize,
}

impl<'a> Unmoved<'a> {
    fn new(last: &'a Published, a: &Analysis) -> Self {
        let (old, new) = (last.analysis.text.as_bytes(), a.text.as_bytes());
        let (prefix, suffix) = crate::text::common_ends(old, new);
        let tail = new.len() - suffix;
        // (a line starts after a \n, a \r\n or a lone \r: within two bytes of
        // the first of either; from there on, all a position depends on is common)
        let settled =
            memchr::memchr2(b'\n', b'\r', &new[tail..]).map_or(usize::MAX, |i| tail + i + 2);
        Unmoved {
            last,
            prefix,
            settled,
            same_lines: last.analysis.index.line_count() == a.index.line_count(),
            shift: new.len() as isize - old.len() as isize,
        }
    }

    /// The span in the last text with the same range as `s` in this one, if the
    /// edit left it so.
    fn before(&self, s: &crate::report::Span) -> Option<crate::report::Span> {
        if s.end < self.prefix {
            Some(s.clone())
        } else if self.same_lines && s.start >= self.settled {
            Some(s.start.checked_add_signed(-self.shift)?..s.end.checked_add_signed(-self.shift)?)
        } else {
            None
        }
    }

    /// The JSON of the last publish's diagnostic that is the same as `d`, if there
    /// is one: the same range, rule, severity and message, and the same related
    /// places. `passed` counts the last publish's diagnostics before `d`'s range,
    /// for the next one to search on from (both are in the order of their spans).
    fn same(&self, d: &crate::report::Diagnostic, passed: &mut usize) -> Option<&'a [u8]> {
        let span = self.before(&d.span)?;
        let old = &self.last.analysis.report.diagnostics;
        while old
            .get(*passed)
            .is_some_and(|o| (o.span.start, o.span.end) < (span.start, span.end))
        {
            *passed += 1;
        }
        let k = (*passed..old.len())
            .take_while(|&k| old[k].span == span)
            .find(|&k| {
                let o = &old[k];
                o.rule == d.rule
                    && o.severity == d.severity
                    && o.message == d.message
                    && o.related.len() == d.related.len()
                    && o.related.iter().zip(&d.related).all(|(o, r)| {
                        o.message == r.message && self.before(&r.span).as_ref() == Some(&o.span)
                    })
            })?;
        Some(&self.last.body[self.last.items[k].clone()])
    }
}

/// One diagnostic, with the fields of `Diagnostic` that `diagnostics` fills, in its
/// order.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct DiagnosticJson<'a> {
    range: Range,
    severity: DiagnosticSeverity,
    code: &'static str,
    source: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    related_information: Option<RelatedJson<'a>>,
}

struct RelatedJson<'a> {
    uri: &'a Uri,
    a: &'a Analysis,
    enc: Encoding,
    related: &'a [crate::report::Related],
}

#[derive(serde::Serialize)]
struct RelatedOneJson<'a> {
    location: LocationJson<'a>,
    message: &'a str,
}

#[derive(serde::Serialize)]
struct LocationJson<'a> {
    uri: &'a Uri,
    range: Range,
}

impl serde::Serialize for RelatedJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.a;
        s.collect_seq(self.related.iter().map(|r| RelatedOneJson {
            location: LocationJson {
                uri: self.uri,
                range: range(&a.text, &a.index, &r.span, self.enc),
            },
            message: &r.message,
        }))
    }
}

fn kind_name(k: EntityKind) -> &'static str {
    match k {
        EntityKind::Person => "person",
        EntityKind::Place => "place",
        EntityKind::Organization => "organization",
        EntityKind::Other => "entity",
    }
}

/// Hover: an entity, a temporal expression, or a quotation, innermost first.
pub fn hover(a: &Analysis, pos: Position, enc: Encoding) -> Option<Hover> {
    let text = &*a.text;
    let off = offset(text, &a.index, pos, enc);
    let r = &a.report;
    let (md, span) = if let Some((ei, e, m)) = r.entity_at(off) {
        let mut s = format!("**{}** — {}", e.name, kind_name(e.kind));
        if e.kb.is_none() {
            s.push_str(" (not in the knowledge base)");
        }
        s.push_str("\n\n");
        if let Some(d) = &e.description {
            s.push_str(&format!("{d}\n\n"));
        }
        if let (Some(k), Some(dl)) = (e.kb, &r.dateline) {
            let ent = &a.options.kb.entities[k];
            if let Some(role) = ent.role_on(&dl.date.to_string()) {
                s.push_str(&format!(
                    "On the story's date ({}): {}\n\n",
                    dl.date, role.title
                ));
            } else if !ent.data().roles.is_empty() {
                s.push_str(&format!(
                    "No role on record for the story's date ({}).\n\n",
                    dl.date
                ));
            }
        }
        if let Some(p) = &e.preferred {
            s.push_str(&format!("House style: **{p}**\n\n"));
        }
        let mut counts: Vec<(String, usize)> = Vec::new();
        for mm in &e.mentions {
            let w = &text[mm.span.clone()];
            match counts.iter_mut().find(|c| c.0 == w) {
                Some(c) => c.1 += 1,
                None => counts.push((w.to_string(), 1)),
            }
        }
        let spellings: Vec<String> = counts.iter().map(|(w, n)| format!("“{w}” ×{n}")).collect();
        s.push_str(&format!("In this story: {}\n\n", spellings.join(", ")));
        let first = a
            .index
            .to_line_col(text, e.mentions[0].span.start, Encoding::Utf32);
        s.push_str(&format!(
            "{} mention{}; first on line {}.",
            e.mentions.len(),
            if e.mentions.len() == 1 { "" } else { "s" },
            first.line + 1
        ));
        let quotes: Vec<&crate::report::QuoteInfo> = r
            .quotes
            .iter()
            .filter(|q| q.speaker_entity == Some(ei))
            .collect();
        if !quotes.is_empty() {
            s.push_str(&format!(
                "\n\nQuoted {} time{}:",
                quotes.len(),
                if quotes.len() == 1 { "" } else { "s" }
            ));
            for q in quotes.iter().take(5) {
                let words: String = text[q.inner.clone()].chars().take(80).collect();
                s.push_str(&format!(
                    "\n- “{}” (*{}*)",
                    words.trim(),
                    q.cue.as_deref().unwrap_or("")
                ));
            }
        }
        (s, m.span.clone())
    } else if let Some(t) = r.temporal_at(off) {
        let s = match (&t.resolved, t.kind) {
            (_, TemporalKind::Anchored) => {
                format!("**{}** — {}", &text[t.span.clone()], t.explanation)
            }
            (Some(_), _) => t.explanation.to_string(),
            (None, _) => format!(
                "**{}** — cannot be resolved: {}. Give the story a date (front matter `date:`, or the `copydesk.dateline` setting).",
                &text[t.span.clone()],
                t.explanation
            ),
        };
        (s, t.span.clone())
    } else if let Some(q) = r.quote_at(off) {
        let s = match (&q.speaker, &q.cue) {
            _ if q.kind != QuoteKind::Speech => format!(
                "Not a quotation of someone's words: {}.",
                match q.kind {
                    QuoteKind::Title => "a title or a name",
                    _ => "a quoted term or scare quote",
                }
            ),
            (Some(sp), Some(cue)) => format!("Quotation: **{sp}**, *{cue}*\n\n{}", q.explanation),
            _ => format!("Quotation with no speaker found: {}.", q.explanation),
        };
        (s, q.span.clone())
    } else {
        return None;
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: md,
        }),
        range: Some(range(text, &a.index, &span, enc)),
    })
}

fn edit_for(uri: &Uri, a: &Analysis, edits: Vec<TextEdit>) -> WorkspaceEdit {
    versioned_edit(uri, a, edits.into_iter().map(OneOf::Left).collect())
}

fn versioned_edit(
    uri: &Uri,
    a: &Analysis,
    edits: Vec<OneOf<TextEdit, AnnotatedTextEdit>>,
) -> WorkspaceEdit {
    // versioned, so a stale fix cannot apply to newer text
    WorkspaceEdit {
        document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: uri.clone(),
                version: Some(a.version),
            },
            edits,
        }])),
        ..Default::default()
    }
}

/// The quick fix for one `Fix`, in the form the client takes (see `snippet`): an edit
/// with a placeholder is a snippet edit, or the client's snippet command, or plain text.
fn fix_action(
    uri: &Uri,
    a: &Analysis,
    f: &crate::report::Fix,
    diagnostic: Diagnostic,
    enc: Encoding,
    snippets: snippet::Support,
) -> CodeAction {
    let text = &*a.text;
    let action = CodeAction {
        title: f.title.clone(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic]),
        is_preferred: Some(f.preferred),
        ..Default::default()
    };
    let body = |e: &crate::report::Edit| {
        e.placeholder
            .as_ref()
            .and_then(|p| snippet::body(&e.new_text, p))
    };
    // the command inserts one snippet: a fix of several edits stays an edit
    if let (snippet::Support::Command, [e]) = (snippets, &*f.edits) {
        if let Some(body) = body(e) {
            let at = range(text, &a.index, &e.span, enc);
            return CodeAction {
                command: Some(snippet::command(&f.title, uri, a.version, at, body)),
                ..action
            };
        }
    }
    let edits = f
        .edits
        .iter()
        .map(|e| {
            let range = range(text, &a.index, &e.span, enc);
            match body(e).filter(|_| snippets == snippet::Support::SnippetEdit) {
                Some(body) => OneOf::Right(AnnotatedTextEdit {
                    text_edit: TextEdit {
                        range,
                        new_text: body,
                    },
                    annotation_id: snippet::MARKER.into(),
                }),
                None => OneOf::Left(TextEdit {
                    range,
                    new_text: e.new_text.clone(),
                }),
            }
        })
        .collect();
    CodeAction {
        edit: Some(versioned_edit(uri, a, edits)),
        ..action
    }
}

pub fn code_actions(
    uri: &Uri,
    a: &Analysis,
    want: Range,
    enc: Encoding,
    snippets: snippet::Support,
) -> Vec<CodeActionOrCommand> {
    let text = &*a.text;
    let from = offset(text, &a.index, want.start, enc);
    let to = offset(text, &a.index, want.end, enc);
    let mut out = Vec::new();
    let lsp_diags = diagnostics(uri, a, enc);
    for (d, ld) in a.report.diagnostics.iter().zip(lsp_diags) {
        if d.span.end < from || d.span.start > to {
            continue;
        }
        for f in &d.fixes {
            out.push(CodeActionOrCommand::CodeAction(fix_action(
                uri,
                a,
                f,
                ld.clone(),
                enc,
                snippets,
            )));
        }
        // a suppression comment on the line before
        let line = a.index.to_line_col(text, d.span.start, enc).line;
        let line_start = a.index.line_range(text, line).start;
        let comment = if a.options.format == crate::text::Format::Markdown {
            format!("<!-- copydesk-disable-next-line {} -->\n", d.rule)
        } else {
            format!("[copydesk-disable-next-line {}]\n", d.rule)
        };
        let at = range(text, &a.index, &(line_start..line_start), enc);
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Silence {} on this line", d.rule),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![ld]),
            edit: Some(edit_for(
                uri,
                a,
                vec![TextEdit {
                    range: at,
                    new_text: comment,
                }],
            )),
            ..Default::default()
        }));
    }
    // relative dates: write the absolute date instead
    for t in &a.report.temporals {
        if t.kind != TemporalKind::Relative || t.span.end < from || t.span.start > to {
            continue;
        }
        if let Some(abs) = &t.absolute_text {
            let written = &text[t.span.clone()];
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Replace “{written}” with “{abs}”"),
                kind: Some(CodeActionKind::REFACTOR_REWRITE),
                edit: Some(edit_for(
                    uri,
                    a,
                    vec![TextEdit {
                        range: range(text, &a.index, &t.span, enc),
                        new_text: abs.to_string(),
                    }],
                )),
                ..Default::default()
            }));
        }
    }
    out
}

fn short_name(name: &str) -> &str {
    name.rsplit(' ').next().unwrap_or(name)
}

pub fn inlay_hints(
    a: &Analysis,
    want: Range,
    enc: Encoding,
    speakers: bool,
    dates: bool,
) -> Vec<InlayHint> {
    let text = &*a.text;
    let from = offset(text, &a.index, want.start, enc);
    let to = offset(text, &a.index, want.end, enc);
    let mut out = Vec::new();
    if speakers {
        for q in &a.report.quotes {
            if q.span.end < from || q.span.start > to || q.kind != QuoteKind::Speech {
                continue;
            }
            if let Some(sp) = &q.speaker {
                out.push(InlayHint {
                    position: position(text, &a.index, q.span.end, enc),
                    label: InlayHintLabel::String(format!("— {}", short_name(sp))),
                    kind: None,
                    text_edits: None,
                    tooltip: Some(InlayHintTooltip::String(format!(
                        "{sp}, {}",
                        q.cue.as_deref().unwrap_or("")
                    ))),
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                });
            }
        }
    }
    if dates {
        for t in &a.report.temporals {
            if t.kind != TemporalKind::Relative || t.span.end < from || t.span.start > to {
                continue;
            }
            if let Some(r) = &t.resolved {
                let label = match r {
                    crate::report::Resolved::Day(d) => crate::temporal::long_date(*d),
                    other => other.iso(),
                };
                out.push(InlayHint {
                    position: position(text, &a.index, t.span.end, enc),
                    label: InlayHintLabel::String(format!("({label})")),
                    kind: None,
                    text_edits: None,
                    tooltip: Some(InlayHintTooltip::String(t.explanation.to_string())),
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                });
            }
        }
    }
    out.sort_by_key(|h| (h.position.line, h.position.character));
    out
}

#[allow(deprecated)]
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    r: Range,
    children: Option<Vec<DocumentSymbol>>,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: r,
        selection_range: r,
        children,
    }
}

/// The dateline, then the story's "who said what": quotations grouped by speaker.
pub fn symbols(a: &Analysis, enc: Encoding) -> Vec<DocumentSymbol> {
    let text = &*a.text;
    let mut out = Vec::new();
    if let Some(d) = &a.report.dateline {
        let span = d.span.clone().unwrap_or(0..0);
        out.push(symbol(
            format!("Dateline {}", d.date),
            Some(d.source.describe().into()),
            SymbolKind::EVENT,
            range(text, &a.index, &span, enc),
            None,
        ));
    }
    let mut groups: Vec<(String, Vec<DocumentSymbol>)> = Vec::new();
    for q in &a.report.quotes {
        if q.kind != QuoteKind::Speech {
            continue;
        }
        let who = q.speaker.as_deref().unwrap_or("(no speaker)").to_string();
        let words: String = text[q.inner.clone()].chars().take(60).collect();
        let s = symbol(
            format!("“{}”", words.trim()),
            q.cue.as_deref().map(str::to_string),
            SymbolKind::STRING,
            range(text, &a.index, &q.span, enc),
            None,
        );
        match groups.iter_mut().find(|g| g.0 == who) {
            Some(g) => g.1.push(s),
            None => groups.push((who, vec![s])),
        }
    }
    for (who, children) in groups {
        let r = Range {
            start: children[0].range.start,
            end: children.last().unwrap().range.end,
        };
        out.push(symbol(
            who,
            Some(format!("{} quotation(s)", children.len())),
            SymbolKind::NAMESPACE,
            r,
            Some(children),
        ));
    }
    out
}

pub fn code_lenses(a: &Analysis, enc: Encoding) -> Vec<CodeLens> {
    let text = &*a.text;
    let title = match &a.report.dateline {
        Some(d) => format!(
            "Dateline: {} (from {})",
            crate::temporal::long_date(d.date),
            d.source.describe()
        ),
        None => "No dateline: relative dates cannot be resolved".into(),
    };
    vec![CodeLens {
        range: range(text, &a.index, &(0..0), enc),
        command: Some(Command {
            title,
            command: String::new(),
            arguments: None,
        }),
        data: None,
    }]
}

/// Every mention of the entity at `pos`.
pub fn mentions(a: &Analysis, pos: Position, enc: Encoding) -> Option<Vec<Range>> {
    let text = &*a.text;
    let off = offset(text, &a.index, pos, enc);
    let (_, e, _) = a.report.entity_at(off)?;
    Some(
        e.mentions
            .iter()
            .map(|m| range(text, &a.index, &m.span, enc))
            .collect(),
    )
}

/// Rename every mention of the entity at `pos`, whatever its spelling: full mentions
/// get the new name, one-word mentions (surname, acronym) its last word.
pub fn rename(
    uri: &Uri,
    a: &Analysis,
    pos: Position,
    new_name: &str,
    enc: Encoding,
) -> Option<WorkspaceEdit> {
    let text = &*a.text;
    let off = offset(text, &a.index, pos, enc);
    let (_, e, _) = a.report.entity_at(off)?;
    let new_words = new_name.split_whitespace().count();
    let edits = e
        .mentions
        .iter()
        .map(|m| {
            let written = &text[m.span.clone()];
            let replacement = if written.split_whitespace().count() == 1 && new_words > 1 {
                short_name(new_name)
            } else {
                new_name
            };
            TextEdit {
                range: range(text, &a.index, &m.span, enc),
                new_text: replacement.to_string(),
            }
        })
        .collect();
    Some(edit_for(uri, a, edits))
}

/// Canonical names for a capitalised prefix before the cursor.
pub fn completion(a: &Analysis, pos: Position, enc: Encoding) -> Option<Vec<CompletionItem>> {
    let text = &*a.text;
    let off = offset(text, &a.index, pos, enc);
    let before = &text[..off];
    let start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '’'))
        .map_or(0, |i| i + before[i..].chars().next().unwrap().len_utf8());
    let prefix = &text[start..off];
    if prefix.chars().count() < 2 || !prefix.chars().next()?.is_uppercase() {
        return None;
    }
    let r = range(text, &a.index, &(start..off), enc);
    let mut items = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for e in a
        .report
        .entities
        .iter()
        .filter(|e| e.name.starts_with(prefix))
    {
        if seen.insert(e.name.to_string()) {
            items.push(item(
                &e.name,
                e.description.as_deref().map(str::to_string),
                r,
                "0",
            ));
        }
    }
    for e in &a.options.kb.entities {
        if items.len() >= 50 {
            break;
        }
        if e.data().name.starts_with(prefix) && seen.insert(e.data().name.clone()) {
            items.push(item(
                &e.data().name,
                Some(e.data().description.clone()),
                r,
                if e.well_known { "1" } else { "2" },
            ));
        }
    }
    Some(items)
}

fn item(name: &str, detail: Option<String>, r: Range, sort: &str) -> CompletionItem {
    CompletionItem {
        label: name.to_string(),
        kind: Some(CompletionItemKind::REFERENCE),
        detail,
        sort_text: Some(format!("{sort}{name}")),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit {
            range: r,
            new_text: name.to_string(),
        })),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::Options;
    use crate::position::LineIndex;
    use crate::text::Format;

    /// `publish_body` writes what the LSP types would: byte for byte, for every seed
    /// and corpus story, in each position encoding (non-ASCII text included).
    #[test]
    fn published_json_is_the_lsp_types_json() {
        let mut texts: Vec<String> = Vec::new();
        for dir in ["seeds", "tests/corpus"] {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "txt" || x == "md") {
                    texts.push(std::fs::read_to_string(&p).unwrap());
                }
            }
        }
        texts.push(String::new());
        texts.push("Erdoğan said “We will stay” — 😀 in Kiev and Kyiv.\r\n\r\n\"Open".into());
        let uri: Uri = "file:///tmp/st%C3%B6ry.md".parse().unwrap();
        let mut related = 0;
        for text in texts {
            let options = Options {
                format: Format::Markdown,
                ..Options::default()
            };
            let report = crate::analyze(&text, &options);
            related += report
                .diagnostics
                .iter()
                .filter(|d| !d.related.is_empty())
                .count();
            let a = Arc::new(Analysis {
                version: 7,
                rev: 1,
                index: LineIndex::new(&text),
                text: text.into(),
                report,
                options,
            });
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                let want = super::super::output::notification(
                    "textDocument/publishDiagnostics",
                    &PublishDiagnosticsParams {
                        uri: uri.clone(),
                        diagnostics: diagnostics(&uri, &a, enc),
                        version: Some(7),
                    },
                )
                .unwrap();
                let got = publish_body(&uri, &a, enc, None).unwrap().body;
                assert_eq!(String::from_utf8(got), String::from_utf8(want));
            }
        }
        assert!(
            related > 0,
            "no diagnostic with related places was compared"
        );
    }
}
