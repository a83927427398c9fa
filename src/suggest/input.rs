//! From an [`Analysis`] to a [`ClusterInput`]: which items are clustered, the words each
//! carries, and the evidence layers (references, shared tables, vocabulary).

use std::collections::{BTreeMap, BTreeSet};

use super::cochange::CoChange;
use super::subjects::{module_subjects, with_table_nouns};
pub use super::tables::TableUse;
use super::tables::table_uses;
use super::variants::variant_modules;
use crate::analysis::Analysis;
use crate::cluster::{ClusterInput, FileOf, Layer, NodeInfo, VocabConfig, vocabulary_layer};
use crate::codebase::ModuleId;
use crate::resolve::{ItemId, Resolution};
use crate::syntax::ItemKind;

/// Weights of the evidence layers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayerWeights {
    pub references: f64,
    pub tables: f64,
    pub vocabulary: f64,
    /// Items of one module pulled together: developers' own grouping, as a prior.
    pub modules: f64,
    /// Items of sibling modules (one parent below the crate root) pulled together, weaker.
    pub parent: f64,
    /// Items of modules with the same subject name in different layers pulled together
    /// (`api::media`, `service::media`, `db::media`): layered monoliths name a domain's slice
    /// the same way in every layer.
    pub names: f64,
    /// Items of modules that change in the same commits (`--git`) pulled together.
    pub history: f64,
}

impl Default for LayerWeights {
    fn default() -> Self {
        // Measured on the dev set and the fixtures over eleven seeds (docs/benchmarks.md):
        // vocabulary at full weight tied same-named handlers of different domains together
        // (`index`, `create` in every controller); at half weight it still adds 3-10 MoJoFM
        // points over structure alone. Modules and names are the developers' own grouping and
        // outweigh single references: names 5 / modules 3 is the middle of a plateau (names 4
        // to 6 score the same or within 1.5 points on every project).
        LayerWeights {
            references: 1.0,
            tables: 1.0,
            vocabulary: 0.5,
            modules: 3.0,
            parent: 1.0,
            names: 5.0,
            history: 1.0,
        }
    }
}

/// The cluster input plus the mapping back to the analysis.
#[derive(Debug, Clone)]
pub struct Built {
    pub input: ClusterInput,
    /// Node index → item.
    pub items: Vec<ItemId>,
    /// Item → node index (only clustered items).
    pub node_of: BTreeMap<ItemId, u32>,
    /// Table name → its users.
    pub tables: BTreeMap<String, TableUse>,
}

/// Whether items of this kind are clustered: types (with their impls), free functions and
/// traits. Constants, statics, macros and diesel tables follow the items that use them.
pub fn is_node_kind(kind: ItemKind) -> bool {
    matches!(
        kind,
        ItemKind::Struct
            | ItemKind::Enum
            | ItemKind::Union
            | ItemKind::Trait
            | ItemKind::Fn
            | ItemKind::TypeAlias
    )
}

/// A table named by a string literal or a path is touched by at most this many items before it
/// stops pulling them together: a table everyone touches says nothing about domains.
const MAX_TABLE_USERS: usize = 40;

/// Builds the cluster input of `analysis`.
pub fn build(analysis: &Analysis, weights: &LayerWeights, co_change: Option<&CoChange>) -> Built {
    let cb = &analysis.codebase;
    let res = &analysis.resolution;
    let mut items = Vec::new();
    let mut node_of = BTreeMap::new();
    for (i, item) in res.items.iter().enumerate() {
        if is_node_kind(item.kind) {
            node_of.insert(ItemId(i as u32), items.len() as u32);
            items.push(ItemId(i as u32));
        }
    }
    // Words: the item's name, its methods and their parameters, its own parameters.
    let mut words: Vec<Vec<String>> = items
        .iter()
        .map(|&id| {
            let item = res.item(id);
            let mut w = vec![item.name.clone()];
            if let Some(sig) = &item.sig {
                w.extend(sig.params.iter().map(|(name, _)| name.clone()));
            }
            w
        })
        .collect();
    for method in &res.methods {
        if let Some(&node) = node_of.get(&method.self_item) {
            words[node as usize].push(method.name.clone());
        }
    }
    let tables = table_uses(cb, res, &node_of);
    entity_words(res, &items, &tables, &mut words);
    let nodes: Vec<NodeInfo> = items
        .iter()
        .zip(words)
        .map(|(&id, words)| {
            let item = res.item(id);
            NodeInfo {
                id: item.path.clone(),
                module: cb.module(item.module).path.clone(),
                words,
            }
        })
        .collect();

    let reference_edges = reference_edges(analysis, &node_of);
    let table_edges = table_edges(&tables);
    let module_edges = same_module_edges(&nodes, |m: &str| m.to_owned());
    // The parent of a module below the crate root (`c::a::b` → `c::a`); top-level modules and
    // the root have none, so they are not all tied together.
    let parent_edges = same_module_edges(&nodes, |m: &str| match m.rsplit_once("::") {
        Some((parent, _)) if parent.contains("::") => parent.to_owned(),
        _ => format!("{m}\u{0}"),
    });
    let name_edges = name_edges(&nodes, &tables);
    let mut input = ClusterInput {
        nodes,
        layers: vec![
            Layer::directed("references", weights.references, reference_edges),
            Layer::undirected("tables", weights.tables, table_edges),
            Layer::undirected("modules", weights.modules, module_edges),
            Layer::undirected("parents", weights.parent, parent_edges),
            Layer::undirected("names", weights.names, name_edges),
        ],
    };
    if let Some(co_change) = co_change {
        let edges = co_change_edges(analysis, &items, co_change);
        input
            .layers
            .push(Layer::undirected("history", weights.history, edges));
    }
    if weights.vocabulary > 0.0 {
        let layer = vocabulary_layer(&input.nodes, weights.vocabulary, &VocabConfig::default());
        input.layers.push(layer);
    }
    Built {
        input,
        items,
        node_of,
        tables,
    }
}

/// One edge per pair of referring items, weighted with diminishing returns in the count.
fn reference_edges(analysis: &Analysis, node_of: &BTreeMap<ItemId, u32>) -> Vec<(u32, u32, f64)> {
    let mut edges = Vec::new();
    for edge in analysis.graph.items.edge_indices() {
        let Some((a, b)) = analysis.graph.items.edge_endpoints(edge) else {
            continue;
        };
        let from = analysis.graph.items[a];
        let to = analysis.graph.items[b];
        if let (Some(&x), Some(&y)) = (node_of.get(&from), node_of.get(&to)) {
            let w = analysis.graph.items[edge].weight as f64;
            // Many references between two items add evidence, but with diminishing returns.
            edges.push((x, y, 1.0 + w.ln()));
        }
    }
    edges
}

/// The items reading, writing or defining one table, pairwise, each table's pairs weighing 2
/// in all per item; a table everyone touches ([`MAX_TABLE_USERS`]) is left out.
///
/// A definer (a sea-orm entity's `Model`) is linked too: the row type is the table's data, and
/// the code that reads and writes the table reaches it through the derive-generated `Entity`
/// and `Column`, which are no items, so no reference ties the entity to its users. Without
/// this link an entity crate's modules were held only by their folder and their words, and
/// joined their alphabetical neighbours' domain (lldap's `memberships` beside `jwt_storage`).
fn table_edges(tables: &BTreeMap<String, TableUse>) -> Vec<(u32, u32, f64)> {
    let mut edges = Vec::new();
    for usage in tables.values() {
        let users: BTreeSet<u32> = (usage.writers.keys())
            .chain(usage.readers.keys())
            .chain(usage.definers.keys())
            .copied()
            .collect();
        if users.len() < 2 || users.len() > MAX_TABLE_USERS {
            continue;
        }
        let users: Vec<u32> = users.into_iter().collect();
        let w = 2.0 / (users.len() - 1) as f64;
        for (i, &a) in users.iter().enumerate() {
            for &b in &users[i + 1..] {
                edges.push((a, b, w));
            }
        }
    }
    edges
}

/// Items of modules with one subject in different layers, except modules on a variant axis
/// (their names say which platform they serve, not which domain).
fn name_edges(nodes: &[NodeInfo], tables: &BTreeMap<String, TableUse>) -> Vec<(u32, u32, f64)> {
    let subjects = with_table_nouns(
        module_subjects(nodes.iter().map(|n| n.module.as_str())),
        tables.keys().map(String::as_str),
    );
    let table_modules: BTreeSet<&str> = (tables.values())
        .flat_map(|usage| usage.definers.keys())
        .map(|&node| nodes[node as usize].module.as_str())
        .collect();
    let variants = variant_modules(nodes, &table_modules);
    same_subject_edges(nodes, |module| {
        (!variants.contains(module))
            .then(|| subjects.get(module).cloned())
            .flatten()
    })
}

/// An item name defined in at least this many modules is a framework's convention (sea-orm's
/// `Model`, `Relation`, `ActiveModel`), not a subject of the code.
const CONVENTION_MODULES: usize = 3;

/// In a module that defines a table (a sea-orm entity), an item whose name is a convention
/// ([`CONVENTION_MODULES`]) carries the table's name as its word in place of its own. Every
/// entity's `Model` otherwise has the one-word vector (`model`), cosine 1 with every other
/// entity's, and the vocabulary glued a crate of entities into one domain whatever their
/// tables (kellnr's `relation`: 27 modules of seven labels); the table is what the row is
/// about. `words[node][0]` is the item's own name.
fn entity_words(
    res: &Resolution,
    items: &[ItemId],
    tables: &BTreeMap<String, TableUse>,
    words: &mut [Vec<String>],
) {
    let mut table_of_module: BTreeMap<ModuleId, &str> = BTreeMap::new();
    for (table, usage) in tables {
        for &node in usage.definers.keys() {
            let module = res.item(items[node as usize]).module;
            table_of_module.entry(module).or_insert(table.as_str());
        }
    }
    if table_of_module.is_empty() {
        return;
    }
    let mut modules_of_name: BTreeMap<&str, BTreeSet<ModuleId>> = BTreeMap::new();
    for &id in items {
        let item = res.item(id);
        (modules_of_name.entry(item.name.as_str()).or_default()).insert(item.module);
    }
    for (node, &id) in items.iter().enumerate() {
        let item = res.item(id);
        if let Some(table) = table_of_module.get(&item.module)
            && modules_of_name[item.name.as_str()].len() >= CONVENTION_MODULES
            && let Some(word) = words[node].first_mut()
        {
            *word = (*table).to_owned();
        }
    }
}

/// Every item of one module linked to every item of a module it changes with, so that each
/// item gets about the pair's strength in total; pairs of big modules are linked item by item
/// in a zip to bound the edge count.
fn co_change_edges(
    analysis: &Analysis,
    items: &[ItemId],
    co_change: &CoChange,
) -> Vec<(u32, u32, f64)> {
    let mut by_module: BTreeMap<ModuleId, Vec<u32>> = BTreeMap::new();
    for (node, &id) in items.iter().enumerate() {
        by_module
            .entry(analysis.resolution.item(id).module)
            .or_default()
            .push(node as u32);
    }
    let mut edges = Vec::new();
    for &(a, b, strength) in &co_change.pairs {
        let (Some(xs), Some(ys)) = (by_module.get(&a), by_module.get(&b)) else {
            continue;
        };
        let longest = xs.len().max(ys.len());
        if xs.len() * ys.len() <= 900 {
            let w = strength / longest as f64;
            for &x in xs {
                for &y in ys {
                    edges.push((x, y, w));
                }
            }
        } else {
            for i in 0..longest {
                edges.push((xs[i % xs.len()], ys[i % ys.len()], strength));
            }
        }
    }
    edges
}

/// Items of different modules with the same subject name linked together, each item getting
/// about 1 in total. Items of one module are not linked here: the module layer does that, and
/// linking them twice made every module with a subject name stickier than a top-level one.
fn same_subject_edges(
    nodes: &[NodeInfo],
    subject_of: impl Fn(&str) -> Option<String>,
) -> Vec<(u32, u32, f64)> {
    let mut by_subject: BTreeMap<String, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
    for (i, n) in nodes.iter().enumerate() {
        if let Some(subject) = subject_of(&n.module) {
            by_subject
                .entry(subject)
                .or_default()
                .entry(n.module.as_str())
                .or_default()
                .push(i as u32);
        }
    }
    let mut edges = Vec::new();
    for modules in by_subject.values() {
        if modules.len() < 2 {
            continue;
        }
        let members: Vec<(&str, u32)> = modules
            .iter()
            .flat_map(|(m, items)| items.iter().map(move |&i| (*m, i)))
            .collect();
        let k = members.len();
        if k <= 30 {
            let w = 1.0 / (k - 1) as f64;
            for (i, &(ma, a)) in members.iter().enumerate() {
                for &(mb, b) in &members[i + 1..] {
                    if ma != mb {
                        edges.push((a, b, w));
                    }
                }
            }
        } else {
            // A ring that alternates modules: the i-th item of each module in turn.
            let longest = modules.values().map(Vec::len).max().unwrap_or(0);
            let ring: Vec<u32> = (0..longest)
                .flat_map(|i| {
                    modules
                        .values()
                        .filter_map(move |items| items.get(i).copied())
                })
                .collect();
            for i in 0..ring.len() {
                let (a, b) = (ring[i], ring[(i + 1) % ring.len()]);
                if nodes[a as usize].module != nodes[b as usize].module {
                    edges.push((a, b, 1.0));
                }
            }
        }
    }
    edges
}

/// Each item linked to the other items of its module, total weight about 1 per item so large
/// modules do not dominate; modules of more than 30 items are linked as a ring.
fn same_module_edges(nodes: &[NodeInfo], group: impl Fn(&str) -> String) -> Vec<(u32, u32, f64)> {
    let mut by_module: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (i, n) in nodes.iter().enumerate() {
        by_module
            .entry(group(&n.module))
            .or_default()
            .push(i as u32);
    }
    let mut edges = Vec::new();
    for members in by_module.values() {
        let k = members.len();
        if k < 2 {
            continue;
        }
        if k <= 30 {
            let w = 1.0 / (k - 1) as f64;
            for (i, &a) in members.iter().enumerate() {
                for &b in &members[i + 1..] {
                    edges.push((a, b, w));
                }
            }
        } else {
            for i in 0..k {
                edges.push((members[i], members[(i + 1) % k], 1.0));
            }
        }
    }
    edges
}

/// For each node, the file module it is written in and whether its own module is an inline
/// `mod x { .. }` of that file (nested inline modules belong to the file holding them all):
/// what [`crate::cluster::keep_files_whole`] needs to keep a file in one domain.
pub fn files_of(analysis: &Analysis, items: &[ItemId]) -> Vec<FileOf> {
    let cb = &analysis.codebase;
    items
        .iter()
        .map(|&id| {
            let own = analysis.resolution.item(id).module;
            let mut file = own;
            while cb.module(file).inline
                && let Some(parent) = cb.module(file).parent
            {
                file = parent;
            }
            FileOf {
                file: file.0,
                inline: file != own,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{LayerWeights, NodeInfo, build, same_subject_edges, table_edges};
    use crate::suggest::subjects::subject_name;
    use crate::suggest::tables::TableUse;
    use crate::test_support::AnalyzeOptions;
    use crate::test_support::annotations::analyze_fixture;

    /// Three sea-orm entities, each a `Model` and a `Relation`, and one `Model` outside them.
    const ENTITIES: &str = r#"
//- /src/lib.rs crate:store
pub mod users;
pub mod groups;
pub mod tokens;
pub mod views;
//- /src/users.rs
#[derive(Clone, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model { pub id: i32 }
pub enum Relation {}
//- /src/groups.rs
#[derive(Clone, DeriveEntityModel)]
#[sea_orm(table_name = "groups")]
pub struct Model { pub id: i32 }
pub enum Relation {}
//- /src/tokens.rs
#[derive(Clone, DeriveEntityModel)]
#[sea_orm(table_name = "jwt_tokens")]
pub struct Model { pub id: i32 }
pub enum Relation {}
//- /src/views.rs
pub struct Model { pub title: String }
"#;

    #[test]
    fn a_convention_named_entity_item_carries_its_table_name() {
        let analysis = analyze_fixture(ENTITIES, AnalyzeOptions::default());
        let built = build(&analysis, &LayerWeights::default(), None);
        let first_word = |id: &str| {
            let node = (built.input.nodes.iter()).find(|n| n.id == id);
            node.unwrap_or_else(|| panic!("{id} is a node")).words[0].clone()
        };
        assert_eq!(first_word("store::users::Model"), "users");
        assert_eq!(first_word("store::users::Relation"), "users");
        assert_eq!(first_word("store::groups::Model"), "groups");
        assert_eq!(first_word("store::tokens::Relation"), "jwt_tokens");
        assert_eq!(
            first_word("store::views::Model"),
            "Model",
            "no table in its module: the name stays"
        );
    }

    #[test]
    fn an_entity_defining_a_table_is_linked_to_the_table_readers_and_writers() {
        let usage = |writers: &[u32], readers: &[u32], definers: &[u32]| TableUse {
            writers: writers.iter().map(|&n| (n, 1)).collect(),
            readers: readers.iter().map(|&n| (n, 1)).collect(),
            definers: definers.iter().map(|&n| (n, 1)).collect(),
        };
        let tables = [
            ("memberships".to_owned(), usage(&[1], &[2], &[0])),
            ("tokens".to_owned(), usage(&[], &[], &[3])),
        ]
        .into();
        let mut edges = table_edges(&tables);
        edges.sort_by_key(|e| (e.0, e.1));
        // memberships: the entity (0), its writer (1) and its reader (2), each pair 2 / 2.
        assert_eq!(edges, vec![(0, 1, 1.0), (0, 2, 1.0), (1, 2, 1.0)]);
        assert!(
            edges.iter().all(|&(a, b, _)| a != 3 && b != 3),
            "an entity nobody reads or writes has no table link"
        );
    }

    fn node(module: &str, name: &str) -> NodeInfo {
        NodeInfo {
            id: format!("{module}::{name}"),
            module: module.to_owned(),
            words: vec![],
        }
    }

    #[test]
    fn subjects_link_items_of_different_modules_only() {
        let nodes = [
            node("c::api::media", "upload"),
            node("c::api::media", "download"),
            node("c::service::media", "Service"),
            node("c::service::users", "Service"),
            node("c::service::users::data", "Data"),
            node("c::api::alias", "get"),
        ];
        let mut edges = same_subject_edges(&nodes, |m| subject_name(m).map(str::to_owned));
        edges.sort_by_key(|a| (a.0, a.1));
        // media: 3 items, so each pair weighs 1/2; the two api items are not linked here.
        // users: `service::users` and its `data` child share the subject.
        assert_eq!(edges, vec![(0, 2, 0.5), (1, 2, 0.5), (3, 4, 1.0)]);
    }

    #[test]
    fn a_big_subject_is_a_ring_alternating_modules() {
        let mut nodes: Vec<NodeInfo> = (0..20)
            .map(|i| node("c::api::media", &format!("h{i}")))
            .collect();
        nodes.extend((0..20).map(|i| node("c::service::media", &format!("s{i}"))));
        let edges = same_subject_edges(&nodes, |m| subject_name(m).map(str::to_owned));
        assert!(
            edges
                .iter()
                .all(|&(a, b, _)| nodes[a as usize].module != nodes[b as usize].module),
            "{edges:?}"
        );
        assert_eq!(edges.len(), 40, "a closed ring over 40 alternating items");
    }
}
