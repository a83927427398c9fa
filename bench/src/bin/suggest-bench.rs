//! Benchmark harness of `fissure analyze` with the domain suggestion on a real workspace:
//! runs `fissure::app::analyze` with a stage timer and prints the analysis (discover →
//! graph) and the suggestion step separately. Run with
//! `cargo run --release -p fissure-bench --bin suggest-bench -- PATH [runs]`.

use bench::{ANALYSIS, StageTimer};
use fissure::app::{self, AnalyzeConfig, Stage};
use fissure::suggest::SuggestOptions;

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: suggest-bench PATH [runs]");
        return std::process::ExitCode::from(2);
    };
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let config = AnalyzeConfig {
        path: path.into(),
        include_tests: false,
        suggest: SuggestOptions::default(),
        git: false,
        pin: None,
        emit_spec: None,
        eval: None,
    };
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
