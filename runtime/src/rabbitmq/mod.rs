//! The RabbitMQ transport (cargo feature `rabbitmq`, client lapin).
//!
//! - A durable topic exchange per system (the first segment of the event type); the routing
//!   key is the event type. A durable quorum queue per subscription, single active consumer,
//!   bound to its types; a direct dead-letter exchange `<system>.dlx` and a queue
//!   `<queue>.dlq` per subscription.
//! - Persistent messages, publisher confirms (a publish returns once the broker confirmed),
//!   the event id as the AMQP `message-id`, CloudEvents attributes in `ce-*` headers.
//! - [`Disposition`]: `Ack`/`Duplicate` = `basic.ack`; `Retry(delay)` = publish to the delay
//!   queue `<queue>.retry.<ms>` (TTL, then dead-lettered back to the queue) with the next attempt
//!   in a header, then ack; `DeadLetter` = publish to the dead-letter exchange with the reason
//!   and attempts, then ack. A delivery the process never settled comes back with the quorum
//!   queue's `x-delivery-count`, which adds to the attempt.
//! - lapin does not recover topology: a supervisor task reconnects with backoff, re-declares
//!   every exchange and queue this bus used, and restarts the consumers.

mod topology;

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures_util::StreamExt;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicGetOptions, BasicNackOptions, BasicPublishOptions,
    BasicQosOptions, ConfirmSelectOptions, QueueDeclareOptions,
};
use lapin::types::{AMQPValue, FieldTable, LongString, ShortString};
use lapin::{BasicProperties, Channel, Connection, ConnectionProperties};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::binary;
use crate::bus::{BusError, DeadLetter, Publisher, Subscription, Transport};
use crate::consumer::{Consumer, Disposition};
use crate::dedup::MemoryDedup;
use crate::envelope::Envelope;
use crate::handler::Handler;
use crate::lanes::{Delivery, Lanes};
use crate::time::Timestamp;
use topology::SubTopology;

/// The client crate, for tests and tools that need the raw API.
pub use lapin;

const ATTEMPT: &str = "fissure-attempt";
const REASON: &str = "fissure-dead-letter-reason";
const ATTEMPTS: &str = "fissure-dead-letter-attempts";
const PUBLISH_DEADLINE: Duration = Duration::from_secs(60);
/// The longest one broker round trip may take. lapin leaves some futures pending forever when
/// a connection dies at the wrong moment (a publisher confirm, a channel open), so every
/// await on the server is bounded and a late answer counts as a failed attempt.
const STEP: Duration = Duration::from_secs(10);
/// `basic.ack` has no reply: its future only waits for the frame to be written, so a long wait
/// means a dead connection (whose unacked deliveries the broker requeues anyway).
const SETTLE_STEP: Duration = Duration::from_secs(2);
const PREFETCH: u16 = 1_000;

/// A bus on a RabbitMQ server. Clones share the connection and the subscriptions.
#[derive(Clone)]
pub struct RabbitBus {
    inner: Arc<Inner>,
}

/// The live connection; replaced by the supervisor after each reconnect.
#[derive(Clone)]
struct Live {
    connection: Arc<Connection>,
    publish: Channel,
}

/// A subscription's consumer, restartable on a new connection.
type Starter = Arc<dyn Fn(Channel) -> JoinHandle<()> + Send + Sync>;

struct Sub {
    topology: SubTopology,
    start: Starter,
    inflight: Box<dyn Fn() -> usize + Send + Sync>,
    abort: Box<dyn Fn() + Send + Sync>,
    pump: Option<JoinHandle<()>>,
    delay_queues: Arc<Mutex<BTreeSet<String>>>,
}

struct Inner {
    url: String,
    system: Option<String>,
    live: watch::Sender<Option<Live>>,
    systems: Mutex<BTreeSet<String>>,
    subs: Mutex<HashMap<String, Sub>>,
    supervisor: Mutex<Option<JoinHandle<()>>>,
    closed: AtomicBool,
}

impl RabbitBus {
    /// Connects to `amqp://user:pass@host:port/vhost[?system=name]`.
    pub async fn connect(url: &str) -> Result<Self, BusError> {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut system = None;
        let mut rest = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("system", v)) => system = Some(v.to_owned()),
                _ => rest.push(pair),
            }
        }
        let url = if rest.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", rest.join("&"))
        };
        let live = open(&url).await?;
        let (tx, _) = watch::channel(Some(live));
        let bus = Self {
            inner: Arc::new(Inner {
                url,
                system,
                live: tx,
                systems: Mutex::new(BTreeSet::new()),
                subs: Mutex::new(HashMap::new()),
                supervisor: Mutex::new(None),
                closed: AtomicBool::new(false),
            }),
        };
        let handle = tokio::spawn(supervise(Arc::downgrade(&bus.inner)));
        *lock(&bus.inner.supervisor) = Some(handle);
        Ok(bus)
    }

    /// A channel on the current connection (waiting for the supervisor while it reconnects).
    pub async fn channel(&self) -> Result<Channel, BusError> {
        let live = self.live().await?;
        bounded("open channel", live.connection.create_channel()).await
    }

    async fn live(&self) -> Result<Live, BusError> {
        let mut rx = self.inner.live.subscribe();
        let wait = rx.wait_for(|l| l.is_some());
        match tokio::time::timeout(PUBLISH_DEADLINE, wait).await {
            Ok(Ok(l)) => l.clone().ok_or(BusError::Closed),
            Ok(Err(_)) => Err(BusError::Closed),
            Err(_) => Err(BusError::Transport("RabbitMQ unreachable".to_owned())),
        }
    }

    async fn ensure_system(&self, ch: &Channel, system: &str) -> Result<(), BusError> {
        if lock(&self.inner.systems).contains(system) {
            return Ok(());
        }
        topology::declare_system(ch, system).await?;
        lock(&self.inner.systems).insert(system.to_owned());
        Ok(())
    }

    /// Stops the consumers at once without settling what they hold: what a crash does. The
    /// broker requeues the unacked messages when the connection closes.
    pub async fn abort(&self) {
        self.inner.closed.store(true, Ordering::SeqCst);
        if let Some(s) = lock(&self.inner.supervisor).take() {
            s.abort();
        }
        for (_, mut sub) in lock(&self.inner.subs).drain() {
            (sub.abort)();
            if let Some(p) = sub.pump.take() {
                p.abort();
            }
        }
        if let Some(live) = self.inner.live.send_replace(None) {
            let _ = bounded(
                "connection.close",
                live.connection.close(320, "aborted".into()),
            )
            .await;
        }
    }

    /// Publishes to an exchange with confirms, retrying (with a fresh channel after a
    /// reconnect) until the broker confirms or the deadline passes.
    async fn publish_raw(
        &self,
        exchange: &str,
        routing_key: &str,
        props: BasicProperties,
        body: &[u8],
    ) -> Result<(), BusError> {
        let deadline = tokio::time::Instant::now() + PUBLISH_DEADLINE;
        let mut delay = Duration::from_millis(20);
        loop {
            let result = match self.live().await {
                Ok(live) => {
                    let sent = bounded(
                        "publish",
                        live.publish.basic_publish(
                            exchange.into(),
                            routing_key.into(),
                            BasicPublishOptions::default(),
                            body,
                            props.clone(),
                        ),
                    )
                    .await;
                    match sent {
                        Ok(c) => confirm(c).await,
                        Err(e) => Err(e.to_string()),
                    }
                }
                Err(e) => Err(e.to_string()),
            };
            match result {
                Ok(()) => return Ok(()),
                Err(e) if tokio::time::Instant::now() >= deadline => {
                    return Err(BusError::Transport(format!("publish to `{exchange}`: {e}")));
                }
                Err(_) => {
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(1));
                }
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Awaits one broker operation for at most [`STEP`].
async fn bounded<T>(
    what: &str,
    op: impl std::future::Future<Output = lapin::Result<T>>,
) -> Result<T, BusError> {
    bounded_by(STEP, what, op).await
}

async fn bounded_by<T>(
    limit: Duration,
    what: &str,
    op: impl std::future::Future<Output = lapin::Result<T>>,
) -> Result<T, BusError> {
    match tokio::time::timeout(limit, op).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(BusError::Transport(format!("{what}: {e}"))),
        Err(_) => Err(BusError::Transport(format!(
            "{what}: no answer from RabbitMQ within {} ms",
            limit.as_millis()
        ))),
    }
}

async fn open(url: &str) -> Result<Live, BusError> {
    let connection = bounded(
        "cannot connect to RabbitMQ",
        Connection::connect(url, ConnectionProperties::default()),
    )
    .await?;
    let publish = bounded("open channel", connection.create_channel()).await?;
    bounded(
        "confirm.select",
        publish.confirm_select(ConfirmSelectOptions::default()),
    )
    .await?;
    Ok(Live {
        connection: Arc::new(connection),
        publish,
    })
}

async fn confirm(confirmation: lapin::PublisherConfirm) -> Result<(), String> {
    let confirmation = bounded("publisher confirm", confirmation)
        .await
        .map_err(|e| e.to_string())?;
    if confirmation.is_nack() {
        return Err("the broker refused the message (basic.nack)".to_owned());
    }
    Ok(())
}

/// Watches the connection; when it drops, reconnects with backoff, re-declares the topology
/// and restarts every consumer.
async fn supervise(inner: std::sync::Weak<Inner>) {
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let Some(inner) = inner.upgrade() else { return };
        if inner.closed.load(Ordering::SeqCst) {
            return;
        }
        let healthy =
            inner.live.borrow().as_ref().is_some_and(|l| {
                l.connection.status().connected() && l.publish.status().connected()
            });
        if healthy {
            continue;
        }
        inner.live.send_replace(None);
        let mut backoff = Duration::from_millis(100);
        let live = loop {
            if let Ok(live) = open(&inner.url).await
                && tokio::time::timeout(STEP * 3, redeclare(&inner, &live))
                    .await
                    .is_ok_and(|r| r.is_ok())
            {
                break live;
            }
            if inner.closed.load(Ordering::SeqCst) {
                return;
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(2));
        };
        let mut failed = false;
        {
            let mut subs = lock(&inner.subs);
            for sub in subs.values_mut() {
                if let Some(p) = sub.pump.take() {
                    p.abort();
                }
            }
        }
        let names: Vec<String> = lock(&inner.subs).keys().cloned().collect();
        for name in names {
            let Ok(ch) = bounded("open channel", live.connection.create_channel()).await else {
                failed = true;
                break;
            };
            if let Some(sub) = lock(&inner.subs).get_mut(&name) {
                sub.pump = Some((sub.start)(ch));
            }
        }
        if !failed {
            inner.live.send_replace(Some(live));
        }
    }
}

async fn redeclare(inner: &Inner, live: &Live) -> Result<(), BusError> {
    let systems: Vec<String> = lock(&inner.systems).iter().cloned().collect();
    for s in systems {
        topology::declare_system(&live.publish, &s).await?;
    }
    let topologies: Vec<SubTopology> = lock(&inner.subs)
        .values()
        .map(|s| s.topology.clone())
        .collect();
    for t in topologies {
        topology::declare_subscription(&live.publish, &t).await?;
    }
    Ok(())
}

fn properties(envelope: &Envelope, extra: &[(&str, String)]) -> (BasicProperties, Vec<u8>) {
    let (pairs, body) = binary::encode(envelope);
    let mut headers = FieldTable::default();
    for (k, v) in pairs
        .into_iter()
        .chain(extra.iter().map(|(k, v)| ((*k).to_owned(), v.clone())))
    {
        headers.insert(
            ShortString::from(k),
            AMQPValue::LongString(LongString::from(v)),
        );
    }
    let props = BasicProperties::default()
        .with_message_id(envelope.id().to_string().into())
        .with_content_type("application/json".into())
        .with_delivery_mode(2)
        .with_headers(headers);
    (props, body)
}

fn header_text(value: &AMQPValue) -> Option<String> {
    match value {
        AMQPValue::LongString(s) => Some(String::from_utf8_lossy(s.as_bytes()).into_owned()),
        AMQPValue::ShortString(s) => Some(s.as_str().to_owned()),
        AMQPValue::LongLongInt(n) => Some(n.to_string()),
        AMQPValue::LongInt(n) => Some(n.to_string()),
        AMQPValue::LongUInt(n) => Some(n.to_string()),
        AMQPValue::ShortInt(n) => Some(n.to_string()),
        AMQPValue::ShortUInt(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The envelope of a delivery and the header map as text.
fn read(
    props: &BasicProperties,
    body: &[u8],
) -> (Result<Envelope, String>, HashMap<String, String>) {
    let headers: HashMap<String, String> = props
        .headers()
        .as_ref()
        .map(|t| {
            t.inner()
                .iter()
                .filter_map(|(k, v)| header_text(v).map(|v| (k.as_str().to_owned(), v)))
                .collect()
        })
        .unwrap_or_default();
    let envelope = binary::decode(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())), body);
    (envelope, headers)
}

mod consume;
