//! The in-memory event store: ordered streams and optimistic concurrency.

use std::sync::Arc;

use fissure_runtime::{Envelope, EventStore, ExpectedVersion, MemoryEventStore, StoreError};
use serde_json::json;
use tokio::sync::Barrier;

fn ev(n: u64) -> Envelope {
    Envelope::new("test", "test.Counted.v1", json!({ "n": n })).with_subject("c-1")
}

#[tokio::test]
async fn appends_and_reads_back_in_order() {
    let store = MemoryEventStore::new();
    assert_eq!(
        store
            .append("c-1", ExpectedVersion::NoStream, vec![ev(1), ev(2)])
            .await,
        Ok(2)
    );
    assert_eq!(
        store
            .append("c-1", ExpectedVersion::Exact(2), vec![ev(3)])
            .await,
        Ok(3)
    );
    let all = store.read_stream("c-1", 0).await.unwrap();
    let ns: Vec<_> = all
        .iter()
        .map(|s| (s.version, s.envelope.data()["n"].clone()))
        .collect();
    assert_eq!(ns, [(1, json!(1)), (2, json!(2)), (3, json!(3))]);
    let tail = store.read_stream("c-1", 2).await.unwrap();
    assert_eq!(tail.len(), 1);
    assert_eq!(tail[0].version, 3);
    assert!(store.read_stream("other", 0).await.unwrap().is_empty());
    assert_eq!(store.stream_version("other").await, Ok(0));
}

#[tokio::test]
async fn stale_writer_gets_a_conflict_and_nothing_is_appended() {
    let store = MemoryEventStore::new();
    store
        .append("c-1", ExpectedVersion::NoStream, vec![ev(1)])
        .await
        .unwrap();
    // Two writers both loaded version 1.
    assert_eq!(
        store
            .append("c-1", ExpectedVersion::Exact(1), vec![ev(2)])
            .await,
        Ok(2)
    );
    let err = store
        .append("c-1", ExpectedVersion::Exact(1), vec![ev(99), ev(100)])
        .await;
    assert_eq!(
        err,
        Err(StoreError::Conflict {
            stream: "c-1".into(),
            expected: ExpectedVersion::Exact(1),
            actual: 2
        })
    );
    let again = store
        .append("c-1", ExpectedVersion::NoStream, vec![ev(7)])
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict { actual: 2, .. })),
        "{again:?}"
    );
    assert_eq!(store.stream_version("c-1").await, Ok(2));
}

/// Eight writers append 25 events each to one stream, each append expecting the version the
/// writer read. They all read version 0 first and append only when all have read it, so seven
/// of those first appends must conflict; after that they race freely and retry on conflict.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_retrying_on_conflict_lose_nothing() {
    const WRITERS: u64 = 8;
    let store = MemoryEventStore::new();
    let all_read = Arc::new(Barrier::new(WRITERS as usize));
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let (store, all_read) = (store.clone(), Arc::clone(&all_read));
        tasks.push(tokio::spawn(async move {
            let mut conflicts = 0u32;
            let mut first_append = None;
            for i in 0..25u64 {
                loop {
                    let v = store.stream_version("c-1").await.unwrap();
                    if first_append.is_none() {
                        all_read.wait().await;
                    }
                    tokio::task::yield_now().await;
                    let appended = store
                        .append("c-1", ExpectedVersion::Exact(v), vec![ev(w * 100 + i)])
                        .await;
                    first_append.get_or_insert(appended.is_ok());
                    match appended {
                        Ok(now) => {
                            assert_eq!(now, v + 1, "appended after a version it never read");
                            break;
                        }
                        Err(StoreError::Conflict { actual, .. }) => {
                            assert!(actual > v, "a conflict on a stream that had not moved");
                            conflicts += 1;
                        }
                        Err(e) => panic!("{e}"),
                    }
                }
            }
            (first_append == Some(true), conflicts)
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let first_winners = results.iter().filter(|(won, _)| *won).count();
    let conflicts: u32 = results.iter().map(|(_, c)| c).sum();
    assert_eq!(
        first_winners, 1,
        "all read version 0; one append may win: {results:?}"
    );
    assert!(
        conflicts >= WRITERS as u32 - 1,
        "{conflicts} conflicts, the first round alone has {}: {results:?}",
        WRITERS - 1
    );
    let all = store.read_stream("c-1", 0).await.unwrap();
    assert_eq!(all.len(), 200);
    assert!(
        all.iter()
            .enumerate()
            .all(|(i, s)| s.version == i as u64 + 1)
    );
    let mut ns: Vec<u64> = all
        .iter()
        .map(|s| s.envelope.data()["n"].as_u64().unwrap())
        .collect();
    ns.sort_unstable();
    ns.dedup();
    assert_eq!(
        ns.len(),
        200,
        "every writer's events are there exactly once"
    );
}
