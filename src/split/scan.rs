//! Every resolved reference of the monolith's crate, classified against the units: fine
//! (inside one unit, to another crate), an edge between units (the order follows them), a
//! blocker right away (into the monolith, a macro across a boundary, an impl the orphan rule
//! forbids, a path fissure could not resolve), or a widening (code outside a unit naming its
//! non-`pub` item).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::codebase::{Codebase, ModuleId};
use crate::diagnostics::{Diagnostic, Location};
use crate::resolve::{Reference, Resolution, Target};
use crate::syntax::{ItemKind, Owner, Pos, RefKind, Visibility};

use super::Widening;
use super::blockers::{self, Crossing};
use super::units::{Units, declared_at};

/// A reference from one unit's code to another unit's item.
#[derive(Debug, Clone)]
pub struct Edge {
    pub location: Location,
    pub module: String,
    pub source: String,
    pub target: String,
    pub target_name: String,
    pub kind: &'static str,
}

/// What the references say about each unit, indexed like `Units::units`.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub immediate: Vec<Vec<Diagnostic>>,
    pub edges: Vec<BTreeMap<usize, Vec<Edge>>>,
    pub widened: Vec<BTreeSet<Widening>>,
    /// The unit's modules the immediate blockers are about (where the kernel gives up
    /// modules to move the rest).
    pub culprits: Vec<BTreeSet<ModuleId>>,
}

/// Where a module ends up: in a unit, in the monolith, or in another crate already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Unit(usize),
    Monolith,
    Elsewhere,
}

struct Ctx<'a> {
    cb: &'a Codebase,
    res: &'a Resolution,
    units: &'a Units,
    monolith: u32,
}

impl Ctx<'_> {
    fn place(&self, m: ModuleId) -> Place {
        if self.cb.module(m).krate != self.monolith {
            return Place::Elsewhere;
        }
        self.units.unit_of[m.0 as usize].map_or(Place::Monolith, Place::Unit)
    }

    fn unit_name(&self, u: usize) -> &str {
        &self.units.units[u].name
    }

    fn crossing<'c>(
        &'c self,
        r: &Reference,
        from_unit: &'c str,
        source: &'c str,
        target: &'c str,
    ) -> Crossing<'c> {
        Crossing {
            location: self.cb.location(r.file, r.pos),
            from_unit,
            module: &self.cb.module(r.from_module).path,
            source,
            target,
            kind: r.kind.as_str(),
        }
    }

    fn source_of(&self, r: &Reference) -> String {
        match r.from_item {
            Some(i) => self.res.item(i).path.clone(),
            None => self.cb.module(r.from_module).path.clone(),
        }
    }
}

pub fn scan(cb: &Codebase, res: &Resolution, units: &Units) -> Scan {
    let n = units.units.len();
    let mut out = Scan {
        immediate: vec![Vec::new(); n],
        edges: vec![BTreeMap::new(); n],
        widened: vec![BTreeSet::new(); n],
        culprits: vec![BTreeSet::new(); n],
    };
    let Some(monolith) = units.monolith else {
        return out;
    };
    let ctx = Ctx {
        cb,
        res,
        units,
        monolith,
    };
    for r in &res.refs {
        if r.via_value || r.kind == RefKind::MethodGuess {
            continue;
        }
        reference(&ctx, r, &mut out);
    }
    orphans(&ctx, &mut out);
    for u in &res.unresolved {
        let Place::Unit(unit) = ctx.place(u.module) else {
            continue;
        };
        let first = u.path.split("::").next().unwrap_or("");
        if matches!(first, "crate" | "super" | "self") {
            let d = blockers::unresolved(cb.location(u.file, u.pos), ctx.unit_name(unit), &u.path);
            out.immediate[unit].push(d);
            out.culprits[unit].insert(u.module);
        }
    }
    out
}

fn reference(ctx: &Ctx<'_>, r: &Reference, out: &mut Scan) {
    let target_module = ctx.res.target_module(r.target);
    let (from, to) = (ctx.place(r.from_module), ctx.place(target_module));
    if from == to || to == Place::Elsewhere {
        return;
    }
    if let Place::Unit(v) = to {
        widen(ctx, r.target, v, out);
    }
    let target = ctx.res.target_path(ctx.cb, r.target);
    let source = ctx.source_of(r);
    let is_macro = matches!(r.target, Target::Item(i) if ctx.res.item(i).kind == ItemKind::Macro);
    if is_macro {
        let whose = match to {
            Place::Unit(v) => format!("`{}`", ctx.unit_name(v)),
            _ => "the monolith".to_string(),
        };
        for (side, module) in [(from, r.from_module), (to, target_module)] {
            if let Place::Unit(u) = side {
                let c = ctx.crossing(r, ctx.unit_name(u), &source, &target);
                out.immediate[u].push(blockers::macro_used(&c, &whose));
                out.culprits[u].insert(module);
            }
        }
        return;
    }
    let Place::Unit(u) = from else {
        return;
    };
    let unit = &ctx.units.units[u];
    if matches!(to, Place::Monolith) || unit.is_kernel() {
        out.culprits[u].insert(r.from_module);
    }
    match to {
        Place::Monolith => {
            let c = ctx.crossing(r, &unit.name, &source, &target);
            out.immediate[u].push(blockers::into_monolith(&c));
        }
        Place::Unit(v) if unit.is_kernel() => {
            let c = ctx.crossing(r, &unit.name, &source, &target);
            out.immediate[u].push(blockers::kernel_names_domain(&c, ctx.unit_name(v)));
        }
        Place::Unit(v) => {
            let target_name = target.rsplit("::").next().unwrap_or(&target).to_string();
            out.edges[u].entry(v).or_default().push(Edge {
                location: ctx.cb.location(r.file, r.pos),
                module: ctx.cb.module(r.from_module).path.clone(),
                source,
                target,
                target_name,
                kind: r.kind.as_str(),
            });
        }
        Place::Elsewhere => {}
    }
}

/// The item (or module) `target` of unit `v`, named from outside it: it and every module
/// between it and the unit's top must be `pub`.
fn widen(ctx: &Ctx<'_>, target: Target, v: usize, out: &mut Scan) {
    let mut module = match target {
        Target::Item(i) => {
            let item = ctx.res.item(i);
            if item.vis != Visibility::Public {
                let location = ctx.cb.location(ctx.cb.module(item.module).file, item.pos);
                out.widened[v].insert(widening(&item.path, &item.vis, location, false));
            }
            item.module
        }
        Target::Module(m) => m,
    };
    let unit = &ctx.units.units[v];
    while !unit.tops.contains(&module) {
        let m = ctx.cb.module(module);
        let Some(parent) = m.parent else {
            break;
        };
        let decl = ctx
            .cb
            .module(parent)
            .facts
            .mods
            .iter()
            .find(|d| d.name == m.name);
        if let Some(decl) = decl.filter(|d| d.vis != Visibility::Public) {
            let location = declared_at(ctx.cb, module);
            out.widened[v].insert(widening(&m.path, &decl.vis, location, true));
        }
        module = parent;
    }
}

fn widening(path: &str, vis: &Visibility, location: Location, is_module: bool) -> Widening {
    let was = match vis {
        Visibility::Private => "private",
        Visibility::Crate => "pub(crate)",
        Visibility::Restricted => "pub(super)/pub(in ..)",
        Visibility::Public => "pub",
    };
    Widening {
        item: path.to_string(),
        was: was.to_string(),
        file: location.file.to_string_lossy().into_owned(),
        line: location.line,
        column: location.column,
        is_module,
    }
}

/// The orphan rule after the move: an inherent impl must live with its type, a trait impl
/// with its trait or its type.
fn orphans(ctx: &Ctx<'_>, out: &mut Scan) {
    let mut targets: HashMap<(ModuleId, Pos), Target> = HashMap::new();
    for r in &ctx.res.refs {
        targets.entry((r.from_module, r.pos)).or_insert(r.target);
    }
    for (m, module) in ctx.cb.modules.iter().enumerate() {
        let mid = ModuleId(m as u32);
        if module.krate != ctx.monolith {
            continue;
        }
        for (i, imp) in module.facts.impls.iter().enumerate() {
            let positions: Vec<Pos> = (module.facts.refs.iter())
                .filter(|p| p.owner == Owner::Impl(i as u32) && p.kind == RefKind::Impl)
                .map(|p| p.pos)
                .collect();
            let resolved = |pos: Option<&Pos>| pos.and_then(|p| targets.get(&(mid, *p)).copied());
            let trait_ = imp
                .trait_
                .as_ref()
                .and_then(|_| resolved(positions.first()));
            let self_expected = positions.len() > usize::from(imp.trait_.is_some());
            let self_ = if self_expected {
                resolved(positions.last())
            } else {
                None
            };
            let place_of = |t: Option<Target>| {
                t.map_or(Place::Elsewhere, |t| ctx.place(ctx.res.target_module(t)))
            };
            let here = ctx.place(mid);
            let (tp, sp) = (place_of(trait_), place_of(self_));
            // `impl From<Local> for Foreign`: a type argument of the trait that stays local
            // satisfies the orphan rule too.
            let local_argument = || {
                let Some(first) = positions.first() else {
                    return false;
                };
                // Between the trait and the self type; on the trait's line when the self
                // type is no path (`impl TryFrom<Number> for usize`).
                let in_header = |p: &Pos| match (self_expected, positions.last()) {
                    (true, Some(last)) => p > first && p < last,
                    _ => p > first && p.line == first.line,
                };
                (module.facts.refs.iter())
                    .filter(|p| p.owner == Owner::Impl(i as u32) && in_header(&p.pos))
                    .any(|p| place_of(resolved(Some(&p.pos))) == here)
            };
            let allowed = match imp.trait_ {
                None => self_.is_none() || sp == here,
                Some(_) => tp == here || sp == here || local_argument(),
            };
            if allowed {
                continue;
            }
            let why = match (imp.trait_.is_some(), here) {
                (false, _) => {
                    "is an inherent impl of a type that will live in another crate (E0116)"
                }
                (true, Place::Monolith) => {
                    "would implement a foreign trait for a moved type (E0117)"
                }
                _ => "would implement a trait of another crate for a type of another crate (E0117)",
            };
            let target = self_
                .or(trait_)
                .map_or_else(|| module.path.clone(), |t| ctx.res.target_path(ctx.cb, t));
            let location = ctx.cb.location(module.file, imp.pos);
            let self_module = self_.map(|t| ctx.res.target_module(t));
            for (side, culprit) in [(here, Some(mid)), (sp, self_module)] {
                if let Place::Unit(u) = side {
                    out.culprits[u].extend(culprit);
                    let c = Crossing {
                        location: location.clone(),
                        from_unit: ctx.unit_name(u),
                        module: &module.path,
                        source: &module.path,
                        target: &target,
                        kind: "impl",
                    };
                    out.immediate[u].push(blockers::orphan(&c, why));
                }
            }
        }
    }
}
