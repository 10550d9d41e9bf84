//! Time `analyze` alone on files (no output formatting), for profiling:
//! `cargo run --release --example analyze_file -- FILE... [--one-line] [--runs N]`
//! `--one-line` joins the file's lines with spaces into one line first; `--serial`
//! analyses on one thread whatever the size (for callgrind, which counts only the
//! thread that calls `measured`); `--min-bytes N` uses two threads from N bytes on;
//! `--typing` types: before
//! each run one character goes in (or out again) in the middle of the text, and
//! `analyze_with_memo` reuses what the run before kept, as the server does (on one
//! thread as it chooses, unless `--serial` or `--min-bytes` says); `--pause-ms N` sleeps N ms before each run, as typing leaves the
//! cores idle between keystrokes (with `--spin`, spins instead: the core never idles).
//! `--passage` types as `tools/lsp_bench.py` does instead: its news passage (names,
//! quotations, figures), one character a run, at the end of the paragraph nearest
//! the middle; it also prints the 90th percentile. `--flush-mb N` writes an N MB
//! buffer before each run, so that the run starts with the caches holding none of
//! its data (a reproducible stand-in for the pause between keystrokes, and, under
//! `valgrind --tool=callgrind --cache-sim=yes`, a count of the memory a run reads).
//! Typing also prints how many runs took the names found by the run before again
//! (`Memo::names_kept`), and the median of those runs and of the others. What a
//! run replaced of the memo (`Memo::take_retired`) is freed after it, untimed, as
//! the server frees it once it has published.

use std::time::Instant;

// the binary's allocator (src/memory.rs)
copydesk::process_allocator!();

use copydesk::Memo;
use copydesk::text::PARALLEL_MIN_BYTES;
use copydesk::{
    Format, Options, analyze, analyze_with_memo, analyze_with_memo_threads, analyze_with_threads,
};

/// The measured call, a function of its own so that a profiler can count just it:
/// `valgrind --tool=callgrind --toggle-collect=analyze_file::measured ...`.
#[inline(never)]
fn measured(
    text: &str,
    options: &Options,
    min_bytes: Option<usize>,
    memo: Option<&mut Memo>,
) -> usize {
    let threshold = min_bytes.unwrap_or(PARALLEL_MIN_BYTES);
    match (memo, min_bytes) {
        // as the server calls it: one thread when the memo has something to reuse
        (Some(memo), None) => analyze_with_memo(text, options, memo).diagnostics.len(),
        (Some(memo), Some(m)) => analyze_with_memo_threads(text, options, memo, m)
            .diagnostics
            .len(),
        (None, _) => analyze_with_threads(text, options, threshold)
            .diagnostics
            .len(),
    }
}

#[path = "common/typing.rs"]
mod typing;
use typing::{PASSAGE, paragraph_end_nearest_middle};

fn main() {
    copydesk::memory::keep_freed_memory();
    let mut files = Vec::new();
    let mut one_line = false;
    let mut min_bytes = None;
    let mut typing = false;
    let mut pause = None;
    let mut spin = false;
    let mut passage = false;
    let mut flush: Vec<u8> = Vec::new();
    let mut runs = 1usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--one-line" => one_line = true,
            "--serial" => min_bytes = Some(usize::MAX),
            "--min-bytes" => min_bytes = args.next().and_then(|n| n.parse().ok()).or(min_bytes),
            "--typing" => typing = true,
            "--pause-ms" => {
                pause = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .map(std::time::Duration::from_millis)
            }
            "--spin" => spin = true,
            "--flush-mb" => {
                let mb: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
                flush = vec![1; mb << 20];
            }
            "--passage" => {
                passage = true;
                typing = true;
            }
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(1),
            _ => files.push(a),
        }
    }
    let mut options = Options {
        format: Format::PlainText,
        ..Options::default()
    };
    let _ = analyze("Warm-up.", &options);
    for f in files {
        // .md and .markdown files as Markdown, the rest as plain text
        options.format = Format::from_path(std::path::Path::new(&f));
        let Ok(mut text) = std::fs::read_to_string(&f) else {
            eprintln!("{f}: cannot read");
            continue;
        };
        if one_line {
            text = text.replace('\n', " ");
        }
        let mut times = Vec::new();
        // (typing: the runs that took the names found by the one before again, and
        // the others)
        let (mut kept_times, mut other_times) = (Vec::new(), Vec::new());
        let mut diags = 0;
        // one untimed run first: lazily built tables and regular expressions
        let _ = analyze_with_threads(&text, &options, min_bytes.unwrap_or(PARALLEL_MIN_BYTES));
        let mut memo = Memo::default();
        let _ = analyze_with_memo(&text, &options, &mut memo);
        // where typing goes in: the end of the word nearest the middle
        let at = text.len() / 2;
        let at = at + text[at..].find(' ').unwrap_or(0);
        // (`--passage`: the end of the paragraph nearest the middle, as the harness)
        let mut end_at = paragraph_end_nearest_middle(&text);
        let mut typed = PASSAGE.chars().cycle();
        for run in 0..runs {
            if let Some(p) = pause {
                if spin {
                    let until = Instant::now() + p;
                    while Instant::now() < until {
                        std::hint::spin_loop();
                    }
                } else {
                    std::thread::sleep(p);
                }
            }
            // (a different value each time, so the writes are never elided)
            for b in flush.iter_mut().step_by(64) {
                *b = b.wrapping_add(run as u8 | 1);
            }
            std::hint::black_box(&flush);
            if passage {
                let c = typed.next().unwrap_or(' ');
                text.insert(end_at, c);
                end_at += c.len_utf8();
            } else if typing {
                if run % 2 == 0 {
                    text.insert(at, 'x');
                } else {
                    text.remove(at);
                }
            }
            let t = Instant::now();
            diags = measured(&text, &options, min_bytes, typing.then_some(&mut memo));
            let took = t.elapsed().as_secs_f64();
            // (freed untimed, as the server frees it after publishing)
            drop(memo.take_retired());
            times.push(took);
            if typing {
                if memo.names_kept() {
                    kept_times.push(took);
                } else {
                    other_times.push(took);
                }
            }
        }
        times.sort_by(f64::total_cmp);
        let (best, median) = (times[0], times[times.len() / 2]);
        let p90 = times[times.len() * 9 / 10];
        println!(
            "{f}: {} bytes, {runs} runs, best {:.3} ms, median {:.3} ms, {:.2} MB/s (median), {diags} diagnostics{}",
            text.len(),
            best * 1e3,
            median * 1e3,
            text.len() as f64 / median / 1e6,
            if passage {
                format!(", p90 {:.3} ms", p90 * 1e3)
            } else {
                String::new()
            },
        );
        if typing {
            let median = |v: &mut Vec<f64>| {
                v.sort_by(f64::total_cmp);
                v.get(v.len() / 2).map_or(0.0, |m| m * 1e3)
            };
            println!(
                "  names kept from the run before in {} of {runs} runs: median {:.3} ms; the others {:.3} ms",
                kept_times.len(),
                median(&mut kept_times),
                median(&mut other_times),
            );
        }
    }
}
