//! The programs' allocator: small blocks from jemalloc, large ones from the system's
//! malloc, tuned to keep freed memory (on Linux with glibc; elsewhere the system's
//! allocator alone).
//!
//! An analysis makes and frees tens of thousands of small blocks (tokens' strings,
//! findings, map entries) and a few large ones (its token, fold and key arrays:
//! about 10 MB for a 1 MB story).
//!
//! - **Small blocks**: with glibc's malloc, about a fifth of a typed change's
//!   instructions went to allocating and freeing (its per-thread cache holds seven
//!   blocks of a size, and each large request first sweeps up its fast bins).
//!   jemalloc's thread caches cut a typed change's instructions by about a tenth
//!   (BENCHMARKS.md, round 9).
//! - **Large blocks**: jemalloc gives the pages of freed large blocks back and
//!   faults in fresh, zeroed ones for the next (five times glibc's page faults on a
//!   1 MB story, and a 1 MB analysis 10–25 % slower), so blocks of
//!   [`LARGE`] bytes and more go to glibc's malloc, which [`keep_freed_memory`]
//!   tunes to keep up to 64 MB of freed memory for the next analysis and serve blocks
//!   up to 32 MB from its heap (without it, fresh pages cost about 30 % of a 1 MB
//!   analysis; round 5).
//!
//! mimalloc did as well on instructions, but took 250 ms to the first diagnostics and
//! 70–77 MB with 20 documents open (round 9; round 4 found its memory doubled too).
//!
//! A library cannot choose its user's allocator, so each program of the crate (the
//! binary, the benchmarks, the examples) declares it with [`process_allocator!`],
//! and calls [`keep_freed_memory`] at start-up.

/// Blocks of this many bytes or more come from the system's malloc.
pub const LARGE: usize = 64 << 10;

/// The programs' allocator (Linux with glibc): [`LARGE`] blocks and over from the
/// system's malloc, smaller ones from jemalloc. A block's size class is known
/// from its layout at every call, so each block is freed by the allocator that
/// made it; a block that grows or shrinks across [`LARGE`] moves from one to the
/// other.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub struct Allocator;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod split {
    use std::alloc::{GlobalAlloc, Layout, System};

    use super::{Allocator, LARGE};

    static SMALL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

    /// `$call` with `$a` the allocator of blocks of `$size` bytes (a macro rather
    /// than a `&dyn GlobalAlloc`, which cost 1 % of a typed change's instructions).
    macro_rules! by_size {
        ($size:expr, $a:ident => $call:expr) => {
            if $size >= LARGE {
                let $a = &System;
                $call
            } else {
                let $a = &SMALL;
                $call
            }
        };
    }

    // SAFETY: every block is made and freed by the same allocator, chosen by its
    // size (`layout.size()`, the same at allocation and deallocation as
    // `GlobalAlloc` requires); `realloc` keeps to one allocator when the old and
    // new sizes are on the same side of `LARGE`, and otherwise allocates from the
    // other, copies the smaller of the two sizes and frees the old block, as
    // `GlobalAlloc::realloc`'s default does.
    unsafe impl GlobalAlloc for Allocator {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: passed on with the caller's guarantees
            unsafe { by_size!(layout.size(), a => a.alloc(layout)) }
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            // SAFETY: passed on with the caller's guarantees
            unsafe { by_size!(layout.size(), a => a.alloc_zeroed(layout)) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: `ptr` was made by the allocator its size chooses
            unsafe { by_size!(layout.size(), a => a.dealloc(ptr, layout)) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let (was, will) = (layout.size() >= LARGE, new_size >= LARGE);
            // SAFETY: the caller's guarantees for `ptr`, `layout` and `new_size`;
            // across `LARGE`, a new block of the new size (a valid layout: the
            // caller guarantees it) takes the contents, then the old one is freed
            unsafe {
                if was == will {
                    return by_size!(new_size, a => a.realloc(ptr, layout, new_size));
                }
                let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
                let new = self.alloc(new_layout);
                if !new.is_null() {
                    std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                new
            }
        }
    }
}

/// The programs' allocator elsewhere: the system's.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub type Allocator = std::alloc::System;

/// An instance of [`Allocator`], for `#[global_allocator]`.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub const ALLOCATOR: Allocator = Allocator;
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub const ALLOCATOR: Allocator = std::alloc::System;

/// Declare [`memory::Allocator`](crate::memory::Allocator) the program's global
/// allocator: `copydesk::process_allocator!();` at the top level of a program, and
/// [`keep_freed_memory`] called at its start.
#[macro_export]
macro_rules! process_allocator {
    () => {
        #[global_allocator]
        static GLOBAL_ALLOCATOR: $crate::memory::Allocator = $crate::memory::ALLOCATOR;
    };
}

/// Ask the system's malloc to keep freed memory for reuse (glibc on Linux; elsewhere
/// nothing): up to 64 MB of freed memory at the top of its heap stays for the next
/// analysis, and blocks up to 32 MB come from the heap rather than fresh pages.
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
