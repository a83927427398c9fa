//! Key-value trees read as tables: a homeserver or object store that keeps its data in the
//! trees of an embedded store (sled, rocksdb column families behind a `KvTree` trait, garage's
//! `db::Tree`) declares each tree as a field of a storage struct (`userid_password:
//! Arc<dyn KvTree>`) and reaches it as `self.userid_password.insert(..)` in that struct's
//! methods. Such a field is the table: the methods that touch it are its readers and writers,
//! and [`super::tables`] carries their accesses to their callers as it does for SQL.

use crate::codebase::{Codebase, ModuleId};
use crate::resolve::{ItemId, Resolution};
use crate::syntax::{ChainBase, Hop, Owner, Pos, TableAccess, TypePaths};

/// Method names that change a tree (sled, rocksdb, redb, conduit's `KvTree`, garage's
/// `db::Tree`); any other use of the field reads it.
const TREE_WRITES: &[&str] = &[
    "insert",
    "insert_batch",
    "remove",
    "clear",
    "increment",
    "increment_batch",
    "compare_and_swap",
    "apply_batch",
    "fetch_and_update",
    "update_and_fetch",
];

/// One access to a tree field by code of the storage type's impl blocks.
pub struct TreeAccess {
    pub module: ModuleId,
    pub owner: Owner,
    pub table: String,
    pub access: TableAccess,
    pub pos: Pos,
}

/// Whether a field's type is a key-value tree: its last path ends in `Tree` (`KvTree`,
/// `db::Tree`, `sled::Tree`), not a collection (`BTreeMap` ends the type's paths).
fn is_tree(ty: &TypePaths) -> bool {
    (ty.last().and_then(|p| p.segments.last())).is_some_and(|s| s.ends_with("Tree"))
}

/// Every `self.<tree field>` in an impl block of a struct with tree fields; `self_of` gives
/// an impl block's self type. The table is named by the field.
pub fn tree_accesses(
    cb: &Codebase,
    res: &Resolution,
    self_of: impl Fn(ModuleId, u32) -> Option<ItemId>,
) -> Vec<TreeAccess> {
    let mut out = Vec::new();
    for (m, module) in cb.modules.iter().enumerate() {
        let mid = ModuleId(m as u32);
        let trees_of = |owner: Owner| -> Vec<&str> {
            let Owner::Impl(i) = owner else {
                return Vec::new();
            };
            let Some(ty) = self_of(mid, i) else {
                return Vec::new();
            };
            (res.item(ty).fields.iter())
                .filter(|(_, t)| is_tree(t))
                .map(|(name, _)| name.as_str())
                .collect()
        };
        let mut push = |owner: Owner, table: &str, access: TableAccess, pos: Pos| {
            out.push(TreeAccess {
                module: mid,
                owner,
                table: table.to_owned(),
                access,
                pos,
            })
        };
        for f in &module.facts.field_accesses {
            if f.receiver.base == ChainBase::SelfValue
                && f.receiver.hops.is_empty()
                && trees_of(f.owner).contains(&f.name.as_str())
            {
                push(f.owner, &f.name, TableAccess::Read, f.pos);
            }
        }
        for c in &module.facts.method_calls {
            let Some(chain) = &c.receiver else { continue };
            let (ChainBase::SelfValue, [Hop::Field(field)]) = (&chain.base, &chain.hops[..]) else {
                continue;
            };
            if TREE_WRITES.contains(&c.name.as_str()) && trees_of(c.owner).contains(&field.as_str())
            {
                push(c.owner, field, TableAccess::Write, c.pos);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::is_tree;
    use crate::syntax::PathText;

    fn ty(paths: &[&str]) -> Vec<PathText> {
        (paths.iter())
            .map(|p| PathText::new(p.split("::").map(str::to_owned).collect()))
            .collect()
    }

    #[test]
    fn a_tree_type_ends_in_tree_and_a_map_does_not() {
        assert!(is_tree(&ty(&["KvTree"])));
        assert!(is_tree(&ty(&["db::Tree"])));
        assert!(!is_tree(&ty(&["BTreeMap"])));
        assert!(!is_tree(&ty(&["TreeNode"])));
        assert!(!is_tree(&ty(&[])));
    }
}
