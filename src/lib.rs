//! fissure: finds the fault lines of a Rust monolith and splits it, along them, into
//! services that talk only through domain events. See ARCHITECTURE.md for the map.

pub mod check;
pub mod cli;
pub mod cluster;
pub mod codebase;
pub mod diagnostics;
pub mod discover;
pub mod eval;
pub mod generate;
pub mod graph;
pub mod history;
pub mod pipeline;
pub mod report;
pub mod resolve;
pub mod spec;
pub mod suggest;
pub mod syntax;
