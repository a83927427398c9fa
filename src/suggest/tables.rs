//! Table evidence: which clustered items touch which tables, from SQL strings, diesel
//! `schema::t` paths, references to diesel `table!` items and sea-orm entity paths.
//!
//! An access made inside a method is the method's, not its type's: a storage type whose
//! methods reach every table (`Database::get_user`, `Database::add_crate`) says nothing about
//! domains, its callers do. So a method's accesses (with those of the methods of its own type
//! it calls) are carried to the items that call it; only a method no caller is found for
//! (the resolver types a receiver or guesses a unique method name) leaves them on its type.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::entity_aliases::alias_accesses;
use crate::codebase::{Codebase, ModuleId};
use crate::graph::kind_weight;
use crate::resolve::{ItemId, Resolution, Target};
use crate::syntax::{ItemKind, Owner, Pos, RefKind, TableAccess};

/// A table touched by clustered items: who writes it and who reads it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableUse {
    /// Node index → number of writes.
    pub writers: BTreeMap<u32, u32>,
    /// Node index → number of reads (including naming the diesel table item).
    pub readers: BTreeMap<u32, u32>,
    /// Node index → number of definitions (a sea-orm entity's `Model`): not an access, but
    /// the item is the table's data.
    pub definers: BTreeMap<u32, u32>,
}

impl TableUse {
    /// The domain that owns the table: the one whose items write it most, else read it most
    /// (ties: the lowest domain); `domain_of` gives each node's domain.
    pub fn owner(&self, domain_of: &[Option<u32>]) -> Option<u32> {
        let tally = |counts: &BTreeMap<u32, u32>| {
            let mut per: BTreeMap<u32, u32> = BTreeMap::new();
            for (&node, &n) in counts {
                if let Some(d) = domain_of.get(node as usize).copied().flatten() {
                    *per.entry(d).or_default() += n;
                }
            }
            per.into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(d, _)| d)
        };
        tally(&self.writers).or_else(|| tally(&self.readers))
    }
}

/// SQL keywords that a loose reading of a query string can take for a table name
/// (`UPDATE t SET ...`, `... WHERE`): never tables.
const SQL_WORDS: &[&str] = &[
    "as", "from", "into", "join", "lateral", "locked", "nowait", "on", "only", "select", "set",
    "skip", "table", "update", "values", "where",
];

type Access = (String, TableAccess);

/// Every table and the clustered items that touch it.
pub fn table_uses(
    cb: &Codebase,
    res: &Resolution,
    node_of: &BTreeMap<ItemId, u32>,
) -> BTreeMap<String, TableUse> {
    let methods = MethodIndex::new(cb, res);
    // Accesses made by each method itself, and by items outside any method.
    let mut direct: Vec<BTreeSet<Access>> = vec![BTreeSet::new(); res.methods.len()];
    let mut out: BTreeMap<String, TableUse> = BTreeMap::new();
    let mut accesses: Vec<(ModuleId, Owner, &str, TableAccess, Pos)> = Vec::new();
    for (m, module) in cb.modules.iter().enumerate() {
        for t in &module.facts.tables {
            if SQL_WORDS.contains(&t.table.to_ascii_lowercase().as_str()) {
                continue;
            }
            accesses.push((ModuleId(m as u32), t.owner, &t.table, t.access, t.pos));
        }
    }
    let aliased = alias_accesses(cb);
    for a in &aliased {
        accesses.push((a.module, a.owner, &a.table, a.access, a.pos));
    }
    for (mid, owner, table, access, pos) in accesses {
        let owner = match owner {
            Owner::Module => None,
            Owner::Item(i) => Some(res.item_of(mid, i)),
            Owner::Impl(i) => {
                if let Some(method) = methods.method_at(mid, i, pos) {
                    direct[method].insert((table.to_owned(), access));
                    continue;
                }
                None
            }
        };
        if let Some(&node) = owner.and_then(|o| node_of.get(&o)) {
            add(&mut out, table, access, node);
        }
    }
    let calls = method_calls(cb, res, &methods);
    // A method's accesses include those of its own type's methods it calls (helpers such as
    // `self.count(..)`), to a fixpoint: the sets only grow and are bounded.
    let mut reach = direct;
    // Methods some caller was found for: their accesses are the callers' (a helper called
    // only by its own type's methods is in those methods' sets).
    let mut carried = vec![false; res.methods.len()];
    // A blanket impl's method (`impl<H: Bound> Trait for H`, owned by the trait) forwards
    // to the bound's methods: what those reach, it reaches, for its own callers.
    let forwards: Vec<bool> = (res.methods.iter())
        .map(|m| res.item(m.self_item).kind == ItemKind::Trait)
        .collect();
    loop {
        let mut changed = false;
        for call in &calls {
            let Some(caller) = call.caller_method else {
                continue;
            };
            for &callee in &call.callees {
                let same_type = res.methods[callee].self_item == res.methods[caller].self_item;
                if callee == caller || !(same_type || forwards[caller]) {
                    continue;
                }
                carried[callee] = true;
                let add: Vec<Access> = reach[callee].difference(&reach[caller]).cloned().collect();
                changed |= !add.is_empty();
                reach[caller].extend(add);
            }
        }
        if !changed {
            break;
        }
    }
    // Carried to callers outside the method's type (a forwarding method's are in its set).
    for call in &calls {
        let Some(&node) = node_of.get(&call.caller_item) else {
            continue;
        };
        if call.caller_method.is_some_and(|m| forwards[m]) {
            continue;
        }
        for &callee in &call.callees {
            if res.methods[callee].self_item == call.caller_item {
                continue;
            }
            carried[callee] = true;
            for (table, access) in &reach[callee] {
                add(&mut out, table, *access, node);
            }
        }
    }
    for (i, method) in res.methods.iter().enumerate() {
        if carried[i] {
            continue;
        }
        let Some(&node) = node_of.get(&method.self_item) else {
            continue;
        };
        for (table, access) in &reach[i] {
            add(&mut out, table, *access, node);
        }
    }
    for r in &res.refs {
        let (Some(from), Target::Item(to)) = (r.from_item, r.target) else {
            continue;
        };
        let target = res.item(to);
        if target.kind != ItemKind::Table {
            continue;
        }
        if let Some(&node) = node_of.get(&from) {
            *out.entry(target.name.clone())
                .or_default()
                .readers
                .entry(node)
                .or_default() += kind_weight(r.kind) as u32;
        }
    }
    out
}

fn add(out: &mut BTreeMap<String, TableUse>, table: &str, access: TableAccess, node: u32) {
    let entry = out.entry(table.to_owned()).or_default();
    match access {
        TableAccess::Write => *entry.writers.entry(node).or_default() += 1,
        TableAccess::Read => *entry.readers.entry(node).or_default() += 1,
        TableAccess::Define => *entry.definers.entry(node).or_default() += 1,
    }
}

/// The methods of every impl block, by position, and by the name they are called with.
struct MethodIndex {
    /// (module, impl block) → its methods' starts and indices in `res.methods`, in order.
    by_impl: HashMap<(ModuleId, u32), Vec<(Pos, usize)>>,
    /// (self type, name) → methods.
    by_type: HashMap<(ItemId, String), Vec<usize>>,
    /// (trait name, method name) → the methods of impls of a trait of that name: a call on
    /// a `dyn Trait` value is typed to the trait, its code is in the impls.
    by_trait: HashMap<(String, String), Vec<usize>>,
}

impl MethodIndex {
    fn new(cb: &Codebase, res: &Resolution) -> Self {
        // By name too: the methods one macro invocation generates share its position.
        let mut at: HashMap<(ModuleId, Pos, &str), usize> = HashMap::new();
        let mut by_type: HashMap<(ItemId, String), Vec<usize>> = HashMap::new();
        for (i, m) in res.methods.iter().enumerate() {
            at.insert((m.module, m.pos, m.name.as_str()), i);
            by_type
                .entry((m.self_item, m.name.clone()))
                .or_default()
                .push(i);
        }
        let mut by_impl: HashMap<(ModuleId, u32), Vec<(Pos, usize)>> = HashMap::new();
        let mut by_trait: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (m, module) in cb.modules.iter().enumerate() {
            let mid = ModuleId(m as u32);
            for (i, imp) in module.facts.impls.iter().enumerate() {
                let mut fns: Vec<(Pos, usize)> = (imp.fns.iter())
                    .filter_map(|(name, _, pos)| {
                        at.get(&(mid, *pos, name.as_str())).map(|&idx| (*pos, idx))
                    })
                    .collect();
                fns.sort();
                let trait_name = imp.trait_.as_ref().and_then(|t| t.segments.last());
                if let Some(trait_name) = trait_name {
                    for &(_, idx) in &fns {
                        by_trait
                            .entry((trait_name.clone(), res.methods[idx].name.clone()))
                            .or_default()
                            .push(idx);
                    }
                }
                by_impl.insert((mid, i as u32), fns);
            }
        }
        MethodIndex {
            by_impl,
            by_type,
            by_trait,
        }
    }

    /// The method of impl block `imp` whose code holds `pos`: the last one starting before.
    fn method_at(&self, module: ModuleId, imp: u32, pos: Pos) -> Option<usize> {
        let fns = self.by_impl.get(&(module, imp))?;
        let k = fns.partition_point(|&(start, _)| start <= pos);
        k.checked_sub(1).map(|k| fns[k].1)
    }
}

/// One resolved method call: who calls, and which methods it may reach.
struct Call {
    caller_item: ItemId,
    caller_method: Option<usize>,
    callees: Vec<usize>,
}

/// Every method call the resolver tied to a workspace type, with the methods it reaches.
fn method_calls(cb: &Codebase, res: &Resolution, methods: &MethodIndex) -> Vec<Call> {
    // The resolver keeps the call's target type, not its name: found again by position.
    let mut call_at: HashMap<(ModuleId, Pos), (&str, Owner)> = HashMap::new();
    for (m, module) in cb.modules.iter().enumerate() {
        for c in &module.facts.method_calls {
            call_at.insert((ModuleId(m as u32), c.pos), (c.name.as_str(), c.owner));
        }
    }
    let mut calls = Vec::new();
    for r in &res.refs {
        let is_method_call =
            (r.kind == RefKind::Call && r.via_value) || r.kind == RefKind::MethodGuess;
        let (true, Some(from), Target::Item(to)) = (is_method_call, r.from_item, r.target) else {
            continue;
        };
        let Some(&(name, owner)) = call_at.get(&(r.from_module, r.pos)) else {
            continue;
        };
        let target = res.item(to);
        let callees = if target.kind == ItemKind::Trait {
            methods
                .by_trait
                .get(&(target.name.clone(), name.to_owned()))
        } else {
            methods.by_type.get(&(to, name.to_owned()))
        };
        let Some(callees) = callees else { continue };
        let caller_method = match owner {
            Owner::Impl(i) => methods.method_at(r.from_module, i, r.pos),
            _ => None,
        };
        calls.push(Call {
            caller_item: from,
            caller_method,
            callees: callees.clone(),
        });
    }
    calls
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::table_uses;
    use crate::test_support::analyze_in_memory;

    /// Table → (writers, readers), each the sorted item paths.
    fn uses(fixture: &str) -> BTreeMap<String, (Vec<String>, Vec<String>)> {
        let (cb, res) = analyze_in_memory(fixture);
        assert!(cb.parse_errors.is_empty(), "{:?}", cb.parse_errors);
        let node_of = (0..res.items.len() as u32)
            .map(|i| (crate::resolve::ItemId(i), i))
            .collect();
        let path = |n: &u32| res.items[*n as usize].path.clone();
        (table_uses(&cb, &res, &node_of).into_iter())
            .map(|(t, u)| {
                let w = u.writers.keys().map(path).collect();
                let r = u.readers.keys().map(path).collect();
                (t, (w, r))
            })
            .collect()
    }

    const STORAGE: &str = r#"
//- /src/lib.rs crate:shop
pub mod db;
pub mod orders;
pub mod users;
//- /src/db.rs
pub struct Db;
impl Db {
    pub fn get_user(&self) -> u32 {
        self.count("SELECT id FROM users")
    }
    pub fn add_order(&self) {
        let _ = "INSERT INTO orders (id) VALUES (1)";
    }
    pub fn purge(&self) {
        let _ = "DELETE FROM sessions";
    }
    fn count(&self, _q: &str) -> u32 {
        let _ = "SELECT count(*) FROM audit";
        0
    }
}
//- /src/users.rs
pub fn show_user(db: &crate::db::Db) -> u32 {
    db.get_user()
}
//- /src/orders.rs
pub fn place(db: &crate::db::Db) {
    db.add_order()
}
"#;

    #[test]
    fn a_storage_methods_tables_go_to_its_callers() {
        let uses = uses(STORAGE);
        let own = |t: &str| uses.get(t).cloned().unwrap_or_default();
        // `get_user` reads `users` itself and `audit` through its helper `self.count`.
        assert_eq!(
            own("users"),
            (vec![], vec!["shop::users::show_user".into()])
        );
        assert_eq!(
            own("audit"),
            (vec![], vec!["shop::users::show_user".into()])
        );
        assert_eq!(own("orders"), (vec!["shop::orders::place".into()], vec![]));
        // Nobody outside `Db` calls `purge`: its table stays with the type.
        assert_eq!(own("sessions"), (vec!["shop::db::Db".into()], vec![]));
    }

    #[test]
    fn writes_in_methods_a_local_macro_generates_go_to_the_callers() {
        // kellnr's `impl_add_relation!`: the join-table inserts are only in the expansion.
        let uses = uses(
            r#"
//- /src/lib.rs crate:shop
pub mod db;
pub mod owners;
//- /src/db.rs
pub struct Db;
macro_rules! add_relation {
    ($method:ident, $entity:ident) => {
        fn $method(&self) {
            let _ = $entity::ActiveModel { ..Default::default() };
        }
    };
}
impl Db {
    add_relation!(add_owner_impl, owner);
    add_relation!(add_member_impl, member);
    pub fn add_owner(&self) {
        self.add_owner_impl()
    }
}
//- /src/owners.rs
pub fn add(db: &crate::db::Db) {
    db.add_owner()
}
"#,
        );
        let own = |t: &str| uses.get(t).cloned().unwrap_or_default();
        assert_eq!(own("owner"), (vec!["shop::owners::add".into()], vec![]));
        // No caller: stays with the type.
        assert_eq!(own("member"), (vec!["shop::db::Db".into()], vec![]));
    }

    #[test]
    fn a_call_through_a_generic_and_a_blanket_impl_carries_the_storage_tables() {
        let uses = uses(
            r#"
//- /src/lib.rs crate:shop
pub mod access;
pub mod db;
pub mod users;
//- /src/db.rs
pub trait Store {
    fn get_user(&self) -> u32;
}
pub struct Db;
impl Store for Db {
    fn get_user(&self) -> u32 {
        let _ = "SELECT id FROM users";
        0
    }
}
//- /src/access.rs
use crate::db::Store;
pub trait Readonly {
    fn user(&self) -> u32;
}
impl<H: Store> Readonly for H {
    fn user(&self) -> u32 {
        <H as Store>::get_user(self)
    }
}
//- /src/users.rs
use crate::access::Readonly;
pub fn show<R>(r: &R) -> u32
where
    R: Readonly,
{
    r.user()
}
"#,
        );
        // `r: &R` is a `Readonly`; the blanket impl's `user` forwards to `Store::get_user`,
        // whose impl reads `users`: the read is the caller's, not `Db`'s nor `Readonly`'s.
        assert_eq!(
            uses.get("users").cloned().unwrap_or_default(),
            (vec![], vec!["shop::users::show".into()])
        );
    }

    #[test]
    fn entities_renamed_in_a_prelude_are_tables() {
        let uses = uses(
            r#"
//- /src/lib.rs crate:app
pub mod handlers;
pub mod model;
//- /src/model/mod.rs
pub mod prelude;
pub mod users;
pub use prelude::*;
//- /src/model/prelude.rs
pub use super::users::Entity as User;
pub use super::users::Column as UserColumn;
//- /src/model/users.rs
pub struct Model;
//- /src/handlers.rs
use crate::model;
pub struct User;
pub fn list() {
    let _ = model::User::find();
    let _ = model::UserColumn::Name;
}
pub fn create() {
    let _ = model::User::insert(1);
}
pub fn domain() {
    let _ = User::default();
}
"#,
        );
        let users = uses.get("users").cloned().unwrap_or_default();
        // `User` in `domain` is the handlers' own struct, not the entity.
        assert_eq!(
            users,
            (
                vec!["app::handlers::create".into()],
                vec!["app::handlers::list".into()]
            )
        );
    }

    #[test]
    fn the_writer_owns_a_table_over_a_heavier_reader_and_ties_go_to_the_lowest_domain() {
        let usage = super::TableUse {
            writers: [(0, 1)].into(),
            readers: [(1, 9), (2, 9)].into(),
            ..Default::default()
        };
        // Nodes 0, 1, 2 in domains 2, 0, 1; node 3 is kernel.
        let domains = [Some(2), Some(0), Some(1), None];
        assert_eq!(usage.owner(&domains), Some(2));
        let read_only = super::TableUse {
            writers: [(3, 5)].into(),
            readers: [(1, 4), (2, 4)].into(),
            ..Default::default()
        };
        // The only writer is kernel: the readers decide, tied, so the lowest domain.
        assert_eq!(read_only.owner(&domains), Some(0));
        assert_eq!(super::TableUse::default().owner(&domains), None);
    }
}
