//! Choosing the transport at run time from a URL (`FISSURE_BUS`), and [`Bus`], the transport
//! a generated app holds without knowing which one it is.
//!
//! Broker transports are cargo features (`nats`, `rabbitmq`, `kafka`); a URL for one that is
//! not compiled in is a clear error rather than a silent fallback to memory.

use crate::bus::{BusError, DeadLetter, Publisher, Subscription, Transport};
use crate::envelope::Envelope;
use crate::handler::Handler;
use crate::memory::MemoryBus;

/// The environment variable that selects the transport.
pub const BUS_ENV: &str = "FISSURE_BUS";

/// Which transport a URL names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportKind {
    Memory,
    Nats(String),
    RabbitMq(String),
    Kafka(String),
}

impl TransportKind {
    /// `memory` (or empty), `nats://…`, `amqp://…`/`amqps://…`, `kafka://…`.
    pub fn parse(url: &str) -> Result<Self, BusError> {
        let url = url.trim();
        let scheme = url
            .split_once("://")
            .map_or(url, |(s, _)| s)
            .to_ascii_lowercase();
        match scheme.as_str() {
            "" | "memory" | "mem" => Ok(Self::Memory),
            "nats" | "tls" => Ok(Self::Nats(url.to_owned())),
            "amqp" | "amqps" => Ok(Self::RabbitMq(url.to_owned())),
            "kafka" => Ok(Self::Kafka(url.to_owned())),
            _ => Err(BusError::UnknownTransport(url.to_owned())),
        }
    }

    /// The cargo feature that compiles this transport in (`None` for memory, always there).
    pub fn feature(&self) -> Option<&'static str> {
        match self {
            Self::Memory => None,
            Self::Nats(_) => Some("nats"),
            Self::RabbitMq(_) => Some("rabbitmq"),
            Self::Kafka(_) => Some("kafka"),
        }
    }
}

/// The transport chosen at run time. Broker variants are added behind their features.
#[derive(Clone)]
#[non_exhaustive]
pub enum Bus {
    Memory(MemoryBus),
    #[cfg(feature = "nats")]
    Nats(crate::nats::NatsBus),
    #[cfg(feature = "rabbitmq")]
    RabbitMq(crate::rabbitmq::RabbitBus),
    #[cfg(feature = "kafka")]
    Kafka(crate::kafka::KafkaBus),
}

/// Runs `$body` with `$b` bound to the transport inside a [`Bus`].
macro_rules! each {
    ($bus:expr, $b:ident => $body:expr) => {
        match $bus {
            Bus::Memory($b) => $body,
            #[cfg(feature = "nats")]
            Bus::Nats($b) => $body,
            #[cfg(feature = "rabbitmq")]
            Bus::RabbitMq($b) => $body,
            #[cfg(feature = "kafka")]
            Bus::Kafka($b) => $body,
        }
    };
}

impl Bus {
    /// Connects to the transport named by `url` (see [`TransportKind::parse`]).
    pub async fn connect(url: &str) -> Result<Self, BusError> {
        let kind = TransportKind::parse(url)?;
        match kind {
            TransportKind::Memory => Ok(Self::Memory(MemoryBus::new())),
            #[cfg(feature = "nats")]
            TransportKind::Nats(url) => Ok(Self::Nats(crate::nats::NatsBus::connect(&url).await?)),
            #[cfg(feature = "rabbitmq")]
            TransportKind::RabbitMq(url) => Ok(Self::RabbitMq(
                crate::rabbitmq::RabbitBus::connect(&url).await?,
            )),
            #[cfg(feature = "kafka")]
            TransportKind::Kafka(url) => {
                Ok(Self::Kafka(crate::kafka::KafkaBus::connect(&url).await?))
            }
            // Reached only by a transport whose feature this build does not have.
            #[allow(unreachable_patterns, reason = "every feature on makes it unreachable")]
            other => Err(BusError::FeatureDisabled {
                transport: url.trim().to_owned(),
                feature: other.feature().unwrap_or("memory"),
            }),
        }
    }

    /// Connects to the transport named by `FISSURE_BUS`, memory when unset. `system` is the
    /// system a broker URL without `?system=` reads (see [`with_default_system`]): an app
    /// knows its own system, so its user types the broker's address and nothing else.
    pub async fn from_env(system: &str) -> Result<Self, BusError> {
        let url = std::env::var(BUS_ENV).unwrap_or_else(|_| "memory".to_owned());
        Self::connect(&with_default_system(&url, system)).await
    }
}

/// `url` with `system=<system>` added to its query, unless it names a system already (an
/// explicit `?system=` overrides the default) or is not a broker URL. The system is what
/// subscriptions to all types (`ALL_TYPES`) read: one stream, exchange or topic prefix.
pub fn with_default_system(url: &str, system: &str) -> String {
    let url = url.trim();
    if matches!(
        TransportKind::parse(url),
        Ok(TransportKind::Memory) | Err(_)
    ) {
        return url.to_owned();
    }
    let query = url.split_once('?').map_or("", |(_, q)| q);
    if query.split('&').any(|pair| pair.starts_with("system=")) {
        return url.to_owned();
    }
    let separator = match url.split_once('?') {
        None => "?",
        Some((_, "")) => "",
        Some(_) => "&",
    };
    format!("{url}{separator}system={system}")
}

impl Publisher for Bus {
    async fn publish(&self, envelope: Envelope) -> Result<(), BusError> {
        each!(self, b => b.publish(envelope).await)
    }

    async fn publish_all(&self, envelopes: Vec<Envelope>) -> Result<(), BusError> {
        each!(self, b => b.publish_all(envelopes).await)
    }
}

impl Transport for Bus {
    async fn subscribe<H: Handler>(
        &self,
        subscription: Subscription,
        handler: H,
    ) -> Result<(), BusError> {
        each!(self, b => b.subscribe(subscription, handler).await)
    }

    async fn dead_letters(&self, subscription: &str) -> Result<Vec<DeadLetter>, BusError> {
        each!(self, b => b.dead_letters(subscription).await)
    }

    async fn drain(&self) {
        each!(self, b => b.drain().await)
    }

    async fn shutdown(&self) {
        each!(self, b => b.shutdown().await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_transport_urls() {
        assert_eq!(TransportKind::parse("memory"), Ok(TransportKind::Memory));
        assert_eq!(TransportKind::parse(""), Ok(TransportKind::Memory));
        assert_eq!(
            TransportKind::parse("nats://127.0.0.1:4222"),
            Ok(TransportKind::Nats("nats://127.0.0.1:4222".into()))
        );
        assert_eq!(
            TransportKind::parse("AMQP://guest:guest@localhost:5672/%2f"),
            Ok(TransportKind::RabbitMq(
                "AMQP://guest:guest@localhost:5672/%2f".into()
            ))
        );
        assert_eq!(
            TransportKind::parse("kafka://a:9092,b:9092"),
            Ok(TransportKind::Kafka("kafka://a:9092,b:9092".into()))
        );
        assert_eq!(
            TransportKind::parse("redis://x"),
            Err(BusError::UnknownTransport("redis://x".into()))
        );
    }

    #[test]
    fn the_apps_system_is_the_default_of_broker_urls_and_system_overrides_it() {
        let cases = [
            (
                "nats://127.0.0.1:4222",
                "nats://127.0.0.1:4222?system=hotel",
            ),
            (
                "amqp://guest:guest@127.0.0.1:5672/%2f",
                "amqp://guest:guest@127.0.0.1:5672/%2f?system=hotel",
            ),
            (
                "kafka://127.0.0.1:9092?partitions=3",
                "kafka://127.0.0.1:9092?partitions=3&system=hotel",
            ),
            ("nats://h:4222?", "nats://h:4222?system=hotel"),
            ("nats://h:4222?system=other", "nats://h:4222?system=other"),
            (
                "nats://h:4222?ack_wait_ms=5&system=other",
                "nats://h:4222?ack_wait_ms=5&system=other",
            ),
            ("memory", "memory"),
            ("", ""),
            ("redis://x", "redis://x"),
        ];
        for (url, expected) in cases {
            assert_eq!(with_default_system(url, "hotel"), expected, "{url}");
        }
    }

    #[cfg(not(any(feature = "nats", feature = "rabbitmq", feature = "kafka")))]
    #[tokio::test]
    async fn broker_urls_without_their_feature_are_refused_by_name() {
        let Err(e) = Bus::connect("nats://127.0.0.1:4222").await else {
            panic!("nats connected without the feature");
        };
        assert_eq!(
            e.to_string(),
            "transport `nats://127.0.0.1:4222` needs the `nats` feature of fissure-runtime"
        );
        let Err(e) = Bus::connect("amqp://localhost").await else {
            panic!("amqp connected without the feature");
        };
        assert!(e.to_string().contains("`rabbitmq` feature"), "{e}");
        let Err(e) = Bus::connect("kafka://127.0.0.1:9092").await else {
            panic!("kafka connected without the feature");
        };
        assert!(e.to_string().contains("`kafka` feature"), "{e}");
        assert!(matches!(Bus::connect("memory").await, Ok(Bus::Memory(_))));
    }
}
