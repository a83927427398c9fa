//! The consensus graph and the confidence formula on hand-computed cases, and the stability
//! of the consensus across seeds.

use crate::cluster::consensus::co_assignment_graph;
use crate::cluster::{
    Clusterer, ConsensusConfig, LeidenClusterer, WeightedGraph, confidence, consensus, derive_seed,
};

#[test]
fn confidence_is_the_mean_share_of_final_mates_kept() {
    let final_labels = [0, 0, 0, 1];
    let runs = vec![vec![0, 0, 0, 1], vec![5, 5, 6, 6]];
    let c = confidence(&final_labels, &runs);
    // Node 0: mates {1, 2}; run 1 keeps both, run 2 keeps node 1 only: (1 + 1/2) / 2.
    assert!((c[0] - 0.75).abs() < 1e-12);
    assert!((c[1] - 0.75).abs() < 1e-12);
    // Node 2: run 1 keeps both mates, run 2 none.
    assert!((c[2] - 0.5).abs() < 1e-12);
    // Node 3 is alone in the end: alone in run 1, not in run 2.
    assert!((c[3] - 0.5).abs() < 1e-12);
    assert_eq!(confidence(&final_labels, &[]), vec![1.0; 4]);
}

#[test]
fn consensus_graph_keeps_agreed_edges_and_rescues_the_strongest() {
    // Path 0-1-2-3. Runs agree on {0,1} always, on {1,2} once in four, on {2,3} three times.
    let graph = WeightedGraph::from_edges(4, vec![(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0)]);
    let runs = vec![
        vec![0, 0, 1, 1],
        vec![0, 0, 1, 1],
        vec![0, 0, 1, 1],
        vec![0, 0, 0, 1],
    ];
    let consensus = co_assignment_graph(&graph, &runs, 0.5);
    let edges: Vec<_> = consensus.edges().collect();
    assert_eq!(edges, vec![(0, 1, 1.0), (2, 3, 0.75)]);
    // Raise the threshold: 2-3 falls below it but is the strongest edge of node 3 (and of
    // node 2), so it is rescued; node 2's edge to 1 (0.25) is not.
    let strict = co_assignment_graph(&graph, &runs, 0.9);
    let edges: Vec<_> = strict.edges().collect();
    assert_eq!(edges, vec![(0, 1, 1.0), (2, 3, 0.75)]);
}

#[test]
fn derived_seeds_differ_and_repeat() {
    let seeds: Vec<u64> = (0..10).map(|r| derive_seed(42, r)).collect();
    let mut distinct = seeds.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 10);
    assert_eq!(
        seeds,
        (0..10).map(|r| derive_seed(42, r)).collect::<Vec<_>>()
    );
    assert_ne!(derive_seed(42, 0), derive_seed(43, 0));
}

/// Six groups of eight nodes, each pair linked with probability 0.5 inside a group and 0.08
/// across (a fixed LCG stream, so the graph is the same on every machine): groups loose
/// enough that Leiden's runs disagree on the nodes between them.
fn loose_groups(stream: u64) -> WeightedGraph {
    let mut state = stream;
    let mut next = || {
        state =
            (state.wrapping_mul(6_364_136_223_846_793_005)).wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let (groups, size) = (6u32, 8u32);
    let mut edges = Vec::new();
    for a in 0..groups * size {
        for b in a + 1..groups * size {
            let p = if a / size == b / size { 0.5 } else { 0.08 };
            if next() < p {
                edges.push((a, b, 1.0));
            }
        }
    }
    WeightedGraph::from_edges((groups * size) as usize, edges)
}

/// Distinct partitions that `config` gives over seeds 1-10.
fn partitions_over_seeds(graph: &WeightedGraph, config: &ConsensusConfig) -> usize {
    let mut parts: Vec<Vec<u32>> = (1..=10)
        .map(|seed| consensus(&LeidenClusterer, graph, 1.0, seed, config).labels)
        .collect();
    parts.sort();
    parts.dedup();
    parts.len()
}

#[test]
fn shipped_consensus_gives_one_split_where_single_runs_and_one_round_flip() {
    let graph = loose_groups(7);
    let mut single: Vec<Vec<u32>> = (1..=10)
        .map(|seed| LeidenClusterer.cluster(&graph, 1.0, seed))
        .collect();
    single.sort();
    single.dedup();
    assert!(
        single.len() > 1,
        "the graph should be ambiguous for one run"
    );
    let old = ConsensusConfig {
        runs: 10,
        rounds: 0,
        ..ConsensusConfig::default()
    };
    assert!(partitions_over_seeds(&graph, &old) > 1);
    // More runs alone still leave two answers; the rounds settle them.
    let no_rounds = ConsensusConfig {
        rounds: 0,
        ..ConsensusConfig::default()
    };
    assert!(partitions_over_seeds(&graph, &no_rounds) > 1);
    assert_eq!(
        partitions_over_seeds(&graph, &ConsensusConfig::default()),
        1
    );
}

#[test]
fn rounds_stop_once_the_runs_agree() {
    // Two triangles joined by one light edge: every run agrees, so the rounds change
    // nothing and the result is the runs' split.
    let graph = WeightedGraph::from_edges(
        6,
        vec![
            (0, 1, 1.0),
            (1, 2, 1.0),
            (0, 2, 1.0),
            (3, 4, 1.0),
            (4, 5, 1.0),
            (3, 5, 1.0),
            (2, 3, 0.1),
        ],
    );
    let result = consensus(
        &LeidenClusterer,
        &graph,
        1.0,
        3,
        &ConsensusConfig::default(),
    );
    assert_eq!(result.labels, vec![0, 0, 0, 1, 1, 1]);
    assert_eq!(result.confidence, vec![1.0; 6]);
}

#[test]
fn large_graphs_get_fewer_runs_and_no_rounds_within_the_budget() {
    use crate::cluster::consensus::{RUN_BUDGET, hub_runs_within_budget};
    let shipped = ConsensusConfig::default();
    // Lemmy-sized graphs keep every run and round.
    assert_eq!(shipped.within_budget(1_500), shipped);
    assert_eq!(shipped.within_budget(RUN_BUDGET / shipped.runs), shipped);
    // Past the budget the runs shrink and the rounds stop, never below the old 10 runs.
    let wide = shipped.within_budget(12_500);
    assert_eq!((wide.runs, wide.rounds), (RUN_BUDGET / 12_500, 0));
    assert_eq!(wide.threshold, shipped.threshold);
    let huge = shipped.within_budget(1_000_000);
    assert_eq!((huge.runs, huge.rounds), (10, 0));
    // A config asking for fewer than 10 runs keeps what it asked for.
    let few = ConsensusConfig {
        runs: 3,
        ..shipped.clone()
    };
    assert_eq!(few.within_budget(1_000_000).runs, 3);
    assert_eq!(hub_runs_within_budget(21, 1_500), 21);
    assert_eq!(hub_runs_within_budget(21, 50_000), RUN_BUDGET / 50_000);
    assert_eq!(hub_runs_within_budget(21, 10_000_000), 1);
    assert_eq!(hub_runs_within_budget(21, 0), 21);
}
