//! Resolution: every path the code names → the item (or module) that defines it, or an
//! external crate. Method calls on values become `method-guess` edges when exactly one impl
//! in the workspace defines the method.

mod prelude;
mod scope;
#[cfg(test)]
mod tests;
mod typer;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::codebase::{Codebase, FileId, ModuleId};
use crate::syntax::{
    FnSig, ItemKind, Namespace, Owner, Pos, RefKind, TypePaths, UseKind, Visibility,
};

use scope::{Binding, Scopes};
use typer::{Site, Typer};

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

pub fn resolve(cb: &Codebase) -> Resolution {
    let mut res = Resolution {
        items: collect_items(cb),
        ..Resolution::default()
    };
    let mut next = 0u32;
    for module in &cb.modules {
        res.first_item.push(next);
        next += module.facts.items.len() as u32;
    }
    let mut scopes = Scopes::new(cb, &res.items);
    let mut methods_by_name: HashMap<String, HashSet<ItemId>> = HashMap::new();
    // Impl self types first: code inside an impl block is attributed to its type.
    let mut impl_owner: HashMap<(ModuleId, u32), Option<ItemId>> = HashMap::new();
    for (m, module) in cb.modules.iter().enumerate() {
        let mid = ModuleId(m as u32);
        for (i, imp) in module.facts.impls.iter().enumerate() {
            let owner = imp.self_ty.as_ref().and_then(|p| {
                match scopes.resolve_in(mid, p, Namespace::Type, &[]) {
                    Some(Binding::Item(id)) => Some(id),
                    _ => None,
                }
            });
            impl_owner.insert((mid, i as u32), owner);
            if let Some(self_item) = owner {
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
    }
    // The typer reads items and methods while references are pushed into `res`.
    let items = std::mem::take(&mut res.items);
    let methods = std::mem::take(&mut res.methods);
    let typer = Typer::new(&items, &methods);
    for (m, module) in cb.modules.iter().enumerate() {
        let mid = ModuleId(m as u32);
        let first_item = res.first_item[m];
        let from_item = |owner: Owner| match owner {
            Owner::Module => None,
            Owner::Item(i) => Some(ItemId(first_item + i)),
            Owner::Impl(i) => impl_owner.get(&(mid, i)).copied().flatten(),
        };
        let mut locals: HashMap<Owner, HashSet<&str>> = HashMap::new();
        for (owner, name) in &module.facts.locals {
            locals.entry(*owner).or_default().insert(name.as_str());
        }
        let mut value_locals: HashMap<Owner, HashSet<&str>> = HashMap::new();
        for (owner, name) in &module.facts.value_locals {
            value_locals
                .entry(*owner)
                .or_default()
                .insert(name.as_str());
        }
        let mut body_uses: HashMap<Owner, Vec<crate::syntax::UseDecl>> = HashMap::new();
        for u in &module.facts.uses {
            if u.owner != Owner::Module {
                body_uses.entry(u.owner).or_default().push(u.clone());
            }
        }
        let empty = Vec::new();
        let record = |res: &mut Resolution,
                      scopes: &mut Scopes,
                      found: Option<Binding>,
                      owner: Owner,
                      kind: RefKind,
                      pos: Pos,
                      path: &dyn Fn() -> String| {
            match found {
                Some(Binding::Item(id)) | Some(Binding::Variant(id)) => {
                    res.stats.resolved += 1;
                    res.refs.push(Reference {
                        from_module: mid,
                        from_item: from_item(owner),
                        target: Target::Item(id),
                        kind,
                        file: module.file,
                        pos,
                        via_value: false,
                    });
                }
                Some(Binding::Module(target)) => {
                    res.stats.resolved += 1;
                    res.refs.push(Reference {
                        from_module: mid,
                        from_item: from_item(owner),
                        target: Target::Module(target),
                        kind,
                        file: module.file,
                        pos,
                        via_value: false,
                    });
                }
                Some(Binding::External(name)) => {
                    res.stats.external += 1;
                    *res.externals
                        .entry(module.krate)
                        .or_default()
                        .entry(name.to_string())
                        .or_default() += 1;
                }
                Some(Binding::ExternalCrate(id)) => {
                    res.stats.external += 1;
                    let name = scopes.externals[id as usize].clone();
                    *res.externals
                        .entry(module.krate)
                        .or_default()
                        .entry(name)
                        .or_default() += 1;
                }
                None => {
                    res.stats.unresolved += 1;
                    if res.unresolved.len() < UNRESOLVED_SAMPLE {
                        res.unresolved.push(Unresolved {
                            module: mid,
                            path: path(),
                            file: module.file,
                            pos,
                        });
                    }
                }
            }
        };
        for u in &module.facts.uses {
            let local = body_uses.get(&u.owner).unwrap_or(&empty);
            let found: Vec<Binding> = match u.kind {
                UseKind::Glob => scopes
                    .resolve_in(mid, &u.path, Namespace::Type, local)
                    .into_iter()
                    .collect(),
                UseKind::Named { .. } if u.path.segments.is_empty() => continue,
                // A named import brings the name in every namespace it has: `use
                // routes::login;` can import both a module `login` and, through a glob
                // re-export, a fn `login` defined elsewhere; the fn is what callers use.
                // An external name is counted once, as before.
                UseKind::Named { .. } => {
                    let mut all = Vec::new();
                    for ns in [Namespace::Type, Namespace::Value, Namespace::Macro] {
                        if let Some(b) = scopes.resolve_in(mid, &u.path, ns, &[])
                            && !all.contains(&b)
                            && (all.is_empty()
                                || !matches!(b, Binding::External(_) | Binding::ExternalCrate(_)))
                        {
                            all.push(b);
                        }
                    }
                    all
                }
            };
            if found.is_empty() {
                record(
                    &mut res,
                    &mut scopes,
                    None,
                    u.owner,
                    RefKind::Use,
                    u.pos,
                    &|| u.path.to_string(),
                );
            }
            for b in found {
                record(
                    &mut res,
                    &mut scopes,
                    Some(b),
                    u.owner,
                    RefKind::Use,
                    u.pos,
                    &|| u.path.to_string(),
                );
            }
        }
        for r in &module.facts.refs {
            let first = r.path.segments[0].as_str();
            if !r.path.leading_colon && locals.get(&r.owner).is_some_and(|l| l.contains(first)) {
                continue;
            }
            if r.path.segments.len() == 1
                && !r.path.leading_colon
                && value_locals
                    .get(&r.owner)
                    .is_some_and(|l| l.contains(first))
            {
                continue;
            }
            let local = body_uses.get(&r.owner).unwrap_or(&empty);
            let found = scopes.resolve_in(mid, &r.path, r.kind.namespace(), local);
            record(
                &mut res,
                &mut scopes,
                found,
                r.owner,
                r.kind,
                r.pos,
                &|| r.path.to_string(),
            );
        }
        let self_ty = |owner: Owner| match owner {
            Owner::Impl(i) => impl_owner.get(&(mid, i)).copied().flatten(),
            _ => None,
        };
        let site = |owner: Owner| Site {
            module: mid,
            self_ty: self_ty(owner),
            local_uses: body_uses.get(&owner).map_or(&empty[..], |u| &u[..]),
            locals: locals.get(&owner),
        };
        for call in &module.facts.method_calls {
            let typed = call
                .receiver
                .as_ref()
                .and_then(|c| typer.type_of(&mut scopes, c, &site(call.owner)));
            let (target, kind) = match typed {
                // The receiver's type is known: the method is its own, or none is found
                // (a trait default method, a method reached through `Deref`) and the name
                // guess would only point at some other type.
                Some(ty) if typer.has_method(ty, &call.name) => (Some(ty), RefKind::Call),
                Some(_) => (None, RefKind::Call),
                None if prelude::COMMON_METHODS.contains(&call.name.as_str()) => {
                    (None, RefKind::MethodGuess)
                }
                None => (
                    methods_by_name
                        .get(&call.name)
                        .filter(|s| s.len() == 1)
                        .and_then(|s| s.iter().next().copied()),
                    RefKind::MethodGuess,
                ),
            };
            let Some(target) = target else {
                res.stats.methods_dropped += 1;
                continue;
            };
            if kind == RefKind::Call {
                res.stats.method_typed += 1;
            } else {
                res.stats.method_guess += 1;
            }
            res.refs.push(Reference {
                from_module: mid,
                from_item: from_item(call.owner),
                target: Target::Item(target),
                kind,
                file: module.file,
                pos: call.pos,
                via_value: kind == RefKind::Call,
            });
        }
        for access in &module.facts.field_accesses {
            let Some(ty) = typer.type_of(&mut scopes, &access.receiver, &site(access.owner)) else {
                continue;
            };
            // A type's own fields are no dependency; another struct's fields are, like
            // naming the struct (rust-analyzer counts the field's struct, not its type).
            if !typer.has_field(ty, &access.name) || from_item(access.owner) == Some(ty) {
                continue;
            }
            res.stats.field_typed += 1;
            res.refs.push(Reference {
                from_module: mid,
                from_item: from_item(access.owner),
                target: Target::Item(ty),
                kind: RefKind::Type,
                file: module.file,
                pos: access.pos,
                via_value: true,
            });
        }
    }
    drop(typer);
    res.items = items;
    res.methods = methods;
    res
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
            });
        }
    }
    items
}
