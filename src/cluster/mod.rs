//! Domain suggestion: clusters the item graph into candidate domains, with a confidence per
//! item and the shared kernel set apart.
//!
//! Pipeline of [`suggest`], a pure function of its input:
//!
//! 1. combine the evidence layers into one weighted undirected graph;
//! 2. set apart nodes with infrastructure names (kernel rule 1, see [`kernel`]);
//! 3. cluster `hub_runs` times (21) without the hub candidates (high fan-in or fan-out), then
//!    set apart those whose neighbours span several of the communities found in at least half
//!    of the runs (kernel rules 2 and 3), and the nodes linked only to the kernel (rule 4);
//! 4. if a target number of domains is given, search the resolution that approaches it;
//! 5. consensus clustering of the remaining graph (100 runs, then up to 5 rounds on the
//!    consensus graph until its runs agree), with a confidence per node;
//! 6. in a workspace, the domains lying within one member crate about a subject joined, and
//!    that crate's stragglers moved to the domain holding most of it (see [`crates`]).

use rayon::prelude::*;

pub mod algo;
pub mod consensus;
pub mod crates;
pub mod files;
pub mod input;
pub mod kernel;
pub mod modules;
pub mod naming;
#[cfg(test)]
mod tests;
pub mod vocab;

pub use algo::{Clusterer, LeidenClusterer, LouvainClusterer, canonical_labels, community_count};
pub use consensus::{Consensus, ConsensusConfig, confidence, consensus, derive_seed};
pub use files::{FileOf, keep_files_whole};
pub use input::{ClusterInput, Layer, NodeInfo, WeightedGraph};
pub use kernel::{KernelReason, KernelRules};
pub use modules::{ModuleDomains, module_domains, module_domains_of};
pub use naming::{NamingHints, domain_names, domain_names_with};
pub use vocab::{DEFAULT_VOCABULARY_WEIGHT, VocabConfig, split_identifier, vocabulary_layer};

/// Default seed: results are reproducible without the user choosing one.
pub const DEFAULT_SEED: u64 = 0x5EED_F155_0000_0001;

/// Options of [`suggest`].
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestConfig {
    /// Modularity resolution γ; higher gives more, smaller domains. Ignored when
    /// `target_domains` is set.
    pub resolution: f64,
    /// Base seed of every run.
    pub seed: u64,
    /// Aim for this many domains (`--domains N`).
    pub target_domains: Option<usize>,
    /// Consensus parameters.
    pub consensus: ConsensusConfig,
    /// Shared-kernel rules.
    pub kernel: KernelRules,
    /// Clusterings whose spreads decide the hubs (kernel rules 2 and 3): a node is a hub when
    /// at least half of them say so.
    pub hub_runs: usize,
    /// Join the domains lying within one workspace crate (see [`crates`]).
    pub join_within_crates: bool,
}

impl Default for SuggestConfig {
    fn default() -> Self {
        SuggestConfig {
            resolution: 1.0,
            seed: DEFAULT_SEED,
            target_domains: None,
            consensus: ConsensusConfig::default(),
            kernel: KernelRules::default(),
            hub_runs: 21,
            join_within_crates: true,
        }
    }
}

/// The suggested split, indexed like `ClusterInput::nodes`.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Domain of each node, canonically numbered over non-kernel nodes; `None` for kernel.
    pub domain: Vec<Option<u32>>,
    /// Confidence of each node in its domain (see [`consensus::confidence`]); 1.0 for kernel
    /// nodes, whose placement follows a rule rather than a vote.
    pub confidence: Vec<f64>,
    /// Why a node is in the shared kernel, if it is.
    pub kernel: Vec<Option<KernelReason>>,
    /// The resolution used for the final clustering.
    pub resolution: f64,
    /// Number of domains (distinct `Some` values of `domain`).
    pub domain_count: usize,
}

impl Suggestion {
    /// Numbers the domains canonically again after a step moved nodes between them (a domain
    /// may have emptied), and recounts them.
    pub fn renumber(&mut self) {
        let kept: Vec<u32> = self.domain.iter().flatten().copied().collect();
        let mut labels = canonical_labels(&kept).into_iter();
        for slot in self.domain.iter_mut().filter(|d| d.is_some()) {
            *slot = labels.next();
        }
        self.domain_count = self
            .domain
            .iter()
            .flatten()
            .max()
            .map_or(0, |&m| m as usize + 1);
    }
}

/// Suggests domains for `input`. Same input, clusterer and config give the same output; the
/// seed enters only through the runs of steps 3 and 5, each a vote among many, so another
/// seed rarely moves a node.
pub fn suggest<C: Clusterer + ?Sized>(
    input: &ClusterInput,
    clusterer: &C,
    config: &SuggestConfig,
) -> Suggestion {
    let n = input.nodes.len();
    let graph = input.combine();
    let mut reasons = kernel::infrastructure_by_name(&input.nodes, &config.kernel);
    let named: Vec<bool> = reasons.iter().map(Option::is_some).collect();
    let pairs = input.directed_pairs();
    let candidates = kernel::hub_candidates(&pairs, n, &named, &config.kernel);
    let set_apart: Vec<bool> = named
        .iter()
        .zip(&candidates)
        .map(|(a, b)| *a || *b)
        .collect();
    let hub_reasons = preliminary_hubs(clusterer, &graph, &pairs, &set_apart, &named, config);
    for (slot, hub) in reasons.iter_mut().zip(hub_reasons) {
        if slot.is_none() {
            *slot = hub;
        }
    }
    let attached = kernel::kernel_neighbours(&graph, &reasons);
    for (slot, attached) in reasons.iter_mut().zip(attached) {
        if slot.is_none() {
            *slot = attached;
        }
    }
    let is_kernel: Vec<bool> = reasons.iter().map(Option::is_some).collect();
    let core = graph.without(&is_kernel);
    let resolution = match config.target_domains {
        Some(target) => resolution_for_target(clusterer, &core, &is_kernel, target, config.seed),
        None => config.resolution,
    };
    let budgeted = config.consensus.within_budget(n);
    let result = consensus(clusterer, &core, resolution, config.seed, &budgeted);
    let labels = if config.join_within_crates {
        let joined = crates::join_within_crates(&input.nodes, &result.labels, &is_kernel);
        crates::follow_crate_majority(&input.nodes, &joined, &is_kernel)
    } else {
        result.labels.clone()
    };
    let kept: Vec<u32> = (0..n)
        .filter(|&i| !is_kernel[i])
        .map(|i| labels[i])
        .collect();
    let mut kept_labels = canonical_labels(&kept).into_iter();
    let domain: Vec<Option<u32>> = is_kernel
        .iter()
        .map(|&k| if k { None } else { kept_labels.next() })
        .collect();
    let confidence = (0..n)
        .map(|i| {
            if is_kernel[i] {
                1.0
            } else {
                result.confidence[i]
            }
        })
        .collect();
    let domain_count = domain.iter().flatten().max().map_or(0, |&m| m as usize + 1);
    Suggestion {
        domain,
        confidence,
        kernel: reasons,
        resolution,
        domain_count,
    }
}

/// Rules 2 and 3 of the kernel: `config.hub_runs` clusterings of `graph` without the nodes
/// `set_apart` (infrastructure names and hub candidates), and the hubs and composition roots
/// their spreads give (see [`kernel::hubs_over_runs`]). One run would let the seed decide
/// whether a node near `min_spread` is kernel, and with it where its neighbours go.
fn preliminary_hubs<C: Clusterer + ?Sized>(
    clusterer: &C,
    graph: &WeightedGraph,
    pairs: &[(u32, u32)],
    set_apart: &[bool],
    named: &[bool],
    config: &SuggestConfig,
) -> Vec<Option<KernelReason>> {
    let without = graph.without(set_apart);
    // The complement of the seed, so these runs do not repeat the consensus runs.
    let runs = consensus::hub_runs_within_budget(config.hub_runs, graph.node_count());
    let labelings: Vec<Vec<Option<u32>>> = (0..runs)
        .into_par_iter()
        .map(|run| {
            let labels =
                clusterer.cluster(&without, config.resolution, derive_seed(!config.seed, run));
            let mut sizes = vec![0usize; community_count(&labels)];
            for &label in &labels {
                sizes[label as usize] += 1;
            }
            // Set-apart nodes and nodes left alone (often because their neighbours were set
            // apart) are not communities a hub could span.
            labels
                .iter()
                .zip(set_apart)
                .map(|(&label, &apart)| (!apart && sizes[label as usize] >= 2).then_some(label))
                .collect()
        })
        .collect();
    kernel::hubs_over_runs(pairs, &labelings, named, &config.kernel)
}

/// Number of communities with at least two members among the nodes not `excluded`: isolated
/// leftovers are not domains, so they do not count towards a target.
pub fn domain_like_count(labels: &[u32], excluded: &[bool]) -> usize {
    let mut sizes = vec![0usize; community_count(labels)];
    for (i, &c) in labels.iter().enumerate() {
        if !excluded.get(i).copied().unwrap_or(false) {
            sizes[c as usize] += 1;
        }
    }
    sizes.iter().filter(|&&s| s >= 2).count()
}

/// The resolution whose single run (with `seed`) gives a [`domain_like_count`] closest to
/// `target`: bisection on `ln γ` over `[1e-3, 1e2]` (the count grows with γ), 18 steps; ties
/// go to the γ nearest 1 on a log scale.
pub fn resolution_for_target<C: Clusterer + ?Sized>(
    clusterer: &C,
    graph: &WeightedGraph,
    excluded: &[bool],
    target: usize,
    seed: u64,
) -> f64 {
    let (mut lo, mut hi) = (1e-3f64.ln(), 1e2f64.ln());
    let mut best: Option<(usize, f64, f64)> = None; // (distance, |ln γ|, γ)
    for _ in 0..18 {
        let mid = 0.5 * (lo + hi);
        let gamma = mid.exp();
        let count = domain_like_count(&clusterer.cluster(graph, gamma, seed), excluded);
        let candidate = (count.abs_diff(target), mid.abs(), gamma);
        if best.is_none_or(|b| (candidate.0, candidate.1) < (b.0, b.1)) {
            best = Some(candidate);
        }
        if count == target {
            break;
        }
        if count < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    best.map_or(1.0, |b| b.2)
}
