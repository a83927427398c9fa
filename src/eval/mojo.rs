//! MoJo distance and MoJoFM, exactly.
//!
//! MoJo (Tzerpos & Holt 1999) counts the Move and Join operations that turn partition `A` into
//! partition `B` of the same objects: a Move takes one object to another (possibly new)
//! cluster, a Join merges two clusters. `mno(A, B)` is the minimum number of such operations;
//! it is not symmetric. This is the exact algorithm of Wen & Tzerpos ("An optimal algorithm
//! for MoJo distance", IWPC 2003):
//!
//! * `v_ij = |A_i ∩ B_j|`; cluster `A_i` is tagged with every group `B_j` where `v_ij` is its
//!   maximum `m_i`;
//! * `g` = size of a maximum matching between clusters and groups over these tags (the largest
//!   number of groups that keep a distinct cluster as their core);
//! * `mno(A, B) = (n − Σ_i m_i) + (l − g)`: every object outside its cluster's tag moves once,
//!   and the `l` clusters collapse into `g` groups by joins.
//!
//! MoJoFM (Wen & Tzerpos, "An effectiveness measure for software clustering algorithms",
//! IWPC 2004) is `(1 − mno(A, B) / max_A' mno(A', B)) × 100`. The maximum over all partitions
//! `A'` depends only on the group sizes `b_j` of `B`:
//! `max mno(∀A', B) = n − min_{t ≥ 1} (t − 1 + #{j : b_j ≥ t})`.
//! Both formulas are checked against a brute-force search of Move/Join sequences in the tests.

/// A partition as one label per object (labels need not be contiguous).
pub type Labels = [u32];

/// `mno(A, B)`: minimum Move and Join operations turning `a` into `b`. `a` and `b` label the
/// same objects (same length).
pub fn mno(a: &Labels, b: &Labels) -> usize {
    assert_eq!(
        a.len(),
        b.len(),
        "MoJo compares partitions of the same objects"
    );
    let a = dense(a);
    let b = dense(b);
    let l = a.iter().copied().max().map_or(0, |m| m as usize + 1);
    let groups = b.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut pairs: Vec<(u32, u32)> = a.iter().copied().zip(b.iter().copied()).collect();
    pairs.sort_unstable();
    let mut overlaps: Vec<Vec<(u32, usize)>> = vec![Vec::new(); l];
    for (cluster, group) in pairs {
        let row = &mut overlaps[cluster as usize];
        match row.last_mut() {
            Some((g, count)) if *g == group => *count += 1,
            _ => row.push((group, 1)),
        }
    }
    let mut kept = 0usize;
    let tags: Vec<Vec<u32>> = overlaps
        .iter()
        .map(|row| {
            let max = row.iter().map(|&(_, c)| c).max().unwrap_or(0);
            kept += max;
            row.iter()
                .filter(|&&(_, c)| c == max)
                .map(|&(g, _)| g)
                .collect()
        })
        .collect();
    let g = maximum_matching(&tags, groups);
    (a.len() - kept) + (l - g)
}

/// `max mno(∀A, B)`: the distance from `b` of the partition farthest from it.
pub fn max_mno(b: &Labels) -> usize {
    let n = b.len();
    let mut sizes: Vec<usize> = group_sizes(&dense(b));
    sizes.sort_unstable_by(|x, y| y.cmp(x));
    let largest = sizes.first().copied().unwrap_or(0);
    let best = (1..=largest + 1)
        .map(|t| t - 1 + sizes.iter().take_while(|&&s| s >= t).count())
        .min()
        .unwrap_or(0);
    n - best.min(n)
}

/// MoJoFM of candidate `a` against reference `b`, in percent. 100 when `b` admits no
/// distance at all (fewer than two objects).
pub fn mojo_fm(a: &Labels, b: &Labels) -> f64 {
    let max = max_mno(b);
    if max == 0 {
        return 100.0;
    }
    (1.0 - mno(a, b) as f64 / max as f64) * 100.0
}

fn dense(labels: &Labels) -> Vec<u32> {
    let mut sorted: Vec<u32> = labels.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    labels
        .iter()
        .map(|l| sorted.binary_search(l).map_or(0, |i| i as u32))
        .collect()
}

fn group_sizes(dense_labels: &[u32]) -> Vec<usize> {
    let count = dense_labels
        .iter()
        .copied()
        .max()
        .map_or(0, |m| m as usize + 1);
    let mut sizes = vec![0usize; count];
    for &l in dense_labels {
        sizes[l as usize] += 1;
    }
    sizes
}

/// Size of a maximum matching in the bipartite graph `left -> adjacency[left]` (Kuhn's
/// augmenting paths, iterative so deep paths cannot overflow the stack).
fn maximum_matching(adjacency: &[Vec<u32>], right_count: usize) -> usize {
    let mut match_of_right: Vec<Option<usize>> = vec![None; right_count];
    let mut size = 0;
    for start in 0..adjacency.len() {
        let mut visited = vec![false; right_count];
        // Each frame: (left node, index of the next edge to try, right node we came through).
        let mut stack: Vec<(usize, usize, Option<u32>)> = vec![(start, 0, None)];
        let mut found = false;
        while let Some(frame) = stack.last_mut() {
            let (left, next) = (frame.0, frame.1);
            if next >= adjacency[left].len() {
                stack.pop();
                continue;
            }
            frame.1 += 1;
            let right = adjacency[left][next];
            if visited[right as usize] {
                continue;
            }
            visited[right as usize] = true;
            match match_of_right[right as usize] {
                Some(other) => stack.push((other, 0, Some(right))),
                None => {
                    // Flip the path: each frame's left takes the right it reached next.
                    let mut take = right;
                    while let Some((l, _, via)) = stack.pop() {
                        match_of_right[take as usize] = Some(l);
                        match via {
                            Some(v) => take = v,
                            None => break,
                        }
                    }
                    found = true;
                    break;
                }
            }
        }
        if found {
            size += 1;
        }
    }
    size
}
