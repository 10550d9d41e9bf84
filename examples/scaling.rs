//! How `analyze` time grows with the size of the text: 100 kB, 1 MB and 10 MB of
//! varied generated news text, in µs per kB (flat if linear) and MB/s.
//!
//! ```sh
//! cargo run --release --example scaling            # 100 kB, 1 MB, 10 MB
//! cargo run --release --example scaling -- 30000000  # add sizes in bytes
//! ```
//!
//! Each size is run at least three times (and for at least about two seconds in
//! all, up to 20 runs); the best and the median run are reported.

#[path = "../benches/newsgen.rs"]
mod newsgen;

use std::time::{Duration, Instant};

use copydesk::{Format, Options, analyze};

// the binary's allocator (src/memory.rs)
copydesk::process_allocator!();

fn main() {
    copydesk::memory::keep_freed_memory();
    let mut sizes = vec![100_000usize, 1_000_000, 10_000_000];
    sizes.extend(
        std::env::args()
            .skip(1)
            .filter_map(|a| a.parse::<usize>().ok()),
    );
    let options = Options {
        format: Format::PlainText,
        ..Options::default()
    };
    // load the knowledge base before timing
    let _ = analyze("Warm-up.", &options);
    println!(
        "{:>10} {:>10} {:>6} {:>12} {:>12} {:>10} {:>10}",
        "bytes", "words", "runs", "best ms", "median ms", "µs/kB", "MB/s"
    );
    let mut first: Option<f64> = None;
    for size in sizes {
        let text = newsgen::document_bytes(size, 2);
        let mut times = Vec::new();
        let start = Instant::now();
        while times.len() < 3 || (start.elapsed() < Duration::from_secs(2) && times.len() < 20) {
            let t = Instant::now();
            let report = analyze(&text, &options);
            times.push(t.elapsed().as_secs_f64());
            std::hint::black_box(report);
        }
        times.sort_by(f64::total_cmp);
        let best = times[0];
        let median = times[times.len() / 2];
        let kb = text.len() as f64 / 1000.0;
        let us_per_kb = median * 1e6 / kb;
        let base = *first.get_or_insert(us_per_kb);
        println!(
            "{:>10} {:>10} {:>6} {:>12.2} {:>12.2} {:>10.1} {:>10.1}   ({:.2}× the µs/kB of the smallest)",
            text.len(),
            text.split_whitespace().count(),
            times.len(),
            best * 1e3,
            median * 1e3,
            us_per_kb,
            text.len() as f64 / median / 1e6,
            us_per_kb / base
        );
    }
}
