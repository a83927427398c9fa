//! Running one phase as a child process of this binary: spawn, feed stdin, wait with a
//! timeout, and classify the outcome (a JSON result, a panic, a crash or a timeout).

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::phase::Phase;

/// How a child ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It printed its JSON result (which may hold an `"error"` the pipeline returned).
    Done(Value),
    /// It panicked; the panic message and location.
    Panic(String),
    /// It died another way (stack overflow, a signal, bad output); the last lines of stderr.
    Crash(String),
    /// It ran past the timeout and was killed.
    Timeout,
}

pub struct ChildSpec<'a> {
    pub phase: Phase,
    pub dir: &'a Path,
    pub include_tests: bool,
    pub stdin: Option<String>,
    pub timeout: Duration,
}

pub fn run(spec: &ChildSpec) -> Outcome {
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => return Outcome::Crash(format!("cannot find own executable: {e}")),
    };
    let mut cmd = Command::new(exe);
    cmd.arg("--phase").arg(spec.phase.as_str()).arg(spec.dir);
    if spec.include_tests {
        cmd.arg("--include-tests");
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return Outcome::Crash(format!("cannot spawn: {e}")),
    };
    // Pipes are drained on their own threads so a chatty child never blocks on a full pipe.
    let input = spec.stdin.clone().unwrap_or_default();
    let stdin = child.stdin.take();
    let writer = thread::spawn(move || {
        if let Some(mut s) = stdin {
            let _ = s.write_all(input.as_bytes());
        }
    });
    let stdout = child.stdout.take();
    let out_reader = thread::spawn(move || drain(stdout));
    let stderr = child.stderr.take();
    let err_reader = thread::spawn(move || drain(stderr));
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() > spec.timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => thread::sleep(Duration::from_millis(2)),
            Err(_) => break None,
        }
    };
    let _ = writer.join();
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    let Some(status) = status else {
        return Outcome::Timeout;
    };
    if let Some(panic) = panic_message(&err) {
        return Outcome::Panic(panic);
    }
    if !status.success() {
        return Outcome::Crash(format!("{status}: {}", tail(&err, 5)));
    }
    match serde_json::from_str(&out) {
        Ok(v) => Outcome::Done(v),
        Err(e) => Outcome::Crash(format!("unreadable child output ({e}): {}", tail(&out, 3))),
    }
}

fn drain<R: Read>(pipe: Option<R>) -> String {
    let mut s = String::new();
    if let Some(mut p) = pipe {
        let _ = p.read_to_string(&mut s);
    }
    s
}

/// The default panic hook prints `thread '<name>' panicked at <file:line:col>:` and then
/// the message on the next line.
pub fn panic_message(stderr: &str) -> Option<String> {
    let mut lines = stderr.lines();
    let at = lines.find(|l| l.contains("panicked at"))?;
    let message = lines.next().unwrap_or("");
    Some(format!("{} {}", at.trim(), message.trim()))
}

fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_message_keeps_location_and_message() {
        let stderr = "warming up\nthread 'main' panicked at src/resolve/scope.rs:12:5:\nindex out of bounds\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            panic_message(stderr).as_deref(),
            Some("thread 'main' panicked at src/resolve/scope.rs:12:5: index out of bounds")
        );
        assert_eq!(panic_message("all good\n"), None);
    }

    #[test]
    fn tail_keeps_the_last_lines() {
        assert_eq!(tail("a\nb\nc\n", 2), "b | c");
        assert_eq!(tail("a", 5), "a");
    }
}
