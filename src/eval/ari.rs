//! Adjusted Rand index (Hubert & Arabie, "Comparing partitions", J. Classification 1985).
//!
//! With `n_ij` the contingency table of two partitions, `a_i`, `b_j` its row and column sums
//! and `C(x) = x(x−1)/2`:
//!
//! ```text
//! index    = Σ_ij C(n_ij)
//! expected = Σ_i C(a_i) · Σ_j C(b_j) / C(n)
//! max      = (Σ_i C(a_i) + Σ_j C(b_j)) / 2
//! ARI      = (index − expected) / (max − expected)
//! ```
//!
//! When `max == expected` (both partitions trivial in the same way, e.g. both all-singletons
//! or both one cluster) the partitions are identical and the ARI is 1.

use std::collections::HashMap;

fn pairs(x: usize) -> f64 {
    let x = x as f64;
    x * (x - 1.0) / 2.0
}

/// ARI of two labelings of the same objects; symmetric, 1 for identical partitions, about 0
/// for independent ones, negative when worse than chance.
pub fn adjusted_rand_index(a: &[u32], b: &[u32]) -> f64 {
    assert_eq!(
        a.len(),
        b.len(),
        "ARI compares partitions of the same objects"
    );
    let mut cells: HashMap<(u32, u32), usize> = HashMap::new();
    let mut rows: HashMap<u32, usize> = HashMap::new();
    let mut cols: HashMap<u32, usize> = HashMap::new();
    for (&x, &y) in a.iter().zip(b) {
        *cells.entry((x, y)).or_default() += 1;
        *rows.entry(x).or_default() += 1;
        *cols.entry(y).or_default() += 1;
    }
    // Sums of integers-valued terms are exact in f64 at these sizes, so the HashMap
    // iteration order cannot change the result.
    let index: f64 = cells.values().map(|&c| pairs(c)).sum();
    let sum_rows: f64 = rows.values().map(|&c| pairs(c)).sum();
    let sum_cols: f64 = cols.values().map(|&c| pairs(c)).sum();
    let total = pairs(a.len());
    if total == 0.0 {
        return 1.0;
    }
    let expected = sum_rows * sum_cols / total;
    let max = (sum_rows + sum_cols) / 2.0;
    if max == expected {
        return 1.0;
    }
    (index - expected) / (max - expected)
}
