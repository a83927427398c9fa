//! Why a unit cannot move, one [`Diagnostic`] per reason and place, each saying what would
//! unblock it. The codes are documented in docs/diagnostics.md ("Split blockers").

use crate::diagnostics::{Code, Diagnostic, Label, Location, Subject};

/// Who names what, where: the reference a blocker is about.
pub struct Crossing<'a> {
    pub location: Location,
    /// The unit whose code holds the reference.
    pub from_unit: &'a str,
    pub module: &'a str,
    /// The item (or module) holding the code.
    pub source: &'a str,
    /// The item named.
    pub target: &'a str,
    pub kind: &'static str,
}

fn at(code: Code, c: &Crossing<'_>, message: String, to_unit: Option<&str>) -> Diagnostic {
    Diagnostic::error(code, message)
        .with_label(Label::primary(c.location.clone(), c.kind))
        .with_subject(Subject {
            from_domain: Some(c.from_unit.to_string()),
            to_domain: to_unit.map(str::to_string),
            module: c.module.to_string(),
            source: c.source.to_string(),
            target: c.target.to_string(),
            kind: c.kind,
        })
}

pub fn unmovable(location: Location, module: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        Code::UnmovableModule,
        format!("module `{module}` cannot move: {why}"),
    )
    .with_label(Label::primary(location, "declared here"))
}

/// Grouped per target: every place the unit names the item is one occurrence.
pub fn into_monolith(c: &Crossing<'_>) -> Diagnostic {
    let grouped = Crossing {
        source: c.from_unit,
        location: c.location.clone(),
        ..*c
    };
    at(
        Code::ReferenceIntoMonolith,
        &grouped,
        format!(
            "`{}` names `{}`, which stays in the monolith",
            c.from_unit, c.target
        ),
        None,
    )
    .with_help(format!(
        "move `{}` into the shared kernel, or invert the dependency: pass it in from the \
         composition root",
        c.target
    ))
}

pub fn kernel_names_domain(c: &Crossing<'_>, domain: &str) -> Diagnostic {
    at(
        Code::KernelDependsOnDomain,
        c,
        format!(
            "the shared kernel's `{}` names `{}` of domain `{domain}`; the kernel is extracted \
             first and may depend on no domain",
            c.source, c.target
        ),
        Some(domain),
    )
    .with_help(format!(
        "move `{}` into the kernel, or move the kernel code that needs it into `{domain}`",
        c.target
    ))
}

pub fn macro_used(c: &Crossing<'_>, owner_of_macro: &str) -> Diagnostic {
    at(
        Code::MonolithMacroUsed,
        c,
        format!(
            "`{}` uses the `macro_rules!` `{}` of {owner_of_macro}; textual macro scope does \
             not cross crates",
            c.source, c.target
        ),
        None,
    )
    .with_help("move the macro into the kernel with `#[macro_export]`, or replace it by a function")
}

/// The event that would replace a call across a cycle: one the calling domain publishes
/// and the called one already subscribes to (the spec's own plan), or one the called domain
/// publishes.
pub enum Replacement {
    Publish(String),
    Subscribe(String),
}

pub fn cycle(
    c: &Crossing<'_>,
    to_domain: &str,
    cycle: &[String],
    event: Option<Replacement>,
) -> Diagnostic {
    let loop_text = cycle.join(" -> ");
    let help = match event {
        Some(Replacement::Publish(e)) => format!(
            "publish `{e}` from `{}` instead of calling `{}`: `{to_domain}` already \
             subscribes to it",
            c.from_unit, c.target
        ),
        Some(Replacement::Subscribe(e)) => format!(
            "replace the call by the event `{e}` that `{to_domain}` publishes (subscribe to \
             it in `{}`), or invert the dependency",
            c.from_unit
        ),
        None => format!(
            "declare an event of `{to_domain}` for what `{}` needs and subscribe to it, or \
             move `{}` into the kernel",
            c.from_unit, c.target
        ),
    };
    at(
        Code::DomainCycleBlocksSplit,
        c,
        format!(
            "`{}` names `{}` of domain `{to_domain}`, in the cycle {loop_text}",
            c.source, c.target
        ),
        Some(to_domain),
    )
    .with_help(help)
}

/// One blocker for all the references of `from_unit` to the blocked unit `to`: the cause is
/// in `to`, where its own blockers are listed.
pub fn depends_on_blocked(from_unit: &str, to: &str, crossings: &[Crossing<'_>]) -> Diagnostic {
    let mut items: Vec<&str> = crossings.iter().map(|c| c.target).collect();
    items.sort();
    items.dedup();
    let shown: Vec<String> = items.iter().take(5).map(|i| format!("`{i}`")).collect();
    let more = if items.len() > 5 {
        format!(" and {} more", items.len() - 5)
    } else {
        String::new()
    };
    let mut d = Diagnostic::error(
        Code::DependsOnBlockedDomain,
        format!(
            "`{from_unit}` names {}{more} of `{to}`, which cannot be extracted",
            shown.join(", ")
        ),
    )
    .with_help(format!(
        "this unblocks once `{to}` is extracted (see its blockers)"
    ));
    for c in crossings {
        d = d.with_label(Label::primary(c.location.clone(), c.kind));
    }
    if let Some(first) = crossings.first() {
        d = d.with_subject(Subject {
            from_domain: Some(from_unit.to_string()),
            to_domain: Some(to.to_string()),
            module: first.module.to_string(),
            source: from_unit.to_string(),
            target: to.to_string(),
            kind: "depends",
        });
    }
    d
}

pub fn orphan(c: &Crossing<'_>, why: &str) -> Diagnostic {
    at(
        Code::OrphanImplAfterSplit,
        c,
        format!("the impl of `{}` in `{}` {why}", c.target, c.module),
        None,
    )
    .with_help("move the impl next to its type (or its trait) before splitting")
}

pub fn unresolved(location: Location, from_unit: &str, path: &str) -> Diagnostic {
    Diagnostic::error(
        Code::UnresolvedPathInDomain,
        format!(
            "`{path}` in `{from_unit}` names nothing fissure can resolve, so it cannot be rewritten"
        ),
    )
    .with_label(Label::primary(location, "unresolved"))
    .with_help("spell the path out (a macro may make it), or move what it names into the domain")
}
