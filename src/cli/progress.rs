//! A spinner on stderr while a long run works, only when stderr is a terminal: pipes and
//! CI logs stay clean.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub struct Progress {
    done: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

/// Runs shorter than this never show anything.
const DELAY: Duration = Duration::from_millis(700);

impl Progress {
    pub fn start(what: &'static str) -> Progress {
        let done = Arc::new(AtomicBool::new(false));
        if !std::io::stderr().is_terminal() {
            return Progress { done, handle: None };
        }
        let flag = Arc::clone(&done);
        let handle = std::thread::spawn(move || {
            let started = Instant::now();
            let frames = ['|', '/', '-', '\\'];
            let mut i = 0;
            let mut shown = false;
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                if started.elapsed() < DELAY {
                    continue;
                }
                shown = true;
                let mut err = std::io::stderr().lock();
                let _ = write!(
                    err,
                    "\r{} {what}... {:.1}s",
                    frames[i % frames.len()],
                    started.elapsed().as_secs_f64()
                );
                let _ = err.flush();
                i += 1;
            }
            if shown {
                let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
            }
        });
        Progress {
            done,
            handle: Some(handle),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
