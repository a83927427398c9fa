//! Shared-kernel detection: infrastructure that every domain uses is set apart instead of
//! being forced into one domain (where it would also glue unrelated domains together).
//!
//! Four explicit rules, applied in this order:
//!
//! 1. **Infrastructure name.** A node is kernel when its own module (the last path segment,
//!    the first being the crate) is one of [`KernelRules::infra_segments`] (`config`,
//!    `error`, `db`, `pool`, `util`, `telemetry`, `startup`, ...), or when any segment is one
//!    of [`KernelRules::infra_containers`] (`util`, `utils`, `common`, `helpers`, ...), names
//!    that never hold domain code. Whole segments only: `shop::db::Pool` and
//!    `shop::utils::date::Parse` are kernel; `shop::dashboard::Widget` is not, and neither is
//!    `shop::database::users::UserRow`, since codebases keep per-domain storage under `db`.
//!    `fn main` at a crate root is kernel too: the entry point starts the wiring, and its
//!    callees say nothing about its domain.
//! 2. **Hub.** Over the directed layers ("a refers to b"), let `fan_in(v)` be the number of
//!    distinct nodes referring to `v` and `spread(v)` the number of distinct communities those
//!    referrers sit in (kernel referrers excluded). Communities come from a clustering without
//!    the hub candidates (the nodes that pass the fan-in or fan-out threshold): a hub glues
//!    together what it touches, and candidates do not count towards a spread. `v` is kernel when
//!    `fan_in(v) >= max(min_fan_in, P)`, where `P` is the `percentile` (nearest rank) of
//!    `fan_in` over the nodes with `fan_in > 0`, and `spread(v) >= min_spread`.
//! 3. **Composition root.** The same rule on the referees: a node that refers to many nodes
//!    (`fan_out`, same percentile and floor) spread over at least `min_spread` communities is
//!    wiring (route table, dependency container, `main`) rather than a domain.
//! 4. **Kernel neighbours.** A node linked to other nodes, all of them kernel by rule 1 or 3,
//!    is wiring too: left out, it would be a one-item domain. Nodes linked only to hubs stay:
//!    a storage trait only its hub service uses is that service's domain, and its module
//!    should follow it (conduit's `service::account_data::data`).
//!
//! After clustering, `suggest::kernel_only` gives [`KernelReason::KernelReferences`] to an
//! item whose references all touch the kernel, none a domain's facade.
//!
//! A fifth reason, [`KernelReason::SharedDomain`], is given after clustering, where the
//! domains are known: `suggest::shared_domains` sends to the kernel a whole domain that
//! several domains use and that uses none, without table data of its own, or
//! ([`KernelReason::IsolatedDomain`]) that no domain is linked to, without table data in a
//! codebase where at least a quarter of the domains touch a table, or
//! ([`KernelReason::DatalessNeighbours`]) that is linked only to domains without table data
//! either, or ([`KernelReason::Subjectless`]) whose modules name no subject and that refers
//! to no other domain; and a sixth,
//! [`KernelReason::Aggregator`], by `suggest::aggregators` to the own items of a module with
//! no subject whose submodules sit in several domains.

use std::collections::BTreeSet;

use super::input::{NodeInfo, WeightedGraph};

/// Why a node is in the shared kernel.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum KernelReason {
    /// Rule 1: its module path has this infrastructure segment.
    InfrastructureName {
        /// The matching segment.
        segment: String,
    },
    /// Rule 2: many referrers, spread over many communities.
    Hub {
        /// Distinct referrers.
        fan_in: usize,
        /// Distinct communities of the referrers.
        spread: usize,
    },
    /// Rule 3: refers to many nodes spread over many communities (route tables, dependency
    /// containers, `main`): wiring, not a domain.
    CompositionRoot {
        /// Distinct referees.
        fan_out: usize,
        /// Distinct communities of the referees.
        spread: usize,
    },
    /// Rule 1: `fn main` at a crate root, the program's entry point: it starts the wiring
    /// whatever it calls, so it says nothing about where its callees belong.
    EntryPoint,
    /// Rule 4: every node it is linked to is infrastructure or a composition root (a `fn main`
    /// that only calls the wiring), so it is part of the wiring too.
    KernelNeighbours {
        /// Its linked nodes.
        neighbours: usize,
    },
    /// After clustering (`suggest::kernel_only`): every item it refers to or is referred to by
    /// is kernel, no hub refers to it, and no subject name or table ties it to a domain's
    /// item, so nothing but its folder and words placed it.
    KernelReferences {
        /// Distinct items it refers to or is referred to by.
        references: usize,
    },
    /// After clustering (`suggest::shared_domains`): its domain is used by several domains,
    /// uses none and touches no table, so it is infrastructure those domains share.
    SharedDomain {
        /// Distinct domains referring to its domain.
        users: usize,
    },
    /// After clustering (`suggest::shared_domains`): no other domain refers to its domain nor
    /// is referred to by it, and its domain touches no table where at least a quarter of the
    /// domains touch one, so it is self-contained plumbing.
    IsolatedDomain,
    /// After clustering (`suggest::shared_domains`): its domain touches no table and is
    /// linked (refers or is referred to) only to domains that touch none either, where at
    /// least a quarter of the domains touch one, so it is plumbing around the capabilities.
    DatalessNeighbours {
        /// Distinct other domains its domain is linked to.
        domains: usize,
    },
    /// After clustering (`suggest::shared_domains`): no module of its domain is named after a
    /// subject (all are crate roots or a crate's top-level modules) and its domain refers to
    /// no other domain, where domains keep data in tables and most have a subject, so it is a
    /// crate's set-up.
    Subjectless,
    /// After clustering (`suggest::aggregators`): its module has no subject of its own (a
    /// crate root, a top-level module, a layer folder) and the modules below it sit in several
    /// domains, so its items are what those domains share or the wiring between them.
    Aggregator {
        /// Distinct domains of the modules below its module.
        domains: usize,
    },
}

/// The thresholds of the two rules.
#[derive(Debug, Clone, PartialEq)]
pub struct KernelRules {
    /// Module names that mark infrastructure when they are the node's own module (the last
    /// segment), lowercase, compared exactly.
    pub infra_segments: Vec<String>,
    /// Module names whose whole subtree is infrastructure (any segment matches).
    pub infra_containers: Vec<String>,
    /// Rule 2: minimum number of referrer communities.
    pub min_spread: usize,
    /// Rule 2: percentile (0..=1) of the fan-in distribution a hub must reach.
    pub percentile: f64,
    /// Rules 2 and 3: absolute floor on the fan-in (fan-out), so tiny graphs do not crown
    /// hubs of 1.
    pub min_fan_in: usize,
    /// Whether rule 3 applies.
    pub composition_roots: bool,
    /// The `_`-separated words of the codebase's table names, lowercase: what a top-level
    /// module of a `common` crate must be named after to be clustered (rule 1).
    pub table_words: BTreeSet<String>,
    /// Top-level modules of `common` crates (`crate::module`) whose items refer to domain
    /// code of another crate: clustered like those named after a table (rule 1).
    pub domain_common_modules: BTreeSet<String>,
}

/// The default infrastructure segments, sorted.
pub const INFRA_SEGMENTS: &[&str] = &[
    "common",
    "config",
    "configuration",
    "database",
    "db",
    "error",
    "errors",
    "infra",
    "infrastructure",
    "logging",
    "pool",
    "prelude",
    "settings",
    "startup",
    "telemetry",
    "tracing",
    "util",
    "utils",
];

/// The default infrastructure containers, sorted: names that never hold a business domain,
/// unlike `db` or `config`, under which a codebase may keep per-domain code
/// (`database::key_value::users`).
pub const INFRA_CONTAINERS: &[&str] = &[
    "common",
    "helpers",
    "infra",
    "infrastructure",
    "kernel",
    "logging",
    "prelude",
    "shared",
    "telemetry",
    "util",
    "utils",
];

impl Default for KernelRules {
    fn default() -> Self {
        KernelRules {
            infra_segments: INFRA_SEGMENTS.iter().map(|s| (*s).to_owned()).collect(),
            infra_containers: INFRA_CONTAINERS.iter().map(|s| (*s).to_owned()).collect(),
            min_spread: 3,
            percentile: 0.95,
            min_fan_in: 4,
            composition_roots: true,
            table_words: BTreeSet::new(),
            domain_common_modules: BTreeSet::new(),
        }
    }
}

/// Rule 1 for every node.
pub fn infrastructure_by_name(
    nodes: &[NodeInfo],
    rules: &KernelRules,
) -> Vec<Option<KernelReason>> {
    nodes
        .iter()
        .map(|node| {
            let mut path = node.module.split("::");
            let krate = path.next().unwrap_or_default();
            let crate_word =
                (krate.rsplit('_').next()).filter(|word| infrastructure_crate(word, rules));
            let segments: Vec<&str> = path.collect();
            // A subject's shared part in a `common` crate is that subject's code (below).
            let crate_word = crate_word.filter(|&word| {
                word != COMMON
                    || !(segments.first()).is_some_and(|top| {
                        top.split('_').any(|w| rules.table_words.contains(w))
                            || rules
                                .domain_common_modules
                                .contains(&format!("{krate}::{top}"))
                    })
            });
            let last = segments.last().copied();
            (segments.iter().copied())
                .find(|segment| rules.infra_containers.iter().any(|s| s == segment))
                .or(last.filter(|segment| rules.infra_segments.iter().any(|s| s == segment)))
                .or(crate_word)
                .map(|segment| KernelReason::InfrastructureName {
                    segment: segment.to_owned(),
                })
                .or_else(|| is_entry_point(node).then_some(KernelReason::EntryPoint))
        })
        .collect()
}

/// The last word of a crate that holds what several crates share (`kellnr_common`,
/// `garage_api_common`).
///
/// Rule 1 reads such a crate as infrastructure, and for a crate of helpers it is
/// (`atuin_common::string`, `::time`, `::range`). But `common` names no concern, only that
/// several crates use the code, and a workspace layered by technology also keeps its
/// domains' shared types there: `kellnr_common::crate_data`, `::cratesio_downloader`,
/// `::webhook` are the crates', the crates.io cache's and the webhooks' types, named after
/// the data they describe (tables `crate_meta`, `cratesio_crate`, `webhook`). A top-level
/// module of a `common` crate (with its subtree) whose name shares a word with a table name
/// ([`KernelRules::table_words`]) is clustered; the crate's root and its other modules stay
/// kernel, and so does a `common` module inside a crate (a container).
const COMMON: &str = "common";

/// `fn main` at a crate root (a binary's entry point): its path is `<crate>::main`. Left
/// in the clustering, `main` joined the domain of whatever it starts (zero-to-production's
/// delivery worker, conduit's command-line arguments) and took the binary's module along.
fn is_entry_point(node: &NodeInfo) -> bool {
    !node.module.contains("::")
        && (node.id.strip_prefix(node.module.as_str())).is_some_and(|rest| rest == "::main")
}

/// Whether the last word of a crate's name (`shop_kernel`, `kellnr_settings`) says the whole
/// crate is infrastructure: a container or segment name, except the storage words, since a
/// storage crate keeps per-domain code (`kellnr_db::user`).
fn infrastructure_crate(word: &str, rules: &KernelRules) -> bool {
    let named = |list: &[String]| list.iter().any(|s| s == word);
    named(&rules.infra_containers)
        || (named(&rules.infra_segments) && !matches!(word, "db" | "database" | "pool"))
}

/// Distinct referrers and referees of every node, over the pairs between nodes not already
/// in the kernel.
struct Neighbourhoods {
    referrers: Vec<Vec<u32>>,
    referees: Vec<Vec<u32>>,
}

impl Neighbourhoods {
    fn new(pairs: &[(u32, u32)], n: usize, already_kernel: &[bool]) -> Self {
        let is_kernel = |v: u32| already_kernel.get(v as usize).copied().unwrap_or(false);
        let mut referrers: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut referees: Vec<Vec<u32>> = vec![Vec::new(); n];
        for &(from, to) in pairs {
            if (from as usize) < n && (to as usize) < n && !is_kernel(from) && !is_kernel(to) {
                referrers[to as usize].push(from);
                referees[from as usize].push(to);
            }
        }
        for list in referrers.iter_mut().chain(referees.iter_mut()) {
            list.sort_unstable();
            list.dedup();
        }
        Neighbourhoods {
            referrers,
            referees,
        }
    }
}

/// The fan threshold: the `percentile` (nearest rank) of the positive list lengths, floored
/// at `min_fan_in`.
fn fan_threshold(lists: &[Vec<u32>], rules: &KernelRules) -> usize {
    let mut positive: Vec<usize> = lists.iter().map(Vec::len).filter(|&f| f > 0).collect();
    positive.sort_unstable();
    if positive.is_empty() {
        return usize::MAX;
    }
    let p = rules.percentile.clamp(0.0, 1.0);
    let rank = ((p * positive.len() as f64).ceil() as usize).clamp(1, positive.len());
    positive[rank - 1].max(rules.min_fan_in)
}

/// Nodes whose fan-in (or, with rule 3, fan-out) reaches the threshold of rules 2 and 3: the
/// hub candidates. Their spread is best judged on communities found without them, since a
/// hub glues together what it touches.
pub fn hub_candidates(
    pairs: &[(u32, u32)],
    n: usize,
    already_kernel: &[bool],
    rules: &KernelRules,
) -> Vec<bool> {
    let hoods = Neighbourhoods::new(pairs, n, already_kernel);
    let in_threshold = fan_threshold(&hoods.referrers, rules);
    let out_threshold = fan_threshold(&hoods.referees, rules);
    (0..n)
        .map(|v| {
            hoods.referrers[v].len() >= in_threshold
                || (rules.composition_roots && hoods.referees[v].len() >= out_threshold)
        })
        .collect()
}

/// Rules 2 and 3 for every node, given `(referrer, referee)` pairs (as from
/// `ClusterInput::directed_pairs`; repeated pairs count once), a community per node (`None`
/// for nodes left out of the clustering, which then do not count towards a spread), and the
/// nodes already in the kernel (whose references do not count and who are not re-examined).
/// A node that qualifies under both rules is reported as a hub.
pub fn hubs(
    pairs: &[(u32, u32)],
    labels: &[Option<u32>],
    already_kernel: &[bool],
    rules: &KernelRules,
) -> Vec<Option<KernelReason>> {
    hubs_over_runs(
        pairs,
        std::slice::from_ref(&labels.to_vec()),
        already_kernel,
        rules,
    )
}

/// [`hubs`] over several clusterings of the same nodes: a node's spread is the one that at
/// least half of the clusterings reach (the median, rounded up), so whether a node is a hub
/// does not hang on one run's seed. With one clustering this is [`hubs`].
pub fn hubs_over_runs(
    pairs: &[(u32, u32)],
    labelings: &[Vec<Option<u32>>],
    already_kernel: &[bool],
    rules: &KernelRules,
) -> Vec<Option<KernelReason>> {
    let n = labelings.first().map_or(0, Vec::len);
    let hoods = Neighbourhoods::new(pairs, n, already_kernel);
    let in_threshold = fan_threshold(&hoods.referrers, rules);
    let out_threshold = fan_threshold(&hoods.referees, rules);
    let spread_in = |list: &[u32], labels: &[Option<u32>]| {
        let mut communities: Vec<u32> = list.iter().filter_map(|&f| labels[f as usize]).collect();
        communities.sort_unstable();
        communities.dedup();
        communities.len()
    };
    // The spread reached by at least half of the labelings.
    let spread = |list: &[u32]| {
        let mut spreads: Vec<usize> = labelings.iter().map(|l| spread_in(list, l)).collect();
        spreads.sort_unstable_by(|a, b| b.cmp(a));
        spreads
            .get(spreads.len().div_ceil(2).saturating_sub(1))
            .copied()
            .unwrap_or(0)
    };
    (0..n)
        .map(|v| {
            let (from, to) = (&hoods.referrers[v], &hoods.referees[v]);
            if from.len() >= in_threshold && spread(from) >= rules.min_spread {
                return Some(KernelReason::Hub {
                    fan_in: from.len(),
                    spread: spread(from),
                });
            }
            if rules.composition_roots
                && to.len() >= out_threshold
                && spread(to) >= rules.min_spread
            {
                return Some(KernelReason::CompositionRoot {
                    fan_out: to.len(),
                    spread: spread(to),
                });
            }
            None
        })
        .collect()
}

/// Rule 4 for every node of `graph` (all layers combined), given the reasons of rules 1-3.
pub fn kernel_neighbours(
    graph: &WeightedGraph,
    reasons: &[Option<KernelReason>],
) -> Vec<Option<KernelReason>> {
    (0..graph.node_count())
        .map(|v| {
            let neighbours = graph.neighbors(v as u32);
            let wiring = |u: u32| {
                matches!(
                    reasons[u as usize],
                    Some(
                        KernelReason::InfrastructureName { .. }
                            | KernelReason::EntryPoint
                            | KernelReason::CompositionRoot { .. }
                    )
                )
            };
            (reasons[v].is_none()
                && !neighbours.is_empty()
                && neighbours.iter().all(|&(u, _)| wiring(u)))
            .then_some(KernelReason::KernelNeighbours {
                neighbours: neighbours.len(),
            })
        })
        .collect()
}
