//! What each owner would move: its top modules in the monolith's crate and their file trees.
//! A top module is one whose parent stays (the crate root, an unassigned module); the crate
//! roots themselves are composition roots and never move.

use std::collections::{BTreeMap, BTreeSet};

use crate::codebase::{Codebase, ModuleId};
use crate::diagnostics::{Diagnostic, Location};
use crate::spec::{ModuleOwner, Spec};

use super::blockers;

/// The kernel's unit name.
pub const KERNEL: &str = "kernel";

/// The modules one owner moves.
#[derive(Debug, Clone)]
pub struct Unit {
    /// The domain's name, or [`KERNEL`].
    pub name: String,
    pub tops: Vec<ModuleId>,
    /// The tops and all their descendants.
    pub modules: BTreeSet<ModuleId>,
    /// Why the tree cannot move as it is.
    pub layout: Vec<Diagnostic>,
    /// The tops those reasons are about, when they are tops.
    pub layout_tops: BTreeSet<ModuleId>,
}

impl Unit {
    pub fn is_kernel(&self) -> bool {
        self.name == KERNEL
    }
}

/// Every unit, the kernel first, then the domains in the spec's order.
#[derive(Debug, Clone, Default)]
pub struct Units {
    /// The crate the domains move out of: the one holding most domain modules.
    pub monolith: Option<u32>,
    pub units: Vec<Unit>,
    /// The unit each module moves with, indexed like `Codebase::modules`.
    pub unit_of: Vec<Option<usize>>,
    /// Domains that own nothing that can move (only crate roots).
    pub staying: Vec<String>,
    /// Domains whose modules are all in crates whose root they own.
    pub already: Vec<String>,
}

/// The units of the code; the kernel's tops in `left_behind` stay in the monolith.
pub fn units(
    spec: &Spec,
    cb: &Codebase,
    owners: &[ModuleOwner<'_>],
    left_behind: &BTreeSet<ModuleId>,
) -> Units {
    let Some(monolith) = monolith_crate(cb, owners) else {
        return Units {
            staying: spec.domains.keys().cloned().collect(),
            unit_of: vec![None; cb.modules.len()],
            ..Units::default()
        };
    };
    let (mut by_name, already) = collect_tops(cb, owners, monolith, left_behind);
    let mut out = Units {
        monolith: Some(monolith),
        unit_of: vec![None; cb.modules.len()],
        ..Units::default()
    };
    let order = std::iter::once(KERNEL.to_string()).chain(spec.domains.keys().cloned());
    for name in order {
        let unit = by_name.remove(&name).map(|mut unit| {
            fill_subtrees(cb, owners, &mut unit);
            unit
        });
        match unit {
            Some(unit) if !unit.tops.is_empty() || !unit.layout.is_empty() => {
                for &m in &unit.modules {
                    out.unit_of[m.0 as usize] = Some(out.units.len());
                }
                out.units.push(unit);
            }
            _ if already.contains(&name) => out.already.push(name),
            _ if name != KERNEL => out.staying.push(name),
            _ => {}
        }
    }
    out
}

/// The crate the domains move out of: the one holding most domain modules (not crate roots,
/// not in crates whose root a domain owns); the lowest crate index on a tie.
fn monolith_crate(cb: &Codebase, owners: &[ModuleOwner<'_>]) -> Option<u32> {
    let mut per_crate: BTreeMap<u32, usize> = BTreeMap::new();
    for (i, module) in cb.modules.iter().enumerate() {
        // A crate whose root a domain owns is that domain's crate already, never the monolith.
        let root = cb.crates[module.krate as usize].root;
        let extracted = matches!(owners[root.0 as usize], ModuleOwner::Domain(_));
        let is_root = module.parent.is_none();
        if matches!(owners[i], ModuleOwner::Domain(_)) && !is_root && !extracted {
            *per_crate.entry(module.krate).or_default() += 1;
        }
    }
    per_crate
        .iter()
        .max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k)))
        .map(|(k, _)| *k)
}

/// The unit a module's owner moves it with: the domain's name, [`KERNEL`] for shared
/// modules, none for unassigned ones.
fn owner_name(o: ModuleOwner<'_>) -> Option<String> {
    match o {
        ModuleOwner::Domain(d) => Some(d.to_string()),
        ModuleOwner::Shared => Some(KERNEL.to_string()),
        ModuleOwner::Unassigned => None,
    }
}

/// Every owner's top modules in the monolith, with the layout reasons that keep others from
/// moving; and the owners that own the root of a crate of their own (already extracted).
fn collect_tops(
    cb: &Codebase,
    owners: &[ModuleOwner<'_>],
    monolith: u32,
    left_behind: &BTreeSet<ModuleId>,
) -> (BTreeMap<String, Unit>, BTreeSet<String>) {
    let is_root = |m: ModuleId| cb.module(m).parent.is_none();
    let mut by_name: BTreeMap<String, Unit> = BTreeMap::new();
    let mut already: BTreeSet<String> = BTreeSet::new();
    for (i, module) in cb.modules.iter().enumerate() {
        let id = ModuleId(i as u32);
        let Some(name) = owner_name(owners[i]) else {
            continue;
        };
        let Some(parent) = module.parent else {
            continue;
        };
        if owner_name(owners[parent.0 as usize]).as_ref() == Some(&name) && !is_root(parent) {
            continue;
        }
        let unit = by_name.entry(name.clone()).or_insert_with(|| Unit {
            name: name.clone(),
            tops: Vec::new(),
            modules: BTreeSet::new(),
            layout: Vec::new(),
            layout_tops: BTreeSet::new(),
        });
        if module.krate != monolith {
            let root = cb.crates[module.krate as usize].root;
            if owner_name(owners[root.0 as usize]).as_ref() == Some(&name) {
                already.insert(name);
                continue;
            }
            if name != KERNEL {
                let crate_name = &cb.crates[monolith as usize].target.name;
                unit.layout.push(blockers::unmovable(
                    declared_at(cb, id),
                    &module.path,
                    &format!("it is in another crate than the monolith `{crate_name}`"),
                ));
            }
            continue;
        }
        let parent_stays = is_root(parent) || owners[parent.0 as usize] == ModuleOwner::Unassigned;
        if !parent_stays {
            let parent_path = &cb.module(parent).path;
            unit.layout.push(blockers::unmovable(
                declared_at(cb, id),
                &module.path,
                &format!("it sits inside `{parent_path}`, which another owner moves"),
            ));
            continue;
        }
        if module.inline {
            unit.layout.push(blockers::unmovable(
                declared_at(cb, id),
                &module.path,
                "it is an inline `mod { }`; move it into a file of its own first",
            ));
            continue;
        }
        if !left_behind.contains(&id) {
            unit.tops.push(id);
        }
    }
    (by_name, already)
}

/// Fills `unit.modules` with its tops' trees, and blocks each top that holds a module
/// another owner has.
fn fill_subtrees(cb: &Codebase, owners: &[ModuleOwner<'_>], unit: &mut Unit) {
    for &top in &unit.tops {
        subtree(cb, top, &mut unit.modules);
    }
    for &m in &unit.modules {
        let owner = owner_name(owners[m.0 as usize]);
        // Unassigned modules inside a top (inline `mod tests`) move with it.
        if owner.is_some()
            && owner.as_deref() != Some(unit.name.as_str())
            && !unit.tops.contains(&m)
        {
            let whose = owner.unwrap_or_default();
            let why = format!(
                "it holds `{}`, which belongs to `{whose}`",
                cb.module(m).path
            );
            let top = top_of(cb, m, &unit.tops);
            unit.layout.push(blockers::unmovable(
                declared_at(cb, top),
                &cb.module(top).path,
                &why,
            ));
            unit.layout_tops.insert(top);
        }
    }
}

fn subtree(cb: &Codebase, top: ModuleId, out: &mut BTreeSet<ModuleId>) {
    let mut stack = vec![top];
    while let Some(m) = stack.pop() {
        out.insert(m);
        stack.extend(cb.module(m).children.values().copied());
    }
}

/// The top module `m` descends from (`m` itself when none is its ancestor).
pub fn top_of(cb: &Codebase, mut m: ModuleId, tops: &[ModuleId]) -> ModuleId {
    while !tops.contains(&m) {
        match cb.module(m).parent {
            Some(p) => m = p,
            None => break,
        }
    }
    m
}

/// Where the `mod` declaring `m` is written (the module's file start when it has no parent).
pub fn declared_at(cb: &Codebase, m: ModuleId) -> Location {
    let module = cb.module(m);
    if let Some(parent) = module.parent {
        let p = cb.module(parent);
        if let Some(decl) = p.facts.mods.iter().find(|d| d.name == module.name) {
            return cb.location(p.file, decl.pos);
        }
    }
    cb.location(module.file, crate::syntax::Pos { line: 1, column: 1 })
}
