//! The RabbitMQ transport against a real server (`FISSURE_AMQP_URL`): the shared broker
//! scenarios. Each test uses its own system (exchange) and deletes its exchanges and queues.
#![cfg(feature = "rabbitmq")]

mod common;

use common::{proxy::Proxy, scenarios, unique};
use fissure_runtime::rabbitmq::RabbitBus;
use fissure_runtime::rabbitmq::lapin::options::{ExchangeDeleteOptions, QueueDeleteOptions};

async fn system() -> Option<(String, String)> {
    let url = common::amqp_url()?;
    Some((url, unique("t")))
}

/// Deletes what a scenario declared for `system` (its subscriptions are listed by name).
async fn cleanup(url: &str, system: &str, subscriptions: &[&str]) {
    let bus = RabbitBus::connect(url).await.unwrap();
    let ch = bus.channel().await.unwrap();
    for s in subscriptions {
        let q = format!("{system}.{s}");
        for name in [q.clone(), format!("{q}.dlq")] {
            let _ = ch
                .queue_delete(name.into(), QueueDeleteOptions::default())
                .await;
        }
    }
    for x in [system.to_owned(), format!("{system}.dlx")] {
        let _ = ch
            .exchange_delete(x.into(), ExchangeDeleteOptions::default())
            .await;
    }
    bus.abort().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn round_trip_keeps_cloudevents_attributes_correlation_and_causation() {
    let Some((url, system)) = system().await else {
        return;
    };
    common::within("round_trip", scenarios::round_trip(&url, &system)).await;
    cleanup(&url, &system, &["audit.round-trip"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consumer_killed_mid_stream_and_restarted_handles_every_event_once() {
    let Some((url, system)) = system().await else {
        return;
    };
    common::within(
        "kill_and_restart",
        scenarios::kill_and_restart(&url, &system, 10_000),
    )
    .await;
    cleanup(&url, &system, &["ledger.kill-restart"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_handler_is_retried_with_backoff_then_dead_lettered() {
    let Some((url, system)) = system().await else {
        return;
    };
    common::within(
        "retry_then_dead_letter",
        scenarios::retry_then_dead_letter(&url, &system),
    )
    .await;
    cleanup(&url, &system, &["ledger.retry"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_of_one_key_are_handled_in_order_under_concurrency() {
    let Some((url, system)) = system().await else {
        return;
    };
    common::within("per_key_order", scenarios::per_key_order(&url, &system)).await;
    cleanup(&url, &system, &["ledger.order"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_every_connection_loses_nothing() {
    let Some((url, system)) = system().await else {
        return;
    };
    let proxy = Proxy::start(common::url_host_port(&url)).await;
    let path = url.split_once("://").map_or("", |(_, r)| r);
    let creds = path.rsplit_once('@').map_or("", |(c, _)| c);
    let vhost = path.find('/').map_or("/%2f", |i| &path[i..]);
    let through = format!("amqp://{creds}@{}{vhost}", proxy.addr);
    common::within(
        "connections_dropped",
        scenarios::connections_dropped(&through, &system, &proxy),
    )
    .await;
    cleanup(&url, &system, &["ledger.cut"]).await;
}

/// The consumer process `a_consumer_killed_mid_stream_and_restarted_handles_every_event_once`
/// starts and kills (`common::crash`); run on its own it does nothing.
#[test]
#[ignore = "the child process of the kill test, started by it"]
fn crash_child() {
    common::crash::child_main();
}
