//! The evolution gate: what changed in the event contracts between two specs, and whom it
//! breaks. `compare(old, new)` classifies every change of every event as compatible (a note:
//! a new event, a new optional field, a new or gone subscriber, a version bump) or breaking
//! for its subscribers (a removed, renamed or retyped field, a new required field, a new key
//! or owner, a removed event someone subscribes to). A breaking change is an error unless the
//! event's version went up (then a warning: the subscribers move to the new version; the
//! events already stored keep the old one), and a note when the new version's `upcast`
//! turns the old events into new ones; an upcast that does not cover a change is an error
//! (`upcast-incomplete`, see [`upcast`]). Each finding points at the new spec's line (the old
//! spec's for what was removed) and names the subscribers, each at its subscription.
//!
//! Schema registries (Confluent, Apicurio) promise backward compatibility per subject; this
//! is the same promise per actual subscriber.

mod fields;
mod upcast;

use crate::diagnostics::{Code, Diagnostic, Label, Location, Severity};
use crate::spec::{Event, Spec};

/// Every change of the event contracts from `old` to `new`, breaking ones first, then in
/// event order.
pub fn compare(old: &Spec, new: &Spec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (name, before) in &old.events {
        match new.events.get(name) {
            Some(after) => out.extend(changed_event(new, before, after)),
            None => out.push(removed_event(old, before)),
        }
    }
    for (name, after) in &new.events {
        if !old.events.contains_key(name) {
            out.push(
                note(Code::EventAdded, format!("new event `{name}`"))
                    .with_label(Label::primary(after.location.clone(), "added")),
            );
        }
    }
    out.extend(subscriber_changes(old, new));
    out.sort_by_key(|d| d.severity);
    out
}

/// Whether `compare`'s findings fail the gate.
pub fn breaks(findings: &[Diagnostic]) -> bool {
    findings.iter().any(|d| d.severity == Severity::Error)
}

/// A domain subscribing to an event, and where it says so.
pub(crate) struct Subscriber<'a> {
    pub domain: &'a str,
    pub location: &'a Location,
}

/// The subscribers of `event` in `spec`.
pub(crate) fn subscribers<'a>(spec: &'a Spec, event: &str) -> Vec<Subscriber<'a>> {
    spec.domains
        .values()
        .flat_map(|d| {
            (d.subscribes.iter())
                .filter(move |s| s.event.value == event)
                .map(move |s| Subscriber {
                    domain: &d.name,
                    location: &s.event.location,
                })
        })
        .collect()
}

fn note(code: Code, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Note,
        ..Diagnostic::error(code, message)
    }
}

/// The breaking changes of one event that stayed, and its compatible ones.
fn changed_event(new: &Spec, before: &Event, after: &Event) -> Vec<Diagnostic> {
    let mut changes = fields::field_changes(before, after);
    if before.key.as_ref().map(|k| &k.value) != after.key.as_ref().map(|k| &k.value) {
        let text = |e: &Event| {
            e.key
                .as_ref()
                .map_or("none".to_owned(), |k| format!("`{}`", k.value))
        };
        let at = after.key.as_ref().map_or(&after.location, |k| &k.location);
        changes.push(fields::Change::breaking(
            Code::EventKeyChanged,
            format!(
                "the key of `{}` changed from {} to {}",
                after.name,
                text(before),
                text(after)
            ),
            at.clone(),
            "events of one key stop arriving in order at the subscribers",
        ));
    }
    if before.from.value != after.from.value {
        changes.push(fields::Change::breaking(
            Code::EventOwnerChanged,
            format!(
                "`{}` moved from `{}` to `{}`: its CloudEvents type and channel change",
                after.name, before.from.value, after.from.value
            ),
            after.from.location.clone(),
            "the subscribers listen on the old type",
        ));
    }
    let bumped = after.version > before.version;
    let readers = subscribers(new, &after.name);
    let gaps = if bumped {
        upcast::gaps(before, after)
    } else {
        Vec::new()
    };
    let covered = bumped && after.upcast.is_some() && gaps.is_empty();
    let mut out: Vec<Diagnostic> = changes
        .into_iter()
        .map(|c| {
            if covered && c.is_field_change() {
                c.into_upcast_note(&after.name, before.version)
            } else {
                c.into_diagnostic(&after.name, bumped, &readers)
            }
        })
        .collect();
    out.extend(gaps);
    if after.version != before.version {
        let message = format!(
            "`{}` goes from version {} to {}",
            after.name, before.version, after.version
        );
        let mut d = note(Code::EventVersionChanged, message)
            .with_label(Label::primary(after.location.clone(), "new version"));
        if bumped && after.upcast.is_none() {
            d = d.with_help(
                "events already stored or in flight keep the old version; replaying them \
                 needs the old struct, or an `upcast` that turns them into the new one",
            );
        }
        out.push(d);
    }
    out
}

/// An event gone from the new spec: breaking for the old spec's subscribers.
fn removed_event(old: &Spec, before: &Event) -> Diagnostic {
    let readers = subscribers(old, &before.name);
    if readers.is_empty() {
        return note(
            Code::UnsubscribedEventRemoved,
            format!("`{}` was removed; nobody subscribed to it", before.name),
        )
        .with_label(Label::primary(before.location.clone(), "removed"));
    }
    let names: Vec<String> = readers.iter().map(|r| format!("`{}`", r.domain)).collect();
    let mut d = Diagnostic::error(
        Code::SubscribedEventRemoved,
        format!(
            "`{}` was removed, but {} subscribed to it",
            before.name,
            names.join(", ")
        ),
    )
    .with_label(Label::primary(before.location.clone(), "removed"))
    .with_help("keep publishing it until its subscribers moved on, then remove it");
    for r in &readers {
        d = d.with_label(Label::secondary(
            r.location.clone(),
            format!("`{}` subscribed here", r.domain),
        ));
    }
    d
}

/// Subscriptions that appeared or went away (compatible: the owner's contract is unchanged).
fn subscriber_changes(old: &Spec, new: &Spec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for event in new.events.keys().filter(|e| old.events.contains_key(*e)) {
        let before = subscribers(old, event);
        let after = subscribers(new, event);
        for s in after
            .iter()
            .filter(|s| !before.iter().any(|b| b.domain == s.domain))
        {
            out.push(
                note(
                    Code::SubscriberAdded,
                    format!("`{}` now subscribes to `{event}`", s.domain),
                )
                .with_label(Label::primary(s.location.clone(), "new subscriber")),
            );
        }
        for s in before
            .iter()
            .filter(|s| !after.iter().any(|a| a.domain == s.domain))
        {
            out.push(
                note(
                    Code::SubscriberRemoved,
                    format!("`{}` no longer subscribes to `{event}`", s.domain),
                )
                .with_label(Label::primary(s.location.clone(), "subscription removed")),
            );
        }
    }
    out
}
