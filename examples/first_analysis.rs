//! What a thread's first analysis costs after the warm-up (`copydesk::warm_up`) ran
//! on another thread, as in the server (the warm-up on a thread of its own at
//! start-up, the first document on the worker), against the warm-up's own thread:
//! the difference is what a thread cannot inherit from another (its regular
//! expressions' search caches, before round 14, and its allocator's caches). One
//! process per measurement, since the first analysis comes only once.
//! `cargo run --release --example first_analysis -- news-10000.txt other 12`
//! (`other`: another thread; `same`: the warm-up's thread; the last number is how
//! many processes; it prints the median and the least, on one thread and then on
//! two, the analysis after that first one for comparison, and the warm-up's time)

use std::time::Instant;

use copydesk::{Format, Options, analyze_with_threads, warm_up};

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(mode)) = (args.next(), args.next()) else {
        eprintln!("usage: first_analysis FILE other|same [PROCESSES] (or --child)");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(12);
    if args.next().as_deref() != Some("--child") {
        // the parent: one child process per measurement
        let exe = std::env::current_exe().expect("own path");
        for threads in ["1", "2"] {
            let mut first = Vec::new();
            let mut second = Vec::new();
            let mut warm = Vec::new();
            for _ in 0..runs {
                let out = std::process::Command::new(&exe)
                    .args([&path, &mode, threads, "--child"])
                    .output()
                    .expect("child runs");
                let s = String::from_utf8_lossy(&out.stdout);
                let mut v = s
                    .split_whitespace()
                    .map(|x| x.parse::<f64>().unwrap_or(f64::NAN));
                first.push(v.next().unwrap_or(f64::NAN));
                second.push(v.next().unwrap_or(f64::NAN));
                warm.push(v.next().unwrap_or(f64::NAN));
            }
            for v in [&mut first, &mut second, &mut warm] {
                v.sort_by(f64::total_cmp);
            }
            println!(
                "{path}, {threads} thread(s), first analysis on the {mode} thread: median {:.2} ms, least {:.2} ms; the next: median {:.2} ms; the warm-up: median {:.2} ms ({runs} processes)",
                first[runs / 2],
                first[0],
                second[runs / 2],
                warm[runs / 2]
            );
        }
        return;
    }
    let text = std::fs::read_to_string(&path).expect("readable file");
    let format = if path.ends_with(".md") {
        Format::Markdown
    } else {
        Format::PlainText
    };
    let options = Options {
        format,
        ..Options::default()
    };
    // (the two-thread analysis from 0 bytes; one thread: never)
    let min_bytes = if runs == 2 { 0 } else { usize::MAX };
    let run = move || {
        let t = Instant::now();
        analyze_with_threads(&text, &options, min_bytes);
        let first = ms(t);
        let t = Instant::now();
        analyze_with_threads(&text, &options, min_bytes);
        (first, ms(t))
    };
    let warm = || {
        let t = Instant::now();
        warm_up();
        ms(t)
    };
    let (warm, (first, next)) = if mode == "same" {
        std::thread::spawn(move || (warm(), run()))
            .join()
            .expect("analysis")
    } else {
        let w = std::thread::spawn(warm).join().expect("warm-up");
        (w, std::thread::spawn(run).join().expect("analysis"))
    };
    println!("{first:.3} {next:.3} {warm:.3}");
}
