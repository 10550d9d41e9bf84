//! The server's output. Messages reach stdout whole and one at a time, from two
//! places:
//!
//! - the analysis worker writes each `textDocument/publishDiagnostics` itself
//!   (`Output::frame`), serialized straight from the report
//!   (`features::publish_body`): no LSP values or JSON value are built in between,
//!   and the message does not pass through the message loop's thread and tokio's
//!   stdout thread on its way out (BENCHMARKS.md, rounds 7 and 9);
//! - tower-lsp-server's writer (responses, requests to the client, log messages)
//!   writes into a `Sink`, whose bytes a thread of their own writes out frame by
//!   frame, so the message loop never waits on a client slow to read.
//!
//! Each frame is written under one lock, so two never interleave.

use std::io::{self, Write};
use std::pin::Pin;
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll};

use serde::Serialize;

pub struct Output {
    out: Mutex<Box<dyn Write + Send>>,
}

#[derive(Serialize)]
struct Notification<'a, P> {
    jsonrpc: &'static str,
    method: &'a str,
    params: &'a P,
}

/// Ask for room for a whole long story's diagnostics in the pipe to the client
/// (Linux; elsewhere, or when stdout is no pipe, nothing changes). A pipe holds
/// 64 kB by default, and the diagnostics of a 10,000-word story are about 100 kB:
/// the worker would write half, wait for the client to read, and write the rest.
/// 1 MB is what Linux lets any process ask for (`/proc/sys/fs/pipe-max-size`).
pub fn enlarge_stdout_pipe() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: fcntl on a file descriptor this process owns; a failure (stdout no
    // pipe, a smaller limit) returns -1 and changes nothing
    unsafe {
        libc::fcntl(libc::STDOUT_FILENO, libc::F_SETPIPE_SZ, 1 << 20);
    }
}

/// The body of a notification, to be sent with `Output::frame`.
pub fn notification<P: Serialize>(method: &str, params: &P) -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec(&Notification {
        jsonrpc: "2.0",
        method,
        params,
    })
}

impl Output {
    pub fn new(out: Box<dyn Write + Send>) -> Arc<Output> {
        Arc::new(Output {
            out: Mutex::new(out),
        })
    }

    /// Write one whole frame: a header and `body`.
    pub fn frame(&self, body: &[u8]) -> io::Result<()> {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        self.raw(&[header.as_bytes(), body])
    }

    /// Write `parts` one after another under the lock, and flush.
    fn raw(&self, parts: &[&[u8]]) -> io::Result<()> {
        let mut out = crate::lock(&self.out);
        for p in parts {
            out.write_all(p)?;
        }
        out.flush()
    }

    /// Send the client a notification.
    pub fn notify<P: Serialize>(&self, method: &str, params: &P) -> io::Result<()> {
        self.frame(&notification(method, params)?)
    }

    /// A writer for tower-lsp-server, and the thread that writes what it is given
    /// out, whole frames at a time; the thread ends once the sink is dropped and
    /// all it was given is written.
    pub fn sink(self: &Arc<Self>) -> (Sink, std::thread::JoinHandle<()>) {
        let (tx, rx) = mpsc::channel::<Vec<u8>>();
        let output = self.clone();
        let thread = std::thread::spawn(move || {
            let mut pending: Vec<u8> = Vec::new();
            for chunk in rx {
                pending.extend_from_slice(&chunk);
                let whole = whole_frames(&pending);
                if whole > 0 {
                    if output.raw(&[&pending[..whole]]).is_err() {
                        return;
                    }
                    pending.drain(..whole);
                }
            }
            // (nothing but whole frames comes from tower-lsp-server; anything
            // else left is written as it is)
            if !pending.is_empty() {
                let _ = output.raw(&[&pending]);
            }
        });
        (Sink { tx }, thread)
    }
}

/// How many bytes at the start of `buf` are whole frames (header and body).
fn whole_frames(buf: &[u8]) -> usize {
    let mut at = 0;
    loop {
        let rest = &buf[at..];
        let Some(end) = rest.windows(4).position(|w| w == b"\r\n\r\n") else {
            return at;
        };
        let Some(len) = super::framing::content_length(&rest[..end]) else {
            // not a header we can read: pass everything on as it is
            return buf.len();
        };
        if rest.len() < end + 4 + len {
            return at;
        }
        at += end + 4 + len;
    }
}

/// tower-lsp-server's output: every write is taken whole, at once, and handed to
/// `Output::sink`'s thread.
pub struct Sink {
    tx: mpsc::Sender<Vec<u8>>,
}

impl tokio::io::AsyncWrite for Sink {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Poll::Ready(match self.tx.send(buf.to_vec()) {
            Ok(()) => Ok(buf.len()),
            Err(_) => Err(io::Error::new(io::ErrorKind::BrokenPipe, "output closed")),
        })
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer whose bytes a test can read back.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn frames_from_the_sink_and_the_worker_never_interleave() {
        let shared = Shared::default();
        let output = Output::new(Box::new(shared.clone()));
        let (sink, thread) = output.sink();
        let a = b"Content-Length: 7\r\n\r\n{\"a\":1}";
        // a frame from tower-lsp-server in three pieces, a notification in between
        let mut sink = sink;
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            use tokio::io::AsyncWriteExt;
            sink.write_all(&a[..5]).await.unwrap();
            sink.write_all(&a[5..23]).await.unwrap();
        });
        output.notify("x/y", &serde_json::json!({"b": 2})).unwrap();
        rt.block_on(async {
            use tokio::io::AsyncWriteExt;
            sink.write_all(&a[23..]).await.unwrap();
            sink.write_all(a).await.unwrap();
        });
        drop(sink);
        thread.join().unwrap();
        let out = String::from_utf8(shared.0.lock().unwrap().clone()).unwrap();
        let note = r#"{"jsonrpc":"2.0","method":"x/y","params":{"b":2}}"#;
        let note = format!("Content-Length: {}\r\n\r\n{note}", note.len());
        let a = std::str::from_utf8(a).unwrap();
        assert_eq!(out, format!("{note}{a}{a}"));
    }

    #[test]
    fn whole_frames_counts_only_complete_ones() {
        let f = b"Content-Length: 2\r\n\r\n{}";
        assert_eq!(whole_frames(f), f.len());
        assert_eq!(whole_frames(&f[..f.len() - 1]), 0);
        let two = [&f[..], &f[..]].concat();
        assert_eq!(whole_frames(&two), two.len());
        assert_eq!(whole_frames(&two[..f.len() + 3]), f.len());
        assert_eq!(whole_frames(b"garbage\r\n\r\n"), 11);
    }
}
