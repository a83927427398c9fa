//! The order: the kernel first, then each domain once everything its code names has been
//! extracted; the domains that never get there are explained (a cycle, a blocked domain they
//! need, their own blockers).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::check::{
    self,
    replacement_event::{best_fit, replacement_event},
};
use crate::codebase::{Codebase, ModuleId, display_path};
use crate::diagnostics::Diagnostic;
use crate::resolve::Resolution;
use crate::spec::{ModuleOwner, Spec};

use super::blockers::{self, Crossing, Replacement};
use super::scan::{Edge, Scan, scan};
use super::units::{KERNEL, Unit, Units, declared_at, top_of, units};
use super::{
    Blocked, DOMAINS_FOLDER, Extraction, FileMove, KERNEL_FOLDER, Monolith, SplitPlan, crate_name,
};

/// The plan for splitting the analysed code along `spec`'s domains.
pub fn plan(spec: &Spec, cb: &Codebase, res: &Resolution) -> SplitPlan {
    let map = check::assign::assign(spec, cb);
    let (units, mut scan, kernel_left) = kernel_that_can_move(spec, cb, res, &map.owners);
    let system = spec.system.value.clone();
    let mut files: Vec<Vec<FileMove>> = Vec::new();
    for (u, unit) in units.units.iter().enumerate() {
        let (moves, layout) = file_moves(cb, unit, &folder(&unit.name, unit.is_kernel()));
        scan.immediate[u].extend(unit.layout.iter().cloned());
        scan.immediate[u].extend(layout);
        files.push(moves);
    }
    // A kernel that left every top module behind has nothing to move.
    let order: Vec<usize> = (extraction_order(&scan).into_iter())
        .filter(|&u| !units.units[u].tops.is_empty())
        .collect();
    let done: BTreeSet<usize> = order.iter().copied().collect();
    let extracted = (order.iter())
        .map(|&u| extraction(cb, &system, &units, &scan, &files, u))
        .collect::<Vec<_>>();
    let extracted = free_names(cb, extracted);
    let mut blocked: Vec<Blocked> = Vec::new();
    if !kernel_left.is_empty() {
        blocked.push(Blocked {
            domain: KERNEL.to_string(),
            blockers: check::group(kernel_left),
        });
    }
    blocked.extend(
        (0..units.units.len())
            .filter(|&u| {
                let empty_kernel = units.units[u].is_kernel() && units.units[u].tops.is_empty();
                !done.contains(&u) && !empty_kernel
            })
            .map(|u| Blocked {
                domain: units.units[u].name.clone(),
                blockers: explain(spec, &units, &scan, &done, u),
            }),
    );
    SplitPlan {
        system,
        monolith: units.monolith.map(|k| monolith(cb, k)),
        extracted,
        blocked,
        staying: units.staying.clone(),
        already: units.already.clone(),
    }
}

/// The units and their scan once the kernel has left behind, in the monolith, each top
/// module that blocks it (with the reasons): the kernel crate takes what can move.
fn kernel_that_can_move(
    spec: &Spec,
    cb: &Codebase,
    res: &Resolution,
    owners: &[ModuleOwner<'_>],
) -> (Units, Scan, Vec<Diagnostic>) {
    let mut left_behind = BTreeSet::new();
    let mut reasons = Vec::new();
    loop {
        let mut units = units(spec, cb, owners, &left_behind);
        let scan = scan(cb, res, &units);
        let Some(kernel) = units.units.first_mut().filter(|u| u.is_kernel()) else {
            return (units, scan, reasons);
        };
        // Tops the kernel could not take at all (inline, nested) stay without blocking it.
        for d in std::mem::take(&mut kernel.layout) {
            if !reasons.contains(&d) {
                reasons.push(d);
            }
        }
        let mut culprits: BTreeSet<ModuleId> = (scan.culprits[0].iter())
            .map(|&m| top_of(cb, m, &kernel.tops))
            .collect();
        culprits.extend(kernel.layout_tops.iter().copied());
        culprits.retain(|m| kernel.tops.contains(m));
        if scan.immediate[0].is_empty() || culprits.is_empty() {
            return (units, scan, reasons);
        }
        reasons.extend(scan.immediate[0].iter().cloned());
        left_behind.extend(culprits);
    }
}

fn monolith(cb: &Codebase, krate: u32) -> Monolith {
    let target = &cb.crates[krate as usize].target;
    Monolith {
        crate_name: target.name.clone(),
        package_dir: display_path(&cb.root, &target.package_dir),
        root_file: display_path(&cb.root, &target.root_file),
    }
}

fn folder(unit: &str, is_kernel: bool) -> String {
    if is_kernel {
        KERNEL_FOLDER.to_string()
    } else {
        format!("{DOMAINS_FOLDER}/{unit}")
    }
}

/// The crate names made unique against the workspace's crates and packages (the shop
/// already has a `shop_kernel` crate): `_2`, `_3`... appended, dependencies renamed alike.
fn free_names(cb: &Codebase, mut extracted: Vec<Extraction>) -> Vec<Extraction> {
    let mut taken: BTreeSet<String> = (cb.crates.iter())
        .flat_map(|c| [c.target.name.clone(), c.target.package.replace('-', "_")])
        .collect();
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    for e in &mut extracted {
        let mut name = e.crate_name.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{}_{n}", e.crate_name);
            n += 1;
        }
        taken.insert(name.clone());
        if name != e.crate_name {
            renamed.insert(e.crate_name.clone(), name.clone());
            e.folder = format!("{}_{}", e.folder, n - 1);
            for f in &mut e.files {
                let rest = f.to.split_once("/src/").map_or("", |(_, r)| r);
                f.to = format!("{}/src/{rest}", e.folder);
            }
            e.crate_name = name;
        }
        for d in &mut e.depends_on {
            if let Some(new) = renamed.get(d) {
                *d = new.clone();
            }
        }
    }
    extracted
}

/// Units in the order they can move: repeatedly the first (kernel, then domains by name)
/// with no blocker of its own whose every edge leads to a unit already moved.
fn extraction_order(scan: &Scan) -> Vec<usize> {
    let n = scan.immediate.len();
    let mut done = vec![false; n];
    let mut order = Vec::new();
    while let Some(u) = (0..n).find(|&u| {
        !done[u] && scan.immediate[u].is_empty() && scan.edges[u].keys().all(|&v| done[v])
    }) {
        done[u] = true;
        order.push(u);
    }
    order
}

fn extraction(
    cb: &Codebase,
    system: &str,
    units: &Units,
    scan: &Scan,
    files: &[Vec<FileMove>],
    u: usize,
) -> Extraction {
    let unit = &units.units[u];
    Extraction {
        unit: unit.name.clone(),
        is_kernel: unit.is_kernel(),
        crate_name: crate_name(system, &unit.name),
        folder: folder(&unit.name, unit.is_kernel()),
        modules: (unit.tops.iter())
            .map(|&t| cb.module(t).path.clone())
            .collect(),
        files: files[u].clone(),
        widened: scan.widened[u].iter().cloned().collect(),
        depends_on: (scan.edges[u].keys())
            .map(|&v| crate_name(system, &units.units[v].name))
            .collect(),
    }
}

/// Every file of the unit and where it goes. A unit of one top module makes it the crate
/// root (`src/billing.rs` or `src/billing/mod.rs` → `src/lib.rs`, its children beside it);
/// a unit of several keeps each top's path under `src/` and gets a generated root.
fn file_moves(cb: &Codebase, unit: &Unit, folder: &str) -> (Vec<FileMove>, Vec<Diagnostic>) {
    let mut moves = BTreeSet::new();
    let mut layout = Vec::new();
    for &top in &unit.tops {
        let top_module = cb.module(top);
        let top_file = &cb.file(top_module.file).path;
        let src = cb.crates[top_module.krate as usize]
            .target
            .source_dir()
            .to_path_buf();
        let single = unit.tops.len() == 1;
        let is_mod_rs = top_file.file_name().is_some_and(|n| n == "mod.rs");
        let top_dir = if is_mod_rs {
            top_file
                .parent()
                .map(|p| p.to_path_buf())
                .unwrap_or_default()
        } else {
            top_file.with_extension("")
        };
        for m in &unit.modules {
            let module = cb.module(*m);
            if module.inline || !descends(cb, *m, top) {
                continue;
            }
            let path = &cb.file(module.file).path;
            let rel = if single && path == top_file {
                Some("lib.rs".to_string())
            } else if single {
                path.strip_prefix(&top_dir).ok().map(slash)
            } else {
                path.strip_prefix(&src).ok().map(slash)
            };
            match rel {
                Some(rel) => {
                    moves.insert(FileMove {
                        from: display_path(&cb.root, path),
                        to: format!("{folder}/src/{rel}"),
                    });
                }
                None => layout.push(blockers::unmovable(
                    declared_at(cb, *m),
                    &module.path,
                    "its file is outside its parent's folder (`#[path]`)",
                )),
            }
        }
    }
    (moves.into_iter().collect(), layout)
}

fn descends(
    cb: &Codebase,
    mut m: crate::codebase::ModuleId,
    top: crate::codebase::ModuleId,
) -> bool {
    loop {
        if m == top {
            return true;
        }
        match cb.module(m).parent {
            Some(p) => m = p,
            None => return false,
        }
    }
}

fn slash(p: &std::path::Path) -> String {
    let parts: Vec<String> = p
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// Why unit `u` stays: its own blockers, then each reference to a unit that did not move (a
/// cycle when that unit reaches back, else a blocked dependency), grouped per (code, source,
/// target) with a label per occurrence.
fn explain(
    spec: &Spec,
    units: &Units,
    scan: &Scan,
    done: &BTreeSet<usize>,
    u: usize,
) -> Vec<Diagnostic> {
    let mut out = scan.immediate[u].clone();
    let name = &units.units[u].name;
    for (&v, edges) in &scan.edges[u] {
        if done.contains(&v) {
            continue;
        }
        let to = &units.units[v].name;
        let cycle = shortest_path(scan, done, v, u).map(|path| {
            std::iter::once(name.clone())
                .chain(path.iter().map(|&w| units.units[w].name.clone()))
                .collect::<Vec<_>>()
        });
        let crossings: Vec<Crossing<'_>> = edges.iter().map(|e| crossing(e, name)).collect();
        match &cycle {
            Some(cycle) => {
                for (e, c) in edges.iter().zip(&crossings) {
                    let event = replacement(spec, name, to, e);
                    out.push(blockers::cycle(c, to, cycle, event));
                }
            }
            None => out.push(blockers::depends_on_blocked(name, to, &crossings)),
        }
    }
    check::group(out)
}

/// The event that would replace the reference `e` from domain `from` into domain `to`.
fn replacement(spec: &Spec, from: &str, to: &str, e: &Edge) -> Option<Replacement> {
    let source_name = e.source.rsplit("::").next().unwrap_or(&e.source);
    let subscribed = (spec.domains.get(to))
        .into_iter()
        .flat_map(|d| d.subscribes.iter())
        .map(|s| s.event.value.as_str())
        .filter(|name| {
            spec.events
                .get(*name)
                .is_some_and(|ev| ev.from.value == from)
        });
    let published = best_fit(subscribed, &format!("{source_name} {}", e.target_name));
    published
        .map(Replacement::Publish)
        .or_else(|| replacement_event(spec, to, &e.target_name).map(Replacement::Subscribe))
}

fn crossing<'a>(e: &'a Edge, from_unit: &'a str) -> Crossing<'a> {
    Crossing {
        location: e.location.clone(),
        from_unit,
        module: &e.module,
        source: &e.source,
        target: &e.target,
        kind: e.kind,
    }
}

/// The shortest path of edges between units not moved from `from` to `to` (both included),
/// when there is one.
fn shortest_path(
    scan: &Scan,
    done: &BTreeSet<usize>,
    from: usize,
    to: usize,
) -> Option<Vec<usize>> {
    let mut previous: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = VecDeque::from([from]);
    let mut seen = BTreeSet::from([from]);
    while let Some(w) = queue.pop_front() {
        if w == to {
            let mut path = vec![to];
            while let Some(&p) = previous.get(path.last().unwrap_or(&to)) {
                path.push(p);
            }
            path.reverse();
            return Some(path);
        }
        for &next in scan.edges[w].keys() {
            if !done.contains(&next) && seen.insert(next) {
                previous.insert(next, w);
                queue.push_back(next);
            }
        }
    }
    None
}
