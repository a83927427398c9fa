//! Associations between two aggregates: an item whose name names two aggregates of the
//! codebase (`BucketKeyPerm`, `ApiBucketKeyPerm`, `handle_bucket_change_key_perm`) is the link
//! between them, written by both sides' code. Its references to the side its module is not
//! about cross between domains; counted as cohesion, they glue the two aggregates into one
//! (garage's keys and buckets, docs/benchmarks.md, twelfth round).
//!
//! An *aggregate* is a subject of the module tree (the names layer's subjects, with table
//! nouns) that at least two modules hold and that is either a table's noun or the name of a
//! type defined in one of its modules or below one (`key_table::v08::Key` under
//! `key_table`, subject `key`). An item names an aggregate when a run of its identifier's words
//! spells it. The item's *own* aggregate is the subject of its module; the reference edges
//! between the item and items of a module whose subject is another aggregate it names are
//! scaled by [`ASSOCIATION_CROSS_WEIGHT`]. An association whose module is about neither side
//! (`model::permission`) keeps its edges: nothing says which side owns it.

use std::collections::{BTreeMap, BTreeSet};

use super::event_candidates::singular;
use super::subjects::normalized;
use crate::cluster::{NodeInfo, split_identifier};

/// Factor on a reference edge from an association item to the other side's items: weak, not
/// gone, so the kernel's fan-in (rule 2) still counts the reference.
pub const ASSOCIATION_CROSS_WEIGHT: f64 = 0.1;

/// The associations of a codebase: which aggregate each node's module is about, and the
/// other aggregates each association node names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Associations {
    /// Node → the aggregate its module is about, if any.
    pub side_of: Vec<Option<String>>,
    /// Association node → the aggregates it names besides its own side.
    pub sides: BTreeMap<u32, BTreeSet<String>>,
}

/// The aggregates each node names besides its own, for the nodes that name at least two
/// (their own, which their module's subject gives, and another).
pub fn association_sides(
    nodes: &[NodeInfo],
    is_type: &[bool],
    subjects: &BTreeMap<String, String>,
    table_nouns: &BTreeSet<String>,
) -> Associations {
    let subject_of = |module: &str| subjects.get(module).map(|s| normalized(s));
    let mut holders: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for n in nodes {
        if let Some(s) = subject_of(&n.module) {
            holders.entry(s).or_default().insert(n.module.as_str());
        }
    }
    let tables_only = std::env::var_os("ASSOC_TABLES").is_some() && !table_nouns.is_empty();
    let mut aggregates: BTreeSet<String> = BTreeSet::new();
    for (subject, modules) in &holders {
        if modules.len() < 2 {
            continue;
        }
        let typed = nodes.iter().zip(is_type).any(|(n, &t)| {
            t && normalized(short_name(&n.id)) == *subject
                && ancestors(&n.module).any(|m| subject_of(m).as_deref() == Some(subject))
        });
        if (typed && !tables_only) || table_nouns.contains(subject) {
            aggregates.insert(subject.clone());
        }
    }
    let mut result = Associations {
        side_of: vec![None; nodes.len()],
        sides: BTreeMap::new(),
    };
    if aggregates.len() < 2 {
        return result;
    }
    let by_ancestor = std::env::var_os("ASSOC_ANCESTOR").is_some();
    for (i, n) in nodes.iter().enumerate() {
        result.side_of[i] = if by_ancestor {
            ancestors(&n.module)
                .filter_map(|m| subject_of(m))
                .find(|s| aggregates.contains(s))
        } else {
            subject_of(&n.module).filter(|s| aggregates.contains(s))
        };
    }
    let longest = aggregates.iter().map(String::len).max().unwrap_or(0);
    let no_owner = std::env::var_os("ASSOC_NOOWNER").is_some();
    for (i, n) in nodes.iter().enumerate() {
        let named = named_aggregates(short_name(&n.id), &aggregates, longest);
        if named.len() < 2 {
            continue;
        }
        let own = result.side_of[i].clone().unwrap_or_default();
        if !named.contains(&own) && !no_owner {
            continue;
        }
        let others: BTreeSet<String> = named.into_iter().filter(|s| *s != own).collect();
        if !others.is_empty() {
            result.sides.insert(i as u32, others);
        }
    }
    result
}

/// `edges` with each association's edges to its other sides' items scaled by
/// [`ASSOCIATION_CROSS_WEIGHT`].
pub fn weaken_association_edges(associations: &Associations, edges: &mut [(u32, u32, f64)]) {
    if associations.sides.is_empty() {
        return;
    }
    let crosses = |assoc: u32, other: u32| {
        (associations.sides.get(&assoc)).is_some_and(|others| {
            (associations.side_of.get(other as usize))
                .and_then(Option::as_ref)
                .is_some_and(|s| others.contains(s))
        })
    };
    let factor = std::env::var("ASSOC_FACTOR")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(ASSOCIATION_CROSS_WEIGHT);
    for edge in edges.iter_mut() {
        if crosses(edge.0, edge.1) || crosses(edge.1, edge.0) {
            edge.2 *= factor;
        }
    }
}

/// The aggregates a run of `name`'s words spells (each word singular, the run concatenated),
/// longest runs first, left to right, without overlaps.
fn named_aggregates(name: &str, aggregates: &BTreeSet<String>, longest: usize) -> BTreeSet<String> {
    let words: Vec<String> = split_identifier(name).iter().map(|w| singular(w)).collect();
    let mut taken = vec![false; words.len()];
    let mut found = BTreeSet::new();
    for len in (1..=words.len()).rev() {
        for start in 0..=words.len() - len {
            if taken[start..start + len].iter().any(|&t| t) {
                continue;
            }
            let run = words[start..start + len].concat();
            if run.len() <= longest && aggregates.contains(&run) {
                taken[start..start + len].iter_mut().for_each(|t| *t = true);
                found.insert(run);
            }
        }
    }
    found
}

fn short_name(id: &str) -> &str {
    id.rsplit("::").next().unwrap_or(id)
}

/// `module` and every module above it, nearest first.
fn ancestors(module: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(module), |m| m.rsplit_once("::").map(|(p, _)| p))
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::{ASSOCIATION_CROSS_WEIGHT, association_sides, weaken_association_edges};
    use crate::cluster::NodeInfo;

    fn node(id: &str) -> NodeInfo {
        NodeInfo {
            id: id.to_owned(),
            module: id.rsplit_once("::").map_or(id, |(m, _)| m).to_owned(),
            words: vec![],
        }
    }

    /// Keys and buckets: two aggregates (a type named after each, below a module of its
    /// subject), the API's slices of both, and the permission of a key on a bucket named in
    /// both the key API (`ApiBucketKeyPerm`) and a model module about neither.
    fn keys_and_buckets() -> (Vec<NodeInfo>, Vec<bool>, BTreeMap<String, String>) {
        let nodes = [
            ("c::model::key_table::v08::Key", true),
            ("c::model::bucket_table::v08::Bucket", true),
            ("c::api::key::ApiBucketKeyPerm", true),
            ("c::api::key::handle_key_info", false),
            ("c::api::bucket::handle_create_bucket", false),
            ("c::model::permission::BucketKeyPerm", true),
            ("c::api::router::RouterKeyMap", true),
            ("c::cli::router::route", false),
            ("c::model::key_table::KeyTable", true),
            ("c::model::bucket_table::BucketTable", true),
        ];
        let subjects = [
            ("c::model::key_table", "key"),
            ("c::model::key_table::v08", "v08"),
            ("c::model::bucket_table", "bucket"),
            ("c::model::bucket_table::v08", "v08"),
            ("c::api::key", "key"),
            ("c::api::bucket", "bucket"),
            ("c::api::router", "router"),
            ("c::cli::router", "router"),
        ];
        (
            nodes.iter().map(|(id, _)| node(id)).collect(),
            nodes.iter().map(|&(_, t)| t).collect(),
            (subjects.iter())
                .map(|(m, s)| ((*m).to_owned(), (*s).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn an_item_naming_two_aggregates_belongs_to_its_modules_side() {
        let (nodes, is_type, subjects) = keys_and_buckets();
        let sides = association_sides(&nodes, &is_type, &subjects, &BTreeSet::new()).sides;
        // Only `ApiBucketKeyPerm`: its module is about keys, it names buckets too. The model's
        // `BucketKeyPerm` lies in a module about neither; `handle_key_info` names one
        // aggregate; `router` is held by two modules but no type is named after it.
        let expected: BTreeMap<u32, BTreeSet<String>> = [(2, ["bucket".to_owned()].into())].into();
        assert_eq!(sides, expected);
    }

    #[test]
    fn an_associations_references_to_the_other_side_are_weakened() {
        let (nodes, is_type, subjects) = keys_and_buckets();
        let associations = association_sides(&nodes, &is_type, &subjects, &BTreeSet::new());
        let mut edges = vec![
            (4, 2, 1.0), // the bucket API names the key API's permission: crosses
            (3, 2, 1.0), // the key API's own use of it: its side
            (2, 0, 1.0), // the permission names the key: its side
            (2, 9, 2.0), // the permission names the bucket table: crosses
            (2, 1, 2.0), // the bucket itself lies in `v08`, a module about no aggregate: kept
            (4, 5, 1.0), // the model's permission, owned by neither side: kept
        ];
        weaken_association_edges(&associations, &mut edges);
        let w = ASSOCIATION_CROSS_WEIGHT;
        assert_eq!(
            edges,
            vec![
                (4, 2, w),
                (3, 2, 1.0),
                (2, 0, 1.0),
                (2, 9, 2.0 * w),
                (2, 1, 2.0),
                (4, 5, 1.0)
            ]
        );
    }

    #[test]
    fn a_table_noun_is_an_aggregate_without_a_type_named_after_it() {
        let nodes: Vec<NodeInfo> = [
            "c::api::crates::CrateUserList",
            "c::api::users::login",
            "c::db::crates::Model",
            "c::db::users::Model",
        ]
        .iter()
        .map(|id| node(id))
        .collect();
        let subjects: BTreeMap<String, String> = [
            ("c::api::crates", "crate"),
            ("c::api::users", "user"),
            ("c::db::crates", "crate"),
            ("c::db::users", "user"),
        ]
        .iter()
        .map(|(m, s)| ((*m).to_owned(), (*s).to_owned()))
        .collect();
        let is_type = vec![true, false, true, true];
        let none = association_sides(&nodes, &is_type, &subjects, &BTreeSet::new()).sides;
        assert!(none.is_empty(), "no type named `Crate` or `User`: {none:?}");
        let tables: BTreeSet<String> = ["crate".to_owned(), "user".to_owned()].into();
        let sides = association_sides(&nodes, &is_type, &subjects, &tables).sides;
        let expected: BTreeMap<u32, BTreeSet<String>> = [(0, ["user".to_owned()].into())].into();
        assert_eq!(sides, expected);
    }
}
