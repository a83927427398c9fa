//! A small typer, no inference: it follows a receiver chain (`services().rooms.cache`) from
//! a base whose type is declared — a fn's return type, `self`, a typed parameter or `let`,
//! a struct literal — through struct fields and method return types, each resolved in the
//! module that declares it. It stops at the first hop it cannot type; it never recurses,
//! so it ends on any input.

use std::collections::{HashMap, HashSet};

use crate::codebase::ModuleId;
use crate::syntax::{Chain, ChainBase, Hop, ItemKind, Namespace, PathText, TypePaths, UseDecl};

use super::scope::{Binding, Scopes};
use super::{Item, ItemId, Method};

/// Methods that hand back (a view of) their receiver: `x.lock().unwrap().m()` is typed as
/// `x.m()`, matching [`TypePaths`], which leaves the std wrappers out. A workspace method of
/// the same name wins. The `Option`/`Result` adapters (`map_err`, `ok_or`, `unwrap_or`..)
/// were tried and left out: on shop they typed a dozen more values, and the extra edges
/// moved `catalog::pricing` into the kernel's clock and money (MoJoFM 100 -> 96.2).
const TRANSPARENT: &[&str] = &[
    "unwrap",
    "expect",
    "clone",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "lock",
    "read",
    "write",
    "deref",
    "get_ref",
    "to_owned",
];

/// Where a chain is typed: the module of the code, the self type of its impl block, and
/// the `use` declarations of its body.
pub(super) struct Site<'a> {
    pub module: ModuleId,
    pub self_ty: Option<ItemId>,
    pub local_uses: &'a [UseDecl],
    /// Names the body binds itself (generic parameters, local items): a parameter typed
    /// `T` is no workspace type `T`.
    pub locals: Option<&'a HashSet<&'a str>>,
}

pub(super) struct Typer<'r> {
    items: &'r [Item],
    methods: HashMap<(ItemId, &'r str), Vec<&'r Method>>,
}

impl<'r> Typer<'r> {
    pub fn new(items: &'r [Item], methods: &'r [Method]) -> Self {
        let mut by_type: HashMap<(ItemId, &str), Vec<&Method>> = HashMap::new();
        for m in methods {
            by_type
                .entry((m.self_item, m.name.as_str()))
                .or_default()
                .push(m);
        }
        Typer {
            items,
            methods: by_type,
        }
    }

    /// Whether `ty` has the method: an impl block of the type defines it, or `ty` is a
    /// trait (a `dyn Trait` value) that declares it.
    pub fn has_method(&self, ty: ItemId, name: &str) -> bool {
        self.methods.contains_key(&(ty, name)) || self.trait_fn(ty, name).is_some()
    }

    fn trait_fn(&self, ty: ItemId, name: &str) -> Option<&'r TypePaths> {
        let item = &self.items[ty.0 as usize];
        let (_, ret) = item.trait_fns.iter().find(|(f, _)| f == name)?;
        Some(ret)
    }

    pub fn has_field(&self, ty: ItemId, name: &str) -> bool {
        self.items[ty.0 as usize]
            .fields
            .iter()
            .any(|(f, _)| f == name)
    }

    /// The workspace type of the value `chain` stands for, if every hop can be typed.
    pub fn type_of(&self, scopes: &mut Scopes, chain: &Chain, site: &Site) -> Option<ItemId> {
        let mut ty = match &chain.base {
            ChainBase::SelfValue => site.self_ty?,
            ChainBase::Typed(paths) => {
                let first = paths.first().and_then(|p| p.segments.first());
                if first.is_some_and(|f| site.locals.is_some_and(|l| l.contains(f.as_str()))) {
                    return None;
                }
                self.resolve_type(scopes, site.module, paths, site.self_ty, site.local_uses)?
            }
            ChainBase::Call(path) => self.call_type(scopes, path, site)?,
        };
        for hop in &chain.hops {
            ty = match hop {
                Hop::Field(name) => self.field_type(scopes, ty, name)?,
                Hop::Method(name) if self.has_method(ty, name) => {
                    self.method_type(scopes, ty, name)?
                }
                Hop::Method(name) if TRANSPARENT.contains(&name.as_str()) => ty,
                Hop::Method(_) => return None,
            };
        }
        Some(ty)
    }

    /// The first of `paths` that names a workspace struct, enum or union; paths resolving
    /// outside the workspace (`web::Data`, `State`) are wrappers passed over, an unknown
    /// path ends the search.
    fn resolve_type(
        &self,
        scopes: &mut Scopes,
        module: ModuleId,
        paths: &TypePaths,
        self_ty: Option<ItemId>,
        local_uses: &[UseDecl],
    ) -> Option<ItemId> {
        for p in paths {
            if p.segments.len() == 1 && p.segments[0] == "Self" {
                return self_ty;
            }
            match scopes.resolve_in(module, p, Namespace::Type, local_uses)? {
                Binding::Item(id) => return self.data_type(id),
                Binding::External(_) | Binding::ExternalCrate(_) => continue,
                Binding::Module(_) | Binding::Variant(_) => return None,
            }
        }
        None
    }

    /// A type a value can have: a struct, enum or union, or a trait for `dyn Trait`.
    fn data_type(&self, id: ItemId) -> Option<ItemId> {
        matches!(
            self.items[id.0 as usize].kind,
            ItemKind::Struct | ItemKind::Enum | ItemKind::Union | ItemKind::Trait
        )
        .then_some(id)
    }

    /// The type a call returns: a fn's declared return type, an associated fn's
    /// (`Type::new()`, `Self::new()`), a tuple struct or enum variant constructor's own.
    fn call_type(&self, scopes: &mut Scopes, path: &PathText, site: &Site) -> Option<ItemId> {
        let segs = &path.segments;
        let first = segs.first()?.as_str();
        if site.locals.is_some_and(|l| l.contains(first)) {
            return None;
        }
        if segs.len() == 2 && segs[0] == "Self" {
            return self.method_type(scopes, site.self_ty?, &segs[1]);
        }
        match scopes.resolve_in(site.module, path, Namespace::Value, site.local_uses)? {
            Binding::Item(id) => {
                let item = &self.items[id.0 as usize];
                if item.kind == ItemKind::Fn {
                    let ret = &item.sig.as_ref()?.ret;
                    return self.resolve_type(scopes, item.module, ret, None, &[]);
                }
                let last = segs.last()?;
                if *last == item.name {
                    self.data_type(id)
                } else {
                    self.method_type(scopes, id, last)
                }
            }
            Binding::Variant(id) => self.data_type(id),
            _ => None,
        }
    }

    fn method_type(&self, scopes: &mut Scopes, ty: ItemId, name: &str) -> Option<ItemId> {
        self.methods
            .get(&(ty, name))?
            .iter()
            .find_map(|m| self.resolve_type(scopes, m.module, &m.sig.ret, Some(m.self_item), &[]))
    }

    fn field_type(&self, scopes: &mut Scopes, ty: ItemId, name: &str) -> Option<ItemId> {
        let item = &self.items[ty.0 as usize];
        let (_, paths) = item.fields.iter().find(|(f, _)| f == name)?;
        self.resolve_type(scopes, item.module, paths, Some(ty), &[])
    }
}
