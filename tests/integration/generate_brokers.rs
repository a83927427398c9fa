//! The generated hotel app runs its `demo` on NATS JetStream and on RabbitMQ with the plain
//! broker URL (the app knows its system), and with its saga state in PostgreSQL
//! (`FISSURE_SAGA_STORE`); each run prints the same flow as on the in-memory bus, and the
//! servers hold the proof that they carried it: the JetStream stream of the system holds every
//! event the demo printed, a queue bound to the system's RabbitMQ exchange received every one,
//! and the saga table holds the demo's sagas. A silent fallback to memory fails each check.
//!
//! The server addresses come from `FISSURE_NATS_URL`, `FISSURE_AMQP_URL` and
//! `FISSURE_POSTGRES_URL`; an unreachable server is skipped with a message, unless
//! `FISSURE_REQUIRE_BROKERS=1`. Slow (minutes): the app is built with the transports in the
//! shared target folder of the generated workspaces. Each run generates the workspace under a
//! system name of its own, so its streams, exchanges and tables are fresh.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::support::generated::{GeneratedWorkspace, generated_target_dir, take_turn};

/// `scheme://[user:pass@]host:port[/path][?query]` -> `host:port`.
fn host_port(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    rest[..end].to_owned()
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

/// The server's address when it answers; otherwise skipped visibly, or a failure under
/// `FISSURE_REQUIRE_BROKERS=1`.
fn server(name: &str, env: &str, default: &str) -> Option<String> {
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

/// The broker URL as a user types it: the address, no `?system=` (nor anything else).
fn plain(url: &str) -> &str {
    url.split_once('?').map_or(url, |(base, _)| base)
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

/// Runs the demo with `FISSURE_BUS=bus`; a demo that hangs is killed and fails the test (a
/// hang detector, not a speed assertion).
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
    assert!(
        out.status.success(),
        "demo on {bus} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// How many events the demo printed under `events published:` (every event on its bus).
fn published(stdout: &str) -> u64 {
    let count = stdout
        .lines()
        .skip_while(|l| *l != "events published:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .count();
    count as u64
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

/// A connection speaking the NATS text protocol: enough for JetStream API requests (the
/// stream's state, deleting it), without a NATS client in the tests.
struct NatsText {
    writer: TcpStream,
    reader: BufReader<TcpStream>,
}

impl NatsText {
    fn connect(url: &str) -> Self {
        let conn = TcpStream::connect(host_port(url)).expect("NATS answers");
        conn.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("read timeout");
        let mut reader = BufReader::new(conn.try_clone().expect("clone"));
        let mut info = String::new();
        reader.read_line(&mut info).expect("INFO from the server");
        let mut nats = Self {
            writer: conn,
            reader,
        };
        nats.send("CONNECT {\"verbose\":false,\"pedantic\":false}\r\nSUB _INBOX.fissure 1\r\n");
        nats
    }

    fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).expect("write");
    }

    /// The JSON reply of a JetStream API request.
    fn request(&mut self, subject: &str) -> serde_json::Value {
        self.send(&format!("PUB {subject} _INBOX.fissure 0\r\n\r\n"));
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).expect("a reply");
            if line.starts_with("PING") {
                self.send("PONG\r\n");
            }
            let Some(header) = line.strip_prefix("MSG ") else {
                continue;
            };
            let size: usize = header
                .split_whitespace()
                .last()
                .and_then(|n| n.parse().ok())
                .expect("MSG size");
            let mut payload = vec![0; size + 2];
            self.reader.read_exact(&mut payload).expect("payload");
            return serde_json::from_slice(&payload[..size]).expect("JSON reply");
        }
    }
}

/// Runs the demo on NATS, then reads from the server how many events the system's stream
/// holds, and deletes its streams.
fn nats_run(url: &str, binary: &Path, system: &str, memory: &BTreeMap<String, usize>) {
    let stdout = demo(binary, plain(url), None);
    let mut nats = NatsText::connect(url);
    let info = nats.request(&format!("$JS.API.STREAM.INFO.{system}"));
    for stream in [system.to_owned(), format!("{system}_dlq")] {
        nats.request(&format!("$JS.API.STREAM.DELETE.{stream}"));
    }
    assert_eq!(
        &flow(&stdout),
        memory,
        "NATS flow differs from the in-memory one"
    );
    assert_eq!(
        info["state"]["messages"].as_u64(),
        Some(published(&stdout)),
        "the stream `{system}` holds every event the demo printed: {info}"
    );
}

/// Runs the demo on RabbitMQ while a queue of the test, bound to everything on the system's
/// exchange, collects what the app publishes; then counts it.
fn rabbitmq_run(url: &str, binary: &Path, system: &str, memory: &BTreeMap<String, usize>) {
    use lapin::options::{ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions};
    use lapin::types::FieldTable;
    use lapin::{Connection, ConnectionProperties, ExchangeKind};

    // A worker thread keeps the connection alive while the demo runs.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let queue = format!("{system}.test-collector");
    let channel = runtime.block_on(async {
        let conn = Connection::connect(plain(url), ConnectionProperties::default())
            .await
            .expect("RabbitMQ answers");
        let channel = conn.create_channel().await.expect("a channel");
        // Declared the way the runtime declares it (durable topic), before the app does.
        let durable = ExchangeDeclareOptions {
            durable: true,
            ..Default::default()
        };
        channel
            .exchange_declare(
                system.into(),
                ExchangeKind::Topic,
                durable,
                FieldTable::default(),
            )
            .await
            .expect("declare the exchange");
        let exclusive = QueueDeclareOptions {
            exclusive: true,
            ..Default::default()
        };
        channel
            .queue_declare(queue.as_str().into(), exclusive, FieldTable::default())
            .await
            .expect("declare the collecting queue");
        channel
            .queue_bind(
                queue.as_str().into(),
                system.into(),
                "#".into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await
            .expect("bind it to every routing key");
        (conn, channel)
    });
    let stdout = demo(binary, plain(url), None);
    let collected = runtime.block_on(async {
        let passive = QueueDeclareOptions {
            passive: true,
            exclusive: true,
            ..Default::default()
        };
        let q = channel
            .1
            .queue_declare(queue.as_str().into(), passive, FieldTable::default())
            .await
            .expect("the collecting queue is there");
        let _ = channel.0.close(200, "done".into()).await;
        q.message_count()
    });
    assert_eq!(
        &flow(&stdout),
        memory,
        "RabbitMQ flow differs from the in-memory one"
    );
    assert_eq!(
        u64::from(collected),
        published(&stdout),
        "the exchange `{system}` routed every event the demo printed"
    );
}

/// Runs the demo with its sagas in PostgreSQL, then counts them in the table and drops it.
fn postgres_run(conninfo: &str, binary: &Path, system: &str, memory: &BTreeMap<String, usize>) {
    let stdout = demo(binary, "memory", Some(conninfo));
    let table = format!("{system}_sagas");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let rows = runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(conninfo, tokio_postgres::NoTls)
            .await
            .expect("PostgreSQL answers");
        let driver = tokio::spawn(connection);
        let rows = client
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .await
            .map(|row| row.get::<_, i64>(0));
        let _ = client
            .batch_execute(&format!("DROP TABLE IF EXISTS {table}"))
            .await;
        drop(client);
        let _ = driver.await;
        rows
    });
    assert_eq!(
        &flow(&stdout),
        memory,
        "the flow with sagas in PostgreSQL differs"
    );
    let rows = rows.unwrap_or_else(|e| {
        let reason = e
            .as_db_error()
            .map_or_else(|| e.to_string(), |d| d.message().to_owned());
        panic!("the demo created {table}: {reason}")
    });
    assert!(rows > 0, "the demo's sagas are in {table}");
}

#[test]
fn the_generated_demo_runs_on_brokers_with_the_plain_url_and_postgres_as_in_memory() {
    let nats = server("NATS", "FISSURE_NATS_URL", "nats://127.0.0.1:4222");
    let amqp = server(
        "RabbitMQ",
        "FISSURE_AMQP_URL",
        "amqp://guest:guest@127.0.0.1:5672/%2f",
    );
    let postgres = server(
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
    let spec = std::fs::read_to_string(crate::support::fixture("hotel/fissure.yaml"))
        .expect("reads the spec");
    let renamed = spec.replacen("\nsystem: hotel\n", &format!("\nsystem: {system}\n"), 1);
    assert_ne!(renamed, spec, "the fixture names its system `hotel`");
    let ws = GeneratedWorkspace::generate(&renamed);
    let app = format!("{system}_app");
    ws.cargo_ok(&[
        "build",
        "-q",
        "-p",
        &app,
        "--features",
        "nats,rabbitmq,postgres",
    ]);
    let binary = generated_target_dir().join("debug").join(&system);

    let on_memory = demo(&binary, "memory", None);
    let memory = flow(&on_memory);
    assert!(
        memory.keys().any(|l| l.contains(".UserRegistered.v1")),
        "the demo prints the events it published: {memory:#?}"
    );
    assert!(published(&on_memory) > 0, "{on_memory}");
    if let Some(url) = nats {
        nats_run(&url, &binary, &system, &memory);
    }
    if let Some(url) = amqp {
        rabbitmq_run(&url, &binary, &system, &memory);
    }
    if let Some(conninfo) = postgres {
        postgres_run(&conninfo, &binary, &system, &memory);
    }
}
