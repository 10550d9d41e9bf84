//! The process's allocator: jemalloc on Linux, the system's elsewhere.
//!
//! An analysis makes and frees tens of thousands of small blocks (tokens' strings,
//! findings, maps) and a few large ones (its token, fold and key arrays: about
//! 10 MB for a 1 MB story). With glibc's malloc, about a fifth of a typed change's
//! instructions went to allocating and freeing: its per-thread cache holds seven
//! blocks of a size, and a large request sweeps up its fast bins first. jemalloc's
//! thread caches and size classes cut a typed change's instructions by about a
//! tenth and time under back-to-back typing by about a quarter, and it keeps freed
//! pages for reuse a while (its dirty-page decay, 10 s), so an analysis of a long
//! story reuses the last one's pages instead of faulting in fresh, zeroed ones
//! (about 30 % of a 1 MB analysis with glibc's defaults; BENCHMARKS.md, rounds 5
//! and 9). mimalloc did as well on instructions but took 250 ms to the first
//! diagnostics and 70–77 MB with 20 documents open (round 9).
//!
//! A library cannot choose its user's allocator, so each program of the crate (the
//! binary, the benchmarks, the examples) declares it with [`process_allocator!`].

/// The allocator the crate's programs use.
#[cfg(target_os = "linux")]
pub type Allocator = tikv_jemallocator::Jemalloc;
#[cfg(not(target_os = "linux"))]
pub type Allocator = std::alloc::System;

/// An instance of [`Allocator`], for `#[global_allocator]`.
#[cfg(target_os = "linux")]
pub const ALLOCATOR: Allocator = tikv_jemallocator::Jemalloc;
#[cfg(not(target_os = "linux"))]
pub const ALLOCATOR: Allocator = std::alloc::System;

/// Declare [`memory::Allocator`](crate::memory::Allocator) the program's global
/// allocator: `copydesk::process_allocator!();` at the top level of a binary.
#[macro_export]
macro_rules! process_allocator {
    () => {
        #[global_allocator]
        static GLOBAL_ALLOCATOR: $crate::memory::Allocator = $crate::memory::ALLOCATOR;
    };
}
