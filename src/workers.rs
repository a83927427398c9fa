//! The pool every parse and every recursive pass runs on: rayon worker threads with a
//! 512 MiB stack. syn parses recursively, and so do the visitors, use-tree flattening, the
//! module tree's inline children and `Drop` of a deep tree; on a default 2 MiB (rayon) or
//! 8 MiB (main) stack a few thousand nested parentheses abort the process. With
//! [`syntax`](crate::syntax)'s nesting budget bounding the depth of what reaches syn, this
//! stack holds any file that passes. The stack is only reserved address space: pages are
//! committed as a thread touches them, so an idle worker costs nothing measurable.
//!
//! A stage that may recurse as deep as its input calls [`install`]; called from a worker it
//! just runs the closure, so stages can nest freely. `par_iter` inside runs on these
//! workers too.

use std::sync::OnceLock;

/// Stack of each worker: room for the deepest file the nesting budget lets through, with a
/// wide margin (measured in `tests/integration/hostile.rs`).
pub const STACK_BYTES: usize = 512 << 20;

/// Runs `op` on a big-stack worker (the calling thread waits). If the pool cannot be built
/// (the system refuses the threads), `op` runs on the calling thread.
pub fn install<R: Send>(op: impl FnOnce() -> R + Send) -> R {
    match pool() {
        Some(pool) => pool.install(op),
        None => op(),
    }
}

fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(STACK_BYTES)
            .thread_name(|i| format!("fissure-worker-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

#[cfg(test)]
mod tests {
    /// Recursion far deeper than a default thread stack holds (about 100 MB of frames).
    #[test]
    fn workers_hold_deep_recursion() {
        #[inline(never)]
        fn down(n: u32, pad: [u8; 1024]) -> u32 {
            if n == 0 {
                return u32::from(pad[0]);
            }
            std::hint::black_box(&pad);
            down(n - 1, std::hint::black_box(pad)) + 1
        }
        assert_eq!(super::install(|| down(100_000, [0; 1024])), 100_000);
    }
}
