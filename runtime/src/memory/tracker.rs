//! Counts deliveries not yet in a final state, so `drain()` can wait for zero.

use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Notify;

#[derive(Default)]
pub(crate) struct Tracker {
    pending: AtomicUsize,
    idle: Notify,
}

impl Tracker {
    /// Called before the deliveries become visible to workers, so the count never reads zero
    /// while work is queued.
    pub(crate) fn add(&self, n: usize) {
        self.pending.fetch_add(n, Ordering::SeqCst);
    }

    pub(crate) fn done(&self, n: usize) {
        if n != 0 && self.pending.fetch_sub(n, Ordering::SeqCst) == n {
            self.idle.notify_waiters();
        }
    }

    pub(crate) fn pending(&self) -> usize {
        self.pending.load(Ordering::SeqCst)
    }

    pub(crate) async fn wait_idle(&self) {
        loop {
            let mut notified = pin!(self.idle.notified());
            // Registered before the check: a `done` racing with it cannot be missed.
            notified.as_mut().enable();
            if self.pending() == 0 {
                return;
            }
            notified.await;
        }
    }
}
