//! Writes a document of varied generated news text (see `benches/newsgen.rs`).
//!
//! ```sh
//! cargo run --release --example gen_news -- --words 10000 --out story.txt
//! cargo run --release --example gen_news -- --bytes 1000000 --seed 3 --out big.txt
//! cargo run --release --example gen_news -- --story 17          # one story, to stdout
//! ```

#[path = "../benches/newsgen.rs"]
mod newsgen;

use std::process::ExitCode;

const USAGE: &str =
    "usage: gen_news (--words N | --bytes N | --story SEED) [--seed S] [--out FILE]";

fn main() -> ExitCode {
    let mut words = None;
    let mut bytes = None;
    let mut one = None;
    let mut seed = 1u64;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_default();
        match a.as_str() {
            "--words" => words = val().parse::<usize>().ok(),
            "--bytes" => bytes = val().parse::<usize>().ok(),
            "--story" => one = val().parse::<u64>().ok(),
            "--seed" => match val().parse() {
                Ok(s) => seed = s,
                Err(_) => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--out" => out = Some(val()),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let text = match (words, bytes, one) {
        (Some(w), None, None) => newsgen::document(w, seed),
        (None, Some(b), None) => newsgen::document_bytes(b, seed),
        (None, None, Some(s)) => newsgen::story(s),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match out {
        Some(path) => {
            if let Err(e) = std::fs::write(&path, &text) {
                eprintln!("gen_news: {path}: {e}");
                return ExitCode::from(2);
            }
            eprintln!(
                "gen_news: wrote {path}: {} bytes, {} words",
                text.len(),
                text.split_whitespace().count()
            );
        }
        None => print!("{text}"),
    }
    ExitCode::SUCCESS
}
