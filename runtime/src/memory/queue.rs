//! The queue of one subscription: its lanes (inboxes filled by publishers, each drained by one
//! worker) and its dead-letter list.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

use crate::bus::DeadLetter;
use crate::envelope::Envelope;
use crate::hash::CachePadded;

/// The event of a delivery: owned when one subscription gets it (the common case, and no
/// allocation), shared when it fans out to several.
// Boxing the owned variant would bring back the allocation per event this enum avoids.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Payload {
    Owned(Envelope),
    Shared(Arc<Envelope>),
}

impl std::ops::Deref for Payload {
    type Target = Envelope;

    fn deref(&self) -> &Envelope {
        match self {
            Self::Owned(e) => e,
            Self::Shared(e) => e,
        }
    }
}

impl Clone for Payload {
    fn clone(&self) -> Self {
        match self {
            Self::Owned(e) => Self::Owned(e.clone()),
            Self::Shared(e) => Self::Shared(Arc::clone(e)),
        }
    }
}

/// One delivery of an event to a subscription.
#[derive(Clone)]
pub(crate) struct Delivery {
    pub(crate) envelope: Payload,
    /// Hash of the partition key: selects the lane and, within it, the ordering group.
    pub(crate) key: u64,
    /// 1 for the first delivery.
    pub(crate) attempt: u32,
}

pub(crate) struct Lane {
    inbox: Mutex<Vec<Delivery>>,
    wake: Notify,
}

pub(crate) struct SubQueue {
    pub(crate) name: Arc<str>,
    lanes: Box<[CachePadded<Lane>]>,
    dead: Mutex<Vec<DeadLetter>>,
    closed: AtomicBool,
}

// Locks here guard plain Vec pushes and swaps: a panic cannot leave them half-updated, so a
// poisoned lock is still consistent.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SubQueue {
    pub(crate) fn new(name: &str, lanes: usize) -> Self {
        let lanes = (0..lanes.max(1))
            .map(|_| {
                CachePadded(Lane {
                    inbox: Mutex::new(Vec::new()),
                    wake: Notify::new(),
                })
            })
            .collect();
        Self {
            name: name.into(),
            lanes,
            dead: Mutex::new(Vec::new()),
            closed: AtomicBool::new(false),
        }
    }

    pub(crate) fn lane_count(&self) -> usize {
        self.lanes.len()
    }

    pub(crate) fn lane_of(&self, key: u64) -> usize {
        (key % self.lanes.len() as u64) as usize
    }

    pub(crate) fn push(&self, d: Delivery) {
        let lane = &self.lanes[self.lane_of(d.key)];
        let was_empty = {
            let mut inbox = lock(&lane.inbox);
            inbox.push(d);
            inbox.len() == 1
        };
        // The worker takes the whole inbox at once, so only the push onto an empty inbox needs
        // to wake it; later pushes ride on that wake-up.
        if was_empty {
            lane.wake.notify_one();
        }
    }

    /// Appends a batch bound for one lane under a single lock.
    pub(crate) fn push_lane(&self, lane: usize, batch: &mut Vec<Delivery>) {
        if batch.is_empty() {
            return;
        }
        let lane = &self.lanes[lane];
        let was_empty = {
            let mut inbox = lock(&lane.inbox);
            let was_empty = inbox.is_empty();
            if was_empty {
                // Hand the buffer over instead of copying every delivery into the inbox.
                std::mem::swap(&mut *inbox, batch);
            } else {
                inbox.append(batch);
            }
            was_empty
        };
        if was_empty {
            lane.wake.notify_one();
        }
    }

    /// Moves everything queued on `lane` into `out` (which the worker keeps, so its buffer is
    /// reused batch after batch).
    pub(crate) fn take(&self, lane: usize, out: &mut Vec<Delivery>) {
        std::mem::swap(&mut *lock(&self.lanes[lane].inbox), out);
    }

    pub(crate) fn wake(&self, lane: usize) -> &Notify {
        &self.lanes[lane].wake
    }

    pub(crate) fn dead_letter(&self, d: DeadLetter) {
        lock(&self.dead).push(d);
    }

    pub(crate) fn dead_letters(&self) -> Vec<DeadLetter> {
        lock(&self.dead).clone()
    }

    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        for lane in &self.lanes {
            lane.wake.notify_one();
        }
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }
}
