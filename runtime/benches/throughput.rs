//! In-memory bus throughput, publish to handled, in events per second.
//!
//! `cargo bench -p fissure-runtime --bench throughput [-- EVENTS KEYS LANES ROUNDS]`
//! (defaults: 1,000,000 events over 1,000 keys, 16 lanes, 3 rounds). Every scenario publishes all events,
//! then waits for `drain()`: the clock stops when the last event is handled, and the handled
//! count is checked against the published one. Besides wall-clock rate it prints the process
//! CPU time: on a shared machine, events per CPU-second says what the bus itself costs.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use fissure_runtime::{
    Envelope, MemoryBus, Publisher, Subscription, Transport, partition_of, sync_handler,
};
use serde_json::json;

const TYPE: &str = "bench.orders.OrderPlaced.v1";
const BATCH: usize = 1024;
const BATCHED: &str = "publish_all, batches of 1024 (prebuilt)";
const SINGLE: &str = "publish one by one (prebuilt)";
const END_TO_END: &str = "build envelopes + publish_all + handle";
const CONCURRENT: &str = "4 publisher tasks, publish_all (prebuilt)";
const PUBLISHERS: usize = 4;

struct Params {
    events: usize,
    keys: usize,
    lanes: usize,
    rounds: usize,
}

fn params() -> Params {
    let nums: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    Params {
        events: nums.first().copied().unwrap_or(1_000_000),
        keys: nums.get(1).copied().unwrap_or(1_000).max(1),
        lanes: nums.get(2).copied().unwrap_or(16).max(1),
        rounds: nums.get(3).copied().unwrap_or(3).max(1),
    }
}

fn envelope(keys: &[String], i: usize) -> Envelope {
    Envelope::new("bench/orders", TYPE, json!(i)).with_subject(keys[i % keys.len()].as_str())
}

/// Per-key state, as a projection keeps: one counter per stripe of partitions, each on its own
/// cache line. (One shared counter would measure cache-line ping-pong between the two worker
/// threads, not the bus.)
#[repr(align(64))]
#[derive(Default)]
struct Stripe(AtomicU64);

struct Counter([Stripe; 64]);

impl Counter {
    fn total(&self) -> u64 {
        self.0.iter().map(|s| s.0.load(Ordering::Relaxed)).sum()
    }
}

async fn bus_with_counter(lanes: usize) -> (MemoryBus, Arc<Counter>) {
    let bus = MemoryBus::new();
    let handled = Arc::new(Counter(std::array::from_fn(|_| Stripe::default())));
    let h = Arc::clone(&handled);
    bus.subscribe(
        Subscription::new("bench", [TYPE]).with_lanes(lanes),
        sync_handler(move |e| {
            h.0[(partition_of(e) % 64) as usize]
                .0
                .fetch_add(1, Ordering::Relaxed);
            Ok(())
        }),
    )
    .await
    .expect("fresh bus accepts the subscription");
    (bus, handled)
}

/// CPU time (user + system) of this process so far, from /proc (Linux; `None` elsewhere).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on every mainstream Linux configuration.
    Some(Duration::from_millis(ticks * 10))
}

struct Clock {
    wall: Instant,
    cpu: Option<Duration>,
}

impl Clock {
    fn start() -> Self {
        Self {
            wall: Instant::now(),
            cpu: cpu_time(),
        }
    }
}

struct Measure {
    wall: Duration,
    cpu: Option<Duration>,
}

fn report(name: &str, events: usize, handled: u64, clock: Clock) -> Measure {
    let wall = clock.wall.elapsed();
    let cpu = clock.cpu.zip(cpu_time()).map(|(a, b)| b.saturating_sub(a));
    assert_eq!(
        handled, events as u64,
        "{name}: every published event must be handled once"
    );
    let per_cpu = cpu.filter(|c| !c.is_zero()).map_or_else(
        || "n/a".to_owned(),
        |c| format!("{:.0}", events as f64 / c.as_secs_f64()),
    );
    println!(
        "{name:<40} {events:>8} ev {:>8.1} ms {:>10.0} ev/s | cpu {:>6} ms {per_cpu:>10} ev/cpu-s",
        wall.as_secs_f64() * 1e3,
        events as f64 / wall.as_secs_f64(),
        cpu.map_or_else(|| "n/a".to_owned(), |c| c.as_millis().to_string()),
    );
    Measure { wall, cpu }
}

/// Best and median over the rounds: on a shared machine the best round is the one least
/// disturbed by other processes, the median what a run typically sees.
fn summary(name: &str, events: usize, mut runs: Vec<Measure>) {
    runs.sort_by_key(|m| m.wall);
    let rate = |d: Duration| events as f64 / d.as_secs_f64();
    let mut cpus: Vec<Duration> = runs.iter().filter_map(|m| m.cpu).collect();
    cpus.sort();
    let cpu_rate = cpus
        .first()
        .map_or_else(|| "n/a".to_owned(), |c| format!("{:.0}", rate(*c)));
    println!(
        "SUMMARY {name:<40} best {:>10.0} ev/s  median {:>10.0} ev/s  best {cpu_rate:>10} ev/cpu-s",
        rate(runs[0].wall),
        rate(runs[runs.len() / 2].wall),
    );
}

async fn prebuilt_batched(p: &Params, keys: &[String]) -> Measure {
    let (bus, handled) = bus_with_counter(p.lanes).await;
    let batches: Vec<Vec<Envelope>> = (0..p.events)
        .step_by(BATCH)
        .map(|i| {
            (i..(i + BATCH).min(p.events))
                .map(|j| envelope(keys, j))
                .collect()
        })
        .collect();
    let clock = Clock::start();
    for b in batches {
        bus.publish_all(b).await.expect("open bus");
    }
    bus.drain().await;
    let m = report(BATCHED, p.events, handled.total(), clock);
    bus.shutdown().await;
    m
}

async fn prebuilt_single(p: &Params, keys: &[String]) -> Measure {
    let (bus, handled) = bus_with_counter(p.lanes).await;
    let all: Vec<Envelope> = (0..p.events).map(|j| envelope(keys, j)).collect();
    let clock = Clock::start();
    for e in all {
        bus.publish(e).await.expect("open bus");
    }
    bus.drain().await;
    let m = report(SINGLE, p.events, handled.total(), clock);
    bus.shutdown().await;
    m
}

async fn end_to_end(p: &Params, keys: &[String]) -> Measure {
    let (bus, handled) = bus_with_counter(p.lanes).await;
    let clock = Clock::start();
    for i in (0..p.events).step_by(BATCH) {
        let batch = (i..(i + BATCH).min(p.events))
            .map(|j| envelope(keys, j))
            .collect();
        bus.publish_all(batch).await.expect("open bus");
    }
    bus.drain().await;
    let m = report(END_TO_END, p.events, handled.total(), clock);
    bus.shutdown().await;
    m
}

/// Four publishers interleave, so each dedup shard sees ids out of order (the slower path).
async fn concurrent_publishers(p: &Params, keys: &[String]) -> Measure {
    let (bus, handled) = bus_with_counter(p.lanes).await;
    let work: Vec<Vec<Vec<Envelope>>> = (0..PUBLISHERS)
        .map(|w| {
            let mine: Vec<usize> = (w..p.events).step_by(PUBLISHERS).collect();
            mine.chunks(BATCH)
                .map(|c| c.iter().map(|&j| envelope(keys, j)).collect())
                .collect()
        })
        .collect();
    let clock = Clock::start();
    let tasks: Vec<_> = work
        .into_iter()
        .map(|batches| {
            let bus = bus.clone();
            tokio::spawn(async move {
                for b in batches {
                    bus.publish_all(b).await.expect("open bus");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("publisher task");
    }
    bus.drain().await;
    let m = report(CONCURRENT, p.events, handled.total(), clock);
    bus.shutdown().await;
    m
}

fn main() {
    let p = params();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let keys: Vec<String> = (0..p.keys).map(|k| format!("order-{k}")).collect();
    println!(
        "in-memory bus: {} events over {} keys, {} lanes, {} rounds, {} tokio worker threads, \
         handler = per-partition counter",
        p.events,
        p.keys,
        p.lanes,
        p.rounds,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let clock = Clock::start();
    let built: Vec<Envelope> = (0..p.events).map(|j| envelope(&keys, j)).collect();
    let _ = report(
        "build envelopes only (no bus)",
        p.events,
        built.len() as u64,
        clock,
    );
    drop(built);
    let (mut batched, mut single, mut e2e, mut concurrent) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    rt.block_on(async {
        for _ in 0..p.rounds {
            batched.push(prebuilt_batched(&p, &keys).await);
            single.push(prebuilt_single(&p, &keys).await);
            e2e.push(end_to_end(&p, &keys).await);
            concurrent.push(concurrent_publishers(&p, &keys).await);
        }
    });
    summary(BATCHED, p.events, batched);
    summary(SINGLE, p.events, single);
    summary(END_TO_END, p.events, e2e);
    summary(CONCURRENT, p.events, concurrent);
}
