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
pub mod split;
pub mod suggest;
pub mod syntax;
/// The big-stack worker pool every parse and recursive pass runs on.
pub mod workers;

// Public only because benchmark binaries and older test binaries call into them; no
// outcome holds their types.
#[doc(hidden)]
pub mod cluster;
#[doc(hidden)]
pub mod generate;
#[doc(hidden)]
pub mod history;

#[cfg(test)]
mod test_support;
