//! The app crate's generated module (`app/src/generated.rs`), laid out as it is: `App`, which
//! wires every service (and saga engine, [`sagas`]) onto one bus chosen at run time
//! (`FISSURE_BUS`, memory by default, the spec's system the default of broker URLs), the
//! binary's `main`, the `demo` flow ([`demo`]), and the cross-service tests ([`test_module`]:
//! a flow over the in-memory bus, a duplicate delivery handled once, a failing handler
//! retried then dead-lettered).

mod demo;
mod sagas;
mod test_module;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::GenError;
use super::names::{ident, service_crate};
use super::spec_view::{handler_methods, requested_commands};
use crate::spec::{Domain, Spec};

/// A service as the app wires it: its crate, its field in `App`, and its dispatcher's field
/// when it subscribes to events.
struct Wired<'a> {
    domain: &'a Domain,
    krate: Ident,
    service: Ident,
    dispatcher: Option<Ident>,
}

fn wired(spec: &Spec) -> Result<Vec<Wired<'_>>, GenError> {
    spec.domains
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
        .collect()
}

pub fn file(spec: &Spec) -> Result<TokenStream, GenError> {
    let system = &spec.system.value;
    let wired = wired(spec)?;
    let sagas = sagas::wiring(spec)?;
    let app = app_struct(spec, &wired, &sagas);
    let main = main_fn(spec, &wired);
    let demo = demo::items(spec, &wired, &sagas.demo)?;
    let saga_imports = &sagas.imports;
    let tests = test_module::tests(spec, &wired)?;
    let title = format!(" The `{system}` system: every service wired onto one bus.");
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

        #app

        #main

        #demo

        #tests
    })
}

/// `App` and `App::start`: every service with an in-memory event store, its dispatcher, the
/// command requests it serves, and the saga engines.
fn app_struct(spec: &Spec, wired: &[Wired<'_>], sagas: &sagas::AppSagas) -> TokenStream {
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    let mut lets = Vec::new();
    for w in wired {
        let Wired { krate, service, .. } = w;
        fields.push(
            quote!(pub #service: Arc<#krate::Service<#krate::Commands, MemoryEventStore, T>>),
        );
        lets.push(quote!(let #service = Arc::new(#krate::Service::new(#krate::Commands::default(), MemoryEventStore::new(), bus.clone()));));
        if !requested_commands(spec, w.domain).is_empty() {
            lets.push(
                quote!(#krate::serve_requests(&bus, Arc::clone(&#service), retry.clone()).await?;),
            );
        }
        inits.push(quote!(#service));
        if let Some(dispatcher) = &w.dispatcher {
            fields.push(quote!(pub #dispatcher: #krate::Dispatcher<#krate::Handlers, T>));
            inits.push(quote!(#dispatcher: #krate::subscribe(&bus, Arc::new(#krate::Handlers::default()), retry.clone()).await?));
        }
    }
    fields.extend(sagas.fields.iter().cloned());
    lets.extend(sagas.lets.iter().cloned());
    inits.extend(sagas.inits.iter().cloned());
    let uses_retry = wired
        .iter()
        .any(|w| w.dispatcher.is_some() || !requested_commands(spec, w.domain).is_empty())
        || !spec.sagas.is_empty();
    let retry_param = if uses_retry {
        quote!(retry)
    } else {
        quote!(_retry)
    };
    quote! {
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
    }
}

/// The binary's `main`: `demo` runs the flow, no argument lists the services.
fn main_fn(spec: &Spec, wired: &[Wired<'_>]) -> TokenStream {
    let system = &spec.system.value;
    let describe = wired.iter().map(|w| {
        let line = format!(
            "{}: {} command(s), {} subscription(s)",
            w.domain.name,
            w.domain.commands.len(),
            handler_methods(spec, w.domain).len()
        );
        quote!(println!(#line);)
    });
    let usage = format!(
        "usage: {system} [demo]\n  (no argument)  lists the services\n  demo           runs a flow of the spec end to end and prints it\nFISSURE_BUS chooses the transport (memory by default)."
    );
    quote! {
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
    }
}
