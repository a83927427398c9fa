//! Resolution: every path the code names → the item (or module) that defines it, or an
//! external crate. Method calls on values become `method-guess` edges when exactly one impl
//! in the workspace defines the method.

mod prelude;
mod references;
mod scope;
#[cfg(test)]
mod tests;
mod typer;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::codebase::{Codebase, FileId, ModuleId};
use crate::syntax::{FnSig, ItemKind, Namespace, Pos, RefKind, TypePaths, Visibility};

use references::{ModuleResolver, Shared};
use scope::{Binding, Scopes};
use typer::Typer;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemId(pub u32);

/// An item defined in the workspace: a graph node.
#[derive(Debug, Clone)]
pub struct Item {
    /// `crate_name::module::Name`
    pub path: String,
    pub name: String,
    pub kind: ItemKind,
    pub module: ModuleId,
    pub vis: Visibility,
    pub pos: Pos,
    pub variants: Vec<String>,
    pub macro_export: bool,
    pub sig: Option<FnSig>,
    /// A struct's named fields and their types, for the typer.
    pub fields: Vec<(String, TypePaths)>,
    /// A trait's methods and their return types, for the typer.
    pub trait_fns: Vec<(String, TypePaths)>,
    /// A struct's generic type and const parameters, in order.
    pub generics: Vec<String>,
}

/// What a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Item(ItemId),
    /// A module named as a whole (`use crate::orders;`).
    Module(ModuleId),
}

/// One resolved reference: who names what, how, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub from_module: ModuleId,
    /// The item whose code holds the reference (the self type for code in impl blocks);
    /// `None` for module-level code such as `use` declarations.
    pub from_item: Option<ItemId>,
    pub target: Target,
    pub kind: RefKind,
    pub file: FileId,
    pub pos: Pos,
    /// Found by the typer through a value (`shipment.id`, `services().rooms.get(..)`), not
    /// by a path: the code uses the target without naming it.
    pub via_value: bool,
}

/// A method defined in an impl block of a workspace type.
#[derive(Debug, Clone)]
pub struct Method {
    pub self_item: ItemId,
    pub name: String,
    pub sig: FnSig,
    pub module: ModuleId,
    pub pos: Pos,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResolveStats {
    pub resolved: u64,
    pub unresolved: u64,
    pub external: u64,
    pub method_guess: u64,
    /// Method calls whose receiver the typer typed to a workspace type defining the method.
    pub method_typed: u64,
    /// Field accesses typed to the workspace struct declaring the field.
    pub field_typed: u64,
    /// Method calls left without an edge: typed to a type without the method, or untyped
    /// with a name no workspace impl, or more than one, defines.
    pub methods_dropped: u64,
}

/// A path that named nothing fissure could find (kept for `--verbose` and debugging).
#[derive(Debug, Clone)]
pub struct Unresolved {
    pub module: ModuleId,
    pub path: String,
    pub file: FileId,
    pub pos: Pos,
}

#[derive(Debug, Clone, Default)]
pub struct Resolution {
    pub items: Vec<Item>,
    /// The id of each module's first item: items are numbered module by module, in the
    /// order of `ModuleFacts::items`.
    pub first_item: Vec<u32>,
    pub refs: Vec<Reference>,
    pub methods: Vec<Method>,
    /// External crates named by each workspace crate, with how many references.
    pub externals: BTreeMap<u32, BTreeMap<String, u64>>,
    pub unresolved: Vec<Unresolved>,
    pub stats: ResolveStats,
}

impl Resolution {
    pub fn item(&self, id: ItemId) -> &Item {
        &self.items[id.0 as usize]
    }

    /// The item defined as the `index`-th item of module `m`'s facts.
    pub fn item_of(&self, m: ModuleId, index: u32) -> ItemId {
        ItemId(self.first_item[m.0 as usize] + index)
    }

    /// The module a target lives in.
    pub fn target_module(&self, t: Target) -> ModuleId {
        match t {
            Target::Item(i) => self.item(i).module,
            Target::Module(m) => m,
        }
    }

    pub fn target_path(&self, cb: &Codebase, t: Target) -> String {
        match t {
            Target::Item(i) => self.item(i).path.clone(),
            Target::Module(m) => cb.module(m).path.clone(),
        }
    }
}

/// How many unresolved paths are kept with their positions.
const UNRESOLVED_SAMPLE: usize = 2000;

/// Resolves every reference of the codebase. Runs on the [`crate::workers`]: re-export
/// chains and glob imports are followed recursively, as long as the code makes them.
pub fn resolve(cb: &Codebase) -> Resolution {
    crate::workers::install(|| resolve_all(cb))
}

fn resolve_all(cb: &Codebase) -> Resolution {
    let mut res = Resolution {
        items: collect_items(cb),
        first_item: first_items(cb),
        ..Resolution::default()
    };
    let mut scopes = Scopes::new(cb, &res.items);
    // Impl self types first: code inside an impl block is attributed to its type.
    let (impl_owner, methods_by_name) = impl_owners(cb, &mut scopes, &mut res);
    // The typer reads items and methods while references are pushed into `res`.
    let items = std::mem::take(&mut res.items);
    let methods = std::mem::take(&mut res.methods);
    let supertraits = supertraits(cb, &mut scopes, &items, &res.first_item);
    let shared = Shared {
        impl_owner,
        methods_by_name,
        typer: Typer::new(&items, &methods, supertraits),
    };
    for (m, module) in cb.modules.iter().enumerate() {
        let first_item = res.first_item[m];
        ModuleResolver::new(&shared, ModuleId(m as u32), module, first_item)
            .run(&mut res, &mut scopes);
    }
    drop(shared);
    res.items = items;
    res.methods = methods;
    res
}

/// Each trait's supertraits that resolve to workspace traits, resolved in its module.
fn supertraits(
    cb: &Codebase,
    scopes: &mut Scopes,
    items: &[Item],
    first_item: &[u32],
) -> HashMap<ItemId, Vec<ItemId>> {
    let mut out = HashMap::new();
    for (m, module) in cb.modules.iter().enumerate() {
        for (i, def) in module.facts.items.iter().enumerate() {
            let this = ItemId(first_item[m] + i as u32);
            let found: Vec<ItemId> = (def.supertraits.iter())
                .filter_map(|p| {
                    match scopes.resolve_in(ModuleId(m as u32), p, Namespace::Type, &[]) {
                        Some(Binding::Item(s)) if items[s.0 as usize].kind == ItemKind::Trait => {
                            Some(s)
                        }
                        _ => None,
                    }
                })
                .collect();
            if !found.is_empty() {
                out.insert(this, found);
            }
        }
    }
    out
}

/// The id of each module's first item: items are numbered module by module.
fn first_items(cb: &Codebase) -> Vec<u32> {
    let mut next = 0u32;
    (cb.modules.iter())
        .map(|module| {
            let first = next;
            next += module.facts.items.len() as u32;
            first
        })
        .collect()
}

type ImplOwners = HashMap<(ModuleId, u32), Option<ItemId>>;

/// The self type of every impl block, and its methods: kept in `res.methods`, and by name
/// for the unique-name guess.
fn impl_owners(
    cb: &Codebase,
    scopes: &mut Scopes,
    res: &mut Resolution,
) -> (ImplOwners, HashMap<String, HashSet<ItemId>>) {
    let mut impl_owner = ImplOwners::new();
    let mut methods_by_name: HashMap<String, HashSet<ItemId>> = HashMap::new();
    for (m, module) in cb.modules.iter().enumerate() {
        let mid = ModuleId(m as u32);
        for (i, imp) in module.facts.impls.iter().enumerate() {
            // A blanket impl (`impl<H: Bound> Trait for H`) belongs to its trait: its
            // methods are what a call on a value of the trait runs.
            let path = if imp.blanket {
                &imp.trait_
            } else {
                &imp.self_ty
            };
            let owner =
                path.as_ref()
                    .and_then(|p| match scopes.resolve_in(mid, p, Namespace::Type, &[]) {
                        Some(Binding::Item(id))
                            if !imp.blanket || res.items[id.0 as usize].kind == ItemKind::Trait =>
                        {
                            Some(id)
                        }
                        _ => None,
                    });
            impl_owner.insert((mid, i as u32), owner);
            let Some(self_item) = owner else { continue };
            for (name, sig, pos) in &imp.fns {
                methods_by_name
                    .entry(name.clone())
                    .or_default()
                    .insert(self_item);
                res.methods.push(Method {
                    self_item,
                    name: name.clone(),
                    sig: sig.clone(),
                    module: mid,
                    pos: *pos,
                });
            }
        }
    }
    (impl_owner, methods_by_name)
}

fn collect_items(cb: &Codebase) -> Vec<Item> {
    let mut items = Vec::new();
    for (m, module) in cb.modules.iter().enumerate() {
        for def in &module.facts.items {
            items.push(Item {
                path: format!("{}::{}", module.path, def.name),
                name: def.name.clone(),
                kind: def.kind,
                module: ModuleId(m as u32),
                vis: def.vis.clone(),
                pos: def.pos,
                variants: def.variants.clone(),
                macro_export: def.macro_export,
                sig: def.sig.clone(),
                fields: def.fields.clone(),
                trait_fns: def.trait_fns.clone(),
                generics: def.generics.clone(),
            });
        }
    }
    items
}
