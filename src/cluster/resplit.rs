//! A second clustering pass inside large domains: modularity's resolution limit.
//!
//! Modularity compares a community's internal weight with what chance would give in the
//! *whole* graph (Fortunato & Barthélemy, "Resolution limit in community detection", PNAS
//! 2007): two groups whose mutual links exceed roughly `k_a k_b / 2m` are merged, and that
//! bar drops as the graph grows. In a large monolith two capabilities that share a few
//! calls (an account and a sync feature reached from the same CLI and server crates, a
//! person and the instance it lives on) fall under it and come out as one domain.
//!
//! The remedy is the classic one: cluster each large domain's own subgraph again, where the
//! null model is the domain's own weight, and keep the split only when the domain is clearly
//! made of parts (the parts' modularity inside the domain reaches [`MIN_MODULARITY`]) and
//! every kept part is a capability's size, not a handful of items ([`MIN_PART_SHARE`]).
//! Smaller parts go back to the part they are most linked to.

use std::collections::BTreeMap;

use super::algo::{Clusterer, canonical_labels};
use super::consensus::{ConsensusConfig, consensus};
use super::input::WeightedGraph;

/// A domain is split again only when it holds at least this many nodes: below it, parts would
/// be a few items each.
pub const MIN_NODES: usize = 40;

/// The modularity the parts must reach inside the domain (Newman's rule of thumb for real
/// community structure is 0.3).
pub const MIN_MODULARITY: f64 = 0.3;

/// Share of the domain's nodes a part must hold to stand as a domain of its own.
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
    let k: f64 = degree
        .values()
        .map(|d| (d / (2.0 * total)).powi(2))
        .sum::<f64>();
    e - resolution * k
}

/// Splits every large domain of `labels` (nodes where `excluded` is set are skipped, their
/// labels kept) whose own subgraph has clear parts (see the module doc). Returns new labels,
/// canonically numbered; a domain that is not split keeps its nodes together.
pub fn split_large_domains<C: Clusterer + ?Sized>(
    clusterer: &C,
    graph: &WeightedGraph,
    labels: &[u32],
    excluded: &[bool],
    resolution: f64,
    seed: u64,
    config: &ConsensusConfig,
) -> Vec<u32> {
    let mut members: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (i, &l) in labels.iter().enumerate() {
        if !excluded.get(i).copied().unwrap_or(false) {
            members.entry(l).or_default().push(i as u32);
        }
    }
    let mut out = labels.to_vec();
    let mut next = labels.iter().max().map_or(0, |&m| m + 1);
    for nodes in members.values() {
        if nodes.len() < MIN_NODES {
            continue;
        }
        let Some(parts) = parts_of(clusterer, graph, nodes, resolution, seed, config) else {
            continue;
        };
        // The first part keeps the domain's label, the others take fresh ones.
        let mut fresh: BTreeMap<u32, u32> = BTreeMap::new();
        for (k, &node) in nodes.iter().enumerate() {
            let p = parts[k];
            if p == 0 {
                continue;
            }
            let label = *fresh.entry(p).or_insert_with(|| {
                next += 1;
                next - 1
            });
            out[node as usize] = label;
        }
    }
    canonical_labels(&out)
}

/// The parts of the domain made of `nodes` (indices into `graph`), as a part per node in
/// `nodes`' order, or `None` when the domain is kept whole.
fn parts_of<C: Clusterer + ?Sized>(
    clusterer: &C,
    graph: &WeightedGraph,
    nodes: &[u32],
    resolution: f64,
    seed: u64,
    config: &ConsensusConfig,
) -> Option<Vec<u32>> {
    let index: BTreeMap<u32, u32> = (nodes.iter())
        .enumerate()
        .map(|(k, &n)| (n, k as u32))
        .collect();
    let edges: Vec<(u32, u32, f64)> = (nodes.iter())
        .flat_map(|&a| {
            let index = &index;
            graph.neighbors(a).iter().filter_map(move |&(b, w)| {
                let (&ka, &kb) = (index.get(&a)?, index.get(&b)?);
                (ka < kb).then_some((ka, kb, w))
            })
        })
        .collect();
    let sub = WeightedGraph::from_edges(nodes.len(), edges);
    let labels = consensus(
        clusterer,
        &sub,
        resolution,
        seed,
        &config.within_budget(nodes.len()),
    )
    .labels;
    let labels = absorb_small_parts(&sub, labels);
    let count = labels.iter().max().map_or(0, |&m| m as usize + 1);
    if count < 2 || modularity(&sub, &labels, 1.0) < MIN_MODULARITY {
        return None;
    }
    Some(labels)
}

/// Moves the nodes of every part below [`MIN_PART_SHARE`] of the domain into the large part
/// they are most linked to (the largest part when they have no link to one), and numbers the
/// parts canonically.
fn absorb_small_parts(sub: &WeightedGraph, labels: Vec<u32>) -> Vec<u32> {
    let n = labels.len();
    let mut size: BTreeMap<u32, usize> = BTreeMap::new();
    for &l in &labels {
        *size.entry(l).or_default() += 1;
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
        if la == lb {
            continue;
        }
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

    fn config() -> ConsensusConfig {
        ConsensusConfig {
            runs: 10,
            ..ConsensusConfig::default()
        }
    }

    #[test]
    fn modularity_of_two_cliques_split_is_near_a_half_and_whole_is_zero() {
        let mut edges = clique(0, 5, 1.0);
        edges.extend(clique(5, 5, 1.0));
        edges.push((0, 5, 1.0));
        let g = WeightedGraph::from_edges(10, edges);
        let split: Vec<u32> = (0..10).map(|i| u32::from(i >= 5)).collect();
        let q = modularity(&g, &split, 1.0);
        assert!((q - 0.4762).abs() < 1e-3, "{q}");
        assert!(modularity(&g, &[0; 10], 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_large_domain_of_two_loosely_tied_parts_is_split() {
        // Two 25-node cliques tied by one edge, given as one domain.
        let mut edges = clique(0, 25, 1.0);
        edges.extend(clique(25, 25, 1.0));
        edges.push((0, 25, 1.0));
        let g = WeightedGraph::from_edges(50, edges);
        let labels = vec![0; 50];
        let out = split_large_domains(
            &LeidenClusterer,
            &g,
            &labels,
            &[false; 50],
            1.0,
            7,
            &config(),
        );
        assert_ne!(out[0], out[25]);
        assert!(out[..25].iter().all(|&l| l == out[0]));
        assert!(out[25..].iter().all(|&l| l == out[25]));
    }

    #[test]
    fn a_large_domain_without_parts_is_kept_whole() {
        let g = WeightedGraph::from_edges(45, clique(0, 45, 1.0));
        let out = split_large_domains(
            &LeidenClusterer,
            &g,
            &[0; 45],
            &[false; 45],
            1.0,
            7,
            &config(),
        );
        assert!(out.iter().all(|&l| l == 0));
    }

    #[test]
    fn a_small_domain_is_not_split_again() {
        let mut edges = clique(0, 10, 1.0);
        edges.extend(clique(10, 10, 1.0));
        edges.push((0, 10, 1.0));
        let g = WeightedGraph::from_edges(20, edges);
        let out = split_large_domains(
            &LeidenClusterer,
            &g,
            &[0; 20],
            &[false; 20],
            1.0,
            7,
            &config(),
        );
        assert!(out.iter().all(|&l| l == 0));
    }

    #[test]
    fn a_small_part_goes_back_to_the_part_it_is_linked_to() {
        // Two 24-node cliques and a 3-node triangle hanging off the second one.
        let mut edges = clique(0, 24, 1.0);
        edges.extend(clique(24, 24, 1.0));
        edges.extend(clique(48, 3, 1.0));
        edges.push((0, 24, 1.0));
        edges.push((48, 30, 1.0));
        let g = WeightedGraph::from_edges(51, edges);
        let out = split_large_domains(
            &LeidenClusterer,
            &g,
            &[0; 51],
            &[false; 51],
            1.0,
            7,
            &config(),
        );
        assert_ne!(out[0], out[24]);
        assert!(out[48..].iter().all(|&l| l == out[24]));
    }

    #[test]
    fn excluded_nodes_keep_their_labels() {
        let mut edges = clique(0, 25, 1.0);
        edges.extend(clique(25, 25, 1.0));
        edges.push((0, 25, 1.0));
        let g = WeightedGraph::from_edges(51, edges);
        let mut excluded = vec![false; 51];
        excluded[50] = true;
        let mut labels = vec![0; 51];
        labels[50] = 1;
        let out = split_large_domains(&LeidenClusterer, &g, &labels, &excluded, 1.0, 7, &config());
        assert_ne!(out[0], out[25]);
        assert!(out[50] != out[0] && out[50] != out[25]);
    }
}
