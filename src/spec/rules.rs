//! Whole-spec rules that look across domains and types: no module claimed twice at one
//! specificity, commands only emit their own domain's events, no value type contains itself.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Code, Diagnostic};

use super::model::*;
use super::validate::Validator;

impl Validator<'_, '_> {
    /// No module may be claimed by two owners (domains or the shared kernel) at the same
    /// specificity: the most-specific-wins rule could not decide between them.
    pub(crate) fn claims(
        &mut self,
        shared: &[ModulePattern],
        domains: &BTreeMap<DomainName, Domain>,
    ) {
        let mut owners: Vec<(String, &ModulePattern)> = shared
            .iter()
            .map(|p| ("the shared kernel".to_string(), p))
            .collect();
        for domain in domains.values() {
            owners.extend(
                domain
                    .modules
                    .iter()
                    .map(|p| (format!("domain `{}`", domain.name), p)),
            );
        }
        let mut found = Vec::new();
        for (i, (owner, pattern)) in owners.iter().enumerate() {
            for (earlier_owner, earlier) in &owners[..i] {
                if earlier_owner != owner && pattern.overlaps_at_same_specificity(earlier) {
                    let message = format!(
                        "module pattern `{}` of {owner} is also claimed by {earlier_owner} (`{}`)",
                        pattern.text, earlier.text
                    );
                    let help = format!(
                        "{earlier_owner} claims it at {}; keep one, or make one pattern more specific",
                        earlier.location
                    );
                    found.push(
                        Diagnostic::error(Code::ModuleClaimedTwice, message)
                            .at(pattern.location.clone())
                            .with_help(help),
                    );
                }
            }
        }
        for diagnostic in found {
            self.push(diagnostic);
        }
    }

    /// A command publishes only events of its own domain: `from` names the one publisher.
    pub(crate) fn foreign_emits(
        &mut self,
        domains: &BTreeMap<DomainName, Domain>,
        events: &BTreeMap<EventName, Event>,
    ) {
        let mut found = Vec::new();
        for domain in domains.values() {
            for command in domain.commands.values() {
                for emitted in command.emits.iter().chain(&command.rejects_with) {
                    let Some(event) = events.get(&emitted.value) else {
                        continue;
                    };
                    if event.from.value != domain.name && !event.from.value.is_empty() {
                        found.push(
                            Diagnostic::error(
                                Code::ForeignEventEmitted,
                                format!(
                                    "command `{}` of domain `{}` emits `{}`, which domain `{}` publishes",
                                    command.name, domain.name, emitted.value, event.from.value
                                ),
                            )
                            .at(emitted.location.clone())
                            .with_help(format!(
                                "only `{}` publishes `{}`: emit an event of `{}`, or move the command to `{}`",
                                event.from.value, emitted.value, domain.name, event.from.value
                            )),
                        );
                    }
                }
            }
        }
        for diagnostic in found {
            self.push(diagnostic);
        }
    }

    /// A value type that contains itself without a `Vec` in between has no finite size.
    pub(crate) fn recursive_types(&mut self, types: &BTreeMap<TypeName, ValueType>) {
        let edges: BTreeMap<&str, BTreeSet<String>> = types
            .iter()
            .map(|(name, ty)| {
                (
                    name.as_str(),
                    ty.fields
                        .iter()
                        .filter_map(|f| held_inline(&f.ty))
                        .collect(),
                )
            })
            .collect();
        for (name, ty) in types {
            let mut stack: Vec<Vec<String>> = vec![vec![name.clone()]];
            let mut seen = BTreeSet::new();
            while let Some(path) = stack.pop() {
                let last = path.last().cloned().unwrap_or_default();
                for next in edges.get(last.as_str()).into_iter().flatten() {
                    // Reported once per cycle, at its alphabetically first type.
                    if next == name && path.iter().all(|member| member >= name) {
                        let cycle = path
                            .iter()
                            .chain([next])
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(" -> ");
                        self.push(
                            Diagnostic::error(Code::RecursiveType, format!("type `{name}` contains itself: {cycle}"))
                                .at(ty.location.clone())
                                .with_help("wrap the field in `Vec<..>`, or refer to the other value by its id"),
                        );
                        stack.clear();
                        break;
                    }
                    if next != name && seen.insert(next.clone()) {
                        stack.push(path.iter().chain([next]).cloned().collect());
                    }
                }
            }
        }
    }
}

/// The value type a field stores inline (directly or in an `Option`), which makes the
/// containing struct as large as it; a `Vec` stores it on the heap.
fn held_inline(ty: &FieldType) -> Option<String> {
    match ty {
        FieldType::Named(name) => Some(name.clone()),
        FieldType::Option(inner) => held_inline(inner),
        _ => None,
    }
}
