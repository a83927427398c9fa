//! A subject crate's own infrastructure: in a workspace, the error type or the database handle
//! of a member crate about one subject (`garage_web::error::Error`, `atuin_scripts::database`)
//! is named like infrastructure, but when only that crate's code refers to it, it serves that
//! one subject and belongs with it, not with what every domain shares.
//!
//! Kernel rule 1 ([`super::kernel::infrastructure_by_name`]) reads names only, which is right
//! in a single crate, where `error` and `database` are shared by every domain. In a workspace
//! split by subject, each crate keeps such modules for itself, and sending them to the kernel
//! leaves the crate's domain without them (and its root module, which follows its children,
//! in the kernel too). The rule lifts the kernel reason of an item only when:
//! - its crate is a member about a subject: it holds at most [`MAX_CRATE_SHARE`] of the
//!   items and its name has a [`crate_subjects`] word, not an infrastructure word itself
//!   (`garage_util`, `garage_api_common` stay whole in the kernel);
//! - the name that made it infrastructure is one of its modules, not its crate's name;
//! - something refers to it, and every referrer lies in its own crate: an item other crates
//!   use is shared, whatever it is called.

use std::collections::BTreeMap;

use super::crates::{MAX_CRATE_SHARE, crate_of, crate_subjects};
use super::input::NodeInfo;
use super::kernel::{KernelReason, KernelRules, infrastructure_crate};

/// `reasons` with the infrastructure-name reason lifted from the items only their own subject
/// crate refers to (see the module docs). `pairs` are the directed "a refers to b" pairs.
pub fn own_infrastructure(
    nodes: &[NodeInfo],
    pairs: &[(u32, u32)],
    reasons: &[Option<KernelReason>],
    rules: &KernelRules,
) -> Vec<Option<KernelReason>> {
    let mut out = reasons.to_vec();
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
    // item -> (referrers, referrers in its own crate)
    let mut referrers: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
    for &(from, to) in pairs {
        let (Some(a), Some(b)) = (nodes.get(from as usize), nodes.get(to as usize)) else {
            continue;
        };
        let counts = referrers.entry(to).or_default();
        counts.0 += 1;
        counts.1 += usize::from(crate_of(a) == crate_of(b));
    }
    for (i, node) in nodes.iter().enumerate() {
        let Some(KernelReason::InfrastructureName { segment }) = &reasons[i] else {
            continue;
        };
        let in_module = node.module.split("::").skip(1).any(|s| s == segment);
        let only_own = referrers
            .get(&(i as u32))
            .is_some_and(|&(all, own)| all > 0 && own == all);
        if in_module && only_own && member(crate_of(node)) {
            out[i] = None;
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

    #[test]
    fn an_error_type_only_its_subject_crate_uses_is_not_kernel() {
        let (nodes, reasons) = workspace();
        assert_eq!(reasons[0], named("error"));
        let pairs = [(1, 0), (2, 0), (2, 1)];
        let out = own_infrastructure(&nodes, &pairs, &reasons, &KernelRules::default());
        assert_eq!(out[0], None, "shop_search's own error follows shop_search");
    }

    #[test]
    fn an_error_type_other_crates_use_stays_kernel() {
        let (nodes, reasons) = workspace();
        let pairs = [(5, 3), (2, 3)];
        let out = own_infrastructure(&nodes, &pairs, &reasons, &KernelRules::default());
        assert_eq!(out[3], named("error"), "shop_search refers to it too");
    }

    #[test]
    fn an_infrastructure_crate_and_unreferenced_items_stay_kernel() {
        let (nodes, reasons) = workspace();
        assert_eq!(
            reasons[7],
            named("util"),
            "the crate's name makes it kernel"
        );
        let pairs = [(7, 6)];
        let out = own_infrastructure(&nodes, &pairs, &reasons, &KernelRules::default());
        assert_eq!(
            out[6],
            named("error"),
            "shop_util is infrastructure as a whole"
        );
        assert_eq!(out[7], named("util"));
        assert_eq!(out[0], named("error"), "nothing refers to it");
    }

    #[test]
    fn a_single_crate_is_left_alone() {
        let nodes: Vec<NodeInfo> = ["shop::error::Error", "shop::orders::place"]
            .into_iter()
            .map(node)
            .collect();
        let reasons = vec![named("error"), None];
        let out = own_infrastructure(&nodes, &[(1, 0)], &reasons, &KernelRules::default());
        assert_eq!(out, reasons);
    }
}
