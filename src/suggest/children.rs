//! A child module split off its parent's domain without data of its own goes back to it.
//!
//! realworld-axum-sqlx keeps its article listing in `http::articles::listing`: five tightly
//! linked items (two handlers, their query and body types) that read the article tables but
//! write none. Modularity makes them a domain of their own ("listing"), while
//! `http::articles::comments`, the sibling that writes its own `article_comment` table, is
//! rightly one. The rule tells the two apart by the data: a domain whose items all sit below
//! one module (not a crate root) that holds another domain, and that writes no table while
//! the codebase writes some, is a part of that domain. When that module has no items of its
//! own (a `mod.rs` of `mod` lines: the hotel fixture's `reservations`, whose `cancellation`
//! splits off at resolution 1), its domain is the one holding two thirds of the items below
//! it, if any: a domain's folder, not a folder of several domains' modules.

use std::collections::{BTreeMap, BTreeSet};

use crate::cluster::{NodeInfo, Suggestion};

use super::input::Built;

/// Joins every domain that is a data-less child of another domain's module into that domain
/// (see the module doc), renumbering the domains canonically. Codebases whose table evidence
/// has no writes are left alone: there, writing nothing says nothing.
pub fn join_children_without_data(built: &Built, s: &mut Suggestion) {
    let writes = writes_per_domain(built, s);
    if writes.iter().all(|&w| w == 0) {
        return;
    }
    let nodes = &built.input.nodes;
    let mut own: BTreeMap<&str, BTreeMap<u32, usize>> = BTreeMap::new();
    let mut modules_of: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); s.domain_count];
    for (i, node) in nodes.iter().enumerate() {
        if let Some(d) = s.domain[i] {
            *own.entry(node.module.as_str())
                .or_default()
                .entry(d)
                .or_default() += 1;
            modules_of[d as usize].insert(node.module.as_str());
        }
    }
    // The domain holding most of a module's own items (ties: the lowest).
    let majority = |m: &str| {
        (own.get(m)?.iter())
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(&d, _)| d)
    };
    let target: Vec<Option<u32>> = (0..s.domain_count as u32)
        .map(|d| {
            if writes[d as usize] > 0 {
                return None;
            }
            let modules = &modules_of[d as usize];
            let parent = (modules.iter())
                .filter_map(|m| m.rsplit_once("::").map(|(p, _)| p))
                .min_by_key(|p| p.len())?;
            let below = |m: &&str| m.strip_prefix(parent).is_some_and(|r| r.starts_with("::"));
            // A crate root holds everything: being below it says nothing.
            if !parent.contains("::") || !modules.iter().all(below) {
                return None;
            }
            // A parent with no clustered items of its own is a folder: its domain is the
            // one that holds it.
            let home = if own.contains_key(parent) {
                majority(parent)
            } else {
                folder_domain(nodes, s, parent, d)
            };
            home.filter(|&p| p != d && writes[p as usize] > 0)
        })
        .collect();
    if target.iter().all(Option::is_none) {
        return;
    }
    for slot in s.domain.iter_mut() {
        if let Some(t) = slot.and_then(|d| target[d as usize]) {
            *slot = Some(t);
        }
    }
    s.renumber();
}

/// The domain whose folder `parent` is, when `parent` has no items of its own (a `mod.rs`
/// holding only `mod` and `use`): the domain holding at least two thirds of the items below
/// it, outside the child domain `child`, kernel items counted as not that domain's.
///
/// A folder is a domain's folder when that domain is what it holds: the rest put together
/// is at most half of it. Below that, the folder gathers several domains (svix's
/// `v1::endpoints` holds a module for each), and which holds most is arbitrary there, so
/// the child's own domain stands.
fn folder_domain(nodes: &[NodeInfo], s: &Suggestion, parent: &str, child: u32) -> Option<u32> {
    let below = |m: &str| m.strip_prefix(parent).is_some_and(|r| r.starts_with("::"));
    let mut count: BTreeMap<u32, usize> = BTreeMap::new();
    let mut total = 0;
    for (i, node) in nodes.iter().enumerate() {
        if s.domain[i] == Some(child) || !below(&node.module) {
            continue;
        }
        total += 1;
        if let Some(d) = s.domain[i] {
            *count.entry(d).or_default() += 1;
        }
    }
    let (&d, &n) = count
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
    (3 * n >= 2 * total).then_some(d)
}

/// Table writes made by each domain's items.
fn writes_per_domain(built: &Built, s: &Suggestion) -> Vec<u32> {
    let mut writes = vec![0u32; s.domain_count];
    for usage in built.tables.values() {
        for (&node, &count) in &usage.writers {
            if let Some(d) = s.domain[node as usize] {
                writes[d as usize] += count;
            }
        }
    }
    writes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::test_support::{self, in_domains, suggestion};

    fn built(modules: &[&str], tables: &[(&str, &[u32])]) -> Built {
        let tables: Vec<(&str, &[u32], &[u32])> =
            tables.iter().map(|&(t, w)| (t, w, &[][..])).collect();
        test_support::built(modules, &[], &tables)
    }

    #[test]
    fn a_child_without_data_joins_its_parents_domain_and_one_with_data_stays() {
        let b = built(
            &[
                "c::http::articles",           // 0: article handlers, write `article`
                "c::http::articles",           // 1
                "c::http::articles::listing",  // 2: reads only
                "c::http::articles::listing",  // 3
                "c::http::articles::comments", // 4: writes `comment`
                "c::http::users",              // 5: writes `user`
            ],
            &[("article", &[0]), ("comment", &[4]), ("user", &[5])],
        );
        let mut s = suggestion(in_domains(&[0, 0, 1, 1, 2, 3]));
        join_children_without_data(&b, &mut s);
        assert_eq!(
            s.domain,
            in_domains(&[0, 0, 0, 0, 1, 2]),
            "listing joins articles; comments, with its own table, stays"
        );
        assert_eq!(s.domain_count, 3);
    }

    #[test]
    fn a_data_less_child_of_an_item_less_domain_folder_joins_the_folders_domain() {
        // `c::resv` is a `mod.rs` with only `mod` lines: no items of its own.
        let b = built(
            &[
                "c::resv::booking",      // 0: writes `reservation`
                "c::resv::booking",      // 1
                "c::resv::rooms",        // 2
                "c::resv::rooms",        // 3
                "c::resv::cancellation", // 4: reads only
                "c::resv::cancellation", // 5
                "c::billing",            // 6: writes `invoice`
            ],
            &[("reservation", &[0]), ("invoice", &[6])],
        );
        let mut s = suggestion(in_domains(&[0, 0, 0, 0, 1, 1, 2]));
        join_children_without_data(&b, &mut s);
        assert_eq!(
            s.domain,
            in_domains(&[0, 0, 0, 0, 0, 0, 1]),
            "everything else below `c::resv` is the reservations domain: cancellation is part of it"
        );
    }

    #[test]
    fn a_data_less_child_of_an_item_less_aggregator_stays() {
        // `c::v1` gathers several domains' modules; the one with most items has 3 of 5.
        let b = built(
            &[
                "c::v1::app",   // 0: writes `app`
                "c::v1::app",   // 1
                "c::v1::app",   // 2
                "c::v1::msg",   // 3: writes `msg`
                "c::v1::msg",   // 4
                "c::v1::stats", // 5: reads only
                "c::v1::stats", // 6
            ],
            &[("app", &[0]), ("msg", &[3])],
        );
        let domains = in_domains(&[0, 0, 0, 1, 1, 2, 2]);
        let mut s = suggestion(domains.clone());
        join_children_without_data(&b, &mut s);
        assert_eq!(s.domain, domains, "no domain holds two thirds of `c::v1`");

        // Kernel items below the folder are not its domain's either.
        let domains = vec![Some(0), Some(0), Some(0), None, None, Some(1), Some(1)];
        let mut s = suggestion(domains.clone());
        join_children_without_data(&b, &mut s);
        assert_eq!(s.domain, domains, "3 of 5 items is not two thirds");
    }

    #[test]
    fn crate_roots_and_codebases_without_writes_are_left_alone() {
        // `c::logs` is below the crate root only, whose items are another domain's.
        let b = built(&["c", "c::logs"], &[("t", &[0])]);
        let mut s = suggestion(in_domains(&[0, 1]));
        join_children_without_data(&b, &mut s);
        assert_eq!(s.domain, in_domains(&[0, 1]));

        let b = built(&["c::a", "c::a::b"], &[]);
        let mut s = suggestion(in_domains(&[0, 1]));
        join_children_without_data(&b, &mut s);
        assert_eq!(s.domain, in_domains(&[0, 1]), "no table written anywhere");
    }
}
