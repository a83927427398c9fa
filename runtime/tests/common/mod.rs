//! Shared by the broker tests: finding the servers (skip or fail when absent), unique names per
//! run, a TCP proxy that drops every connection on demand, a consumer process to kill, an
//! inbox that counts what it turned away, and the scenarios every broker transport must pass.

#![allow(dead_code)]

pub mod crash;
pub mod inbox;
pub mod proxy;
pub mod room_booked;
pub mod scenarios;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The address of a broker from `env` (or `default`) when it answers. When it does not, the
/// test is skipped with a visible message, unless `FISSURE_REQUIRE_BROKERS=1` (CI), where an
/// unreachable broker fails the test.
pub fn broker(
    name: &str,
    env: &str,
    default: &str,
    host_port: fn(&str) -> String,
) -> Option<String> {
    let url = std::env::var(env).unwrap_or_else(|_| default.to_owned());
    let addr = host_port(&url);
    let reachable = addr
        .parse()
        .ok()
        .and_then(|a| std::net::TcpStream::connect_timeout(&a, Duration::from_secs(2)).ok())
        .is_some();
    if reachable {
        return Some(url);
    }
    if std::env::var("FISSURE_REQUIRE_BROKERS").as_deref() == Ok("1") {
        panic!("no {name} at {url} ({addr}) and FISSURE_REQUIRE_BROKERS=1");
    }
    eprintln!("skipped: no {name} at {url} (set {env}; FISSURE_REQUIRE_BROKERS=1 makes this fail)");
    None
}

/// `scheme://[user:pass@]host:port[/path][?query]` -> `host:port`.
pub fn url_host_port(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    rest[..end].to_owned()
}

pub fn nats_url() -> Option<String> {
    broker(
        "NATS",
        "FISSURE_NATS_URL",
        "nats://127.0.0.1:4222",
        url_host_port,
    )
}

pub fn amqp_url() -> Option<String> {
    broker(
        "RabbitMQ",
        "FISSURE_AMQP_URL",
        "amqp://guest:guest@127.0.0.1:5672/%2f",
        url_host_port,
    )
}

/// `host=... port=...` (libpq key/value form) -> `host:port`.
pub fn pg_host_port(conninfo: &str) -> String {
    let get = |k: &str| {
        conninfo
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix(k).and_then(|v| v.strip_prefix('=')))
            .map(str::to_owned)
    };
    format!(
        "{}:{}",
        get("host").unwrap_or_else(|| "127.0.0.1".to_owned()),
        get("port").unwrap_or_else(|| "5432".to_owned())
    )
}

pub fn postgres_url() -> Option<String> {
    broker(
        "PostgreSQL",
        "FISSURE_POSTGRES_URL",
        "host=127.0.0.1 port=5432 user=postgres dbname=test",
        pg_host_port,
    )
}

/// A short name unique to this run and call: streams, queues and tables of parallel tests
/// and reruns never collide.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let n = N.fetch_add(1, Ordering::SeqCst);
    format!(
        "{prefix}{:x}{:x}{n}",
        (nanos as u64) & 0xff_ffff_ffff,
        std::process::id() & 0xffff
    )
}

/// Runs a scenario with a ceiling: a transport that stops answering fails the test with the
/// scenario's name instead of hanging CI. The ceiling is generous (a healthy run takes a few
/// seconds); it is a hang detector, not a speed assertion.
pub async fn within<T>(scenario: &str, run: impl std::future::Future<Output = T>) -> T {
    const CEILING: Duration = Duration::from_secs(300);
    match tokio::time::timeout(CEILING, run).await {
        Ok(v) => v,
        Err(_) => panic!(
            "`{scenario}` did not finish within {}s: the transport stopped answering",
            CEILING.as_secs()
        ),
    }
}
