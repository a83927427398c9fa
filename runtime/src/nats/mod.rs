//! The NATS JetStream transport (cargo feature `nats`).
//!
//! - One stream per system (the first segment of the event type) capturing `<system>.>`; an
//!   event is published on the subject equal to its type (`hotel.users.UserRegistered.v1`), so
//!   subjects go per domain and event. The event id is the `Nats-Msg-Id`: the server drops a
//!   duplicate publish within its duplicate window, which makes publish retries safe.
//! - CloudEvents binary mode: attributes in `ce-*` headers, the data as the body.
//! - One durable pull consumer per subscription with explicit ack, `ack_wait`, `max_deliver`
//!   (no server `backoff`, see `subscribe`). The [`Disposition`] maps to `ack` (handled or duplicate),
//!   `nak` with delay (retry; the attempt is the server's delivery count) and, after the limit,
//!   a publish to the dead-letter subject `dlq.<system>.<consumer>` (stream `<system>_dlq`)
//!   followed by `term`.
//! - The client reconnects by itself; the pull loop re-subscribes when its stream ends and
//!   publishes retry until the server confirms.

mod naming;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_nats::HeaderMap;
use async_nats::jetstream::{
    self, AckKind, consumer::pull, message::PublishMessage as Publish, stream,
};
use futures_util::StreamExt;
use tokio::task::JoinHandle;

use crate::binary;
use crate::bus::{BusError, DeadLetter, Publisher, Subscription, Transport};
use crate::consumer::{Consumer, Disposition};
use crate::dedup::MemoryDedup;
use crate::envelope::Envelope;
use crate::handler::Handler;
use crate::lanes::{Delivery, Lanes};
use crate::time::Timestamp;
pub use naming::{consumer_name, dlq_stream_name, stream_name};

/// The client crate, for tests and tools that need the raw API.
pub use async_nats;

const REASON: &str = "fissure-dead-letter-reason";
const ATTEMPTS: &str = "fissure-dead-letter-attempts";
const SUBSCRIPTION: &str = "fissure-subscription";

/// How long a publish keeps retrying (reconnects included) before it fails.
const PUBLISH_DEADLINE: Duration = Duration::from_secs(60);

/// A bus on a NATS JetStream server. Clones share the connection and the subscriptions.
#[derive(Clone)]
pub struct NatsBus {
    inner: Arc<Inner>,
}

struct Inner {
    client: async_nats::Client,
    js: jetstream::Context,
    /// The system of `ALL_TYPES` subscriptions (`?system=` in the URL).
    system: Option<String>,
    ack_wait: Duration,
    max_ack_pending: i64,
    ensured: tokio::sync::Mutex<HashSet<String>>,
    subs: Mutex<HashMap<String, Sub>>,
    closed: AtomicBool,
}

struct Sub {
    system: String,
    stream: String,
    consumer: String,
    lanes: Arc<Lanes<NatsDelivery>>,
    pull: JoinHandle<()>,
}

impl NatsBus {
    /// Connects to `nats://host:port[?system=name&ack_wait_ms=n]`.
    pub async fn connect(url: &str) -> Result<Self, BusError> {
        let (addr, query) = url.split_once('?').unwrap_or((url, ""));
        let mut system = None;
        let mut ack_wait = Duration::from_secs(30);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("system", v)) => system = Some(v.to_owned()),
                Some(("ack_wait_ms", v)) => {
                    let ms = v.parse().map_err(|_| {
                        BusError::Transport(format!("invalid ack_wait_ms `{v}` in `{url}`"))
                    })?;
                    ack_wait = Duration::from_millis(ms);
                }
                _ => {
                    return Err(BusError::Transport(format!(
                        "unknown NATS URL parameter `{pair}` (expected system= or ack_wait_ms=)"
                    )));
                }
            }
        }
        let client = async_nats::ConnectOptions::new()
            .connection_timeout(Duration::from_secs(3))
            .max_reconnects(None)
            // Back on a restarted server within a second, not after the default backoff.
            .reconnect_delay_callback(|n| Duration::from_millis((50 * n as u64).min(1_000)))
            .connect(addr)
            .await
            .map_err(|e| BusError::Transport(format!("cannot connect to NATS at {addr}: {e}")))?;
        let js = jetstream::new(client.clone());
        Ok(Self {
            inner: Arc::new(Inner {
                client,
                js,
                system,
                ack_wait,
                max_ack_pending: 10_000,
                ensured: tokio::sync::Mutex::new(HashSet::new()),
                subs: Mutex::new(HashMap::new()),
                closed: AtomicBool::new(false),
            }),
        })
    }

    /// How long the server waits for an ack before it redelivers (a consumer that died
    /// mid-event). Applies to subscriptions made after this call.
    pub fn with_ack_wait(self, ack_wait: Duration) -> Self {
        match Arc::try_unwrap(self.inner) {
            Ok(mut inner) => {
                inner.ack_wait = ack_wait;
                Self {
                    inner: Arc::new(inner),
                }
            }
            Err(inner) => Self { inner },
        }
    }

    /// The JetStream context, for tools and tests.
    pub fn jetstream(&self) -> &jetstream::Context {
        &self.inner.js
    }

    /// The connection, for tools and tests.
    pub fn client(&self) -> &async_nats::Client {
        &self.inner.client
    }

    /// Stops the consumers at once, without draining and without acking what they hold: what
    /// a crash does. The server redelivers the unacked events after `ack_wait`.
    pub fn abort(&self) {
        self.inner.closed.store(true, Ordering::SeqCst);
        for (_, sub) in self.subs().drain() {
            sub.pull.abort();
            sub.lanes.abort();
        }
    }

    fn subs(&self) -> std::sync::MutexGuard<'_, HashMap<String, Sub>> {
        self.inner
            .subs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Creates the stream of `system` and its dead-letter stream, once per process.
    async fn ensure_system(&self, system: &str) -> Result<(), BusError> {
        let mut ensured = self.inner.ensured.lock().await;
        if ensured.contains(system) {
            return Ok(());
        }
        for (name, subjects) in [
            (stream_name(system), vec![format!("{system}.>")]),
            (dlq_stream_name(system), vec![format!("dlq.{system}.>")]),
        ] {
            self.inner
                .js
                .get_or_create_stream(stream::Config {
                    name: name.clone(),
                    subjects,
                    storage: stream::StorageType::File,
                    duplicate_window: Duration::from_secs(120),
                    ..Default::default()
                })
                .await
                .map_err(|e| BusError::Transport(format!("cannot create stream `{name}`: {e}")))?;
        }
        ensured.insert(system.to_owned());
        Ok(())
    }

    fn check_open(&self) -> Result<(), BusError> {
        if self.inner.closed.load(Ordering::SeqCst) {
            Err(BusError::Closed)
        } else {
            Ok(())
        }
    }
}

fn headers_of(envelope: &Envelope) -> (HeaderMap, Vec<u8>) {
    let (pairs, body) = binary::encode(envelope);
    let mut headers = HeaderMap::new();
    for (k, v) in pairs {
        headers.insert(k.as_str(), v.as_str());
    }
    (headers, body)
}

fn envelope_of(message: &async_nats::Message) -> Result<Envelope, String> {
    let empty = HeaderMap::new();
    let headers = message.headers.as_ref().unwrap_or(&empty);
    let pairs = headers
        .iter()
        .filter_map(|(k, vs)| vs.first().map(|v| (k.as_ref(), v.as_str())));
    binary::decode(pairs, &message.payload)
}

/// Publishes with retries until the server confirms or the deadline passes. The message id
/// makes a retry of a publish the server already stored a no-op.
async fn publish_confirmed(
    js: &jetstream::Context,
    subject: String,
    id: String,
    headers: HeaderMap,
    body: bytes::Bytes,
) -> Result<(), BusError> {
    let deadline = tokio::time::Instant::now() + PUBLISH_DEADLINE;
    let mut delay = Duration::from_millis(20);
    loop {
        let msg = Publish::build()
            .payload(body.clone())
            .headers(headers.clone())
            .message_id(&id);
        let result = match js.send_publish(subject.clone(), msg).await {
            Ok(ack) => ack.await.map(|_| ()).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match result {
            Ok(()) => return Ok(()),
            Err(e) if tokio::time::Instant::now() >= deadline => {
                return Err(BusError::Transport(format!("publish to `{subject}`: {e}")));
            }
            Err(_) => {
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(1));
            }
        }
    }
}

impl Publisher for NatsBus {
    async fn publish(&self, envelope: Envelope) -> Result<(), BusError> {
        self.publish_all(vec![envelope]).await
    }

    /// Sends every event before waiting for the confirmations (pipelined), then retries any
    /// that failed one by one (rebuilding its message: the happy path copies nothing).
    async fn publish_all(&self, envelopes: Vec<Envelope>) -> Result<(), BusError> {
        self.check_open()?;
        let mut pending = Vec::with_capacity(envelopes.len());
        let mut last_system = None;
        for e in &envelopes {
            let system = naming::system_of(e.event_type())?;
            if last_system != Some(system) {
                self.ensure_system(system).await?;
                last_system = Some(system);
            }
            let (headers, body) = headers_of(e);
            let msg = Publish::build()
                .payload(body.into())
                .headers(headers)
                .message_id(e.id().to_string());
            let subject = e.event_type().to_owned();
            pending.push(self.inner.js.send_publish(subject, msg).await.ok());
        }
        // Each confirmation's timeout (the context's 5 s) starts when it is awaited: awaited
        // one after the other, a batch lost with its connection took 5 s per event to give up
        // on. Awaited together, the whole batch gives up at once.
        let confirmed = futures_util::future::join_all(pending.into_iter().map(|sent| async {
            match sent {
                Some(ack) => ack.await.is_ok(),
                None => false,
            }
        }))
        .await;
        for (confirmed, e) in confirmed.into_iter().zip(&envelopes) {
            if !confirmed {
                let (headers, body) = headers_of(e);
                let (subject, id) = (e.event_type().to_owned(), e.id().to_string());
                publish_confirmed(&self.inner.js, subject, id, headers, body.into()).await?;
            }
        }
        Ok(())
    }
}

impl Transport for NatsBus {
    async fn subscribe<H: Handler>(
        &self,
        subscription: Subscription,
        handler: H,
    ) -> Result<(), BusError> {
        self.check_open()?;
        let (system, filters) =
            naming::filters(subscription.types(), self.inner.system.as_deref())?;
        self.ensure_system(&system).await?;
        let name = consumer_name(subscription.name());
        if self.subs().contains_key(subscription.name()) {
            return Err(BusError::DuplicateSubscription(
                subscription.name().to_owned(),
            ));
        }
        let retry = subscription.retry().clone();
        // One delivery more than the consumer's own limit: the consumer dead-letters at
        // `max_attempts`; the server's limit only stops a crash loop.
        let max_deliver = i64::from(retry.max_attempts) + 1;
        let ack_wait = self.inner.ack_wait;
        // No server-side `backoff`: on nats-server 2.9 a consumer with `backoff` keeps a
        // delivery that was `nak`ed with a delay pending after its final ack, until the
        // backoff timer fires (found by the retry test). Retry delays come from `nak(delay)`;
        // an ack timeout (a consumer that died) redelivers after `ack_wait`.
        let config = pull::Config {
            durable_name: Some(name.clone()),
            filter_subjects: filters,
            ack_policy: jetstream::consumer::AckPolicy::Explicit,
            deliver_policy: jetstream::consumer::DeliverPolicy::New,
            ack_wait,
            max_deliver,
            max_ack_pending: self.inner.max_ack_pending,
            ..Default::default()
        };
        let stream_name = stream_name(&system);
        let stream = self
            .inner
            .js
            .get_stream(&stream_name)
            .await
            .map_err(|e| BusError::Transport(format!("stream `{stream_name}`: {e}")))?;
        stream
            .get_or_create_consumer::<pull::Config>(&name, config.clone())
            .await
            .map_err(|e| BusError::Transport(format!("consumer `{name}`: {e}")))?;
        let dedup = subscription
            .dedup
            .clone()
            .unwrap_or_else(|| Arc::new(MemoryDedup::default()));
        let consumer = Arc::new(Consumer::new(handler, dedup, retry));
        let lanes = Arc::new(Lanes::start(subscription.lanes(), consumer));
        let ctx = Arc::new(SettleContext {
            js: self.inner.js.clone(),
            dlq_subject: format!("dlq.{system}.{name}"),
            subscription: subscription.name().to_owned(),
        });
        let pull = tokio::spawn(pull_loop(
            stream,
            name.clone(),
            config,
            Arc::clone(&lanes),
            ctx,
        ));
        self.subs().insert(
            subscription.name().to_owned(),
            Sub {
                system: system.clone(),
                stream: stream_name,
                consumer: name,
                lanes,
                pull,
            },
        );
        Ok(())
    }

    async fn dead_letters(&self, subscription: &str) -> Result<Vec<DeadLetter>, BusError> {
        let stream = {
            let subs = self.subs();
            let sub = subs
                .get(subscription)
                .ok_or_else(|| BusError::UnknownSubscription(subscription.to_owned()))?;
            (sub.system.clone(), sub.consumer.clone())
        };
        let (system, consumer) = stream;
        let dlq = self
            .inner
            .js
            .get_stream(dlq_stream_name(&system))
            .await
            .map_err(|e| BusError::Transport(e.to_string()))?;
        let mut reader = dlq
            .create_consumer(pull::Config {
                filter_subject: format!("dlq.{system}.{consumer}"),
                ack_policy: jetstream::consumer::AckPolicy::None,
                deliver_policy: jetstream::consumer::DeliverPolicy::All,
                inactive_threshold: Duration::from_secs(30),
                ..Default::default()
            })
            .await
            .map_err(|e| BusError::Transport(e.to_string()))?;
        let count = reader
            .info()
            .await
            .map_err(|e| BusError::Transport(e.to_string()))?
            .num_pending as usize;
        let mut out = Vec::with_capacity(count);
        while out.len() < count {
            let mut batch = reader
                .fetch()
                .max_messages(count - out.len())
                .expires(Duration::from_secs(1))
                .messages()
                .await
                .map_err(|e| BusError::Transport(e.to_string()))?;
            let before = out.len();
            while let Some(m) = batch.next().await {
                let m = m.map_err(|e| BusError::Transport(e.to_string()))?;
                let header = |k: &str| {
                    m.headers
                        .as_ref()
                        .and_then(|h| h.get(k))
                        .map(|v| v.as_str().to_owned())
                };
                let envelope = envelope_of(&m.message).map_err(BusError::Transport)?;
                out.push(DeadLetter {
                    subscription: subscription.to_owned(),
                    envelope,
                    attempts: header(ATTEMPTS).and_then(|a| a.parse().ok()).unwrap_or(0),
                    reason: header(REASON).unwrap_or_default(),
                    dead_lettered_at: m
                        .info()
                        .map(|i| {
                            Timestamp::from_unix(
                                i.published.unix_timestamp(),
                                i.published.nanosecond(),
                            )
                        })
                        .unwrap_or_else(|_| Timestamp::now()),
                });
            }
            if out.len() == before {
                break;
            }
        }
        Ok(out)
    }

    /// Polls the server until no subscription of this bus has events waiting or unacked and
    /// no lane holds one.
    async fn drain(&self) {
        loop {
            let subs: Vec<(String, String, Arc<Lanes<NatsDelivery>>)> = self
                .subs()
                .values()
                .map(|s| (s.stream.clone(), s.consumer.clone(), Arc::clone(&s.lanes)))
                .collect();
            let mut idle = true;
            for (stream, consumer, lanes) in subs {
                if lanes.inflight() > 0 {
                    idle = false;
                    break;
                }
                let info = match self
                    .inner
                    .js
                    .get_consumer_from_stream::<pull::Config, _, _>(&consumer, &stream)
                    .await
                {
                    Ok(mut c) => c
                        .info()
                        .await
                        .map(|i| (i.num_pending, i.num_ack_pending))
                        .ok(),
                    Err(_) => None,
                };
                if info != Some((0, 0)) {
                    idle = false;
                    break;
                }
            }
            if idle {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn shutdown(&self) {
        self.drain().await;
        self.abort();
        // Acks are fire-and-forget publishes: flush them before the connection goes.
        let _ = self.inner.client.flush().await;
    }
}

/// Fetches from the durable consumer forever, re-subscribing after errors (server restart,
/// missed heartbeats, deleted consumer: it is re-created with the same configuration).
async fn pull_loop(
    stream: stream::Stream,
    name: String,
    config: pull::Config,
    lanes: Arc<Lanes<NatsDelivery>>,
    ctx: Arc<SettleContext>,
) {
    loop {
        let consumer = match stream
            .get_or_create_consumer::<pull::Config>(&name, config.clone())
            .await
        {
            Ok(c) => c,
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        };
        let messages = consumer
            .stream()
            .max_messages_per_batch(1_000)
            .heartbeat(Duration::from_secs(2))
            .expires(Duration::from_secs(10))
            .messages()
            .await;
        let Ok(mut messages) = messages else {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        };
        while let Some(item) = messages.next().await {
            let Ok(message) = item else { break };
            let attempt = message
                .info()
                .map(|i| u32::try_from(i.delivered).unwrap_or(u32::MAX))
                .unwrap_or(1);
            let decoded = envelope_of(&message.message);
            let (message, acker) = message.split();
            match decoded {
                Ok(envelope) => lanes.dispatch(
                    envelope,
                    NatsDelivery {
                        acker,
                        attempt,
                        ctx: Arc::clone(&ctx),
                    },
                ),
                Err(reason) => {
                    // Not a CloudEvent we can read: keep it, unreadable, on the DLQ.
                    let mut headers = message.headers.clone().unwrap_or_default();
                    headers.insert(REASON, format!("undecodable: {reason}").as_str());
                    headers.insert(SUBSCRIPTION, ctx.subscription.as_str());
                    let id = format!("undecodable-{}", message.subject);
                    let _ = publish_confirmed(
                        &ctx.js,
                        ctx.dlq_subject.clone(),
                        id,
                        headers,
                        message.payload.clone(),
                    )
                    .await;
                    let _ = acker.ack_with(AckKind::Term).await;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

struct SettleContext {
    js: jetstream::Context,
    dlq_subject: String,
    subscription: String,
}

struct NatsDelivery {
    acker: jetstream::message::Acker,
    attempt: u32,
    ctx: Arc<SettleContext>,
}

impl Delivery for NatsDelivery {
    fn attempt(&self) -> u32 {
        self.attempt
    }

    async fn settle(self, envelope: Envelope, disposition: Disposition) {
        // A failed ack is redelivered after `ack_wait`; the consumer's dedup skips it.
        let _ = match disposition {
            Disposition::Ack | Disposition::Duplicate => self.acker.ack().await,
            Disposition::Retry(delay) => self.acker.ack_with(AckKind::Nak(Some(delay))).await,
            Disposition::DeadLetter(reason) => {
                let (mut headers, body) = headers_of(&envelope);
                headers.insert(REASON, reason.as_str());
                headers.insert(ATTEMPTS, self.attempt.to_string().as_str());
                headers.insert(SUBSCRIPTION, self.ctx.subscription.as_str());
                let id = format!("{}-{}", envelope.id(), self.ctx.dlq_subject);
                match publish_confirmed(
                    &self.ctx.js,
                    self.ctx.dlq_subject.clone(),
                    id,
                    headers,
                    body.into(),
                )
                .await
                {
                    Ok(()) => self.acker.ack_with(AckKind::Term).await,
                    // Not on the DLQ: leave it unacked so the server redelivers it.
                    Err(_) => Ok(()),
                }
            }
        };
    }
}
