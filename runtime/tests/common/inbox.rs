//! A consumer's dedup store that keeps the record a test needs: every delivery it was asked
//! about, and how many it turned away as duplicates. The deciding is done by the runtime's
//! [`MemoryDedup`]; this only watches it.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use fissure_runtime::{DedupStore, Envelope, MemoryDedup, partition_of};
use uuid::Uuid;

pub struct WatchedInbox {
    dedup: MemoryDedup,
    deliveries: Mutex<Vec<Uuid>>,
    hits: AtomicUsize,
}

impl WatchedInbox {
    pub fn new() -> Self {
        Self {
            dedup: MemoryDedup::new(1 << 20),
            deliveries: Mutex::default(),
            hits: AtomicUsize::new(0),
        }
    }

    /// Records `events` as handled before this consumer started, as a durable inbox read at
    /// start does (those rows were written with the handler's effects).
    pub fn handled_before<'a>(&self, events: impl IntoIterator<Item = &'a Envelope>) {
        for e in events {
            assert!(
                self.dedup.try_claim(e.id(), partition_of(e)),
                "{} twice",
                e.id()
            );
        }
    }

    /// The id of every delivery, in arrival order, duplicates included.
    pub fn deliveries(&self) -> Vec<Uuid> {
        self.deliveries.lock().unwrap().clone()
    }

    /// Deliveries the store turned away (the handler did not run).
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

impl DedupStore for WatchedInbox {
    fn try_claim(&self, id: Uuid, partition: u64) -> bool {
        self.deliveries.lock().unwrap().push(id);
        let fresh = self.dedup.try_claim(id, partition);
        if !fresh {
            self.hits.fetch_add(1, Ordering::SeqCst);
        }
        fresh
    }

    fn release(&self, id: Uuid, partition: u64) {
        self.dedup.release(id, partition);
    }
}
