//! A domain's generated module (`services/<domain>/src/generated.rs`), laid out as the file
//! is: its commands, their outcomes and the `Decide` trait with the `Service` that runs them
//! ([`decide`]), the `Handle` trait and the `Emitter` ([`handle`]), the `Dispatcher` that
//! decodes deliveries and publishes what handlers emit ([`dispatch`]), the command requests
//! sagas send ([`requests`]), the sagas the domain runs (`super::saga`), and given/when/then
//! tests ([`test_module`]).

mod decide;
mod dispatch;
mod handle;
mod requests;
mod test_module;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::GenError;
use super::names::{domain_enum, ident};
use super::spec_view::{HandlerMethod, handler_methods, own_events, requested_commands};
use crate::spec::{Domain, Spec};

/// What every part of a service's module needs to know about it.
struct ServiceModule<'a> {
    spec: &'a Spec,
    domain: &'a Domain,
    system: &'a str,
    /// `<Domain>Events`, the enum of the domain's events in the events crate.
    events_enum: Ident,
    /// Whether the domain publishes events (else it has no `apply` and no replay).
    has_events: bool,
    methods: Vec<HandlerMethod<'a>>,
    /// Whether sagas send the domain command requests.
    serves_requests: bool,
}

pub fn file(spec: &Spec, domain: &Domain) -> Result<TokenStream, GenError> {
    let s = ServiceModule {
        spec,
        domain,
        system: &spec.system.value,
        events_enum: ident(&domain_enum(&domain.name), None)?,
        has_events: !own_events(spec, domain).is_empty(),
        methods: handler_methods(spec, domain),
        serves_requests: !requested_commands(spec, domain).is_empty(),
    };
    let header = header(&s)?;
    let commands = decide::command_items(&s)?;
    let decide_trait = decide::decide_trait(&s)?;
    let handle = handle::items(&s)?;
    let dispatcher = dispatch::items(&s)?;
    let service = decide::service(&s)?;
    let requests = requests::items(&s)?;
    let sagas = super::saga::owned_modules(spec, domain)?;
    let tests = test_module::tests(&s)?;
    Ok(quote! {
        #header
        #(#commands)*
        #decide_trait
        #handle
        #dispatcher
        #service
        #requests
        #(#sagas)*
        #tests
    })
}

/// The module's doc, lints, imports (only those the module uses: it must compile without
/// warnings) and constants.
fn header(s: &ServiceModule<'_>) -> Result<TokenStream, GenError> {
    let dname = &s.domain.name;
    let stream = fissure_runtime::naming::service_subscription(s.system, dname);
    let events_enum = &s.events_enum;
    let module_doc = format!(
        " The generated part of the `{dname}` service: commands, handler trait, dispatcher, service."
    );
    let subscribes = !s.methods.is_empty();
    let sync_imports = match (subscribes, s.serves_requests) {
        (false, false) => quote!(),
        (false, true) => quote!(
            use std::sync::Arc;
        ),
        (true, _) => quote!(
            use std::sync::{Arc, Mutex, PoisonError};
        ),
    };
    let runtime_imports = if !subscribes && !s.serves_requests {
        quote!(
            use fissure_runtime::{BusError, Envelope, EventStore, Publisher, StoreError};
        )
    } else {
        quote!(
            use fissure_runtime::{
                BusError, Envelope, EventStore, Handler, HandlerError, Publisher, RetryPolicy,
                StoreError, Subscription, Transport,
            };
        )
    };
    let events_import = if s.has_events {
        quote!(use events::#events_enum;)
    } else {
        quote!()
    };
    let has_commands = !s.domain.commands.is_empty();
    let expected_version = if has_commands {
        quote!(
            use fissure_runtime::ExpectedVersion;
        )
    } else {
        quote!()
    };
    let commands_import = if has_commands {
        let module = ident(&s.domain.name, Some(&s.domain.location))?;
        quote!(pub use events::commands::#module::*;)
    } else {
        quote!()
    };
    Ok(quote! {
        #![doc = #module_doc]
        #![allow(dead_code)]
        // `Commands` is the user's type: a unit struct at first, maybe not later.
        #![allow(clippy::default_constructed_unit_structs)]

        #sync_imports

        #events_import
        #runtime_imports
        #expected_version

        /// The domain this service implements.
        pub const DOMAIN: &str = #dname;
        /// The event-store stream of this service's events.
        pub const STREAM: &str = #stream;
        /// The name of this service's subscription (and of its dead-letter queue).
        pub const SUBSCRIPTION: &str = #stream;

        #commands_import
    })
}
