//! Benchmark harness of `fissure analyze` with the domain suggestion on a real workspace:
//! times the analysis (discover → graph) and the suggestion step separately and prints the
//! figures. Run with `cargo run --release --bin suggest-bench -- PATH [runs]`.

use std::time::Instant;

use fissure::pipeline::{AnalyzeOptions, analyze};
use fissure::suggest::{self, SuggestOptions};

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: suggest-bench PATH [runs]");
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
