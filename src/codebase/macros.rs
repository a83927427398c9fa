//! `macro_rules!` across files. A file is parsed alone, so it expands only its own macros;
//! once the module tree is built, each file that invoked (in an impl block or a body) a
//! macro it does not define is handed the definitions it sees and parsed again:
//!
//! - textual scope: a parent module's macros defined above the `mod child;` that leads to
//!   the file, up the tree, and the macros of a `#[macro_use] mod m;` declared above it
//!   (m's own and those of m's `#[macro_use]` children);
//! - in the file, the macros of its own `#[macro_use] mod m;`, from that declaration on;
//! - by path: a `#[macro_export]` macro, or one re-exported by a `pub use name;` in its
//!   module, as `crate::..::name!`, `dep::..::name!` or `$crate::..::name!` in a workspace
//!   crate, or imported by a `use` of such a path (matched by crate and name: the module
//!   path in between is not followed; a name addressable twice in a crate is left out).
//!
//! Definitions travel as the printed text of their rules (`MacroRules`, at most
//! `MAX_MACRO_RULES_BYTES` each, shared by `Arc`), are lexed again only by a file that
//! invokes them, and are dropped from the facts at the end of this pass; no syntax tree
//! outlives its file. Only files with an invocation some visible definition names are
//! parsed again, in parallel; the others keep the facts of the first parse.

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use crate::discover::SourceLoader;
use crate::syntax::{
    self, ExtractOptions, MacroRules, MacroScope, ModuleFacts, Pos, ScopedMacro, UseKind,
    Visibility,
};

use super::{Codebase, ModuleId};

/// Macros addressable by path in each crate: `None` for a name addressable twice.
type Addressable = HashMap<(u32, String), Option<MacroRules>>;

pub(super) fn expand_across_files(
    cb: &mut Codebase,
    loader: &dyn SourceLoader,
    options: ExtractOptions,
) {
    let any_defined = cb.modules.iter().any(|m| !m.facts.macro_rules.is_empty());
    let jobs: Vec<(ModuleId, MacroScope)> = if any_defined {
        let addressable = addressable(cb);
        (0..cb.modules.len())
            .map(|i| ModuleId(i as u32))
            .filter(|&id| !cb.module(id).inline && !cb.module(id).facts.macro_calls.is_empty())
            .filter_map(|id| {
                let scope = scope_of(cb, id, &addressable);
                sees_a_call(&scope, &cb.module(id).facts.macro_calls).then_some((id, scope))
            })
            .collect()
    } else {
        Vec::new()
    };
    let reparsed: Vec<(ModuleId, ModuleFacts)> = jobs
        .par_iter()
        .filter_map(|(id, scope)| {
            let path = &cb.file(cb.module(*id).file).path;
            let text = loader.load(path).ok()?;
            let facts = syntax::parse_file_in_scope(&text, options, Some(scope)).ok()?;
            Some((*id, facts.module))
        })
        .collect();
    for (id, facts) in reparsed {
        replace_facts(cb, id, facts);
    }
    for m in &mut cb.modules {
        m.facts.macro_rules = Vec::new();
        m.facts.macro_calls = Vec::new();
    }
}

/// `#[macro_export]` macros, and those their module re-exports with `pub use name;`.
fn addressable(cb: &Codebase) -> Addressable {
    let mut out = Addressable::new();
    for m in &cb.modules {
        for def in &m.facts.macro_rules {
            let reexported = || {
                (m.facts.uses.iter()).any(|u| {
                    u.vis != Visibility::Private
                        && matches!(u.kind, UseKind::Named { .. })
                        && u.path.segments == [def.name.clone()]
                })
            };
            if def.macro_export || reexported() {
                (out.entry((m.krate, def.name.clone())))
                    .and_modify(|e| *e = None)
                    .or_insert_with(|| Some(def.clone()));
            }
        }
    }
    out
}

/// Whether one of `calls` names a macro of `scope`.
fn sees_a_call(scope: &MacroScope, calls: &[syntax::PathText]) -> bool {
    calls.iter().any(|c| match c.segments.as_slice() {
        [name] => {
            scope.textual.iter().any(|(_, m)| &m.rules.name == name)
                || scope.imported.iter().any(|(n, _)| n == name)
        }
        [first, .., name] => scope
            .paths
            .iter()
            .any(|((f, n), _)| f == first && n == name),
        [] => false,
    })
}

/// What the file of module `id` (a file's top module) sees of other files' macros.
fn scope_of(cb: &Codebase, id: ModuleId, addressable: &Addressable) -> MacroScope {
    let module = cb.module(id);
    let local = |rules: &MacroRules| ScopedMacro {
        rules: rules.clone(),
        dollar_crate: "crate".to_string(),
    };
    let mut textual: Vec<(Pos, ScopedMacro)> = (inherited(cb, id).iter())
        .map(|r| (Pos::default(), local(r)))
        .collect();
    // The file's own `#[macro_use] mod m;` (in it or in its inline modules): from there on.
    let mut in_file = vec![id];
    while let Some(m) = in_file.pop() {
        for (name, &child) in &cb.module(m).children {
            let c = cb.module(child);
            if c.inline {
                in_file.push(child);
            } else if let Some(decl) = decl_of(cb, m, name).filter(|d| d.macro_use) {
                let mut out = Vec::new();
                exported(cb, child, &mut out);
                textual.extend(out.iter().map(|r| (decl.pos, local(r))));
            }
        }
    }
    // Paths: each crate under the names this crate knows it by.
    let target = &cb.crates[module.krate as usize].target;
    let mut aliases: HashMap<u32, Vec<String>> = HashMap::new();
    aliases
        .entry(module.krate)
        .or_default()
        .push("crate".into());
    for (i, c) in cb.crates.iter().enumerate() {
        let known = (target.deps.iter())
            .filter(|(_, d)| d.workspace_crate.as_deref() == Some(c.target.name.as_str()))
            .map(|(key, _)| key.replace('-', "_"));
        let names: BTreeSet<String> = known.chain([c.target.name.clone()]).collect();
        aliases.entry(i as u32).or_default().extend(names);
    }
    let mut paths = Vec::new();
    for ((krate, name), rules) in addressable {
        let Some(rules) = rules else { continue };
        let scoped = ScopedMacro {
            rules: rules.clone(),
            dollar_crate: if *krate == module.krate {
                "crate".to_string()
            } else {
                cb.crates[*krate as usize].target.name.clone()
            },
        };
        for alias in aliases.get(krate).into_iter().flatten() {
            paths.push(((alias.clone(), name.clone()), scoped.clone()));
        }
    }
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    // Imports of addressable macros, in the file's modules (matched by crate and name).
    let mut imported = Vec::new();
    let mut in_file = vec![id];
    while let Some(m) = in_file.pop() {
        let m = cb.module(m);
        in_file.extend(m.children.values().filter(|&&c| cb.module(c).inline));
        for u in &m.facts.uses {
            let (UseKind::Named { rename }, [first, .., last]) =
                (&u.kind, u.path.segments.as_slice())
            else {
                continue;
            };
            let first = match first.as_str() {
                "self" | "super" => "crate",
                other => other,
            };
            if let Some((_, scoped)) = paths.iter().find(|((f, n), _)| f == first && n == last) {
                imported.push((rename.clone().unwrap_or(last.clone()), scoped.clone()));
            }
        }
    }
    MacroScope {
        textual,
        imported,
        paths,
    }
}

/// The macros visible at the start of module `id` by textual scope from outside it: its
/// parent's above its declaration, and so on up; outermost first (later ones shadow).
fn inherited(cb: &Codebase, id: ModuleId) -> Vec<MacroRules> {
    let module = cb.module(id);
    let Some(parent) = module.parent else {
        return Vec::new();
    };
    let Some(at) = decl_of(cb, parent, &module.name).map(|d| d.pos) else {
        return Vec::new();
    };
    let mut out = inherited(cb, parent);
    // The parent's own definitions and `#[macro_use]` children above `at`, in order.
    let p = cb.module(parent);
    let mut above: Vec<(Pos, Vec<MacroRules>)> = (p.facts.macro_rules.iter())
        .filter(|r| r.pos < at)
        .map(|r| (r.pos, vec![r.clone()]))
        .collect();
    for (name, &child) in &p.children {
        if let Some(decl) = decl_of(cb, parent, name).filter(|d| d.macro_use && d.pos < at) {
            let mut macros = Vec::new();
            exported(cb, child, &mut macros);
            above.push((decl.pos, macros));
        }
    }
    above.sort_by_key(|(pos, _)| *pos);
    out.extend(above.into_iter().flat_map(|(_, m)| m));
    out
}

/// What a `#[macro_use] mod` leaves in scope after it: its own macros and those of its
/// `#[macro_use]` children.
fn exported(cb: &Codebase, id: ModuleId, out: &mut Vec<MacroRules>) {
    let module = cb.module(id);
    out.extend(module.facts.macro_rules.iter().cloned());
    for (name, &child) in &module.children {
        if decl_of(cb, id, name).is_some_and(|d| d.macro_use) {
            exported(cb, child, out);
        }
    }
}

/// The declaration of child module `name` in `parent` (the first, as the tree takes it).
fn decl_of<'a>(cb: &'a Codebase, parent: ModuleId, name: &str) -> Option<&'a syntax::ModDecl> {
    cb.module(parent).facts.mods.iter().find(|d| d.name == name)
}

/// Puts the facts of a file parsed again in place of the first ones: the top module's, and
/// each inline module's in the module the tree made of it.
fn replace_facts(cb: &mut Codebase, id: ModuleId, mut facts: ModuleFacts) {
    let mut names = BTreeSet::new();
    for decl in &mut facts.mods {
        if !names.insert(decl.name.clone()) {
            continue;
        }
        if let Some(body) = decl.inline.take()
            && let Some(&child) = cb.module(id).children.get(&decl.name)
        {
            replace_facts(cb, child, *body);
        }
    }
    cb.modules[id.0 as usize].facts = facts;
}
