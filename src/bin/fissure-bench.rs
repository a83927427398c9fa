//! fissure-bench: how long `analyze` takes and how much memory it needs, next to what merely
//! reading and parsing the same files costs.
//!
//!     cargo run --release --bin fissure-bench -- DIR [--workspace | --many] [--json]
//!
//! `--workspace` (default) measures DIR as one crate or workspace; `--many` measures every
//! package below DIR on its own (how cargo's registry cache is swept) and lists panics and
//! skipped files. Every phase runs in a child process of this binary (`--phase P DIR`), so
//! each one's peak RSS is its own and a panic is recorded instead of ending the run.
//! See docs/benchmarks.md.

#[path = "fissure_bench/child.rs"]
mod child;
#[path = "fissure_bench/phase.rs"]
mod phase;
#[path = "fissure_bench/render.rs"]
mod render;
#[path = "fissure_bench/targets.rs"]
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
    about = "Time and memory of fissure analyze vs parse-only"
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
    /// Also time each stage of the pipeline (one more child run per target).
    #[arg(long)]
    stages: bool,
    /// Measured runs per phase (the fastest is kept); a warm-up analyze always runs first.
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
    pub analyze: Option<Value>,
    pub parse: Option<Value>,
    pub stages: Option<Value>,
    pub parse_time: Sample,
    pub analyze_time: Sample,
}

/// The best of a phase's runs: fastest wall time, least CPU time, highest peak RSS.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sample {
    pub wall_ms: Option<f64>,
    pub cpu_ms: Option<f64>,
    pub peak_rss_kb: u64,
}

impl Sample {
    fn keep_best(&mut self, v: &Value) {
        let min = |best: Option<f64>, x: Option<f64>| match (best, x) {
            (Some(b), Some(x)) => Some(b.min(x)),
            (b, x) => b.or(x),
        };
        self.wall_ms = min(self.wall_ms, v["ms"].as_f64());
        self.cpu_ms = min(self.cpu_ms, v["cpu_ms"].as_f64());
        self.peak_rss_kb = self.peak_rss_kb.max(v["peak_rss_kb"].as_u64().unwrap_or(0));
    }
}

impl Row {
    fn new(name: String) -> Self {
        Row {
            name,
            status: Status::Ok,
            analyze: None,
            parse: None,
            stages: None,
            parse_time: Sample::default(),
            analyze_time: Sample::default(),
        }
    }

    pub fn num(&self, key: &str) -> u64 {
        self.analyze
            .as_ref()
            .and_then(|v| v[key].as_u64())
            .unwrap_or(0)
    }

    /// Analyze time over parse-only time, on wall clock.
    pub fn ratio(&self) -> Option<f64> {
        ratio(self.analyze_time.wall_ms, self.parse_time.wall_ms)
    }

    /// The same on CPU time, which the machine's other load does not skew.
    pub fn cpu_ratio(&self) -> Option<f64> {
        ratio(self.analyze_time.cpu_ms, self.parse_time.cpu_ms)
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
    // which is what the parse-only phase then reads.
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
    for _ in 0..args.runs.max(1) {
        let Some(p) = finished(
            &mut row,
            Phase::Parse,
            child::run(&spec(Phase::Parse, Some(list.clone()))),
        ) else {
            return row;
        };
        row.parse_time.keep_best(&p);
        row.parse = Some(p);
        let Some(a) = finished(
            &mut row,
            Phase::Analyze,
            child::run(&spec(Phase::Analyze, None)),
        ) else {
            return row;
        };
        row.analyze_time.keep_best(&a);
        if let Some(obj) = a.as_object() {
            let mut slim = obj.clone();
            slim.remove("file_paths");
            row.analyze = Some(Value::Object(slim));
        }
    }
    if args.stages {
        row.stages = finished(
            &mut row,
            Phase::Stages,
            child::run(&spec(Phase::Stages, None)),
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
