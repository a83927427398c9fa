//! What the benchmark binaries share: a clock that reads wall and CPU time, a stage timer
//! that the application layer reports its stages to ([`fissure::app::Progress`]), and the
//! process's memory. The binaries call `fissure::app` exactly as the CLI does; nothing here
//! knows the stages' order or wiring.

use std::time::Instant;

use fissure::app::{Progress, Stage};
use serde_json::{Value, json};

/// Wall time and CPU time (all threads of this process) since it was started. Other
/// builds share the machine, so wall time swings with the load; CPU time does not.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    wall: Instant,
    cpu_ns: u64,
}

/// A measured span of time, in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Lap {
    pub wall_ms: f64,
    pub cpu_ms: f64,
}

impl Lap {
    pub fn to_json(self) -> Value {
        json!({ "ms": self.wall_ms, "cpu_ms": self.cpu_ms })
    }
}

impl Clock {
    pub fn start() -> Self {
        Clock {
            wall: Instant::now(),
            cpu_ns: cpu_ns(),
        }
    }

    pub fn read(&self) -> Lap {
        Lap {
            wall_ms: self.wall.elapsed().as_secs_f64() * 1000.0,
            cpu_ms: cpu_ns().saturating_sub(self.cpu_ns) as f64 / 1e6,
        }
    }
}

/// CPU time of every live thread of this process, in nanoseconds, from
/// `/proc/self/task/*/schedstat` (first field: time spent running). Rayon's workers live as
/// long as the process, so none of their time is lost; 0 where /proc is missing.
pub fn cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .filter_map(Result::ok)
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// The stages of the analysis proper (`app::analyze_workspace`); `analyze` adds the
/// suggestion and the report.
pub const ANALYSIS: [Stage; 4] = [Stage::Discover, Stage::Parse, Stage::Resolve, Stage::Graph];

/// Times every stage a command reports, in the order they ran. A stage that runs twice
/// (it cannot today) gets two laps.
#[derive(Debug, Default)]
pub struct StageTimer {
    running: Vec<(Stage, Clock)>,
    pub laps: Vec<(Stage, Lap)>,
}

impl Progress for StageTimer {
    fn begin(&mut self, stage: Stage) {
        self.running.push((stage, Clock::start()));
    }

    fn end(&mut self, stage: Stage) {
        if let Some(i) = self.running.iter().rposition(|(s, _)| *s == stage) {
            let (_, clock) = self.running.remove(i);
            self.laps.push((stage, clock.read()));
        }
    }
}

impl StageTimer {
    /// The sum of the laps of the stages in `stages`.
    pub fn total(&self, stages: &[Stage]) -> Lap {
        let mut sum = Lap::default();
        for (_, lap) in self.laps.iter().filter(|(s, _)| stages.contains(s)) {
            sum.wall_ms += lap.wall_ms;
            sum.cpu_ms += lap.cpu_ms;
        }
        sum
    }

    /// `{ "<n> <stage>": { "ms", "cpu_ms" } }`, numbered in the order the stages ran.
    pub fn to_json(&self) -> serde_json::Map<String, Value> {
        (self.laps.iter().enumerate())
            .map(|(i, (stage, lap))| (format!("{} {}", i + 1, stage_name(*stage)), lap.to_json()))
            .collect()
    }
}

/// The stage's name as the tables print it.
pub fn stage_name(stage: Stage) -> String {
    format!("{stage:?}").to_lowercase()
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Memory {
    /// VmHWM: the highest resident set size this process reached.
    pub peak_kb: u64,
    /// VmRSS: the resident set size now.
    pub current_kb: u64,
}

/// Reads this process's memory from `/proc/self/status` (Linux); zeros elsewhere.
pub fn memory() -> Memory {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| parse_status(&s))
        .unwrap_or_default()
}

pub fn parse_status(status: &str) -> Memory {
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    Memory {
        peak_kb: field("VmHWM:"),
        current_kb: field("VmRSS:"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_peak_and_current_rss_from_proc_status() {
        let status = "Name:\tfissure-bench\nVmPeak:\t  123456 kB\nVmHWM:\t   40960 kB\nVmRSS:\t   20480 kB\n";
        assert_eq!(
            parse_status(status),
            Memory {
                peak_kb: 40960,
                current_kb: 20480
            }
        );
        assert_eq!(parse_status("garbage"), Memory::default());
    }

    #[test]
    fn the_stage_timer_keeps_one_lap_per_reported_stage_in_order() {
        let mut timer = StageTimer::default();
        timer.begin(Stage::Discover);
        timer.end(Stage::Discover);
        timer.begin(Stage::Parse);
        timer.end(Stage::Parse);
        // An end without a begin is not a lap.
        timer.end(Stage::Graph);
        let stages: Vec<Stage> = timer.laps.iter().map(|(s, _)| *s).collect();
        assert_eq!(stages, [Stage::Discover, Stage::Parse]);
        let keys: Vec<String> = timer.to_json().keys().cloned().collect();
        assert_eq!(keys, ["1 discover", "2 parse"]);
    }
}
