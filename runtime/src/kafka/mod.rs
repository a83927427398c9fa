//! The Kafka transport (cargo feature `kafka`, client rdkafka on a librdkafka built from the
//! sources bundled in rdkafka-sys).
//!
//! - One topic per system and publishing domain (`hotel.users`), created on first use with the
//!   URL's `partitions` and `replication`. The record key is the event's partition key (its
//!   subject, else its id), so one key stays on one partition, in order across event types;
//!   a subscription skips (and commits past) the types it does not handle.
//! - An idempotent producer (`enable.idempotence`, `acks=all`): a publish returns once every
//!   in-sync replica has the record, and librdkafka's own retries cannot duplicate or reorder.
//! - CloudEvents binary mode: attributes in `ce-*` record headers, the data as the value.
//! - One consumer group per subscription (`<system>.<subscription>`), auto-commit off: a
//!   partition's position is committed only past records that are settled ([`Offsets`]). A new
//!   group starts at the end of its topics, as the other transports do.
//! - [`Disposition`]: `Ack`/`Duplicate` settle the record; `Retry(delay)` re-publishes it to
//!   the subscription's retry topic with the next attempt and its due time in headers, which
//!   the same group reads and holds until due; `DeadLetter` publishes it to the dead-letter
//!   topic with the reason and attempts. Kafka counts no deliveries, so the attempt travels in
//!   a header; a record redelivered after a crash starts again at its header's attempt.
//!
//! [`Offsets`]: offsets::Offsets

mod consume;
mod naming;
mod offsets;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{Header, Headers, OwnedHeaders};
use rdkafka::producer::{DeliveryFuture, FutureProducer, FutureRecord, Producer};

use crate::binary;
use crate::bus::{BusError, Publisher};
use crate::envelope::Envelope;
pub use naming::{
    KafkaSettings, dead_letter_topic, event_topic, group_id, record_key, retry_topic,
};

/// The client crate, for tests and tools that need the raw API.
pub use rdkafka;

const ATTEMPT: &str = "fissure-attempt";
const DUE: &str = "fissure-due-ms";
const REASON: &str = "fissure-dead-letter-reason";
const ATTEMPTS: &str = "fissure-dead-letter-attempts";
const SUBSCRIPTION: &str = "fissure-subscription";

/// How long librdkafka keeps retrying a record (reconnects included) before it fails.
const PUBLISH_DEADLINE: Duration = Duration::from_secs(60);
/// The longest one metadata or admin request may take.
const STEP: Duration = Duration::from_secs(10);

/// A bus on a Kafka cluster. Clones share the producer and the subscriptions.
#[derive(Clone)]
pub struct KafkaBus {
    inner: Arc<Inner>,
}

struct Inner {
    settings: KafkaSettings,
    producer: FutureProducer,
    admin: AdminClient<DefaultClientContext>,
    topics: tokio::sync::Mutex<HashSet<String>>,
    subs: Mutex<HashMap<String, consume::Sub>>,
    closed: AtomicBool,
}

impl KafkaBus {
    /// Connects to `kafka://host:port[,host:port…][?system=name&partitions=n&replication=n]`.
    pub async fn connect(url: &str) -> Result<Self, BusError> {
        let settings = KafkaSettings::parse(url)?;
        let producer: FutureProducer = producer_config(&settings)
            .create()
            .map_err(|e| BusError::Transport(format!("Kafka producer: {e}")))?;
        let admin: AdminClient<DefaultClientContext> = client_config(&settings)
            .create()
            .map_err(|e| BusError::Transport(format!("Kafka admin client: {e}")))?;
        // librdkafka connects lazily: ask for metadata so a wrong address fails here.
        let probe = producer.clone();
        blocking(move || probe.client().fetch_metadata(None, STEP))
            .await
            .map_err(|e| {
                BusError::Transport(format!(
                    "cannot connect to Kafka at {}: {e}",
                    settings.bootstrap
                ))
            })?;
        Ok(Self {
            inner: Arc::new(Inner {
                settings,
                producer,
                admin,
                topics: tokio::sync::Mutex::new(HashSet::new()),
                subs: Mutex::new(HashMap::new()),
                closed: AtomicBool::new(false),
            }),
        })
    }

    /// The producer, for tools and tests.
    pub fn producer(&self) -> &FutureProducer {
        &self.inner.producer
    }

    pub fn settings(&self) -> &KafkaSettings {
        &self.inner.settings
    }

    fn check_open(&self) -> Result<(), BusError> {
        if self.inner.closed.load(Ordering::SeqCst) {
            Err(BusError::Closed)
        } else {
            Ok(())
        }
    }

    /// Creates the topics this process has not seen yet (an existing topic is fine).
    async fn ensure_topics(&self, names: &[&str]) -> Result<(), BusError> {
        if !self.inner.settings.create_topics {
            return Ok(());
        }
        let mut known = self.inner.topics.lock().await;
        let missing: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !known.contains(*n))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let s = &self.inner.settings;
        let new: Vec<NewTopic<'_>> = missing
            .iter()
            .map(|n| NewTopic::new(n, s.partitions, TopicReplication::Fixed(s.replication)))
            .collect();
        let options = AdminOptions::new()
            .operation_timeout(Some(STEP))
            .request_timeout(Some(STEP));
        let results = self
            .inner
            .admin
            .create_topics(&new, &options)
            .await
            .map_err(|e| BusError::Transport(format!("create topics {missing:?}: {e}")))?;
        for result in results {
            match result {
                Ok(name) | Err((name, RDKafkaErrorCode::TopicAlreadyExists)) => {
                    known.insert(name);
                }
                Err((name, code)) => {
                    return Err(BusError::Transport(format!(
                        "create topic `{name}`: {code}"
                    )));
                }
            }
        }
        Ok(())
    }

    fn subs(&self) -> std::sync::MutexGuard<'_, HashMap<String, consume::Sub>> {
        self.inner
            .subs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

fn client_config(settings: &KafkaSettings) -> ClientConfig {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", &settings.bootstrap);
    c
}

fn producer_config(settings: &KafkaSettings) -> ClientConfig {
    let mut c = client_config(settings);
    c.set("enable.idempotence", "true")
        .set("acks", "all")
        .set(
            "message.timeout.ms",
            PUBLISH_DEADLINE.as_millis().to_string(),
        )
        // A publish waits for its confirmation: batch for 1 ms, not librdkafka's 5.
        .set("linger.ms", "1");
    c
}

/// Runs a blocking librdkafka call off the async workers.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, KafkaError> + Send + 'static,
) -> Result<T, String> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r.map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// The record headers and value of `envelope` in binary mode, plus `extra` headers.
fn record_of(envelope: &Envelope, extra: &[(&str, String)]) -> (OwnedHeaders, Vec<u8>) {
    let (pairs, body) = binary::encode(envelope);
    let mut headers = OwnedHeaders::new_with_capacity(pairs.len() + extra.len());
    for (k, v) in pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain(extra.iter().map(|(k, v)| (*k, v.as_str())))
    {
        headers = headers.insert(Header {
            key: k,
            value: Some(v),
        });
    }
    (headers, body)
}

/// The headers of a record as text (a header that is not UTF-8 is not ours and is dropped).
fn header_map(headers: Option<&impl Headers>) -> HashMap<String, String> {
    headers
        .map(|h| {
            h.iter()
                .filter_map(|h| {
                    let v = std::str::from_utf8(h.value?).ok()?;
                    Some((h.key.to_owned(), v.to_owned()))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn envelope_of(headers: &HashMap<String, String>, value: &[u8]) -> Result<Envelope, String> {
    binary::decode(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())), value)
}

/// Queues one record on the producer, waiting while librdkafka's queue is full so that the
/// records of one call keep their order.
async fn enqueue(
    producer: &FutureProducer,
    topic: &str,
    key: &str,
    headers: OwnedHeaders,
    value: &[u8],
) -> Result<DeliveryFuture, BusError> {
    let mut record = FutureRecord::to(topic)
        .key(key)
        .payload(value)
        .headers(headers);
    loop {
        match producer.send_result(record) {
            Ok(delivery) => return Ok(delivery),
            Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                record = back;
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            Err((e, _)) => return Err(BusError::Transport(format!("publish to `{topic}`: {e}"))),
        }
    }
}

async fn delivered(topic: &str, delivery: DeliveryFuture) -> Result<(), BusError> {
    match delivery.await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err((e, _))) => Err(BusError::Transport(format!("publish to `{topic}`: {e}"))),
        Err(_) => Err(BusError::Closed),
    }
}

/// Publishes one record and waits for the cluster's confirmation.
async fn produce(
    producer: &FutureProducer,
    topic: &str,
    key: &str,
    headers: OwnedHeaders,
    value: &[u8],
) -> Result<(), BusError> {
    let delivery = enqueue(producer, topic, key, headers, value).await?;
    delivered(topic, delivery).await
}

impl Publisher for KafkaBus {
    async fn publish(&self, envelope: Envelope) -> Result<(), BusError> {
        self.publish_all(vec![envelope]).await
    }

    /// Queues every record before waiting for the confirmations (pipelined); librdkafka retries
    /// failed sends itself, in order, until `message.timeout.ms`.
    async fn publish_all(&self, envelopes: Vec<Envelope>) -> Result<(), BusError> {
        self.check_open()?;
        let topics = envelopes
            .iter()
            .map(|e| event_topic(e.event_type()))
            .collect::<Result<Vec<String>, BusError>>()?;
        let mut distinct: Vec<&str> = topics.iter().map(String::as_str).collect();
        distinct.sort_unstable();
        distinct.dedup();
        self.ensure_topics(&distinct).await?;
        let mut pending = Vec::with_capacity(envelopes.len());
        for (e, topic) in envelopes.iter().zip(&topics) {
            let (headers, value) = record_of(e, &[]);
            let delivery =
                enqueue(&self.inner.producer, topic, &record_key(e), headers, &value).await?;
            pending.push((topic, delivery));
        }
        for (topic, delivery) in pending {
            delivered(topic, delivery).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_envelope_survives_record_headers_and_value() {
        let parent = Envelope::new("t/users", "t.users.A.v1", json!({}));
        let e = Envelope::caused_by(&parent, "t/billing", "t.billing.B.v1", json!({"n": 1}))
            .with_subject("key-1")
            .with_extension("tenant", json!("acme"))
            .unwrap();
        let (headers, value) = record_of(&e, &[(ATTEMPT, "3".to_owned())]);
        let map = header_map(Some(&headers));
        assert_eq!(map.get(ATTEMPT).map(String::as_str), Some("3"));
        assert_eq!(map.get("ce-subject").map(String::as_str), Some("key-1"));
        let back = envelope_of(&map, &value).unwrap();
        assert_eq!(back, e);
        assert_eq!(back.causation_id(), Some(parent.id()));
    }

    #[test]
    fn producer_and_consumer_settings_keep_the_guarantees() {
        let s = KafkaSettings::parse("kafka://127.0.0.1:9092").unwrap();
        let p = producer_config(&s);
        assert_eq!(p.get("enable.idempotence"), Some("true"));
        assert_eq!(p.get("acks"), Some("all"));
        assert_eq!(p.get("bootstrap.servers"), Some("127.0.0.1:9092"));
        let c = consume::consumer_config(&s, "hotel.billing.x");
        assert_eq!(c.get("enable.auto.commit"), Some("false"));
        assert_eq!(c.get("group.id"), Some("hotel.billing.x"));
        assert_eq!(c.get("auto.offset.reset"), Some("earliest"));
        assert_eq!(c.get("session.timeout.ms"), None, "librdkafka's default");
        let s = KafkaSettings::parse("kafka://127.0.0.1:9092?session_timeout_ms=3000").unwrap();
        let c = consume::consumer_config(&s, "g");
        assert_eq!(c.get("session.timeout.ms"), Some("3000"));
        assert_eq!(c.get("heartbeat.interval.ms"), Some("1000"));
    }
}
