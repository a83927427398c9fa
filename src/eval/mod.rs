//! Scoring a suggested split against hand-made labels, and the two baselines every
//! suggestion is compared with.
//!
//! Conventions (`shared/bench/README.md`): only modules the labels list are scored; modules
//! labelled `shared` are left out; a labelled module the suggestion does not place is put in
//! one extra "unobserved" cluster. Scores are MoJoFM (candidate → reference) and the adjusted
//! Rand index.

pub mod ari;
pub mod mojo;
#[cfg(test)]
mod tests;
pub mod truth;

use std::collections::BTreeMap;

use crate::cluster::{Clusterer, LouvainClusterer, ModuleDomains, WeightedGraph};

pub use ari::adjusted_rand_index;
pub use mojo::{max_mno, mno, mojo_fm};
pub use truth::{SHARED, Truth, TruthDomain, TruthError};

/// Module path → domain label.
pub type Assignment = BTreeMap<String, String>;

/// How well a suggestion matches the labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// MoJoFM in percent (100 = identical).
    pub mojo_fm: f64,
    /// Adjusted Rand index (1 = identical, ~0 = chance).
    pub ari: f64,
    /// Labelled non-shared modules scored.
    pub scored: usize,
    /// Of those, modules the suggestion did not place.
    pub unplaced: usize,
}

/// Scores `suggestion` against `reference` (e.g. `Truth::modules`) with the conventions above.
pub fn score(suggestion: &Assignment, reference: &Assignment) -> Score {
    let mut candidate_names: Vec<Option<&str>> = Vec::new();
    let mut reference_names: Vec<&str> = Vec::new();
    for (module, domain) in reference {
        if domain == SHARED {
            continue;
        }
        candidate_names.push(suggestion.get(module).map(String::as_str));
        reference_names.push(domain);
    }
    let unplaced = candidate_names.iter().filter(|c| c.is_none()).count();
    let candidate = intern(&candidate_names);
    let reference_labels = intern(&reference_names.iter().map(|&d| Some(d)).collect::<Vec<_>>());
    Score {
        mojo_fm: mojo_fm(&candidate, &reference_labels),
        ari: adjusted_rand_index(&candidate, &reference_labels),
        scored: reference_labels.len(),
        unplaced,
    }
}

/// Labels as numbers in sorted-name order; `None` (not placed) becomes one extra label.
fn intern(names: &[Option<&str>]) -> Vec<u32> {
    let mut distinct: Vec<&str> = names.iter().flatten().copied().collect();
    distinct.sort_unstable();
    distinct.dedup();
    let unobserved = distinct.len() as u32;
    names
        .iter()
        .map(|name| match name {
            Some(n) => distinct.binary_search(n).map_or(unobserved, |i| i as u32),
            None => unobserved,
        })
        .collect()
}

/// The label of modules whose items mostly went to the shared kernel.
pub const KERNEL: &str = "kernel";

/// A module path as the truth files write it: relative to the crate root, the root itself
/// being `crate` (`shop::orders` in crate `shop` → `orders`, `shop` → `crate`). Paths of
/// other crates are returned unchanged.
pub fn relative_module_path(module: &str, crate_name: &str) -> String {
    if module == crate_name || module == "crate" {
        return "crate".to_owned();
    }
    for root in [crate_name, "crate"] {
        if let Some(rest) = module.strip_prefix(root).and_then(|r| r.strip_prefix("::")) {
            return rest.to_owned();
        }
    }
    module.to_owned()
}

/// The module-level assignment of a suggestion, ready for [`score`]: each module of
/// `crate_name` labelled `domain-<n>` by its majority domain, or [`KERNEL`].
pub fn suggestion_assignment(
    modules: &BTreeMap<String, ModuleDomains>,
    crate_name: &str,
) -> Assignment {
    modules
        .iter()
        .map(|(module, domains)| {
            let label = domains
                .majority()
                .map_or_else(|| KERNEL.to_owned(), |d| format!("domain-{d}"));
            (relative_module_path(module, crate_name), label)
        })
        .collect()
}

/// Baseline 1, the module tree: each module labelled by its first `depth` path segments, so
/// at depth 1 `a::b::c` belongs to `a`. The crate root (`crate`) and other one-segment
/// modules are their own cluster.
pub fn module_tree_baseline<'a>(
    modules: impl IntoIterator<Item = &'a str>,
    depth: usize,
) -> Assignment {
    modules
        .into_iter()
        .map(|module| {
            let prefix: Vec<&str> = module.split("::").take(depth.max(1)).collect();
            (module.to_owned(), prefix.join("::"))
        })
        .collect()
}

/// The module-tree cut (depth 1 to the deepest module) that scores best against `truth` by
/// MoJoFM, with its score; shallowest depth on ties.
pub fn best_module_tree_cut(truth: &Truth) -> (usize, Score) {
    let deepest = truth
        .modules
        .keys()
        .map(|m| m.split("::").count())
        .max()
        .unwrap_or(1);
    let mut best: Option<(usize, Score)> = None;
    for depth in 1..=deepest {
        let baseline = module_tree_baseline(truth.modules.keys().map(String::as_str), depth);
        let s = score(&baseline, &truth.modules);
        if best.as_ref().is_none_or(|(_, b)| s.mojo_fm > b.mojo_fm) {
            best = Some((depth, s));
        }
    }
    best.unwrap_or((
        1,
        Score {
            mojo_fm: 100.0,
            ari: 1.0,
            scored: 0,
            unplaced: 0,
        },
    ))
}

/// Baseline 2, plain Louvain on module-level `use` edges (`from` uses `to`; direction and
/// self-uses ignored, parallel edges add up), resolution 1. Every module in `modules` or in an
/// edge is labelled `louvain-<n>`.
pub fn louvain_use_baseline(
    modules: &[String],
    use_edges: &[(String, String)],
    seed: u64,
) -> Assignment {
    let mut names: Vec<&str> = modules
        .iter()
        .map(String::as_str)
        .chain(use_edges.iter().flat_map(|(a, b)| [a.as_str(), b.as_str()]))
        .collect();
    names.sort_unstable();
    names.dedup();
    let index = |name: &str| names.binary_search(&name).map_or(0, |i| i as u32);
    let edges = use_edges
        .iter()
        .map(|(a, b)| (index(a), index(b), 1.0))
        .collect();
    let graph = WeightedGraph::from_edges(names.len(), edges);
    let labels = LouvainClusterer.cluster(&graph, 1.0, seed);
    names
        .iter()
        .zip(labels)
        .map(|(name, label)| ((*name).to_owned(), format!("louvain-{label}")))
        .collect()
}
