//! Benchmark harness of `fissure analyze` with the domain suggestion.
//!
//! * `suggest-bench PATH [runs]` times the analysis (discover → graph) and the suggestion step
//!   separately on a real workspace and prints the figures.
//! * `suggest-bench eval --truths DIR --sources DIR [--seeds 1-10] [--grid KEY=V1,V2 ...]`
//!   runs the evaluation protocol over every `<name>.truth.yaml` of the truths folder, each
//!   project's code being `<sources>/<name>` (plus the truth file's `root`): in-sample and
//!   leave-one-project-out MoJoFM, both baselines, ARI across seeds, name matches. Grid keys:
//!   `resolution` and the layer weights (`references`, `tables`, `vocabulary`, `modules`,
//!   `parent`, `names`); the grid is their cartesian product.

mod suggest_bench;

use std::time::Instant;

use fissure::pipeline::{AnalyzeOptions, analyze};
use fissure::suggest::{self, SuggestOptions};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("eval") {
        return match suggest_bench::eval(&args[1..]) {
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
            "usage: suggest-bench PATH [runs] | suggest-bench eval --truths DIR --sources DIR"
        );
        return std::process::ExitCode::from(2);
    };
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    for run in 1..=runs {
        let t = Instant::now();
        let analysis = match analyze(std::path::Path::new(&path), AnalyzeOptions::default()) {
            Ok(a) => a,
            Err(d) => {
                eprintln!("error: {}", d.message);
                return std::process::ExitCode::from(2);
            }
        };
        let analyze_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let s = suggest::suggest(&analysis, &SuggestOptions::default());
        let suggest_s = t.elapsed().as_secs_f64();
        let lines: u64 = analysis
            .codebase
            .files
            .iter()
            .map(|f| u64::from(f.lines))
            .sum();
        println!(
            "run {run}: {lines} lines, {} items, {} modules: analyze {analyze_s:.3} s, suggest {suggest_s:.3} s ({} domains, {} crossings, {} event candidates)",
            analysis.resolution.items.len(),
            analysis.codebase.modules.len(),
            s.domains.len(),
            s.crossings.len(),
            s.events.len()
        );
    }
    std::process::ExitCode::SUCCESS
}
