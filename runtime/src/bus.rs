//! The bus contract every transport implements: publishing, subscribing with a handler,
//! dead-letter inspection and draining. Services depend on these traits, never on a transport.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use crate::dedup::DedupStore;
use crate::envelope::Envelope;
use crate::handler::Handler;
use crate::retry::RetryPolicy;
use crate::time::Timestamp;

/// Sends events to the bus.
pub trait Publisher: Send + Sync {
    /// Publishes one event. Returns once the transport has accepted it (for a broker: once the
    /// broker confirmed it), not once it is handled.
    fn publish(&self, envelope: Envelope) -> impl Future<Output = Result<(), BusError>> + Send;

    /// Publishes events in order. Transports override this to batch.
    fn publish_all(
        &self,
        envelopes: Vec<Envelope>,
    ) -> impl Future<Output = Result<(), BusError>> + Send {
        async move {
            for e in envelopes {
                self.publish(e).await?;
            }
            Ok(())
        }
    }
}

/// A message transport: an in-memory broker or a client of a real one.
pub trait Transport: Publisher {
    /// Starts delivering the events that match `subscription` to `handler`, from the events
    /// published after this call on. Names are unique per bus: a second subscription with the
    /// same name is refused.
    fn subscribe<H: Handler>(
        &self,
        subscription: Subscription,
        handler: H,
    ) -> impl Future<Output = Result<(), BusError>> + Send;

    /// The events that exhausted their attempts (or failed permanently) in `subscription`.
    fn dead_letters(
        &self,
        subscription: &str,
    ) -> impl Future<Output = Result<Vec<DeadLetter>, BusError>> + Send;

    /// Waits until every event published so far has reached a final state in every
    /// subscription: handled, skipped as a duplicate, or dead-lettered (pending retries
    /// included).
    fn drain(&self) -> impl Future<Output = ()> + Send;

    /// Drains, then stops the consumers; publishing afterwards fails with [`BusError::Closed`].
    fn shutdown(&self) -> impl Future<Output = ()> + Send;
}

/// What a subscription receives and how it treats failures.
#[derive(Clone)]
pub struct Subscription {
    pub(crate) name: String,
    pub(crate) types: Vec<String>,
    pub(crate) retry: RetryPolicy,
    pub(crate) lanes: usize,
    pub(crate) dedup: Option<Arc<dyn DedupStore>>,
}

/// Subscribes to every event type (audit logs, projections of everything).
pub const ALL_TYPES: &str = "*";

impl Subscription {
    /// A subscription named `name` (unique per bus, e.g. `billing.on-user-registered`) to the
    /// CloudEvents types in `types`; [`ALL_TYPES`] matches every type.
    pub fn new<I, S>(name: impl Into<String>, types: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            name: name.into(),
            types: types.into_iter().map(Into::into).collect(),
            retry: RetryPolicy::default(),
            lanes: 16,
            dedup: None,
        }
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Number of parallel lanes: events are sharded by subject onto lanes, each lane handles
    /// its events one at a time in order. More lanes = more concurrency for slow handlers.
    pub fn with_lanes(mut self, lanes: usize) -> Self {
        self.lanes = lanes.max(1);
        self
    }

    /// Uses `store` to remember handled ids instead of the default in-memory window.
    pub fn with_dedup(mut self, store: Arc<dyn DedupStore>) -> Self {
        self.dedup = Some(store);
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn types(&self) -> &[String] {
        &self.types
    }

    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    pub fn lanes(&self) -> usize {
        self.lanes
    }

    /// Whether an event of type `event_type` is delivered to this subscription.
    pub fn matches(&self, event_type: &str) -> bool {
        self.types.iter().any(|t| t == ALL_TYPES || t == event_type)
    }
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("name", &self.name)
            .field("types", &self.types)
            .field("retry", &self.retry)
            .field("lanes", &self.lanes)
            .field("custom_dedup", &self.dedup.is_some())
            .finish()
    }
}

/// An event a subscription gave up on.
#[derive(Clone, Debug, PartialEq)]
pub struct DeadLetter {
    pub subscription: String,
    pub envelope: Envelope,
    /// How many times the handler ran on it.
    pub attempts: u32,
    /// The last handler error.
    pub reason: String,
    pub dead_lettered_at: Timestamp,
}

/// Errors of the bus itself (not of handlers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BusError {
    /// The bus was shut down.
    Closed,
    /// A subscription with this name already exists on the bus.
    DuplicateSubscription(String),
    /// No subscription with this name exists on the bus.
    UnknownSubscription(String),
    /// The transport URL needs a cargo feature this build does not have.
    FeatureDisabled {
        transport: String,
        feature: &'static str,
    },
    /// The transport URL names no transport this runtime knows.
    UnknownTransport(String),
    /// A broker or network failure.
    Transport(String),
}

impl fmt::Display for BusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Closed => f.write_str("the bus is shut down"),
            Self::DuplicateSubscription(n) => write!(f, "subscription `{n}` already exists"),
            Self::UnknownSubscription(n) => write!(f, "no subscription named `{n}`"),
            Self::FeatureDisabled { transport, feature } => write!(
                f,
                "transport `{transport}` needs the `{feature}` feature of fissure-runtime"
            ),
            Self::UnknownTransport(t) => write!(
                f,
                "unknown transport `{t}` (expected `memory`, `nats://...`, `amqp://...` or \
                 `kafka://...`)"
            ),
            Self::Transport(msg) => write!(f, "transport error: {msg}"),
        }
    }
}

impl std::error::Error for BusError {}
