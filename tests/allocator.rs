//! The programs' allocator (`src/memory.rs`): blocks that grow and shrink across the
//! line between its two allocators keep their contents, zeroed blocks are zero on
//! both sides, and a long story (large blocks and small) analyses the same on one
//! thread or two under it.

copydesk::process_allocator!();

use copydesk::memory::LARGE;

#[test]
fn blocks_keep_their_contents_across_the_line() {
    copydesk::memory::keep_freed_memory();
    // grow one byte at a time past the line, then shrink back below it
    let mut v: Vec<u8> = Vec::new();
    for i in 0..(LARGE * 3) {
        v.push((i % 251) as u8);
    }
    assert!(v.iter().enumerate().all(|(i, &b)| b == (i % 251) as u8));
    v.truncate(LARGE / 2);
    v.shrink_to_fit();
    assert!(v.iter().enumerate().all(|(i, &b)| b == (i % 251) as u8));
    // sizes just either side of the line, with a larger alignment
    for size in [LARGE - 8, LARGE - 1, LARGE, LARGE + 1] {
        let mut w: Vec<u64> = (0..size as u64 / 8).collect();
        w.reserve_exact(LARGE);
        assert!(w.iter().enumerate().all(|(i, &x)| x == i as u64));
        w.truncate(4);
        w.shrink_to_fit();
        assert_eq!(w, [0, 1, 2, 3]);
    }
    // zeroed blocks on both sides
    for size in [16, LARGE - 1, LARGE, 4 * LARGE] {
        let z = vec![0u8; size];
        assert!(z.iter().all(|&b| b == 0));
    }
}

#[test]
fn a_long_story_analyses_the_same_on_one_thread_or_two() {
    let text = std::fs::read_to_string("seeds/000_2c4b3c25a951bc1f.txt").unwrap();
    let long = text.repeat(40);
    let options = copydesk::Options {
        format: copydesk::Format::PlainText,
        ..copydesk::Options::default()
    };
    let one = copydesk::analyze(&long, &options);
    let two = copydesk::analyze_with_threads(&long, &options, usize::MAX);
    assert!(!one.diagnostics.is_empty());
    assert_eq!(format!("{one:?}"), format!("{two:?}"));
}
