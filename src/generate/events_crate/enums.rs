//! One enum per domain (`<Domain>Events`: its events, their types, envelopes and decoding)
//! and `AnyEvent`, any event of the system decoded from its CloudEvents type and JSON.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::generate::GenError;
use crate::generate::names::{cloud_type, domain_enum as enum_name, ident, pascal, previous_types};
use crate::spec::{Event, Spec};

/// The enum of the events `domain` publishes, with a `From` impl per event.
pub(super) fn domain_enum(spec: &Spec, domain: &str) -> Result<TokenStream, GenError> {
    let system = &spec.system.value;
    let events: Vec<&Event> = spec
        .events
        .values()
        .filter(|e| e.from.value == domain)
        .collect();
    let enum_name = ident(&enum_name(domain), None)?;
    let doc = format!(" The events the `{domain}` domain publishes.");
    let mut names = Vec::new();
    let mut types = Vec::new();
    let mut older_types = Vec::new();
    let mut decode_arms = Vec::new();
    for event in &events {
        let name = ident(&event.name, Some(&event.location))?;
        let t = cloud_type(system, domain, &event.name, event.version);
        let older = previous_types(system, event);
        // `Event::decode` upcasts the older versions the event lists.
        decode_arms.push(quote! {
            #t #(| #older)* => #name::decode(event_type, data).map(Self::#name)
        });
        types.push(t);
        older_types.extend(older);
        names.push(name);
    }
    let decode_body = if decode_arms.is_empty() {
        quote! {
            let _ = data;
            Err(DecodeError::UnknownType(event_type.to_owned()))
        }
    } else {
        quote! {
            match event_type {
                #(#decode_arms,)*
                other => Err(DecodeError::UnknownType(other.to_owned())),
            }
        }
    };
    let unused_parent = if events.is_empty() {
        quote!(let _ = parent;)
    } else {
        quote!()
    };
    let froms = names.iter().map(|name| {
        quote! {
            impl From<#name> for #enum_name {
                fn from(event: #name) -> Self { Self::#name(event) }
            }
        }
    });
    Ok(quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #enum_name { #(#names(#names),)* }
        impl #enum_name {
            /// The CloudEvents types of this domain's events.
            pub const TYPES: &'static [&'static str] = &[#(#types),*];
            /// The types of older versions of its events that still decode (upcast).
            pub const PREVIOUS_TYPES: &'static [&'static str] = &[#(#older_types),*];
            /// The CloudEvents type of this event.
            pub fn event_type(&self) -> &'static str {
                match *self { #(Self::#names(_) => #names::TYPE,)* }
            }
            /// The envelope of this event; see [`Event::to_envelope`].
            pub fn to_envelope(&self, parent: Option<&Envelope>) -> Envelope {
                #unused_parent
                match *self { #(Self::#names(ref e) => e.to_envelope(parent),)* }
            }
            /// Decodes one of this domain's events from its type and JSON data.
            pub fn decode(event_type: &str, data: &serde_json::Value) -> Result<Self, DecodeError> {
                #decode_body
            }
        }
        #(#froms)*
    })
}

/// `AnyEvent`: one variant per domain, holding that domain's enum.
pub(super) fn any_event(spec: &Spec) -> Result<TokenStream, GenError> {
    let mut variants: Vec<Ident> = Vec::new();
    let mut enums: Vec<Ident> = Vec::new();
    for domain in spec.domains.keys() {
        variants.push(ident(&pascal(domain), None)?);
        enums.push(ident(&enum_name(domain), None)?);
    }
    Ok(quote! {
        /// Any event of the system.
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum AnyEvent { #(#variants(#enums),)* }

        impl AnyEvent {
            /// The CloudEvents type of this event.
            pub fn event_type(&self) -> &'static str {
                match *self { #(Self::#variants(ref e) => e.event_type(),)* }
            }
            /// The envelope of this event; see [`Event::to_envelope`].
            pub fn to_envelope(&self, parent: Option<&Envelope>) -> Envelope {
                match *self { #(Self::#variants(ref e) => e.to_envelope(parent),)* }
            }
            /// Decodes any event of the system from its CloudEvents type and JSON data.
            pub fn decode(event_type: &str, data: &serde_json::Value) -> Result<Self, DecodeError> {
                match event_type {
                    #(t if #enums::TYPES.contains(&t) || #enums::PREVIOUS_TYPES.contains(&t) => #enums::decode(t, data).map(Self::#variants),)*
                    other => Err(DecodeError::UnknownType(other.to_owned())),
                }
            }
            /// Decodes the event an envelope carries.
            pub fn from_envelope(envelope: &Envelope) -> Result<Self, DecodeError> {
                Self::decode(envelope.event_type(), envelope.data())
            }
        }
    })
}
