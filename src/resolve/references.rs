//! What one module names, resolved phase by phase: its `use` leaves, its paths, its method
//! calls and its field accesses. [`ModuleResolver`] holds what the phases share (the
//! module's local names and body-level imports); `resolve` runs the four phases for every
//! module, in that order.

use std::collections::{HashMap, HashSet};

use crate::codebase::{Module, ModuleId};
use crate::syntax::{Namespace, Owner, Pos, RefKind, UseDecl, UseKind};

use super::prelude;
use super::scope::{Binding, Scopes};
use super::typer::{Site, Typer};
use super::{ItemId, Reference, Resolution, Target, UNRESOLVED_SAMPLE, Unresolved};

/// What every module's phases read: who owns each impl block, which types define a method of
/// a name (for the unique-name guess), and the typer.
pub(super) struct Shared<'a> {
    pub impl_owner: HashMap<(ModuleId, u32), Option<ItemId>>,
    pub methods_by_name: HashMap<String, HashSet<ItemId>>,
    pub typer: Typer<'a>,
}

pub(super) struct ModuleResolver<'a> {
    shared: &'a Shared<'a>,
    mid: ModuleId,
    module: &'a Module,
    first_item: u32,
    /// Names a body binds itself (generic parameters, local items): they shadow paths.
    locals: HashMap<Owner, HashSet<&'a str>>,
    /// Variables bound by patterns: they shadow single-segment paths only.
    value_locals: HashMap<Owner, HashSet<&'a str>>,
    /// `use` declarations inside bodies, by the body that holds them.
    body_uses: HashMap<Owner, Vec<UseDecl>>,
}

impl<'a> ModuleResolver<'a> {
    pub fn new(shared: &'a Shared<'a>, mid: ModuleId, module: &'a Module, first_item: u32) -> Self {
        let by_owner = |names: &'a [(Owner, String)]| {
            let mut map: HashMap<Owner, HashSet<&'a str>> = HashMap::new();
            for (owner, name) in names {
                map.entry(*owner).or_default().insert(name.as_str());
            }
            map
        };
        let mut body_uses: HashMap<Owner, Vec<UseDecl>> = HashMap::new();
        for u in &module.facts.uses {
            if u.owner != Owner::Module {
                body_uses.entry(u.owner).or_default().push(u.clone());
            }
        }
        ModuleResolver {
            shared,
            mid,
            module,
            first_item,
            locals: by_owner(&module.facts.locals),
            value_locals: by_owner(&module.facts.value_locals),
            body_uses,
        }
    }

    /// Every phase, in order.
    pub fn run(&self, res: &mut Resolution, scopes: &mut Scopes) {
        self.uses(res, scopes);
        self.paths(res, scopes);
        self.method_calls(res, scopes);
        self.field_accesses(res, scopes);
    }

    /// The item a reference made by `owner` comes from (code in an impl block belongs to
    /// the self type).
    fn source_item(&self, owner: Owner) -> Option<ItemId> {
        match owner {
            Owner::Module => None,
            Owner::Item(i) => Some(ItemId(self.first_item + i)),
            Owner::Impl(i) => self.impl_self_type(i),
        }
    }

    /// The self type of the module's `i`th impl block, when it resolves.
    fn impl_self_type(&self, i: u32) -> Option<ItemId> {
        self.shared
            .impl_owner
            .get(&(self.mid, i))
            .copied()
            .flatten()
    }

    fn local_uses(&self, owner: Owner) -> &[UseDecl] {
        self.body_uses.get(&owner).map_or(&[], |u| &u[..])
    }

    /// Every `use` leaf: a glob in the type namespace, a named import in every namespace its
    /// name has.
    fn uses(&self, res: &mut Resolution, scopes: &mut Scopes) {
        for u in &self.module.facts.uses {
            let local = self.local_uses(u.owner);
            let found: Vec<Binding> = match u.kind {
                UseKind::Glob => scopes
                    .resolve_in(self.mid, &u.path, Namespace::Type, local)
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
                        if let Some(b) = scopes.resolve_in(self.mid, &u.path, ns, &[])
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
            let path = || u.path.to_string();
            if found.is_empty() {
                self.record(res, scopes, None, u.owner, RefKind::Use, u.pos, &path);
            }
            for b in found {
                self.record(res, scopes, Some(b), u.owner, RefKind::Use, u.pos, &path);
            }
        }
    }

    /// Every path the code names, unless a local name shadows it.
    fn paths(&self, res: &mut Resolution, scopes: &mut Scopes) {
        for r in &self.module.facts.refs {
            let first = r.path.segments[0].as_str();
            let shadowed = |names: &HashMap<Owner, HashSet<&str>>| {
                names.get(&r.owner).is_some_and(|l| l.contains(first))
            };
            if !r.path.leading_colon && shadowed(&self.locals) {
                continue;
            }
            if r.path.segments.len() == 1 && !r.path.leading_colon && shadowed(&self.value_locals) {
                continue;
            }
            let local = self.local_uses(r.owner);
            let found = scopes.resolve_in(self.mid, &r.path, r.kind.namespace(), local);
            let path = || r.path.to_string();
            self.record(res, scopes, found, r.owner, r.kind, r.pos, &path);
        }
    }

    /// Method calls: to the receiver's type when the typer knows it, else the unique-name
    /// guess.
    fn method_calls(&self, res: &mut Resolution, scopes: &mut Scopes) {
        let typer = &self.shared.typer;
        for call in &self.module.facts.method_calls {
            let typed = call
                .receiver
                .as_ref()
                .and_then(|c| typer.type_of(scopes, c, Some(&call.name), &self.site(call.owner)));
            let (target, kind) = match typed {
                // The receiver's type is known: the method is its own, or none is found
                // (a trait default method, a method reached through `Deref`) and the name
                // guess would only point at some other type.
                // A trait's method may be declared by a supertrait: the call is to that one.
                Some(ty) => (typer.method_owner(ty, &call.name), RefKind::Call),
                None if call.qualified => (None, RefKind::Call),
                None if prelude::COMMON_METHODS.contains(&call.name.as_str()) => {
                    (None, RefKind::MethodGuess)
                }
                None => (
                    (self.shared.methods_by_name.get(&call.name))
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
            let via_value = kind == RefKind::Call;
            self.push(
                res,
                call.owner,
                Target::Item(target),
                kind,
                call.pos,
                via_value,
            );
        }
    }

    /// Field accesses on a typed receiver: a `type` edge to the struct declaring the field.
    fn field_accesses(&self, res: &mut Resolution, scopes: &mut Scopes) {
        let typer = &self.shared.typer;
        for access in &self.module.facts.field_accesses {
            let site = self.site(access.owner);
            let Some(ty) = typer.type_of(scopes, &access.receiver, None, &site) else {
                continue;
            };
            // A type's own fields are no dependency; another struct's fields are, like
            // naming the struct (rust-analyzer counts the field's struct, not its type).
            if !typer.has_field(ty, &access.name) || self.source_item(access.owner) == Some(ty) {
                continue;
            }
            res.stats.field_typed += 1;
            let target = Target::Item(ty);
            self.push(res, access.owner, target, RefKind::Type, access.pos, true);
        }
    }

    /// Where the typer resolves the names of a body.
    fn site(&self, owner: Owner) -> Site<'_> {
        Site {
            module: self.mid,
            self_ty: match owner {
                Owner::Impl(i) => self.impl_self_type(i),
                _ => None,
            },
            local_uses: self.local_uses(owner),
            locals: self.locals.get(&owner),
            self_bounds: match owner {
                Owner::Impl(i) => &self.module.facts.impls[i as usize].self_bounds,
                _ => &[],
            },
        }
    }

    /// Counts a resolution and keeps its edge (an item or module of the workspace), its
    /// external crate, or a sample of what stayed unresolved.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        res: &mut Resolution,
        scopes: &mut Scopes,
        found: Option<Binding>,
        owner: Owner,
        kind: RefKind,
        pos: Pos,
        path: &dyn Fn() -> String,
    ) {
        let external = |res: &mut Resolution, name: String| {
            res.stats.external += 1;
            *(res.externals.entry(self.module.krate).or_default())
                .entry(name)
                .or_default() += 1;
        };
        match found {
            Some(Binding::Item(id) | Binding::Variant(id)) => {
                res.stats.resolved += 1;
                self.push(res, owner, Target::Item(id), kind, pos, false);
            }
            Some(Binding::Module(target)) => {
                res.stats.resolved += 1;
                self.push(res, owner, Target::Module(target), kind, pos, false);
            }
            Some(Binding::External(name)) => external(res, name.to_string()),
            Some(Binding::ExternalCrate(id)) => {
                external(res, scopes.externals[id as usize].clone());
            }
            None => {
                res.stats.unresolved += 1;
                if res.unresolved.len() < UNRESOLVED_SAMPLE {
                    res.unresolved.push(Unresolved {
                        module: self.mid,
                        path: path(),
                        file: self.module.file,
                        pos,
                    });
                }
            }
        }
    }

    fn push(
        &self,
        res: &mut Resolution,
        owner: Owner,
        target: Target,
        kind: RefKind,
        pos: Pos,
        via_value: bool,
    ) {
        res.refs.push(Reference {
            from_module: self.mid,
            from_item: self.source_item(owner),
            target,
            kind,
            file: self.module.file,
            pos,
            via_value,
        });
    }
}
