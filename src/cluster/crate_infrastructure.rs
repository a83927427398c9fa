//! A subject crate's own infrastructure: in a workspace, the error type or the database handle
//! of a member crate about one subject (`garage_api_k2v::error::Error`,
//! `atuin_scripts::database::Database`) is named like infrastructure, but when only that crate's
//! code refers to it, and that code lies in one domain, it serves that domain and belongs with
//! it, not with what every domain shares.
//!
//! Kernel rule 1 ([`super::kernel::infrastructure_by_name`]) reads names only, which is right
//! in a single crate, where `error` and `database` serve every domain. In a workspace split by
//! subject, each crate keeps such modules for itself, and sending them to the kernel leaves the
//! crate's domain without them (and its root module, which follows its children, in the kernel
//! too). After clustering, the rule moves an item set apart by its name into a domain when:
//! - its crate is a member about a subject: it holds at most [`MAX_CRATE_SHARE`] of the
//!   items and its name has a [`crate_subjects`] word, not an infrastructure word itself
//!   (`garage_util`, `garage_api_common` stay whole in the kernel);
//! - the name that made it infrastructure is one of its modules, not its crate's name;
//! - something refers to it, every referrer lies in its own crate, and all those referrers are
//!   in one domain, which it joins. An item other crates use is shared, whatever it is called;
//!   and the error type of a crate whose code spans several domains (garage's admin API: its
//!   bucket, key and cluster endpoints) serves all of them.
//!
//! It runs after the clustering, not before it: lifted before, the items changed the graph
//! the consensus ran on, and the domains of unrelated code moved with them (measured: garage's
//! object tables joined the metadata tables; docs/benchmarks.md).

use std::collections::{BTreeMap, BTreeSet};

use super::crates::{MAX_CRATE_SHARE, crate_of, crate_subjects};
use super::input::NodeInfo;
use super::kernel::{KernelReason, KernelRules, infrastructure_crate};

/// `reasons` and `labels` (each node's domain, ignored for kernel nodes) with the items only
/// their own subject crate refers to, from one domain, moved from the kernel into that domain
/// (see the module docs). `pairs` are the directed "a refers to b" pairs.
pub fn follow_own_crate(
    nodes: &[NodeInfo],
    pairs: &[(u32, u32)],
    reasons: &[Option<KernelReason>],
    labels: &[u32],
    rules: &KernelRules,
) -> (Vec<Option<KernelReason>>, Vec<u32>) {
    let mut out = (reasons.to_vec(), labels.to_vec());
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for node in nodes {
        *sizes.entry(crate_of(node)).or_default() += 1;
    }
    if sizes.len() < 2 {
        return out;
    }
    let subjects = crate_subjects(nodes);
    let member = |krate: &str| {
        sizes[krate] as f64 <= MAX_CRATE_SHARE * nodes.len() as f64
            && subjects.get(krate).is_some_and(|words| !words.is_empty())
            && !krate
                .rsplit('_')
                .next()
                .is_some_and(|word| infrastructure_crate(word, rules))
    };
    // item -> the domain of each referrer, `None` for a referrer outside its crate or kernel
    let mut referrers: BTreeMap<u32, BTreeSet<Option<u32>>> = BTreeMap::new();
    for &(from, to) in pairs {
        let (Some(a), Some(b)) = (nodes.get(from as usize), nodes.get(to as usize)) else {
            continue;
        };
        let own = crate_of(a) == crate_of(b) && reasons[from as usize].is_none();
        let domain = own.then(|| labels[from as usize]);
        referrers.entry(to).or_default().insert(domain);
    }
    for (i, node) in nodes.iter().enumerate() {
        let Some(KernelReason::InfrastructureName { segment }) = &reasons[i] else {
            continue;
        };
        let in_module = node.module.split("::").skip(1).any(|s| s == segment);
        let one_domain = match referrers.get(&(i as u32)) {
            Some(domains) if domains.len() == 1 => domains.first().copied().flatten(),
            _ => None,
        };
        if let Some(domain) = one_domain
            && in_module
            && member(crate_of(node))
        {
            out.0[i] = None;
            out.1[i] = domain;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str) -> NodeInfo {
        let module = id.rsplit_once("::").map_or(id, |(m, _)| m).to_owned();
        NodeInfo {
            id: id.to_owned(),
            module,
            words: Vec::new(),
        }
    }

    fn named(segment: &str) -> Option<KernelReason> {
        Some(KernelReason::InfrastructureName {
            segment: segment.to_owned(),
        })
    }

    /// A workspace of a `shop_search` subject crate, a `shop_billing` one and a `shop_util`
    /// infrastructure crate, each with an `error` type.
    fn workspace() -> (Vec<NodeInfo>, Vec<Option<KernelReason>>) {
        let nodes: Vec<NodeInfo> = [
            "shop_search::error::Error",      // 0: used by shop_search only
            "shop_search::server::Server",    // 1
            "shop_search::server::serve",     // 2
            "shop_billing::error::Error",     // 3: used by shop_search too
            "shop_billing::invoice::Invoice", // 4
            "shop_billing::invoice::charge",  // 5
            "shop_util::error::Error",        // 6: used by its own crate only
            "shop_util::time::now",           // 7
            "shop_orders::order::Order",      // 8
            "shop_orders::order::place",      // 9
        ]
        .into_iter()
        .map(node)
        .collect();
        let rules = KernelRules::default();
        let reasons = super::super::kernel::infrastructure_by_name(&nodes, &rules);
        (nodes, reasons)
    }

    fn run(
        nodes: &[NodeInfo],
        pairs: &[(u32, u32)],
        reasons: &[Option<KernelReason>],
        labels: &[u32],
    ) -> (Vec<Option<KernelReason>>, Vec<u32>) {
        follow_own_crate(nodes, pairs, reasons, labels, &KernelRules::default())
    }

    // Domains: 0 = search (1, 2), 1 = billing (4, 5), 2 = orders (8, 9).
    const LABELS: [u32; 10] = [9, 0, 0, 9, 1, 1, 9, 9, 2, 2];

    #[test]
    fn an_error_type_only_its_subject_crate_uses_joins_its_domain() {
        let (nodes, reasons) = workspace();
        assert_eq!(reasons[0], named("error"));
        let pairs = [(1, 0), (2, 0), (2, 1)];
        let (kernel, labels) = run(&nodes, &pairs, &reasons, &LABELS);
        assert_eq!(
            kernel[0], None,
            "shop_search's own error follows shop_search"
        );
        assert_eq!(labels[0], 0);
    }

    #[test]
    fn an_error_type_other_crates_or_several_domains_use_stays_kernel() {
        let (nodes, reasons) = workspace();
        let (kernel, _) = run(&nodes, &[(5, 3), (2, 3)], &reasons, &LABELS);
        assert_eq!(kernel[3], named("error"), "shop_search refers to it too");
        // shop_billing's code in two domains: its error serves both.
        let split = [9, 0, 0, 9, 1, 2, 9, 9, 2, 2];
        let (kernel, _) = run(&nodes, &[(4, 3), (5, 3)], &reasons, &split);
        assert_eq!(kernel[3], named("error"));
    }

    #[test]
    fn an_infrastructure_crate_and_unreferenced_items_stay_kernel() {
        let (nodes, reasons) = workspace();
        assert_eq!(
            reasons[7],
            named("util"),
            "the crate's name makes it kernel"
        );
        let (kernel, _) = run(&nodes, &[(7, 6)], &reasons, &LABELS);
        assert_eq!(
            kernel[6],
            named("error"),
            "shop_util is infrastructure as a whole"
        );
        assert_eq!(kernel[7], named("util"));
        assert_eq!(kernel[0], named("error"), "nothing refers to it");
    }

    #[test]
    fn a_single_crate_is_left_alone() {
        let nodes: Vec<NodeInfo> = ["shop::error::Error", "shop::orders::place"]
            .into_iter()
            .map(node)
            .collect();
        let reasons = vec![named("error"), None];
        let (kernel, _) = run(&nodes, &[(1, 0)], &reasons, &[9, 0]);
        assert_eq!(kernel, reasons);
    }
}
