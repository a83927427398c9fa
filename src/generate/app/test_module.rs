//! Generates the `mod tests` of the app: the event with the most subscribers reaches every
//! subscribing service over the memory bus, a duplicate of it is handled once, and a handler
//! that always fails is retried, then dead-lettered.

use proc_macro2::TokenStream;
use quote::quote;

use super::Wired;
use super::demo::subscribers;
use crate::generate::GenError;
use crate::generate::names::ident;
use crate::generate::spec_view::handler_methods;
use crate::spec::{Event, Spec};

/// Nothing when no event has a subscriber.
pub(super) fn tests(spec: &Spec, wired: &[Wired<'_>]) -> Result<TokenStream, GenError> {
    let Some((event, subs)) = most_subscribed(spec, wired) else {
        return Ok(quote!());
    };
    let event_ident = ident(&event.name, None)?;
    let checks: Vec<TokenStream> = subs
        .iter()
        .filter_map(|(w, method)| {
            let dispatcher = w.dispatcher.as_ref()?;
            Some(quote! {
                assert_eq!(app.#dispatcher.handled().iter().filter(|m| **m == #method).count(), 1, "{} once", #method);
            })
        })
        .collect();
    let failing = failing_handler(spec, subs[0].0)?;
    let failing_krate = &subs[0].0.krate;
    Ok(quote! {
        #[cfg(test)]
        mod tests {
            use std::sync::atomic::{AtomicU32, Ordering};
            use std::time::Duration;

            use events::Event;
            use fissure_runtime::{MemoryBus, Publisher};

            use super::*;

            fn fast_retry() -> RetryPolicy {
                RetryPolicy::default()
                    .with_max_attempts(3)
                    .with_backoff(Duration::from_millis(1), Duration::from_millis(4))
                    .with_jitter(false)
            }

            #[tokio::test]
            async fn an_event_reaches_every_subscribing_service_over_the_memory_bus() {
                let app = App::start(MemoryBus::new(), fast_retry()).await.expect("the app starts");
                let envelope = events::#event_ident::example().to_envelope(None);
                app.bus.publish(envelope).await.expect("the bus accepts the event");
                app.bus.drain().await;
                #(#checks)*
            }

            #[tokio::test]
            async fn a_duplicate_delivery_is_handled_once() {
                let app = App::start(MemoryBus::new(), fast_retry()).await.expect("the app starts");
                let envelope = events::#event_ident::example().to_envelope(None);
                app.bus.publish(envelope.clone()).await.expect("the bus accepts the event");
                app.bus.publish(envelope).await.expect("the bus accepts the duplicate");
                app.bus.drain().await;
                #(#checks)*
            }

            #failing

            #[tokio::test]
            async fn a_failing_handler_is_retried_then_dead_lettered() {
                let bus = MemoryBus::new();
                let failing = Arc::new(Failing { calls: AtomicU32::new(0) });
                #failing_krate::subscribe(&bus, Arc::clone(&failing), fast_retry()).await.expect("subscribes");
                bus.publish(events::#event_ident::example().to_envelope(None)).await.expect("the bus accepts the event");
                bus.drain().await;
                assert_eq!(failing.calls.load(Ordering::SeqCst), 3);
                let dead = bus.dead_letters(#failing_krate::SUBSCRIPTION).await.expect("dead letters list");
                assert_eq!(dead.len(), 1);
                assert_eq!(dead[0].attempts, 3);
                assert_eq!(dead[0].envelope.event_type(), events::#event_ident::TYPE);
            }
        }
    })
}

/// The event with the most subscribers (the first by name on a tie), which carries the flow
/// test and the duplicate test, with its subscribers.
fn most_subscribed<'a>(
    spec: &'a Spec,
    wired: &'a [Wired<'a>],
) -> Option<(&'a Event, Vec<(&'a Wired<'a>, String)>)> {
    spec.events
        .values()
        .map(|e| (e, subscribers(spec, wired, e)))
        .filter(|(_, s)| !s.is_empty())
        .max_by(|a, b| {
            a.1.len()
                .cmp(&b.1.len())
                .then_with(|| b.0.name.cmp(&a.0.name))
        })
}

/// `Failing`: the first subscriber's `Handle`, every method failing transiently.
fn failing_handler(spec: &Spec, w: &Wired<'_>) -> Result<TokenStream, GenError> {
    let krate = &w.krate;
    let methods = handler_methods(spec, w.domain)
        .into_iter()
        .map(|m| {
            let method = ident(&m.method, None)?;
            let ev = ident(&m.event.name, None)?;
            Ok(quote! {
                fn #method(&self, _event: &events::#ev, _out: &mut #krate::Emitter<'_>) -> Result<(), HandlerError> {
                    self.calls.fetch_add(1, Ordering::SeqCst);
                    Err(HandlerError::transient("injected failure"))
                }
            })
        })
        .collect::<Result<Vec<_>, GenError>>()?;
    Ok(quote! {
        struct Failing {
            calls: AtomicU32,
        }

        impl #krate::Handle for Failing {
            #(#methods)*
        }
    })
}
