//! MoJo, MoJoFM and ARI on hand-computed cases, and MoJo checked against a brute-force search
//! of Move/Join sequences over every pair of partitions of up to six objects.

use std::collections::{BTreeSet, HashMap, VecDeque};

use crate::eval::{adjusted_rand_index, max_mno, mno, mojo_fm};

#[test]
fn identical_partitions_are_at_distance_zero() {
    let a = [0, 0, 1, 1, 2];
    let relabelled = [7, 7, 3, 3, 9];
    assert_eq!(mno(&a, &relabelled), 0);
    assert!((mojo_fm(&a, &relabelled) - 100.0).abs() < 1e-12);
}

#[test]
fn mojo_is_asymmetric() {
    // A = {0,1,2,3}, B = {0,1},{2,3}. A -> B: tag A with one half, move 2 then 3 out: 2 moves.
    // B -> A: one join.
    let a = [0, 0, 0, 0];
    let b = [0, 0, 1, 1];
    assert_eq!(mno(&a, &b), 2);
    assert_eq!(mno(&b, &a), 1);
}

#[test]
fn ties_are_resolved_by_the_matching() {
    // A1 = {0,1} holds one object of each of B1, B2; A2 = {2} holds B1's other object.
    // A greedy tag of A1 with B1 leaves B2 without a core: 1 move + 1 join = 2.
    // The matching tags A1 with B2 and A2 with B1: move 0 to A2, no join = 1.
    let a = [0, 0, 1];
    let b = [0, 1, 0];
    assert_eq!(mno(&a, &b), 1);
}

#[test]
fn split_and_merge_example() {
    // A: {0,1,2}, {3,4,5}, {6}; B: {0,1}, {2,3,4,5,6}.
    // Tags: A1 -> B1 (2), A2 -> B2 (3), A3 -> B2 (1). Moves: 1 (object 2). Matching g = 2,
    // l = 3 -> 1 join (A3 into A2). mno = 2.
    let a = [0, 0, 0, 1, 1, 1, 2];
    let b = [0, 0, 1, 1, 1, 1, 1];
    assert_eq!(mno(&a, &b), 2);
    // Reverse: B1 -> A1 (2), B2 -> A2 (3); moves = 7 - 5 = 2, g = 2, l = 2: mno = 2.
    assert_eq!(mno(&b, &a), 2);
    // Group sizes of b: 5, 2 -> min_t (t - 1 + #{b_j >= t}) = 2 (t = 1) -> max = 5.
    assert_eq!(max_mno(&b), 5);
    assert!((mojo_fm(&a, &b) - 60.0).abs() < 1e-12);
}

#[test]
fn max_mno_of_simple_references() {
    assert_eq!(max_mno(&[0, 0, 0, 0, 0]), 4); // singletons need 4 joins
    assert_eq!(max_mno(&[0, 1, 2, 3, 4]), 4); // one cluster needs 4 moves
    assert_eq!(max_mno(&[0]), 0);
    assert!((mojo_fm(&[0], &[5]) - 100.0).abs() < 1e-12);
    // Sizes 3, 3, 3: t = 1 -> 3, t = 2 -> 4, t = 4 -> 3: 9 - 3 = 6.
    assert_eq!(max_mno(&[0, 0, 0, 1, 1, 1, 2, 2, 2]), 6);
}

#[test]
fn ari_matches_published_values() {
    // scikit-learn's documented examples of adjusted_rand_score.
    assert!((adjusted_rand_index(&[0, 0, 1, 1], &[0, 0, 1, 1]) - 1.0).abs() < 1e-12);
    assert!((adjusted_rand_index(&[0, 0, 1, 1], &[1, 1, 0, 0]) - 1.0).abs() < 1e-12);
    assert!((adjusted_rand_index(&[0, 0, 1, 2], &[0, 0, 1, 1]) - 4.0 / 7.0).abs() < 1e-12);
    assert!((adjusted_rand_index(&[0, 0, 1, 1], &[0, 0, 1, 2]) - 4.0 / 7.0).abs() < 1e-12);
    assert!(adjusted_rand_index(&[0, 0, 0, 0], &[0, 1, 2, 3]).abs() < 1e-12);
    // Hand-computed: index 2, expected 6*3/15 = 1.2, max 4.5 -> 0.8/3.3 = 8/33.
    let ari = adjusted_rand_index(&[0, 0, 0, 1, 1, 1], &[0, 0, 1, 1, 2, 2]);
    assert!((ari - 8.0 / 33.0).abs() < 1e-12, "{ari}");
    // Worse than chance is negative.
    assert!(adjusted_rand_index(&[0, 0, 1, 1], &[0, 1, 0, 1]) < 0.0);
}

type Partition = BTreeSet<BTreeSet<u8>>;

fn all_partitions(n: u8) -> Vec<Partition> {
    let mut out: Vec<Vec<Vec<u8>>> = vec![vec![]];
    for x in 0..n {
        let mut next = Vec::new();
        for p in &out {
            for i in 0..p.len() {
                let mut q = p.clone();
                q[i].push(x);
                next.push(q);
            }
            let mut q = p.clone();
            q.push(vec![x]);
            next.push(q);
        }
        out = next;
    }
    out.into_iter()
        .map(|p| p.into_iter().map(|c| c.into_iter().collect()).collect())
        .collect()
}

/// Every partition one Move or Join away.
fn neighbours(p: &Partition) -> Vec<Partition> {
    let clusters: Vec<&BTreeSet<u8>> = p.iter().collect();
    let mut out = Vec::new();
    for i in 0..clusters.len() {
        for j in i + 1..clusters.len() {
            let mut q: Partition = p.clone();
            q.remove(clusters[i]);
            q.remove(clusters[j]);
            q.insert(clusters[i].union(clusters[j]).copied().collect());
            out.push(q);
        }
        for &x in clusters[i] {
            for j in (0..clusters.len()).map(Some).chain([None]) {
                if j == Some(i) {
                    continue;
                }
                let mut q: Partition = p.clone();
                q.remove(clusters[i]);
                let mut from = clusters[i].clone();
                from.remove(&x);
                if !from.is_empty() {
                    q.insert(from);
                }
                match j {
                    Some(j) => {
                        q.remove(clusters[j]);
                        let mut to = clusters[j].clone();
                        to.insert(x);
                        q.insert(to);
                    }
                    None => {
                        q.insert(BTreeSet::from([x]));
                    }
                }
                out.push(q);
            }
        }
    }
    out
}

fn labels(p: &Partition, n: u8) -> Vec<u32> {
    let mut l = vec![0; n as usize];
    for (c, cluster) in p.iter().enumerate() {
        for &x in cluster {
            l[x as usize] = c as u32;
        }
    }
    l
}

#[test]
fn mojo_equals_the_shortest_move_join_sequence() {
    for n in 1..=6u8 {
        let partitions = all_partitions(n);
        let index: HashMap<&Partition, usize> =
            partitions.iter().enumerate().map(|(i, p)| (p, i)).collect();
        let adjacency: Vec<Vec<usize>> = partitions
            .iter()
            .map(|p| neighbours(p).iter().map(|q| index[q]).collect())
            .collect();
        let label_sets: Vec<Vec<u32>> = partitions.iter().map(|p| labels(p, n)).collect();
        let mut farthest = vec![0usize; partitions.len()];
        for a in 0..partitions.len() {
            let mut dist = vec![usize::MAX; partitions.len()];
            dist[a] = 0;
            let mut queue = VecDeque::from([a]);
            while let Some(u) = queue.pop_front() {
                for &v in &adjacency[u] {
                    if dist[v] == usize::MAX {
                        dist[v] = dist[u] + 1;
                        queue.push_back(v);
                    }
                }
            }
            for b in 0..partitions.len() {
                assert_eq!(
                    mno(&label_sets[a], &label_sets[b]),
                    dist[b],
                    "n = {n}, A = {:?}, B = {:?}",
                    partitions[a],
                    partitions[b]
                );
                farthest[b] = farthest[b].max(dist[b]);
            }
        }
        for b in 0..partitions.len() {
            assert_eq!(
                max_mno(&label_sets[b]),
                farthest[b],
                "n = {n}, B = {:?}",
                partitions[b]
            );
        }
    }
}
