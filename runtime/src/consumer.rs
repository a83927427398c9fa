//! The transport-independent half of consuming: dedup, run the handler, and decide what the
//! transport must do with the delivery (ack, redeliver later, or dead-letter).
//!
//! Every transport maps a [`Disposition`] onto its own acknowledgement primitives (JetStream
//! `ack`/`nak(delay)`/`term`, AMQP `ack`/delayed requeue/`reject` to a dead-letter exchange,
//! the in-memory lanes), so the guarantees are the same everywhere.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use crate::dedup::DedupStore;
use crate::envelope::Envelope;
use crate::handler::{CatchPanic, Handler, panicked};
use crate::hash::partition_of;
use crate::retry::RetryPolicy;

/// What to do with a delivery after the consumer saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Disposition {
    /// Handled: acknowledge.
    Ack,
    /// Already handled (or being handled) by this consumer: acknowledge without handling.
    Duplicate,
    /// Failed transiently: negatively acknowledge, redeliver after the delay.
    Retry(Duration),
    /// Failed permanently or out of attempts: move to the dead-letter queue, with the reason.
    DeadLetter(String),
}

impl Disposition {
    /// Whether the delivery is finished with (acknowledged or dead-lettered).
    pub fn is_final(&self) -> bool {
        !matches!(self, Self::Retry(_))
    }
}

/// A handler with the consumer-side policies of one subscription.
pub struct Consumer<H> {
    handler: H,
    dedup: Arc<dyn DedupStore>,
    retry: RetryPolicy,
}

impl<H: Handler> Consumer<H> {
    pub fn new(handler: H, dedup: Arc<dyn DedupStore>, retry: RetryPolicy) -> Self {
        Self {
            handler,
            dedup,
            retry,
        }
    }

    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Processes delivery number `attempt` (1-based, counting redeliveries) of `envelope`.
    pub async fn process(&self, envelope: &Envelope, attempt: u32) -> Disposition {
        self.process_in(envelope, partition_of(envelope), attempt)
            .await
    }

    /// [`Consumer::process`] for a transport that already knows the event's
    /// [`partition_of`].
    pub async fn process_in(
        &self,
        envelope: &Envelope,
        partition: u64,
        attempt: u32,
    ) -> Disposition {
        let id = envelope.id();
        if !self.dedup.try_claim(id, partition) {
            return Disposition::Duplicate;
        }
        // A handler may panic while building its future (a synchronous handler does all its
        // work there) or while it runs: both become a transient error.
        let result = match catch_unwind(AssertUnwindSafe(|| self.handler.handle(envelope))) {
            Ok(fut) => CatchPanic(pin!(fut)).await,
            Err(payload) => Err(panicked(payload.as_ref())),
        };
        match result {
            Ok(()) => Disposition::Ack,
            Err(e) => {
                self.dedup.release(id, partition);
                if e.is_permanent() || !self.retry.should_retry(attempt) {
                    Disposition::DeadLetter(e.to_string())
                } else {
                    Disposition::Retry(self.retry.delay_after(attempt, id.as_u64_pair().1))
                }
            }
        }
    }
}
