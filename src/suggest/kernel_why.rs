//! Why each module of the shared kernel is there. The clustering keeps a reason per item
//! (`cluster::KernelReason`); a module is kernel when most of its items are, or, without
//! items that vote, when its submodules or its uses name no domain (`module_majorities`), or
//! when the spec declares it `shared` (`pin`). This carries the item reasons up to the module,
//! counted per kind, and words the result for the reports, the draft spec and the JSON.

use std::collections::BTreeMap;
use std::fmt;

use crate::cluster::{ClusterInput, KernelReason, Suggestion};
use crate::codebase::Codebase;

use super::ModulePlacement;

/// One module of the shared kernel and why it is there.
#[derive(Debug, Clone, PartialEq)]
pub struct KernelModule {
    pub module: String,
    pub why: KernelWhy,
}

/// Why a module is in the shared kernel.
#[derive(Debug, Clone, PartialEq)]
pub enum KernelWhy {
    /// Some of its items are kernel: their reasons, most common first.
    Items {
        reasons: Vec<ReasonCount>,
        /// All its clustered items, kernel or not.
        items: usize,
    },
    /// No items of its own, and no domain holds most of its submodules.
    Submodules {
        submodules: usize,
        /// Submodules in the kernel.
        kernel: usize,
        /// Distinct domains of the other submodules.
        domains: usize,
    },
    /// No items and no submodules, and what its `use`s and re-exports name lies in no domain.
    Uses,
    /// The spec declares it `shared` (`--spec`).
    Declared,
}

/// One kind of item reason in a module and how many of its items have it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReasonCount {
    /// The reason shown for the kind: the most common one, ties to the widest (largest
    /// fan-in, fan-out, users, ...), since hubs of one module rarely share their numbers.
    pub reason: KernelReason,
    pub items: usize,
}

impl KernelWhy {
    /// The stable id of the reason that explains most of the module, for the JSON
    /// (`infrastructure-name`, `hub`, ..., `submodules`, `uses`, `declared`).
    pub fn id(&self) -> &'static str {
        match self {
            KernelWhy::Items { reasons, .. } => reasons.first().map_or("items", |r| id(&r.reason)),
            KernelWhy::Submodules { .. } => "submodules",
            KernelWhy::Uses => "uses",
            KernelWhy::Declared => "declared",
        }
    }
}

/// The stable id of an item reason.
pub fn id(reason: &KernelReason) -> &'static str {
    match reason {
        KernelReason::InfrastructureName { .. } => "infrastructure-name",
        KernelReason::Hub { .. } => "hub",
        KernelReason::CompositionRoot { .. } => "composition-root",
        KernelReason::EntryPoint => "entry-point",
        KernelReason::KernelNeighbours { .. } => "kernel-neighbours",
        KernelReason::KernelReferences { .. } => "kernel-references",
        KernelReason::SharedDomain { .. } => "shared-domain",
        KernelReason::IsolatedDomain => "isolated-domain",
        KernelReason::DatalessNeighbours { .. } => "dataless-neighbours",
        KernelReason::Subjectless => "subjectless",
        KernelReason::Aggregator { .. } => "aggregator",
    }
}

/// `n thing`, or `n things` unless `n` is 1.
fn counted(n: usize, thing: &str) -> String {
    format!("{n} {thing}{}", if n == 1 { "" } else { "s" })
}

/// An item reason in words; `several` when it stands for several items (the widest shown).
pub fn describe(reason: &KernelReason, several: bool) -> String {
    let widest = if several { "s, the widest" } else { ":" };
    match reason {
        KernelReason::InfrastructureName { segment } => format!("infrastructure name `{segment}`"),
        KernelReason::Hub { fan_in, spread } => format!(
            "hub{widest} referred to by {} in {}",
            counted(*fan_in, "item"),
            counted(*spread, "domain")
        ),
        KernelReason::CompositionRoot { fan_out, spread } => format!(
            "composition root{widest} refers to {} in {}",
            counted(*fan_out, "item"),
            counted(*spread, "domain")
        ),
        KernelReason::EntryPoint => "entry point `fn main`".to_owned(),
        KernelReason::KernelNeighbours { neighbours } => format!(
            "wiring: linked only to infrastructure and composition roots ({})",
            counted(*neighbours, "item")
        ),
        KernelReason::KernelReferences { references } => format!(
            "refers to and is referred to by the kernel only ({}), no subject or table ties it",
            counted(*references, "item")
        ),
        KernelReason::SharedDomain { users } => format!(
            "used by {}, uses none, touches no table",
            counted(*users, "domain")
        ),
        KernelReason::IsolatedDomain => {
            "self-contained: no domain uses it or is used by it, touches no table".to_owned()
        }
        KernelReason::DatalessNeighbours { domains } => format!(
            "touches no table, linked only to {} that {} none either",
            counted(*domains, "domain"),
            if *domains == 1 { "touches" } else { "touch" }
        ),
        KernelReason::Subjectless => {
            "set-up: its modules name no subject and it uses no domain".to_owned()
        }
        KernelReason::Aggregator { domains } => format!(
            "aggregator: no subject of its own, its submodules sit in {}",
            counted(*domains, "domain")
        ),
    }
}

impl fmt::Display for KernelWhy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KernelWhy::Items { reasons, items } => {
                let parts: Vec<String> = reasons
                    .iter()
                    .map(|r| {
                        let share = match (r.items, *items) {
                            (1, 1) => String::new(),
                            (2, 2) => " (both items)".to_owned(),
                            (n, all) if n == all => format!(" (all {all} items)"),
                            (n, all) => format!(" ({n} of {all} items)"),
                        };
                        format!("{}{share}", describe(&r.reason, r.items > 1))
                    })
                    .collect();
                f.write_str(&parts.join("; "))
            }
            KernelWhy::Submodules {
                submodules,
                kernel,
                domains,
            } if *domains == 0 => write!(
                f,
                "no items of its own; its {} in the kernel",
                if *submodules == 1 {
                    "submodule is".to_owned()
                } else {
                    format!("{kernel} submodules are")
                }
            ),
            KernelWhy::Submodules {
                submodules,
                kernel: 0,
                domains,
            } => write!(
                f,
                "no items of its own; its {} sit in {}, none holding most of them",
                counted(*submodules, "submodule"),
                counted(*domains, "domain")
            ),
            KernelWhy::Submodules {
                submodules,
                kernel,
                domains,
            } => write!(
                f,
                "no items of its own; no domain holds most of its {}: {kernel} in the kernel, \
                 {} in {}",
                counted(*submodules, "submodule"),
                submodules - kernel,
                counted(*domains, "domain")
            ),
            KernelWhy::Uses => f.write_str("no items of its own; what it names lies in no domain"),
            KernelWhy::Declared => f.write_str("declared `shared` in the spec"),
        }
    }
}

/// Per module, the kernel reasons of its items counted per kind (most common first) and the
/// number of its clustered items. Modules without kernel items are left out.
pub fn item_reasons(input: &ClusterInput, s: &Suggestion) -> BTreeMap<String, KernelWhy> {
    let mut per_module: BTreeMap<&str, (Vec<&KernelReason>, usize)> = BTreeMap::new();
    for (node, info) in input.nodes.iter().enumerate() {
        let entry = per_module.entry(info.module.as_str()).or_default();
        entry.1 += 1;
        entry.0.extend(s.kernel[node].as_ref());
    }
    per_module
        .into_iter()
        .filter(|(_, (reasons, _))| !reasons.is_empty())
        .map(|(module, (reasons, items))| {
            let why = KernelWhy::Items {
                reasons: counted_by_kind(&reasons),
                items,
            };
            (module.to_owned(), why)
        })
        .collect()
}

/// The reasons grouped by kind, each with its most common (then widest) reason, most items
/// first (ties in the order of [`KernelReason`]'s rules).
fn counted_by_kind(reasons: &[&KernelReason]) -> Vec<ReasonCount> {
    let mut kinds: BTreeMap<&str, BTreeMap<&KernelReason, usize>> = BTreeMap::new();
    for &r in reasons {
        *kinds.entry(id(r)).or_default().entry(r).or_default() += 1;
    }
    let mut out: Vec<ReasonCount> = kinds
        .into_values()
        .map(|values| {
            let items = values.values().sum();
            let (shown, _) = values
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)))
                .expect("a kind has a reason");
            ReasonCount {
                reason: shown.clone(),
                items,
            }
        })
        .collect();
    out.sort_by(|a, b| b.items.cmp(&a.items).then(a.reason.cmp(&b.reason)));
    out
}

/// The kernel's modules with their reasons: their items' when they have kernel items, else
/// how their placement followed their submodules or their uses (`module_majorities`).
pub fn kernel_modules(
    modules: &BTreeMap<String, ModulePlacement>,
    mut items: BTreeMap<String, KernelWhy>,
    cb: &Codebase,
) -> Vec<KernelModule> {
    let children: BTreeMap<&str, Vec<&str>> = cb
        .modules
        .iter()
        .map(|m| {
            let paths = m.children.values().map(|&c| cb.module(c).path.as_str());
            (m.path.as_str(), paths.collect())
        })
        .collect();
    modules
        .iter()
        .filter(|(_, p)| p.domain.is_none())
        .map(|(path, _)| {
            let below = children.get(path.as_str()).map_or(&[][..], Vec::as_slice);
            let why = items
                .remove(path)
                .unwrap_or_else(|| placed_without_items(below, modules));
            KernelModule {
                module: path.clone(),
                why,
            }
        })
        .collect()
}

/// Why a module without kernel items is kernel: its submodules agree on no domain, or,
/// without submodules, its uses name none.
fn placed_without_items(
    submodules: &[&str],
    modules: &BTreeMap<String, ModulePlacement>,
) -> KernelWhy {
    let placed: Vec<Option<usize>> = submodules
        .iter()
        .filter_map(|m| modules.get(*m).map(|p| p.domain))
        .collect();
    if placed.is_empty() {
        return KernelWhy::Uses;
    }
    let mut domains: Vec<usize> = placed.iter().flatten().copied().collect();
    domains.sort_unstable();
    domains.dedup();
    KernelWhy::Submodules {
        submodules: placed.len(),
        kernel: placed.iter().filter(|d| d.is_none()).count(),
        domains: domains.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::NodeInfo;

    fn input(modules: &[&str]) -> ClusterInput {
        ClusterInput {
            nodes: (modules.iter().enumerate())
                .map(|(i, m)| NodeInfo {
                    id: format!("{m}::Item{i}"),
                    module: (*m).to_owned(),
                    words: vec![],
                })
                .collect(),
            layers: vec![],
        }
    }

    fn suggestion(kernel: Vec<Option<KernelReason>>) -> Suggestion {
        Suggestion {
            domain: kernel.iter().map(|k| k.is_none().then_some(0)).collect(),
            confidence: vec![1.0; kernel.len()],
            kernel,
            resolution: 1.0,
            domain_count: 1,
        }
    }

    fn hub(fan_in: usize, spread: usize) -> Option<KernelReason> {
        Some(KernelReason::Hub { fan_in, spread })
    }

    fn named(segment: &str) -> Option<KernelReason> {
        Some(KernelReason::InfrastructureName {
            segment: segment.to_owned(),
        })
    }

    #[test]
    fn item_reasons_are_counted_per_kind_most_common_first_the_widest_hub_shown() {
        let input = input(&["c::db", "c::db", "c::db", "c::db", "c::db", "c::orders"]);
        let s = suggestion(vec![
            hub(12, 3),
            named("db"),
            hub(52, 9),
            hub(52, 2),
            None,
            None,
        ]);
        let reasons = item_reasons(&input, &s);
        let expected = KernelWhy::Items {
            reasons: vec![
                ReasonCount {
                    reason: KernelReason::Hub {
                        fan_in: 52,
                        spread: 9,
                    },
                    items: 3,
                },
                ReasonCount {
                    reason: KernelReason::InfrastructureName {
                        segment: "db".to_owned(),
                    },
                    items: 1,
                },
            ],
            items: 5,
        };
        assert_eq!(reasons.get("c::db"), Some(&expected));
        assert!(!reasons.contains_key("c::orders"), "no kernel items");
        assert_eq!(expected.id(), "hub");
        assert_eq!(
            expected.to_string(),
            "hubs, the widest referred to by 52 items in 9 domains (3 of 5 items); \
             infrastructure name `db` (1 of 5 items)"
        );
    }

    #[test]
    fn a_most_common_reason_wins_over_a_wider_one_of_its_kind() {
        let shown = counted_by_kind(&[
            &KernelReason::InfrastructureName {
                segment: "util".to_owned(),
            },
            &KernelReason::InfrastructureName {
                segment: "util".to_owned(),
            },
            &KernelReason::InfrastructureName {
                segment: "web".to_owned(),
            },
        ]);
        assert_eq!(shown.len(), 1);
        assert_eq!(
            shown[0].reason,
            KernelReason::InfrastructureName {
                segment: "util".to_owned()
            }
        );
        assert_eq!(shown[0].items, 3);
    }

    #[test]
    fn one_item_reasons_read_without_counts() {
        let why = |reason: KernelReason| KernelWhy::Items {
            reasons: vec![ReasonCount { reason, items: 1 }],
            items: 1,
        };
        assert_eq!(
            why(KernelReason::EntryPoint).to_string(),
            "entry point `fn main`"
        );
        assert_eq!(
            why(KernelReason::Hub {
                fan_in: 52,
                spread: 9
            })
            .to_string(),
            "hub: referred to by 52 items in 9 domains"
        );
        assert_eq!(
            why(KernelReason::SharedDomain { users: 4 }).to_string(),
            "used by 4 domains, uses none, touches no table"
        );
        assert_eq!(
            why(KernelReason::DatalessNeighbours { domains: 1 }).to_string(),
            "touches no table, linked only to 1 domain that touches none either"
        );
        assert_eq!(
            why(KernelReason::Subjectless).to_string(),
            "set-up: its modules name no subject and it uses no domain"
        );
        assert_eq!(id(&KernelReason::Subjectless), "subjectless");
    }

    fn placement(domain: Option<usize>) -> ModulePlacement {
        ModulePlacement {
            domain,
            confidence: 1.0,
            split: vec![],
            inherited: false,
        }
    }

    #[test]
    fn a_module_without_kernel_items_is_explained_by_its_submodules_or_its_uses() {
        let modules: BTreeMap<String, ModulePlacement> = [
            ("c::api", None),
            ("c::api::orders", Some(0)),
            ("c::api::users", Some(1)),
            ("c::api::health", None),
            ("c::prelude", None),
        ]
        .into_iter()
        .map(|(m, d)| (m.to_owned(), placement(d)))
        .collect();
        let below = ["c::api::orders", "c::api::users", "c::api::health"];
        let why = placed_without_items(&below, &modules);
        assert_eq!(
            why,
            KernelWhy::Submodules {
                submodules: 3,
                kernel: 1,
                domains: 2
            }
        );
        assert_eq!(
            why.to_string(),
            "no items of its own; no domain holds most of its 3 submodules: 1 in the kernel, \
             2 in 2 domains"
        );
        let spread = placed_without_items(&["c::api::orders", "c::api::users"], &modules);
        assert_eq!(
            spread.to_string(),
            "no items of its own; its 2 submodules sit in 2 domains, none holding most of them"
        );
        assert_eq!(placed_without_items(&[], &modules), KernelWhy::Uses);
        let all_kernel = placed_without_items(&["c::api::health"], &modules);
        assert_eq!(
            all_kernel.to_string(),
            "no items of its own; its submodule is in the kernel"
        );
    }
}
