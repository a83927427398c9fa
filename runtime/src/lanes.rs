//! The consumer side shared by broker transports: deliveries are sharded by partition key onto
//! lanes, each lane runs the [`Consumer`] on its deliveries one at a time in arrival order and
//! settles each (ack, redeliver later, dead-letter) with the broker's own primitive.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::consumer::{Consumer, Disposition};
use crate::envelope::Envelope;
use crate::handler::Handler;
use crate::hash::partition_of;

/// One message received from a broker, with what it takes to settle it there.
pub(crate) trait Delivery: Send + 'static {
    /// 1-based delivery count of this message (the broker's redelivery counter).
    fn attempt(&self) -> u32;
    /// Applies the consumer's decision on the broker.
    fn settle(
        self,
        envelope: Envelope,
        disposition: Disposition,
    ) -> impl Future<Output = ()> + Send;
}

/// Lanes of one subscription in one process.
pub(crate) struct Lanes<D> {
    senders: Vec<mpsc::UnboundedSender<(Envelope, u64, D)>>,
    inflight: Arc<AtomicUsize>,
    pub(crate) tasks: Vec<JoinHandle<()>>,
}

impl<D: Delivery> Lanes<D> {
    pub(crate) fn start<H: Handler>(lanes: usize, consumer: Arc<Consumer<H>>) -> Self {
        let inflight = Arc::new(AtomicUsize::new(0));
        let mut senders = Vec::with_capacity(lanes);
        let mut tasks = Vec::with_capacity(lanes);
        for _ in 0..lanes.max(1) {
            let (tx, mut rx) = mpsc::unbounded_channel::<(Envelope, u64, D)>();
            let consumer = Arc::clone(&consumer);
            let inflight = Arc::clone(&inflight);
            tasks.push(tokio::spawn(async move {
                while let Some((envelope, partition, delivery)) = rx.recv().await {
                    let disposition = consumer
                        .process_in(&envelope, partition, delivery.attempt())
                        .await;
                    delivery.settle(envelope, disposition).await;
                    inflight.fetch_sub(1, Ordering::SeqCst);
                }
            }));
            senders.push(tx);
        }
        Self {
            senders,
            inflight,
            tasks,
        }
    }

    /// Queues a delivery on the lane of its key: one key, one lane, arrival order.
    pub(crate) fn dispatch(&self, envelope: Envelope, delivery: D) {
        let partition = partition_of(&envelope);
        let lane = (partition % self.senders.len() as u64) as usize;
        self.inflight.fetch_add(1, Ordering::SeqCst);
        if self.senders[lane]
            .send((envelope, partition, delivery))
            .is_err()
        {
            // The lane stopped (shutdown): the broker redelivers the unsettled message.
            self.inflight.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Deliveries received and not yet settled.
    pub(crate) fn inflight(&self) -> usize {
        self.inflight.load(Ordering::SeqCst)
    }

    pub(crate) fn abort(&self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}
