//! Benchmark harness of `fissure analyze` with the domain suggestion.
//!
//! * `suggest-bench PATH [runs]` runs `fissure::app::analyze` on a real workspace with a stage
//!   timer and prints the analysis (discover → graph) and the suggestion step separately. Run
//!   with `cargo run --release -p fissure-bench --bin suggest-bench -- PATH [runs]`.
//! * `suggest-bench eval --truths DIR --sources DIR [--seeds 1-10] [--grid KEY=V1,V2 ...]`
//!   runs the evaluation protocol over every `<name>.truth.yaml` of the truths folder, each
//!   project's code being `<sources>/<name>` (plus the truth file's `root`): in-sample and
//!   leave-one-project-out MoJoFM, both baselines, ARI across seeds, name matches. Grid keys:
//!   `resolution` and the layer weights (`references`, `tables`, `vocabulary`, `modules`,
//!   `parent`, `names`); the grid is their cartesian product. `--dump DIR` also writes each
//!   project's suggested domains with their labelled modules and labels to
//!   `DIR/<name>.placements.txt`.
//! * `suggest-bench wide [N ...]` times the suggestion on one module of N one-line fns
//!   (default 12,500, 25,000 and 50,000), written into a temporary folder: the scaling case.
//! * `suggest-bench subjects PATH` prints every module of the workspace with the cross-layer
//!   subject the `names` layer gives it (`fissure::suggest::subjects`) and its suggested
//!   domain, to review that signal.
//! * `suggest-bench items PATH [MODULE_PREFIX]` prints every clustered item with its domain
//!   (or kernel reason) and its strongest links per evidence layer: why an item landed there.
//! * `suggest-bench domains --truths DIR --sources DIR` prints every suggested domain of every
//!   labelled project with its place in the domain graph, its tables and its majority label.
//! * `suggest-bench seeds --truths DIR --sources DIR [--seeds 1-10] [--grid ..]` prints each
//!   project's MoJoFM mean, minimum and maximum over the seeds, per grid point: the
//!   protocol scores one seed, and a change is told from that seed's noise here.

mod suggest_bench;

use bench::{ANALYSIS, StageTimer};
use fissure::app::{self, AnalyzeConfig, Stage};

/// `eval`, `wide` or `subjects`: its arguments, then what went wrong.
type Subcommand = fn(&[String]) -> Result<(), String>;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sub: Option<Subcommand> = match args.first().map(String::as_str) {
        Some("eval") => Some(suggest_bench::eval),
        Some("wide") => Some(suggest_bench::wide::wide),
        Some("subjects") => Some(suggest_bench::subjects),
        Some("items") => Some(suggest_bench::items::items),
        Some("seeds") => Some(suggest_bench::items::seeds),
        Some("domains") => Some(suggest_bench::census::domains),
        _ => None,
    };
    if let Some(sub) = sub {
        return match sub(&args[1..]) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                std::process::ExitCode::from(2)
            }
        };
    }
    let mut args = args.into_iter();
    let Some(path) = args.next() else {
        eprintln!(
            "usage: suggest-bench PATH [runs] | eval --truths DIR --sources DIR | seeds --truths DIR --sources DIR | domains --truths DIR --sources DIR | wide [N ...] | subjects PATH | items PATH [MODULE_PREFIX]"
        );
        return std::process::ExitCode::from(2);
    };
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let config = AnalyzeConfig::plain(path, false);
    for run in 1..=runs {
        let mut timer = StageTimer::default();
        let outcome = match app::analyze(&config, &mut timer) {
            Ok(outcome) => outcome,
            Err(failure) => {
                eprintln!("error: {failure}");
                return std::process::ExitCode::from(2);
            }
        };
        let analysis = &outcome.analysis;
        let s = &outcome.suggestion;
        let analyze_s = timer.total(&ANALYSIS).wall_ms / 1000.0;
        let suggest_s = timer.total(&[Stage::Suggest]).wall_ms / 1000.0;
        let lines: u64 = analysis
            .codebase
            .files
            .iter()
            .map(|f| u64::from(f.lines))
            .sum();
        println!(
            "run {run}: {lines} lines, {} items, {} modules, {} references ({} unresolved), {} table accesses: analyze {analyze_s:.3} s, suggest {suggest_s:.3} s ({} domains, {} crossings, {} event candidates)",
            analysis.resolution.items.len(),
            analysis.codebase.modules.len(),
            analysis.resolution.refs.len(),
            analysis.resolution.stats.unresolved,
            (analysis.codebase.modules.iter())
                .map(|m| m.facts.tables.len())
                .sum::<usize>(),
            s.domains.len(),
            s.crossings.len(),
            s.events.len()
        );
    }
    std::process::ExitCode::SUCCESS
}
