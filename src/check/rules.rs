//! The boundary rules, applied to every resolved reference and table access. Each breach is
//! one finding per occurrence here; `check` groups, filters and ranks them afterwards.

use std::collections::BTreeMap;

use crate::codebase::{Codebase, ModuleId};
use crate::diagnostics::{Code, Diagnostic, Label, Location, Subject};
use crate::resolve::{Reference, Resolution, Target};
use crate::spec::{ModuleOwner, Spec};
use crate::syntax::{ItemKind, Owner as RefOwner, RefKind, TableAccess};

use super::assign::{DomainMap, crate_names, is_public};
use super::replacement_event::replacement_event;

/// Everything the rules need, borrowed.
pub struct Inputs<'a> {
    pub spec: &'a Spec,
    pub cb: &'a Codebase,
    pub res: &'a Resolution,
    pub map: &'a DomainMap<'a>,
}

impl Inputs<'_> {
    fn owner(&self, m: ModuleId) -> ModuleOwner<'_> {
        self.map.owners[m.0 as usize]
    }

    fn source_item(&self, r: &Reference) -> String {
        match r.from_item {
            Some(i) => self.res.item(i).path.clone(),
            None => self.cb.module(r.from_module).path.clone(),
        }
    }

    pub(super) fn location(&self, r: &Reference) -> Location {
        self.cb.location(r.file, r.pos)
    }

    fn module_path(&self, m: ModuleId) -> String {
        self.cb.module(m).path.clone()
    }

    /// Where the spec declares `domain` (its name under `domains`).
    pub(super) fn declared(&self, domain: &str) -> Location {
        self.spec.domains[domain].location.clone()
    }
}

/// Used, allowed dependencies between domains, each with the first reference that uses it.
pub type UsedDeps = BTreeMap<(String, String), usize>;

/// Every breach of the boundary, table, kernel and unassigned rules, one per occurrence; and
/// the allowed dependencies the code really uses (for the cycle rule).
pub fn findings(inp: &Inputs<'_>) -> (Vec<Diagnostic>, UsedDeps) {
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
        if item.kind == ItemKind::Table {
            // diesel paths (`schema::orders::table`) are table accesses.
            out.extend(table_access(inp, from, r, &item.name, "diesel path"));
            continue;
        }
        match (from, inp.owner(item.module)) {
            (ModuleOwner::Shared, ModuleOwner::Domain(b)) => {
                out.push(kernel(inp, r, b, &item.path, &item.name));
            }
            (ModuleOwner::Domain(a), ModuleOwner::Domain(b)) if a != b => {
                let allowed_dep = inp.spec.domains[a].depends_on.iter().any(|d| d.value == b);
                // `public` lists what other domains may name; a value handed out by the
                // domain's API (its fields read, its methods called) is used, not named, so
                // only `depends_on` applies to it.
                let public = r.via_value
                    || is_public(
                        &inp.spec.domains[b].public,
                        &item.path,
                        &inp.cb.module(item.module).path,
                        &crates,
                    );
                if allowed_dep && public {
                    used.entry((a.to_string(), b.to_string())).or_insert(idx);
                    continue;
                }
                let breach = Breach {
                    a,
                    b,
                    target_path: &item.path,
                    target_name: &item.name,
                    allowed_dep,
                    public,
                };
                out.push(boundary(inp, r, &breach));
            }
            _ => {}
        }
    }
    sql_accesses(inp, &mut out);
    unassigned(inp, &mut out);
    (out, used)
}

/// A reference from domain `a` to an item of domain `b` that the spec does not allow.
struct Breach<'a> {
    a: &'a str,
    b: &'a str,
    target_path: &'a str,
    target_name: &'a str,
    allowed_dep: bool,
    public: bool,
}

fn subject(
    inp: &Inputs<'_>,
    r: &Reference,
    from: Option<&str>,
    to: Option<&str>,
    target: String,
    kind: &'static str,
) -> Subject {
    Subject {
        from_domain: from.map(str::to_string),
        to_domain: to.map(str::to_string),
        module: inp.module_path(r.from_module),
        source: inp.source_item(r),
        target,
        kind,
    }
}

fn kernel(inp: &Inputs<'_>, r: &Reference, b: &str, target_path: &str, name: &str) -> Diagnostic {
    Diagnostic::error(
        Code::KernelDependsOnDomain,
        format!("the shared kernel names `{target_path}` of domain `{b}`"),
    )
    .with_label(Label::primary(inp.location(r), r.kind.as_str()))
    .with_help(format!(
        "move `{name}` into the shared kernel, or move the code that needs it into `{b}`; the kernel must not depend on a domain"
    ))
    .with_subject(subject(inp, r, None, Some(b), target_path.to_string(), r.kind.as_str()))
}

fn boundary(inp: &Inputs<'_>, r: &Reference, breach: &Breach<'_>) -> Diagnostic {
    let Breach {
        a,
        b,
        target_path,
        target_name,
        allowed_dep,
        public,
    } = *breach;
    let why = match (allowed_dep, public) {
        (false, false) => format!("`{a}` does not depend on `{b}`, and `{b}` does not expose it"),
        (false, true) => format!("`{a}` does not declare `depends_on: [{b}]`"),
        _ => format!("`{b}` does not expose it in `public`"),
    };
    let mut help = match (allowed_dep, public) {
        (true, false) => format!("add `{target_path}` to `public` of domain `{b}`"),
        (false, true) => format!("declare `depends_on: [{b}]` in domain `{a}`"),
        _ => format!("add `{target_path}` to `public` of `{b}` and `{b}` to `depends_on` of `{a}`"),
    };
    match replacement_event(inp.spec, b, target_name) {
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
    // A field read or method call on a value reaches the type without naming it.
    let verb = if r.via_value { "uses" } else { "names" };
    let mut finding = Diagnostic::error(
        Code::BoundaryViolation,
        format!("`{a}` {verb} `{target_path}` of domain `{b}`: {why}"),
    )
    .with_label(Label::primary(inp.location(r), r.kind.as_str()));
    if !allowed_dep {
        let message = format!("`{a}` does not list `{b}` in `depends_on`");
        finding = finding.with_label(Label::secondary(inp.declared(a), message));
    }
    if !public {
        let message = format!("`{b}` does not list it in `public`");
        finding = finding.with_label(Label::secondary(inp.declared(b), message));
    }
    finding.with_help(help).with_subject(subject(
        inp,
        r,
        Some(a),
        Some(b),
        target_path.to_string(),
        r.kind.as_str(),
    ))
}

/// Tables named in SQL strings or reached through sea-orm entity paths, as accesses from the
/// code that holds them.
fn sql_accesses(inp: &Inputs<'_>, out: &mut Vec<Diagnostic>) {
    for (m, module) in inp.cb.modules.iter().enumerate() {
        let mid = ModuleId(m as u32);
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
            let how = match (t.sea_orm, t.access) {
                (true, TableAccess::Write) => "sea-orm write",
                (true, _) => "sea-orm read",
                (false, TableAccess::Write) => "SQL write",
                (false, _) => "SQL read",
            };
            out.extend(table_access(inp, inp.owner(mid), &r, &t.table, how));
        }
    }
}

fn owner_item(inp: &Inputs<'_>, m: ModuleId, owner: RefOwner) -> Option<crate::resolve::ItemId> {
    match owner {
        RefOwner::Item(i) => Some(inp.res.item_of(m, i)),
        // Code in an impl block: the self type is not known here; the module speaks for it.
        _ => None,
    }
}

fn table_access(
    inp: &Inputs<'_>,
    from: ModuleOwner<'_>,
    r: &Reference,
    table: &str,
    how: &str,
) -> Option<Diagnostic> {
    let (b, declared) = inp.spec.domains.iter().find_map(|(name, d)| {
        let entry = d
            .tables
            .iter()
            .find(|t| t.value.eq_ignore_ascii_case(table))?;
        Some((name, entry))
    })?;
    // The shared kernel (schema definitions, migrations, the db layer) may touch every
    // table; the rule is about one domain reaching into another's data.
    let a = match from {
        ModuleOwner::Domain(a) if a != b => a,
        _ => return None,
    };
    let mut help =
        format!("go through `{b}`'s public API, or keep a local projection fed by `{b}`'s events");
    if let Some(e) = replacement_event(inp.spec, b, table) {
        help.push_str(&format!(" (e.g. `{e}`)"));
    }
    let kind = if how == "diesel path" || how.starts_with("sea-orm") {
        "table-path"
    } else {
        "sql"
    };
    let mut at = Label::primary(inp.location(r), kind);
    if kind == "sql" {
        // Point at the table itself rather than the whole query.
        at.focus = Some(table.to_string());
    }
    let owned = Label::secondary(declared.location.clone(), format!("`{b}` owns this table"));
    let target = format!("table {table}");
    Some(
        Diagnostic::error(
            Code::ForeignTableAccess,
            format!("{a} touches table `{table}` ({how}), which domain `{b}` owns"),
        )
        .with_label(at)
        .with_label(owned)
        .with_help(help)
        .with_subject(subject(inp, r, Some(a), Some(b), target, kind)),
    )
}

fn unassigned(inp: &Inputs<'_>, out: &mut Vec<Diagnostic>) {
    for (m, module) in inp.cb.modules.iter().enumerate() {
        if inp.map.owners[m] != ModuleOwner::Unassigned {
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
        let location = Location {
            file: inp.cb.file(module.file).display.clone().into(),
            line: 1,
            column: 1,
        };
        out.push(
            Diagnostic::error(
                Code::UnassignedModule,
                format!(
                    "module `{}` belongs to no domain and is not shared",
                    module.path
                ),
            )
            .with_label(Label::primary(location, "module"))
            .with_help("add it to a domain's `modules`, or to `shared` if every domain may use it")
            .with_subject(Subject {
                from_domain: None,
                to_domain: None,
                module: module.path.clone(),
                source: module.path.clone(),
                target: module.path.clone(),
                kind: "module",
            }),
        );
    }
}
