//! The NATS JetStream transport against a real server (`FISSURE_NATS_URL`): the shared
//! broker scenarios, plus the stream and consumer it creates. Each test uses its own system
//! (stream) and deletes it at the end.
#![cfg(feature = "nats")]

mod common;

use common::{proxy::Proxy, scenarios, unique};
use fissure_runtime::nats::{NatsBus, dlq_stream_name, stream_name};

/// A fresh system name and a cleanup that deletes its streams.
async fn system() -> Option<(String, String, Cleanup)> {
    let url = common::nats_url()?;
    let system = unique("t");
    let bus = NatsBus::connect(&url).await.unwrap();
    Some((url, system.clone(), Cleanup { bus, system }))
}

struct Cleanup {
    bus: NatsBus,
    system: String,
}

impl Cleanup {
    async fn run(self) {
        for s in [stream_name(&self.system), dlq_stream_name(&self.system)] {
            let _ = self.bus.jetstream().delete_stream(&s).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn round_trip_keeps_cloudevents_attributes_correlation_and_causation() {
    let Some((url, system, cleanup)) = system().await else {
        return;
    };
    common::within("round_trip", scenarios::round_trip(&url, &system)).await;
    // The event travelled as a JetStream message on the subject of its type, in its stream.
    let mut stream = cleanup
        .bus
        .jetstream()
        .get_stream(stream_name(&system))
        .await
        .unwrap();
    assert_eq!(stream.info().await.unwrap().state.messages, 2);
    cleanup.run().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consumer_killed_mid_stream_and_restarted_handles_every_event_once() {
    let Some((url, system, cleanup)) = system().await else {
        return;
    };
    // A short ack wait: the events the killed consumer held come back within a second.
    let url = format!("{url}?ack_wait_ms=1000");
    common::within(
        "kill_and_restart",
        scenarios::kill_and_restart(&url, &system, 10_000),
    )
    .await;
    cleanup.run().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_handler_is_retried_with_backoff_then_dead_lettered() {
    let Some((url, system, cleanup)) = system().await else {
        return;
    };
    common::within(
        "retry_then_dead_letter",
        scenarios::retry_then_dead_letter(&url, &system),
    )
    .await;
    cleanup.run().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_of_one_key_are_handled_in_order_under_concurrency() {
    let Some((url, system, cleanup)) = system().await else {
        return;
    };
    common::within("per_key_order", scenarios::per_key_order(&url, &system)).await;
    cleanup.run().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_every_connection_loses_nothing() {
    let Some((url, system, cleanup)) = system().await else {
        return;
    };
    let proxy = Proxy::start(common::url_host_port(&url)).await;
    let through = format!("nats://{}?ack_wait_ms=2000", proxy.addr);
    common::within(
        "connections_dropped",
        scenarios::connections_dropped(&through, &system, &proxy),
    )
    .await;
    cleanup.run().await;
}

/// The consumer process `a_consumer_killed_mid_stream_and_restarted_handles_every_event_once`
/// starts and kills (`common::crash`); run on its own it does nothing.
#[test]
#[ignore = "the child process of the kill test, started by it"]
fn crash_child() {
    common::crash::child_main();
}
