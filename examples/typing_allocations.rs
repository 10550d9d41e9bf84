//! How many blocks a typed change allocates, and how many bytes: the harness's news
//! passage (`tools/lsp_bench.py`'s) typed one character a run at the end of the
//! paragraph nearest the middle, through `analyze_with_memo` as the server runs it,
//! counted by an allocator that wraps the programs' own (`copydesk::memory`).
//! Allocation is a stand-in for the memory a keystroke writes fresh, which after
//! a pause in typing is read from main memory (BENCHMARKS.md, rounds 11 and 15).
//! `cargo run --release --example typing_allocations -- news-10000.txt [RUNS]`
//! (prints the mean per change, for the changes that took the names found by the
//! change before again and for the others).

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};

use copydesk::{Format, Memo, Options, analyze_with_memo};

/// The programs' allocator, counting what is allocated while `COUNTING` is set.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static BLOCKS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

fn count(bytes: usize) {
    if COUNTING.load(Relaxed) {
        BLOCKS.fetch_add(1, Relaxed);
        BYTES.fetch_add(bytes, Relaxed);
    }
}

// SAFETY: every call is passed on unchanged to the programs' allocator, with the
// caller's guarantees; counting touches only two atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: as the caller guarantees
        unsafe { copydesk::memory::ALLOCATOR.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as the caller guarantees
        unsafe { copydesk::memory::ALLOCATOR.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: as the caller guarantees
        unsafe { copydesk::memory::ALLOCATOR.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[path = "common/typing.rs"]
mod typing;
use typing::{PASSAGE, paragraph_end_nearest_middle};

fn main() {
    copydesk::memory::keep_freed_memory();
    let mut args = std::env::args().skip(1);
    let Some(file) = args.next() else {
        eprintln!("usage: typing_allocations FILE [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(300);
    let Ok(mut text) = std::fs::read_to_string(&file) else {
        eprintln!("{file}: cannot read");
        std::process::exit(1);
    };
    let options = Options {
        format: Format::from_path(std::path::Path::new(&file)),
        ..Options::default()
    };
    let mut memo = Memo::default();
    // the memo filled as the server fills it, before the first keystroke
    let _ = analyze_with_memo(&text, &options, &mut memo);
    let _ = analyze_with_memo(&text, &options, &mut memo);
    let mut at = paragraph_end_nearest_middle(&text);
    // (blocks, bytes, changes): names kept, the others
    let mut sums = [(0usize, 0usize, 0usize); 2];
    for c in PASSAGE.chars().cycle().take(runs) {
        text.insert(at, c);
        at += c.len_utf8();
        let (blocks, bytes) = (BLOCKS.load(Relaxed), BYTES.load(Relaxed));
        COUNTING.store(true, Relaxed);
        let report = analyze_with_memo(&text, &options, &mut memo);
        COUNTING.store(false, Relaxed);
        drop(report);
        let s = &mut sums[usize::from(!memo.names_kept())];
        s.0 += BLOCKS.load(Relaxed) - blocks;
        s.1 += BYTES.load(Relaxed) - bytes;
        s.2 += 1;
    }
    let total = (sums[0].0 + sums[1].0, sums[0].1 + sums[1].1, runs.max(1));
    println!(
        "{file}: {} bytes, {runs} typed changes: {} blocks, {} bytes allocated a change",
        text.len(),
        total.0 / total.2,
        total.1 / total.2
    );
    for (what, s) in [("names kept", sums[0]), ("names found again", sums[1])] {
        if s.2 > 0 {
            println!(
                "  {what}: {} changes, {} blocks, {} bytes a change",
                s.2,
                s.0 / s.2,
                s.1 / s.2
            );
        }
    }
}
