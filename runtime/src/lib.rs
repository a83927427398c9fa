//! The bus runtime of generated workspaces: CloudEvents envelope, publish/subscribe traits
//! and transports. This crate is copied verbatim into every generated workspace.
//!
//! - [`Envelope`]: the CloudEvents 1.0 envelope and its JSON structured format.
//! - [`Publisher`], [`Transport`], [`Subscription`], [`Handler`]: the contract services use.
//! - [`Consumer`] and [`Disposition`]: dedup + handler + retry policy, shared by transports.
//! - [`MemoryBus`]: the in-process broker; [`Bus`]: the transport chosen from `FISSURE_BUS`.
//! - [`EventStore`] and [`MemoryEventStore`]: streams per aggregate with optimistic concurrency.
//! - [`contract`]: what every generated events crate shares: the `Event` and `Command`
//!   traits, `Date`, `Decimal`, `DecodeError`.
//! - [`upcast`]: older versions of an event decoded into the current struct.
//! - [`naming`]: every name on the brokers (subjects, queues, topics, groups), one copy.
//! - [`saga`]: persisted saga state machines with compensations, timeouts and resume.

#[cfg(any(feature = "nats", feature = "rabbitmq", feature = "kafka"))]
mod binary;
pub mod bus;
pub mod consumer;
pub mod contract;
pub mod dedup;
pub mod envelope;
pub mod handler;
mod hash;
mod ids;
#[cfg(feature = "kafka")]
pub mod kafka;
#[cfg(any(feature = "nats", feature = "rabbitmq", feature = "kafka"))]
mod lanes;
pub mod memory;
pub mod naming;
#[cfg(feature = "nats")]
pub mod nats;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "rabbitmq")]
pub mod rabbitmq;
pub mod retry;
pub mod saga;
pub mod select;
pub mod store;
mod subject;
pub mod time;
pub mod upcast;

pub use bus::{ALL_TYPES, BusError, DeadLetter, Publisher, Subscription, Transport};
pub use consumer::{Consumer, Disposition};
pub use dedup::{DedupStore, MemoryDedup, partition_of};
pub use envelope::{Envelope, EnvelopeError, EnvelopeParts};
pub use handler::{Handler, HandlerError, handler_fn, sync_handler};
pub use memory::MemoryBus;
pub use retry::RetryPolicy;
pub use select::{BUS_ENV, Bus, TransportKind, with_default_system};
pub use store::{EventStore, ExpectedVersion, MemoryEventStore, StoreError, StoredEvent};
pub use time::Timestamp;

/// Re-exported so generated code and handlers use the same versions as the runtime.
pub use serde_json;
pub use uuid;
