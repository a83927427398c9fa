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

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use uuid::Uuid;

use crate::hash::{CachePadded, FxBuild};

pub use crate::hash::partition_of;

/// Where a consumer remembers the ids it has handled. Must be cheap: called on every delivery.
pub trait DedupStore: Send + Sync + 'static {
    /// Claims `id` for handling. Returns false when it was already handled or is being handled
    /// (the delivery is then a duplicate and is acknowledged without running the handler).
    ///
    /// `partition` is the hash of the event's partition key ([`partition_of`]): every delivery
    /// of one event carries the same value, so a store may shard by it. The in-memory store does,
    /// which keeps each shard on the one worker lane that owns those keys (no lock traffic
    /// between cores).
    fn try_claim(&self, id: Uuid, partition: u64) -> bool;

    /// Gives a claim back after a failed handling, so a redelivery can claim it again.
    fn release(&self, id: Uuid, partition: u64);
}

/// In-memory dedup with a bounded window, like a broker's duplicate window: it always
/// remembers at least the most recent `window / 2` ids of each shard and at most `window`
/// (shards split the window evenly). A duplicate arriving after its id was forgotten is handled
/// again.
///
/// Each shard keeps two generations of ids; when the current one is full the older one is
/// cleared in bulk and the generations swap (no per-id eviction work).
pub struct MemoryDedup {
    shards: Box<[CachePadded<Mutex<Shard>>]>,
}

struct Shard {
    current: Generation,
    previous: Generation,
    generation_cap: usize,
}

/// One generation of ids. UUID v7 ids grow with time, so within a shard new ids nearly always
/// exceed every id seen so far: those are appended to a sorted vector (a sequential write, no
/// hashing, no cache miss) and a lookup of an id above the maximum is answered without touching
/// memory. Ids that arrive out of order (several publishers within one millisecond, foreign
/// non-v7 ids) go to a hash set. Exact either way.
#[derive(Default)]
struct Generation {
    ascending: Vec<u128>,
    scattered: HashSet<u128, FxBuild>,
    /// Upper bound of every id in this generation (not lowered by removals).
    max: Option<u128>,
}

impl Generation {
    fn above_max(&self, id: u128) -> bool {
        self.max.is_none_or(|m| id > m)
    }

    fn contains(&self, id: u128) -> bool {
        !self.above_max(id)
            && (self.ascending.binary_search(&id).is_ok() || self.scattered.contains(&id))
    }

    /// Adds `id`; false when it was already there.
    fn insert(&mut self, id: u128) -> bool {
        if self.above_max(id) {
            self.ascending.push(id);
            self.max = Some(id);
            true
        } else {
            self.ascending.binary_search(&id).is_err() && self.scattered.insert(id)
        }
    }

    fn remove(&mut self, id: u128) -> bool {
        match self.ascending.binary_search(&id) {
            Ok(i) => {
                self.ascending.remove(i);
                true
            }
            Err(_) => self.scattered.remove(&id),
        }
    }

    fn len(&self) -> usize {
        self.ascending.len() + self.scattered.len()
    }

    fn clear(&mut self) {
        self.ascending.clear();
        self.scattered.clear();
        self.max = None;
    }
}

const SHARDS: usize = 32;

impl MemoryDedup {
    /// Remembers between `window / 2` and `window` ids (at least one per shard).
    pub fn new(window: usize) -> Self {
        let generation_cap = (window.div_ceil(SHARDS) / 2).max(1);
        let shards = (0..SHARDS)
            .map(|_| {
                CachePadded(Mutex::new(Shard {
                    current: Generation::default(),
                    previous: Generation::default(),
                    generation_cap,
                }))
            })
            .collect();
        Self { shards }
    }

    fn shard(&self, partition: u64) -> std::sync::MutexGuard<'_, Shard> {
        // SHARDS is a multiple of the usual lane counts, so a shard serves a single lane.
        let i = (partition % SHARDS as u64) as usize;
        // A panic while holding the lock leaves the sets consistent (each step is one insert,
        // remove or clear), so a poisoned lock is safe to keep using.
        self.shards[i]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Number of ids currently remembered.
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| {
                let s = s.lock().unwrap_or_else(PoisonError::into_inner);
                s.current.len() + s.previous.len()
            })
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for MemoryDedup {
    /// A window of 65,536 ids (at least 32,768 remembered): minutes to hours of traffic at the
    /// rates of a typical service, in about 1.5 MB that mostly stays in cache.
    fn default() -> Self {
        Self::new(1 << 16)
    }
}

impl DedupStore for MemoryDedup {
    fn try_claim(&self, id: Uuid, partition: u64) -> bool {
        let mut s = self.shard(partition);
        let id = id.as_u128();
        let s = &mut *s;
        if s.previous.contains(id) || !s.current.insert(id) {
            return false;
        }
        if s.current.len() >= s.generation_cap {
            std::mem::swap(&mut s.current, &mut s.previous);
            s.current.clear();
        }
        true
    }

    fn release(&self, id: Uuid, partition: u64) {
        let mut s = self.shard(partition);
        let id = id.as_u128();
        if !s.current.remove(id) {
            s.previous.remove(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spread(id: &Uuid) -> u64 {
        id.as_u64_pair().1
    }

    #[test]
    fn claims_once_until_released() {
        let d = MemoryDedup::default();
        let id = crate::ids::new_v7(std::time::SystemTime::now());
        assert!(d.try_claim(id, 7));
        assert!(!d.try_claim(id, 7));
        d.release(id, 7);
        assert!(d.try_claim(id, 7));
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn forgets_oldest_beyond_window() {
        let d = MemoryDedup::new(SHARDS * 2);
        let ids: Vec<Uuid> = (0..SHARDS * 20)
            .map(|_| crate::ids::new_v7(std::time::SystemTime::now()))
            .collect();
        for id in &ids {
            assert!(d.try_claim(*id, spread(id)));
        }
        assert!(d.len() <= SHARDS * 2, "{}", d.len());
        // The newest ids are still remembered.
        let last = ids.last().unwrap();
        assert!(!d.try_claim(*last, spread(last)));
        // The very first one was evicted from its shard long ago.
        assert!(d.try_claim(ids[0], spread(&ids[0])));
    }

    #[test]
    fn finds_duplicates_of_ids_below_and_above_the_previous_maximum() {
        let d = MemoryDedup::new(SHARDS * 4);
        // Not time-ordered on purpose: the shortcut must not hide an older id.
        for id in [9u128, 3, 7] {
            assert!(d.try_claim(Uuid::from_u128(id), 0));
        }
        // Shard 0 keeps 2 ids per generation: {9, 3} rolled into previous, {7} is current.
        for id in [3u128, 9, 7] {
            assert!(!d.try_claim(Uuid::from_u128(id), 0), "{id} forgotten");
        }
        assert!(d.try_claim(Uuid::from_u128(5), 0), "5 was never seen");
    }

    #[test]
    fn release_keeps_ordered_and_scattered_ids_consistent() {
        let d = MemoryDedup::new(SHARDS * 200);
        let claim = |id: u128| d.try_claim(Uuid::from_u128(id), 0);
        for id in [10u128, 20, 30, 25, 5] {
            assert!(claim(id));
        }
        // Release the maximum and an out-of-order id: both claimable again, others still not.
        d.release(Uuid::from_u128(30), 0);
        d.release(Uuid::from_u128(25), 0);
        assert!(claim(30) && claim(25));
        for id in [10u128, 20, 30, 25, 5] {
            assert!(!claim(id), "{id}");
        }
        assert!(claim(15) && claim(31));
    }

    #[test]
    fn remembers_at_least_half_the_window_per_shard() {
        let d = MemoryDedup::new(SHARDS * 32);
        let ids: Vec<Uuid> = (0..2_000)
            .map(|_| crate::ids::new_v7(std::time::SystemTime::now()))
            .collect();
        for id in &ids {
            assert!(d.try_claim(*id, spread(id)));
        }
        // The last 100 ids fall ~3 per shard, well within the 16 each shard surely keeps.
        for id in &ids[ids.len() - 100..] {
            assert!(!d.try_claim(*id, spread(id)), "recent id forgotten");
        }
    }
}
