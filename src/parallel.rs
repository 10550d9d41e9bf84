//! The second thread of a long story's analysis: one helper thread that lasts for
//! the life of the process, rather than a thread spawned for each analysis.
//!
//! A story of [`PARALLEL_MIN_BYTES`](crate::text::PARALLEL_MIN_BYTES) or more is
//! analysed on two threads, twice over: the text model in two halves, then the
//! names on one thread and the dates and the text rules on the other. A thread
//! spawned for that starts cold every time: its stack's pages are new (glibc gives
//! a finished thread's stack back to the kernel, all but the part in use), and so
//! are the pages its allocator's arena hands out, so each analysis of a 1 MB story
//! faulted in and zeroed about 250 pages. The helper's stay warm (BENCHMARKS.md,
//! round 21).
//!
//! The helper is a rayon-core pool of one thread: its scope runs the caller's own
//! half on the caller's thread and the other half on the helper, and waits for both,
//! passing on a panic from either, as `std::thread::scope` does. A second caller
//! that finds the helper busy (two analyses at once, in a program that runs them in
//! parallel) spawns a scoped thread as before rather than wait for it.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// The helper, started by the first two-thread analysis (`None` if the system
/// would not start a thread: then each analysis spawns its own).
static HELPER: OnceLock<Option<rayon_core::ThreadPool>> = OnceLock::new();

/// Whether an analysis is using the helper now.
static BUSY: AtomicBool = AtomicBool::new(false);

/// Gives the helper back when dropped, after a panic too.
struct Release;

impl Drop for Release {
    fn drop(&mut self) {
        BUSY.store(false, Ordering::Release);
    }
}

fn helper() -> Option<&'static rayon_core::ThreadPool> {
    HELPER
        .get_or_init(|| {
            rayon_core::ThreadPoolBuilder::new()
                .num_threads(1)
                .thread_name(|_| "copydesk-helper".to_string())
                .build()
                .ok()
        })
        .as_ref()
}

/// Start the helper thread now rather than in the first long story's analysis (the
/// server calls it at start-up).
pub fn start_helper() {
    let _ = helper();
}

/// `a` on this thread and `b` on the helper at the same time (on a thread of its
/// own if the helper is busy): both results, once both have finished. A panic in
/// either is passed on once both have finished.
pub fn join<RA, RB: Send>(a: impl FnOnce() -> RA, b: impl FnOnce() -> RB + Send) -> (RA, RB) {
    let claimed = BUSY
        .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
        .is_ok();
    let release = claimed.then_some(Release);
    match release.as_ref().and(helper()) {
        Some(pool) => {
            let mut rb = None;
            let ra = {
                let slot = &mut rb;
                pool.in_place_scope(|s| {
                    s.spawn(move |_| *slot = Some(b()));
                    a()
                })
            };
            drop(release);
            match rb {
                Some(rb) => (ra, rb),
                // (the scope returns only once its job has run, or passes on the
                // job's panic)
                None => unreachable!("the helper's scope ended before its job"),
            }
        }
        None => {
            drop(release);
            std::thread::scope(|s| {
                let other = s.spawn(b);
                let ra = a();
                match other.join() {
                    Ok(rb) => (ra, rb),
                    Err(e) => std::panic::resume_unwind(e),
                }
            })
        }
    }
}

/// Drop `value` on the helper, once the caller has gone on, when the helper has
/// been started and no analysis is using it; else here. A long story's analysis
/// leaves its names and their entities (thousands of small blocks) to be freed
/// this way after it has made its report, rather than before returning it.
pub fn drop_later<T: Send + 'static>(value: T) {
    match HELPER.get().and_then(Option::as_ref) {
        Some(pool) if !BUSY.load(Ordering::Acquire) => pool.spawn(move || drop(value)),
        _ => drop(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Barrier;

    #[test]
    fn both_halves_run_at_once_and_return_their_results() {
        // each half waits for the other: they can only finish if both run at once
        let meet = Barrier::new(2);
        let text = String::from("borrowed");
        let (a, b) = join(
            || {
                meet.wait();
                text.len()
            },
            || {
                meet.wait();
                text.to_uppercase()
            },
        );
        assert_eq!((a, b.as_str()), (8, "BORROWED"));
    }

    #[test]
    fn a_busy_helper_gives_way_to_a_thread_of_its_own() {
        // a join inside the helper's half finds it busy, and still runs both at once
        let meet = Barrier::new(2);
        let ((x, y), z) = join(
            || {
                join(
                    || {
                        meet.wait();
                        1
                    },
                    || {
                        meet.wait();
                        2
                    },
                )
            },
            || 3,
        );
        assert_eq!((x, y, z), (1, 2, 3));
    }

    /// Take the helper as `join` does, waiting while another test in this process
    /// has it (a minute at most: one that never gave it back fails the test).
    fn claim() -> Release {
        let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while BUSY
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            assert!(
                std::time::Instant::now() < until,
                "the helper was never given back"
            );
            std::thread::yield_now();
        }
        Release
    }

    #[test]
    fn a_value_dropped_later_is_dropped_on_the_helper_or_here() {
        struct Told(std::sync::mpsc::Sender<std::thread::ThreadId>);
        impl Drop for Told {
            fn drop(&mut self) {
                let _ = self.0.send(std::thread::current().id());
            }
        }
        let (send, receive) = std::sync::mpsc::channel();
        let here = std::thread::current().id();
        start_helper();
        // with the helper taken, as a join takes it: dropped here, at once
        let release = claim();
        drop_later(Told(send.clone()));
        assert_eq!(receive.try_recv(), Ok(here));
        drop(release);
        // with the helper free: dropped on the helper (unless another test's join
        // takes it first, so tried until once it is)
        let on_helper = (0..1_000).any(|_| {
            drop_later(Told(send.clone()));
            receive
                .recv_timeout(std::time::Duration::from_secs(60))
                .is_ok_and(|id| id != here)
        });
        assert!(on_helper);
    }

    #[test]
    fn a_panic_in_either_half_is_passed_on_and_the_helper_given_back() {
        for helper_panics in [false, true] {
            let result = std::panic::catch_unwind(|| {
                join(
                    || assert!(helper_panics, "this thread's half"),
                    || assert!(!helper_panics, "the helper's half"),
                )
            });
            assert!(result.is_err());
            // given back: it can be taken again (at once, but for other tests in this
            // process that may hold it for a moment)
            drop(claim());
            assert_eq!(join(|| 1, || 2), (1, 2));
        }
    }
}
