//! What generation reads of the spec beyond its plain fields, shared by the generators of
//! every file: a domain's handler methods, the events it publishes, a command's outcomes and
//! method name, the sagas it runs and the commands sagas ask it to run.

use std::collections::BTreeSet;

use super::names::snake;
use crate::spec::{Command, CommandRef, Domain, Event, Saga, SagaOutcome, Spec, StepAction};

/// One method of the `Handle` trait: its name and the event it handles.
pub struct HandlerMethod<'a> {
    pub method: String,
    pub event: &'a Event,
}

/// The handler methods of `domain`, in subscription order. A handler name the spec gives to
/// several subscriptions becomes one method per event (`<handler>_<event>`): a method takes
/// one event type.
pub fn handler_methods<'a>(spec: &'a Spec, domain: &Domain) -> Vec<HandlerMethod<'a>> {
    domain
        .subscribes
        .iter()
        .filter_map(|s| {
            let event = spec.events.get(&s.event.value)?;
            let shared = domain
                .subscribes
                .iter()
                .filter(|o| o.handler.value == s.handler.value)
                .count()
                > 1;
            let method = if shared {
                format!("{}_{}", s.handler.value, snake(&event.name))
            } else {
                s.handler.value.clone()
            };
            Some(HandlerMethod { method, event })
        })
        .collect()
}

/// The events `domain` publishes.
pub fn own_events<'a>(spec: &'a Spec, domain: &Domain) -> Vec<&'a Event> {
    spec.events
        .values()
        .filter(|e| e.from.value == domain.name)
        .collect()
}

/// The outcomes of a command: what it emits, then what it rejects with.
pub fn outcomes(command: &Command) -> Vec<&str> {
    command
        .emits
        .iter()
        .chain(&command.rejects_with)
        .map(|e| e.value.as_str())
        .collect()
}

/// The method that decides and runs a command: `RegisterUser` -> `register_user`.
pub fn command_method(command: &Command) -> String {
    snake(&command.name)
}

/// The sagas `domain` runs.
pub fn owned_sagas<'a>(spec: &'a Spec, domain: &Domain) -> Vec<&'a Saga> {
    spec.sagas
        .values()
        .filter(|s| s.owner.value == domain.name)
        .collect()
}

/// The commands of `domain` some saga sends as a request, by name.
pub fn requested_commands<'a>(spec: &'a Spec, domain: &'a Domain) -> Vec<&'a Command> {
    let mut names = BTreeSet::new();
    for saga in spec.sagas.values() {
        for r in saga_commands(saga) {
            if r.domain == domain.name {
                names.insert(r.command.as_str());
            }
        }
    }
    names
        .into_iter()
        .filter_map(|n| domain.commands.get(n))
        .collect()
}

/// The commands `saga` sends as requests: its steps' invocations and compensations, then
/// its outcomes' commands.
pub fn saga_commands(saga: &Saga) -> impl Iterator<Item = &CommandRef> {
    let outcomes = [&saga.on_success, &saga.on_failure]
        .into_iter()
        .filter_map(|o| match o {
            Some(SagaOutcome::Command(r)) => Some(r),
            _ => None,
        });
    let steps = saga.steps.iter().flat_map(|s| {
        let invoke = match &s.action {
            StepAction::Invoke(r) => Some(r),
            StepAction::Await(_) => None,
        };
        invoke.into_iter().chain(s.compensate.as_ref())
    });
    steps.chain(outcomes)
}
