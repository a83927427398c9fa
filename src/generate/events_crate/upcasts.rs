//! What an event's `upcast:` becomes in the events crate: `PREVIOUS_TYPES` and `upcast` in
//! its `Event` impl (the runtime's `Event::decode` runs the steps), the user's functions for
//! `function: true` (`events/src/upcasts.rs`, created once), and one generated test per
//! declared upcast that decodes the previous version's form of the example event.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde::Serialize;

use crate::generate::GenError;
use crate::generate::names::{cloud_type, ident, previous_types, snake};
use crate::spec::{Event, Spec, UpcastRule};

/// `PREVIOUS_TYPES` and `upcast` for the `Event` impl of `event`, in the order the impl
/// lists them (constants first); nothing without an upcast.
pub(super) fn impl_items(
    system: &str,
    event: &Event,
) -> Result<(TokenStream, TokenStream), GenError> {
    let Some(upcast) = &event.upcast else {
        return Ok((quote!(), quote!()));
    };
    let types = previous_types(system, event);
    let previous = event.version.saturating_sub(1);
    let body = match &upcast.rule {
        UpcastRule::Declared { renamed, defaults } => {
            let t = cloud_type(system, &event.from.value, &event.name, previous);
            let only = format!("the spec describes the upcast from version {previous} only");
            let previous = Literal::u32_unsuffixed(previous);
            let renamed = renamed.iter().map(|r| {
                let (from, to) = (&r.from.value, &r.to.value);
                quote!((#from, #to))
            });
            let defaults = defaults.iter().map(|d| {
                let (field, json) = (&d.field.value, d.value.to_string());
                quote!((#field, #json))
            });
            let body = quote! {
                match from {
                    #previous => fissure_runtime::upcast::renamed_and_defaulted(
                        #t, data, &[#(#renamed),*], &[#(#defaults),*],
                    ),
                    other => Err(DecodeError::Upcast {
                        event_type: fissure_runtime::upcast::with_version(Self::TYPE, other),
                        reason: #only.to_owned(),
                    }),
                }
            };
            body
        }
        UpcastRule::Function => {
            let function = ident(&snake(&event.name), Some(&upcast.location))?;
            quote!(crate::upcasts::#function(from, data))
        }
    };
    Ok((
        quote!(const PREVIOUS_TYPES: &'static [&'static str] = &[#(#types),*];),
        quote! {
            fn upcast(from: u32, data: serde_json::Value) -> Result<serde_json::Value, DecodeError> {
                #body
            }
        },
    ))
}

/// For a declared upcast, `previous_example()`: the example event as the previous version
/// wrote it (renamed fields under their old names, defaulted fields absent), the data tests of
/// upcasting send under the previous type. Nothing otherwise.
pub(super) fn previous_example(event: &Event) -> Result<TokenStream, GenError> {
    let Some(UpcastRule::Declared { renamed, defaults }) = event.upcast.as_ref().map(|u| &u.rule)
    else {
        return Ok(quote!());
    };
    let name = ident(&event.name, Some(&event.location))?;
    let doc = format!(
        " The example as version {} wrote it: data of the previous type, for tests of upcasting.",
        event.version - 1
    );
    let defaulted = defaults.iter().map(|d| {
        let field = &d.field.value;
        quote!(fields.remove(#field);)
    });
    let renames = renamed.iter().map(|r| {
        let (from, to) = (&r.from.value, &r.to.value);
        quote! {
            if let Some(value) = fields.remove(#to) { fields.insert(#from.to_owned(), value); }
        }
    });
    Ok(quote! {
        impl #name {
            #[doc = #doc]
            pub fn previous_example() -> serde_json::Value {
                let mut data = serde_json::to_value(Self::example()).unwrap_or_default();
                // let-else, not `if let`: with one rename and no default an `if let` around
                // the rename's `if let` trips clippy's collapsible_if in the user's workspace.
                let serde_json::Value::Object(fields) = &mut data else {
                    return data;
                };
                #(#defaulted)*
                #(#renames)*
                data
            }
        }
    })
}

/// A test per declared upcast: the previous version's example decodes into the current
/// example with the defaults filled in.
pub(super) fn tests(spec: &Spec) -> Result<TokenStream, GenError> {
    let system = &spec.system.value;
    let mut tests = Vec::new();
    for event in spec.events.values() {
        let Some(UpcastRule::Declared { defaults, .. }) = event.upcast.as_ref().map(|u| &u.rule)
        else {
            continue;
        };
        let name = ident(&event.name, Some(&event.location))?;
        let test = ident(
            &format!(
                "{}_of_version_{}_decodes_into_version_{}",
                snake(&event.name),
                event.version - 1,
                event.version
            ),
            Some(&event.location),
        )?;
        let old_type = cloud_type(system, &event.from.value, &event.name, event.version - 1);
        let defaulted = defaults.iter().map(|d| {
            let (field, json) = (&d.field.value, d.value.to_string());
            quote! {
                expected[#field] = serde_json::from_str(#json).expect("the spec's default is JSON");
            }
        });
        tests.push(quote! {
            #[test]
            fn #test() {
                assert!(#name::accepted_types().any(|t| t == #old_type));
                let decoded = #name::decode(#old_type, &#name::previous_example()).expect("the previous version decodes");
                let mut expected = serde_json::to_value(#name::example()).expect("serializes");
                #(#defaulted)*
                let expected: #name = serde_json::from_value(expected).expect("the expected event decodes");
                assert_eq!(decoded, expected);
            }
        });
    }
    if tests.is_empty() {
        return Ok(quote!());
    }
    Ok(quote! {
        /// Events of the previous version decode into the current struct.
        #[cfg(test)]
        mod upcast_tests {
            use super::*;

            #(#tests)*
        }
    })
}

/// The user's upcast functions (`events/src/upcasts.rs`), as the template sees them.
#[derive(Serialize)]
pub struct UpcastFunction {
    event: String,
    function: String,
    version: u32,
}

/// One entry per event whose spec says `upcast: { function: true }`, in event order.
pub fn user_functions(spec: &Spec) -> Vec<UpcastFunction> {
    spec.events
        .values()
        .filter(|e| {
            matches!(
                e.upcast.as_ref().map(|u| &u.rule),
                Some(UpcastRule::Function)
            )
        })
        .map(|e| UpcastFunction {
            event: e.name.clone(),
            function: snake(&e.name),
            version: e.version,
        })
        .collect()
}
