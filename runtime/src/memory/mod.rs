//! The in-memory transport: a broker inside the process with the guarantees of a real one
//! (at-least-once delivery with explicit ack/nack, retries with backoff, dead-lettering,
//! per-key ordering, idempotent consumers, drain).
//!
//! Each subscription has `lanes` worker tasks. An event goes to lane `hash(subject) % lanes`,
//! so events of one key are handled by one worker in publish order, and different keys in
//! parallel. Publishing never blocks: queues are unbounded, like a broker with disk to spare.

mod lane;
mod queue;
mod tracker;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use tokio::task::JoinHandle;

use crate::bus::{ALL_TYPES, BusError, DeadLetter, Publisher, Subscription, Transport};
use crate::consumer::Consumer;
use crate::dedup::{DedupStore, MemoryDedup};
use crate::envelope::Envelope;
use crate::handler::Handler;
use crate::hash::{FxBuild, partition_of};
use lane::LaneWorker;
use queue::{Delivery, Payload, SubQueue};
use tracker::Tracker;

/// The in-memory bus. Cloning it gives another handle to the same bus.
#[derive(Clone, Default)]
pub struct MemoryBus {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    routes: RwLock<Routes>,
    workers: Mutex<Vec<JoinHandle<()>>>,
    tracker: Arc<Tracker>,
    closed: AtomicBool,
}

#[derive(Default)]
struct Routes {
    by_name: HashMap<String, Arc<SubQueue>>,
    by_type: HashMap<String, Vec<Arc<SubQueue>>, FxBuild>,
    all_types: Vec<Arc<SubQueue>>,
}

impl Routes {
    /// The subscriptions an event type goes to, resolved at subscribe time so that publishing
    /// is one lookup.
    fn targets(&self, event_type: &str) -> &[Arc<SubQueue>] {
        self.by_type.get(event_type).unwrap_or(&self.all_types)
    }
}

impl MemoryBus {
    pub fn new() -> Self {
        Self::default()
    }

    /// Deliveries not yet handled, skipped or dead-lettered, over all subscriptions.
    pub fn pending(&self) -> usize {
        self.inner.tracker.pending()
    }

    fn routes(&self) -> std::sync::RwLockReadGuard<'_, Routes> {
        // Routes are replaced by whole-value inserts: consistent even after a panic elsewhere.
        self.inner
            .routes
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn check_open(&self) -> Result<(), BusError> {
        if self.inner.closed.load(Ordering::SeqCst) {
            Err(BusError::Closed)
        } else {
            Ok(())
        }
    }

    /// Publishes without awaiting: the in-memory broker accepts synchronously.
    pub fn publish_now(&self, envelope: Envelope) -> Result<(), BusError> {
        self.check_open()?;
        let routes = self.routes();
        let targets = routes.targets(envelope.event_type());
        let key = partition_of(&envelope);
        match targets {
            [] => {}
            [only] => {
                self.inner.tracker.add(1);
                only.push(Delivery {
                    envelope: Payload::Owned(envelope),
                    key,
                    attempt: 1,
                });
            }
            many => {
                self.inner.tracker.add(many.len());
                let shared = Arc::new(envelope);
                for q in many {
                    let envelope = Payload::Shared(Arc::clone(&shared));
                    q.push(Delivery {
                        envelope,
                        key,
                        attempt: 1,
                    });
                }
            }
        }
        Ok(())
    }

    /// Publishes a batch: one route lookup per event but one inbox lock per lane per batch.
    pub fn publish_all_now(&self, envelopes: Vec<Envelope>) -> Result<(), BusError> {
        self.check_open()?;
        let routes = self.routes();
        // Per target subscription, one buffer per lane; subscriptions per batch are few, so a
        // linear search by pointer beats hashing.
        let mut staged: Vec<(&Arc<SubQueue>, Vec<Vec<Delivery>>)> = Vec::new();
        let mut total = 0;
        let batch_len = envelopes.len();
        for envelope in envelopes {
            let key = partition_of(&envelope);
            let targets = routes.targets(envelope.event_type());
            let payloads: Vec<Payload> = match targets.len() {
                0 => continue,
                1 => vec![Payload::Owned(envelope)],
                n => {
                    let shared = Arc::new(envelope);
                    (0..n)
                        .map(|_| Payload::Shared(Arc::clone(&shared)))
                        .collect()
                }
            };
            for (q, envelope) in targets.iter().zip(payloads) {
                let slot = match staged.iter().position(|(s, _)| Arc::ptr_eq(s, q)) {
                    Some(i) => i,
                    None => {
                        // Sized for an even spread plus slack, so lanes rarely reallocate.
                        let per_lane = batch_len / q.lane_count() * 3 / 2 + 4;
                        let lanes = (0..q.lane_count()).map(|_| Vec::with_capacity(per_lane));
                        staged.push((q, lanes.collect()));
                        staged.len() - 1
                    }
                };
                staged[slot].1[q.lane_of(key)].push(Delivery {
                    envelope,
                    key,
                    attempt: 1,
                });
                total += 1;
            }
        }
        self.inner.tracker.add(total);
        for (q, mut lanes) in staged {
            for (i, batch) in lanes.iter_mut().enumerate() {
                q.push_lane(i, batch);
            }
        }
        Ok(())
    }
}

impl Publisher for MemoryBus {
    async fn publish(&self, envelope: Envelope) -> Result<(), BusError> {
        self.publish_now(envelope)
    }

    async fn publish_all(&self, envelopes: Vec<Envelope>) -> Result<(), BusError> {
        self.publish_all_now(envelopes)
    }
}

impl Transport for MemoryBus {
    async fn subscribe<H: Handler>(
        &self,
        subscription: Subscription,
        handler: H,
    ) -> Result<(), BusError> {
        self.check_open()?;
        let mut routes = self
            .inner
            .routes
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if routes.by_name.contains_key(&subscription.name) {
            return Err(BusError::DuplicateSubscription(subscription.name));
        }
        let queue = Arc::new(SubQueue::new(&subscription.name, subscription.lanes));
        let dedup: Arc<dyn DedupStore> = subscription
            .dedup
            .unwrap_or_else(|| Arc::new(MemoryDedup::default()));
        let consumer = Arc::new(Consumer::new(handler, dedup, subscription.retry));
        let mut workers = self
            .inner
            .workers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for lane in 0..queue.lane_count() {
            let worker = LaneWorker::new(
                Arc::clone(&consumer),
                Arc::clone(&queue),
                lane,
                Arc::clone(&self.inner.tracker),
            );
            workers.push(tokio::spawn(worker.run()));
        }
        let everything = subscription.types.iter().any(|t| t == ALL_TYPES);
        if everything {
            // Every type: the fallback list and every list already resolved.
            routes.all_types.push(Arc::clone(&queue));
            for subs in routes.by_type.values_mut() {
                subs.push(Arc::clone(&queue));
            }
        } else {
            for t in &subscription.types {
                let all_types = routes.all_types.clone();
                let subs = routes.by_type.entry(t.clone()).or_insert(all_types);
                if !subs.iter().any(|q| Arc::ptr_eq(q, &queue)) {
                    subs.push(Arc::clone(&queue));
                }
            }
        }
        routes.by_name.insert(subscription.name, queue);
        Ok(())
    }

    async fn dead_letters(&self, subscription: &str) -> Result<Vec<DeadLetter>, BusError> {
        self.routes()
            .by_name
            .get(subscription)
            .map(|q| q.dead_letters())
            .ok_or_else(|| BusError::UnknownSubscription(subscription.to_owned()))
    }

    async fn drain(&self) {
        self.inner.tracker.wait_idle().await;
    }

    async fn shutdown(&self) {
        self.inner.closed.store(true, Ordering::SeqCst);
        self.drain().await;
        for q in self.routes().by_name.values() {
            q.close();
        }
        let workers = std::mem::take(
            &mut *self
                .inner
                .workers
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for w in workers {
            // A worker only ends by returning; a join error means the runtime is shutting down.
            let _ = w.await;
        }
    }
}
