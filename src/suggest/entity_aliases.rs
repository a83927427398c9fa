//! sea-orm entities reached through renames: sea-orm-cli writes a prelude of
//! `pub use super::users::Entity as User;`, and code then names `model::User::find()` or
//! `User::insert(..)`, which the syntactic rule (`m::Entity`, [`crate::syntax`]) does not see.
//! An alias is followed when the path names it through the module that defines it (or one
//! that glob re-exports that module), or the path's module imports it from there; a bare
//! `User` imported from elsewhere (a domain type of the same name) is no entity.

use std::collections::{BTreeMap, BTreeSet};

use crate::codebase::{Codebase, ModuleId};
use crate::syntax::{Owner, PathText, Pos, TableAccess, UseKind, Visibility};

/// One access through an alias: where, by whom, which table, how.
pub struct AliasAccess {
    pub module: ModuleId,
    pub owner: Owner,
    pub table: String,
    pub access: TableAccess,
    pub pos: Pos,
}

/// The generated type an alias stands for.
#[derive(Clone, Copy, PartialEq)]
enum Generated {
    Entity,
    Column,
    ActiveModel,
}

struct Alias {
    table: String,
    generated: Generated,
    /// The modules that define or glob re-export it, as (parent's name, name):
    /// (`model`, `prelude`), (`lldap_domain_model`, `model`).
    homes: BTreeSet<(String, String)>,
}

impl Alias {
    fn home_named(&self, name: &str) -> bool {
        self.homes.iter().any(|(_, n)| n == name)
    }

    /// Whether a `use` path ending `.., parent, name` in module `here` names one of its
    /// homes (a one-segment path names a child of `here`).
    fn home_is(&self, segs: &[String], here: &str) -> bool {
        let (parent, name) = match segs {
            [.., parent, name] => (parent.as_str(), name),
            [name] => (here, name),
            [] => return false,
        };
        self.homes.iter().any(|(p, n)| {
            n == name && (p == parent || matches!(parent, "crate" | "self" | "super"))
        })
    }
}

/// Every access made through an entity alias in the codebase.
pub fn alias_accesses(cb: &Codebase) -> Vec<AliasAccess> {
    let aliases = find_aliases(cb);
    if aliases.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (m, module) in cb.modules.iter().enumerate() {
        // Aliases this module imports by name, and homes it glob-imports.
        let here = module.path.rsplit("::").next().unwrap_or_default();
        let mut imported: BTreeSet<&str> = BTreeSet::new();
        for u in &module.facts.uses {
            let segs = &u.path.segments;
            let (Some(last), Some(home)) = (segs.last(), segs.len().checked_sub(2)) else {
                continue;
            };
            match &u.kind {
                UseKind::Named { rename: None } => {
                    if aliases
                        .get(last.as_str())
                        .is_some_and(|a| a.home_named(&segs[home]))
                    {
                        imported.insert(last.as_str());
                    }
                }
                UseKind::Glob => {
                    for (name, a) in &aliases {
                        if a.home_is(segs, here) {
                            imported.insert(name);
                        }
                    }
                }
                UseKind::Named { .. } => {}
            }
        }
        for r in &module.facts.refs {
            let Some((table, access)) = access_of(&r.path, &aliases, &imported) else {
                continue;
            };
            out.push(AliasAccess {
                module: ModuleId(m as u32),
                owner: r.owner,
                table,
                access,
                pos: r.pos,
            });
        }
    }
    out
}

/// The access a path makes through an alias, if it names one.
fn access_of(
    path: &PathText,
    aliases: &BTreeMap<String, Alias>,
    imported: &BTreeSet<&str>,
) -> Option<(String, TableAccess)> {
    let segs = &path.segments;
    let (k, alias) = segs.iter().enumerate().find_map(|(k, s)| {
        let a = aliases.get(s.as_str())?;
        let through_home = k >= 1 && a.home_named(&segs[k - 1]);
        let imported_here = k == 0 && imported.contains(s.as_str());
        (through_home || imported_here).then_some((k, a))
    })?;
    let writes = match alias.generated {
        Generated::ActiveModel => true,
        Generated::Entity => segs.get(k + 1).is_some_and(|m| {
            ["insert", "update", "delete"]
                .iter()
                .any(|w| m.starts_with(w))
        }),
        Generated::Column => false,
    };
    let access = if writes {
        TableAccess::Write
    } else {
        TableAccess::Read
    };
    Some((alias.table.clone(), access))
}

/// `use ..::m::Entity as A` (or `Column`, `ActiveModel`) anywhere in the codebase, `m` an
/// entity module: alias `A` of table `m`, at home in the module that declares it and in the
/// modules that glob re-export that one.
fn find_aliases(cb: &Codebase) -> BTreeMap<String, Alias> {
    let home = |m: usize| {
        let mut segs = cb.modules[m].path.rsplit("::");
        let name = segs.next().unwrap_or_default().to_owned();
        (segs.next().unwrap_or_default().to_owned(), name)
    };
    let mut aliases: BTreeMap<String, Alias> = BTreeMap::new();
    for (m, module) in cb.modules.iter().enumerate() {
        for u in &module.facts.uses {
            let UseKind::Named { rename: Some(name) } = &u.kind else {
                continue;
            };
            let segs = &u.path.segments;
            let generated = match segs.last().map(String::as_str) {
                Some("Entity") => Generated::Entity,
                Some("Column") => Generated::Column,
                Some("ActiveModel") => Generated::ActiveModel,
                _ => continue,
            };
            let Some(table) = segs.len().checked_sub(2).map(|i| &segs[i]) else {
                continue;
            };
            let is_module_name =
                (table.chars()).all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !is_module_name || matches!(table.as_str(), "self" | "super" | "crate" | "sea_orm") {
                continue;
            }
            aliases.insert(
                name.clone(),
                Alias {
                    table: table.clone(),
                    generated,
                    homes: BTreeSet::from([home(m)]),
                },
            );
        }
    }
    // Homes re-exported by glob (`pub use prelude::*;` in `model`), two levels deep.
    for _ in 0..2 {
        for (m, module) in cb.modules.iter().enumerate() {
            for u in &module.facts.uses {
                if u.kind != UseKind::Glob || u.vis == Visibility::Private {
                    continue;
                }
                for a in aliases.values_mut() {
                    if a.home_is(&u.path.segments, &home(m).1) {
                        a.homes.insert(home(m));
                    }
                }
            }
        }
    }
    aliases
}
