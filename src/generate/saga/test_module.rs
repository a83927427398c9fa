//! Generates the `mod tests` of a saga module: the happy path, each step before the pivot
//! failing with the exact compensations in reverse order, a timeout on paused time, a
//! duplicate reply, a restart in the middle (a new engine over the same store), and, for a
//! step whose success event has a declared upcast, that event's previous version advancing it.

use proc_macro2::TokenStream;
use quote::quote;

use super::{
    SagaPlan, builders, event_path, outcome_request, pivot, request_expr, return_type, step_request,
};
use crate::generate::GenError;
use crate::generate::names::{ident, snake};
use crate::spec::UpcastRule;

/// The requests a run that fails at step `at` sends, in order.
fn failing_run(p: &SagaPlan<'_>, at: usize) -> Result<Vec<TokenStream>, GenError> {
    let mut out = Vec::new();
    for s in &p.steps[..=at] {
        if let Some(i) = &s.invoke {
            out.push(request_expr(i)?);
        }
    }
    for s in p.steps[..at].iter().rev() {
        if let Some((i, _)) = &s.compensation {
            out.push(request_expr(i)?);
        }
    }
    out.extend(outcome_request(&p.on_failure)?);
    Ok(out)
}

fn happy_run(p: &SagaPlan<'_>, from: usize) -> Result<Vec<TokenStream>, GenError> {
    let mut out = Vec::new();
    for s in &p.steps[from..] {
        if let Some(i) = &s.invoke {
            out.push(request_expr(i)?);
        }
    }
    out.extend(outcome_request(&p.on_success)?);
    Ok(out)
}

pub fn tests(p: &SagaPlan<'_>) -> Result<TokenStream, GenError> {
    let happy = happy_run(p, 0)?;
    let world = world(p)?;
    let failing = failing_tests(p)?;
    let timeout = timeout_test(p)?;
    let duplicate_and_restart = duplicate_and_restart_tests(p)?;
    let older_replies = older_reply_tests(p)?;
    Ok(quote! {
        #[cfg(test)]
        mod tests {
            #world

            #[tokio::test(start_paused = true)]
            async fn the_happy_path_runs_every_step_then_succeeds() {
                let w = world(MemorySagaStore::new()).await;
                w.run().await;
                assert_eq!(w.status().await, SagaStatus::Completed);
                assert_eq!(State::of(w.status().await), State::Completed);
                assert_eq!(w.participants.received(), [#(#happy),*]);
            }

            #(#failing)*

            #timeout

            #duplicate_and_restart

            #(#older_replies)*
        }
    })
}

/// The test module's imports, `Examples` (the starting `Steps`) and `World`: a bus, the
/// engine and scripted participants.
fn world(p: &SagaPlan<'_>) -> Result<TokenStream, GenError> {
    let start = event_path(p.start)?;
    let correlate_by = &p.saga.correlate_by.value;
    let mut methods = Vec::new();
    for (method, _, _) in builders(p) {
        let m = ident(&method, None)?;
        let ret = return_type(p, &method)?;
        methods.push(quote! {
            fn #m(&self, saga: SagaContext<'_>) -> #ret { saga.fill(#ret::example()) }
        });
    }
    Ok(quote! {
        use std::sync::Arc;

        use events::Event as _;
        use fissure_runtime::saga::{MemorySagaStore, Participants, SagaInstance};
        use fissure_runtime::{MemoryBus, Transport, serde_json};

        use super::*;

        /// The starting implementation of `Steps`, so the flow is tested on its own.
        struct Examples;

        impl Steps for Examples {
            #(#methods)*
        }

        struct World {
            bus: MemoryBus,
            engine: Arc<SagaEngine<Flow<Examples>, MemorySagaStore, MemoryBus>>,
            participants: Participants<MemoryBus>,
        }

        async fn world(store: MemorySagaStore) -> World {
            let bus = MemoryBus::new();
            let engine = Arc::new(engine(Examples, store, bus.clone()));
            bus.subscribe(engine.subscription(), Arc::clone(&engine)).await.expect("subscribes");
            let participants = Participants::new(bus.clone(), #correlate_by, scripts());
            bus.subscribe(participants.subscription(), participants.clone()).await.expect("subscribes");
            World { bus, engine, participants }
        }

        impl World {
            /// Publishes the start event and waits until nothing moves.
            async fn run(&self) -> Envelope {
                let start = #start::example().to_envelope(None);
                self.bus.publish(start.clone()).await.expect("publishes");
                self.bus.drain().await;
                start
            }

            async fn instance(&self) -> SagaInstance {
                let key = fissure_runtime::saga::key_of(
                    &serde_json::to_value(#start::example()).expect("serializes"),
                    #correlate_by,
                )
                .expect("the start event has the correlation field");
                self.engine.instance(&key).await.expect("loads").expect("the saga started")
            }

            async fn status(&self) -> SagaStatus {
                self.instance().await.status
            }
        }
    })
}

/// One test per step up to the pivot: it fails (by its failure event, or by a timeout when
/// it has none) and the completed steps are compensated in reverse order.
fn failing_tests(p: &SagaPlan<'_>) -> Result<Vec<TokenStream>, GenError> {
    let last_open = pivot(p).unwrap_or(p.steps.len() - 1);
    let mut failing = Vec::new();
    for (n, s) in p.steps.iter().enumerate().take(last_open + 1) {
        let Some(i) = &s.invoke else { continue };
        let request = request_expr(i)?;
        let expected = failing_run(p, n)?;
        let test = ident(
            &format!("a_failure_of_{}_compensates_in_reverse_order", s.name),
            None,
        )?;
        let provoke = if s.failure.is_empty() {
            quote! {
                w.participants.silence(#request);
                w.run().await;
                tokio::time::advance(DEFINITION.step_timeout + Duration::from_millis(1)).await;
                w.engine.expire_due().await.expect("the sweep runs");
                w.bus.drain().await;
            }
        } else {
            quote! {
                w.participants.fail(#request);
                w.run().await;
            }
        };
        failing.push(quote! {
            #[tokio::test(start_paused = true)]
            async fn #test() {
                let w = world(MemorySagaStore::new()).await;
                #provoke
                assert_eq!(w.status().await, SagaStatus::Failed);
                assert_eq!(w.participants.received(), [#(#expected),*]);
            }
        });
    }
    Ok(failing)
}

/// The first invoking step gets no reply: nothing is due before the timeout, the saga fails
/// after it.
fn timeout_test(p: &SagaPlan<'_>) -> Result<TokenStream, GenError> {
    let Some(n) = p.steps.iter().position(|s| s.invoke.is_some()) else {
        return Ok(quote!());
    };
    let request = step_request(p, n)?;
    let expected = failing_run(p, n)?;
    Ok(quote! {
        #[tokio::test(start_paused = true)]
        async fn a_step_without_reply_times_out_and_the_saga_fails() {
            let w = world(MemorySagaStore::new()).await;
            w.participants.silence(#request);
            w.run().await;
            assert_eq!(w.engine.expire_due().await.expect("the sweep runs"), 0, "not due yet");
            tokio::time::advance(DEFINITION.step_timeout + Duration::from_millis(1)).await;
            assert_eq!(w.engine.expire_due().await.expect("the sweep runs"), 1);
            w.bus.drain().await;
            assert_eq!(w.status().await, SagaStatus::Failed);
            assert_eq!(w.participants.received(), [#(#expected),*]);
            let instance = w.instance().await;
            assert!(instance.failure.as_deref().is_some_and(|f| f.ends_with("timed out")));
        }
    })
}

/// Duplicate: the first step's success reply applied twice. Restart: an engine stops at the
/// last invoking step, a new one over the same store finishes the saga.
fn duplicate_and_restart_tests(p: &SagaPlan<'_>) -> Result<TokenStream, GenError> {
    let first = p.steps.iter().position(|s| s.invoke.is_some());
    let last = p.steps.iter().rposition(|s| s.invoke.is_some());
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(quote!());
    };
    let Some(reply) = p.steps[first].success.first() else {
        return Ok(quote!());
    };
    let first_request = step_request(p, first)?;
    let reply = event_path(reply)?;
    let last_request = step_request(p, last)?;
    let rest = happy_run(p, last)?;
    Ok(quote! {
        #[tokio::test(start_paused = true)]
        async fn a_duplicate_reply_changes_nothing() {
            let w = world(MemorySagaStore::new()).await;
            w.participants.silence(#first_request);
            let start = w.run().await;
            let reply = Envelope::caused_by(
                &start,
                <#reply as events::Event>::SOURCE,
                <#reply as events::Event>::TYPE,
                serde_json::to_value(#reply::example()).expect("the reply serializes"),
            );
            let before = w.instance().await;
            assert!(w.engine.apply(&reply).await.expect("applies"));
            let after = w.instance().await;
            assert_ne!(after, before);
            assert!(!w.engine.apply(&reply).await.expect("applies"), "a duplicate is ignored");
            assert_eq!(w.instance().await, after);
            assert!(!w.engine.apply(&start).await.expect("applies"), "a second start is ignored");
        }

        #[tokio::test(start_paused = true)]
        async fn a_restarted_engine_resumes_the_saga_from_the_store() {
            let store = MemorySagaStore::new();
            let first = world(store.clone()).await;
            first.participants.silence(#last_request);
            first.run().await;
            assert!(first.instance().await.status.is_open());
            first.bus.shutdown().await;
            drop(first);
            let second = world(store).await;
            assert_eq!(second.engine.resume().await.expect("resumes"), 1);
            second.bus.drain().await;
            assert_eq!(second.status().await, SagaStatus::Completed);
            assert_eq!(second.participants.received(), [#(#rest),*]);
        }
    })
}

/// One test per invoking step whose success event has a declared upcast (so the events crate
/// has its `previous_example()`): the step's participant is silent, the previous version of
/// the reply is applied instead, and the saga moves on with the upcast data and completes.
fn older_reply_tests(p: &SagaPlan<'_>) -> Result<Vec<TokenStream>, GenError> {
    let mut tests = Vec::new();
    for (n, s) in p.steps.iter().enumerate() {
        let Some(event) = s.success.first() else {
            continue;
        };
        let declared = event
            .upcast
            .as_ref()
            .is_some_and(|u| matches!(u.rule, UpcastRule::Declared { .. }));
        if s.invoke.is_none() || !declared {
            continue;
        }
        let request = step_request(p, n)?;
        let reply = event_path(event)?;
        let step = s.name;
        let rest = happy_run(p, n + 1)?;
        let test = ident(
            &format!(
                "a_version_{}_{}_advances_step_{}",
                event.version - 1,
                snake(&event.name),
                s.name
            ),
            None,
        )?;
        tests.push(quote! {
            #[tokio::test(start_paused = true)]
            async fn #test() {
                let w = world(MemorySagaStore::new()).await;
                w.participants.silence(#request);
                let start = w.run().await;
                let sent_before = w.participants.received().len();
                let old_type = <#reply as events::Event>::PREVIOUS_TYPES.last().copied().expect("an older version");
                let old = Envelope::caused_by(&start, <#reply as events::Event>::SOURCE, old_type, #reply::previous_example());
                assert!(w.engine.apply(&old).await.expect("applies"), "the older version advances the step");
                let instance = w.instance().await;
                let kept = instance.replies.iter().find(|r| r.step == #step).expect("the step's reply is kept");
                assert_eq!(kept.event_type, <#reply as events::Event>::TYPE, "kept as the current version");
                let upcast = #reply::decode(old_type, &#reply::previous_example()).expect("upcasts");
                assert_eq!(kept.data, serde_json::to_value(upcast).expect("serializes"));
                w.bus.drain().await;
                assert_eq!(w.status().await, SagaStatus::Completed);
                assert_eq!(w.participants.received()[sent_before..], [#(#rest),*]);
            }
        });
    }
    Ok(tests)
}
