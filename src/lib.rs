//! fissure: finds the fault lines of a Rust monolith and splits it, along them, into
//! services that talk only through domain events. See ARCHITECTURE.md for the map.
//!
//! A library user starts at [`app`]: one function per command (`app::analyze`,
//! `app::check`, `app::validate`, `app::generate`), each from a configuration to an outcome
//! or a [`app::Failure`], and [`app::analyze_workspace`] for the analysis alone. The data they
//! return is defined by the stages below; [`report`] renders it.

pub mod analysis;
pub mod app;
pub mod cli;
pub mod diagnostics;
pub mod report;

// The data the outcomes hold: the analysed code (crate targets from `discover`, files and
// modules, items and references, the graph), the spec, check's findings, the suggestion
// and its scores (`eval`).
pub mod check;
pub mod codebase;
pub mod discover;
pub mod eval;
pub mod evolution;
pub mod export;
pub mod graph;
pub mod resolve;
pub mod spec;
pub mod suggest;
pub mod syntax;

// Public only because benchmark binaries and older test binaries call into them; no
// outcome holds their types.
#[doc(hidden)]
pub mod cluster;
#[doc(hidden)]
pub mod generate;
#[doc(hidden)]
pub mod history;

/// The analysis wiring under its old name, for the benchmark binaries until they call
/// [`app::analyze_workspace`] with a stage timer; new code uses [`app`].
#[doc(hidden)]
pub mod pipeline {
    pub use crate::analysis::Analysis;
    pub use crate::app::AnalyzeOptions;

    /// [`crate::app::analyze_workspace`] without progress.
    pub fn analyze(
        path: &std::path::Path,
        options: AnalyzeOptions,
    ) -> Result<Analysis, crate::diagnostics::Diagnostic> {
        crate::app::analyze_workspace(path, options, &mut crate::app::Quiet)
    }
}
