//! The worker of one lane: takes its inbox in batches, runs the consumer on each delivery in
//! order, and parks a key whose event is waiting for a retry so that later events of that key
//! wait behind it while other keys keep flowing.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

use crate::bus::DeadLetter;
use crate::consumer::{Consumer, Disposition};
use crate::handler::Handler;
use crate::hash::FxBuild;
use crate::memory::queue::{Delivery, SubQueue};
use crate::memory::tracker::Tracker;
use crate::time::Timestamp;

/// Deliveries handled between two voluntary yields, so a lane with a long backlog of
/// synchronous handlers does not starve the other lanes sharing its thread.
const YIELD_EVERY: u32 = 256;

pub(crate) struct LaneWorker<H> {
    consumer: Arc<Consumer<H>>,
    queue: Arc<SubQueue>,
    lane: usize,
    tracker: Arc<Tracker>,
    /// Keys with an event waiting for a retry; the front of each queue is that event. Keys are
    /// their 64-bit hashes: a collision only makes two keys wait for each other.
    parked: HashMap<u64, VecDeque<Delivery>, FxBuild>,
    /// When each parked key's front event is due again.
    timers: BinaryHeap<Reverse<(Instant, u64)>>,
    /// Deliveries finished since the tracker was last told (batched to spare a shared atomic
    /// per event).
    finished: usize,
    since_yield: u32,
}

impl<H: Handler> LaneWorker<H> {
    pub(crate) fn new(
        consumer: Arc<Consumer<H>>,
        queue: Arc<SubQueue>,
        lane: usize,
        tracker: Arc<Tracker>,
    ) -> Self {
        Self {
            consumer,
            queue,
            lane,
            tracker,
            parked: HashMap::default(),
            timers: BinaryHeap::new(),
            finished: 0,
            since_yield: 0,
        }
    }

    pub(crate) async fn run(mut self) {
        let mut batch: Vec<Delivery> = Vec::new();
        loop {
            self.run_due_retries().await;
            self.queue.take(self.lane, &mut batch);
            if batch.is_empty() {
                self.flush();
                if self.queue.is_closed() && self.parked.is_empty() {
                    return;
                }
                let woken = self.queue.wake(self.lane).notified();
                match self.timers.peek() {
                    Some(Reverse((due, _))) => {
                        let due = *due;
                        tokio::select! {
                            () = woken => {}
                            () = tokio::time::sleep_until(due) => {}
                        }
                    }
                    None => woken.await,
                }
                continue;
            }
            // Deliveries are handled in place and dropped with the batch: moving them out one by
            // one would copy each envelope twice more on the hot path. Only the rare delivery that
            // must wait (its key is parked, or it failed) is cloned out.
            for d in &batch {
                if let Some(waiting) = self.parked.get_mut(&d.key) {
                    waiting.push_back(d.clone());
                } else if let Some(delay) = self.deliver(d).await {
                    self.schedule(d.clone(), delay);
                }
                self.since_yield += 1;
                if self.since_yield >= YIELD_EVERY {
                    self.since_yield = 0;
                    self.flush();
                    tokio::task::yield_now().await;
                }
            }
            batch.clear();
            self.flush();
        }
    }

    /// Handles one delivery; returns the delay before the next attempt when it must be retried.
    async fn deliver(&mut self, d: &Delivery) -> Option<Duration> {
        match self
            .consumer
            .process_in(&d.envelope, d.key, d.attempt)
            .await
        {
            Disposition::Ack | Disposition::Duplicate => {
                self.finished += 1;
                None
            }
            Disposition::DeadLetter(reason) => {
                self.queue.dead_letter(DeadLetter {
                    subscription: self.queue.name.to_string(),
                    envelope: (*d.envelope).clone(),
                    attempts: d.attempt,
                    reason,
                    dead_lettered_at: Timestamp::now(),
                });
                self.finished += 1;
                None
            }
            Disposition::Retry(after) => Some(after),
        }
    }

    /// Parks the key of `d` with `d` at the front, due again after `delay`.
    fn schedule(&mut self, mut d: Delivery, delay: Duration) {
        self.timers.push(Reverse((Instant::now() + delay, d.key)));
        d.attempt += 1;
        self.parked.entry(d.key).or_default().push_front(d);
    }

    /// Redelivers every parked event whose delay has passed, then the events of its key that
    /// queued behind it, until one fails again or the key has nothing left.
    async fn run_due_retries(&mut self) {
        while let Some(Reverse((due, key))) = self.timers.peek().copied() {
            if due > Instant::now() {
                return;
            }
            self.timers.pop();
            let Some(mut waiting) = self.parked.remove(&key) else {
                continue;
            };
            while let Some(d) = waiting.pop_front() {
                if let Some(delay) = self.deliver(&d).await {
                    self.parked.insert(key, waiting);
                    self.schedule(d, delay);
                    break;
                }
            }
            self.flush();
        }
    }

    fn flush(&mut self) {
        self.tracker.done(std::mem::take(&mut self.finished));
    }
}
