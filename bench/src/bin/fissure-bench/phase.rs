//! The measured phases. Each runs in a child process of its own (`fissure-bench --phase P
//! DIR`), so its peak RSS (VmHWM) is its own and a panic cannot take the harness down; the
//! child prints one JSON object on stdout. `analyze` and `check` call `fissure::app` as the
//! CLI does, with a [`StageTimer`] as their progress; the floors call syn alone.

use std::io::Read;
use std::path::{Path, PathBuf};

use bench::{ANALYSIS, Clock, Lap, StageTimer, memory};
use fissure::app::{
    self, AnalyzeConfig, AnalyzeProduct, CheckConfig, LevelOverrides, ReportConfig, Stage,
    analyze_workspace,
};
use fissure::codebase::Codebase;
use fissure::report::analysis::{self, Format};
use fissure::suggest::SuggestOptions;
use serde_json::{Value, json};

use super::floor;

/// A measured phase; the suggestion's own harness is `suggest-bench`. The parent treats
/// every phase alike (spawn, read JSON, keep `ms` and `peak_rss_kb`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Phase {
    /// The parse floor of the files analyze reached: read + `syn::parse_file` of a given
    /// list of files (stdin, one path per line), on rayon.
    Parse,
    /// The same over every `.rs` file below DIR (outside `target/` and hidden folders).
    ParseAll,
    /// `fissure analyze --format json` without the argument parsing: `app::analyze`, then
    /// the JSON report rendered into a sink. Each stage timed.
    Analyze,
    /// `app::check` with a worst-case spec (every top-level module a domain).
    Check,
    /// The page of `fissure report --spec` with the same spec (`app::report::build_page`,
    /// nothing written): each stage timed, and `analyses` counts how often the workspace
    /// was parsed. Run on its own: `fissure-bench --phase report DIR`.
    Report,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Parse => "parse",
            Phase::ParseAll => "parse-all",
            Phase::Analyze => "analyze",
            Phase::Check => "check",
            Phase::Report => "report",
        }
    }
}

/// Runs `phase` in this process and returns what the child prints.
pub fn run(phase: Phase, dir: &Path, include_tests: bool) -> Value {
    let mut out = match phase {
        Phase::Parse => match file_list() {
            Ok(files) => floor::parse(&files),
            Err(e) => json!({ "error": format!("cannot read the file list on stdin: {e}") }),
        },
        Phase::ParseAll => floor::parse(&floor::rust_files_below(dir)),
        Phase::Analyze => analyze(dir, include_tests),
        Phase::Check => check(dir, include_tests),
        Phase::Report => report(dir, include_tests),
    };
    let mem = memory();
    out["phase"] = json!(phase.as_str());
    out["peak_rss_kb"] = json!(mem.peak_kb);
    out["rss_kb"] = json!(mem.current_kb);
    out
}

fn file_list() -> std::io::Result<Vec<PathBuf>> {
    let mut list = String::new();
    std::io::stdin().read_to_string(&mut list)?;
    Ok((list.lines())
        .filter(|l| !l.is_empty())
        .map(PathBuf::from)
        .collect())
}

fn analyze(dir: &Path, include_tests: bool) -> Value {
    let config = AnalyzeConfig::plain(dir, include_tests);
    let mut timer = StageTimer::default();
    let clock = Clock::start();
    let outcome = match app::analyze(&config, &mut timer) {
        Ok(outcome) => outcome,
        Err(failure) => return json!({ "error": failure.to_string() }),
    };
    let staged = clock.read();
    let render = Clock::start();
    let rendered = match &outcome.product {
        AnalyzeProduct::Report(report) => {
            analysis::render(report, Format::Json, &mut std::io::sink()).is_ok()
        }
        AnalyzeProduct::Evaluation(_) => false,
    };
    let render = render.read();
    let total = clock.read();
    // Measured while the outcome is still alive: what the result itself keeps.
    let retained_kb = memory().current_kb;
    let mut stages = timer.to_json();
    // `app::analyze` builds the report after the last stage it reports.
    let reported = timer.total(&[&ANALYSIS[..], &[Stage::Suggest]].concat());
    let report_build = Lap {
        wall_ms: staged.wall_ms - reported.wall_ms,
        cpu_ms: staged.cpu_ms - reported.cpu_ms,
    };
    stages.insert(
        format!("{} report build", stages.len() + 1),
        report_build.to_json(),
    );
    stages.insert(
        format!("{} report json", stages.len() + 1),
        render.to_json(),
    );
    let mut out = counts(&outcome.analysis);
    out["ms"] = json!(total.wall_ms);
    out["cpu_ms"] = json!(total.cpu_ms);
    out["analysis"] = timer.total(&ANALYSIS).to_json();
    out["stages"] = Value::Object(stages);
    out["report_rendered"] = json!(rendered);
    out["retained_rss_kb"] = json!(retained_kb);
    out
}

/// What the analysis found, the files it skipped and the paths of the files it reached.
fn counts(analysis: &fissure::analysis::Analysis) -> Value {
    let cb = &analysis.codebase;
    let res = &analysis.resolution;
    let skipped: Vec<Value> = (cb.parse_errors.iter().chain(&cb.diagnostics))
        .map(|d| {
            let (file, line, column) = match &d.location {
                Some(l) => (l.file.display().to_string(), l.line, l.column),
                None => (String::new(), 0, 0),
            };
            json!({
                "code": d.code.as_str(),
                "file": file,
                "line": line,
                "column": column,
                "message": d.message,
            })
        })
        .collect();
    json!({
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

/// `check` against a spec that makes every top-level module a domain.
fn check(dir: &Path, include_tests: bool) -> Value {
    with_top_level_spec(dir, include_tests, |spec| {
        let config = CheckConfig {
            path: dir.to_path_buf(),
            spec: spec.to_path_buf(),
            baseline: None,
            include_tests,
            snippets: false,
            levels: LevelOverrides::default(),
        };
        let mut timer = StageTimer::default();
        let clock = Clock::start();
        let outcome = app::check(&config, &mut timer);
        let total = clock.read();
        match outcome {
            Ok(outcome) => json!({
                "ms": total.wall_ms,
                "cpu_ms": total.cpu_ms,
                "stages": timer.to_json(),
                "check": timer.total(&[Stage::Check]).to_json(),
                "findings": outcome.findings.len(),
            }),
            Err(failure) => json!({ "error": failure.to_string() }),
        }
    })
}

/// The report page against a spec that makes every top-level module a domain.
fn report(dir: &Path, include_tests: bool) -> Value {
    with_top_level_spec(dir, include_tests, |spec| {
        let config = ReportConfig {
            path: dir.to_path_buf(),
            spec: Some(spec.to_path_buf()),
            out: PathBuf::new(),
            include_tests,
            suggest: SuggestOptions::default(),
        };
        let mut timer = StageTimer::default();
        let clock = Clock::start();
        let page = app::report::build_page(&config, &mut timer);
        let total = clock.read();
        let analyses = (timer.laps.iter())
            .filter(|(s, _)| *s == Stage::Parse)
            .count();
        match page {
            Ok(page) => json!({
                "ms": total.wall_ms,
                "cpu_ms": total.cpu_ms,
                "stages": timer.to_json(),
                "analyses": analyses,
                "modules": page.modules.len(),
            }),
            Err(failure) => json!({ "error": failure.to_string() }),
        }
    })
}

/// Runs `work` with a spec that makes every top-level module of `dir` a domain, written to
/// a temporary file first (the commands read their spec from disk) and removed after.
fn with_top_level_spec(
    dir: &Path,
    include_tests: bool,
    work: impl FnOnce(&Path) -> Value,
) -> Value {
    let analysis =
        match analyze_workspace(dir, app::AnalyzeOptions { include_tests }, &mut app::Quiet) {
            Ok(a) => a,
            Err(d) => return json!({ "error": d.message }),
        };
    let spec = std::env::temp_dir().join(format!("fissure-bench-{}.yaml", std::process::id()));
    if let Err(e) = std::fs::write(&spec, top_level_spec(&analysis.codebase)) {
        return json!({ "error": format!("cannot write {}: {e}", spec.display()) });
    }
    let out = work(&spec);
    let _ = std::fs::remove_file(&spec);
    out
}

/// A spec that makes every top-level module of every crate a domain, nothing public and no
/// dependency allowed: the heaviest case for `check`, since every cross-module reference is
/// a finding to build.
fn top_level_spec(cb: &Codebase) -> String {
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
