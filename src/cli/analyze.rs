//! `fissure analyze PATH`: the analysis report in the chosen format.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::pipeline::{self, AnalyzeOptions};
use crate::report::analysis::{self, AnalysisReport, Format};

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// A crate or a workspace root (a folder with Cargo.toml).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Analyse `#[cfg(test)]` modules and `#[test]` functions too.
    #[arg(long)]
    pub include_tests: bool,
    /// Also list, on stderr, paths that named nothing fissure could find.
    #[arg(long)]
    pub show_unresolved: bool,
}

pub fn run(args: &AnalyzeArgs) -> ExitCode {
    let progress = super::progress::Progress::start("analysing");
    let result = pipeline::analyze(
        &args.path,
        AnalyzeOptions {
            include_tests: args.include_tests,
        },
    );
    drop(progress);
    let analysis = match result {
        Ok(a) => a,
        Err(d) => return super::input_error(&d),
    };
    if args.show_unresolved {
        let cb = &analysis.codebase;
        for u in &analysis.resolution.unresolved {
            eprintln!(
                "{}:{}:{}: unresolved `{}` in {}",
                cb.file(u.file).display,
                u.pos.line,
                u.pos.column,
                u.path,
                cb.module(u.module).path
            );
        }
    }
    let report = AnalysisReport::build(
        &args.path.display().to_string(),
        &analysis.codebase,
        &analysis.resolution,
        &analysis.graph,
    );
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if let Err(e) = analysis::render(&report, args.format, &mut out).and_then(|()| out.flush()) {
        return super::io_failure(&e);
    }
    ExitCode::SUCCESS
}
