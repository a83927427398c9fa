//! Idempotent consumers: the store of event ids a consumer has already handled.
//!
//! The bus claims an id before running the handler and releases the claim if the handler
//! fails, so an event is handled successfully at most once per store even when the transport
//! delivers it twice. A store lives per subscription.
//!
//! A store outside the handler's own transaction cannot make the handler's *effects* exactly
//! once across a crash (the effects may commit and the process die before the id is recorded).
//! For that, durable consumers record the id in the same transaction as their writes (an inbox
//! table); this store is the cheap guard against redeliveries within a process lifetime.

use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::{Mutex, PoisonError};

use uuid::Uuid;

use crate::hash::{FxBuild, FxHasher};

/// Where a consumer remembers the ids it has handled. Must be cheap: called on every delivery.
pub trait DedupStore: Send + Sync + 'static {
    /// Claims `id` for handling. Returns false when it was already handled or is being handled
    /// (the delivery is then a duplicate and is acknowledged without running the handler).
    fn try_claim(&self, id: Uuid) -> bool;

    /// Gives a claim back after a failed handling, so a redelivery can claim it again.
    fn release(&self, id: Uuid);
}

/// In-memory dedup with a bounded window: it remembers the most recent `window` ids (per
/// shard, roughly evenly), forgetting the oldest first. Like a broker's duplicate window, a
/// duplicate arriving after its id was forgotten is handled again.
pub struct MemoryDedup {
    shards: Box<[Mutex<Shard>]>,
}

struct Shard {
    seen: HashSet<u128, FxBuild>,
    order: VecDeque<u128>,
    cap: usize,
}

const SHARDS: usize = 32;

impl MemoryDedup {
    /// Remembers about `window` ids (at least one per shard).
    pub fn new(window: usize) -> Self {
        let cap = window.div_ceil(SHARDS).max(1);
        let shards = (0..SHARDS)
            .map(|_| {
                Mutex::new(Shard {
                    seen: HashSet::with_hasher(FxBuild::default()),
                    order: VecDeque::new(),
                    cap,
                })
            })
            .collect();
        Self { shards }
    }

    fn shard(&self, id: u128) -> std::sync::MutexGuard<'_, Shard> {
        let mut h = FxBuild::default().build_hasher();
        id.hash(&mut h);
        let i = (FxHasher::finish(&h) as usize) % SHARDS;
        // A panic while holding the lock leaves the set consistent (each step is one insert or
        // remove), so a poisoned lock is safe to keep using.
        self.shards[i]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Number of ids currently remembered.
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(PoisonError::into_inner).seen.len())
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for MemoryDedup {
    /// A window of 1,048,576 ids.
    fn default() -> Self {
        Self::new(1 << 20)
    }
}

impl DedupStore for MemoryDedup {
    fn try_claim(&self, id: Uuid) -> bool {
        let id = id.as_u128();
        let mut s = self.shard(id);
        if !s.seen.insert(id) {
            return false;
        }
        s.order.push_back(id);
        if s.order.len() > s.cap
            && let Some(old) = s.order.pop_front()
        {
            s.seen.remove(&old);
        }
        true
    }

    fn release(&self, id: Uuid) {
        let id = id.as_u128();
        let mut s = self.shard(id);
        if s.seen.remove(&id)
            && let Some(pos) = s.order.iter().rposition(|&x| x == id)
        {
            s.order.remove(pos);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_once_until_released() {
        let d = MemoryDedup::default();
        let id = Uuid::now_v7();
        assert!(d.try_claim(id));
        assert!(!d.try_claim(id));
        d.release(id);
        assert!(d.try_claim(id));
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn forgets_oldest_beyond_window() {
        let d = MemoryDedup::new(SHARDS * 2);
        let ids: Vec<Uuid> = (0..SHARDS * 20).map(|_| Uuid::now_v7()).collect();
        for id in &ids {
            assert!(d.try_claim(*id));
        }
        assert!(d.len() <= SHARDS * 2);
        // The newest ids are still remembered.
        assert!(!d.try_claim(*ids.last().unwrap()));
        // The very first one was evicted from its shard long ago.
        assert!(d.try_claim(ids[0]));
    }
}
