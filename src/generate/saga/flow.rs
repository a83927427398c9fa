//! The module of one saga in its owner's generated code (`<saga>_saga`), laid out as it is:
//! the step table the runtime's engine runs (`DEFINITION`), the states enum, the `Steps`
//! trait the user implements, the `Flow` that turns engine actions into the commands `Steps`
//! builds, the engine constructor, scripted participants, and the tests ([`super::test_module`]).

use proc_macro2::TokenStream;
use quote::quote;

use super::{
    Invoked, MAX_ATTEMPTS, OutcomePlan, SagaPlan, builders, event_path, request_expr, return_type,
    types,
};
use crate::generate::GenError;
use crate::generate::names::{ident, pascal, previous_types, saga_module};
use crate::generate::types::doc_attrs;
use crate::spec::{Event, Spec};

pub fn module(spec: &Spec, p: &SagaPlan<'_>) -> Result<TokenStream, GenError> {
    let saga = p.saga;
    let module = ident(&saga_module(&saga.name), Some(&saga.location))?;
    let doc = doc_attrs(saga.description.as_deref());
    let summary = format!(
        " The `{}` saga: started by `{}`, one instance per `{}`.",
        saga.name, p.start.name, saga.correlate_by.value
    );
    let imports = imports(p);
    let definition = definition(spec, p)?;
    let states = states(p)?;
    let steps = steps_trait(p)?;
    let flow = flow(p)?;
    let scripts = scripts(p)?;
    let tests = super::test_module::tests(p)?;
    Ok(quote! {
        #doc
        #[doc = #summary]
        pub mod #module {
            #imports
            #definition
            #states
            #steps
            #flow

            /// The engine of this saga over `store`, publishing on `publisher`.
            pub fn engine<U: Steps, S: SagaStore, P: Publisher>(steps: U, store: S, publisher: P) -> SagaEngine<Flow<U>, S, P> {
                SagaEngine::new(Flow(steps), store, publisher)
            }

            #scripts

            #tests
        }
    })
}

/// The imports of the module: the `Command`/`Event` traits only when the flow sends
/// commands or publishes events (unused imports are warnings).
fn imports(p: &SagaPlan<'_>) -> TokenStream {
    let outcomes = [&p.on_success, &p.on_failure];
    let sends_commands = p
        .steps
        .iter()
        .any(|s| s.invoke.is_some() || s.compensation.is_some())
        || outcomes
            .iter()
            .any(|o| matches!(o, Some(OutcomePlan::Command(_))));
    let publishes_events = outcomes
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
    quote! {
        use std::time::Duration;

        #trait_imports
        use fissure_runtime::saga::{
            SagaAction, SagaContext, SagaDef, SagaEngine, SagaFlow, SagaStatus, SagaStore,
            StepDef,
        };
        use fissure_runtime::{Envelope, Publisher};
    }
}

/// `NAME`, `SOURCE` and `DEFINITION`, the step table.
fn definition(spec: &Spec, p: &SagaPlan<'_>) -> Result<TokenStream, GenError> {
    let saga = p.saga;
    let name = &saga.name;
    let correlate_by = &saga.correlate_by.value;
    let start = event_path(p.start)?;
    let source = format!("{}/{}", spec.system.value, saga.owner.value);
    // The spec's `timeout` (30 s by default), written in whole seconds when it is one.
    let millis = u64::try_from(saga.timeout.as_millis()).unwrap_or(u64::MAX);
    let timeout = if millis % 1_000 == 0 {
        let secs = millis / 1_000;
        quote!(Duration::from_secs(#secs))
    } else {
        quote!(Duration::from_millis(#millis))
    };
    let attempts = MAX_ATTEMPTS;
    let versions = versions(spec, p)?;
    let mut step_defs = Vec::new();
    for s in &p.steps {
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
    }
    Ok(quote! {
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
            versions: &[#(#versions),*],
        };
    })
}

/// `EventVersions::of::<E>()` for every event the saga listens to that has older versions:
/// the engine accepts those too, upcast, while their producers are not yet upgraded.
fn versions(spec: &Spec, p: &SagaPlan<'_>) -> Result<Vec<TokenStream>, GenError> {
    let replies = p.steps.iter().flat_map(|s| {
        let compensation = s.compensation.iter().flat_map(|(_, r)| r.iter().copied());
        s.success
            .iter()
            .chain(&s.failure)
            .copied()
            .chain(compensation)
    });
    let mut seen = std::collections::BTreeSet::new();
    std::iter::once(p.start)
        .chain(replies)
        .filter(|e| seen.insert(e.name.as_str()))
        .filter(|e| !previous_types(&spec.system.value, e).is_empty())
        .map(|e| {
            let path = event_path(e)?;
            Ok(quote!(fissure_runtime::saga::EventVersions::of::<#path>()))
        })
        .collect()
}

/// `State`: one variant per step, then compensating, completed, failed.
fn states(p: &SagaPlan<'_>) -> Result<TokenStream, GenError> {
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for (n, s) in p.steps.iter().enumerate() {
        let variant = ident(&pascal(s.name), None)?;
        let doc = format!(" Waiting for step `{}`.", s.name);
        variants.push(quote!(#[doc = #doc] #variant));
        arms.push(quote!(SagaStatus::Running { step: #n } => Self::#variant));
    }
    Ok(quote! {
        /// Where an instance is: one state per step, then compensating, completed, failed.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum State {
            #(#variants,)*
            /// Undoing the completed steps, last first.
            Compensating,
            Completed,
            Failed,
        }

        impl State {
            pub fn of(status: SagaStatus) -> Self {
                match status {
                    #(#arms,)*
                    SagaStatus::Running { .. } | SagaStatus::Compensating { .. } => Self::Compensating,
                    SagaStatus::Completed => Self::Completed,
                    SagaStatus::Failed => Self::Failed,
                }
            }
        }
    })
}

/// `Steps`: one builder method per command the saga sends or event it publishes.
fn steps_trait(p: &SagaPlan<'_>) -> Result<TokenStream, GenError> {
    let mut methods = Vec::new();
    for (method, doc, _) in builders(p) {
        let m = ident(&method, None)?;
        let ret = return_type(p, &method)?;
        let doc = format!(" {doc}");
        methods.push(quote! {
            #[doc = #doc]
            fn #m(&self, saga: SagaContext<'_>) -> #ret;
        });
    }
    Ok(quote! {
        /// The business parts, implemented in `src/sagas.rs` (yours): which command each
        /// step sends, with which data. The flow is generated.
        pub trait Steps: Send + Sync + 'static {
            #(#methods)*
        }
    })
}

/// `Flow`: the engine's actions (invoke, compensate, succeed, fail) as the envelopes the
/// `Steps` methods build.
fn flow(p: &SagaPlan<'_>) -> Result<TokenStream, GenError> {
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
    let succeed_arm = outcome_arm(&p.on_success, quote!(SagaAction::Succeed), "on_success")?;
    let fail_arm = outcome_arm(&p.on_failure, quote!(SagaAction::Fail), "on_failure")?;
    Ok(quote! {
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
    })
}

fn outcome_arm(
    o: &Option<OutcomePlan<'_>>,
    action: TokenStream,
    method: &str,
) -> Result<TokenStream, GenError> {
    let m = ident(method, None)?;
    Ok(match o {
        Some(OutcomePlan::Command(_)) => {
            quote!(#action => Some(self.0.#m(saga).to_envelope(SOURCE)))
        }
        Some(OutcomePlan::Event(_)) => {
            quote!(#action => Some(self.0.#m(saga).to_envelope(None)))
        }
        None => quote!(#action => None),
    })
}

/// `scripts()`: how stand-in participants answer each request (tests, the demo's failure
/// case): every request with its success and failure reply.
fn scripts(p: &SagaPlan<'_>) -> Result<TokenStream, GenError> {
    let mut scripts = Vec::new();
    for s in &p.steps {
        if let Some(i) = &s.invoke {
            scripts.push(script(
                i,
                s.success.first().copied(),
                s.failure.first().copied(),
            )?);
        }
        if let Some((i, replies)) = &s.compensation {
            scripts.push(script(i, replies.first().copied(), None)?);
        }
    }
    for o in [&p.on_success, &p.on_failure] {
        if let Some(OutcomePlan::Command(i)) = o {
            scripts.push(script(i, None, None)?);
        }
    }
    Ok(quote! {
        /// How stand-in participants answer each request (tests, the demo's failure case).
        pub fn scripts() -> Vec<fissure_runtime::saga::Script> {
            vec![#(#scripts),*]
        }
    })
}

fn script(
    i: &Invoked<'_>,
    ok: Option<&Event>,
    ko: Option<&Event>,
) -> Result<TokenStream, GenError> {
    let request = request_expr(i)?;
    let (ok, ko) = (scripted_reply(ok)?, scripted_reply(ko)?);
    Ok(quote!(fissure_runtime::saga::Script { request_type: #request, success: #ok, failure: #ko }))
}

fn scripted_reply(e: Option<&Event>) -> Result<TokenStream, GenError> {
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
}
