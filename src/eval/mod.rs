//! Scoring a suggested split against hand-made labels, and the two baselines every
//! suggestion is compared with.
//!
//! Conventions (see [`score`]): only modules the labels list are scored, `shared` ones
//! included, and the suggestion's kernel is its answer for them; a labelled module the
//! suggestion does not place, or puts in the kernel although the labels give it a domain, is a
//! cluster of its own. Scores are MoJoFM (candidate → reference) and the adjusted Rand index.
//! [`score_domains`] leaves `shared` modules out, as the dev set's published figures did.

pub mod ari;
pub mod mojo;
pub mod names;
#[cfg(test)]
mod tests;
pub mod truth;

use std::collections::BTreeMap;

use crate::cluster::{Clusterer, LouvainClusterer, ModuleDomains, WeightedGraph};

pub use ari::adjusted_rand_index;
pub use mojo::{max_mno, mno, mojo_fm};
pub use names::{NameMatch, name_match, same_word};
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
    /// Labelled modules scored (`shared` ones included unless the score is domains-only).
    pub scored: usize,
    /// Of those, modules the suggestion did not place.
    pub unplaced: usize,
    /// Modules labelled with a domain that the suggestion put in its kernel.
    pub domain_in_kernel: usize,
    /// Modules labelled `shared` that the suggestion put in a domain.
    pub shared_in_domains: usize,
}

/// Scores `suggestion` against `reference` (module → label, `shared` for infrastructure):
/// every labelled module counts, the kernel ([`KERNEL`]) is the suggestion's answer for
/// `shared`. A module labelled with a domain that the suggestion puts in the kernel, and a
/// module the suggestion does not place, is a cluster of its own: neither the kernel nor
/// "unplaced" can be matched with a domain, so a domain dumped into the kernel costs one move
/// per module. Infrastructure spread over suggested domains costs what MoJo charges to gather
/// it into one group again.
pub fn score(suggestion: &Assignment, reference: &Assignment) -> Score {
    let mut candidate_names: Vec<String> = Vec::new();
    let mut reference_names: Vec<&str> = Vec::new();
    let (mut unplaced, mut domain_in_kernel, mut shared_in_domains) = (0, 0, 0);
    for (module, label) in reference {
        let candidate = match suggestion.get(module).map(String::as_str) {
            None => {
                unplaced += 1;
                format!("\u{0}unplaced {module}")
            }
            Some(KERNEL) if label == SHARED => KERNEL.to_owned(),
            Some(KERNEL) => {
                domain_in_kernel += 1;
                format!("\u{0}kernel {module}")
            }
            Some(domain) => {
                shared_in_domains += usize::from(label == SHARED);
                format!("domain {domain}")
            }
        };
        candidate_names.push(candidate);
        reference_names.push(label);
    }
    let candidate = intern(
        &candidate_names
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    let reference_labels = intern(&reference_names);
    Score {
        mojo_fm: mojo_fm(&candidate, &reference_labels),
        ari: adjusted_rand_index(&candidate, &reference_labels),
        scored: reference_labels.len(),
        unplaced,
        domain_in_kernel,
        shared_in_domains,
    }
}

/// [`score`] over the modules labelled with a domain only (`shared` ones left out): the
/// convention the dev set's published baseline figures were measured with.
pub fn score_domains(suggestion: &Assignment, reference: &Assignment) -> Score {
    let domains: Assignment = reference
        .iter()
        .filter(|(_, label)| *label != SHARED)
        .map(|(m, l)| (m.clone(), l.clone()))
        .collect();
    score(suggestion, &domains)
}

/// Labels as numbers in sorted-name order.
fn intern(names: &[&str]) -> Vec<u32> {
    let mut distinct: Vec<&str> = names.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    names
        .iter()
        .map(|name| distinct.binary_search(name).map_or(0, |i| i as u32))
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

/// A scoring function: [`score`] or [`score_domains`].
pub type Scorer = fn(&Assignment, &Assignment) -> Score;

/// The module-tree cut (depth 1 to the deepest module) of the labelled modules that scores
/// best against `reference` by MoJoFM under `scorer`, with its score; shallowest depth on ties.
pub fn best_module_tree_cut(reference: &Assignment, scorer: Scorer) -> (usize, Score) {
    let deepest = reference
        .keys()
        .map(|m| m.split("::").count())
        .max()
        .unwrap_or(1);
    let mut best: Option<(usize, Score)> = None;
    for depth in 1..=deepest {
        let baseline = module_tree_baseline(reference.keys().map(String::as_str), depth);
        let s = scorer(&baseline, reference);
        if best.as_ref().is_none_or(|(_, b)| s.mojo_fm > b.mojo_fm) {
            best = Some((depth, s));
        }
    }
    best.unwrap_or_else(|| (1, scorer(&Assignment::new(), &Assignment::new())))
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
