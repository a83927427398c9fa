//! fissure-bench: how long `analyze --format json` takes and how much memory it needs, next
//! to the parse floor: what merely reading and parsing the same files costs.
//!
//!     cargo run --release -p fissure-bench --bin fissure-bench -- DIR [--workspace | --many] [--json]
//!
//! `--workspace` (default) measures DIR as one crate or workspace; `--many` measures every
//! package below DIR on its own (how cargo's registry cache is swept) and lists panics and
//! skipped files. Every phase runs in a child process of this binary (`--phase P DIR`), so
//! each one's peak RSS is its own and a panic is recorded instead of ending the run.
//! See docs/benchmarks.md.

mod child;
mod floor;
mod phase;
mod render;
mod targets;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use serde_json::Value;

use child::{ChildSpec, Outcome};
use phase::Phase;

#[derive(Debug, Parser)]
#[command(
    name = "fissure-bench",
    about = "Time and memory of fissure analyze vs the parse floor"
)]
struct Args {
    /// The corpus folder.
    dir: PathBuf,
    /// DIR is one crate or workspace: analyse it once (the default).
    #[arg(long, conflicts_with = "many")]
    workspace: bool,
    /// Analyse every package below DIR separately (folders with a Cargo.toml holding
    /// `[package]`; the search does not descend into a package).
    #[arg(long)]
    many: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Also write the JSON to this file (the table still goes to stdout).
    #[arg(long, value_name = "FILE")]
    json_out: Option<PathBuf>,
    /// Also time `check` with a worst-case spec (one more child run per target).
    #[arg(long)]
    check: bool,
    /// Measured runs per phase (the median is reported); a warm-up analyze always runs first.
    #[arg(long, default_value_t = 1)]
    runs: u32,
    /// Pass `--include-tests` to the analysis.
    #[arg(long)]
    include_tests: bool,
    /// Seconds before a child is killed and recorded as a timeout.
    #[arg(long, default_value_t = 300)]
    timeout: u64,
    /// With --many: measure only the first N packages (sorted by path).
    #[arg(long)]
    limit: Option<usize>,
    /// Internal: run one phase in this process and print its JSON.
    #[arg(long, value_enum, hide = true)]
    phase: Option<Phase>,
}

/// What happened to one target.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Ok,
    /// The pipeline refused the folder (no crate, unreadable manifest): not a bug.
    Error(String),
    Panic(Phase, String),
    Crash(Phase, String),
    Timeout(Phase),
}

/// The measurements of one target (a workspace, or one package of `--many`).
#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    pub status: Status,
    /// The last analyze run's counts and per-stage times.
    pub analyze: Option<Value>,
    pub parse: Option<Value>,
    pub parse_all: Option<Value>,
    pub check: Option<Value>,
    /// The parse floor of the files analyze reached.
    pub parse_time: Sample,
    /// The parse floor of every `.rs` file below the target.
    pub parse_all_time: Sample,
    /// `analyze --format json`: the whole command.
    pub analyze_time: Sample,
    /// Its analysis stages alone (discover, parse, resolve, graph).
    pub analysis_time: Sample,
}

/// Every run of a phase: wall and CPU times (the median is reported), highest peak RSS.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sample {
    walls: Vec<f64>,
    cpus: Vec<f64>,
    pub peak_rss_kb: u64,
}

impl Sample {
    /// Records a run from `v`'s `ms`, `cpu_ms` and `peak_rss_kb`.
    fn add(&mut self, v: &Value) {
        if let Some(ms) = v["ms"].as_f64() {
            self.walls.push(ms);
        }
        if let Some(ms) = v["cpu_ms"].as_f64() {
            self.cpus.push(ms);
        }
        self.peak_rss_kb = self.peak_rss_kb.max(v["peak_rss_kb"].as_u64().unwrap_or(0));
    }

    pub fn wall_ms(&self) -> Option<f64> {
        median(&self.walls)
    }

    pub fn cpu_ms(&self) -> Option<f64> {
        median(&self.cpus)
    }

    pub fn runs(&self) -> usize {
        self.walls.len()
    }
}

/// The middle value (the mean of the two middle ones for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

impl Row {
    fn new(name: String) -> Self {
        Row {
            name,
            status: Status::Ok,
            analyze: None,
            parse: None,
            parse_all: None,
            check: None,
            parse_time: Sample::default(),
            parse_all_time: Sample::default(),
            analyze_time: Sample::default(),
            analysis_time: Sample::default(),
        }
    }

    pub fn num(&self, key: &str) -> u64 {
        self.analyze
            .as_ref()
            .and_then(|v| v[key].as_u64())
            .unwrap_or(0)
    }

    /// Analyze time over the parse floor of the files it reached, on wall clock.
    pub fn ratio(&self) -> Option<f64> {
        ratio(self.analyze_time.wall_ms(), self.parse_time.wall_ms())
    }

    /// Analyze time over the parse floor of every `.rs` file of the tree, on wall clock.
    pub fn ratio_all(&self) -> Option<f64> {
        ratio(self.analyze_time.wall_ms(), self.parse_all_time.wall_ms())
    }

    /// The same as [`Row::ratio`] on CPU time, which the machine's other load skews less.
    pub fn cpu_ratio(&self) -> Option<f64> {
        ratio(self.analyze_time.cpu_ms(), self.parse_time.cpu_ms())
    }
}

pub fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(phase) = args.phase {
        let out = phase::run(phase, &args.dir, args.include_tests);
        println!("{out}");
        return ExitCode::SUCCESS;
    }
    if !args.dir.is_dir() {
        eprintln!("error: {} is not a folder", args.dir.display());
        return ExitCode::from(2);
    }
    let dirs = if args.many {
        let mut found = targets::packages_below(&args.dir);
        if let Some(n) = args.limit {
            found.truncate(n);
        }
        found
    } else {
        vec![args.dir.clone()]
    };
    let mut rows = Vec::new();
    for (i, dir) in dirs.iter().enumerate() {
        let name = targets::display_name(&args.dir, dir);
        if args.many {
            eprintln!("[{}/{}] {name}", i + 1, dirs.len());
        }
        let row = measure(&args, dir, name);
        // A sweep of hundreds of packages takes a while: say what broke as it happens.
        if args.many && !matches!(row.status, Status::Ok) {
            eprintln!("  {}: {}", row.name, render::status_text(&row.status));
        }
        rows.push(row);
    }
    let mode = if args.many { "many" } else { "workspace" };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = if args.json {
        render::json(&mut out, mode, &args.dir, &rows)
    } else {
        render::table(&mut out, &rows, args.many)
    };
    if let Err(e) = written {
        eprintln!("error: cannot write the report: {e}");
        return ExitCode::from(2);
    }
    if let Some(path) = &args.json_out {
        let mut text = Vec::new();
        let saved = render::json(&mut text, mode, &args.dir, &rows)
            .and_then(|()| std::fs::write(path, text));
        if let Err(e) = saved {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    let broken = rows
        .iter()
        .any(|r| matches!(r.status, Status::Panic(..) | Status::Crash(..)));
    if broken {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn measure(args: &Args, dir: &Path, name: String) -> Row {
    let mut row = Row::new(name);
    let spec = |phase, stdin| ChildSpec {
        phase,
        dir,
        include_tests: args.include_tests,
        stdin,
        timeout: Duration::from_secs(args.timeout),
    };
    // The warm-up fills the page cache and yields the list of files the analysis reaches,
    // which is what the parse floor then reads.
    let warm = match finished(
        &mut row,
        Phase::Analyze,
        child::run(&spec(Phase::Analyze, None)),
    ) {
        Some(v) => v,
        None => return row,
    };
    let list: String = warm["file_paths"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p.as_str()))
        .into_iter()
        .flatten()
        .flat_map(|p| [p, "\n"])
        .collect();
    // The phases take turns within each run, so a change in the machine's load shows in
    // all of them alike.
    for _ in 0..args.runs.max(1) {
        let Some(p) = finished(
            &mut row,
            Phase::Parse,
            child::run(&spec(Phase::Parse, Some(list.clone()))),
        ) else {
            return row;
        };
        row.parse_time.add(&p);
        row.parse = Some(p);
        let Some(p) = finished(
            &mut row,
            Phase::ParseAll,
            child::run(&spec(Phase::ParseAll, None)),
        ) else {
            return row;
        };
        row.parse_all_time.add(&p);
        row.parse_all = Some(p);
        let Some(mut a) = finished(
            &mut row,
            Phase::Analyze,
            child::run(&spec(Phase::Analyze, None)),
        ) else {
            return row;
        };
        row.analyze_time.add(&a);
        row.analysis_time.add(&a["analysis"]);
        if let Some(obj) = a.as_object_mut() {
            obj.remove("file_paths");
        }
        row.analyze = Some(a);
    }
    if args.check {
        row.check = finished(
            &mut row,
            Phase::Check,
            child::run(&spec(Phase::Check, None)),
        );
    }
    row
}

/// The child's JSON when it finished cleanly; otherwise records why on the row.
fn finished(row: &mut Row, phase: Phase, outcome: Outcome) -> Option<Value> {
    match outcome {
        Outcome::Done(v) => {
            if let Some(e) = v["error"].as_str() {
                row.status = Status::Error(e.to_string());
                return None;
            }
            Some(v)
        }
        Outcome::Panic(m) => {
            row.status = Status::Panic(phase, m);
            None
        }
        Outcome::Crash(m) => {
            row.status = Status::Crash(phase, m);
            None
        }
        Outcome::Timeout => {
            row.status = Status::Timeout(phase);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_middle_run_or_the_mean_of_the_two_middle_ones() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }
}
