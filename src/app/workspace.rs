//! The analysis stages wired together: discover → codebase → resolve → graph. Every command
//! that reads code starts here; the benchmark harness times the same stages through
//! [`Progress`].

use std::path::Path;

use crate::analysis::Analysis;
use crate::codebase::{self, BuildOptions};
use crate::diagnostics::Diagnostic;
use crate::discover::{self, FsLoader};
use crate::graph;
use crate::resolve;

use super::progress::{Progress, Stage, timed};

#[derive(Debug, Clone, Copy, Default)]
pub struct AnalyzeOptions {
    pub include_tests: bool,
}

/// Analyses the crate or workspace at `path`. Only a path that cannot be analysed at all
/// (missing, no Cargo.toml, unreadable root manifest) is an error; broken files inside
/// are reported in the result and skipped.
pub fn analyze_workspace(
    path: &Path,
    options: AnalyzeOptions,
    progress: &mut dyn Progress,
) -> Result<Analysis, Diagnostic> {
    let ws = timed(progress, Stage::Discover, || discover::discover(path))?;
    let codebase = timed(progress, Stage::Parse, || {
        codebase::build(
            &ws,
            &FsLoader,
            BuildOptions {
                include_tests: options.include_tests,
            },
        )
    });
    let resolution = timed(progress, Stage::Resolve, || resolve::resolve(&codebase));
    let graph = timed(progress, Stage::Graph, || {
        graph::build(&codebase, &resolution)
    });
    Ok(Analysis {
        codebase,
        resolution,
        graph,
    })
}
