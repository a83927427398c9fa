//! A large domain whose parts each own tables is two capabilities, not one.
//!
//! Modularity merges groups whose mutual links exceed what chance would give in the whole
//! graph, a bar that drops as the codebase grows (the resolution limit, see
//! `cluster::resplit`): atuin's account commands and its hub metadata, garage's access keys
//! and its buckets, lemmy's people and the instances they live on come out as one domain each.
//! Clustering such a domain again on its own finds its parts, but modularity finds parts in
//! almost any domain of forty items (measured: it split lldap's users and groups and lemmy's
//! communities as readily as the mixes). What tells a mix apart is the data: in a Rust
//! monolith a capability is the code around the tables it writes (an aggregate and its
//! consistency boundary), so a domain whose parts each own a table (write it, or define it,
//! more than the other parts do) holds several capabilities, while the parts of one
//! capability share its tables and one of them owns them all. The split is kept only then.

use std::collections::BTreeMap;

use crate::cluster::resplit::domain_parts;
use crate::cluster::{ConsensusConfig, LeidenClusterer, Suggestion};

use super::input::Built;

/// A domain is clustered again only when it holds at least this many items: below it, its
/// parts would be a handful of items each.
pub const MIN_ITEMS: usize = 40;

/// Splits every large domain whose parts each own a table into those parts (see the module
/// doc), renumbering the domains canonically. `seed` seeds the runs inside each domain.
pub fn split_mixed_domains(built: &Built, s: &mut Suggestion, seed: u64) {
    let nodes = &built.input.nodes;
    let mut module_ids: BTreeMap<&str, u32> = BTreeMap::new();
    let groups: Vec<u32> = (nodes.iter())
        .map(|n| {
            let next = module_ids.len() as u32;
            *module_ids.entry(n.module.as_str()).or_insert(next)
        })
        .collect();
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); s.domain_count];
    for (i, d) in s.domain.iter().enumerate() {
        if let Some(d) = d {
            members[*d as usize].push(i as u32);
        }
    }
    let graph = built.input.combine();
    let config = ConsensusConfig::default();
    let mut next = s.domain_count as u32;
    let mut changed = false;
    for items in members.iter().filter(|m| m.len() >= MIN_ITEMS) {
        let Some(parts) = domain_parts(
            &LeidenClusterer,
            &graph,
            &groups,
            items,
            s.resolution,
            seed,
            &config,
        ) else {
            continue;
        };
        if !every_part_owns_a_table(built, items, &parts) {
            continue;
        }
        // Part 0 keeps the domain's number, the others take new ones.
        let count = parts.iter().max().map_or(0, |&m| m + 1);
        for (&item, &part) in items.iter().zip(&parts) {
            if part > 0 {
                s.domain[item as usize] = Some(next + part - 1);
            }
        }
        next += count - 1;
        changed = true;
    }
    if changed {
        s.renumber();
    }
}

/// Whether each part (`parts[k]` is the part of `items[k]`) owns a table: among the
/// domain's items, its items write the table most, or, for a table the domain does not
/// write, define it most (ties: the lowest part).
pub fn every_part_owns_a_table(built: &Built, items: &[u32], parts: &[u32]) -> bool {
    let part_of: BTreeMap<u32, u32> = items.iter().copied().zip(parts.iter().copied()).collect();
    let count = parts.iter().max().map_or(0, |&m| m as usize + 1);
    let mut owns = vec![false; count];
    for usage in built.tables.values() {
        let tally = |counts: &BTreeMap<u32, u32>| {
            let mut per: BTreeMap<u32, u32> = BTreeMap::new();
            for (node, &n) in counts {
                if let Some(&p) = part_of.get(node) {
                    *per.entry(p).or_default() += n;
                }
            }
            (per.into_iter())
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(p, _)| p)
        };
        if let Some(p) = tally(&usage.writers).or_else(|| tally(&usage.definers)) {
            owns[p as usize] = true;
        }
    }
    owns.iter().all(|&o| o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::test_support::{self, suggestion};

    /// Two groups of `half` items, each in its own few modules and densely linked inside,
    /// tied by one reference; `tables` as for `test_support::built`.
    fn two_halves(half: u32, tables: &[(&str, &[u32], &[u32])]) -> Built {
        let modules: Vec<String> = (0..2 * half)
            .map(|i| format!("app::{}::m{}", if i < half { "a" } else { "b" }, i / 5))
            .collect();
        let modules: Vec<&str> = modules.iter().map(String::as_str).collect();
        let mut refs = Vec::new();
        for side in [0, half] {
            for a in side..side + half {
                for b in a + 1..side + half {
                    refs.push((a, b));
                }
            }
        }
        refs.push((0, half));
        test_support::built(&modules, &refs, tables)
    }

    #[test]
    fn a_large_domain_whose_parts_each_write_a_table_is_split() {
        let b = two_halves(25, &[("keys", &[1, 2], &[]), ("buckets", &[30], &[])]);
        let mut s = suggestion(vec![Some(0); 50]);
        split_mixed_domains(&b, &mut s, 7);
        assert_eq!(s.domain_count, 2);
        assert!(s.domain[..25].iter().all(|d| *d == s.domain[0]));
        assert!(s.domain[25..].iter().all(|d| *d == s.domain[25]));
        assert_ne!(s.domain[0], s.domain[25]);
    }

    #[test]
    fn a_large_domain_whose_tables_one_part_owns_is_kept_whole() {
        // Both halves write `users`, the first more: the second owns nothing.
        let b = two_halves(25, &[("users", &[1, 2, 30], &[])]);
        let mut s = suggestion(vec![Some(0); 50]);
        split_mixed_domains(&b, &mut s, 7);
        assert_eq!(s.domain_count, 1);
    }

    #[test]
    fn a_table_only_defined_counts_for_the_part_defining_it() {
        let b = two_halves(25, &[("keys", &[1], &[]), ("buckets", &[], &[30])]);
        let mut s = suggestion(vec![Some(0); 50]);
        split_mixed_domains(&b, &mut s, 7);
        assert_eq!(s.domain_count, 2);
    }

    #[test]
    fn a_small_domain_is_not_split() {
        let b = two_halves(10, &[("keys", &[1], &[]), ("buckets", &[15], &[])]);
        let mut s = suggestion(vec![Some(0); 20]);
        split_mixed_domains(&b, &mut s, 7);
        assert_eq!(s.domain_count, 1);
    }

    #[test]
    fn other_domains_and_the_kernel_are_left_alone() {
        let b = two_halves(25, &[("keys", &[1], &[]), ("buckets", &[30], &[])]);
        let mut domain = vec![Some(0); 50];
        domain[49] = None;
        domain[48] = Some(1);
        let mut s = suggestion(domain);
        split_mixed_domains(&b, &mut s, 7);
        assert_eq!(s.domain[49], None);
        assert_eq!(s.domain_count, 3);
        let d48 = s.domain[48];
        assert!(s.domain[..48].iter().all(|d| *d != d48));
    }
}
