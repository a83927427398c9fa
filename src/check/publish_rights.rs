//! Publish rights in code that uses a generated events crate (a generated workspace, or a
//! monolith after `split`): the spec says who owns each event and who subscribes, and the
//! code must agree. An event struct of the events crate built outside its owner's domain is
//! `foreign-event-constructed` (only the owner publishes it); one named by a domain that
//! neither owns it, subscribes to it, nor runs a saga awaiting it is
//! `undeclared-subscription`. Code belongs to a domain by the spec's module patterns, or,
//! in a generated workspace, by its service crate (`<domain>_service`).

use std::collections::BTreeSet;

use crate::codebase::ModuleId;
use crate::diagnostics::{Code, Diagnostic, Label};
use crate::resolve::{ItemId, Reference, Target};
use crate::spec::{Event, ModuleOwner, Spec};
use crate::syntax::RefKind;

use super::rules::Inputs;

/// The crate every generated workspace keeps its events in.
const EVENTS_CRATE: &str = "events";

pub fn publish_rights(inp: &Inputs<'_>) -> Vec<Diagnostic> {
    let foreign: Vec<(&Reference, &str, &Event)> = (inp.res.refs.iter())
        .filter_map(|r| {
            let (domain, event) = foreign_event(inp, r)?;
            Some((r, domain, event))
        })
        .collect();
    // Code that builds a foreign event names it in other ways too (its return type,
    // `example()`); the construction is the finding there, not a subscription.
    let builders: BTreeSet<(Option<ItemId>, &str)> = (foreign.iter())
        .filter(|(r, _, _)| r.kind == RefKind::Construct)
        .map(|(r, _, e)| (r.from_item, e.name.as_str()))
        .collect();
    let mut out = Vec::new();
    for (r, domain, event) in foreign {
        if r.kind == RefKind::Construct {
            out.push(foreign_construct(inp, r, domain, event));
        } else if !builders.contains(&(r.from_item, event.name.as_str()))
            && !readers(inp.spec, event).contains(domain)
        {
            out.push(undeclared(inp, r, domain, event));
        }
    }
    out
}

/// The domain of `r`'s code and the event of the events crate it names, when the event is
/// another domain's.
fn foreign_event<'a>(inp: &Inputs<'a>, r: &Reference) -> Option<(&'a str, &'a Event)> {
    let Target::Item(target) = r.target else {
        return None;
    };
    let item = inp.res.item(target);
    if item.path.split("::").next() != Some(EVENTS_CRATE) {
        return None;
    }
    let event = inp.spec.events.get(&item.name)?;
    let domain = domain_of(inp, r.from_module)?;
    (domain != event.from.value).then_some((domain, event))
}

/// The domain a module belongs to: by the spec's patterns, else by its service crate.
fn domain_of<'a>(inp: &Inputs<'a>, m: ModuleId) -> Option<&'a str> {
    if let ModuleOwner::Domain(d) = inp.map.owners[m.0 as usize] {
        return Some(d);
    }
    let krate = inp.cb.module(m).path.split("::").next()?;
    let name = krate.strip_suffix("_service")?;
    inp.spec
        .domains
        .get_key_value(name)
        .map(|(k, _)| k.as_str())
}

/// The domains that may read `event`: its subscribers and the owners of sagas awaiting it.
fn readers<'s>(spec: &'s Spec, event: &Event) -> BTreeSet<&'s str> {
    let mut out: BTreeSet<&str> = (spec.domains.values())
        .filter(|d| d.subscribes.iter().any(|s| s.event.value == event.name))
        .map(|d| d.name.as_str())
        .collect();
    for saga in spec.sagas.values() {
        let Ok(plan) = crate::generate::saga::plan(spec, saga) else {
            continue;
        };
        let awaited = std::iter::once(plan.start).chain(plan.steps.iter().flat_map(|s| {
            let undo = s.compensation.iter().flat_map(|(_, e)| e.iter().copied());
            s.success.iter().chain(&s.failure).copied().chain(undo)
        }));
        if awaited.into_iter().any(|e| e.name == event.name) {
            out.insert(saga.owner.value.as_str());
        }
    }
    out
}

fn subject(
    inp: &Inputs<'_>,
    r: &Reference,
    domain: &str,
    event: &Event,
) -> crate::diagnostics::Subject {
    crate::diagnostics::Subject {
        from_domain: Some(domain.to_owned()),
        to_domain: Some(event.from.value.clone()),
        module: inp.cb.module(r.from_module).path.clone(),
        source: match r.from_item {
            Some(i) => inp.res.item(i).path.clone(),
            None => inp.cb.module(r.from_module).path.clone(),
        },
        target: format!("{EVENTS_CRATE}::{}", event.name),
        kind: r.kind.as_str(),
    }
}

fn foreign_construct(inp: &Inputs<'_>, r: &Reference, domain: &str, event: &Event) -> Diagnostic {
    Diagnostic::error(
        Code::ForeignEventConstructed,
        format!(
            "`{domain}` builds `{}`, an event only `{}` publishes",
            event.name, event.from.value
        ),
    )
    .with_label(Label::primary(inp.location(r), "built here"))
    .with_label(Label::secondary(
        event.from.location.clone(),
        format!("`{}` owns it", event.from.value),
    ))
    .with_help(format!(
        "send `{}` a command that emits `{}`, or publish an event of `{domain}`",
        event.from.value, event.name
    ))
    .with_subject(subject(inp, r, domain, event))
}

fn undeclared(inp: &Inputs<'_>, r: &Reference, domain: &str, event: &Event) -> Diagnostic {
    Diagnostic::error(
        Code::UndeclaredSubscription,
        format!(
            "`{domain}` reads `{}`, but the spec does not subscribe it",
            event.name
        ),
    )
    .with_label(Label::primary(inp.location(r), r.kind.as_str()))
    .with_label(Label::secondary(
        inp.declared(domain),
        format!("`{domain}` has no subscription to `{}`", event.name),
    ))
    .with_help(format!(
        "add `{}` to the `subscribes` of `{domain}`",
        event.name
    ))
    .with_subject(subject(inp, r, domain, event))
}
