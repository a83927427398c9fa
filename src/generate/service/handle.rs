//! The reaction side of a service: the `Handle` trait the user implements in
//! `src/handlers.rs` (one method per subscribed event, no default body, so a new subscription
//! is a compile error naming the method still to write) and the `Emitter` a handler publishes
//! through.

use proc_macro2::TokenStream;
use quote::quote;

use super::ServiceModule;
use crate::generate::GenError;
use crate::generate::names::ident;

pub(super) fn items(s: &ServiceModule<'_>) -> Result<TokenStream, GenError> {
    let mut methods = Vec::new();
    for m in &s.methods {
        let method = ident(&m.method, None)?;
        let event = ident(&m.event.name, Some(&m.event.location))?;
        let doc = format!(
            " Handles `{}` (from `{}`).",
            m.event.name, m.event.from.value
        );
        methods.push(quote! {
            #[doc = #doc]
            fn #method(&self, event: &events::#event, out: &mut Emitter<'_>) -> Result<(), HandlerError>;
        });
    }
    let emitter = emitter(s);
    Ok(quote! {
        /// The event handlers of the service, implemented in `src/handlers.rs` (yours): one
        /// method per subscribed event, no default body, so a new subscription in the spec is
        /// a compile error naming the method still to write.
        pub trait Handle: Send + Sync + 'static {
            #(#methods)*
        }

        #emitter
    })
}

fn emitter(s: &ServiceModule<'_>) -> TokenStream {
    let events_enum = &s.events_enum;
    let emit = if s.has_events {
        quote! {
            /// Publishes one of this domain's events once the handler succeeds.
            pub fn emit(&mut self, event: impl Into<#events_enum>) {
                self.emitted.push(event.into().to_envelope(Some(self.parent)));
            }
        }
    } else {
        quote!()
    };
    quote! {
        /// Collects the events a handler emits, stamped with the correlation id of the event
        /// being handled and with that event as their cause.
        pub struct Emitter<'a> {
            parent: &'a Envelope,
            emitted: Vec<Envelope>,
        }

        impl<'a> Emitter<'a> {
            pub fn new(parent: &'a Envelope) -> Self {
                Self { parent, emitted: Vec::new() }
            }
            /// The event being handled.
            pub fn parent(&self) -> &Envelope {
                self.parent
            }
            #emit
            pub fn into_envelopes(self) -> Vec<Envelope> {
                self.emitted
            }
        }
    }
}
