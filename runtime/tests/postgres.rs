//! The PostgreSQL event store, transactional outbox and inbox against a real server
//! (`FISSURE_POSTGRES_URL`), with NATS as the broker the outbox relays to (`FISSURE_NATS_URL`;
//! the outbox tests need the `nats` feature too). Each test uses its own tables and NATS
//! stream and drops them at the end.
#![cfg(feature = "postgres")]

mod common;

use std::collections::BTreeMap;
#[cfg(feature = "nats")]
use std::sync::{Arc, Mutex};
#[cfg(feature = "nats")]
use std::time::Duration;

#[cfg(feature = "nats")]
use common::inbox::WatchedInbox;
#[cfg(feature = "nats")]
use fissure_runtime::nats::async_nats::jetstream::stream;
#[cfg(feature = "nats")]
use fissure_runtime::nats::{NatsBus, dlq_stream_name, stream_name};
use fissure_runtime::postgres::{PgEventStore, PgInbox, Tables, connect};
use fissure_runtime::{Envelope, EventStore, ExpectedVersion, StoreError};
#[cfg(feature = "nats")]
use fissure_runtime::{Publisher, Subscription, Transport, sync_handler};
use serde_json::json;

fn opened(account: &str, n: i64) -> Envelope {
    Envelope::new(
        "bank/accounts",
        "bank.accounts.Deposited.v1",
        json!({ "amount": n }),
    )
    .with_subject(account)
}

async fn store() -> Option<(String, PgEventStore)> {
    let url = common::postgres_url()?;
    let store = PgEventStore::connect(&url, &common::unique("t"))
        .await
        .unwrap();
    Some((url, store))
}

#[tokio::test]
async fn appends_conflict_on_a_stale_version_and_state_is_rebuilt_after_a_restart() {
    let Some((url, store)) = store().await else {
        return;
    };
    let a = store
        .append(
            "acct-1",
            ExpectedVersion::NoStream,
            vec![opened("acct-1", 10), opened("acct-1", 5)],
        )
        .await
        .unwrap();
    assert_eq!(a, 2);
    store
        .append(
            "acct-2",
            ExpectedVersion::NoStream,
            vec![opened("acct-2", 7)],
        )
        .await
        .unwrap();
    // A writer that decided on version 1 lost the race.
    let stale = store
        .append(
            "acct-1",
            ExpectedVersion::Exact(1),
            vec![opened("acct-1", 1)],
        )
        .await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { actual: 2, .. })),
        "{stale:?}"
    );
    assert_eq!(
        store
            .append(
                "acct-1",
                ExpectedVersion::Exact(2),
                vec![opened("acct-1", 3)]
            )
            .await,
        Ok(3)
    );
    // Two writers racing on the same version: exactly one wins.
    let (s1, s2) = (
        store.clone(),
        PgEventStore::connect(&url, &prefix_of(&store))
            .await
            .unwrap(),
    );
    let (r1, r2) = tokio::join!(
        s1.append(
            "acct-3",
            ExpectedVersion::NoStream,
            vec![opened("acct-3", 1)]
        ),
        s2.append(
            "acct-3",
            ExpectedVersion::NoStream,
            vec![opened("acct-3", 2)]
        ),
    );
    assert_eq!(
        [r1.is_ok(), r2.is_ok()].iter().filter(|ok| **ok).count(),
        1,
        "{r1:?} {r2:?}"
    );

    // A new process: balances rebuilt from the stored events alone.
    let restarted = PgEventStore::connect(&url, &prefix_of(&store))
        .await
        .unwrap();
    let mut balances = BTreeMap::new();
    for (_, e) in restarted.read_all(0, 1_000).await.unwrap() {
        *balances.entry(e.stream.clone()).or_insert(0) +=
            e.envelope.data()["amount"].as_i64().unwrap();
    }
    assert_eq!(balances["acct-1"], 18);
    assert_eq!(balances["acct-2"], 7);
    let stream = restarted.read_stream("acct-1", 1).await.unwrap();
    assert_eq!(stream.iter().map(|e| e.version).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(restarted.stream_version("acct-1").await.unwrap(), 3);
    store
        .tables()
        .drop_all(&*store.client().lock().await)
        .await
        .unwrap();
}

fn prefix_of(store: &PgEventStore) -> String {
    store.tables().events.trim_end_matches("_events").to_owned()
}

#[tokio::test]
async fn state_and_events_commit_together_or_not_at_all() {
    let Some((_, store)) = store().await else {
        return;
    };
    let balances = format!("{}_balances", prefix_of(&store));
    {
        let mut client = store.client().lock().await;
        client
            .batch_execute(&format!(
                "CREATE TABLE {balances} (account text PRIMARY KEY, amount bigint)"
            ))
            .await
            .unwrap();
        // Rolled back: neither the state nor the events nor the outbox rows exist.
        let tx = client.transaction().await.unwrap();
        tx.execute(&format!("INSERT INTO {balances} VALUES ('a', 10)"), &[])
            .await
            .unwrap();
        store
            .append_in(&tx, "a", ExpectedVersion::NoStream, vec![opened("a", 10)])
            .await
            .unwrap();
        tx.rollback().await.unwrap();
        for t in [&balances, &store.tables().events, &store.tables().outbox] {
            let n: i64 = client
                .query_one(&format!("SELECT count(*) FROM {t}"), &[])
                .await
                .unwrap()
                .get(0);
            assert_eq!(n, 0, "{t} kept a rolled-back row");
        }
        // Committed: all three.
        let tx = client.transaction().await.unwrap();
        tx.execute(&format!("INSERT INTO {balances} VALUES ('a', 10)"), &[])
            .await
            .unwrap();
        store
            .append_in(&tx, "a", ExpectedVersion::NoStream, vec![opened("a", 10)])
            .await
            .unwrap();
        tx.commit().await.unwrap();
        for t in [&balances, &store.tables().events, &store.tables().outbox] {
            let n: i64 = client
                .query_one(&format!("SELECT count(*) FROM {t}"), &[])
                .await
                .unwrap()
                .get(0);
            assert_eq!(n, 1, "{t}");
        }
        client
            .batch_execute(&format!("DROP TABLE {balances}"))
            .await
            .unwrap();
    }
    store
        .tables()
        .drop_all(&*store.client().lock().await)
        .await
        .unwrap();
}

/// The outbox relayed to a real NATS server (`FISSURE_NATS_URL`): a system (stream) of its
/// own, a consumer whose inbox counts what it turned away, and what the consumer handled.
#[cfg(feature = "nats")]
struct Relayed {
    system: String,
    bus: NatsBus,
    inbox: Arc<WatchedInbox>,
    handled: Arc<Mutex<Vec<Envelope>>>,
}

#[cfg(feature = "nats")]
impl Relayed {
    /// The stream is made here, before the bus would make it, with a duplicate window of
    /// `window`: the server drops a second publish of an id within it.
    async fn start(window: Duration) -> Option<Self> {
        let url = common::nats_url()?;
        let system = common::unique("pg");
        let bus = NatsBus::connect(&url).await.unwrap();
        bus.jetstream()
            .create_stream(stream::Config {
                name: stream_name(&system),
                subjects: vec![format!("{system}.>")],
                duplicate_window: window,
                ..Default::default()
            })
            .await
            .unwrap();
        let inbox = Arc::new(WatchedInbox::new());
        let handled = Arc::new(Mutex::new(Vec::new()));
        let h = Arc::clone(&handled);
        bus.subscribe(
            Subscription::new("ledger", [deposited_type(&system)]).with_dedup(inbox.clone()),
            sync_handler(move |e| {
                h.lock().unwrap().push(e.clone());
                Ok(())
            }),
        )
        .await
        .unwrap();
        Some(Self {
            system,
            bus,
            inbox,
            handled,
        })
    }

    fn deposits(&self, n: i64) -> Vec<Envelope> {
        (0..n)
            .map(|i| {
                Envelope::new(
                    "bank/accounts",
                    deposited_type(&self.system),
                    json!({ "amount": i }),
                )
                .with_subject("acct-9")
            })
            .collect()
    }

    fn handled_amounts(&self) -> Vec<i64> {
        amounts(&self.handled.lock().unwrap())
    }

    /// Messages the server stored in the system's stream.
    async fn stored(&self) -> u64 {
        let mut stream = self
            .bus
            .jetstream()
            .get_stream(stream_name(&self.system))
            .await
            .unwrap();
        stream.info().await.unwrap().state.messages
    }

    async fn finish(self) {
        self.bus.shutdown().await;
        for s in [stream_name(&self.system), dlq_stream_name(&self.system)] {
            let _ = self.bus.jetstream().delete_stream(&s).await;
        }
    }
}

#[cfg(feature = "nats")]
fn amounts(events: &[Envelope]) -> Vec<i64> {
    events
        .iter()
        .map(|e| e.data()["amount"].as_i64().unwrap())
        .collect()
}

#[cfg(feature = "nats")]
fn deposited_type(system: &str) -> String {
    format!("{system}.accounts.Deposited.v1")
}

/// A relay that dies at a chosen point of its publish: before the broker confirmed anything
/// (`publish_first: false`: the confirm never comes), or right after the broker confirmed
/// every event, before the relay could mark the rows sent.
#[cfg(feature = "nats")]
struct DiesDuringPublish {
    bus: NatsBus,
    publish_first: bool,
    published: Arc<tokio::sync::Notify>,
}

#[cfg(feature = "nats")]
impl Publisher for DiesDuringPublish {
    async fn publish(&self, e: Envelope) -> Result<(), fissure_runtime::BusError> {
        self.publish_all(vec![e]).await
    }

    async fn publish_all(&self, events: Vec<Envelope>) -> Result<(), fissure_runtime::BusError> {
        if self.publish_first {
            self.bus.publish_all(events).await?;
        }
        self.published.notify_one();
        std::future::pending().await
    }
}

/// Runs one relay pass through a publisher that dies at the point `publish_first` says, then
/// drops the relay as a crash would (its connection closes, its transaction rolls back).
#[cfg(feature = "nats")]
async fn relay_and_crash(url: &str, store: &PgEventStore, bus: &NatsBus, publish_first: bool) {
    use fissure_runtime::postgres::OutboxRelay;
    let published = Arc::new(tokio::sync::Notify::new());
    let publisher = DiesDuringPublish {
        bus: bus.clone(),
        publish_first,
        published: Arc::clone(&published),
    };
    let mut doomed = OutboxRelay::connect(url, store.tables().clone(), publisher)
        .await
        .unwrap();
    tokio::select! {
        r = doomed.relay_once() => panic!("the dying relay returned {r:?}"),
        () = published.notified() => {}
    }
}

/// The relay's second pass after the restart: every row goes out and is marked sent.
#[cfg(feature = "nats")]
async fn relay_after_restart(url: &str, store: &PgEventStore, bus: &NatsBus, rows: usize) {
    use fissure_runtime::postgres::OutboxRelay;
    let mut relay = OutboxRelay::connect(url, store.tables().clone(), bus.clone())
        .await
        .unwrap();
    assert_eq!(
        relay.unsent().await.unwrap(),
        rows as i64,
        "rows the dead relay left unsent"
    );
    // The dead relay's rows stay locked until the server sees its connection closed; the new
    // relay skips locked rows and polls again, as `OutboxRelay::run` does.
    let mut relayed = 0;
    let started = std::time::Instant::now();
    while relayed < rows && started.elapsed() < Duration::from_secs(30) {
        relayed += relay.relay_once().await.unwrap();
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(relayed, rows);
    assert_eq!(relay.relay_once().await.unwrap(), 0);
    assert_eq!(relay.unsent().await.unwrap(), 0);
}

#[cfg(feature = "nats")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_between_commit_and_publish_is_delivered_by_the_relay_after_restart() {
    let Some((url, store)) = store().await else {
        return;
    };
    let Some(nats) = Relayed::start(Duration::from_secs(120)).await else {
        return;
    };
    let events = nats.deposits(20);
    store
        .append("acct-9", ExpectedVersion::NoStream, events.clone())
        .await
        .unwrap();
    // The first relay takes the rows and dies before the broker has any of them.
    relay_and_crash(&url, &store, &nats.bus, false).await;
    assert_eq!(nats.stored().await, 0);
    // After the restart a new relay delivers every event, in order, and marks them sent.
    relay_after_restart(&url, &store, &nats.bus, 20).await;
    nats.bus.drain().await;
    assert_eq!(nats.stored().await, 20);
    assert_eq!(nats.handled_amounts(), amounts(&events));
    assert_eq!(*nats.handled.lock().unwrap(), events);
    assert_eq!(nats.inbox.hits(), 0);
    nats.finish().await;
    store
        .tables()
        .drop_all(&*store.client().lock().await)
        .await
        .unwrap();
}

/// The relay published and the broker confirmed, then the process died before the rows were
/// marked sent: the next relay sends every event again. A broker drops such a duplicate within
/// its duplicate window (2 minutes here); a relay that comes back later (a crash loop, an
/// outage) gets past it, which the test reproduces with a window of 100 ms. The duplicates then
/// reach the consumer, whose inbox turns each of them away.
#[cfg(feature = "nats")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_that_crashed_after_publishing_sends_duplicates_the_inbox_absorbs() {
    let Some((url, store)) = store().await else {
        return;
    };
    let window = Duration::from_millis(100);
    let Some(nats) = Relayed::start(window).await else {
        return;
    };
    let events = nats.deposits(20);
    store
        .append("acct-9", ExpectedVersion::NoStream, events.clone())
        .await
        .unwrap();
    relay_and_crash(&url, &store, &nats.bus, true).await;
    nats.bus.drain().await;
    assert_eq!(
        nats.stored().await,
        20,
        "the dead relay's publishes were confirmed"
    );
    assert_eq!(nats.handled_amounts(), amounts(&events));
    // Past the broker's duplicate window, the restarted relay publishes the same ids again.
    tokio::time::sleep(window * 3).await;
    relay_after_restart(&url, &store, &nats.bus, 20).await;
    nats.bus.drain().await;
    assert_eq!(nats.stored().await, 40, "every event was sent twice");
    let delivered = nats.inbox.deliveries();
    let ids: Vec<uuid::Uuid> = events.iter().map(Envelope::id).collect();
    assert_eq!(delivered, [ids.clone(), ids].concat());
    assert_eq!(
        nats.inbox.hits(),
        20,
        "the inbox turned away every duplicate"
    );
    assert_eq!(
        nats.handled_amounts(),
        amounts(&events),
        "each handled once"
    );
    nats.finish().await;
    store
        .tables()
        .drop_all(&*store.client().lock().await)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_inbox_skips_an_event_handled_before_a_restart() {
    let Some((url, store)) = store().await else {
        return;
    };
    let tables: Tables = store.tables().clone();
    let effects = format!("{}_effects", prefix_of(&store));
    let mut client = connect(&url).await.unwrap();
    client
        .batch_execute(&format!("CREATE TABLE {effects} (event_id uuid)"))
        .await
        .unwrap();
    let e = opened("acct-1", 1);
    let inbox = PgInbox::new(&tables, "ledger");
    // First delivery: handled, effect and id committed together.
    let tx = inbox
        .begin(&mut client, &e)
        .await
        .unwrap()
        .expect("first delivery");
    tx.execute(&format!("INSERT INTO {effects} VALUES ($1)"), &[&e.id()])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // A delivery whose handler died before the commit leaves nothing behind.
    let other = opened("acct-1", 2);
    let tx = inbox
        .begin(&mut client, &other)
        .await
        .unwrap()
        .expect("new event");
    tx.execute(
        &format!("INSERT INTO {effects} VALUES ($1)"),
        &[&other.id()],
    )
    .await
    .unwrap();
    drop(tx);
    // After a restart (new connection), the redelivery of the first is skipped, the second runs.
    let mut restarted = connect(&url).await.unwrap();
    assert!(inbox.begin(&mut restarted, &e).await.unwrap().is_none());
    let tx = inbox
        .begin(&mut restarted, &other)
        .await
        .unwrap()
        .expect("retried");
    tx.execute(
        &format!("INSERT INTO {effects} VALUES ($1)"),
        &[&other.id()],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let n: i64 = restarted
        .query_one(&format!("SELECT count(*) FROM {effects}"), &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 2);
    restarted
        .batch_execute(&format!("DROP TABLE {effects}"))
        .await
        .unwrap();
    tables.drop_all(&restarted).await.unwrap();
}
