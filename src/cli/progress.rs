//! A spinner on stderr naming the stage a long run is in (indicatif), only when stderr is a
//! terminal and only once the run has taken [`DELAY`]: pipes, CI logs and quick runs stay
//! clean.

use std::io::IsTerminal;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::app::{Progress, Stage};

/// Runs shorter than this never show anything.
const DELAY: Duration = Duration::from_millis(700);
const TICK: Duration = Duration::from_millis(100);

pub struct Spinner {
    bar: ProgressBar,
    /// Dropped to tell the thread waiting out [`DELAY`] that the run is over.
    stop: Option<Sender<()>>,
    waiting: Option<JoinHandle<()>>,
}

impl Spinner {
    pub fn start() -> Spinner {
        let bar = ProgressBar::hidden();
        if !std::io::stderr().is_terminal() {
            return Spinner {
                bar,
                stop: None,
                waiting: None,
            };
        }
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}... {elapsed}") {
            bar.set_style(style);
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let shown = bar.clone();
        let waiting = std::thread::spawn(move || {
            if stopped.recv_timeout(DELAY) == Err(RecvTimeoutError::Timeout) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(TICK);
            }
        });
        Spinner {
            bar,
            stop: Some(stop),
            waiting: Some(waiting),
        }
    }
}

impl Progress for Spinner {
    fn begin(&mut self, stage: Stage) {
        self.bar.set_message(describe(stage));
    }
}

fn describe(stage: Stage) -> &'static str {
    match stage {
        Stage::Discover => "reading manifests",
        Stage::Parse => "parsing",
        Stage::Resolve => "resolving paths",
        Stage::Graph => "building the graph",
        Stage::History => "reading the git history",
        Stage::Suggest => "suggesting domains",
        Stage::Check => "checking boundaries",
        Stage::Plan => "planning the workspace",
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        // The waiting thread ends before the bar is cleared, so it cannot show it again.
        drop(self.stop.take());
        if let Some(waiting) = self.waiting.take() {
            let _ = waiting.join();
        }
        self.bar.finish_and_clear();
    }
}
