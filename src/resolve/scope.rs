//! Name lookup inside a module, as rustc does it where syntax allows: items and child
//! modules, named imports (renames, `self`), glob imports of modules and enums, `pub use`
//! chains, the extern prelude and the std prelude. Lookups are memoised; an import that
//! leads back to itself resolves to nothing instead of looping.

use std::collections::{HashMap, HashSet};

use crate::codebase::{Codebase, ModuleId};
use crate::syntax::{ItemKind, Namespace, Owner, PathText, UseDecl, UseKind};

use super::{ItemId, prelude};

/// What a name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Binding {
    Item(ItemId),
    Module(ModuleId),
    /// A variant of this enum.
    Variant(ItemId),
    /// Something from a crate outside the workspace (std included), by crate name.
    External(&'static str),
    ExternalCrate(u32),
}

pub(super) struct Scopes<'a> {
    pub cb: &'a Codebase,
    /// Per module: items, child modules and `extern crate` names, by namespace.
    defs: Vec<HashMap<(Namespace, String), Binding>>,
    /// Per module: named `use` leaves by the name they bind (module-level ones only).
    named: Vec<HashMap<String, Vec<u32>>>,
    globs: Vec<Vec<u32>>,
    /// Workspace crate targets by name, for dependency paths.
    crate_roots: HashMap<String, ModuleId>,
    /// Names of external crates, interned so `Binding` stays `Copy`.
    pub externals: Vec<String>,
    external_ids: HashMap<String, u32>,
    /// `extern crate x as y;` at a crate root adds `y` to that crate's extern prelude.
    root_extern: HashMap<(u32, String), Binding>,
    /// External crates a crate root imports with `#[macro_use] extern crate x;`.
    macro_use_externals: HashMap<u32, Vec<Binding>>,
    memo: HashMap<(ModuleId, Namespace, String), Option<Binding>>,
    in_progress: HashSet<(ModuleId, Namespace, String)>,
    /// Modules whose glob imports `external_glob` is resolving: a glob whose own path is
    /// unknown (`use unknown::*;`) would otherwise ask `external_glob` again, forever.
    globs_in_progress: HashSet<ModuleId>,
    pub enum_variants: HashMap<ItemId, Vec<String>>,
}

fn other_namespaces(ns: Namespace) -> [Namespace; 2] {
    match ns {
        Namespace::Type => [Namespace::Value, Namespace::Macro],
        Namespace::Value => [Namespace::Type, Namespace::Macro],
        Namespace::Macro => [Namespace::Type, Namespace::Value],
    }
}

/// The `macro_rules!` of module `m` and, recursively, of its own `#[macro_use]` children.
fn macro_use_macros(cb: &Codebase, items: &[super::Item], m: ModuleId) -> Vec<(String, ItemId)> {
    let mut out: Vec<(String, ItemId)> = items
        .iter()
        .enumerate()
        .filter(|(_, item)| item.module == m && item.kind == ItemKind::Macro)
        .map(|(i, item)| (item.name.clone(), ItemId(i as u32)))
        .collect();
    let module = cb.module(m);
    for decl in module.facts.mods.iter().filter(|d| d.macro_use) {
        if let Some(&child) = module.children.get(&decl.name) {
            out.extend(macro_use_macros(cb, items, child));
        }
    }
    out
}

/// The name a `use` leaf binds, if any (`_` binds nothing nameable).
pub fn bound_name(u: &UseDecl) -> Option<&str> {
    match &u.kind {
        UseKind::Named { rename: Some(r) } if r == "_" => None,
        UseKind::Named { rename: Some(r) } => Some(r),
        UseKind::Named { rename: None } => u.path.segments.last().map(|s| s.as_str()),
        UseKind::Glob => None,
    }
}

impl<'a> Scopes<'a> {
    pub fn new(cb: &'a Codebase, items: &[super::Item]) -> Self {
        let n = cb.modules.len();
        let mut s = Scopes {
            cb,
            defs: vec![HashMap::new(); n],
            named: vec![HashMap::new(); n],
            globs: vec![Vec::new(); n],
            crate_roots: cb
                .crates
                .iter()
                .map(|c| (c.target.name.clone(), c.root))
                .collect(),
            externals: Vec::new(),
            external_ids: HashMap::new(),
            root_extern: HashMap::new(),
            macro_use_externals: HashMap::new(),
            memo: HashMap::new(),
            in_progress: HashSet::new(),
            globs_in_progress: HashSet::new(),
            enum_variants: HashMap::new(),
        };
        for (i, item) in items.iter().enumerate() {
            let id = ItemId(i as u32);
            let m = item.module.0 as usize;
            let ns = item.kind.namespace();
            s.defs[m]
                .entry((ns, item.name.clone()))
                .or_insert(Binding::Item(id));
            if item.kind == ItemKind::Struct {
                // Tuple and unit structs are values too (`OrderId(7)`, `Marker`).
                s.defs[m]
                    .entry((Namespace::Value, item.name.clone()))
                    .or_insert(Binding::Item(id));
            }
            if item.macro_export {
                let root = cb.crates[cb.module(item.module).krate as usize].root;
                s.defs[root.0 as usize]
                    .entry((Namespace::Macro, item.name.clone()))
                    .or_insert(Binding::Item(id));
            }
            if !item.variants.is_empty() {
                s.enum_variants.insert(id, item.variants.clone());
            }
        }
        for (m, module) in cb.modules.iter().enumerate() {
            for (name, child) in &module.children {
                s.defs[m]
                    .entry((Namespace::Type, name.clone()))
                    .or_insert(Binding::Module(*child));
            }
            for (i, u) in module.facts.uses.iter().enumerate() {
                if u.owner != Owner::Module {
                    continue;
                }
                match &u.kind {
                    UseKind::Glob => s.globs[m].push(i as u32),
                    UseKind::Named { .. } => {
                        if let Some(name) = bound_name(u) {
                            s.named[m]
                                .entry(name.to_string())
                                .or_default()
                                .push(i as u32);
                        }
                    }
                }
            }
        }
        for (m, module) in cb.modules.iter().enumerate() {
            for e in &module.facts.extern_crates {
                let bound = e.rename.clone().unwrap_or_else(|| e.name.clone());
                let target = if e.name == "self" {
                    Some(Binding::Module(cb.crates[module.krate as usize].root))
                } else {
                    s.extern_crate(ModuleId(m as u32), &e.name)
                };
                if let Some(b) = target {
                    if module.parent.is_none() {
                        s.root_extern.insert((module.krate, bound.clone()), b);
                    }
                    s.defs[m].insert((Namespace::Type, bound), b);
                }
                if e.macro_use {
                    s.macro_use_extern_crate(ModuleId(m as u32), target, items);
                }
            }
        }
        // `#[macro_use] mod m;`: the macros of `m` stay in scope in its parent after it, and
        // so (through the textual-scope walk of `first_segment`) in the parent's children.
        for (m, module) in cb.modules.iter().enumerate() {
            for decl in module.facts.mods.iter().filter(|d| d.macro_use) {
                let Some(&child) = module.children.get(&decl.name) else {
                    continue;
                };
                for (name, id) in macro_use_macros(cb, items, child) {
                    s.defs[m]
                        .entry((Namespace::Macro, name))
                        .or_insert(Binding::Item(id));
                }
            }
        }
        s
    }

    /// `#[macro_use] extern crate x;` puts the exported macros of x in scope in the whole
    /// crate: those of a workspace crate join the crate root's macro names; an external
    /// crate is remembered as the likely home of macros found nowhere else.
    fn macro_use_extern_crate(
        &mut self,
        m: ModuleId,
        target: Option<Binding>,
        items: &[super::Item],
    ) {
        let krate = self.cb.module(m).krate;
        let root = self.cb.crates[krate as usize].root;
        match target {
            Some(Binding::Module(dep_root)) => {
                let dep = self.cb.module(dep_root).krate;
                for (i, item) in items.iter().enumerate() {
                    if item.macro_export && self.cb.module(item.module).krate == dep {
                        self.defs[root.0 as usize]
                            .entry((Namespace::Macro, item.name.clone()))
                            .or_insert(Binding::Item(ItemId(i as u32)));
                    }
                }
            }
            Some(b) => self.macro_use_externals.entry(krate).or_default().push(b),
            None => {}
        }
    }

    pub fn external(&mut self, name: &str) -> Binding {
        if let Some(&id) = self.external_ids.get(name) {
            return Binding::ExternalCrate(id);
        }
        let id = self.externals.len() as u32;
        self.externals.push(name.to_string());
        self.external_ids.insert(name.to_string(), id);
        Binding::ExternalCrate(id)
    }

    /// A crate name as the code of module `m` may write it: a dependency (a workspace crate
    /// or an external one) or a standard crate.
    pub fn extern_crate(&mut self, m: ModuleId, name: &str) -> Option<Binding> {
        let krate = &self.cb.crates[self.cb.module(m).krate as usize];
        if let Some(dep) = krate.target.deps.get(name) {
            return Some(
                match dep
                    .workspace_crate
                    .as_ref()
                    .and_then(|c| self.crate_roots.get(c))
                {
                    Some(root) => Binding::Module(*root),
                    None => self.external(&dep.package.replace('-', "_")),
                },
            );
        }
        if name == krate.target.name {
            return Some(Binding::Module(krate.root));
        }
        prelude::builtin(name, Namespace::Type)
            .filter(|_| matches!(name, "std" | "core" | "alloc" | "proc_macro" | "test"))
            .map(Binding::External)
    }

    /// `name` in namespace `ns` as seen from inside module `m`.
    pub fn lookup(&mut self, m: ModuleId, name: &str, ns: Namespace) -> Option<Binding> {
        let key = (m, ns, name.to_string());
        if let Some(hit) = self.memo.get(&key) {
            return *hit;
        }
        if !self.in_progress.insert(key.clone()) {
            return None;
        }
        let found = self.lookup_uncached(m, name, ns);
        self.in_progress.remove(&key);
        self.memo.insert(key, found);
        found
    }

    fn lookup_uncached(&mut self, m: ModuleId, name: &str, ns: Namespace) -> Option<Binding> {
        let mi = m.0 as usize;
        if let Some(b) = self.defs[mi].get(&(ns, name.to_string())) {
            return Some(*b);
        }
        if let Some(uses) = self.named[mi].get(name).cloned() {
            for u in uses {
                let decl = &self.cb.module(m).facts.uses[u as usize];
                let path = decl.path.clone();
                if let Some(b) = self.resolve_in(m, &path, ns, &[]) {
                    return Some(b);
                }
            }
        }
        for g in self.globs[mi].clone() {
            let path = self.cb.module(m).facts.uses[g as usize].path.clone();
            if let Some(b) = self.through_glob(m, &path, name, ns) {
                return Some(b);
            }
        }
        None
    }

    /// `name` as imported by `use <glob_path>::*` written in module `m`: a name of the
    /// globbed module, or a variant of the globbed enum.
    fn through_glob(
        &mut self,
        m: ModuleId,
        glob_path: &PathText,
        name: &str,
        ns: Namespace,
    ) -> Option<Binding> {
        match self.resolve_in(m, glob_path, Namespace::Type, &[])? {
            Binding::Module(target) if target != m => self.lookup(target, name, ns),
            Binding::Item(e)
                if self
                    .enum_variants
                    .get(&e)
                    .is_some_and(|v| v.iter().any(|v| v == name)) =>
            {
                Some(Binding::Variant(e))
            }
            _ => None,
        }
    }

    /// A name found nowhere else, in a module that glob-imports an external path
    /// (`use actix_web::web::*`), most likely comes from there.
    fn external_glob(&mut self, m: ModuleId) -> Option<Binding> {
        if !self.globs_in_progress.insert(m) {
            return None;
        }
        let mut found = None;
        for g in self.globs[m.0 as usize].clone() {
            let path = self.cb.module(m).facts.uses[g as usize].path.clone();
            if let Some(b @ (Binding::External(_) | Binding::ExternalCrate(_))) =
                self.resolve_in(m, &path, Namespace::Type, &[])
            {
                found = Some(b);
                break;
            }
        }
        self.globs_in_progress.remove(&m);
        found
    }

    /// The first segment of a relative path: module scope, then textual macro scope, then
    /// the extern prelude, then the std prelude.
    fn first_segment(&mut self, m: ModuleId, name: &str, ns: Namespace) -> Option<Binding> {
        if let Some(b) = self.lookup(m, name, ns) {
            return Some(b);
        }
        if ns == Namespace::Macro {
            let mut cur = self.cb.module(m).parent;
            while let Some(p) = cur {
                if let Some(b) = self.lookup(p, name, ns) {
                    return Some(b);
                }
                cur = self.cb.module(p).parent;
            }
        }
        if ns == Namespace::Type {
            if let Some(b) = self.extern_crate(m, name) {
                return Some(b);
            }
            let krate = self.cb.module(m).krate;
            if let Some(b) = self.root_extern.get(&(krate, name.to_string())) {
                return Some(*b);
            }
        }
        if let Some(b) = prelude::builtin(name, ns).map(Binding::External) {
            return Some(b);
        }
        // A macro found nowhere else comes from the one `#[macro_use] extern crate` (with
        // several, which one cannot be told from syntax).
        if ns == Namespace::Macro
            && let Some([b]) = self
                .macro_use_externals
                .get(&self.cb.module(m).krate)
                .map(Vec::as_slice)
        {
            return Some(*b);
        }
        self.external_glob(m)
    }

    /// Resolves `path` written in module `m`; the last segment is looked up in `ns` first,
    /// then in the other namespaces. `local_uses` are the body-level `use`s of the owner.
    pub fn resolve_in(
        &mut self,
        m: ModuleId,
        path: &PathText,
        ns: Namespace,
        local_uses: &[UseDecl],
    ) -> Option<Binding> {
        let segs = &path.segments;
        let mut i = 0;
        let mut cur: Binding;
        if path.leading_colon {
            cur = self.extern_crate(m, segs.first()?)?;
            i = 1;
        } else {
            match segs.first()?.as_str() {
                "crate" | "$crate" => {
                    cur = Binding::Module(self.cb.crates[self.cb.module(m).krate as usize].root);
                    i = 1;
                }
                "self" | "super" => {
                    let mut module = m;
                    while let Some(seg) = segs.get(i) {
                        match seg.as_str() {
                            "self" => {}
                            "super" => module = self.cb.module(module).parent?,
                            _ => break,
                        }
                        i += 1;
                    }
                    cur = Binding::Module(module);
                }
                first => {
                    let first_ns = if segs.len() == 1 { ns } else { Namespace::Type };
                    cur = match self.local_use(m, first, first_ns, local_uses) {
                        Some(b) => b,
                        None => match self.first_with_fallback(m, first, first_ns) {
                            Some(b) => b,
                            None => self.external_local_glob(m, local_uses)?,
                        },
                    };
                    i = 1;
                }
            }
        }
        while i < segs.len() {
            let seg = &segs[i];
            let last = i + 1 == segs.len();
            let seg_ns = if last { ns } else { Namespace::Type };
            cur = match cur {
                Binding::Module(x) => match self.lookup(x, seg, seg_ns) {
                    Some(b) => b,
                    None if last => match other_namespaces(seg_ns)
                        .into_iter()
                        .find_map(|o| self.lookup(x, seg, o))
                    {
                        Some(b) => b,
                        None => self.external_glob(x)?,
                    },
                    None => self.external_glob(x)?,
                },
                // `Type::assoc`, `Enum::Variant`, `Trait::method`: the type is the target.
                Binding::Item(_) | Binding::Variant(_) => return Some(cur),
                Binding::External(_) | Binding::ExternalCrate(_) => return Some(cur),
            };
            i += 1;
        }
        Some(cur)
    }

    fn first_with_fallback(&mut self, m: ModuleId, name: &str, ns: Namespace) -> Option<Binding> {
        if let Some(b) = self.first_segment(m, name, ns) {
            return Some(b);
        }
        other_namespaces(ns).into_iter().find_map(|o| {
            self.lookup(m, name, o)
                .or_else(|| prelude::builtin(name, o).map(Binding::External))
        })
    }

    /// A name found nowhere else, in a body that glob-imports an external path
    /// (`use regex_syntax::hir::HirKind::*;` then `Empty =>`), most likely comes from there.
    fn external_local_glob(&mut self, m: ModuleId, local_uses: &[UseDecl]) -> Option<Binding> {
        local_uses
            .iter()
            .filter(|u| u.kind == UseKind::Glob)
            .find_map(
                |u| match self.resolve_in(m, &u.path, Namespace::Type, &[]) {
                    Some(b @ (Binding::External(_) | Binding::ExternalCrate(_))) => Some(b),
                    _ => None,
                },
            )
    }

    /// A `use` inside a function body binds names for that body only.
    fn local_use(
        &mut self,
        m: ModuleId,
        name: &str,
        ns: Namespace,
        local_uses: &[UseDecl],
    ) -> Option<Binding> {
        for u in local_uses {
            match &u.kind {
                UseKind::Named { .. } if bound_name(u) == Some(name) => {
                    if let Some(b) = self.resolve_in(m, &u.path, ns, &[]) {
                        return Some(b);
                    }
                }
                UseKind::Glob => {
                    if let Some(b) = self.through_glob(m, &u.path, name, ns) {
                        return Some(b);
                    }
                }
                _ => {}
            }
        }
        None
    }
}
