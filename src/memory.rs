//! How the process's allocator treats the large, short-lived buffers of an analysis.
//!
//! An analysis allocates its token, fold and key arrays afresh each time: about
//! 10 MB for a 1 MB story. glibc's malloc serves blocks over its mmap threshold
//! (128 kB, rising as blocks are freed) with fresh pages and gives freed memory at
//! the top of the heap back to the system, so every analysis of a long story paid
//! for zeroing fresh pages again: about 30 % of `analyze` on a 1 MB story
//! (BENCHMARKS.md, round 5). `keep_freed_memory` makes malloc keep up to 64 MB of
//! freed memory for the next analysis and serve blocks up to 32 MB from the heap.
//! The binary calls it at start-up, and so do the benchmarks. A library user may
//! call it too; it changes nothing but where malloc finds memory.

/// Ask malloc to keep freed memory for reuse (glibc on Linux; elsewhere nothing).
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets two of malloc's tuning parameters; it is called
    // with documented parameters and values in range, and touches no memory of ours.
    unsafe {
        // blocks up to 32 MB (glibc's maximum on 64-bit) come from the heap
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        // up to 64 MB of freed memory at the heap's top stays for the next analysis
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
}
