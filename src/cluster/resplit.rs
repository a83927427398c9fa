//! A second clustering pass inside one domain: modularity's resolution limit.
//!
//! Modularity compares a community's internal weight with what chance would give in the
//! *whole* graph (Fortunato & Barthélemy, "Resolution limit in community detection", PNAS
//! 2007): two groups whose mutual links exceed roughly `k_a k_b / 2m` are merged, and that
//! bar drops as the graph grows. In a large monolith two capabilities that share a few calls
//! can fall under it and come out as one domain. Clustering the domain's own subgraph again,
//! where the null model is the domain's own weight, finds its parts; whether they are
//! capabilities is for the caller to judge (modularity alone splits almost any domain of
//! forty items, see docs/benchmarks.md).
//!
//! The domain is clustered as a graph of its groups (the modules of its items): a module's
//! items stay together, so a part is a set of whole modules, not item-level noise.

use std::collections::BTreeMap;

use super::algo::{Clusterer, canonical_labels};
use super::consensus::{ConsensusConfig, consensus};
use super::input::WeightedGraph;

/// The modularity (inside the domain, between its modules) the parts must reach.
pub const MIN_MODULARITY: f64 = 0.1;

/// Share of the domain's nodes a part must hold to stand as a part of its own; smaller parts
/// go back to the part they are most linked to.
pub const MIN_PART_SHARE: f64 = 0.15;

/// Modularity `Q = Σ_c [e_c/m − γ (k_c/2m)²]` of `labels` on `graph`; 0 for a graph without
/// edges.
pub fn modularity(graph: &WeightedGraph, labels: &[u32], resolution: f64) -> f64 {
    let mut internal: BTreeMap<u32, f64> = BTreeMap::new();
    let mut degree: BTreeMap<u32, f64> = BTreeMap::new();
    let mut total = 0.0;
    for (a, b, w) in graph.edges() {
        total += w;
        let (la, lb) = (labels[a as usize], labels[b as usize]);
        if la == lb {
            *internal.entry(la).or_default() += w;
        }
        *degree.entry(la).or_default() += w;
        *degree.entry(lb).or_default() += w;
    }
    if total <= 0.0 {
        return 0.0;
    }
    let e: f64 = internal.values().sum::<f64>() / total;
    let k: f64 = (degree.values())
        .map(|d| (d / (2.0 * total)).powi(2))
        .sum::<f64>();
    e - resolution * k
}

/// The parts of the domain made of `nodes` (indices into `graph`; `groups` gives every node's
/// group), as a part per node in `nodes`' order (canonically numbered), or `None` when the
/// domain has no parts: one group, one part left after the small ones went back, or parts
/// below [`MIN_MODULARITY`].
pub fn domain_parts<C: Clusterer + ?Sized>(
    clusterer: &C,
    graph: &WeightedGraph,
    groups: &[u32],
    nodes: &[u32],
    resolution: f64,
    seed: u64,
    config: &ConsensusConfig,
) -> Option<Vec<u32>> {
    // Group of the domain → its index in the quotient graph.
    let mut index: BTreeMap<u32, u32> = BTreeMap::new();
    for &n in nodes {
        let next = index.len() as u32;
        index.entry(groups[n as usize]).or_insert(next);
    }
    if index.len() < 2 {
        return None;
    }
    let in_domain: BTreeMap<u32, u32> = (nodes.iter())
        .map(|&n| (n, index[&groups[n as usize]]))
        .collect();
    let edges: Vec<(u32, u32, f64)> = (nodes.iter())
        .flat_map(|&a| {
            let in_domain = &in_domain;
            graph.neighbors(a).iter().filter_map(move |&(b, w)| {
                let (&ga, &gb) = (in_domain.get(&a)?, in_domain.get(&b)?);
                (a < b && ga != gb).then_some((ga, gb, w))
            })
        })
        .collect();
    let sub = WeightedGraph::from_edges(index.len(), edges);
    let mut sizes = vec![0; index.len()];
    for &g in in_domain.values() {
        sizes[g as usize] += 1;
    }
    let labels = consensus(
        clusterer,
        &sub,
        resolution,
        seed,
        &config.within_budget(index.len()),
    )
    .labels;
    let labels = absorb_small_parts(&sub, &sizes, labels);
    let count = labels.iter().max().map_or(0, |&m| m as usize + 1);
    if count < 2 || modularity(&sub, &labels, 1.0) < MIN_MODULARITY {
        return None;
    }
    let parts: Vec<u32> = nodes
        .iter()
        .map(|n| labels[in_domain[n] as usize])
        .collect();
    Some(canonical_labels(&parts))
}

/// Moves the groups of every part below [`MIN_PART_SHARE`] of the domain's nodes (`sizes`:
/// nodes per group) into the large part they are most linked to (the largest part when they
/// have no link to one), and numbers the parts canonically.
fn absorb_small_parts(sub: &WeightedGraph, sizes: &[usize], labels: Vec<u32>) -> Vec<u32> {
    let n: usize = sizes.iter().sum();
    let mut size: BTreeMap<u32, usize> = BTreeMap::new();
    for (k, &l) in labels.iter().enumerate() {
        *size.entry(l).or_default() += sizes[k];
    }
    let large = |l: u32| size[&l] as f64 >= MIN_PART_SHARE * n as f64;
    let Some(largest) = (size.iter())
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(&l, _)| l)
    else {
        return labels;
    };
    // Links of each small part to each large part.
    let mut links: BTreeMap<u32, BTreeMap<u32, f64>> = BTreeMap::new();
    for (a, b, w) in sub.edges() {
        let (la, lb) = (labels[a as usize], labels[b as usize]);
        if !large(la) && large(lb) {
            *links.entry(la).or_default().entry(lb).or_default() += w;
        }
        if !large(lb) && large(la) {
            *links.entry(lb).or_default().entry(la).or_default() += w;
        }
    }
    let target = |l: u32| -> u32 {
        if large(l) {
            return l;
        }
        (links.get(&l).into_iter().flatten())
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
            .map_or(largest, |(&t, _)| t)
    };
    let moved: Vec<u32> = labels.iter().map(|&l| target(l)).collect();
    canonical_labels(&moved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::LeidenClusterer;

    /// A clique of `size` nodes starting at `from`, every edge of weight `w`.
    fn clique(from: u32, size: u32, w: f64) -> Vec<(u32, u32, f64)> {
        let mut edges = Vec::new();
        for a in from..from + size {
            for b in a + 1..from + size {
                edges.push((a, b, w));
            }
        }
        edges
    }

    fn parts(g: &WeightedGraph, groups: &[u32]) -> Option<Vec<u32>> {
        let nodes: Vec<u32> = (0..g.node_count() as u32).collect();
        let config = ConsensusConfig {
            runs: 10,
            ..ConsensusConfig::default()
        };
        domain_parts(&LeidenClusterer, g, groups, &nodes, 1.0, 7, &config)
    }

    /// Every node a group of its own.
    fn each(g: &WeightedGraph) -> Vec<u32> {
        (0..g.node_count() as u32).collect()
    }

    #[test]
    fn modularity_of_two_cliques_split_is_their_internal_share_less_chance_and_whole_is_zero() {
        let mut edges = clique(0, 5, 1.0);
        edges.extend(clique(5, 5, 1.0));
        edges.push((0, 5, 1.0));
        let g = WeightedGraph::from_edges(10, edges);
        let split: Vec<u32> = (0..10).map(|i| u32::from(i >= 5)).collect();
        let q = modularity(&g, &split, 1.0);
        // m = 21, e = 20/21, each side k = 21/42: Q = 20/21 − 1/2.
        assert!((q - (20.0 / 21.0 - 0.5)).abs() < 1e-9, "{q}");
        assert!(modularity(&g, &[0; 10], 1.0).abs() < 1e-12);
    }

    #[test]
    fn two_loosely_tied_cliques_are_two_parts() {
        let mut edges = clique(0, 8, 1.0);
        edges.extend(clique(8, 8, 1.0));
        edges.push((0, 8, 1.0));
        let g = WeightedGraph::from_edges(16, edges);
        let p = parts(&g, &each(&g)).expect("two parts");
        assert!(p[..8].iter().all(|&l| l == 0));
        assert!(p[8..].iter().all(|&l| l == 1));
    }

    #[test]
    fn a_clique_has_no_parts() {
        let g = WeightedGraph::from_edges(12, clique(0, 12, 1.0));
        assert_eq!(parts(&g, &each(&g)), None);
    }

    #[test]
    fn a_group_is_never_cut() {
        // Two cliques tied by one edge, but one group spans both: nothing is left to split.
        let mut edges = clique(0, 8, 1.0);
        edges.extend(clique(8, 8, 1.0));
        edges.push((0, 8, 1.0));
        let g = WeightedGraph::from_edges(16, edges);
        assert_eq!(parts(&g, &[0; 16]), None);
        // Groups of four: the parts are still the cliques, whole groups each.
        let fours: Vec<u32> = (0..16).map(|i| i / 4).collect();
        let p = parts(&g, &fours).expect("two parts");
        assert_ne!(p[0], p[8]);
        assert!(p[..8].iter().all(|&l| l == p[0]));
    }

    #[test]
    fn a_small_part_goes_back_to_the_part_it_is_linked_to() {
        // Two 10-node cliques and a triangle hanging off the second one (3 of 23 < 15%).
        let mut edges = clique(0, 10, 1.0);
        edges.extend(clique(10, 10, 1.0));
        edges.extend(clique(20, 3, 1.0));
        edges.push((0, 10, 1.0));
        edges.push((20, 12, 1.0));
        let g = WeightedGraph::from_edges(23, edges);
        let p = parts(&g, &each(&g)).expect("two parts");
        assert_eq!(p.iter().max(), Some(&1));
        assert!(p[20..].iter().all(|&l| l == p[10]));
    }
}
