//! The app crate's generated module: wires every service onto one bus chosen at run time
//! (`FISSURE_BUS`, memory by default), the `demo` flow, and the cross-service tests (a flow
//! over the in-memory bus, a duplicate delivery handled once, a failing handler retried then
//! dead-lettered).

use proc_macro2::TokenStream;
use quote::quote;

use super::GenError;
use super::names::{ident, service_crate};
use super::service::{command_method, handler_methods};
use crate::spec::{Domain, Event, Spec};

struct Wired<'a> {
    domain: &'a Domain,
    krate: proc_macro2::Ident,
    service: proc_macro2::Ident,
    dispatcher: Option<proc_macro2::Ident>,
}

pub fn file(spec: &Spec) -> Result<TokenStream, GenError> {
    let system = &spec.system.value;
    let wired = spec
        .domains
        .values()
        .map(|d| {
            Ok(Wired {
                domain: d,
                krate: ident(&service_crate(&d.name), None)?,
                service: ident(&format!("{}_service", d.name), None)?,
                dispatcher: if handler_methods(spec, d).is_empty() {
                    None
                } else {
                    Some(ident(&format!("{}_dispatcher", d.name), None)?)
                },
            })
        })
        .collect::<Result<Vec<_>, GenError>>()?;

    let mut fields = Vec::new();
    let mut inits = Vec::new();
    let mut lets = Vec::new();
    let mut describe = Vec::new();
    for w in &wired {
        let Wired { krate, service, .. } = w;
        fields.push(
            quote!(pub #service: Arc<#krate::Service<#krate::Commands, MemoryEventStore, T>>),
        );
        lets.push(quote!(let #service = Arc::new(#krate::Service::new(#krate::Commands::default(), MemoryEventStore::new(), bus.clone()));));
        if !super::saga::requested(spec, w.domain).is_empty() {
            lets.push(
                quote!(#krate::serve_requests(&bus, Arc::clone(&#service), retry.clone()).await?;),
            );
        }
        inits.push(quote!(#service));
        let line = format!(
            "{}: {} command(s), {} subscription(s)",
            w.domain.name,
            w.domain.commands.len(),
            handler_methods(spec, w.domain).len()
        );
        describe.push(quote!(println!(#line);));
        if let Some(dispatcher) = &w.dispatcher {
            fields.push(quote!(pub #dispatcher: #krate::Dispatcher<#krate::Handlers, T>));
            inits.push(quote!(#dispatcher: #krate::subscribe(&bus, Arc::new(#krate::Handlers::default()), retry.clone()).await?));
        }
    }
    let sagas = super::app_sagas::wiring(spec)?;
    fields.extend(sagas.fields);
    lets.extend(sagas.lets);
    inits.extend(sagas.inits);
    let uses_retry = wired
        .iter()
        .any(|w| w.dispatcher.is_some() || !super::saga::requested(spec, w.domain).is_empty())
        || !spec.sagas.is_empty();
    let retry_param = if uses_retry {
        quote!(retry)
    } else {
        quote!(_retry)
    };

    let demo_steps = demo_steps(spec, &wired)?;
    let saga_demo = sagas.demo;
    let saga_imports = sagas.imports;
    let tests = tests(spec, &wired)?;
    let title = format!(" The `{system}` system: every service wired onto one bus.");
    let usage = format!(
        "usage: {system} [demo]\n  (no argument)  lists the services\n  demo           runs a flow of the spec end to end and prints it\nFISSURE_BUS chooses the transport (memory by default)."
    );
    Ok(quote! {
        #![doc = #title]
        // `Commands` is the user's type: a unit struct at first, maybe not later.
        #![allow(clippy::default_constructed_unit_structs)]
        // Services the demo does not drive are still wired (their handlers run).
        #![allow(dead_code)]

        use std::process::ExitCode;
        use std::sync::{Arc, Mutex, PoisonError};

        use fissure_runtime::{ALL_TYPES, Bus, BusError, Envelope, HandlerError, MemoryEventStore, RetryPolicy, Subscription, Transport, handler_fn};
        #saga_imports

        /// Every service of the system on one bus `T`.
        pub struct App<T> {
            pub bus: T,
            #(#fields,)*
        }

        impl<T: Transport + Clone + 'static> App<T> {
            /// Subscribes every service's handlers to `bus` and builds each command service
            /// (with an in-memory event store), serves the command requests sagas send, and
            /// starts each saga engine (resuming its open instances).
            pub async fn start(bus: T, #retry_param: RetryPolicy) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                #(#lets)*
                Ok(Self { #(#inits,)* bus })
            }
        }

        /// Runs the binary: `demo` runs the flow, no argument lists the services.
        pub fn main() -> ExitCode {
            let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
                Ok(runtime) => runtime,
                Err(e) => {
                    eprintln!("error: cannot start the async runtime: {e}");
                    return ExitCode::from(2);
                }
            };
            let args: Vec<String> = std::env::args().skip(1).collect();
            match args.first().map(String::as_str) {
                None => {
                    #(#describe)*
                    ExitCode::SUCCESS
                }
                Some("demo") => match runtime.block_on(demo()) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("error: {e}");
                        ExitCode::FAILURE
                    }
                },
                Some(_) => {
                    eprintln!(#usage);
                    ExitCode::from(2)
                }
            }
        }

        /// Prints every event published on `bus`, with its correlation and causation.
        async fn tap<T: Transport>(bus: &T) -> Result<Arc<Mutex<Vec<String>>>, BusError> {
            let lines = Arc::new(Mutex::new(Vec::new()));
            let sink = Arc::clone(&lines);
            bus.subscribe(
                Subscription::new("demo.tap", [ALL_TYPES]).with_lanes(1),
                handler_fn(move |e: &Envelope| {
                    let line = format!(
                        "  {} subject={} correlation={} causation={}",
                        e.event_type(),
                        e.subject().unwrap_or("-"),
                        e.correlation_id(),
                        e.causation_id().map_or_else(|| "-".to_owned(), |c| c.to_string()),
                    );
                    sink.lock().unwrap_or_else(PoisonError::into_inner).push(line);
                    async { Ok::<(), HandlerError>(()) }
                }),
            )
            .await?;
            Ok(lines)
        }

        /// Runs one command per domain, the one whose event most services subscribe to, and
        /// prints the commands, the events published and what each service handled.
        pub async fn demo() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
            let bus = Bus::from_env(events::SYSTEM).await?;
            let published = tap(&bus).await?;
            let app = App::start(bus.clone(), RetryPolicy::default()).await?;
            #(#demo_steps)*
            app.bus.drain().await;
            #saga_demo
            println!("events published:");
            for line in published.lock().unwrap_or_else(PoisonError::into_inner).iter() {
                println!("{line}");
            }
            app.bus.shutdown().await;
            Ok(())
        }

        #tests
    })
}

/// The subscribers of `event` in other domains, with the handler method each calls.
fn subscribers<'a>(
    spec: &'a Spec,
    wired: &'a [Wired<'a>],
    event: &Event,
) -> Vec<(&'a Wired<'a>, String)> {
    wired
        .iter()
        .flat_map(|w| {
            handler_methods(spec, w.domain)
                .into_iter()
                .filter(|m| m.event.name == event.name)
                .map(move |m| (w, m.method))
        })
        .collect()
}

fn demo_steps(spec: &Spec, wired: &[Wired<'_>]) -> Result<Vec<TokenStream>, GenError> {
    let mut steps = Vec::new();
    for w in wired {
        let best = w
            .domain
            .commands
            .values()
            .filter_map(|c| {
                let first = spec.events.get(&c.emits.first()?.value)?;
                Some((subscribers(spec, wired, first).len(), c))
            })
            .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.name.cmp(&a.1.name)));
        let Some((_, command)) = best else { continue };
        let krate = &w.krate;
        let service = &w.service;
        let name = ident(&command.name, None)?;
        let method = ident(&command_method(command), None)?;
        let format = format!("{}.{} -> {{}}", w.domain.name, command.name);
        steps.push(quote! {
            let outcome = app.#service.#method(#krate::#name::example()).await?;
            println!(#format, outcome.event_type());
        });
    }
    for w in wired {
        if let Some(dispatcher) = &w.dispatcher {
            let format = format!("{} handled: {{:?}}", w.domain.name);
            steps.push(quote! {
                app.bus.drain().await;
                println!(#format, app.#dispatcher.handled());
            });
        }
    }
    Ok(steps)
}

fn tests(spec: &Spec, wired: &[Wired<'_>]) -> Result<TokenStream, GenError> {
    // The event with the most subscribers carries the flow test and the duplicate test.
    let Some((event, subs)) = spec
        .events
        .values()
        .map(|e| (e, subscribers(spec, wired, e)))
        .filter(|(_, s)| !s.is_empty())
        .max_by(|a, b| {
            a.1.len()
                .cmp(&b.1.len())
                .then_with(|| b.0.name.cmp(&a.0.name))
        })
    else {
        return Ok(quote!());
    };
    let event_ident = ident(&event.name, None)?;
    let checks = subs.iter().filter_map(|(w, method)| {
        let dispatcher = w.dispatcher.as_ref()?;
        Some(quote! {
            assert_eq!(app.#dispatcher.handled().iter().filter(|m| **m == #method).count(), 1, "{} once", #method);
        })
    });
    let checks: Vec<TokenStream> = checks.collect();
    let (failing_w, _) = &subs[0];
    let failing_krate = &failing_w.krate;
    let failing_methods = handler_methods(spec, failing_w.domain)
        .into_iter()
        .map(|m| {
            let method = ident(&m.method, None)?;
            let ev = ident(&m.event.name, None)?;
            Ok(quote! {
                fn #method(&self, _event: &events::#ev, _out: &mut #failing_krate::Emitter<'_>) -> Result<(), HandlerError> {
                    self.calls.fetch_add(1, Ordering::SeqCst);
                    Err(HandlerError::transient("injected failure"))
                }
            })
        })
        .collect::<Result<Vec<_>, GenError>>()?;
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

            struct Failing {
                calls: AtomicU32,
            }

            impl #failing_krate::Handle for Failing {
                #(#failing_methods)*
            }

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
