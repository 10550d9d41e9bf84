//! Time `analyze` alone on files (no output formatting), for profiling:
//! `cargo run --release --example analyze_file -- FILE... [--one-line] [--runs N]`
//! `--one-line` joins the file's lines with spaces into one line first.

use std::time::Instant;

use copydesk::{Format, Options, analyze};

fn main() {
    let mut files = Vec::new();
    let mut one_line = false;
    let mut runs = 1usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--one-line" => one_line = true,
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(1),
            _ => files.push(a),
        }
    }
    let options = Options {
        format: Format::PlainText,
        ..Options::default()
    };
    let _ = analyze("Warm-up.", &options);
    for f in files {
        let Ok(mut text) = std::fs::read_to_string(&f) else {
            eprintln!("{f}: cannot read");
            continue;
        };
        if one_line {
            text = text.replace('\n', " ");
        }
        for _ in 0..runs {
            let t = Instant::now();
            let r = analyze(&text, &options);
            let el = t.elapsed().as_secs_f64();
            println!(
                "{f}: {} bytes, {:.1} ms, {:.2} MB/s, {} diagnostics",
                text.len(),
                el * 1e3,
                text.len() as f64 / el / 1e6,
                r.diagnostics.len()
            );
        }
    }
}
