//! Quick fixes with a placeholder to fill in (`SPEAKER` in ` SPEAKER said`), in the
//! form each client can take:
//!
//! 1. A client that declares `workspace.workspaceEdit.snippetEditSupport` (LSP 3.18;
//!    VS Code through vscode-languageclient 10 and later) gets a `SnippetTextEdit`
//!    (`{"range", "snippet": {"kind": "snippet", "value"}}`) in the versioned
//!    `TextDocumentEdit`, as the protocol has it.
//! 2. A client that announces the experimental capability
//!    `{"copydesk": {"insertSnippetCommand": true}}` gets a code action with no edit
//!    and the command [`COMMAND`], which the client carries out itself (our Neovim
//!    plugin: Neovim 0.11 neither declares nor applies snippet edits). The server
//!    does not offer the command in `executeCommandProvider`: it is the client's.
//! 3. Any other client gets the plain text edit, as before.
//!
//! ls-types 0.0.6 has no `SnippetTextEdit`, its `WorkspaceEditClientCapabilities`
//! drops `snippetEditSupport`, and tower-lsp-server lets no custom method replace
//! `textDocument/codeAction`. So [`Capture`] wraps the service: it reads the raw
//! capabilities of `initialize`, and rewrites each edit of a `textDocument/codeAction`
//! answer that `features` marked with [`MARKER`] into a `SnippetTextEdit`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::ls_types::{Command, Range, Uri};
use tower_service::Service;

use super::State;
use crate::lock;
use crate::report::Span;

/// How the client takes an edit with a placeholder.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Support {
    /// Plain text edits only.
    #[default]
    Plain,
    /// The client runs [`COMMAND`] itself.
    Command,
    /// LSP 3.18 `SnippetTextEdit` in workspace edits (preferred when declared).
    SnippetEdit,
}

impl Support {
    /// From the client capabilities of `initialize`, as JSON.
    pub fn from_capabilities(caps: &Value) -> Support {
        let yes = |path: &str| caps.pointer(path) == Some(&Value::Bool(true));
        if yes("/workspace/workspaceEdit/snippetEditSupport") {
            Support::SnippetEdit
        } else if yes("/experimental/copydesk/insertSnippetCommand") {
            Support::Command
        } else {
            Support::Plain
        }
    }
}

/// The client-side command that inserts a snippet. Its one argument:
/// `{"textDocument": {"uri", "version"}, "range", "snippet"}`; the client replaces
/// `range` with `snippet` if the document is still at `version`.
pub const COMMAND: &str = "copydesk.insertSnippet";

/// The annotation id by which `features` marks an edit whose `newText` is a snippet
/// body; [`Capture`] turns every such edit into a `SnippetTextEdit` before the answer
/// leaves the server, so no client sees it.
pub const MARKER: &str = "copydesk/snippet";

/// `new_text` as an LSP snippet: the placeholder is tab stop 1, selected when the
/// snippet is inserted, and the end of the text is the final tab stop.
/// `None` if `placeholder` does not lie in `new_text`.
pub fn body(new_text: &str, placeholder: &Span) -> Option<String> {
    let before = new_text.get(..placeholder.start)?;
    let words = new_text.get(placeholder.clone())?;
    let after = new_text.get(placeholder.end..)?;
    Some(format!(
        "{}${{1:{}}}{}$0",
        escape(before),
        escape(words),
        escape(after)
    ))
}

/// Text as literal snippet text: `$`, `}` and `\` escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The [`COMMAND`] that replaces `range` of version `version` of `uri` with `snippet`.
pub fn command(title: &str, uri: &Uri, version: i32, range: Range, snippet: String) -> Command {
    Command {
        title: title.to_string(),
        command: COMMAND.to_string(),
        arguments: Some(vec![json!({
            "textDocument": {"uri": uri, "version": version},
            "range": range,
            "snippet": snippet,
        })]),
    }
}

/// Turn the marked edits of a `textDocument/codeAction` result into `SnippetTextEdit`s.
fn rewrite_actions(result: &mut Value) {
    let Some(actions) = result.as_array_mut() else {
        return;
    };
    for action in actions {
        let Some(changes) = action
            .pointer_mut("/edit/documentChanges")
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        for change in changes {
            let Some(edits) = change.get_mut("edits").and_then(Value::as_array_mut) else {
                continue;
            };
            for edit in edits {
                if edit.get("annotationId").and_then(Value::as_str) == Some(MARKER) {
                    *edit = json!({
                        "range": edit["range"].take(),
                        "snippet": {"kind": "snippet", "value": edit["newText"].take()},
                    });
                }
            }
        }
    }
}

/// The language service, wrapped to read the client's snippet support at `initialize`
/// and to write snippet edits into code actions (see the module documentation).
pub struct Capture<S> {
    inner: S,
    state: Arc<State>,
    initialized: bool,
}

impl<S> Capture<S> {
    pub(super) fn new(inner: S, state: Arc<State>) -> Capture<S> {
        Capture {
            inner,
            state,
            initialized: false,
        }
    }
}

type Answer<E> = Pin<Box<dyn Future<Output = Result<Option<Response>, E>> + Send>>;

impl<S> Service<Request> for Capture<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = Answer<S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        match req.method() {
            // the first initialize only: a second one is refused by the service
            "initialize" if !self.initialized => {
                self.initialized = true;
                let caps = req.params().and_then(|p| p.get("capabilities"));
                *lock(&self.state.snippets) =
                    caps.map_or(Support::Plain, Support::from_capabilities);
                Box::pin(self.inner.call(req))
            }
            "textDocument/codeAction" if *lock(&self.state.snippets) == Support::SnippetEdit => {
                let answer = self.inner.call(req);
                Box::pin(async move {
                    Ok(answer.await?.map(|r| {
                        let (id, body) = r.into_parts();
                        Response::from_parts(
                            id,
                            body.map(|mut v| {
                                rewrite_actions(&mut v);
                                v
                            }),
                        )
                    }))
                })
            }
            _ => Box::pin(self.inner.call(req)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_placeholder_is_tab_stop_one_and_the_end_is_the_final_stop() {
        assert_eq!(
            body(" SPEAKER said", &(1..8)).as_deref(),
            Some(" ${1:SPEAKER} said$0")
        );
        assert_eq!(
            body("” SPEAKER said", &(4..11)).as_deref(),
            Some("” ${1:SPEAKER} said$0")
        );
        // snippet syntax in the text stays text
        assert_eq!(
            body("$5 {x} \\ N said}", &(7..9)).as_deref(),
            Some("\\$5 {x\\} ${1:\\\\ }N said\\}$0")
        );
        // a placeholder outside the text, or inside a character, is none
        assert_eq!(body(" SPEAKER said", &(1..20)), None);
        assert_eq!(body("” X", &(1..3)), None);
    }

    #[test]
    fn support_prefers_the_standard_snippet_edit() {
        let caps = |v: Value| Support::from_capabilities(&v);
        assert_eq!(caps(json!({})), Support::Plain);
        assert_eq!(
            caps(json!({"workspace": {"workspaceEdit": {"snippetEditSupport": false}}})),
            Support::Plain
        );
        assert_eq!(
            caps(json!({"experimental": {"copydesk": {"insertSnippetCommand": true}}})),
            Support::Command
        );
        assert_eq!(
            caps(
                json!({"workspace": {"workspaceEdit": {"snippetEditSupport": true}},
                "experimental": {"copydesk": {"insertSnippetCommand": true}}})
            ),
            Support::SnippetEdit
        );
    }

    #[test]
    fn marked_edits_become_snippet_text_edits_and_others_stay() {
        let range =
            json!({"start": {"line": 1, "character": 2}, "end": {"line": 1, "character": 2}});
        let mut v = json!([
            {"title": "Add", "edit": {"documentChanges": [{
                "textDocument": {"uri": "file:///a.txt", "version": 3},
                "edits": [
                    {"range": range, "newText": " ${1:SPEAKER} said$0", "annotationId": MARKER},
                    {"range": range, "newText": "plain"},
                ]}]}},
            {"title": "Run", "command": "x"},
        ]);
        rewrite_actions(&mut v);
        let edits = &v[0]["edit"]["documentChanges"][0]["edits"];
        assert_eq!(
            edits[0],
            json!({"range": range, "snippet": {"kind": "snippet", "value": " ${1:SPEAKER} said$0"}})
        );
        assert_eq!(edits[1], json!({"range": range, "newText": "plain"}));
        assert_eq!(v[1], json!({"title": "Run", "command": "x"}));
    }
}
