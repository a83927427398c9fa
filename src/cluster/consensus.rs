//! Consensus clustering (Lancichinetti & Fortunato, "Consensus clustering in complex
//! networks", Sci. Rep. 2012) and per-node confidence.
//!
//! One modularity run depends on its seed; combining several runs both stabilises the answer
//! and measures how sure it is. The co-assignment matrix is only built on the edges of the
//! input graph, which keeps it as sparse as the graph itself (L&F's matrix is dense).

use rayon::prelude::*;
use std::collections::HashMap;

use super::algo::{Clusterer, canonical_labels};
use super::input::WeightedGraph;

/// Parameters of the consensus.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsensusConfig {
    /// Number of independent runs `R`.
    pub runs: usize,
    /// Edges whose co-assignment fraction is below this are dropped from the consensus graph
    /// (L&F's threshold τ), except a node's strongest edge so no node is cut off on its own.
    pub threshold: f64,
    /// Further rounds at most: the consensus graph is clustered `runs` times again and rebuilt
    /// from those runs, until they all agree (L&F's iteration).
    pub rounds: usize,
}

impl Default for ConsensusConfig {
    fn default() -> Self {
        ConsensusConfig {
            runs: 100,
            threshold: 0.5,
            rounds: 5,
        }
    }
}

/// Leiden runs times nodes that one suggestion may spend on the consensus and on the hub vote
/// (see [`ConsensusConfig::within_budget`]). The labelled projects (lemmy, 74k lines, is the
/// largest) stay within it with the full 100 runs and rounds; a module of 12,500 one-line fns
/// took 23 s of CPU with them where 10 runs took 0.5 s (`suggest-bench wide`), since a long
/// chain of calls never settles and every round ran.
pub const RUN_BUDGET: usize = 400_000;

impl ConsensusConfig {
    /// The runs and rounds for a graph of `nodes` nodes: as configured while `runs × nodes`
    /// stays within [`RUN_BUDGET`]; beyond it fewer runs (never under 10, the single-round
    /// consensus of before) and no rounds, so the cost on a large graph grows like one pass.
    pub fn within_budget(&self, nodes: usize) -> ConsensusConfig {
        let affordable = RUN_BUDGET / nodes.max(1);
        if affordable >= self.runs {
            return self.clone();
        }
        ConsensusConfig {
            runs: affordable.max(10).min(self.runs),
            rounds: 0,
            ..self.clone()
        }
    }
}

/// Hub-vote runs for a graph of `nodes` nodes: `wanted` while within [`RUN_BUDGET`], fewer
/// beyond it (at least one, the single preliminary run of before).
pub fn hub_runs_within_budget(wanted: usize, nodes: usize) -> usize {
    (RUN_BUDGET / nodes.max(1)).clamp(1, wanted.max(1))
}

/// Result of a consensus clustering.
#[derive(Debug, Clone, PartialEq)]
pub struct Consensus {
    /// Final community per node, canonically numbered.
    pub labels: Vec<u32>,
    /// Confidence per node, in `[0, 1]` (see [`confidence`]).
    pub confidence: Vec<f64>,
}

/// The seed of run `run` derived from `base` (SplitMix64 of `base + run`), so runs are
/// decorrelated while fully determined by the base seed.
pub fn derive_seed(base: u64, run: usize) -> u64 {
    let mut z = base.wrapping_add(
        (run as u64)
            .wrapping_add(1)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15),
    );
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Runs `clusterer` `config.runs` times with seeds derived from `seed`, builds the consensus
/// graph (for each edge `{a, b}` of `graph`, the fraction of runs that put `a` and `b`
/// together, below-threshold edges dropped), and iterates as L&F do: for up to
/// `config.rounds` rounds, the consensus graph is clustered `config.runs` times again and
/// rebuilt from those runs (on its own edges), until the runs agree, whose split is then the
/// answer; otherwise the last consensus graph is clustered once more with `seed`. Every
/// node's [`confidence`] is scored against the first runs, on the input graph: the rounds
/// settle a split, they do not make the evidence surer.
///
/// One round of 10 runs left the nodes between two communities to the seed: the fraction
/// of runs putting them with either side sits near the threshold, and 10 runs sample it
/// coarsely. 100 runs sample it finely, and the rounds push what is left to 0 or 1.
pub fn consensus<C: Clusterer + ?Sized>(
    clusterer: &C,
    graph: &WeightedGraph,
    resolution: f64,
    seed: u64,
    config: &ConsensusConfig,
) -> Consensus {
    let r = config.runs.max(1);
    let many = |graph: &WeightedGraph, round: usize| -> Vec<Vec<u32>> {
        (0..r)
            .into_par_iter()
            .map(|run| clusterer.cluster(graph, resolution, derive_seed(seed, round * r + run)))
            .collect()
    };
    let runs = many(graph, 0);
    let mut consensus_graph = co_assignment_graph(graph, &runs, config.threshold);
    let mut agreed = None;
    for round in 1..=config.rounds {
        let again = many(&consensus_graph, round);
        if again.windows(2).all(|w| w[0] == w[1]) {
            agreed = again.into_iter().next();
            break;
        }
        consensus_graph = co_assignment_graph(&consensus_graph, &again, config.threshold);
    }
    let labels = canonical_labels(
        &agreed.unwrap_or_else(|| clusterer.cluster(&consensus_graph, resolution, seed)),
    );
    let confidence = confidence(&labels, &runs);
    Consensus { labels, confidence }
}

/// The consensus graph: on each edge of `graph`, the fraction of `runs` in which both ends
/// share a community. Edges below `threshold` are dropped, except each node's strongest
/// co-assignment edge (if it is above zero), so the threshold cannot isolate a node.
pub fn co_assignment_graph(
    graph: &WeightedGraph,
    runs: &[Vec<u32>],
    threshold: f64,
) -> WeightedGraph {
    let r = runs.len().max(1) as f64;
    let fraction = |a: u32, b: u32| {
        runs.iter()
            .filter(|labels| labels[a as usize] == labels[b as usize])
            .count() as f64
            / r
    };
    let n = graph.node_count();
    let mut strongest: Vec<Option<(u32, u32, f64)>> = vec![None; n];
    let mut edges = Vec::with_capacity(graph.edge_count());
    for (a, b, _) in graph.edges() {
        let f = fraction(a, b);
        if f <= 0.0 {
            continue;
        }
        for end in [a, b] {
            let slot = &mut strongest[end as usize];
            if slot.is_none_or(|(_, _, best)| f > best) {
                *slot = Some((a, b, f));
            }
        }
        if f >= threshold {
            edges.push((a, b, f));
        }
    }
    // A rescued edge was below the threshold, so it is not in `edges` yet; both of its ends
    // may rescue it, hence the dedup.
    edges.extend(
        strongest
            .into_iter()
            .flatten()
            .filter(|&(_, _, f)| f < threshold),
    );
    edges.sort_by_key(|e| (e.0, e.1));
    edges.dedup_by(|later, earlier| later.0 == earlier.0 && later.1 == earlier.1);
    WeightedGraph::from_edges(n, edges)
}

/// Confidence of each node in its final community, in `[0, 1]`.
///
/// Let `C(i)` be the final community of node `i` and `P_r(i)` its community in run `r` of
/// `R`. Then
///
/// ```text
/// confidence(i) = (1/R) Σ_r |C(i) ∩ P_r(i) \ {i}| / |C(i) \ {i}|      if |C(i)| > 1
/// confidence(i) = (1/R) Σ_r [P_r(i) = {i}]                            if |C(i)| = 1
/// ```
///
/// that is, the mean over runs of the fraction of its final cluster-mates that the node sits
/// with; a node alone in the end is sure when the runs also left it alone. Computed through
/// contingency counts in `O(n R)`, without enumerating pairs.
pub fn confidence(labels: &[u32], runs: &[Vec<u32>]) -> Vec<f64> {
    let n = labels.len();
    if runs.is_empty() {
        return vec![1.0; n];
    }
    let mut final_size: HashMap<u32, usize> = HashMap::new();
    for &c in labels {
        *final_size.entry(c).or_default() += 1;
    }
    let mut total = vec![0.0f64; n];
    for run in runs {
        let mut overlap: HashMap<(u32, u32), usize> = HashMap::new();
        let mut run_size: HashMap<u32, usize> = HashMap::new();
        for i in 0..n {
            *overlap.entry((labels[i], run[i])).or_default() += 1;
            *run_size.entry(run[i]).or_default() += 1;
        }
        for i in 0..n {
            let mates = final_size[&labels[i]] - 1;
            total[i] += if mates == 0 {
                if run_size[&run[i]] == 1 { 1.0 } else { 0.0 }
            } else {
                (overlap[&(labels[i], run[i])] - 1) as f64 / mates as f64
            };
        }
    }
    let r = runs.len() as f64;
    total.into_iter().map(|t| t / r).collect()
}
