//! The guarantees every broker transport must keep, written once and run against each server
//! through [`Bus::connect`]. `system` is unique per test: its stream/exchange is fresh.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fissure_runtime::{
    Bus, Envelope, HandlerError, Publisher, RetryPolicy, Subscription, Transport, sync_handler,
};

use super::crash::{self, Child};
use super::inbox::WatchedInbox;
use serde_json::json;

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

/// A consumer process killed (SIGKILL) in the middle of `events` events, at the moment some of
/// its handlers have written their effects and not returned, then a new consumer of the same
/// subscription: every event handled exactly once across the two, the events the dead process
/// was handling come back (it acknowledged and committed nothing), and the new consumer's
/// inbox, which holds the ids the dead one recorded, turns away exactly the redeliveries of
/// events already handled.
pub async fn kill_and_restart(url: &str, system: &str, events: u64) {
    let subscription = "ledger.kill-restart";
    let hang_after = (events / 3) as usize;
    let mut child = Child::start(url, &ty(system, "OrderPlaced"), subscription, hang_after);
    let publisher = Bus::connect(url).await.unwrap();
    let all: Vec<Envelope> = (0..events)
        .map(|n| event(system, &format!("k{}", n % 97), n))
        .collect();
    let by_id: HashMap<uuid::Uuid, Envelope> = all.iter().map(|e| (e.id(), e.clone())).collect();
    let p = publisher.clone();
    let publishing = tokio::spawn(async move {
        for chunk in all.chunks(500) {
            p.publish_all(chunk.to_vec()).await.unwrap();
        }
    });
    let crashed = tokio::task::spawn_blocking(move || {
        child.wait_all_lanes_stuck(hang_after);
        child.kill()
    })
    .await
    .unwrap();
    assert_eq!(
        crashed.len(),
        hang_after + crash::LANES,
        "every lane of the killed consumer stops in a handler after the first {hang_after} events"
    );
    assert!(
        crashed.len() < events as usize,
        "the kill must land mid-stream"
    );

    // The restarted consumer: its inbox knows what the dead one recorded.
    let inbox = Arc::new(WatchedInbox::new());
    inbox.handled_before(crashed.iter().map(|id| &by_id[id]));
    let ledger = Arc::new(Ledger::default());
    let l = Arc::clone(&ledger);
    let second = Bus::connect(url).await.unwrap();
    second
        .subscribe(
            Subscription::new(subscription, [ty(system, "OrderPlaced")])
                .with_dedup(inbox.clone())
                .with_lanes(8),
            sync_handler(move |e| {
                l.record(e.id());
                Ok(())
            }),
        )
        .await
        .unwrap();
    publishing.await.unwrap();
    second.drain().await;

    let ids: HashSet<uuid::Uuid> = by_id.keys().copied().collect();
    handled_once_across_the_crash(&crashed, &ledger, &ids);
    redeliveries_absorbed(&crashed[hang_after..], &crashed, &inbox);
    second.shutdown().await;
    publisher.shutdown().await;
}

/// The handler ran exactly once per event over both processes.
fn handled_once_across_the_crash(
    crashed: &[uuid::Uuid],
    ledger: &Ledger,
    ids: &HashSet<uuid::Uuid>,
) {
    let before: HashSet<uuid::Uuid> = crashed.iter().copied().collect();
    assert_eq!(
        before.len(),
        crashed.len(),
        "the killed consumer handled an event twice"
    );
    assert_eq!(
        ledger.twice(),
        0,
        "the restarted consumer handled an event twice"
    );
    let after: HashSet<uuid::Uuid> = ledger.runs.lock().unwrap().keys().copied().collect();
    let again: Vec<_> = before.intersection(&after).collect();
    assert!(
        again.is_empty(),
        "{} events handled before and after the crash, e.g. {:?}",
        again.len(),
        &again[..again.len().min(3)]
    );
    assert_eq!(before.len() + after.len(), ids.len(), "lost events");
    assert_eq!(&(&before | &after), ids);
}

/// The events whose handlers were stuck at the kill came back, and the inbox turned away
/// exactly the deliveries of events already handled (by the dead process, or a second
/// delivery to the new one), counted from the delivery log, not from the inbox's answers.
fn redeliveries_absorbed(stuck: &[uuid::Uuid], crashed: &[uuid::Uuid], inbox: &WatchedInbox) {
    let before: HashSet<uuid::Uuid> = crashed.iter().copied().collect();
    let deliveries = inbox.deliveries();
    let mut first_seen = HashSet::new();
    let redelivered = deliveries
        .iter()
        .filter(|id| before.contains(id) || !first_seen.insert(**id))
        .count();
    let of_the_dead = deliveries.iter().filter(|id| before.contains(id)).count();
    eprintln!(
        "kill_and_restart: killed after {} handled; the new consumer got {} deliveries, \
         {redelivered} of them redeliveries ({of_the_dead} of events the killed one handled), \
         {} turned away by its inbox",
        before.len(),
        deliveries.len(),
        inbox.hits()
    );
    let delivered: HashSet<uuid::Uuid> = deliveries.iter().copied().collect();
    let missing = stuck.iter().filter(|id| !delivered.contains(id)).count();
    assert_eq!(
        missing,
        0,
        "of the {} events whose handlers were running when the consumer was killed, {missing} \
         did not come back: something acknowledged them, which a crash does not do",
        stuck.len()
    );
    assert_eq!(
        inbox.hits(),
        redelivered,
        "the inbox turned away {} deliveries; {redelivered} were redeliveries of handled events \
         ({of_the_dead} of events the killed consumer handled)",
        inbox.hits()
    );
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

/// What the connection-loss scenario does to the network between the clients and a broker.
pub trait Outage {
    /// The broker stops answering: nothing sent from now on gets a reply until [`Outage::cut`].
    fn hang(&self);
    /// Every client connection is closed and the broker answers again; returns how many
    /// connections were open (1 where the broker does not tell).
    fn cut(&self) -> usize;
}

impl Outage for super::proxy::Proxy {
    fn hang(&self) {
        self.freeze();
    }
    fn cut(&self) -> usize {
        super::proxy::Proxy::cut(self)
    }
}

/// Every connection dropped twice during a run, each time while a publish is waiting for the
/// broker's confirmation and the consumer is mid-stream: that publish and the later ones go
/// through once the clients reconnected, consuming resumes, nothing is lost.
pub async fn connections_dropped(url: &str, system: &str, outage: &impl Outage) {
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
    let (total, chunk, outages_at) = (3_000usize, 100usize, [8usize, 18]);
    let all: Vec<Envelope> = (0..total as u64)
        .map(|n| event(system, &format!("k{}", n % 13), n))
        .collect();
    let ids: HashSet<uuid::Uuid> = all.iter().map(Envelope::id).collect();
    // The publisher stops before chunks `outages_at` until the broker hangs, so the publish of
    // that chunk is in flight, never confirmed, when the connections are cut.
    let (at_outage, mut publisher_waits) = tokio::sync::mpsc::channel::<usize>(1);
    let (hung, mut broker_hangs) = tokio::sync::mpsc::channel::<()>(1);
    let calls = Arc::new(AtomicUsize::new(0));
    let (c, p, l) = (Arc::clone(&calls), bus.clone(), Arc::clone(&ledger));
    let publishing = tokio::spawn(async move {
        for (k, events) in all.chunks(chunk).enumerate() {
            if outages_at.contains(&k) {
                // The consumer is mid-stream: it has caught up with most of what was sent.
                wait_until(|| l.handled() + 2 * chunk >= k * chunk).await;
                at_outage.send(k * chunk).await.unwrap();
                broker_hangs.recv().await.unwrap();
            }
            c.fetch_add(1, Ordering::SeqCst);
            p.publish_all(events.to_vec()).await.unwrap();
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
    let mut cuts = Vec::new();
    while cuts.len() < outages_at.len() {
        let Some(published) = publisher_waits.recv().await else {
            break; // The publisher stopped: its error is reported below.
        };
        outage.hang();
        let started = calls.load(Ordering::SeqCst);
        hung.send(()).await.unwrap();
        wait_until(|| calls.load(Ordering::SeqCst) > started).await;
        let in_flight = calls.load(Ordering::SeqCst) > started;
        cuts.push((outage.cut(), in_flight, published, ledger.handled()));
    }
    publishing.await.unwrap();
    eprintln!("connections_dropped: (closed, publish waiting, published, handled) = {cuts:?}");
    assert_eq!(
        cuts.len(),
        outages_at.len(),
        "the publisher skipped an outage"
    );
    for (closed, in_flight, published, handled) in &cuts {
        assert!(
            *closed >= 1 && *in_flight && *published < total && (1..total).contains(handled),
            "each cut must close connections while a publish waits and the consumer is \
             mid-stream; (closed, publish waiting, published, handled) = {cuts:?}"
        );
    }
    bus.drain().await;
    let seen: HashSet<uuid::Uuid> = ledger.runs.lock().unwrap().keys().copied().collect();
    assert_eq!(seen.len(), ids.len());
    assert_eq!(seen, ids);
    bus.shutdown().await;
}

/// Polls `done` every 5 ms; gives up after 30 s (a hang detector: the assertions that follow
/// then say what did not happen).
async fn wait_until(done: impl Fn() -> bool) {
    let t0 = Instant::now();
    while !done() && t0.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
