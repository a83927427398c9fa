//! Sagas in the owner's service: the per-saga specifics the runtime's engine
//! (`fissure_runtime::saga`) runs — the step table, the states enum, the `Steps` trait the
//! user implements (which command each step sends, with which data), the flow that turns
//! engine actions into command requests, scripted participants and the generated tests.
//!
//! Replies default to the invoked command's declared events: `success_on` to its `emits`,
//! `failure_on` to its `rejects_with`; a compensation waits for its command's events.

use proc_macro2::TokenStream;
use quote::quote;

use super::GenError;
use super::names::{ident, pascal};
use crate::spec::{Command, CommandRef, Domain, Event, Saga, SagaOutcome, Spec, StepAction};

mod flow_tests;
mod mermaid;

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
    let mut steps = Vec::new();
    for step in &saga.steps {
        let (invoke, mut success, mut failure) = match &step.action {
            StepAction::Invoke(r) => {
                let invoked = resolve(spec, saga, r)?;
                let emits = events(spec, invoked.command.emits.iter().map(|e| e.value.as_str()));
                let rejects = events(
                    spec,
                    invoked
                        .command
                        .rejects_with
                        .iter()
                        .map(|e| e.value.as_str()),
                );
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
                let replies = events(
                    spec,
                    command
                        .emits
                        .iter()
                        .chain(&command.rejects_with)
                        .map(|e| e.value.as_str()),
                );
                Some((invoked, replies))
            }
            None => None,
        };
        steps.push(StepPlan {
            name: &step.name,
            invoke,
            success,
            failure,
            compensation,
            pivot: step.pivot,
        });
    }
    let outcome = |o: &'a Option<SagaOutcome>| -> Result<Option<OutcomePlan<'a>>, GenError> {
        Ok(match o {
            None => None,
            Some(SagaOutcome::Command(r)) => Some(OutcomePlan::Command(resolve(spec, saga, r)?)),
            Some(SagaOutcome::Event(e)) => {
                Some(OutcomePlan::Event(spec.events.get(&e.value).ok_or_else(
                    || missing(format!("no event `{}`", e.value), saga),
                )?))
            }
        })
    };
    Ok(SagaPlan {
        saga,
        start,
        steps,
        on_success: outcome(&saga.on_success)?,
        on_failure: outcome(&saga.on_failure)?,
    })
}

/// The sagas `domain` runs.
pub fn owned<'a>(spec: &'a Spec, domain: &Domain) -> Vec<&'a Saga> {
    spec.sagas
        .values()
        .filter(|s| s.owner.value == domain.name)
        .collect()
}

/// The commands of `domain` some saga sends as a request, by name.
pub fn requested<'a>(spec: &'a Spec, domain: &'a Domain) -> Vec<&'a Command> {
    let mut names = std::collections::BTreeSet::new();
    for saga in spec.sagas.values() {
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
        for r in steps.chain(outcomes) {
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

/// The CloudEvents type of a request to run a command.
pub fn request_type(system: &str, domain: &str, command: &str) -> String {
    format!("{system}.{domain}.{command}.request")
}

/// `booking` -> `booking_saga`, the module of a saga in its owner's generated code.
pub fn module_name(saga: &str) -> String {
    format!("{saga}_saga")
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

/// The module of one saga in its owner's generated code.
pub fn module(spec: &Spec, p: &SagaPlan<'_>) -> Result<TokenStream, GenError> {
    let saga = p.saga;
    let system = &spec.system.value;
    let module = ident(&module_name(&saga.name), Some(&saga.location))?;
    let name = &saga.name;
    let correlate_by = &saga.correlate_by.value;
    let start = event_path(p.start)?;
    let source = format!("{system}/{}", saga.owner.value);
    // The spec's `timeout` (30 s by default), written in whole seconds when it is one.
    let millis = u64::try_from(saga.timeout.as_millis()).unwrap_or(u64::MAX);
    let timeout = if millis % 1_000 == 0 {
        let secs = millis / 1_000;
        quote!(Duration::from_secs(#secs))
    } else {
        quote!(Duration::from_millis(#millis))
    };
    let attempts = MAX_ATTEMPTS;
    let doc = super::types::doc_attrs(saga.description.as_deref());
    let summary = format!(
        " The `{name}` saga: started by `{}`, one instance per `{correlate_by}`.",
        p.start.name
    );

    let mut step_defs = Vec::new();
    let mut state_variants = Vec::new();
    let mut state_arms = Vec::new();
    for (n, s) in p.steps.iter().enumerate() {
        let step_name = s.name;
        let invokes = s.invoke.is_some();
        let success = types(&s.success)?;
        let failure = types(&s.failure)?;
        let compensation = match &s.compensation {
            Some((_, replies)) => {
                let replies = types(replies)?;
                quote!(Some(&[#(#replies),*]))
            }
            None => quote!(None),
        };
        let pivot = s.pivot;
        step_defs.push(quote! {
            StepDef {
                name: #step_name,
                invokes: #invokes,
                success_on: &[#(#success),*],
                failure_on: &[#(#failure),*],
                compensation: #compensation,
                pivot: #pivot,
            }
        });
        let variant = ident(&pascal(s.name), None)?;
        let variant_doc = format!(" Waiting for step `{}`.", s.name);
        state_variants.push(quote!(#[doc = #variant_doc] #variant));
        state_arms.push(quote!(SagaStatus::Running { step: #n } => Self::#variant));
    }

    let mut trait_methods = Vec::new();
    for (method, doc, _) in builders(p) {
        let m = ident(&method, None)?;
        let ret = return_type(p, &method)?;
        let doc = format!(" {doc}");
        trait_methods.push(quote! {
            #[doc = #doc]
            fn #m(&self, saga: SagaContext<'_>) -> #ret;
        });
    }

    let mut invoke_arms = Vec::new();
    let mut compensate_arms = Vec::new();
    for (n, s) in p.steps.iter().enumerate() {
        if s.invoke.is_some() {
            let m = ident(s.name, None)?;
            invoke_arms
                .push(quote!(SagaAction::Invoke(#n) => Some(self.0.#m(saga).to_envelope(SOURCE))));
        }
        if s.compensation.is_some() {
            let m = ident(&format!("undo_{}", s.name), None)?;
            compensate_arms.push(
                quote!(SagaAction::Compensate(#n) => Some(self.0.#m(saga).to_envelope(SOURCE))),
            );
        }
    }
    let outcome_arm = |o: &Option<OutcomePlan<'_>>, action: TokenStream, method: &str| {
        let m = ident(method, None)?;
        Ok::<_, GenError>(match o {
            Some(OutcomePlan::Command(_)) => {
                quote!(#action => Some(self.0.#m(saga).to_envelope(SOURCE)))
            }
            Some(OutcomePlan::Event(_)) => {
                quote!(#action => Some(self.0.#m(saga).to_envelope(None)))
            }
            None => quote!(#action => None),
        })
    };
    let succeed_arm = outcome_arm(&p.on_success, quote!(SagaAction::Succeed), "on_success")?;
    let fail_arm = outcome_arm(&p.on_failure, quote!(SagaAction::Fail), "on_failure")?;

    // Scripted participants: every request with its success and failure reply.
    let mut scripts = Vec::new();
    let mut script = |i: &Invoked<'_>, ok: Option<&Event>, ko: Option<&Event>| {
        let request = request_expr(i)?;
        let reply = |e: Option<&Event>| -> Result<TokenStream, GenError> {
            Ok(match e {
                Some(e) => {
                    let path = event_path(e)?;
                    quote!(Some(fissure_runtime::saga::ScriptedReply {
                        event_type: <#path as events::Event>::TYPE,
                        source: <#path as events::Event>::SOURCE,
                        data: fissure_runtime::serde_json::to_value(#path::example()).unwrap_or_default(),
                    }))
                }
                None => quote!(None),
            })
        };
        let (ok, ko) = (reply(ok)?, reply(ko)?);
        scripts.push(quote!(fissure_runtime::saga::Script { request_type: #request, success: #ok, failure: #ko }));
        Ok::<_, GenError>(())
    };
    for s in &p.steps {
        if let Some(i) = &s.invoke {
            script(i, s.success.first().copied(), s.failure.first().copied())?;
        }
        if let Some((i, replies)) = &s.compensation {
            script(i, replies.first().copied(), None)?;
        }
    }
    for o in [&p.on_success, &p.on_failure] {
        if let Some(OutcomePlan::Command(i)) = o {
            script(i, None, None)?;
        }
    }

    let sends_commands = p
        .steps
        .iter()
        .any(|s| s.invoke.is_some() || s.compensation.is_some())
        || [&p.on_success, &p.on_failure]
            .iter()
            .any(|o| matches!(o, Some(OutcomePlan::Command(_))));
    let publishes_events = [&p.on_success, &p.on_failure]
        .iter()
        .any(|o| matches!(o, Some(OutcomePlan::Event(_))));
    let trait_imports = match (sends_commands, publishes_events) {
        (true, true) => quote!(
            use events::{Command as _, Event as _};
        ),
        (true, false) => quote!(
            use events::Command as _;
        ),
        (false, true) => quote!(
            use events::Event as _;
        ),
        (false, false) => quote!(),
    };
    let tests = flow_tests::tests(p)?;
    Ok(quote! {
        #doc
        #[doc = #summary]
        pub mod #module {
            use std::time::Duration;

            #trait_imports
            use fissure_runtime::saga::{
                SagaAction, SagaContext, SagaDef, SagaEngine, SagaFlow, SagaStatus, SagaStore,
                StepDef,
            };
            use fissure_runtime::{Envelope, Publisher};

            /// The saga's name.
            pub const NAME: &str = #name;
            /// The source of the requests it sends.
            pub const SOURCE: &str = #source;

            /// The flow: steps, replies, compensations, pivot.
            pub static DEFINITION: SagaDef = SagaDef {
                name: NAME,
                starts_on: <#start as events::Event>::TYPE,
                correlate_by: #correlate_by,
                steps: &[#(#step_defs),*],
                step_timeout: #timeout,
                max_attempts: #attempts,
            };

            /// Where an instance is: one state per step, then compensating, completed, failed.
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub enum State {
                #(#state_variants,)*
                /// Undoing the completed steps, last first.
                Compensating,
                Completed,
                Failed,
            }

            impl State {
                pub fn of(status: SagaStatus) -> Self {
                    match status {
                        #(#state_arms,)*
                        SagaStatus::Running { .. } | SagaStatus::Compensating { .. } => Self::Compensating,
                        SagaStatus::Completed => Self::Completed,
                        SagaStatus::Failed => Self::Failed,
                    }
                }
            }

            /// The business parts, implemented in `src/sagas.rs` (yours): which command each
            /// step sends, with which data. The flow is generated.
            pub trait Steps: Send + Sync + 'static {
                #(#trait_methods)*
            }

            /// Turns the engine's actions into the requests `Steps` builds.
            pub struct Flow<U>(pub U);

            impl<U: Steps> SagaFlow for Flow<U> {
                fn definition(&self) -> &'static SagaDef {
                    &DEFINITION
                }

                fn message(&self, action: SagaAction, saga: SagaContext<'_>) -> Option<Envelope> {
                    match action {
                        #(#invoke_arms,)*
                        #(#compensate_arms,)*
                        #succeed_arm,
                        #fail_arm,
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }
            }

            /// The engine of this saga over `store`, publishing on `publisher`.
            pub fn engine<U: Steps, S: SagaStore, P: Publisher>(steps: U, store: S, publisher: P) -> SagaEngine<Flow<U>, S, P> {
                SagaEngine::new(Flow(steps), store, publisher)
            }

            /// How stand-in participants answer each request (tests, the demo's failure case).
            pub fn scripts() -> Vec<fissure_runtime::saga::Script> {
                vec![#(#scripts),*]
            }

            #tests
        }
    })
}
