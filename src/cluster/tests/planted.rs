//! Clustering recovers planted communities, deterministically, and its confidence singles
//! out the nodes that sit between communities.

use crate::cluster::{
    ClusterInput, Clusterer, Layer, LeidenClusterer, LouvainClusterer, NodeInfo, SuggestConfig,
    WeightedGraph, suggest,
};

const GROUPS: u32 = 4;
const SIZE: u32 = 10;

/// Four dense groups (each node linked to the 6 next ones of its group, wrapping) in a ring,
/// consecutive groups linked by two light edges.
fn planted_edges() -> Vec<(u32, u32, f64)> {
    let mut edges = Vec::new();
    for g in 0..GROUPS {
        for i in 0..SIZE {
            for step in 1..=6 {
                edges.push((g * SIZE + i, g * SIZE + (i + step) % SIZE, 1.0));
            }
        }
        let next = (g + 1) % GROUPS;
        edges.push((g * SIZE, next * SIZE + 1, 0.2));
        edges.push((g * SIZE + 5, next * SIZE + 6, 0.2));
    }
    edges
}

fn node(i: u32) -> NodeInfo {
    NodeInfo {
        id: format!("shop::group{}::Item{i}", i / SIZE),
        module: format!("shop::group{}", i / SIZE),
        words: vec![],
    }
}

fn planted_input(extra_nodes: u32, extra_edges: Vec<(u32, u32, f64)>) -> ClusterInput {
    let mut edges = planted_edges();
    edges.extend(extra_edges);
    ClusterInput {
        nodes: (0..GROUPS * SIZE + extra_nodes).map(node).collect(),
        layers: vec![Layer::directed("references", 1.0, edges)],
    }
}

fn expected_group(i: u32) -> u32 {
    i / SIZE
}

#[test]
fn leiden_recovers_planted_groups_exactly() {
    let graph = planted_input(0, vec![]).combine();
    for seed in [0, 1, 42, 0xDEAD_BEEF] {
        let labels = LeidenClusterer.cluster(&graph, 1.0, seed);
        let expected: Vec<u32> = (0..GROUPS * SIZE).map(expected_group).collect();
        assert_eq!(labels, expected, "seed {seed}");
    }
}

#[test]
fn louvain_recovers_planted_groups_exactly() {
    let graph = planted_input(0, vec![]).combine();
    let labels = LouvainClusterer.cluster(&graph, 1.0, 7);
    let expected: Vec<u32> = (0..GROUPS * SIZE).map(expected_group).collect();
    assert_eq!(labels, expected);
}

#[test]
fn suggestion_recovers_planted_groups_with_high_confidence() {
    let s = suggest(
        &planted_input(0, vec![]),
        &LeidenClusterer,
        &SuggestConfig::default(),
    );
    assert_eq!(s.domain_count, GROUPS as usize);
    let expected: Vec<Option<u32>> = (0..GROUPS * SIZE)
        .map(|i| Some(expected_group(i)))
        .collect();
    assert_eq!(s.domain, expected);
    assert!(s.kernel.iter().all(Option::is_none));
    for (i, c) in s.confidence.iter().enumerate() {
        assert!(*c > 0.99, "node {i}: {c}");
    }
}

#[test]
fn bridge_nodes_get_lower_confidence() {
    // Nodes 40 and 41 are tied equally to groups 0 and 1.
    let mut extra = Vec::new();
    for bridge in [40, 41] {
        for i in 0..3 {
            extra.push((bridge, i + 2, 1.0));
            extra.push((bridge, SIZE + i + 2, 1.0));
        }
    }
    let s = suggest(
        &planted_input(2, extra),
        &LeidenClusterer,
        &SuggestConfig::default(),
    );
    assert!(
        s.kernel.iter().all(Option::is_none),
        "bridges do not make hubs: {:?}",
        s.kernel
    );
    for bridge in [40, 41] {
        let d = s.domain[bridge];
        assert!(
            d.is_some() && (d == s.domain[2] || d == s.domain[12]),
            "{bridge}: {d:?}"
        );
    }
    let planted_min = s.confidence[20..40]
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    let bridge_max = s.confidence[40].max(s.confidence[41]);
    assert!(planted_min > 0.95, "{planted_min}");
    assert!(
        bridge_max < planted_min,
        "bridges {bridge_max} vs planted {planted_min}"
    );
    assert!(bridge_max < 0.9, "{:?}", &s.confidence[40..]);
}

#[test]
fn same_input_and_seed_give_identical_output() {
    let input = planted_input(0, vec![(3, 13, 1.0), (17, 27, 0.5)]);
    let config = SuggestConfig {
        seed: 99,
        ..SuggestConfig::default()
    };
    let first = suggest(&input, &LeidenClusterer, &config);
    let second = suggest(&input, &LeidenClusterer, &config);
    assert_eq!(first, second);
    assert_eq!(
        first
            .confidence
            .iter()
            .map(|c| c.to_bits())
            .collect::<Vec<_>>(),
        second
            .confidence
            .iter()
            .map(|c| c.to_bits())
            .collect::<Vec<_>>()
    );
}

#[test]
fn edge_order_does_not_change_the_graph() {
    let mut reversed = planted_edges();
    reversed.reverse();
    let flipped: Vec<_> = planted_edges()
        .into_iter()
        .map(|(a, b, w)| (b, a, w))
        .collect();
    let base = WeightedGraph::from_edges(40, planted_edges());
    assert_eq!(base, WeightedGraph::from_edges(40, reversed));
    assert_eq!(base, WeightedGraph::from_edges(40, flipped));
}

#[test]
fn layers_combine_by_weight_and_drop_invalid_edges() {
    let input = ClusterInput {
        nodes: (0..3).map(node).collect(),
        layers: vec![
            Layer::directed(
                "references",
                2.0,
                vec![(0, 1, 1.0), (1, 0, 0.5), (2, 2, 1.0)],
            ),
            Layer::undirected(
                "vocabulary",
                0.5,
                vec![(0, 1, 1.0), (1, 2, f64::NAN), (0, 9, 1.0)],
            ),
        ],
    };
    let graph = input.combine();
    assert_eq!(graph.edge_count(), 1);
    assert_eq!(graph.neighbors(0), &[(1, 3.5)]);
    assert_eq!(input.directed_pairs(), vec![(0, 1), (1, 0)]);
}

#[test]
fn target_domain_count_steers_the_resolution() {
    let input = planted_input(0, vec![]);
    for target in [2usize, 4, 8] {
        let config = SuggestConfig {
            target_domains: Some(target),
            ..SuggestConfig::default()
        };
        let s = suggest(&input, &LeidenClusterer, &config);
        assert!(
            s.domain_count == target,
            "target {target}: got {} at resolution {}",
            s.domain_count,
            s.resolution
        );
    }
}

#[test]
fn empty_and_edgeless_inputs_do_not_panic() {
    let empty = suggest(
        &ClusterInput::default(),
        &LeidenClusterer,
        &SuggestConfig::default(),
    );
    assert!(empty.domain.is_empty());
    assert_eq!(empty.domain_count, 0);
    let lonely = ClusterInput {
        nodes: (0..3).map(node).collect(),
        layers: vec![],
    };
    let config = SuggestConfig {
        target_domains: Some(0),
        ..SuggestConfig::default()
    };
    let s = suggest(&lonely, &LeidenClusterer, &config);
    assert_eq!(s.domain, vec![Some(0), Some(1), Some(2)]);
    assert_eq!(s.confidence, vec![1.0, 1.0, 1.0]);
}
