//! The guarantees every broker transport must keep, written once and run against each server
//! through [`Bus::connect`]. `system` is unique per test: its stream/exchange is fresh.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fissure_runtime::{
    Bus, Envelope, HandlerError, MemoryDedup, Publisher, RetryPolicy, Subscription, Transport,
    sync_handler,
};
use serde_json::json;

/// Stops a bus the way a crash does: consumers gone, nothing acked.
pub async fn kill(bus: &Bus) {
    match bus {
        #[cfg(feature = "nats")]
        Bus::Nats(b) => b.abort(),
        #[cfg(feature = "rabbitmq")]
        Bus::RabbitMq(b) => b.abort().await,
        #[cfg(feature = "kafka")]
        Bus::Kafka(b) => b.abort(),
        other => other.shutdown().await,
    }
}

fn ty(system: &str, event: &str) -> String {
    format!("{system}.orders.{event}.v1")
}

fn event(system: &str, key: &str, n: u64) -> Envelope {
    Envelope::new(
        format!("{system}/orders"),
        ty(system, "OrderPlaced"),
        json!({ "n": n }),
    )
    .with_subject(key)
}

fn n_of(e: &Envelope) -> u64 {
    e.data()["n"].as_u64().unwrap()
}

/// Every attribute arrives as sent, correlation and causation included.
pub async fn round_trip(url: &str, system: &str) {
    let bus = Bus::connect(url).await.unwrap();
    let got = Arc::new(Mutex::new(Vec::new()));
    let g = Arc::clone(&got);
    bus.subscribe(
        Subscription::new(
            "audit.round-trip",
            [ty(system, "OrderPlaced"), ty(system, "OrderPaid")],
        ),
        sync_handler(move |e| {
            g.lock().unwrap().push(e.clone());
            Ok(())
        }),
    )
    .await
    .unwrap();
    let placed = event(system, "order-1", 1)
        .with_extension("tenant", json!("acme"))
        .unwrap();
    let paid = Envelope::caused_by(
        &placed,
        format!("{system}/billing"),
        ty(system, "OrderPaid"),
        json!({ "order": "order-1", "amount": 12.5, "lines": [1, 2] }),
    )
    .with_subject("order-1");
    bus.publish(placed.clone()).await.unwrap();
    bus.publish(paid.clone()).await.unwrap();
    bus.drain().await;
    let got = got.lock().unwrap().clone();
    assert_eq!(got, vec![placed.clone(), paid.clone()]);
    assert_eq!(got[1].correlation_id(), placed.id());
    assert_eq!(got[1].causation_id(), Some(placed.id()));
    assert_eq!(got[0].extension("tenant"), Some(&json!("acme")));
    bus.shutdown().await;
}

/// What a handler's store saw: executions per event id.
#[derive(Default)]
pub struct Ledger {
    runs: Mutex<HashMap<uuid::Uuid, u32>>,
}

impl Ledger {
    fn record(&self, id: uuid::Uuid) {
        *self.runs.lock().unwrap().entry(id).or_default() += 1;
    }
    pub fn handled(&self) -> usize {
        self.runs.lock().unwrap().len()
    }
    pub fn twice(&self) -> usize {
        self.runs
            .lock()
            .unwrap()
            .values()
            .filter(|&&n| n > 1)
            .count()
    }
}

/// A consumer killed in the middle of 10,000 events and started again: every event is handled
/// once. The dedup store outlives the consumer, as a durable inbox does.
pub async fn kill_and_restart(url: &str, system: &str, events: u64) {
    let ledger = Arc::new(Ledger::default());
    let inbox = Arc::new(MemoryDedup::new(1 << 20));
    let subscription = || {
        Subscription::new("ledger.kill-restart", [ty(system, "OrderPlaced")])
            .with_dedup(inbox.clone())
            .with_lanes(8)
    };
    let handler = |ledger: Arc<Ledger>| {
        sync_handler(move |e| {
            ledger.record(e.id());
            Ok(())
        })
    };
    let first = Bus::connect(url).await.unwrap();
    first
        .subscribe(subscription(), handler(Arc::clone(&ledger)))
        .await
        .unwrap();
    let publisher = Bus::connect(url).await.unwrap();
    let all: Vec<Envelope> = (0..events)
        .map(|n| event(system, &format!("k{}", n % 97), n))
        .collect();
    let ids: HashSet<uuid::Uuid> = all.iter().map(Envelope::id).collect();
    let p = publisher.clone();
    let publishing = tokio::spawn(async move {
        for chunk in all.chunks(500) {
            p.publish_all(chunk.to_vec()).await.unwrap();
        }
    });
    // The first delivery can wait for a consumer-group join (Kafka) on a loaded machine; the
    // kill is timed from the first handled event, so it lands mid-stream either way.
    let started = Instant::now();
    while ledger.handled() == 0 && started.elapsed() < Duration::from_secs(120) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let flowing = Instant::now();
    while ledger.handled() < (events / 3) as usize && flowing.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let at_kill = ledger.handled();
    kill(&first).await;
    assert!(
        at_kill > 0 && at_kill < events as usize,
        "the kill must land mid-stream, {at_kill} handled"
    );
    let second = Bus::connect(url).await.unwrap();
    second
        .subscribe(subscription(), handler(Arc::clone(&ledger)))
        .await
        .unwrap();
    publishing.await.unwrap();
    second.drain().await;
    let seen: HashSet<uuid::Uuid> = ledger.runs.lock().unwrap().keys().copied().collect();
    assert_eq!(seen.len(), events as usize, "killed at {at_kill}");
    assert_eq!(seen, ids);
    assert_eq!(ledger.twice(), 0, "an event was handled twice");
    second.shutdown().await;
    publisher.shutdown().await;
}

/// A handler failing on one key: retried with growing delays, dead-lettered after the limit,
/// while the other keys keep flowing.
pub async fn retry_then_dead_letter(url: &str, system: &str) {
    let bus = Bus::connect(url).await.unwrap();
    let attempts = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let healthy = Arc::new(AtomicUsize::new(0));
    let (a, h) = (Arc::clone(&attempts), Arc::clone(&healthy));
    let name = "ledger.retry";
    bus.subscribe(
        Subscription::new(name, [ty(system, "OrderPlaced")]).with_retry(
            RetryPolicy::default()
                .with_max_attempts(4)
                .with_backoff(Duration::from_millis(200), Duration::from_secs(2))
                .with_jitter(false),
        ),
        sync_handler(move |e| {
            if e.subject() == Some("poison") {
                a.lock().unwrap().push(Instant::now());
                return Err(HandlerError::transient("the warehouse is down"));
            }
            h.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }),
    )
    .await
    .unwrap();
    let poison = event(system, "poison", 0);
    bus.publish(poison.clone()).await.unwrap();
    let others: Vec<Envelope> = (1..=50)
        .map(|n| event(system, &format!("ok{n}"), n))
        .collect();
    bus.publish_all(others).await.unwrap();
    // The other keys are handled while the poison event waits for its retries.
    let t0 = Instant::now();
    while healthy.load(Ordering::SeqCst) < 50 && t0.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(healthy.load(Ordering::SeqCst), 50);
    assert!(
        attempts.lock().unwrap().len() < 4,
        "healthy keys waited for the poison event"
    );
    bus.drain().await;
    let times = attempts.lock().unwrap().clone();
    assert_eq!(times.len(), 4, "attempts");
    let gaps: Vec<Duration> = times.windows(2).map(|w| w[1] - w[0]).collect();
    for (gap, min) in gaps.iter().zip([200u64, 400, 800]) {
        assert!(
            *gap >= Duration::from_millis(min * 9 / 10),
            "backoff too short: {gaps:?}"
        );
    }
    let dead = bus.dead_letters(name).await.unwrap();
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert_eq!(dead[0].envelope, poison);
    assert_eq!(dead[0].attempts, 4);
    assert!(
        dead[0].reason.contains("the warehouse is down"),
        "{}",
        dead[0].reason
    );
    bus.shutdown().await;
}

/// Events of one key handled in publish order, with concurrent publishers and many lanes.
pub async fn per_key_order(url: &str, system: &str) {
    let bus = Bus::connect(url).await.unwrap();
    let seen: Arc<Mutex<HashMap<String, Vec<u64>>>> = Arc::default();
    let s = Arc::clone(&seen);
    bus.subscribe(
        Subscription::new("ledger.order", [ty(system, "OrderPlaced")]).with_lanes(8),
        sync_handler(move |e| {
            s.lock()
                .unwrap()
                .entry(e.subject().unwrap().to_owned())
                .or_default()
                .push(n_of(e));
            Ok(())
        }),
    )
    .await
    .unwrap();
    let (keys, per_key, publishers) = (40u64, 100u64, 4u64);
    let mut tasks = Vec::new();
    for p in 0..publishers {
        let bus = bus.clone();
        let system = system.to_owned();
        tasks.push(tokio::spawn(async move {
            for n in 0..per_key {
                let batch: Vec<Envelope> = (0..keys)
                    .filter(|k| k % publishers == p)
                    .map(|k| event(&system, &format!("key{k}"), n))
                    .collect();
                bus.publish_all(batch).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    bus.drain().await;
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len() as u64, keys);
        for (key, ns) in seen.iter() {
            assert_eq!(*ns, (0..per_key).collect::<Vec<_>>(), "order of {key}");
        }
    }
    bus.shutdown().await;
}

/// Every connection dropped twice during a run: publishing and consuming resume, nothing lost.
pub async fn connections_dropped(url: &str, system: &str, proxy: &super::proxy::Proxy) {
    let bus = Bus::connect(url).await.unwrap();
    let ledger = Arc::new(Ledger::default());
    let l = Arc::clone(&ledger);
    bus.subscribe(
        Subscription::new("ledger.cut", [ty(system, "OrderPlaced")]),
        sync_handler(move |e| {
            l.record(e.id());
            Ok(())
        }),
    )
    .await
    .unwrap();
    let total = 3_000u64;
    let all: Vec<Envelope> = (0..total)
        .map(|n| event(system, &format!("k{}", n % 13), n))
        .collect();
    let ids: HashSet<uuid::Uuid> = all.iter().map(Envelope::id).collect();
    let p = bus.clone();
    let publishing = tokio::spawn(async move {
        for chunk in all.chunks(100) {
            p.publish_all(chunk.to_vec()).await.unwrap();
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
    let mut cuts = 0;
    for threshold in [total / 4, total / 2] {
        let t0 = Instant::now();
        while (ledger.handled() as u64) < threshold && t0.elapsed() < Duration::from_secs(30) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        cuts += proxy.cut();
    }
    assert!(cuts >= 2, "the proxy cut {cuts} connections");
    publishing.await.unwrap();
    bus.drain().await;
    let seen: HashSet<uuid::Uuid> = ledger.runs.lock().unwrap().keys().copied().collect();
    assert_eq!(seen.len(), ids.len());
    assert_eq!(seen, ids);
    bus.shutdown().await;
}
