//! The stages wired together: discover → codebase → resolve → graph. The CLI and the
//! benchmark harness call these; tests call the stages one by one.

use std::path::Path;

use crate::codebase::{self, BuildOptions, Codebase};
use crate::diagnostics::Diagnostic;
use crate::discover::{self, FsLoader};
use crate::graph::{self, DepGraph};
use crate::resolve::{self, Resolution};

/// Everything `analyze` knows about a workspace.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub codebase: Codebase,
    pub resolution: Resolution,
    pub graph: DepGraph,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct AnalyzeOptions {
    pub include_tests: bool,
}

/// Analyses the crate or workspace at `path`. Only a path that cannot be analysed at all
/// (missing, no Cargo.toml, unreadable root manifest) is an error; broken files inside
/// are reported in the result and skipped.
pub fn analyze(path: &Path, options: AnalyzeOptions) -> Result<Analysis, Diagnostic> {
    let ws = discover::discover(path)?;
    let codebase = codebase::build(
        &ws,
        &FsLoader,
        BuildOptions {
            include_tests: options.include_tests,
        },
    );
    let resolution = resolve::resolve(&codebase);
    let graph = graph::build(&codebase, &resolution);
    Ok(Analysis {
        codebase,
        resolution,
        graph,
    })
}
