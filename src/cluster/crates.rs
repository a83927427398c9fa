//! The crate prior of workspaces: a crate is a unit of intent its authors drew, so a
//! capability crate (atuin's `atuin_ai`) should come out as one domain, not as one domain per
//! feature of it (`permissions`, `context_window`, `tui`, `usage`...).
//!
//! After the consensus, the domains lying within one crate (at least [`CRATE_LOCAL_SHARE`] of
//! their items in it) are joined into one, when that crate is a member of a workspace about a
//! subject: it holds at most [`MAX_CRATE_SHARE`] of the clustered items, and its name has a
//! [`crate_subjects`] word. A crate named after a layer (`lldap_app`, `kellnr_db`) or after
//! the workspace alone (`atuin`, the CLI) keeps every domain's slice of that layer, and its
//! domains stay apart. Domains that span crates are left alone: in a workspace layered by
//! technology (`api`, `db_schema`, `db_views_post`), a domain's slices in every layer are what
//! ties it together, and no crate holds it.
//!
//! Then the stragglers of a subject crate follow the domain holding two thirds of its
//! clustered items ([`follow_crate_majority`]): a crate about one subject is rarely split.
//!
//! A node's confidence stays its confidence in the part it came from: the runs did not join
//! the parts, the rule did, so the confidence of a part still says how sure the vote was.

use std::collections::{BTreeMap, BTreeSet};

use super::input::NodeInfo;
use super::naming::is_layer_word;

/// Share of a domain's items that must sit in one crate for the domain to lie within it.
pub const CRATE_LOCAL_SHARE: f64 = 0.8;

/// A crate holding more than this share of the clustered items is the project rather than a
/// member of it: its domains are the project's domains.
pub const MAX_CRATE_SHARE: f64 = 0.5;

/// The crate of a node: the first segment of its module path.
pub fn crate_of(node: &NodeInfo) -> &str {
    node.module.split("::").next().unwrap_or_default()
}

/// The words of each crate's name that say what it is about: its `_`-separated words but those
/// that more than half of the crates share (the workspace's own name: `atuin` in `atuin_ai`)
/// and layer words (`app`, `db`, `api`, see `naming::LAYER_WORDS`). Empty for the crate of a
/// single-crate project and for a crate named after a layer.
pub fn crate_subjects(nodes: &[NodeInfo]) -> BTreeMap<&str, Vec<&str>> {
    let crates: BTreeSet<&str> = nodes.iter().map(crate_of).collect();
    let mut spread: BTreeMap<&str, usize> = BTreeMap::new();
    for krate in &crates {
        let words: BTreeSet<&str> = krate.split('_').filter(|w| !w.is_empty()).collect();
        for word in words {
            *spread.entry(word).or_default() += 1;
        }
    }
    crates
        .iter()
        .map(|&krate| {
            let words = (krate.split('_'))
                .filter(|w| !w.is_empty() && 2 * spread[w] <= crates.len() && !is_layer_word(w))
                .collect();
            (krate, words)
        })
        .collect()
}

/// Joins the domains lying within one workspace crate. `labels` are the domains of every
/// node (values for kernel nodes are ignored), `is_kernel` marks the nodes set apart. Returns
/// the new labels, not renumbered: a joined domain takes the smallest label among its parts.
pub fn join_within_crates(nodes: &[NodeInfo], labels: &[u32], is_kernel: &[bool]) -> Vec<u32> {
    let clustered = |i: &usize| !is_kernel.get(*i).copied().unwrap_or(false);
    let mut crate_size: BTreeMap<&str, usize> = BTreeMap::new();
    // domain -> crate -> items
    let mut domain_crates: BTreeMap<u32, BTreeMap<&str, usize>> = BTreeMap::new();
    for i in (0..nodes.len()).filter(clustered) {
        let krate = crate_of(&nodes[i]);
        *crate_size.entry(krate).or_default() += 1;
        *domain_crates
            .entry(labels[i])
            .or_default()
            .entry(krate)
            .or_default() += 1;
    }
    let total: usize = crate_size.values().sum();
    let mut out = labels.to_vec();
    if crate_size.len() < 2 {
        return out;
    }
    let subjects = crate_subjects(nodes);
    let member = |krate: &str| {
        crate_size[krate] as f64 <= MAX_CRATE_SHARE * total as f64
            && subjects.get(krate).is_some_and(|words| !words.is_empty())
    };
    // crate -> the smallest label of the domains lying within it
    let mut joined: BTreeMap<&str, u32> = BTreeMap::new();
    let mut target: BTreeMap<u32, u32> = BTreeMap::new();
    for (&domain, crates) in &domain_crates {
        let size: usize = crates.values().sum();
        let Some((&krate, &inside)) = crates.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        else {
            continue;
        };
        if inside as f64 >= CRATE_LOCAL_SHARE * size as f64 && member(krate) {
            let first = *joined.entry(krate).or_insert(domain);
            target.insert(domain, first);
        }
    }
    for i in (0..nodes.len()).filter(clustered) {
        if let Some(&to) = target.get(&labels[i]) {
            out[i] = to;
        }
    }
    out
}

/// Share of a subject crate's clustered items one domain must hold for the crate's other
/// items to follow them.
pub const CRATE_MAJORITY_SHARE: f64 = 2.0 / 3.0;

/// Moves the stragglers of a subject crate (a member with a [`crate_subjects`] word) into the
/// domain holding at least [`CRATE_MAJORITY_SHARE`] of its clustered items: a crate about one
/// subject is rarely split across domains. Kernel nodes stay kernel.
pub fn follow_crate_majority(nodes: &[NodeInfo], labels: &[u32], is_kernel: &[bool]) -> Vec<u32> {
    let clustered = |i: &usize| !is_kernel.get(*i).copied().unwrap_or(false);
    let subjects = crate_subjects(nodes);
    let mut per_crate: BTreeMap<&str, BTreeMap<u32, usize>> = BTreeMap::new();
    for i in (0..nodes.len()).filter(clustered) {
        *per_crate
            .entry(crate_of(&nodes[i]))
            .or_default()
            .entry(labels[i])
            .or_default() += 1;
    }
    let mut majority: BTreeMap<&str, u32> = BTreeMap::new();
    for (krate, domains) in &per_crate {
        let size: usize = domains.values().sum();
        let top = domains
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)));
        if let Some((&d, &count)) = top
            && count as f64 >= CRATE_MAJORITY_SHARE * size as f64
            && subjects.get(krate).is_some_and(|w| !w.is_empty())
        {
            majority.insert(krate, d);
        }
    }
    let mut out = labels.to_vec();
    for i in (0..nodes.len()).filter(clustered) {
        if let Some(&d) = majority.get(crate_of(&nodes[i])) {
            out[i] = d;
        }
    }
    out
}
