//! One struct per value type (`types:`) and per event of the spec, each with example data;
//! events implement `Event` (domain, name, version, CloudEvents type and source, key).

use proc_macro2::TokenStream;
use quote::quote;

use crate::generate::GenError;
use crate::generate::names::{cloud_type, ident};
use crate::generate::types::{data_struct, displays, doc_attrs, example_body, struct_fields};
use crate::spec::{Event, FieldType, Spec};

pub(super) fn value_types(spec: &Spec) -> Result<Vec<TokenStream>, GenError> {
    let none = quote!();
    spec.types
        .values()
        .map(|ty| {
            let name = ident(&ty.name, Some(&ty.location))?;
            let doc = doc_attrs(ty.description.as_deref());
            let fields = struct_fields(&ty.fields, &none)?;
            let example = example_body(&ty.fields, &none)?;
            let data = data_struct(
                &name,
                &fields,
                &example,
                "A value with example data, for tests and demos.",
            );
            Ok(quote! {
                #doc
                #data
            })
        })
        .collect()
}

pub(super) fn event_struct(system: &str, event: &Event) -> Result<TokenStream, GenError> {
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
    let key = partition_key(event)?;
    let (previous_types, upcast) = super::upcasts::impl_items(system, event)?;
    let previous_example = super::upcasts::previous_example(event)?;
    let summary = format!(" `{t}`, published by `{domain}`.");
    let data = data_struct(
        &name,
        &fields,
        &example,
        "An event with example data, for tests and demos.",
    );
    let separator = if doc.is_empty() {
        quote!()
    } else {
        quote!(#[doc = ""])
    };
    Ok(quote! {
        #doc
        #separator
        #[doc = #summary]
        #data
        #previous_example
        impl Event for #name {
            const DOMAIN: &'static str = #domain;
            const NAME: &'static str = #event_name;
            const VERSION: u32 = #version;
            const TYPE: &'static str = #t;
            const SOURCE: &'static str = #source;
            #previous_types
            fn partition_key(&self) -> Option<String> { #key }
            #upcast
        }
    })
}

/// The body of `partition_key`: the key field as text, `None` for an event without a key.
fn partition_key(event: &Event) -> Result<TokenStream, GenError> {
    let Some(key) = &event.key else {
        return Ok(quote!(None));
    };
    let field = event.fields.iter().find(|f| f.name == key.value);
    let key_ident = ident(&key.value, Some(&key.location))?;
    Ok(match field.map(|f| &f.ty) {
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
    })
}
