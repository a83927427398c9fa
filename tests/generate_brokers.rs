//! The generated hotel app runs its `demo` on NATS JetStream, on RabbitMQ, and with its saga
//! state in PostgreSQL (`FISSURE_SAGA_STORE`), and prints the same flow as on the in-memory
//! bus. The server addresses come from `FISSURE_NATS_URL`, `FISSURE_AMQP_URL` and
//! `FISSURE_POSTGRES_URL`; an unreachable server is skipped with a message, unless
//! `FISSURE_REQUIRE_BROKERS=1`. Slow (minutes): the app is built with both transports in the
//! shared target folder of the generated workspaces (`$CARGO_TARGET_DIR/generated-ws`).
//!
//! Each run generates the workspace under a system name of its own, so its streams, queues
//! and consumer groups are fresh: a run never reads what an earlier or parallel one left.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::{generated_target_dir as target_dir, take_turn};

/// `scheme://[user:pass@]host:port[/path][?query]` -> `host:port`.
fn host_port(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    rest[..end].to_owned()
}

/// The broker's URL when it answers; otherwise skipped visibly, or a failure under
/// `FISSURE_REQUIRE_BROKERS=1`.
fn broker(name: &str, env: &str, default: &str) -> Option<String> {
    let url = std::env::var(env).unwrap_or_else(|_| default.to_owned());
    let address = if url.contains("://") {
        host_port(&url)
    } else {
        pg_host_port(&url)
    };
    let reachable = address
        .parse()
        .ok()
        .and_then(|a| TcpStream::connect_timeout(&a, Duration::from_secs(2)).ok())
        .is_some();
    if reachable {
        return Some(url);
    }
    assert!(
        std::env::var("FISSURE_REQUIRE_BROKERS").as_deref() != Ok("1"),
        "no {name} at {url} and FISSURE_REQUIRE_BROKERS=1"
    );
    eprintln!("skipped: no {name} at {url} (set {env}; FISSURE_REQUIRE_BROKERS=1 makes this fail)");
    None
}

/// `host=... port=...` (libpq key/value form) -> `host:port`.
fn pg_host_port(conninfo: &str) -> String {
    let get = |k: &str| {
        conninfo
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix(k)?.strip_prefix('='))
    };
    format!(
        "{}:{}",
        get("host").unwrap_or("127.0.0.1"),
        get("port").unwrap_or("5432")
    )
}

/// A snake_case system name unique to this run: `hotel_` and letters.
fn unique_system() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos() as u64;
    let seed = nanos ^ (u64::from(std::process::id()) << 40);
    let letters: String = (0..10)
        .map(|i| char::from(b'a' + ((seed >> (i * 5)) & 0xf) as u8))
        .collect();
    format!("hotel_{letters}")
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the command runs")
}

fn ok(what: &str, out: &Output) {
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Runs the demo with `bus`; a demo that hangs is killed and fails the test (a hang detector,
/// not a speed assertion).
fn demo(binary: &Path, bus: &str, saga_store: Option<&str>) -> String {
    let mut command = Command::new(binary);
    if let Some(store) = saga_store {
        command.env("FISSURE_SAGA_STORE", store);
    }
    let mut child = command
        .arg("demo")
        .env("FISSURE_BUS", bus)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the demo starts");
    let started = Instant::now();
    while child.try_wait().expect("waits").is_none() {
        if started.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            panic!("the demo on {bus} did not finish within 180 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("output");
    ok(&format!("demo on {bus}"), &out);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The demo's lines with every UUID replaced by `<id>` (ids differ between runs) and the items
/// of a `[..]` list sorted (`billing handled: [..]` lists handlers in the order they ran, which
/// concurrency decides), counted: a broker run may print the lines in another order, never
/// other lines.
fn flow(stdout: &str) -> BTreeMap<String, usize> {
    let mut lines = BTreeMap::new();
    for line in stdout.lines() {
        let line = sorted_list(line);
        let normalized = line
            .split([' ', '='])
            .map(|word| if uuid_like(word) { "<id>" } else { word })
            .collect::<Vec<_>>()
            .join(" ");
        *lines.entry(normalized).or_default() += 1;
    }
    lines
}

fn sorted_list(line: &str) -> String {
    let (Some(open), true) = (line.find('['), line.ends_with(']')) else {
        return line.to_owned();
    };
    let mut items: Vec<&str> = line[open + 1..line.len() - 1].split(", ").collect();
    items.sort_unstable();
    format!("{}[{}]", &line[..open], items.join(", "))
}

fn uuid_like(word: &str) -> bool {
    word.len() == 36
        && word.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// Deletes the JetStream streams of `system` with two requests of the NATS text protocol (the
/// test crate has no NATS client).
fn delete_nats_streams(url: &str, system: &str) {
    let Ok(mut conn) = TcpStream::connect(host_port(url)) else {
        return;
    };
    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(conn.try_clone().expect("clone"));
    let mut info = String::new();
    let _ = reader.read_line(&mut info);
    let mut requests = String::from("CONNECT {\"verbose\":false,\"pedantic\":false}\r\n");
    for stream in [system.to_owned(), format!("{system}_dlq")] {
        requests.push_str(&format!("PUB $JS.API.STREAM.DELETE.{stream} 0\r\n\r\n"));
    }
    requests.push_str("PING\r\n");
    let _ = conn.write_all(requests.as_bytes());
    // The server answers PONG once it processed the requests before it.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 0) && !line.starts_with("PONG") {
        line.clear();
    }
}

#[test]
fn the_generated_demo_prints_the_same_flow_on_brokers_and_postgres_as_in_memory() {
    let nats = broker("NATS", "FISSURE_NATS_URL", "nats://127.0.0.1:4222");
    let amqp = broker(
        "RabbitMQ",
        "FISSURE_AMQP_URL",
        "amqp://guest:guest@127.0.0.1:5672/%2f",
    );
    let postgres = broker(
        "PostgreSQL",
        "FISSURE_POSTGRES_URL",
        "host=127.0.0.1 port=5432 user=postgres dbname=test",
    );
    if nats.is_none() && amqp.is_none() && postgres.is_none() {
        return;
    }
    let system = unique_system();
    // Held to the end: the demo binary lives in the shared target folder.
    let _turn = take_turn();
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = std::fs::read_to_string("fixtures/hotel/fissure.yaml").expect("reads the spec");
    let renamed = spec.replacen("\nsystem: hotel\n", &format!("\nsystem: {system}\n"), 1);
    assert_ne!(renamed, spec, "the fixture names its system `hotel`");
    let spec_path = dir.path().join("fissure.yaml");
    std::fs::write(&spec_path, renamed).expect("writes the spec");
    let ws = dir.path().join("ws");
    ok(
        "fissure generate",
        &run(Command::new(env!("CARGO_BIN_EXE_fissure"))
            .args(["generate", "--spec"])
            .arg(&spec_path)
            .arg("--out")
            .arg(&ws)),
    );
    let app = format!("{system}_app");
    ok(
        "cargo build of the app with nats, rabbitmq and postgres",
        &run(Command::new(env!("CARGO"))
            .args(["build", "--offline", "-q", "-p", &app])
            .args(["--features", "nats,rabbitmq,postgres"])
            .current_dir(&ws)
            .env("CARGO_TARGET_DIR", target_dir())
            .env_remove("RUSTFLAGS")),
    );
    let binary = target_dir().join("debug").join(&system);

    let memory = flow(&demo(&binary, "memory", None));
    assert!(
        memory.keys().any(|l| l.contains(".UserRegistered.v1")),
        "the demo prints the events it published: {memory:#?}"
    );
    if let Some(url) = nats {
        let on_nats = flow(&demo(&binary, &format!("{url}?system={system}"), None));
        delete_nats_streams(&url, &system);
        assert_eq!(on_nats, memory, "NATS flow differs from the in-memory one");
    }
    if let Some(url) = amqp {
        let on_rabbit = flow(&demo(&binary, &format!("{url}?system={system}"), None));
        assert_eq!(
            on_rabbit, memory,
            "RabbitMQ flow differs from the in-memory one"
        );
    }
    if let Some(conninfo) = postgres {
        // Saga state in PostgreSQL (`<system>_sagas`) instead of memory: same flow.
        let with_pg = flow(&demo(&binary, "memory", Some(&conninfo)));
        let table = format!("{system}_sagas");
        let dropped = Command::new("psql")
            .arg(&conninfo)
            .args([
                "-Atc",
                &format!("SELECT count(*) FROM {table}; DROP TABLE {table}"),
            ])
            .output();
        assert_eq!(with_pg, memory, "the flow with sagas in PostgreSQL differs");
        // Without psql on the machine the table is left behind and not inspected.
        if let Ok(out) = dropped {
            let rows = String::from_utf8_lossy(&out.stdout);
            let count: u64 = rows
                .lines()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            assert!(
                out.status.success() && count > 0,
                "the demo's sagas are in {table}: {rows}{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
