//! The worker of one lane: takes its inbox in batches, runs the consumer on each delivery in
//! order, and parks a key whose event is waiting for a retry so that later events of that key
//! wait behind it while other keys keep flowing.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::sync::Arc;
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
    /// Keys with an event waiting for a retry; the front of each queue is that event.
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
            for d in batch.drain(..) {
                if let Some(waiting) = self.parked.get_mut(&d.key) {
                    waiting.push_back(d);
                } else if let Some(retry) = self.deliver(d).await {
                    self.park(VecDeque::from([retry]));
                }
                self.since_yield += 1;
                if self.since_yield >= YIELD_EVERY {
                    self.since_yield = 0;
                    self.flush();
                    tokio::task::yield_now().await;
                }
            }
            self.flush();
        }
    }

    /// Handles one delivery; returns it (with its attempt count raised) when it must be
    /// retried, after recording when.
    async fn deliver(&mut self, mut d: Delivery) -> Option<Delivery> {
        match self.consumer.process(&d.envelope, d.attempt).await {
            Disposition::Ack | Disposition::Duplicate => {
                self.finished += 1;
                None
            }
            Disposition::DeadLetter(reason) => {
                self.queue.dead_letter(DeadLetter {
                    subscription: self.queue.name.to_string(),
                    envelope: d.envelope.into_envelope(),
                    attempts: d.attempt,
                    reason,
                    dead_lettered_at: Timestamp::now(),
                });
                self.finished += 1;
                None
            }
            Disposition::Retry(after) => {
                self.timers.push(Reverse((Instant::now() + after, d.key)));
                d.attempt += 1;
                Some(d)
            }
        }
    }

    fn park(&mut self, waiting: VecDeque<Delivery>) {
        if let Some(front) = waiting.front() {
            self.parked.insert(front.key, waiting);
        }
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
                if let Some(retry) = self.deliver(d).await {
                    waiting.push_front(retry);
                    self.park(waiting);
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
