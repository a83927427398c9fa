//! The events crate: one struct per event and per value type, the `Event` trait, one enum
//! per domain, and the registry that decodes any event from its CloudEvents type and JSON.

use proc_macro2::TokenStream;
use quote::quote;

use super::GenError;
use super::names::{cloud_type, domain_enum, ident};
use super::types::{displays, doc_attrs, example_body, struct_fields};
use crate::spec::{Event, FieldType, Spec};

pub fn file(spec: &Spec) -> Result<TokenStream, GenError> {
    let system = &spec.system.value;
    let none = quote!();
    let mut items = Vec::new();
    for ty in spec.types.values() {
        let name = ident(&ty.name, Some(&ty.location))?;
        let doc = doc_attrs(ty.description.as_deref());
        let fields = struct_fields(&ty.fields, &none)?;
        let example = example_body(&ty.fields, &none)?;
        items.push(quote! {
            #doc
            #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
            pub struct #name { #(#fields,)* }
            impl #name {
                /// A value with example data, for tests and demos.
                pub fn example() -> Self { #example }
            }
        });
    }
    for event in spec.events.values() {
        items.push(event_struct(system, event)?);
    }
    let mut any_variants = Vec::new();
    let mut any_type_arms = Vec::new();
    let mut any_envelope_arms = Vec::new();
    let mut all_types = Vec::new();
    for domain in spec.domains.keys() {
        let events: Vec<&Event> = spec
            .events
            .values()
            .filter(|e| &e.from.value == domain)
            .collect();
        let enum_name = ident(&domain_enum(domain), None)?;
        let variant = ident(&super::names::pascal(domain), None)?;
        let doc = format!(" The events the `{domain}` domain publishes.");
        let mut variants = Vec::new();
        let mut type_arms = Vec::new();
        let mut envelope_arms = Vec::new();
        let mut decode_arms = Vec::new();
        let mut froms = Vec::new();
        let mut types = Vec::new();
        for event in &events {
            let name = ident(&event.name, Some(&event.location))?;
            let t = cloud_type(system, domain, &event.name, event.version);
            variants.push(quote!(#name(#name)));
            type_arms.push(quote!(Self::#name(_) => #name::TYPE));
            envelope_arms.push(quote!(Self::#name(ref e) => e.to_envelope(parent)));
            decode_arms.push(quote! {
                #t => serde_json::from_value::<#name>(data.clone()).map(Self::#name).map_err(DecodeError::Data)
            });
            froms.push(quote! {
                impl From<#name> for #enum_name {
                    fn from(event: #name) -> Self { Self::#name(event) }
                }
            });
            types.push(t.clone());
            all_types.push(t);
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
        items.push(quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum #enum_name { #(#variants,)* }
            impl #enum_name {
                /// The CloudEvents types of this domain's events.
                pub const TYPES: &'static [&'static str] = &[#(#types),*];
                /// The CloudEvents type of this event.
                pub fn event_type(&self) -> &'static str {
                    match *self { #(#type_arms,)* }
                }
                /// The envelope of this event; see [`Event::to_envelope`].
                pub fn to_envelope(&self, parent: Option<&Envelope>) -> Envelope {
                    #unused_parent
                    match *self { #(#envelope_arms,)* }
                }
                /// Decodes one of this domain's events from its type and JSON data.
                pub fn decode(event_type: &str, data: &serde_json::Value) -> Result<Self, DecodeError> {
                    #decode_body
                }
            }
            #(#froms)*
        });
        any_variants.push(quote!(#variant(#enum_name)));
        any_type_arms.push(quote!(Self::#variant(ref e) => e.event_type()));
        any_envelope_arms.push(quote!(Self::#variant(ref e) => e.to_envelope(parent)));
    }
    let any_decode_arms = spec.domains.keys().map(|domain| {
        let enum_name = ident(&domain_enum(domain), None).map_err(|e| e.message);
        let variant = ident(&super::names::pascal(domain), None).map_err(|e| e.message);
        match (enum_name, variant) {
            (Ok(enum_name), Ok(variant)) => quote! {
                t if #enum_name::TYPES.contains(&t) => #enum_name::decode(t, data).map(Self::#variant)
            },
            _ => quote!(),
        }
    });
    all_types.sort();
    let commands = command_modules(spec)?;
    Ok(quote! {
        //! The event contract of the system: value types, events, one enum per domain, and
        //! the registry that decodes any event from its CloudEvents type.

        use fissure_runtime::{Envelope, serde_json};
        pub use fissure_runtime::contract::{Command, Date, Decimal, DecodeError, Event};
        use serde::{Deserialize, Serialize};

        /// The system name: the first part of every event type and source.
        pub const SYSTEM: &str = #system;

        /// Every CloudEvents type of the system, sorted.
        pub const EVENT_TYPES: &[&str] = &[#(#all_types),*];

        #(#items)*

        #commands

        /// Any event of the system.
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum AnyEvent { #(#any_variants,)* }

        impl AnyEvent {
            /// The CloudEvents type of this event.
            pub fn event_type(&self) -> &'static str {
                match *self { #(#any_type_arms,)* }
            }
            /// The envelope of this event; see [`Event::to_envelope`].
            pub fn to_envelope(&self, parent: Option<&Envelope>) -> Envelope {
                match *self { #(#any_envelope_arms,)* }
            }
            /// Decodes any event of the system from its CloudEvents type and JSON data.
            pub fn decode(event_type: &str, data: &serde_json::Value) -> Result<Self, DecodeError> {
                match event_type {
                    #(#any_decode_arms,)*
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

/// `commands::<domain>`: one struct per command of each domain that has commands.
fn command_modules(spec: &Spec) -> Result<TokenStream, GenError> {
    let system = &spec.system.value;
    let prefix = quote!(crate::);
    let mut modules = Vec::new();
    for domain in spec.domains.values().filter(|d| !d.commands.is_empty()) {
        let module = ident(&domain.name, Some(&domain.location))?;
        let dname = &domain.name;
        let module_doc = format!(" The commands of the `{dname}` domain.");
        let mut items = Vec::new();
        for command in domain.commands.values() {
            let name = ident(&command.name, Some(&command.location))?;
            let doc = doc_attrs(command.description.as_deref());
            let fields = struct_fields(&command.fields, &prefix)?;
            let example = example_body(&command.fields, &prefix)?;
            let command_name = &command.name;
            let t = super::saga::request_type(system, dname, &command.name);
            items.push(quote! {
                #doc
                #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
                pub struct #name { #(#fields,)* }
                impl #name {
                    /// A command with example data, for tests and demos.
                    pub fn example() -> Self { #example }
                }
                impl Command for #name {
                    const DOMAIN: &'static str = #dname;
                    const NAME: &'static str = #command_name;
                    const TYPE: &'static str = #t;
                }
            });
        }
        modules.push(quote! {
            #[doc = #module_doc]
            pub mod #module {
                use serde::{Deserialize, Serialize};

                use crate::Command;

                #(#items)*
            }
        });
    }
    if modules.is_empty() {
        return Ok(quote!());
    }
    Ok(quote! {
        /// The commands of every domain, one module per domain.
        pub mod commands {
            #(#modules)*
        }
    })
}

fn event_struct(system: &str, event: &Event) -> Result<TokenStream, GenError> {
    let none = quote!();
    let name = ident(&event.name, Some(&event.location))?;
    let domain = &event.from.value;
    let event_name = &event.name;
    let version = event.version;
    let t = cloud_type(system, domain, &event.name, event.version);
    let source = format!("{system}/{domain}");
    let doc = doc_attrs(event.description.as_deref());
    let fields = struct_fields(&event.fields, &none)?;
    let example = example_body(&event.fields, &none)?;
    let key = match &event.key {
        None => quote!(None),
        Some(key) => {
            let field = event.fields.iter().find(|f| f.name == key.value);
            let key_ident = ident(&key.value, Some(&key.location))?;
            match field.map(|f| &f.ty) {
                Some(FieldType::String) => quote!(Some(self.#key_ident.clone())),
                Some(ty) if displays(ty) => quote!(Some(self.#key_ident.to_string())),
                Some(_) => quote!(serde_json::to_string(&self.#key_ident).ok()),
                None => {
                    return Err(GenError {
                        message: format!(
                            "the key `{}` of `{}` is not one of its fields",
                            key.value, event.name
                        ),
                        location: Some(key.location.clone()),
                    });
                }
            }
        }
    };
    let summary = format!(" `{t}`, published by `{domain}`.");
    let separator = if doc.is_empty() {
        quote!()
    } else {
        quote!(#[doc = ""])
    };
    Ok(quote! {
        #doc
        #separator
        #[doc = #summary]
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        pub struct #name { #(#fields,)* }
        impl #name {
            /// An event with example data, for tests and demos.
            pub fn example() -> Self { #example }
        }
        impl Event for #name {
            const DOMAIN: &'static str = #domain;
            const NAME: &'static str = #event_name;
            const VERSION: u32 = #version;
            const TYPE: &'static str = #t;
            const SOURCE: &'static str = #source;
            fn partition_key(&self) -> Option<String> { #key }
        }
    })
}
