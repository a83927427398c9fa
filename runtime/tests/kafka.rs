//! The Kafka transport through the shared broker scenarios. No Kafka server runs here, so each
//! test starts librdkafka's in-process mock cluster (the real Kafka protocol for produce,
//! fetch, consumer groups and offset commits), unless `FISSURE_KAFKA_URL` names a real cluster.
//! The mock does not answer CreateTopics: the test creates the scenario's topics on the mock
//! and tells the bus `create_topics=false`. Every test uses its own system, so its topics and
//! groups are fresh.
#![cfg(feature = "kafka")]

mod common;

use std::time::Duration;

use common::{scenarios, unique};
use fissure_runtime::kafka::rdkafka::mocking::MockCluster;
use fissure_runtime::kafka::rdkafka::producer::DefaultProducerContext;
use fissure_runtime::kafka::{dead_letter_topic, retry_topic};

type Mock = MockCluster<'static, DefaultProducerContext>;

/// The cluster of one test and its system: `FISSURE_KAFKA_URL`, or a mock cluster (alive as
/// long as the returned guard) holding the topics the scenario's `subscription` uses.
fn cluster(subscription: &str) -> (String, String, Option<Mock>) {
    let system = unique("k");
    if let Ok(url) = std::env::var("FISSURE_KAFKA_URL") {
        return (url, system, None);
    }
    let mock = MockCluster::new(1).expect("librdkafka mock cluster");
    for topic in [
        format!("{system}.orders"),
        retry_topic(&system, subscription),
        dead_letter_topic(&system, subscription),
    ] {
        mock.create_topic(&topic, 6, 1).expect("mock topic");
    }
    let url = format!("kafka://{}?create_topics=false", mock.bootstrap_servers());
    (url, system, Some(mock))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn round_trip_keeps_cloudevents_attributes_correlation_and_causation() {
    let (url, system, _cluster) = cluster("audit.round-trip");
    common::within("round_trip", scenarios::round_trip(&url, &system)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_handler_is_retried_with_backoff_then_dead_lettered() {
    let (url, system, _cluster) = cluster("ledger.retry");
    common::within(
        "retry_then_dead_letter",
        scenarios::retry_then_dead_letter(&url, &system),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_of_one_key_are_handled_in_order_under_concurrency() {
    let (url, system, _cluster) = cluster("ledger.order");
    common::within("per_key_order", scenarios::per_key_order(&url, &system)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consumer_killed_mid_stream_and_restarted_handles_every_event_once() {
    let (url, system, cluster) = cluster("ledger.kill-restart");
    // The group hands the dead member's partitions over once its session timed out: 3 s on
    // the mock, 6 s (the brokers' default minimum) on a real cluster, not librdkafka's 45 s.
    let session = if cluster.is_some() { 3_000 } else { 6_000 };
    let sep = if url.contains('?') { '&' } else { '?' };
    let url = format!("{url}{sep}session_timeout_ms={session}");
    common::within(
        "kill_and_restart",
        scenarios::kill_and_restart(&url, &system, 10_000),
    )
    .await;
}

/// The mock cluster's broker as the connection-loss scenario sees it: a round-trip time of a
/// minute is a broker that stopped answering; down then up closes every client connection.
struct MockOutage<'a>(&'a Mock);

/// The only broker of a `MockCluster::new(1)`.
const BROKER: i32 = 1;

impl scenarios::Outage for MockOutage<'_> {
    fn hang(&self) {
        self.0
            .broker_round_trip_time(BROKER, Duration::from_secs(60))
            .unwrap();
    }

    /// The mock does not count its connections: 1.
    fn cut(&self) -> usize {
        self.0.broker_down(BROKER).unwrap();
        self.0
            .broker_round_trip_time(BROKER, Duration::ZERO)
            .unwrap();
        self.0.broker_up(BROKER).unwrap();
        1
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_every_connection_loses_nothing() {
    let (url, system, cluster) = cluster("ledger.cut");
    let Some(mock) = cluster else {
        eprintln!("skipped: dropping connections needs the mock cluster, FISSURE_KAFKA_URL is set");
        return;
    };
    common::within(
        "connections_dropped",
        scenarios::connections_dropped(&url, &system, &MockOutage(&mock)),
    )
    .await;
}

/// The consumer process `a_consumer_killed_mid_stream_and_restarted_handles_every_event_once`
/// starts and kills (`common::crash`); run on its own it does nothing.
#[test]
#[ignore = "the child process of the kill test, started by it"]
fn crash_child() {
    common::crash::child_main();
}
