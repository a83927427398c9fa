//! The measured phases. Each runs in a child process of its own (`fissure-bench --phase P
//! DIR`), so its peak RSS (VmHWM) is its own and a panic cannot take the harness down; the
//! child prints one JSON object on stdout.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde_json::{Value, json};

use fissure::codebase::{self, BuildOptions};
use fissure::discover::{self, FsLoader, read_source};
use fissure::graph;
use fissure::pipeline::{self, AnalyzeOptions};
use fissure::report::analysis::{self, AnalysisReport, Format};
use fissure::resolve;

/// A measured phase; `check` is timed inside `--stages`, the suggestion by `suggest-bench`.
/// The parent treats every phase alike (spawn, read JSON, keep `ms` and `peak_rss_kb`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Phase {
    /// Read + `syn::parse_file` of a given list of files (stdin, one path per line).
    Parse,
    /// `pipeline::analyze`: discover, load+parse+extract, resolve, graph.
    Analyze,
    /// The same stages called one by one and timed apart, plus building and rendering the
    /// JSON report (which `analyze` does not include).
    Stages,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Parse => "parse",
            Phase::Analyze => "analyze",
            Phase::Stages => "stages",
        }
    }
}

/// Runs `phase` in this process and returns what the child prints.
pub fn run(phase: Phase, dir: &Path, include_tests: bool) -> Value {
    let mut out = match phase {
        Phase::Parse => parse_only(),
        Phase::Analyze => analyze(dir, include_tests),
        Phase::Stages => stages(dir, include_tests),
    };
    let mem = memory();
    out["phase"] = json!(phase.as_str());
    out["peak_rss_kb"] = json!(mem.peak_kb);
    out["rss_kb"] = json!(mem.current_kb);
    out
}

/// Wall time and CPU time (all threads of this process) since it was started. Other
/// builds share the machine, so wall time swings with the load; CPU time does not.
struct Clock {
    wall: Instant,
    cpu_ns: u64,
}

impl Clock {
    fn start() -> Self {
        Clock {
            wall: Instant::now(),
            cpu_ns: cpu_ns(),
        }
    }

    /// `(wall ms, cpu ms)`.
    fn read(&self) -> (f64, f64) {
        let wall = self.wall.elapsed().as_secs_f64() * 1000.0;
        let cpu = cpu_ns().saturating_sub(self.cpu_ns) as f64 / 1e6;
        (wall, cpu)
    }
}

/// CPU time of every live thread of this process, in nanoseconds, from
/// `/proc/self/task/*/schedstat` (first field: time spent running). Rayon's workers live as
/// long as the process, so none of their time is lost; 0 where /proc is missing.
fn cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .filter_map(Result::ok)
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// The baseline: what reading and parsing the analysed files costs with nothing else. It
/// uses the analyzer's own reader (`read_source`: size limit, UTF-8 check), raw
/// `syn::parse_file` (no fact extraction) and the same global rayon pool, over a flat list
/// (the analyzer walks the module tree level by level, so this is the easier schedule).
/// Line counting is kept since the analyzer does it too. Span data is dropped per file as in
/// `fissure::syntax::parse_file`; without that, memory would grow with every file parsed.
fn parse_only() -> Value {
    let mut list = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut list) {
        return json!({ "error": format!("cannot read the file list on stdin: {e}") });
    }
    let files: Vec<PathBuf> = list
        .lines()
        .filter(|l| !l.is_empty())
        .map(PathBuf::from)
        .collect();
    let clock = Clock::start();
    let per_file: Vec<(u64, u64, bool, bool)> = files
        .par_iter()
        .map(|path| match read_source(path) {
            Ok(text) => {
                let lines = text.lines().count() as u64;
                let parsed = std::hint::black_box(syn::parse_file(&text)).is_ok();
                proc_macro2::extra::invalidate_current_thread_spans();
                (lines, text.len() as u64, parsed, true)
            }
            Err(_) => (0, 0, false, false),
        })
        .collect();
    let (wall, cpu) = clock.read();
    let lines: u64 = per_file.iter().map(|f| f.0).sum();
    let bytes: u64 = per_file.iter().map(|f| f.1).sum();
    let parse_errors = per_file.iter().filter(|f| f.3 && !f.2).count();
    let unreadable = per_file.iter().filter(|f| !f.3).count();
    json!({
        "ms": wall,
        "cpu_ms": cpu,
        "files": files.len(),
        "lines": lines,
        "bytes": bytes,
        "parse_errors": parse_errors,
        "unreadable": unreadable,
    })
}

fn analyze(dir: &Path, include_tests: bool) -> Value {
    let clock = Clock::start();
    let result = pipeline::analyze(dir, AnalyzeOptions { include_tests });
    let (wall, cpu) = clock.read();
    let analysis = match result {
        Ok(a) => a,
        Err(d) => return json!({ "error": d.message }),
    };
    // Measured while the analysis is still alive: what the result itself keeps.
    let retained_kb = memory().current_kb;
    let cb = &analysis.codebase;
    let res = &analysis.resolution;
    let mut skipped = Vec::new();
    for d in cb.parse_errors.iter().chain(&cb.diagnostics) {
        let (file, line, column) = match &d.location {
            Some(l) => (l.file.display().to_string(), l.line, l.column),
            None => (String::new(), 0, 0),
        };
        skipped.push(json!({
            "code": d.code.as_str(),
            "file": file,
            "line": line,
            "column": column,
            "message": d.message,
        }));
    }
    json!({
        "ms": wall,
        "cpu_ms": cpu,
        "retained_rss_kb": retained_kb,
        "crates": cb.crates.len(),
        "files": cb.files.len(),
        "lines": cb.files.iter().map(|f| u64::from(f.lines)).sum::<u64>(),
        "modules": cb.modules.len(),
        "items": res.items.len(),
        "refs": res.refs.len(),
        "resolved": res.stats.resolved,
        "unresolved": res.stats.unresolved,
        "external": res.stats.external,
        "module_edges": analysis.graph.module_edges.len(),
        "orphans": cb.orphans.len(),
        "skipped": skipped,
        "file_paths": cb.files.iter().map(|f| f.path.display().to_string()).collect::<Vec<_>>(),
    })
}

/// Mirrors `pipeline::analyze` stage by stage; keep the two in step. Each stage gets
/// `{ "ms": wall, "cpu_ms": cpu }`.
fn stages(dir: &Path, include_tests: bool) -> Value {
    let mut times = serde_json::Map::new();
    let mut lap = |name: &str, clock: Clock| {
        let (wall, cpu) = clock.read();
        times.insert(name.to_string(), json!({ "ms": wall, "cpu_ms": cpu }));
    };
    let total = Clock::start();
    let c = Clock::start();
    let ws = match discover::discover(dir) {
        Ok(ws) => ws,
        Err(d) => return json!({ "error": d.message }),
    };
    lap("1 discover", c);
    let c = Clock::start();
    let cb = codebase::build(&ws, &FsLoader, BuildOptions { include_tests });
    lap("2 load+parse+extract", c);
    let c = Clock::start();
    let res = resolve::resolve(&cb);
    lap("3 resolve", c);
    let c = Clock::start();
    let graph = graph::build(&cb, &res);
    lap("4 graph", c);
    let (wall, cpu) = total.read();
    let c = Clock::start();
    let violations = match fissure::spec::load("bench.yaml", &top_level_spec(&cb)) {
        (Some(spec), _) => fissure::check::check(&spec, &cb, &res).1.len(),
        (None, diagnostics) => {
            return json!({ "error": format!("synthetic spec: {diagnostics:?}") });
        }
    };
    lap(
        "6 check, one domain per top-level module (not in analyze)",
        c,
    );
    let c = Clock::start();
    let report = AnalysisReport::build(&dir.display().to_string(), &cb, &res, &graph);
    let rendered = analysis::render(&report, Format::Json, &mut std::io::sink()).is_ok();
    lap("5 report json (not in analyze)", c);
    json!({
        "ms": wall,
        "cpu_ms": cpu,
        "stages": times,
        "report_rendered": rendered,
        "check_violations": violations,
    })
}

/// A spec that makes every top-level module of every crate a domain, nothing public and no
/// dependency allowed: the heaviest case for `check`, since every cross-module reference is
/// a violation to build.
fn top_level_spec(cb: &fissure::codebase::Codebase) -> String {
    let mut yaml = String::from("version: 1\nsystem: bench\nunassigned: ignore\ndomains:\n");
    let mut n = 0;
    for c in &cb.crates {
        for name in cb.module(c.root).children.keys() {
            if name.starts_with("r#") {
                continue;
            }
            yaml.push_str(&format!(
                "  d{n}:\n    modules: [{0}::{name}, {0}::{name}::**]\n",
                c.target.name
            ));
            n += 1;
        }
    }
    if n == 0 {
        yaml.push_str("  d0:\n    modules: [crate]\n");
    }
    yaml
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
}
