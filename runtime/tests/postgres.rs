//! The PostgreSQL event store, transactional outbox and inbox against a real server
//! (`FISSURE_POSTGRES_URL`), with NATS as the broker the outbox relays to (`FISSURE_NATS_URL`).
//! Each test uses its own tables and drops them at the end.
#![cfg(feature = "postgres")]

mod common;

use std::collections::BTreeMap;

use fissure_runtime::postgres::{PgEventStore, PgInbox, Tables, connect};
use fissure_runtime::{
    Envelope, EventStore, ExpectedVersion, MemoryBus, Publisher, StoreError, Subscription,
    Transport, sync_handler,
};
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

/// A publisher that never gets a confirm: the process dies while waiting for it.
struct Hung;

impl Publisher for Hung {
    async fn publish(&self, _: Envelope) -> Result<(), fissure_runtime::BusError> {
        std::future::pending().await
    }
}

#[tokio::test]
async fn a_crash_between_commit_and_publish_is_delivered_by_the_relay_after_restart() {
    use fissure_runtime::postgres::OutboxRelay;
    let Some((url, store)) = store().await else {
        return;
    };
    let events: Vec<Envelope> = (0..20).map(|n| opened("acct-9", n)).collect();
    store
        .append("acct-9", ExpectedVersion::NoStream, events.clone())
        .await
        .unwrap();
    // The first relay takes the rows and dies before the broker confirms.
    let mut doomed = OutboxRelay::connect(&url, store.tables().clone(), Hung)
        .await
        .unwrap();
    let crashed =
        tokio::time::timeout(std::time::Duration::from_millis(300), doomed.relay_once()).await;
    assert!(crashed.is_err(), "the hung publish returned");
    drop(doomed);
    // After the restart a new relay delivers every event, in order, and marks them sent.
    let bus = MemoryBus::new();
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let g = got.clone();
    bus.subscribe(
        Subscription::new("ledger", ["bank.accounts.Deposited.v1"]),
        sync_handler(move |e| {
            g.lock().unwrap().push(e.clone());
            Ok(())
        }),
    )
    .await
    .unwrap();
    let mut relay = OutboxRelay::connect(&url, store.tables().clone(), bus.clone())
        .await
        .unwrap();
    assert_eq!(relay.unsent().await.unwrap(), 20);
    assert_eq!(relay.relay_once().await.unwrap(), 20);
    assert_eq!(relay.relay_once().await.unwrap(), 0);
    assert_eq!(relay.unsent().await.unwrap(), 0);
    bus.drain().await;
    assert_eq!(*got.lock().unwrap(), events);
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
