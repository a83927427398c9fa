//! The in-memory event store: ordered streams and optimistic concurrency.

use fissure_runtime::{Envelope, EventStore, ExpectedVersion, MemoryEventStore, StoreError};
use serde_json::json;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_retrying_on_conflict_lose_nothing() {
    let store = MemoryEventStore::new();
    let mut tasks = Vec::new();
    for w in 0..8u64 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut conflicts = 0u32;
            for i in 0..25u64 {
                loop {
                    let v = store.stream_version("c-1").await.unwrap();
                    tokio::task::yield_now().await;
                    match store
                        .append("c-1", ExpectedVersion::Exact(v), vec![ev(w * 100 + i)])
                        .await
                    {
                        Ok(_) => break,
                        Err(StoreError::Conflict { .. }) => conflicts += 1,
                        Err(e) => panic!("{e}"),
                    }
                }
            }
            conflicts
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
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
