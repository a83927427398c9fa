//! A consumer that really crashes: the test binary starts itself again as a child process
//! (its ignored test [`CHILD_TEST`]), the child subscribes and handles events, and the test
//! kills it with SIGKILL. Nothing runs in the child after that: no ack, no commit, no
//! connection closed politely; the broker sees a dead TCP peer, as after a power cut.
//!
//! The child writes each event id to a ledger file when its handler runs (the handler's effect
//! and inbox row in one write, as a handler committing both in one transaction does). Once it
//! has handled `hang_after` events, its handler writes the id and then never returns, so each
//! of its [`LANES`] lanes stops after one more event. The test waits for that, and a little
//! longer (for acks and commits of the finished events to go out), then kills: the kill lands,
//! every time, between a handler's effects and the ack that would have followed, the window
//! at-least-once delivery and the inbox exist for.

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fissure_runtime::{Bus, Envelope, Subscription, Transport, handler_fn};
use uuid::Uuid;

/// The name of the ignored test each broker test binary declares to run [`child_main`].
pub const CHILD_TEST: &str = "crash_child";
/// What the child is to do: url, event type, subscription, ledger path, hang_after (one per
/// line).
const ENV: &str = "FISSURE_CRASH_CHILD";
const SUBSCRIBED: &str = "subscribed";
/// The child's lanes: as many handlers stuck after their effects when it is killed.
pub const LANES: usize = 8;

/// The consumer process, seen from the test.
pub struct Child {
    process: std::process::Child,
    ledger: PathBuf,
}

impl Child {
    /// Starts the child consumer of `subscription` to `event_type` on `url`, and waits until
    /// it has subscribed.
    pub fn start(url: &str, event_type: &str, subscription: &str, hang_after: usize) -> Self {
        let ledger = std::env::temp_dir().join(format!("{}.ledger", super::unique("crash")));
        let spec = [
            url,
            event_type,
            subscription,
            &ledger.display().to_string(),
            &hang_after.to_string(),
        ]
        .join("\n");
        let process = Command::new(std::env::current_exe().unwrap())
            .args([CHILD_TEST, "--exact", "--ignored", "--nocapture", "-q"])
            .env(ENV, spec)
            // The child's stdin is this pipe: when the test process dies, the child does too.
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start the child consumer");
        let mut child = Self { process, ledger };
        child.wait_for("to subscribe", |lines| {
            lines.iter().any(|l| l == SUBSCRIBED)
        });
        child
    }

    /// Waits until every lane of the child is stuck in a handler that wrote its effects, then
    /// gives the acks and commits of the events handled before that time to go out (a
    /// transport acking before its handler finished would have acked the stuck ones too; a
    /// periodic commit needs a moment). Not a speed assertion: a slow child only makes the
    /// test wait longer.
    pub fn wait_all_lanes_stuck(&mut self, hang_after: usize) {
        let n = hang_after + LANES;
        self.wait_for(&format!("to handle {n} events"), |lines| {
            lines.iter().filter(|l| *l != SUBSCRIBED).count() >= n
        });
        std::thread::sleep(Duration::from_millis(300));
    }

    /// Polls the ledger until `done`; fails if the child exits or takes over two minutes (a
    /// hang detector, not a speed assertion).
    fn wait_for(&mut self, what: &str, done: impl Fn(&[String]) -> bool) {
        let started = Instant::now();
        loop {
            if done(&self.lines()) {
                return;
            }
            if let Some(status) = self.process.try_wait().unwrap() {
                panic!("the child consumer exited ({status}) before it came {what}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "the child consumer did not come {what} within 120 s"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn lines(&self) -> Vec<String> {
        let text = std::fs::read_to_string(&self.ledger).unwrap_or_default();
        // Only whole lines: the last one may be half written.
        let whole = text.rfind('\n').map_or("", |end| &text[..end]);
        whole.lines().map(str::to_owned).collect()
    }

    /// SIGKILL, then the ids the child's handler ran on, in the order it ran them.
    pub fn kill(mut self) -> Vec<Uuid> {
        self.process.kill().expect("kill the child consumer");
        self.process.wait().unwrap();
        self.lines()
            .iter()
            .filter(|l| *l != SUBSCRIBED)
            .map(|l| l.parse().expect("a handled event id"))
            .collect()
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        let _ = std::fs::remove_file(&self.ledger);
    }
}

/// The child's side: does nothing unless started by [`Child::start`].
pub fn child_main() {
    let Ok(spec) = std::env::var(ENV) else {
        eprintln!("{CHILD_TEST}: runs only as the child process of a kill test");
        return;
    };
    let [url, event_type, subscription, ledger, hang_after] =
        <[&str; 5]>::try_from(spec.lines().collect::<Vec<_>>()).expect(ENV);
    let hang_after: usize = hang_after.parse().expect(ENV);
    std::thread::spawn(|| {
        let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
        std::process::exit(3);
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(ledger)
            .expect("the ledger");
        let file = Arc::new(Mutex::new(file));
        let handled = Arc::new(AtomicUsize::new(0));
        let bus = Bus::connect(url).await.expect("the child connects");
        let f = Arc::clone(&file);
        bus.subscribe(
            Subscription::new(subscription, [event_type]).with_lanes(LANES),
            handler_fn(move |e: &Envelope| {
                // The count is taken under the ledger's lock: taken after it, two lanes
                // could swap places, so that the lane whose line is the last handled one
                // hangs while the lane of a "stuck" line finishes and acks, and the test
                // would see a stuck event acknowledged (it did, once).
                let n = {
                    let mut ledger = f.lock().unwrap();
                    append_line(&mut ledger, &e.id().to_string());
                    handled.fetch_add(1, Ordering::SeqCst) + 1
                };
                async move {
                    if n > hang_after {
                        std::future::pending::<()>().await;
                    }
                    Ok(())
                }
            }),
        )
        .await
        .expect("the child subscribes");
        write_line(&file, SUBSCRIBED);
        std::future::pending::<()>().await;
    });
}

/// One `write` of a whole line on an append-only file: the kernel has it once the call
/// returns, so SIGKILL cannot lose it.
fn write_line(file: &Mutex<File>, line: &str) {
    append_line(&mut file.lock().unwrap(), line);
}

fn append_line(file: &mut File, line: &str) {
    file.write_all(format!("{line}\n").as_bytes())
        .expect("the ledger");
}
