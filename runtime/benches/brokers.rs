//! Load benchmark of the broker transports next to their raw clients, in the same run.
//!
//! `cargo bench -p fissure-runtime --features nats,rabbitmq --bench brokers [-- EVENTS]`
//!
//! For each transport: publish EVENTS events (100 keys, batches of 500, confirmed) while a
//! subscription handles them, and stop the clock when the handler saw the last one. The raw
//! rows do the same with the client alone (same headers and body size, pipelined confirms,
//! one ack per message, no dedup, no lanes). Prints events/s and the ratio to raw.
//! Servers: FISSURE_NATS_URL, FISSURE_AMQP_URL (defaults on 127.0.0.1); a missing one is
//! skipped with a message.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fissure_runtime::{Bus, Envelope, Publisher, Subscription, Transport, sync_handler};
use serde_json::json;

const BATCH: usize = 500;

fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    format!("{prefix}{:x}", (nanos as u64) & 0xff_ffff_ffff)
}

fn events(system: &str, n: usize) -> Vec<Envelope> {
    let ty = format!("{system}.orders.OrderPlaced.v1");
    (0..n)
        .map(|i| {
            Envelope::new(
                "bench/orders",
                ty.clone(),
                json!({ "n": i, "sku": "ABC-123" }),
            )
            .with_subject(format!("key-{}", i % 100))
        })
        .collect()
}

/// Our transport: publish in batches while the subscription handles; time to the last event.
async fn through_bus(url: &str, system: &str, n: usize) -> f64 {
    let bus = Bus::connect(url).await.expect("connect");
    let seen = Arc::new(AtomicUsize::new(0));
    let s = Arc::clone(&seen);
    bus.subscribe(
        Subscription::new("bench.handler", [format!("{system}.orders.OrderPlaced.v1")]),
        sync_handler(move |_| {
            s.fetch_add(1, Ordering::Relaxed);
            Ok(())
        }),
    )
    .await
    .expect("subscribe");
    let all = events(system, n);
    let start = Instant::now();
    for chunk in all.chunks(BATCH) {
        bus.publish_all(chunk.to_vec()).await.expect("publish");
    }
    while seen.load(Ordering::Relaxed) < n {
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    bus.shutdown().await;
    rate
}

mod raw_nats {
    use super::*;
    use async_nats::jetstream::{self, consumer::pull, stream};
    use fissure_runtime::nats::async_nats;
    use futures_util::StreamExt;

    pub async fn run(url: &str, system: &str, n: usize) -> f64 {
        let client = async_nats::connect(url).await.expect("connect");
        let js = jetstream::new(client);
        let name = format!("{system}_raw");
        let s = js
            .get_or_create_stream(stream::Config {
                name: name.clone(),
                subjects: vec![format!("{system}.>")],
                ..Default::default()
            })
            .await
            .expect("stream");
        let consumer = s
            .get_or_create_consumer(
                "raw",
                pull::Config {
                    durable_name: Some("raw".into()),
                    max_ack_pending: 10_000,
                    ..Default::default()
                },
            )
            .await
            .expect("consumer");
        let all = events(system, n);
        let mut messages = consumer.messages().await.expect("messages");
        let reader = tokio::spawn(async move {
            let mut got = 0;
            while got < n {
                let Some(Ok(m)) = messages.next().await else {
                    break;
                };
                m.ack().await.expect("ack");
                got += 1;
            }
        });
        let start = Instant::now();
        for chunk in all.chunks(BATCH) {
            let mut acks = Vec::with_capacity(chunk.len());
            for e in chunk {
                let mut h = async_nats::HeaderMap::new();
                for (k, v) in header_pairs(e) {
                    h.insert(k.as_str(), v.as_str());
                }
                let body = serde_json::to_vec(e.data()).unwrap_or_default();
                let msg = jetstream::message::PublishMessage::build()
                    .payload(body.into())
                    .headers(h)
                    .message_id(e.id().to_string());
                acks.push(
                    js.send_publish(e.event_type().to_owned(), msg)
                        .await
                        .expect("send"),
                );
            }
            for a in acks {
                a.await.expect("confirm");
            }
        }
        reader.await.expect("reader");
        let rate = n as f64 / start.elapsed().as_secs_f64();
        let _ = js.delete_stream(&name).await;
        rate
    }
}

/// The same header set the transports send (CloudEvents binary mode).
fn header_pairs(e: &Envelope) -> Vec<(String, String)> {
    let mut h = vec![
        ("ce-specversion".to_owned(), "1.0".to_owned()),
        ("ce-id".to_owned(), e.id().to_string()),
        ("ce-source".to_owned(), e.source().to_owned()),
        ("ce-type".to_owned(), e.event_type().to_owned()),
        ("ce-time".to_owned(), e.time().to_string()),
        (
            "ce-correlationid".to_owned(),
            e.correlation_id().to_string(),
        ),
        ("content-type".to_owned(), "application/json".to_owned()),
    ];
    if let Some(s) = e.subject() {
        h.push(("ce-subject".to_owned(), s.to_owned()));
    }
    h
}

mod raw_amqp {
    use super::*;
    use fissure_runtime::rabbitmq::lapin::{
        self, BasicProperties, Connection, ConnectionProperties, ExchangeKind,
        options::*,
        types::{AMQPValue, FieldTable, LongString, ShortString},
    };
    use futures_util::StreamExt;

    pub async fn run(url: &str, system: &str, n: usize) -> f64 {
        let conn = Connection::connect(url, ConnectionProperties::default())
            .await
            .expect("connect");
        let ch = conn.create_channel().await.expect("channel");
        ch.confirm_select(ConfirmSelectOptions::default())
            .await
            .expect("confirms");
        let ex = format!("{system}.raw");
        ch.exchange_declare(
            ex.clone().into(),
            ExchangeKind::Topic,
            ExchangeDeclareOptions {
                durable: true,
                ..Default::default()
            },
            FieldTable::default(),
        )
        .await
        .expect("exchange");
        let mut args = FieldTable::default();
        args.insert(
            "x-queue-type".into(),
            AMQPValue::LongString("quorum".into()),
        );
        let q = format!("{system}.raw");
        ch.queue_declare(
            q.clone().into(),
            QueueDeclareOptions {
                durable: true,
                ..Default::default()
            },
            args,
        )
        .await
        .expect("queue");
        ch.queue_bind(
            q.clone().into(),
            ex.clone().into(),
            "#".into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await
        .expect("bind");
        let cch = conn.create_channel().await.expect("channel");
        cch.basic_qos(1_000, BasicQosOptions::default())
            .await
            .expect("qos");
        let mut consumer = cch
            .basic_consume(
                q.clone().into(),
                "".into(),
                BasicConsumeOptions::default(),
                FieldTable::default(),
            )
            .await
            .expect("consume");
        let reader = tokio::spawn(async move {
            let mut got = 0;
            while got < n {
                let Some(Ok(d)) = consumer.next().await else {
                    break;
                };
                d.acker.ack(BasicAckOptions::default()).await.expect("ack");
                got += 1;
            }
        });
        let all = events(system, n);
        let start = Instant::now();
        for chunk in all.chunks(BATCH) {
            let mut confirms = Vec::with_capacity(chunk.len());
            for e in chunk {
                let mut h = FieldTable::default();
                for (k, v) in header_pairs(e) {
                    h.insert(
                        ShortString::from(k),
                        AMQPValue::LongString(LongString::from(v)),
                    );
                }
                let body = serde_json::to_vec(e.data()).unwrap_or_default();
                let props = BasicProperties::default()
                    .with_message_id(e.id().to_string().into())
                    .with_delivery_mode(2)
                    .with_headers(h);
                confirms.push(
                    ch.basic_publish(
                        ex.clone().into(),
                        e.event_type().into(),
                        BasicPublishOptions::default(),
                        &body,
                        props,
                    )
                    .await
                    .expect("publish"),
                );
            }
            for c in confirms {
                let c: lapin::Confirmation = c.await.expect("confirm");
                assert!(c.is_ack());
            }
        }
        reader.await.expect("reader");
        let rate = n as f64 / start.elapsed().as_secs_f64();
        let _ = ch
            .queue_delete(q.into(), QueueDeleteOptions::default())
            .await;
        let _ = ch
            .exchange_delete(ex.into(), ExchangeDeleteOptions::default())
            .await;
        rate
    }
}

fn reachable(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    rest[..end]
        .parse()
        .ok()
        .and_then(|a| std::net::TcpStream::connect_timeout(&a, Duration::from_secs(2)).ok())
        .is_some()
}

fn row(name: &str, ours: f64, raw: Option<f64>) {
    match raw {
        Some(raw) => println!(
            "{name:<10} fissure {ours:>10.0} ev/s   raw client {raw:>10.0} ev/s   ratio {:>5.1}%",
            100.0 * ours / raw
        ),
        None => println!("{name:<10} fissure {ours:>10.0} ev/s"),
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000);
    println!("{n} events, 100 keys, batches of {BATCH}, confirmed publishes, one subscription");
    let mem = through_bus("memory", &unique("b"), n).await;
    row("memory", mem, None);
    let nats = std::env::var("FISSURE_NATS_URL").unwrap_or_else(|_| "nats://127.0.0.1:4222".into());
    if reachable(&nats) {
        let raw = raw_nats::run(&nats, &unique("r"), n).await;
        let system = unique("b");
        let ours = through_bus(&nats, &system, n).await;
        row("nats", ours, Some(raw));
        let bus = fissure_runtime::nats::NatsBus::connect(&nats)
            .await
            .expect("connect");
        for s in [
            fissure_runtime::nats::stream_name(&system),
            fissure_runtime::nats::dlq_stream_name(&system),
        ] {
            let _ = bus.jetstream().delete_stream(&s).await;
        }
    } else {
        println!("nats       skipped: no server at {nats}");
    }
    let amqp = std::env::var("FISSURE_AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/%2f".into());
    if reachable(&amqp) {
        let raw = raw_amqp::run(&amqp, &unique("r"), n).await;
        let ours = through_bus(&amqp, &unique("b"), n).await;
        row("rabbitmq", ours, Some(raw));
    } else {
        println!("rabbitmq   skipped: no server at {amqp}");
    }
}
