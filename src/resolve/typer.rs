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
/// the same name wins. `ok_or`/`ok_or_else` turn an `Option<T>` into a `Result<T, _>`,
/// unwrapped by the `?` that follows them (`ctx.admin().ok_or_else(..)?.update(..)`). The
/// other `Option`/`Result` adapters (`map_err`, `unwrap_or`..) were tried and left out: on
/// shop they typed a dozen more values, and the extra edges moved `catalog::pricing` into
/// the kernel's clock and money (MoJoFM 100 -> 96.2).
const TRANSPARENT: &[&str] = &[
    "unwrap",
    "ok_or",
    "ok_or_else",
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
    /// The trait bounds the impl block puts on each type argument of its self type
    /// (`impl<H: Tr> S<H>`): the type of a field of `self` declared as the struct's `H`.
    pub self_bounds: &'a [Vec<PathText>],
}

/// Traits searched for a method through supertraits (`trait A: B + C`): a bound on the
/// walk, which also stops at a trait seen before.
const MAX_SUPERTRAITS: usize = 64;

pub(super) struct Typer<'r> {
    items: &'r [Item],
    methods: HashMap<(ItemId, &'r str), Vec<&'r Method>>,
    /// Each trait's supertraits that resolve to workspace traits.
    supertraits: HashMap<ItemId, Vec<ItemId>>,
}

impl<'r> Typer<'r> {
    pub fn new(
        items: &'r [Item],
        methods: &'r [Method],
        supertraits: HashMap<ItemId, Vec<ItemId>>,
    ) -> Self {
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
            supertraits,
        }
    }

    /// Whether `ty` has the method: an impl block of the type defines it, or `ty` is a
    /// trait (a `dyn Trait` value, a generic bounded by it) that declares it or has a
    /// supertrait that does.
    pub fn has_method(&self, ty: ItemId, name: &str) -> bool {
        self.method_owner(ty, name).is_some()
    }

    /// Where a method called on a value of type `ty` is declared: `ty` itself, or for a
    /// trait, the first of it and its supertraits (breadth first) that declares the method.
    pub fn method_owner(&self, ty: ItemId, name: &str) -> Option<ItemId> {
        if self.methods.contains_key(&(ty, name)) {
            return Some(ty);
        }
        let mut queue = vec![ty];
        let mut next = 0;
        while next < queue.len() && next < MAX_SUPERTRAITS {
            let t = queue[next];
            next += 1;
            if self.trait_fn(t, name).is_some() {
                return Some(t);
            }
            for &s in self.supertraits.get(&t).into_iter().flatten() {
                // The queue is capped too: `trait A: B1 + .. + B10000` stays linear.
                if queue.len() < MAX_SUPERTRAITS && !queue.contains(&s) {
                    queue.push(s);
                }
            }
        }
        None
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

    /// The workspace type of the value `chain` stands for, if every hop can be typed;
    /// `called` is the method called on that value, if any (it picks among trait bounds).
    pub fn type_of(
        &self,
        scopes: &mut Scopes,
        chain: &Chain,
        called: Option<&str>,
        site: &Site,
    ) -> Option<ItemId> {
        let mut ty = match &chain.base {
            ChainBase::SelfValue => site.self_ty?,
            ChainBase::Typed(paths) => {
                let first = paths.first().and_then(|p| p.segments.first());
                if first.is_some_and(|f| site.locals.is_some_and(|l| l.contains(f.as_str()))) {
                    return None;
                }
                let ty =
                    self.resolve_type(scopes, site.module, paths, site.self_ty, site.local_uses)?;
                let next = match chain.hops.first() {
                    Some(Hop::Method(name)) => Some(name.as_str()),
                    Some(Hop::Field(_)) => None,
                    None => called,
                };
                match next {
                    Some(name) => {
                        self.bound_with(scopes, ty, paths, name, site.module, site.local_uses)
                    }
                    None => ty,
                }
            }
            ChainBase::Call(path) => self.call_type(scopes, path, site)?,
        };
        for (i, hop) in chain.hops.iter().enumerate() {
            ty = match hop {
                Hop::Field(name) => {
                    // The method called on the field's value picks among its bounds.
                    let next = match chain.hops.get(i + 1) {
                        Some(Hop::Method(m)) => Some(m.as_str()),
                        Some(Hop::Field(_)) => None,
                        None => called,
                    };
                    self.field_type(scopes, ty, name, next, site)?
                }
                Hop::Method(name) if self.has_method(ty, name) => {
                    self.method_type(scopes, ty, name)?
                }
                Hop::Method(name) if TRANSPARENT.contains(&name.as_str()) => ty,
                Hop::Method(_) => return None,
            };
        }
        Some(ty)
    }

    /// Of a value's trait bounds (`H: A + B`, `impl A + B`: the traits that follow the
    /// first, `ty`, in `paths`), the first whose methods include `method`; `ty` when none.
    fn bound_with(
        &self,
        scopes: &mut Scopes,
        ty: ItemId,
        paths: &TypePaths,
        method: &str,
        module: ModuleId,
        local_uses: &[UseDecl],
    ) -> ItemId {
        if self.items[ty.0 as usize].kind != ItemKind::Trait || self.has_method(ty, method) {
            return ty;
        }
        for p in paths {
            let found = scopes.resolve_in(module, p, Namespace::Type, local_uses);
            if let Some(Binding::Item(id)) = found
                && self.items[id.0 as usize].kind == ItemKind::Trait
                && self.has_method(id, method)
            {
                return id;
            }
        }
        ty
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

    /// The type of field `name` of a `ty` value; `next` is the method called on it, if any
    /// (it picks among trait bounds). A field declared as one of the struct's generic
    /// parameters, read in an impl block of the struct that bounds it (`impl<H: Tr> S<H>`,
    /// `self.handler` where `handler: H`), is a value of those bounds.
    fn field_type(
        &self,
        scopes: &mut Scopes,
        ty: ItemId,
        name: &str,
        next: Option<&str>,
        site: &Site,
    ) -> Option<ItemId> {
        let item = &self.items[ty.0 as usize];
        let (_, paths) = item.fields.iter().find(|(f, _)| f == name)?;
        let param = match paths.as_slice() {
            [p] if site.self_ty == Some(ty) && !p.leading_colon && p.segments.len() == 1 => {
                item.generics.iter().position(|g| *g == p.segments[0])
            }
            _ => None,
        };
        let (paths, module, local_uses) = match param {
            Some(k) => (site.self_bounds.get(k)?, site.module, site.local_uses),
            None => (paths, item.module, &[][..]),
        };
        let found = self.resolve_type(scopes, module, paths, Some(ty), local_uses)?;
        Some(match next {
            Some(m) => self.bound_with(scopes, found, paths, m, module, local_uses),
            None => found,
        })
    }
}
