//! The app's `demo`: a tap that prints every event on the bus, one command per domain (the
//! one whose event most services subscribe to), what each service handled, then each saga's
//! two runs ([`super::sagas`]).

use proc_macro2::TokenStream;
use quote::quote;

use super::Wired;
use crate::generate::GenError;
use crate::generate::names::ident;
use crate::generate::spec_view::{command_method, handler_methods};
use crate::spec::{Event, Spec};

/// `tap` and `demo`.
pub(super) fn items(
    spec: &Spec,
    wired: &[Wired<'_>],
    saga_demo: &TokenStream,
) -> Result<TokenStream, GenError> {
    let demo_steps = demo_steps(spec, wired)?;
    Ok(quote! {
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
    })
}

/// The subscribers of `event` in other domains, with the handler method each calls.
pub(super) fn subscribers<'a>(
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
