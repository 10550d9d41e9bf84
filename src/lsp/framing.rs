//! A guard in front of the JSON-RPC reader. tower-lsp-server stops answering once it
//! meets a frame it cannot decode, so every frame is checked here first: garbage
//! before a header is skipped, a body that is not JSON (a wrong `Content-Length`, a
//! truncated message) is dropped with a line on stderr, and only well-formed frames
//! reach the server. The stream resynchronises at the next `Content-Length:` header.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Larger frames are refused rather than buffered.
const MAX_FRAME: usize = 512 << 20;
const HEADER: &[u8] = b"Content-Length:";

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// What to do with the bytes at the front of the buffer.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// Need more input.
    More,
    /// Drop this many bytes (garbage or a bad frame), with a reason.
    Skip(usize, &'static str),
    /// A whole, well-formed frame: its total length and its body range.
    Frame(usize, std::ops::Range<usize>),
}

/// The `Content-Length` of a frame's header lines (without the blank line after).
pub fn content_length(headers: &[u8]) -> Option<usize> {
    String::from_utf8_lossy(headers).lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| v.trim().parse::<usize>().ok())
            .flatten()
    })
}

pub fn next_step(buf: &[u8]) -> Step {
    let Some(h) = find(buf, HEADER) else {
        // keep a tail that may be the start of a header
        let keep = HEADER.len().min(buf.len());
        return if buf.len() > keep {
            Step::Skip(buf.len() - keep, "bytes outside any frame")
        } else {
            Step::More
        };
    };
    if h > 0 {
        return Step::Skip(h, "bytes before a Content-Length header");
    }
    let Some(end) = find(buf, b"\r\n\r\n") else {
        return if buf.len() > 4096 {
            Step::Skip(HEADER.len(), "a header that never ends")
        } else {
            Step::More
        };
    };
    let Some(len) = content_length(&buf[..end]).filter(|l| *l <= MAX_FRAME) else {
        return Step::Skip(end + 4, "a header without a usable Content-Length");
    };
    let body = end + 4..end + 4 + len;
    if buf.len() < body.end {
        // a body that runs into the next header is a wrong Content-Length: drop it early
        if let Some(next) = find(&buf[end + 4..], HEADER) {
            if serde_json::from_slice::<serde_json::Value>(&buf[end + 4..end + 4 + next]).is_ok()
                || next > 0
            {
                return Step::Skip(
                    end + 4 + next,
                    "a frame whose Content-Length runs past its body",
                );
            }
        }
        return Step::More;
    }
    // exactly what tower-lsp-server decodes (a request, a notification or a response):
    // any other body, even a JSON object, would end its input stream
    let b = &buf[body.clone()];
    if serde_json::from_slice::<Request>(b).is_ok() || serde_json::from_slice::<Response>(b).is_ok()
    {
        Step::Frame(body.end, body)
    } else {
        Step::Skip(body.end, "a frame whose body is not a JSON-RPC message")
    }
}

pub async fn guard(mut input: impl AsyncRead + Unpin, mut out: impl AsyncWrite + Unpin) {
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        loop {
            match next_step(&buf) {
                Step::More => break,
                Step::Skip(n, why) => {
                    eprintln!("copydesk: ignored {n} bytes of input: {why}");
                    buf.drain(..n);
                }
                Step::Frame(n, body) => {
                    let header = format!("Content-Length: {}\r\n\r\n", body.len());
                    if out.write_all(header.as_bytes()).await.is_err()
                        || out.write_all(&buf[body]).await.is_err()
                    {
                        return;
                    }
                    buf.drain(..n);
                }
            }
        }
        match input.read(&mut chunk).await {
            Ok(0) | Err(_) => {
                let _ = out.shutdown().await;
                return;
            }
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    #[test]
    fn frames_garbage_and_wrong_lengths() {
        let good = frame(r#"{"jsonrpc":"2.0","method":"x"}"#);
        assert!(matches!(next_step(&good), Step::Frame(n, _) if n == good.len()));
        let mut g = b"garbage!!".to_vec();
        g.extend_from_slice(&good);
        assert_eq!(
            next_step(&g),
            Step::Skip(9, "bytes before a Content-Length header")
        );
        let bad = frame("{bad}");
        assert!(matches!(next_step(&bad), Step::Skip(n, _) if n == bad.len()));
        // a Content-Length too long: the body runs into the next frame
        let mut long = b"Content-Length: 99\r\n\r\n{\"a\":1}".to_vec();
        long.extend_from_slice(&good);
        assert!(matches!(next_step(&long), Step::Skip(n, _) if n == long.len() - good.len()));
        assert_eq!(next_step(b"Content-Le"), Step::More);
        // JSON objects that are not JSON-RPC messages would stop tower-lsp-server's reader
        for body in [
            "{}",
            r#"{"jsonrpc":"1.0","id":6,"method":"x"}"#,
            r#"{"jsonrpc":"2.0","id":{"an":"object"},"method":"x"}"#,
            r#"{"jsonrpc":"2.0","method":42}"#,
        ] {
            assert!(matches!(next_step(&frame(body)), Step::Skip(..)), "{body}");
        }
        let response = frame(r#"{"jsonrpc":"2.0","id":77,"result":null}"#);
        assert!(matches!(next_step(&response), Step::Frame(..)));
    }
}
