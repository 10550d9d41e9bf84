//! Print the whole `Report` (Debug) of each file, in both formats, for differential
//! checks of refactorings: `cargo run --release --example dump_report -- FILE... > out`
//! (two runs of different builds must print the same bytes).

use copydesk::{Format, Options, analyze};

// the binary's allocator (src/memory.rs)
copydesk::process_allocator!();

fn main() {
    copydesk::memory::keep_freed_memory();
    let base = Options::default();
    for f in std::env::args().skip(1) {
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        for format in [Format::Markdown, Format::PlainText] {
            let options = Options {
                format,
                ..base.clone()
            };
            let r = analyze(&text, &options);
            println!("== {f} {format:?}\n{r:#?}");
        }
    }
}
