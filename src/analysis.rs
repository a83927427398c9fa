//! What the analysis of a workspace knows: the module tree with every file's facts, every
//! reference resolved to the item it names, and the dependency graph. The stages after
//! `graph` (`suggest`, `check`, `report`) read it; `app::analyze_workspace` builds it.

use crate::codebase::Codebase;
use crate::graph::DepGraph;
use crate::resolve::Resolution;

/// Everything the analysis of one workspace knows.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub codebase: Codebase,
    pub resolution: Resolution,
    pub graph: DepGraph,
}

#[cfg(test)]
mod tests;
