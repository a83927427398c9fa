//! Community detection behind our own [`Clusterer`] trait, backed by the `leiden-rs` crate.
//!
//! Both implementations optimise modularity with a resolution parameter γ
//! (`Q = Σ_c [e_c/m − γ (k_c/2m)²]`): [`LeidenClusterer`] runs the full Leiden algorithm
//! (local moving, refinement, aggregation), [`LouvainClusterer`] the same crate with the
//! refinement phase skipped, which is the Louvain algorithm and serves as the baseline.

use leiden_rs::{GraphDataBuilder, Leiden, LeidenConfig};

use super::input::WeightedGraph;

/// Splits a graph into communities.
pub trait Clusterer: Sync {
    /// Returns the community of every node, canonically numbered (see [`canonical_labels`]).
    /// The same graph, resolution and seed always give the same result.
    fn cluster(&self, graph: &WeightedGraph, resolution: f64, seed: u64) -> Vec<u32>;
}

/// Leiden, modularity quality, sequential (the `rayon` feature of leiden-rs is off, so its
/// result depends only on the seed).
#[derive(Debug, Clone, Copy, Default)]
pub struct LeidenClusterer;

/// Louvain: leiden-rs with refinement skipped.
#[derive(Debug, Clone, Copy, Default)]
pub struct LouvainClusterer;

impl Clusterer for LeidenClusterer {
    fn cluster(&self, graph: &WeightedGraph, resolution: f64, seed: u64) -> Vec<u32> {
        run_leiden_rs(graph, resolution, seed, false)
    }
}

impl Clusterer for LouvainClusterer {
    fn cluster(&self, graph: &WeightedGraph, resolution: f64, seed: u64) -> Vec<u32> {
        run_leiden_rs(graph, resolution, seed, true)
    }
}

fn run_leiden_rs(
    graph: &WeightedGraph,
    resolution: f64,
    seed: u64,
    skip_refinement: bool,
) -> Vec<u32> {
    let n = graph.node_count();
    let resolution = if resolution.is_finite() && resolution >= 0.0 {
        resolution
    } else {
        1.0
    };
    let mut builder = GraphDataBuilder::new(n);
    for (a, b, w) in graph.edges() {
        // WeightedGraph guarantees in-range nodes and finite positive weights, the only
        // things add_edge rejects.
        if builder.add_edge(a as usize, b as usize, w).is_err() {
            return singletons(n);
        }
    }
    let Ok(data) = builder.build() else {
        return singletons(n);
    };
    let config = LeidenConfig {
        resolution,
        seed: Some(seed),
        skip_refinement,
        ..LeidenConfig::default()
    };
    match Leiden::new(config).run(&data) {
        Ok(output) => canonical_labels(
            &output
                .partition
                .as_slice()
                .iter()
                .map(|&c| c as u32)
                .collect::<Vec<_>>(),
        ),
        // Only reachable through invalid parameters, which are sanitised above.
        Err(_) => singletons(n),
    }
}

fn singletons(n: usize) -> Vec<u32> {
    (0..n as u32).collect()
}

/// Renumbers communities so that community `c` is the `c`-th distinct label met when reading
/// nodes in index order. Two labelings of the same partition become identical.
pub fn canonical_labels(labels: &[u32]) -> Vec<u32> {
    let max = labels.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut mapping = vec![u32::MAX; max];
    let mut next = 0u32;
    labels
        .iter()
        .map(|&label| {
            let slot = &mut mapping[label as usize];
            if *slot == u32::MAX {
                *slot = next;
                next += 1;
            }
            *slot
        })
        .collect()
}

/// Number of distinct labels in a canonical labeling.
pub fn community_count(labels: &[u32]) -> usize {
    labels.iter().copied().max().map_or(0, |m| m as usize + 1)
}
