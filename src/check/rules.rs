//! The boundary rules, applied to every resolved reference and table access.

use std::collections::{BTreeMap, BTreeSet};

use crate::codebase::{Codebase, ModuleId};
use crate::diagnostics::{Location, Severity};
use crate::resolve::{Reference, Resolution, Target};
use crate::spec::{Spec, UnassignedPolicy};
use crate::syntax::{ItemKind, Owner as RefOwner, RefKind, TableAccess};

use super::assign::{DomainMap, Owner, crate_names, is_public};
use super::{Rule, Violation};

/// Everything the rules need, borrowed.
pub struct Inputs<'a> {
    pub spec: &'a Spec,
    pub cb: &'a Codebase,
    pub res: &'a Resolution,
    pub map: &'a DomainMap,
}

impl Inputs<'_> {
    fn owner(&self, m: ModuleId) -> &Owner {
        &self.map.owners[m.0 as usize]
    }

    fn source_item(&self, r: &Reference) -> String {
        match r.from_item {
            Some(i) => self.res.item(i).path.clone(),
            None => self.cb.module(r.from_module).path.clone(),
        }
    }

    fn location(&self, r: &Reference) -> Location {
        self.cb.location(r.file, r.pos)
    }
}

/// A used, allowed dependency between domains, with the first reference that uses it.
type UsedDeps = BTreeMap<(String, String), usize>;

pub fn check(inp: &Inputs<'_>) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut used: UsedDeps = BTreeMap::new();
    let crates = crate_names(inp.cb);
    for (idx, r) in inp.res.refs.iter().enumerate() {
        let Target::Item(target) = r.target else {
            // Naming a module as a whole (`use crate::orders;`) reaches nothing by itself;
            // what is used through it is checked where it is used.
            continue;
        };
        let item = inp.res.item(target);
        let from = inp.owner(r.from_module);
        let to = inp.owner(item.module);
        if item.kind == ItemKind::Table {
            // diesel paths (`schema::orders::table`) are table accesses, judged by `table`.
            table_access(
                inp,
                &mut out,
                from,
                r.from_module,
                &item.name,
                r,
                "diesel path",
            );
            continue;
        }
        match (from, to) {
            (Owner::Shared, Owner::Domain(b)) => out.push(Violation {
                rule: Rule::Kernel,
                severity: Severity::Error,
                from_domain: None,
                to_domain: Some(b.clone()),
                module: inp.cb.module(r.from_module).path.clone(),
                source: inp.source_item(r),
                target: item.path.clone(),
                edge_kind: r.kind.as_str(),
                location: inp.location(r),
                message: format!(
                    "the shared kernel names `{}` of domain `{b}`",
                    item.path
                ),
                help: format!(
                    "move `{}` into the shared kernel, or move the code that needs it into `{b}`; the kernel must not depend on a domain",
                    item.name
                ),
            }),
            (Owner::Domain(a), Owner::Domain(b)) if a != b => {
                let domain = &inp.spec.domains[a];
                let target_domain = &inp.spec.domains[b];
                let allowed_dep = domain.depends_on.iter().any(|d| &d.value == b);
                // `public` lists what other domains may name; a value handed out by the
                // domain's API (its fields read, its methods called) is used, not named, so
                // only `depends_on` applies to it.
                let public = r.via_value
                    || is_public(
                        &target_domain.public,
                        &item.path,
                        &inp.cb.module(item.module).path,
                        &crates,
                    );
                if allowed_dep && public {
                    used.entry((a.clone(), b.clone())).or_insert(idx);
                    continue;
                }
                out.push(boundary(inp, r, a, b, &item.path, &item.name, allowed_dep, public));
            }
            _ => {}
        }
    }
    for (m, module) in inp.cb.modules.iter().enumerate() {
        let mid = ModuleId(m as u32);
        let from = inp.owner(mid);
        for t in &module.facts.tables {
            if t.access == TableAccess::Define {
                continue;
            }
            let r = Reference {
                from_module: mid,
                from_item: owner_item(inp, mid, t.owner),
                target: Target::Module(mid),
                kind: RefKind::Use,
                file: module.file,
                pos: t.pos,
                via_value: false,
            };
            let how = match t.access {
                TableAccess::Write => "SQL write",
                _ => "SQL read",
            };
            table_access(inp, &mut out, from, mid, &t.table, &r, how);
        }
    }
    unassigned(inp, &mut out);
    domain_cycles(inp, &used, &mut out);
    out.sort_by(|a, b| {
        (a.rule, &a.location, &a.source, &a.target).cmp(&(
            b.rule,
            &b.location,
            &b.source,
            &b.target,
        ))
    });
    out
}

fn owner_item(inp: &Inputs<'_>, m: ModuleId, owner: RefOwner) -> Option<crate::resolve::ItemId> {
    match owner {
        RefOwner::Item(i) => Some(inp.res.item_of(m, i)),
        // Code in an impl block: the self type is not known here; the module speaks for it.
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn boundary(
    inp: &Inputs<'_>,
    r: &Reference,
    a: &str,
    b: &str,
    target_path: &str,
    target_name: &str,
    allowed_dep: bool,
    public: bool,
) -> Violation {
    let why = match (allowed_dep, public) {
        (false, false) => format!("`{a}` does not depend on `{b}`, and `{b}` does not expose it"),
        (false, true) => format!("`{a}` does not declare `depends_on: [{b}]`"),
        _ => format!("`{b}` does not expose it in `public`"),
    };
    let event = super::events::fitting_event(inp.spec, b, target_name);
    let mut help = match (allowed_dep, public) {
        (true, false) => format!("add `{target_path}` to `public` of domain `{b}`"),
        (false, true) => format!("declare `depends_on: [{b}]` in domain `{a}`"),
        _ => format!("add `{target_path}` to `public` of `{b}` and `{b}` to `depends_on` of `{a}`"),
    };
    match event {
        Some(e) => help.push_str(&format!(
            ", or react to the event `{e}` that `{b}` publishes instead of reaching into it"
        )),
        None => help.push_str(&format!(
            ", or replace the {} by a domain event of `{b}`",
            if r.kind == RefKind::Call || r.kind == RefKind::MethodGuess {
                "call"
            } else {
                "reference"
            }
        )),
    }
    Violation {
        rule: Rule::Boundary,
        severity: Severity::Error,
        from_domain: Some(a.to_string()),
        to_domain: Some(b.to_string()),
        module: inp.cb.module(r.from_module).path.clone(),
        source: inp.source_item(r),
        target: target_path.to_string(),
        edge_kind: r.kind.as_str(),
        location: inp.location(r),
        // A field read or method call on a value reaches the type without naming it.
        message: format!(
            "`{a}` {} `{target_path}` of domain `{b}`: {why}",
            if r.via_value { "uses" } else { "names" }
        ),
        help,
    }
}

fn table_access(
    inp: &Inputs<'_>,
    out: &mut Vec<Violation>,
    from: &Owner,
    from_module: ModuleId,
    table: &str,
    r: &Reference,
    how: &str,
) {
    let Some((b, _)) = inp
        .spec
        .domains
        .iter()
        .find(|(_, d)| d.tables.iter().any(|t| t.value.eq_ignore_ascii_case(table)))
    else {
        return;
    };
    // The shared kernel (schema definitions, migrations, the db layer) may touch every
    // table; the rule is about one domain reaching into another's data.
    let a = match from {
        Owner::Domain(a) if a != b => a.as_str(),
        _ => return,
    };
    let event = super::events::fitting_event(inp.spec, b, table);
    let mut help =
        format!("go through `{b}`'s public API, or keep a local projection fed by `{b}`'s events");
    if let Some(e) = event {
        help.push_str(&format!(" (e.g. `{e}`)"));
    }
    out.push(Violation {
        rule: Rule::Table,
        severity: Severity::Error,
        from_domain: from.domain().map(str::to_string),
        to_domain: Some(b.clone()),
        module: inp.cb.module(from_module).path.clone(),
        source: inp.source_item(r),
        target: format!("table {table}"),
        edge_kind: if how == "diesel path" {
            "table-path"
        } else {
            "sql"
        },
        location: inp.location(r),
        message: format!("{a} touches table `{table}` ({how}), which domain `{b}` owns"),
        help,
    });
}

fn unassigned(inp: &Inputs<'_>, out: &mut Vec<Violation>) {
    let severity = match inp.spec.unassigned {
        UnassignedPolicy::Error => Severity::Error,
        UnassignedPolicy::Warn => Severity::Warning,
        UnassignedPolicy::Ignore => return,
    };
    for (m, module) in inp.cb.modules.iter().enumerate() {
        if inp.map.owners[m] != Owner::Unassigned {
            continue;
        }
        // A module that defines nothing and only declares or re-exports (a crate root
        // made of `mod` lines) has nothing to assign.
        let has_code = !module.facts.items.is_empty()
            || !module.facts.impls.is_empty()
            || module.facts.refs.iter().any(|r| r.kind != RefKind::Use);
        if !has_code {
            continue;
        }
        out.push(Violation {
            rule: Rule::Unassigned,
            severity,
            from_domain: None,
            to_domain: None,
            module: module.path.clone(),
            source: module.path.clone(),
            target: module.path.clone(),
            edge_kind: "module",
            location: Location {
                file: inp.cb.file(module.file).display.clone().into(),
                line: 1,
                column: 1,
            },
            message: format!(
                "module `{}` belongs to no domain and is not shared",
                module.path
            ),
            help: "add it to a domain's `modules`, or to `shared` if every domain may use it"
                .to_string(),
        });
    }
}

fn domain_cycles(inp: &Inputs<'_>, used: &UsedDeps, out: &mut Vec<Violation>) {
    let mut g: petgraph::graphmap::DiGraphMap<&str, ()> = petgraph::graphmap::DiGraphMap::new();
    for (a, b) in used.keys() {
        g.add_edge(a.as_str(), b.as_str(), ());
    }
    for scc in petgraph::algo::tarjan_scc(&g) {
        if scc.len() < 2 {
            continue;
        }
        let members: BTreeSet<&str> = scc.iter().copied().collect();
        let names: Vec<&str> = members.iter().copied().collect();
        // Report at the first used edge inside the cycle, in name order.
        let Some(((a, b), idx)) = used
            .iter()
            .find(|((a, b), _)| members.contains(a.as_str()) && members.contains(b.as_str()))
        else {
            continue;
        };
        let r = &inp.res.refs[*idx];
        let edges: Vec<String> = used
            .keys()
            .filter(|(x, y)| members.contains(x.as_str()) && members.contains(y.as_str()))
            .map(|(x, y)| format!("{x} -> {y}"))
            .collect();
        out.push(Violation {
            rule: Rule::DomainCycle,
            severity: Severity::Error,
            from_domain: Some(a.clone()),
            to_domain: Some(b.clone()),
            module: inp.cb.module(r.from_module).path.clone(),
            source: format!("domains {}", names.join(", ")),
            target: edges.join(", "),
            edge_kind: r.kind.as_str(),
            location: inp.location(r),
            message: format!(
                "domains {} depend on each other in a cycle ({})",
                names.join(", "),
                edges.join(", ")
            ),
            help: "break the cycle: let one side publish an event the other subscribes to, and drop that `depends_on`".to_string(),
        });
    }
}
