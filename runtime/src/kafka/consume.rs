//! Subscribing, settling, dead letters and draining on Kafka (see the parent module for the
//! mapping of a [`Disposition`] onto topics and commits).

use std::time::{SystemTime, UNIX_EPOCH};

use rdkafka::consumer::{
    BaseConsumer, CommitMode, Consumer as KafkaConsumer, ConsumerContext, Rebalance, StreamConsumer,
};
use rdkafka::error::KafkaResult;
use rdkafka::message::Message as _;
use rdkafka::{ClientContext, Offset, TopicPartitionList};
use tokio::task::JoinHandle;

use super::naming::Topics;
use super::offsets::Offsets;
use super::*;
use crate::bus::{DeadLetter, Subscription, Transport};
use crate::consumer::{Consumer, Disposition};
use crate::dedup::MemoryDedup;
use crate::handler::Handler;
use crate::lanes::{Delivery, Lanes};
use crate::time::Timestamp;

/// How often settled positions are committed.
const COMMIT_EVERY: Duration = Duration::from_millis(20);

type GroupConsumer = StreamConsumer<Ctx>;

/// A subscription's consumer as its tasks and blocking calls hold it. The consumer closes
/// (leaves its group, a blocking round trip) where its last reference drops, and [`close`]
/// must be that place, not a task the runtime drops: every handle carries a sender of its
/// subscription's `released` channel, on which no one sends, so the channel disconnects once
/// the last handle is gone.
#[derive(Clone)]
struct Held {
    // Declared before the sender, so a handle lets go of the consumer first: once the channel
    // has disconnected, no handle holds the consumer any more.
    consumer: Arc<GroupConsumer>,
    release: std::sync::mpsc::Sender<()>,
}

impl Held {
    /// The first handle to `consumer`, and what disconnects once every handle is dropped.
    fn new(consumer: GroupConsumer) -> (Self, std::sync::mpsc::Receiver<()>) {
        let (release, released) = std::sync::mpsc::channel();
        let held = Self {
            consumer: Arc::new(consumer),
            release,
        };
        (held, released)
    }
}

impl std::ops::Deref for Held {
    type Target = GroupConsumer;

    fn deref(&self) -> &GroupConsumer {
        &self.consumer
    }
}

pub(super) struct Sub {
    topics: Topics,
    dlq: String,
    consumer: Held,
    /// Disconnects once every handle to `consumer` is dropped.
    released: std::sync::mpsc::Receiver<()>,
    lanes: Arc<Lanes<KafkaDelivery>>,
    offsets: Arc<Mutex<Offsets>>,
    aborted: Arc<AtomicBool>,
    tasks: Vec<JoinHandle<()>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(super) fn consumer_config(settings: &KafkaSettings, group: &str) -> ClientConfig {
    let mut c = client_config(settings);
    c.set("group.id", group)
        .set("enable.auto.commit", "false")
        // Only a partition without a committed position starts here: a group's positions are
        // set to the end of its topics when it subscribes, so this covers topics created later
        // (an `ALL_TYPES` subscription's), whose every record came after the subscription.
        .set("auto.offset.reset", "earliest")
        // New topics of an `ALL_TYPES` subscription are found within a second, not 5 minutes.
        .set("topic.metadata.refresh.interval.ms", "1000");
    if let Some(ms) = settings.session_timeout_ms {
        // librdkafka wants heartbeats well inside the session; a third is Kafka's advice.
        c.set("session.timeout.ms", ms.to_string())
            .set("heartbeat.interval.ms", (ms / 3).to_string());
    }
    c
}

/// The consumer's callback: partitions taken away (commit answers come back to
/// [`commit_settled`], not here).
pub(super) struct Ctx {
    offsets: Arc<Mutex<Offsets>>,
    /// Set by [`KafkaBus::abort`]: the consumer is closing as a crash would leave it.
    aborted: Arc<AtomicBool>,
}

impl ClientContext for Ctx {}

impl ConsumerContext for Ctx {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Revoke(partitions) = rebalance {
            // Hand over what is settled, so the next owner does not redo it; unless the bus
            // was aborted, which commits nothing more (closing the consumer revokes too).
            let settled = if self.aborted.load(Ordering::SeqCst) {
                Vec::new()
            } else {
                lock(&self.offsets).take_commits()
            };
            if !settled.is_empty() {
                let _ = consumer.commit(&list_of(&settled), CommitMode::Sync);
            }
            let mut offsets = lock(&self.offsets);
            for p in partitions.elements() {
                offsets.revoke(p.topic(), p.partition());
            }
        }
    }
}

fn list_of(positions: &[(String, i32, i64)]) -> TopicPartitionList {
    let mut list = TopicPartitionList::new();
    for (topic, partition, offset) in positions {
        // Only fails for a negative offset, which a position never is.
        let _ = list.add_partition_offset(topic, *partition, Offset::Offset(*offset));
    }
    list
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The producer's connections, for metadata and watermarks. A consumer's connection to a
/// partition's leader carries its long-polling fetch (up to `fetch.wait.max.ms`, 500 ms), and a
/// broker answers the requests of one connection in order: a lookup sent through the consumer
/// waits behind that fetch, each one, which made every drain take seconds.
type Cluster = rdkafka::client::Client<
    rdkafka::producer::future_producer::FutureProducerContext<DefaultClientContext>,
>;

/// Every partition of the topics `topics` reads, as the cluster knows them now.
fn partitions(cluster: &Cluster, topics: &Topics) -> KafkaResult<TopicPartitionList> {
    let metadata = cluster.fetch_metadata(None, STEP)?;
    let mut list = TopicPartitionList::new();
    for t in metadata.topics().iter().filter(|t| topics.reads(t.name())) {
        for p in t.partitions() {
            list.add_partition(t.name(), p.id());
        }
    }
    Ok(list)
}

/// Sets the position of every partition the group never committed to its end: a new
/// subscription receives the events published from now on, as on the other transports.
fn start_at_end(
    consumer: &impl KafkaConsumer<Ctx>,
    cluster: &Cluster,
    topics: &Topics,
) -> KafkaResult<()> {
    let committed = consumer.committed_offsets(partitions(cluster, topics)?, STEP)?;
    let mut ends = Vec::new();
    for p in committed.elements() {
        if !matches!(p.offset(), Offset::Offset(_)) {
            let (_, high) = cluster.fetch_watermarks(p.topic(), p.partition(), STEP)?;
            ends.push((p.topic().to_owned(), p.partition(), high));
        }
    }
    if !ends.is_empty() {
        consumer.commit(&list_of(&ends), CommitMode::Sync)?;
    }
    Ok(())
}

/// Whether the group's committed positions reached the end of every partition it reads.
fn caught_up(
    consumer: &impl KafkaConsumer<Ctx>,
    cluster: &Cluster,
    topics: &Topics,
) -> KafkaResult<bool> {
    let committed = consumer.committed_offsets(partitions(cluster, topics)?, STEP)?;
    for p in committed.elements() {
        let (low, high) = cluster.fetch_watermarks(p.topic(), p.partition(), STEP)?;
        let at = match p.offset() {
            Offset::Offset(n) => n,
            _ => low,
        };
        if at < high {
            return Ok(false);
        }
    }
    Ok(true)
}

impl Transport for KafkaBus {
    async fn subscribe<H: Handler>(
        &self,
        subscription: Subscription,
        handler: H,
    ) -> Result<(), BusError> {
        self.check_open()?;
        let name = subscription.name().to_owned();
        if self.subs().contains_key(&name) {
            return Err(BusError::DuplicateSubscription(name));
        }
        let s = &self.inner.settings;
        let topics = Topics::of(&name, subscription.types(), s.system.as_deref())?;
        let group = group_id(&topics.system, &name);
        let dlq = dead_letter_topic(&topics.system, &name);
        let mut create: Vec<&str> = topics.exact.iter().map(String::as_str).collect();
        create.extend([topics.retry.as_str(), dlq.as_str()]);
        self.ensure_topics(&create).await?;

        let offsets = Arc::new(Mutex::new(Offsets::default()));
        let aborted = Arc::new(AtomicBool::new(false));
        let ctx = Ctx {
            offsets: Arc::clone(&offsets),
            aborted: Arc::clone(&aborted),
        };
        let consumer: GroupConsumer = consumer_config(s, &group)
            .create_with_context(ctx)
            .map_err(|e| BusError::Transport(format!("consumer group `{group}`: {e}")))?;
        let (consumer, released) = Held::new(consumer);
        let (c, t, cluster) = (
            consumer.clone(),
            topics.clone(),
            self.inner.producer.clone(),
        );
        blocking(move || start_at_end(&*c, cluster.client(), &t))
            .await
            .map_err(|e| BusError::Transport(format!("positions of group `{group}`: {e}")))?;
        let patterns = topics.patterns();
        let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
        consumer
            .subscribe(&patterns)
            .map_err(|e| BusError::Transport(format!("subscribe group `{group}`: {e}")))?;

        let dedup = subscription
            .dedup
            .clone()
            .unwrap_or_else(|| Arc::new(MemoryDedup::default()));
        let handler = Arc::new(Consumer::new(handler, dedup, subscription.retry().clone()));
        let lanes = Arc::new(Lanes::start(subscription.lanes(), handler));
        let settle = Arc::new(SettleContext {
            producer: self.inner.producer.clone(),
            topics: topics.clone(),
            retry_topic: topics.retry.clone(),
            dlq_topic: dlq.clone(),
            subscription: name.clone(),
            offsets: Arc::clone(&offsets),
            bus: Arc::downgrade(&self.inner),
        });
        let tasks = vec![
            tokio::spawn(pump(consumer.clone(), Arc::clone(&lanes), settle)),
            tokio::spawn(commit_loop(consumer.clone(), Arc::clone(&offsets))),
        ];
        self.subs().insert(
            name,
            Sub {
                topics,
                dlq,
                consumer,
                released,
                lanes,
                offsets,
                aborted,
                tasks,
            },
        );
        Ok(())
    }

    async fn dead_letters(&self, subscription: &str) -> Result<Vec<DeadLetter>, BusError> {
        let dlq = self
            .subs()
            .get(subscription)
            .map(|s| s.dlq.clone())
            .ok_or_else(|| BusError::UnknownSubscription(subscription.to_owned()))?;
        let mut config = client_config(&self.inner.settings);
        // A group of its own that never commits: librdkafka wants one even for assign().
        config
            .set("group.id", format!("{dlq}.reader"))
            .set("enable.auto.commit", "false");
        let name = subscription.to_owned();
        match tokio::task::spawn_blocking(move || read_dead_letters(&config, &dlq, &name)).await {
            Ok(read) => read.map_err(BusError::Transport),
            Err(e) => Err(BusError::Transport(e.to_string())),
        }
    }

    /// Polls the cluster until every subscription of this bus has committed the end of every
    /// partition it reads and no lane or retry timer holds a record.
    async fn drain(&self) {
        loop {
            let subs: Vec<_> = self
                .subs()
                .values()
                .map(|s| {
                    (
                        s.consumer.clone(),
                        s.topics.clone(),
                        Arc::clone(&s.lanes),
                        Arc::clone(&s.offsets),
                    )
                })
                .collect();
            let mut idle = true;
            for (consumer, topics, lanes, offsets) in subs {
                if lanes.inflight() > 0 || lock(&offsets).pending() > 0 {
                    idle = false;
                    break;
                }
                let cluster = self.inner.producer.clone();
                let done = blocking(move || caught_up(&*consumer, cluster.client(), &topics)).await;
                if done != Ok(true) {
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
        // The consumers leave their groups before this returns, so their partitions move at
        // once; a cluster that does not answer within STEP is left to the closing thread.
        let _ = tokio::time::timeout(STEP, self.stop()).await;
        let producer = self.inner.producer.clone();
        let _ = blocking(move || producer.flush(STEP)).await;
    }
}

impl KafkaBus {
    /// Stops the consumers at once, without settling or committing what they hold: what a
    /// crash does. The group's next member starts from the last committed positions.
    pub fn abort(&self) {
        drop(self.stop());
    }

    /// [`KafkaBus::abort`], returning what fires once every consumer is closed (has left its
    /// group). Closing is a blocking round trip that lasts as long as the cluster takes to
    /// answer (minutes when it is gone), so it runs on a thread of its own: a tokio runtime
    /// that shuts down waits for every task of its blocking pool, and a close there held a
    /// test's runtime for minutes once the test had dropped its mock cluster.
    fn stop(&self) -> tokio::sync::oneshot::Receiver<()> {
        self.inner.closed.store(true, Ordering::SeqCst);
        let subs: Vec<Sub> = self.subs().drain().map(|(_, s)| s).collect();
        for sub in &subs {
            sub.aborted.store(true, Ordering::SeqCst);
            for t in &sub.tasks {
                t.abort();
            }
            sub.lanes.abort();
        }
        let (closed, done) = tokio::sync::oneshot::channel();
        // Should the thread not start, the closure is dropped here: the subscriptions close
        // on this thread, and `closed` is dropped with them.
        let _ = std::thread::Builder::new()
            .name("fissure-kafka-close".into())
            .spawn(move || {
                subs.into_iter().for_each(close);
                let _ = closed.send(());
            });
        done
    }
}

/// Closes a subscription's consumer by dropping the last reference to it. Its aborted tasks
/// (and a blocking call one of them started) hold handles until the runtime drops them, and the
/// close runs wherever the last one goes, so this waits until every handle is dropped (the
/// channel disconnects) or STEP has passed; then the close runs here, or, past STEP, where the
/// last handle goes.
fn close(sub: Sub) {
    let Held { consumer, release } = sub.consumer;
    drop(release);
    // No one sends: this returns when the last sender is dropped, or at STEP.
    let _ = sub.released.recv_timeout(STEP);
    drop(consumer);
}

/// Reads every record of the dead-letter topic, from its start to its current end.
fn read_dead_letters(
    config: &ClientConfig,
    topic: &str,
    subscription: &str,
) -> Result<Vec<DeadLetter>, String> {
    let text = |e: KafkaError| e.to_string();
    let reader: BaseConsumer = config.create().map_err(text)?;
    let metadata = reader.fetch_metadata(Some(topic), STEP).map_err(text)?;
    let mut ends = HashMap::new();
    let mut list = TopicPartitionList::new();
    for t in metadata.topics() {
        for p in t.partitions() {
            let (low, high) = reader.fetch_watermarks(topic, p.id(), STEP).map_err(text)?;
            if high > low {
                ends.insert(p.id(), high);
                list.add_partition_offset(topic, p.id(), Offset::Offset(low))
                    .map_err(text)?;
            }
        }
    }
    reader.assign(&list).map_err(text)?;
    let deadline = std::time::Instant::now() + STEP;
    let mut out = Vec::new();
    while !ends.is_empty() && std::time::Instant::now() < deadline {
        let Some(message) = reader.poll(Duration::from_millis(100)) else {
            continue;
        };
        let m = message.map_err(text)?;
        if ends
            .get(&m.partition())
            .is_some_and(|end| m.offset() + 1 >= *end)
        {
            ends.remove(&m.partition());
        }
        let headers = header_map(m.headers());
        let envelope = envelope_of(&headers, m.payload().unwrap_or_default())?;
        let at = m.timestamp().to_millis().unwrap_or_else(now_ms);
        out.push(DeadLetter {
            subscription: subscription.to_owned(),
            envelope,
            attempts: headers
                .get(ATTEMPTS)
                .and_then(|a| a.parse().ok())
                .unwrap_or(0),
            reason: headers.get(REASON).cloned().unwrap_or_default(),
            dead_lettered_at: Timestamp::from_unix(
                at.div_euclid(1_000),
                u32::try_from(at.rem_euclid(1_000) * 1_000_000).unwrap_or(0),
            ),
        });
    }
    Ok(out)
}

/// Commits the settled positions every [`COMMIT_EVERY`], one commit at a time.
async fn commit_loop(consumer: Held, offsets: Arc<Mutex<Offsets>>) {
    let mut tick = tokio::time::interval(COMMIT_EVERY);
    loop {
        tick.tick().await;
        let _ = commit_settled(&consumer, &offsets).await;
    }
}

/// Commits the positions that moved and waits for the broker's answer; a failed commit is
/// sent again on the next call. The answer must come back here: librdkafka reports the result
/// of an asynchronous manual commit to no one (rdkafka reads results as events and sets no
/// `offset_commit_cb`, so `ConsumerContext::commit_callback` never runs for `commit()`). A
/// commit that failed after the connections were cut was then lost, and when it carried a
/// partition's last position `drain` waited for it forever.
async fn commit_settled(consumer: &Held, offsets: &Mutex<Offsets>) -> Result<(), String> {
    let settled = lock(offsets).take_commits();
    if settled.is_empty() {
        return Ok(());
    }
    let (c, list) = (consumer.clone(), settled.clone());
    let answer = blocking(move || c.commit(&list_of(&list), CommitMode::Sync)).await;
    lock(offsets).answered(&settled, answer.is_ok());
    answer
}

/// Receives records forever (librdkafka reconnects and rejoins the group by itself) and hands
/// them to the lanes; a retry is held until its due time.
async fn pump(consumer: Held, lanes: Arc<Lanes<KafkaDelivery>>, ctx: Arc<SettleContext>) {
    loop {
        let (delivery, headers, decoded, raw) = match consumer.recv().await {
            Ok(m) => {
                let headers = header_map(m.headers());
                let value = m.payload().unwrap_or_default();
                let decoded = envelope_of(&headers, value);
                let raw = decoded.is_err().then(|| value.to_vec());
                let delivery = KafkaDelivery {
                    topic: m.topic().to_owned(),
                    partition: m.partition(),
                    offset: m.offset(),
                    attempt: headers
                        .get(ATTEMPT)
                        .and_then(|a| a.parse().ok())
                        .unwrap_or(1),
                    ctx: Arc::clone(&ctx),
                };
                (delivery, headers, decoded, raw)
            }
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        lock(&ctx.offsets).received(&delivery.topic, delivery.partition, delivery.offset);
        match decoded {
            Ok(envelope) if !ctx.topics.wants(envelope.event_type()) => delivery.settle_here(),
            Ok(envelope) => {
                let wait = headers
                    .get(DUE)
                    .and_then(|d| d.parse::<i64>().ok())
                    .map(|due| due - now_ms())
                    .filter(|ms| *ms > 0);
                match wait {
                    Some(ms) => {
                        let lanes = Arc::clone(&lanes);
                        tokio::spawn(async move {
                            tokio::time::sleep(Duration::from_millis(ms.unsigned_abs())).await;
                            lanes.dispatch(envelope, delivery);
                        });
                    }
                    None => lanes.dispatch(envelope, delivery),
                }
            }
            Err(reason) => {
                // Not a CloudEvent we can read: keep it, unreadable, on the dead-letter topic.
                let mut out = OwnedHeaders::new();
                for (k, v) in headers
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .chain([
                        (REASON, format!("undecodable: {reason}").as_str()),
                        (SUBSCRIPTION, ctx.subscription.as_str()),
                    ])
                {
                    out = out.insert(Header {
                        key: k,
                        value: Some(v),
                    });
                }
                let value = raw.unwrap_or_default();
                let dlq = ctx.dlq_topic.clone();
                delivery.send_then_settle(&dlq, "", out, &value).await;
            }
        }
    }
}

struct SettleContext {
    producer: FutureProducer,
    topics: Topics,
    retry_topic: String,
    dlq_topic: String,
    subscription: String,
    offsets: Arc<Mutex<Offsets>>,
    bus: std::sync::Weak<Inner>,
}

struct KafkaDelivery {
    topic: String,
    partition: i32,
    offset: i64,
    attempt: u32,
    ctx: Arc<SettleContext>,
}

impl KafkaDelivery {
    /// Publishes the record's next place (retry or dead-letter topic), retrying while the
    /// bus is open, then lets its position be committed. A bus that closes first leaves the
    /// record uncommitted: the group's next member receives it again.
    async fn send_then_settle(self, topic: &str, key: &str, headers: OwnedHeaders, value: &[u8]) {
        let mut delay = Duration::from_millis(20);
        loop {
            if produce(&self.ctx.producer, topic, key, headers.clone(), value)
                .await
                .is_ok()
            {
                break;
            }
            let open = self
                .ctx
                .bus
                .upgrade()
                .is_some_and(|b| !b.closed.load(Ordering::SeqCst));
            if !open {
                return;
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(1));
        }
        self.settle_here();
    }

    fn settle_here(self) {
        lock(&self.ctx.offsets).settled(&self.topic, self.partition, self.offset);
    }
}

impl Delivery for KafkaDelivery {
    fn attempt(&self) -> u32 {
        self.attempt
    }

    async fn settle(self, envelope: Envelope, disposition: Disposition) {
        let key = record_key(&envelope);
        match disposition {
            Disposition::Ack | Disposition::Duplicate => self.settle_here(),
            Disposition::Retry(delay) => {
                let due = now_ms().saturating_add(i64::try_from(delay.as_millis()).unwrap_or(0));
                let (headers, value) = record_of(
                    &envelope,
                    &[
                        (ATTEMPT, (self.attempt + 1).to_string()),
                        (DUE, due.to_string()),
                    ],
                );
                let topic = self.ctx.retry_topic.clone();
                self.send_then_settle(&topic, &key, headers, &value).await;
            }
            Disposition::DeadLetter(reason) => {
                let (headers, value) = record_of(
                    &envelope,
                    &[
                        (REASON, reason),
                        (ATTEMPTS, self.attempt.to_string()),
                        (SUBSCRIPTION, self.ctx.subscription.clone()),
                    ],
                );
                let topic = self.ctx.dlq_topic.clone();
                self.send_then_settle(&topic, &key, headers, &value).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use rdkafka::mocking::MockCluster;
    use rdkafka::types::{RDKafkaApiKey, RDKafkaRespErr};

    use super::*;

    /// The group's committed position of `t`/0 on the cluster.
    async fn committed(consumer: &Held) -> Offset {
        let c = consumer.clone();
        let list = blocking(move || {
            let mut list = TopicPartitionList::new();
            list.add_partition("t", 0);
            c.committed_offsets(list, STEP)
        })
        .await
        .unwrap();
        list.elements()[0].offset()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_commit_the_broker_refused_is_sent_again() {
        let mock = MockCluster::new(1).unwrap();
        mock.create_topic("t", 1, 1).unwrap();
        let url = format!("kafka://{}", mock.bootstrap_servers());
        let settings = KafkaSettings::parse(&url).unwrap();
        let offsets = Arc::new(Mutex::new(Offsets::default()));
        let ctx = Ctx {
            offsets: Arc::clone(&offsets),
            aborted: Arc::new(AtomicBool::new(false)),
        };
        let (consumer, _released) = Held::new(
            consumer_config(&settings, "g")
                .create_with_context(ctx)
                .unwrap(),
        );
        lock(&offsets).received("t", 0, 0);
        lock(&offsets).settled("t", 0, 0);
        // Events (rebalances, and commit results if librdkafka sent any) are served in
        // `recv()`, as the pump does.
        let c = consumer.clone();
        let serve = tokio::spawn(async move {
            loop {
                let _ = c.recv().await;
            }
        });
        // A permanent error: librdkafka neither retries nor defers it.
        mock.request_errors(
            RDKafkaApiKey::OffsetCommit,
            &[RDKafkaRespErr::RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS],
        );
        // Commit rounds as the commit loop runs them, until the cluster holds the position.
        let mut rounds = 0;
        while committed(&consumer).await != Offset::Offset(1) && rounds < 100 {
            let _ = commit_settled(&consumer, &offsets).await;
            tokio::time::sleep(COMMIT_EVERY).await;
            rounds += 1;
        }
        serve.abort();
        assert_eq!(
            committed(&consumer).await,
            Offset::Offset(1),
            "the refused position was sent again"
        );
        assert_eq!(rounds, 2, "refused once, then confirmed");
        assert_eq!(lock(&offsets).take_commits(), [], "nothing left to send");
    }

    /// A runtime that shuts down does not wait for a consumer that is still closing. The test
    /// holds the subscription's offsets, which the revoke its close makes locks (`pre_rebalance`),
    /// so the close cannot finish until the test lets it: dropping the runtime must return in
    /// the meantime, and the close then finishes. No clock decides: with the close on the
    /// runtime's blocking pool (as before), the runtime's drop waits for the close, which waits
    /// for the test: the drop runs on a thread of its own, and the test fails when it has not
    /// returned after the hang ceiling.
    #[test]
    fn a_runtime_does_not_wait_for_an_aborted_consumer_to_close() {
        let mock = MockCluster::new(1).unwrap();
        let name = "ledger.close";
        for topic in [
            "s.orders".to_owned(),
            retry_topic("s", name),
            dead_letter_topic("s", name),
        ] {
            mock.create_topic(&topic, 1, 1).unwrap();
        }
        let url = format!("kafka://{}?create_topics=false", mock.bootstrap_servers());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (bus, offsets, consumer) = runtime.block_on(async {
            let bus = KafkaBus::connect(&url).await.unwrap();
            let handler = crate::handler::sync_handler(|_| Ok(()));
            let subscription = Subscription::new(name, ["s.orders.OrderPlaced.v1"]);
            bus.subscribe(subscription, handler).await.unwrap();
            let (held, offsets, tasks) = {
                let mut subs = bus.subs();
                let sub = subs.get_mut(name).unwrap();
                let tasks = std::mem::take(&mut sub.tasks);
                (sub.consumer.clone(), Arc::clone(&sub.offsets), tasks)
            };
            // Closing revokes only what the consumer was assigned.
            while held.assignment().map_or(0, |a| a.count()) == 0 {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            // The subscription's own tasks lock the offsets too: a worker blocked there would
            // hold the runtime's drop whatever the close does. They end before the test holds
            // them (the subscription received nothing, so no lane or commit is under way).
            for task in tasks {
                task.abort();
                let _ = task.await;
            }
            let consumer = Arc::downgrade(&held.consumer);
            drop(held);
            (bus, offsets, consumer)
        });
        let held_back = lock(&offsets);
        let mut closed = {
            let _current = runtime.enter();
            bus.stop()
        };
        // The close has begun once the last reference to the consumer is gone; it then stops
        // at the revoke until `held_back` is dropped.
        while consumer.upgrade().is_some() {
            std::thread::sleep(Duration::from_millis(1));
        }
        // Dropped on a thread of its own so that a drop waiting for the close fails this test
        // by name instead of hanging CI: a hang detector with the integration tests' ceiling
        // (`common::within`), not a speed assertion; a healthy drop returns at once.
        let (dropped, runtime_gone) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            drop(runtime);
            let _ = dropped.send(());
        });
        runtime_gone
            .recv_timeout(Duration::from_secs(300))
            .expect("dropping the runtime waited for the consumer's close, which the test holds");
        assert_eq!(
            closed.try_recv(),
            Err(tokio::sync::oneshot::error::TryRecvError::Empty),
            "the close was held back until the runtime was gone"
        );
        drop(held_back);
        assert_eq!(
            closed.blocking_recv(),
            Ok(()),
            "the close finished once the revoke could go on"
        );
        drop(bus);
    }
}
