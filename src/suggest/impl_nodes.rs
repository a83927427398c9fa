//! Impl blocks written outside their type's module are clustered as nodes of their own.
//!
//! Code in an impl block is its self type's (`Reference::from_item`), so its references, its
//! table accesses and its method names used to be folded into the type's node. When the
//! block sits in another module than the type, that module is where a developer put the code
//! and the module's place is what the evaluation asks: lldap's `sql_user_backend_handler`
//! is `impl UserBackendHandler for SqlBackendHandler` (and two more impls) over the users'
//! tables, but `SqlBackendHandler` is one type in `sql_backend_handler` whose node held the
//! users', groups' and schema's queries at once (a composition root, kernel), so the file
//! was placed by its four free functions. Conduit's `database::key_value::*` files are each
//! one `impl Data for KeyValueDatabase` and had no node at all. A block outside its type's
//! module becomes a node in its own module: it carries what its code refers to and touches,
//! and its module votes with it. The type keeps the incoming references (a call reaches the
//! type, not one block) and the code written in its own module.

use std::collections::BTreeMap;

use crate::codebase::ModuleId;
use crate::resolve::{ItemId, Resolution};

/// Where clustered code lives: an item's node, or, for the code of an impl block written
/// outside its type's module, that block's node.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Homes {
    /// Item → node index (only clustered items).
    pub node_of: BTreeMap<ItemId, u32>,
    /// (self type, module of the impl block) → the node of the type's code in that module,
    /// for modules other than the type's own.
    pub impls: BTreeMap<(ItemId, ModuleId), u32>,
}

impl Homes {
    /// Item nodes only; impl nodes are added by [`Homes::add_foreign_impls`].
    pub fn new(node_of: BTreeMap<ItemId, u32>) -> Self {
        Homes {
            node_of,
            impls: BTreeMap::new(),
        }
    }

    /// The node of code that the resolver gives to `item` and that is written in `module`.
    pub fn of_code(&self, item: ItemId, module: ModuleId) -> Option<u32> {
        (self.impls.get(&(item, module)))
            .or_else(|| self.node_of.get(&item))
            .copied()
    }

    /// Whether `node` is an impl block's node: those are numbered after every item's.
    pub fn is_impl(&self, node: usize) -> bool {
        node >= self.node_of.len()
    }

    /// The node of the `i`th method of the resolution.
    pub fn of_method(&self, res: &Resolution, i: usize) -> Option<u32> {
        let method = &res.methods[i];
        self.of_code(method.self_item, method.module)
    }

    /// Numbers a node for each (clustered type, module) pair with methods in a module that is
    /// not the type's, from `first` on in (type, module) order; returns them in that order.
    pub fn add_foreign_impls(&mut self, res: &Resolution, first: u32) -> Vec<(ItemId, ModuleId)> {
        // EXPERIMENT (variant A): only modules with clustered items of their own.
        let with_items: std::collections::BTreeSet<ModuleId> = (self.node_of.keys())
            .map(|&id| res.item(id).module)
            .collect();
        let mut pairs: Vec<(ItemId, ModuleId)> = (res.methods.iter())
            .filter(|m| self.node_of.contains_key(&m.self_item))
            .filter(|m| res.item(m.self_item).module != m.module)
            .filter(|m| with_items.contains(&m.module))
            .map(|m| (m.self_item, m.module))
            .collect();
        pairs.sort();
        pairs.dedup();
        for (k, &pair) in pairs.iter().enumerate() {
            self.impls.insert(pair, first + k as u32);
        }
        pairs
    }
}

#[cfg(test)]
mod tests {
    use crate::suggest::input::{LayerWeights, build};
    use crate::test_support::AnalyzeOptions;
    use crate::test_support::annotations::analyze_fixture;

    /// One backend type, its trait impls written in one file per table.
    const BACKEND: &str = r#"
//- /src/lib.rs crate:store
pub mod backend;
pub mod model;
pub mod users;
pub mod groups;
//- /src/model.rs
pub struct User { pub id: u32 }
pub struct Group { pub id: u32 }
//- /src/backend.rs
pub struct Backend;
impl Backend {
    pub fn connect() -> Backend { Backend }
}
pub trait UserStore { fn list_users(&self) -> Vec<crate::model::User>; }
pub trait GroupStore { fn list_groups(&self) -> Vec<crate::model::Group>; }
//- /src/users.rs
use crate::backend::{Backend, UserStore};
use crate::model::User;
fn user_filter() -> u32 { 1 }
impl UserStore for Backend {
    fn list_users(&self) -> Vec<User> {
        let _ = "SELECT id FROM users";
        let _ = user_filter();
        vec![User { id: 1 }]
    }
}
//- /src/groups.rs
use crate::backend::{Backend, GroupStore};
use crate::model::Group;
impl GroupStore for Backend {
    fn list_groups(&self) -> Vec<Group> {
        let _ = "SELECT id FROM groups";
        vec![Group { id: 1 }]
    }
}
"#;

    #[test]
    fn an_impl_block_outside_its_types_module_is_a_node_of_its_own_module() {
        let analysis = analyze_fixture(BACKEND, AnalyzeOptions::default());
        let built = build(&analysis, &LayerWeights::default(), None);
        let nodes = &built.input.nodes;
        let find = |id: &str| {
            (nodes.iter().position(|n| n.id == id)).unwrap_or_else(|| panic!("{id} is a node"))
        };
        let users = find("store::users::<impl Backend");
        let groups = find("store::groups::<impl Backend");
        let backend = find("store::backend::Backend");
        assert_eq!(nodes[users].module, "store::users");
        assert!(built.homes.is_impl(users) && !built.homes.is_impl(backend));
        // Method names are the block's words; the type keeps its own module's methods.
        assert_eq!(nodes[users].words, vec!["list_users".to_owned()]);
        assert!(nodes[backend].words.contains(&"connect".to_owned()));
        assert!(!nodes[backend].words.contains(&"list_users".to_owned()));
        // The tables the block reads are its own, not the type's.
        let readers = |t: &str| built.tables[t].readers.keys().copied().collect::<Vec<_>>();
        assert_eq!(readers("users"), vec![users as u32]);
        assert_eq!(readers("groups"), vec![groups as u32]);
        // So are its references: to the row type and the file's own helper.
        let refs = &built.input.layers[0];
        assert_eq!(refs.name, "references");
        let linked = |a: usize, b: &str| {
            let b = find(b) as u32;
            (refs.edges.iter()).any(|&(x, y, _)| x == a as u32 && y == b)
        };
        assert!(linked(users, "store::model::User"));
        assert!(linked(users, "store::users::user_filter"));
        assert!(linked(groups, "store::model::Group"));
        assert!(!linked(backend, "store::model::User"));
    }
}
