//! The consensus graph and the confidence formula on hand-computed cases.

use crate::cluster::consensus::co_assignment_graph;
use crate::cluster::{WeightedGraph, confidence, derive_seed};

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
