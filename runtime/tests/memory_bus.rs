//! The in-memory broker's guarantees: delivery, idempotence, retries with backoff then
//! dead-lettering, per-key order, drain and shutdown.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fissure_runtime::{
    ALL_TYPES, BusError, DedupStore, Envelope, HandlerError, MemoryBus, MemoryDedup, Publisher,
    RetryPolicy, Subscription, Transport, handler_fn, sync_handler,
};
use serde_json::json;
use tokio::time::Instant;

const REGISTERED: &str = "test.users.UserRegistered.v1";
const DELETED: &str = "test.users.UserDeleted.v1";

fn event(ty: &'static str, key: &str, n: u64) -> Envelope {
    Envelope::new("test/users", ty, json!({ "n": n })).with_subject(key)
}

fn n_of(e: &Envelope) -> u64 {
    e.data()["n"].as_u64().unwrap()
}

#[tokio::test]
async fn published_events_reach_matching_subscriptions_only() {
    let bus = MemoryBus::new();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let all = Arc::new(AtomicUsize::new(0));
    let s = Arc::clone(&seen);
    bus.subscribe(
        Subscription::new("mailer", [REGISTERED]),
        sync_handler(move |e| {
            s.lock().unwrap().push((e.event_type().to_owned(), n_of(e)));
            Ok(())
        }),
    )
    .await
    .unwrap();
    let a = Arc::clone(&all);
    bus.subscribe(
        Subscription::new("audit", [ALL_TYPES]),
        sync_handler(move |_| {
            a.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }),
    )
    .await
    .unwrap();

    bus.publish(event(REGISTERED, "u-1", 1)).await.unwrap();
    bus.publish(event(DELETED, "u-1", 2)).await.unwrap();
    bus.publish(Envelope::new("test/users", REGISTERED, json!({ "n": 3 })))
        .await
        .unwrap();
    bus.drain().await;

    let mut got = seen.lock().unwrap().clone();
    got.sort();
    assert_eq!(
        got,
        [(REGISTERED.to_owned(), 1), (REGISTERED.to_owned(), 3)]
    );
    assert_eq!(all.load(Ordering::SeqCst), 3);
    assert_eq!(bus.pending(), 0);
}

#[tokio::test]
async fn a_duplicate_delivery_is_handled_once() {
    let bus = MemoryBus::new();
    let handled = Arc::new(AtomicUsize::new(0));
    let h = Arc::clone(&handled);
    bus.subscribe(
        Subscription::new("counter", [REGISTERED]),
        sync_handler(move |_| {
            h.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }),
    )
    .await
    .unwrap();
    let e = event(REGISTERED, "u-1", 1);
    bus.publish(e.clone()).await.unwrap();
    bus.publish(e.clone()).await.unwrap();
    bus.publish_all(vec![e.clone(), event(REGISTERED, "u-2", 2)])
        .await
        .unwrap();
    bus.drain().await;
    assert_eq!(handled.load(Ordering::SeqCst), 2, "u-1 once, u-2 once");
}

#[tokio::test]
async fn the_dedup_store_is_pluggable_and_outlives_a_bus() {
    // A store shared by two buses stands in for a durable one surviving a restart.
    let store: Arc<MemoryDedup> = Arc::new(MemoryDedup::default());
    let handled = Arc::new(AtomicUsize::new(0));
    let e = event(REGISTERED, "u-1", 1);
    for _restart in 0..2 {
        let bus = MemoryBus::new();
        let h = Arc::clone(&handled);
        let dedup: Arc<dyn DedupStore> = store.clone();
        bus.subscribe(
            Subscription::new("counter", [REGISTERED]).with_dedup(dedup),
            sync_handler(move |_| {
                h.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }),
        )
        .await
        .unwrap();
        bus.publish(e.clone()).await.unwrap();
        bus.shutdown().await;
    }
    assert_eq!(handled.load(Ordering::SeqCst), 1);
    assert_eq!(store.len(), 1);
}

/// At-least-once: a delivery stays pending while its handler runs, a transient failure
/// delivers it again, and it counts as done only once a handler returned `Ok`.
#[tokio::test(start_paused = true)]
async fn an_event_stays_pending_until_a_delivery_of_it_succeeds() {
    let bus = MemoryBus::new();
    let deliveries = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let (d, g) = (Arc::clone(&deliveries), Arc::clone(&gate));
    bus.subscribe(
        Subscription::new("ledger", [REGISTERED]).with_retry(
            RetryPolicy::default()
                .with_max_attempts(5)
                .with_backoff(Duration::from_millis(50), Duration::from_secs(1))
                .with_jitter(false),
        ),
        handler_fn(move |_: &Envelope| {
            let (d, g) = (Arc::clone(&d), Arc::clone(&g));
            async move {
                let n = d.fetch_add(1, Ordering::SeqCst) + 1;
                // Each delivery waits until the test lets it finish.
                g.acquire().await.unwrap().forget();
                if n < 3 {
                    return Err(HandlerError::transient("not yet"));
                }
                Ok(())
            }
        }),
    )
    .await
    .unwrap();
    bus.publish(event(REGISTERED, "u-1", 1)).await.unwrap();
    let drained = tokio::spawn({
        let bus = bus.clone();
        async move { bus.drain().await }
    });
    for delivery in 1..=3 {
        // Paused clock: the ten seconds pass at once when nothing else can run.
        let came = tokio::time::timeout(Duration::from_secs(10), async {
            while deliveries.load(Ordering::SeqCst) < delivery {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        });
        assert!(came.await.is_ok(), "delivery {delivery} never came");
        assert_eq!(
            bus.pending(),
            1,
            "delivery {delivery} is running: not acked yet"
        );
        assert!(
            !drained.is_finished(),
            "drain returned during delivery {delivery}"
        );
        gate.add_permits(1);
    }
    drained.await.unwrap();
    assert_eq!(
        deliveries.load(Ordering::SeqCst),
        3,
        "two failures, then success"
    );
    assert_eq!(bus.pending(), 0);
    assert!(bus.dead_letters("ledger").await.unwrap().is_empty());
}

/// Paused tokio time: timers fire exactly at their deadlines, so the backoff is asserted
/// exactly, not against the wall clock.
#[tokio::test(start_paused = true)]
async fn a_failing_handler_is_retried_with_growing_delays_then_dead_lettered() {
    let bus = MemoryBus::new();
    let attempts = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let handled = Arc::new(Mutex::new(Vec::<(String, u64, Instant)>::new()));
    let (a, h) = (Arc::clone(&attempts), Arc::clone(&handled));
    let retry = RetryPolicy::default()
        .with_max_attempts(4)
        .with_backoff(Duration::from_millis(50), Duration::from_secs(5))
        .with_jitter(false);
    // One lane, so the healthy keys share the failing key's worker and must still flow.
    bus.subscribe(
        Subscription::new("billing", [REGISTERED])
            .with_retry(retry)
            .with_lanes(1),
        handler_fn(move |e: &Envelope| {
            let (key, n) = (e.subject().unwrap_or_default().to_owned(), n_of(e));
            let (a, h) = (Arc::clone(&a), Arc::clone(&h));
            async move {
                if key == "poison" && n == 0 {
                    a.lock().unwrap().push(Instant::now());
                    return Err(HandlerError::transient("database is down"));
                }
                h.lock().unwrap().push((key, n, Instant::now()));
                Ok(())
            }
        }),
    )
    .await
    .unwrap();

    let start = Instant::now();
    bus.publish(event(REGISTERED, "poison", 0)).await.unwrap();
    bus.publish(event(REGISTERED, "poison", 1)).await.unwrap();
    for i in 0..10 {
        bus.publish(event(REGISTERED, &format!("healthy-{i}"), 10 + i))
            .await
            .unwrap();
    }
    bus.drain().await;

    let times = attempts.lock().unwrap().clone();
    assert_eq!(times.len(), 4, "1 delivery + 3 retries");
    let gaps: Vec<u128> = times
        .windows(2)
        .map(|w| (w[1] - w[0]).as_millis())
        .collect();
    assert_eq!(gaps, [50, 100, 200]);

    let dead = bus.dead_letters("billing").await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].attempts, 4);
    assert_eq!(n_of(&dead[0].envelope), 0);
    assert!(
        dead[0].reason.contains("database is down"),
        "{}",
        dead[0].reason
    );

    let handled = handled.lock().unwrap().clone();
    assert_eq!(handled.len(), 11);
    let last_attempt = *times.last().unwrap();
    for (key, n, at) in &handled {
        if key == "poison" {
            assert_eq!(*n, 1);
            assert!(
                *at >= last_attempt,
                "the key's next event waits for its dead-lettered one"
            );
        } else {
            assert_eq!(*at, start, "{key} flowed while poison was backing off");
        }
    }
}

#[tokio::test(start_paused = true)]
async fn permanent_errors_and_panics_are_dead_lettered_and_the_lane_survives() {
    let bus = MemoryBus::new();
    let ok = Arc::new(AtomicUsize::new(0));
    let o = Arc::clone(&ok);
    bus.subscribe(
        Subscription::new("strict", [REGISTERED])
            .with_retry(
                RetryPolicy::default()
                    .with_max_attempts(3)
                    .with_jitter(false),
            )
            .with_lanes(1),
        sync_handler(move |e| match n_of(e) {
            0 => Err(HandlerError::permanent("malformed")),
            1 => panic!("handler bug"),
            _ => {
                o.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
        }),
    )
    .await
    .unwrap();
    bus.publish(event(REGISTERED, "a", 0)).await.unwrap();
    bus.publish(event(REGISTERED, "b", 1)).await.unwrap();
    bus.publish(event(REGISTERED, "c", 2)).await.unwrap();
    bus.drain().await;
    let mut dead = bus.dead_letters("strict").await.unwrap();
    dead.sort_by_key(|d| n_of(&d.envelope));
    let summary: Vec<_> = dead
        .iter()
        .map(|d| (n_of(&d.envelope), d.attempts))
        .collect();
    assert_eq!(
        summary,
        [(0, 1), (1, 3)],
        "permanent: no retry; panic: retried to the limit"
    );
    assert!(
        dead[1].reason.contains("handler panicked: handler bug"),
        "{}",
        dead[1].reason
    );
    assert_eq!(ok.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_of_one_key_are_handled_in_order_under_concurrency() {
    const KEYS: u64 = 200;
    const PER_KEY: u64 = 250;
    let bus = MemoryBus::new();
    let last: Arc<Mutex<HashMap<String, u64>>> = Arc::default();
    let violations = Arc::new(AtomicUsize::new(0));
    let first_failures = Arc::new(Mutex::new(std::collections::HashSet::new()));
    let (l, v, f) = (
        Arc::clone(&last),
        Arc::clone(&violations),
        Arc::clone(&first_failures),
    );
    bus.subscribe(
        Subscription::new("projection", [REGISTERED])
            .with_lanes(8)
            .with_retry(
                RetryPolicy::default()
                    .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
                    .with_max_attempts(10),
            ),
        handler_fn(move |e: &Envelope| {
            let key = e.subject().unwrap_or_default().to_owned();
            let n = n_of(e);
            let id = e.id();
            let (l, v, f) = (Arc::clone(&l), Arc::clone(&v), Arc::clone(&f));
            async move {
                // Some events fail once: their retries must not let later events of the key
                // overtake them.
                if n % 97 == 13 && f.lock().unwrap().insert(id) {
                    return Err(HandlerError::transient("flaky"));
                }
                tokio::task::yield_now().await;
                let mut last = l.lock().unwrap();
                let prev = last.insert(key, n);
                if prev.map_or(n != 0, |p| p + 1 != n) {
                    v.fetch_add(1, Ordering::SeqCst);
                }
                Ok(())
            }
        }),
    )
    .await
    .unwrap();

    // Four publishers, each owning a quarter of the keys (order is defined per publisher).
    let mut publishers = Vec::new();
    for p in 0..4u64 {
        let bus = bus.clone();
        publishers.push(tokio::spawn(async move {
            for n in 0..PER_KEY {
                let batch: Vec<_> = (0..KEYS)
                    .filter(|k| k % 4 == p)
                    .map(|k| event(REGISTERED, &format!("k{k}"), n))
                    .collect();
                if n % 2 == 0 {
                    bus.publish_all(batch).await.unwrap();
                } else {
                    for e in batch {
                        bus.publish(e).await.unwrap();
                    }
                }
            }
        }));
    }
    for p in publishers {
        p.await.unwrap();
    }
    bus.drain().await;

    assert_eq!(violations.load(Ordering::SeqCst), 0);
    let last = last.lock().unwrap().clone();
    assert_eq!(last.len() as u64, KEYS);
    assert!(last.values().all(|&n| n == PER_KEY - 1));
    assert!(!first_failures.lock().unwrap().is_empty());
    assert!(bus.dead_letters("projection").await.unwrap().is_empty());
}

#[tokio::test]
async fn subscription_names_are_unique_and_shutdown_closes_the_bus() {
    let bus = MemoryBus::new();
    bus.subscribe(
        Subscription::new("s", [REGISTERED]),
        sync_handler(|_| Ok(())),
    )
    .await
    .unwrap();
    let again = bus
        .subscribe(Subscription::new("s", [DELETED]), sync_handler(|_| Ok(())))
        .await;
    assert_eq!(again, Err(BusError::DuplicateSubscription("s".into())));
    assert_eq!(
        bus.dead_letters("nope").await,
        Err(BusError::UnknownSubscription("nope".into()))
    );
    bus.publish(event(REGISTERED, "k", 1)).await.unwrap();
    bus.shutdown().await;
    assert_eq!(bus.pending(), 0);
    assert_eq!(
        bus.publish(event(REGISTERED, "k", 2)).await,
        Err(BusError::Closed)
    );
}

#[tokio::test]
async fn a_catch_all_subscription_also_gets_types_subscribed_after_it() {
    let bus = MemoryBus::new();
    let counts: Arc<Mutex<HashMap<&'static str, usize>>> = Arc::default();
    for (name, types) in [("audit", vec![ALL_TYPES]), ("mailer", vec![REGISTERED])] {
        let c = Arc::clone(&counts);
        bus.subscribe(
            Subscription::new(name, types),
            sync_handler(move |_| {
                *c.lock().unwrap().entry(name).or_default() += 1;
                Ok(())
            }),
        )
        .await
        .unwrap();
    }
    bus.publish(event(REGISTERED, "u", 1)).await.unwrap();
    bus.publish(event(DELETED, "u", 2)).await.unwrap();
    bus.drain().await;
    let counts = counts.lock().unwrap().clone();
    assert_eq!(counts, HashMap::from([("audit", 2), ("mailer", 1)]));
}

/// The shape generated services take: a struct with an `async fn handle`, shared by two
/// subscriptions through an `Arc`.
struct Projection {
    seen: Mutex<Vec<(String, u64)>>,
}

impl fissure_runtime::Handler for Projection {
    async fn handle(&self, e: &Envelope) -> Result<(), HandlerError> {
        #[derive(serde::Deserialize)]
        struct Data {
            n: u64,
        }
        let data: Data = e.decode()?;
        tokio::task::yield_now().await;
        self.seen
            .lock()
            .unwrap()
            .push((e.event_type().to_owned(), data.n));
        Ok(())
    }
}

#[tokio::test]
async fn a_service_struct_serves_several_subscriptions() {
    let bus = MemoryBus::new();
    let service = Arc::new(Projection {
        seen: Mutex::new(Vec::new()),
    });
    bus.subscribe(
        Subscription::new("p.registered", [REGISTERED]),
        Arc::clone(&service),
    )
    .await
    .unwrap();
    bus.subscribe(
        Subscription::new("p.deleted", [DELETED]).with_retry(RetryPolicy::no_retry()),
        Arc::clone(&service),
    )
    .await
    .unwrap();
    bus.publish(event(REGISTERED, "u", 1)).await.unwrap();
    bus.publish(event(DELETED, "u", 2)).await.unwrap();
    bus.publish(Envelope::new(
        "test/users",
        DELETED,
        json!({"n": "not a number"}),
    ))
    .await
    .unwrap();
    bus.drain().await;
    let mut seen = service.seen.lock().unwrap().clone();
    seen.sort();
    assert_eq!(seen, [(DELETED.to_owned(), 2), (REGISTERED.to_owned(), 1)]);
    let dead = bus.dead_letters("p.deleted").await.unwrap();
    assert_eq!(dead.len(), 1);
    assert!(
        dead[0]
            .reason
            .starts_with("permanent handler error: cannot decode"),
        "{}",
        dead[0].reason
    );
}
