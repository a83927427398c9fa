//! Sagas in the owner's service: the plan of a saga (its steps resolved to commands and
//! reply events) and the pieces of the generated `<saga>_saga` module the runtime's engine
//! (`fissure_runtime::saga`) runs: [`flow`] (step table, states, the `Steps` trait the user
//! implements, the flow, scripted participants), [`test_module`] (the saga's generated tests)
//! and [`mermaid`] (the README's sequence diagram).
//!
//! Replies default to the invoked command's declared events: `success_on` to its `emits`,
//! `failure_on` to its `rejects_with`; a compensation waits for its command's events.

mod flow;
mod mermaid;
mod test_module;

use proc_macro2::TokenStream;
use quote::quote;

use super::GenError;
use super::names::ident;
use super::spec_view::owned_sagas;
use crate::spec::{
    Command, CommandRef, Domain, Event, Saga, SagaOutcome, SagaStep, Spec, StepAction,
};

pub use mermaid::mermaid;

/// Sends of a compensation (or of a step after the pivot) before it is given up.
pub const MAX_ATTEMPTS: u32 = 3;

/// A command a saga sends, resolved.
pub struct Invoked<'a> {
    pub domain: &'a str,
    pub command: &'a Command,
}

pub struct StepPlan<'a> {
    pub name: &'a str,
    pub invoke: Option<Invoked<'a>>,
    pub success: Vec<&'a Event>,
    pub failure: Vec<&'a Event>,
    pub compensation: Option<(Invoked<'a>, Vec<&'a Event>)>,
    pub pivot: bool,
}

pub enum OutcomePlan<'a> {
    Command(Invoked<'a>),
    Event(&'a Event),
}

pub struct SagaPlan<'a> {
    pub saga: &'a Saga,
    pub start: &'a Event,
    pub steps: Vec<StepPlan<'a>>,
    pub on_success: Option<OutcomePlan<'a>>,
    pub on_failure: Option<OutcomePlan<'a>>,
}

fn missing(what: String, saga: &Saga) -> GenError {
    GenError {
        message: format!("saga `{}`: {what}", saga.name),
        location: Some(saga.location.clone()),
    }
}

fn resolve<'a>(spec: &'a Spec, saga: &Saga, r: &CommandRef) -> Result<Invoked<'a>, GenError> {
    let (domain, command) = spec
        .domains
        .get(&r.domain)
        .and_then(|d| Some((d.name.as_str(), d.commands.get(&r.command)?)))
        .ok_or_else(|| missing(format!("no command `{}.{}`", r.domain, r.command), saga))?;
    Ok(Invoked { domain, command })
}

fn events<'a>(spec: &'a Spec, names: impl IntoIterator<Item = &'a str>) -> Vec<&'a Event> {
    names
        .into_iter()
        .filter_map(|n| spec.events.get(n))
        .collect()
}

pub fn plan<'a>(spec: &'a Spec, saga: &'a Saga) -> Result<SagaPlan<'a>, GenError> {
    let start = spec
        .events
        .get(&saga.starts_on.value)
        .ok_or_else(|| missing(format!("no event `{}`", saga.starts_on.value), saga))?;
    let steps = saga
        .steps
        .iter()
        .map(|step| step_plan(spec, saga, step))
        .collect::<Result<Vec<_>, GenError>>()?;
    Ok(SagaPlan {
        saga,
        start,
        steps,
        on_success: outcome_plan(spec, saga, &saga.on_success)?,
        on_failure: outcome_plan(spec, saga, &saga.on_failure)?,
    })
}

fn step_plan<'a>(
    spec: &'a Spec,
    saga: &Saga,
    step: &'a SagaStep,
) -> Result<StepPlan<'a>, GenError> {
    let (invoke, mut success, mut failure) = match &step.action {
        StepAction::Invoke(r) => {
            let invoked = resolve(spec, saga, r)?;
            let command = invoked.command;
            let emits = events(spec, command.emits.iter().map(|e| e.value.as_str()));
            let rejects = events(spec, command.rejects_with.iter().map(|e| e.value.as_str()));
            (Some(invoked), emits, rejects)
        }
        StepAction::Await(e) => (None, events(spec, [e.value.as_str()]), Vec::new()),
    };
    if let Some(e) = &step.success_on {
        success = events(spec, [e.value.as_str()]);
    }
    if let Some(e) = &step.failure_on {
        failure = events(spec, [e.value.as_str()]);
    }
    let compensation = match &step.compensate {
        Some(r) => {
            let invoked = resolve(spec, saga, r)?;
            let command = invoked.command;
            let replies = command.emits.iter().chain(&command.rejects_with);
            let replies = events(spec, replies.map(|e| e.value.as_str()));
            Some((invoked, replies))
        }
        None => None,
    };
    Ok(StepPlan {
        name: &step.name,
        invoke,
        success,
        failure,
        compensation,
        pivot: step.pivot,
    })
}

fn outcome_plan<'a>(
    spec: &'a Spec,
    saga: &Saga,
    outcome: &'a Option<SagaOutcome>,
) -> Result<Option<OutcomePlan<'a>>, GenError> {
    Ok(match outcome {
        None => None,
        Some(SagaOutcome::Command(r)) => Some(OutcomePlan::Command(resolve(spec, saga, r)?)),
        Some(SagaOutcome::Event(e)) => {
            Some(OutcomePlan::Event(spec.events.get(&e.value).ok_or_else(
                || missing(format!("no event `{}`", e.value), saga),
            )?))
        }
    })
}

/// The `<saga>_saga` modules of the sagas `domain` runs, for its generated file.
pub fn owned_modules(spec: &Spec, domain: &Domain) -> Result<Vec<TokenStream>, GenError> {
    owned_sagas(spec, domain)
        .into_iter()
        .map(|saga| flow::module(spec, &plan(spec, saga)?))
        .collect()
}

/// `events::commands::billing::CapturePayment`.
pub fn command_path(i: &Invoked<'_>) -> Result<TokenStream, GenError> {
    let domain = ident(i.domain, None)?;
    let name = ident(&i.command.name, Some(&i.command.location))?;
    Ok(quote!(events::commands::#domain::#name))
}

fn event_path(e: &Event) -> Result<TokenStream, GenError> {
    let name = ident(&e.name, Some(&e.location))?;
    Ok(quote!(events::#name))
}

fn types(list: &[&Event]) -> Result<Vec<TokenStream>, GenError> {
    list.iter()
        .map(|e| {
            let p = event_path(e)?;
            Ok(quote!(<#p as events::Event>::TYPE))
        })
        .collect()
}

/// The builder methods of the `Steps` trait: `(method, doc, return type)`, in the order
/// the flow uses them.
pub fn builders(p: &SagaPlan<'_>) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for s in &p.steps {
        if let Some(i) = &s.invoke {
            out.push((
                s.name.to_owned(),
                format!("The request of step `{}`.", s.name),
                format!("{}.{}", i.domain, i.command.name),
            ));
        }
        if let Some((i, _)) = &s.compensation {
            out.push((
                format!("undo_{}", s.name),
                format!("The compensation of step `{}`.", s.name),
                format!("{}.{}", i.domain, i.command.name),
            ));
        }
    }
    for (name, o) in [("on_success", &p.on_success), ("on_failure", &p.on_failure)] {
        match o {
            Some(OutcomePlan::Command(i)) => out.push((
                name.to_owned(),
                format!("What runs when the saga ends ({name})."),
                format!("{}.{}", i.domain, i.command.name),
            )),
            Some(OutcomePlan::Event(e)) => out.push((
                name.to_owned(),
                format!("What is published when the saga ends ({name})."),
                e.name.clone(),
            )),
            None => {}
        }
    }
    out
}

fn return_type(p: &SagaPlan<'_>, method: &str) -> Result<TokenStream, GenError> {
    for s in &p.steps {
        if let Some(i) = &s.invoke
            && method == s.name
        {
            return command_path(i);
        }
        if let Some((i, _)) = &s.compensation
            && method == format!("undo_{}", s.name)
        {
            return command_path(i);
        }
    }
    let outcome = if method == "on_success" {
        &p.on_success
    } else {
        &p.on_failure
    };
    match outcome {
        Some(OutcomePlan::Command(i)) => command_path(i),
        Some(OutcomePlan::Event(e)) => event_path(e),
        None => Err(missing(format!("no builder `{method}`"), p.saga)),
    }
}

/// The request type of a command as an expression (`<C as events::Command>::TYPE`): what
/// the flow sends and the generated tests expect the participants to receive.
fn request_expr(i: &Invoked<'_>) -> Result<TokenStream, GenError> {
    let path = command_path(i)?;
    Ok(quote!(<#path as events::Command>::TYPE))
}

fn outcome_request(o: &Option<OutcomePlan<'_>>) -> Result<Option<TokenStream>, GenError> {
    match o {
        Some(OutcomePlan::Command(i)) => request_expr(i).map(Some),
        _ => Ok(None),
    }
}

/// The request type of step `n`, which invokes a command.
fn step_request(p: &SagaPlan<'_>, n: usize) -> Result<TokenStream, GenError> {
    match &p.steps[n].invoke {
        Some(i) => request_expr(i),
        None => Err(missing(format!("step {n} sends no request"), p.saga)),
    }
}

/// The step index of the pivot, if any: steps after it are retried, not compensated.
fn pivot(p: &SagaPlan<'_>) -> Option<usize> {
    p.steps.iter().position(|s| s.pivot)
}
