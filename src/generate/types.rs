//! Field types of the spec as Rust types, and example values of them (used by generated
//! tests, the demo and the starting implementations).
//!
//! Mapping: `Uuid` is `uuid::Uuid` (the runtime's re-export, with serde); `DateTime` is the
//! runtime's `Timestamp` (RFC 3339 text on the wire, no chrono); `Date` and `Decimal` are
//! string-backed newtypes of the events crate (`"2026-05-01"`, `"12.50"`): exact on the wire,
//! no float rounding, no extra dependency; services parse them with the crate they prefer.

use proc_macro2::TokenStream;
use quote::quote;

use super::GenError;
use super::names::ident;
use crate::spec::{Field, FieldType};

/// The Rust type of `ty`, as named inside the events crate (`events::` prefix off) or from
/// another crate (`prefix` = `events::`).
pub fn rust_type(ty: &FieldType, prefix: &TokenStream) -> Result<TokenStream, GenError> {
    Ok(match ty {
        FieldType::Bool => quote!(bool),
        FieldType::I32 => quote!(i32),
        FieldType::I64 => quote!(i64),
        FieldType::U32 => quote!(u32),
        FieldType::U64 => quote!(u64),
        FieldType::F64 => quote!(f64),
        FieldType::String => quote!(String),
        FieldType::Uuid => quote!(fissure_runtime::uuid::Uuid),
        FieldType::DateTime => quote!(fissure_runtime::Timestamp),
        FieldType::Date => quote!(#prefix Date),
        FieldType::Decimal => quote!(#prefix Decimal),
        FieldType::Option(inner) => {
            let inner = rust_type(inner, prefix)?;
            quote!(Option<#inner>)
        }
        FieldType::Vec(inner) => {
            let inner = rust_type(inner, prefix)?;
            quote!(Vec<#inner>)
        }
        FieldType::Named(name) => {
            let name = ident(name, None)?;
            quote!(#prefix #name)
        }
    })
}

/// The JSON Schema of `ty` as the events crate puts it on the wire (serde's JSON of
/// [`rust_type`]): value types by `$ref` to `schemas` (`#/components/schemas/<Name>` in an
/// AsyncAPI document), `Option` as the value or `null`.
pub fn json_schema(ty: &FieldType, schemas: &str) -> serde_json::Value {
    use serde_json::json;
    match ty {
        FieldType::Bool => json!({ "type": "boolean" }),
        FieldType::I32 => json!({ "type": "integer", "format": "int32" }),
        FieldType::I64 => json!({ "type": "integer", "format": "int64" }),
        FieldType::U32 => json!({ "type": "integer", "minimum": 0, "maximum": u32::MAX }),
        FieldType::U64 => json!({ "type": "integer", "minimum": 0 }),
        FieldType::F64 => json!({ "type": "number", "format": "double" }),
        FieldType::String => json!({ "type": "string" }),
        FieldType::Uuid => json!({ "type": "string", "format": "uuid" }),
        FieldType::DateTime => json!({ "type": "string", "format": "date-time" }),
        FieldType::Date => json!({ "type": "string", "format": "date" }),
        FieldType::Decimal => json!({
            "type": "string",
            "description": "A decimal number as its exact text.",
            "examples": ["12.50"],
        }),
        FieldType::Option(inner) => {
            json!({ "oneOf": [json_schema(inner, schemas), { "type": "null" }] })
        }
        FieldType::Vec(inner) => json!({ "type": "array", "items": json_schema(inner, schemas) }),
        FieldType::Named(name) => json!({ "$ref": format!("{schemas}{name}") }),
    }
}

/// The JSON Schema of a struct of `fields`: every field present, `Option`s may be `null`.
pub fn object_schema(fields: &[Field], schemas: &str) -> serde_json::Value {
    let properties: serde_json::Map<String, serde_json::Value> = fields
        .iter()
        .map(|f| {
            let mut schema = json_schema(&f.ty, schemas);
            // Beside a `$ref`, draft-07 ignores every other keyword.
            let by_ref = schema.get("$ref").is_some();
            if let (Some(text), Some(map), false) = (&f.description, schema.as_object_mut(), by_ref)
            {
                map.insert("description".to_owned(), text.clone().into());
            }
            (f.name.clone(), schema)
        })
        .collect();
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| !matches!(f.ty, FieldType::Option(_)))
        .map(|f| f.name.as_str())
        .collect();
    serde_json::json!({ "type": "object", "properties": properties, "required": required })
}

/// An example value of `ty`; `seed` varies ids and numbers between fields.
pub fn example(
    ty: &FieldType,
    field: &str,
    seed: u128,
    prefix: &TokenStream,
) -> Result<TokenStream, GenError> {
    Ok(match ty {
        FieldType::Bool => quote!(true),
        FieldType::I32 | FieldType::I64 | FieldType::U32 | FieldType::U64 => {
            let n = proc_macro2::Literal::u64_unsuffixed((seed % 9 + 1) as u64);
            quote!(#n)
        }
        FieldType::F64 => quote!(1.5),
        FieldType::String => {
            let text = format!("example {field}");
            quote!(#text.to_owned())
        }
        FieldType::Uuid => {
            let n = proc_macro2::Literal::u128_unsuffixed(
                0x0190_0000_0000_7000_8000_0000_0000_0000 + seed,
            );
            quote!(fissure_runtime::uuid::Uuid::from_u128(#n))
        }
        FieldType::DateTime => quote!(fissure_runtime::Timestamp::from_unix(1_767_225_600, 0)),
        FieldType::Date => quote!(#prefix Date::new("2026-05-01")),
        FieldType::Decimal => quote!(#prefix Decimal::new("12.50")),
        FieldType::Option(inner) => {
            let inner = example(inner, field, seed, prefix)?;
            quote!(Some(#inner))
        }
        FieldType::Vec(inner) => {
            let inner = example(inner, field, seed, prefix)?;
            quote!(vec![#inner])
        }
        FieldType::Named(name) => {
            let name = ident(name, None)?;
            quote!(#prefix #name::example())
        }
    })
}

/// `pub name: Type,` for each field, with the field's description as a doc attribute.
pub fn struct_fields(fields: &[Field], prefix: &TokenStream) -> Result<Vec<TokenStream>, GenError> {
    fields
        .iter()
        .map(|f| {
            let name = ident(&f.name, Some(&f.location))?;
            let ty = rust_type(&f.ty, prefix)?;
            let doc = doc_attrs(f.description.as_deref());
            Ok(quote!(#doc pub #name: #ty))
        })
        .collect()
}

/// `Self { a: <example>, .. }` for a struct of `fields`.
pub fn example_body(fields: &[Field], prefix: &TokenStream) -> Result<TokenStream, GenError> {
    let inits = fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let name = ident(&f.name, Some(&f.location))?;
            let value = example(&f.ty, &f.name, i as u128 + 1, prefix)?;
            Ok(quote!(#name: #value))
        })
        .collect::<Result<Vec<_>, GenError>>()?;
    Ok(quote!(Self { #(#inits),* }))
}

/// Spec text as `#[doc = "..."]` attributes: a string literal, so whatever it holds (`*/`,
/// quotes, newlines, code) stays text.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) if !text.trim().is_empty() => {
            let lines = text.lines().map(|l| format!(" {}", l.trim_end()));
            quote!(#(#[doc = #lines])*)
        }
        _ => quote!(),
    }
}

/// Whether values of `ty` can be written with `Display` (`to_string`) as a partition key.
pub fn displays(ty: &FieldType) -> bool {
    !matches!(
        ty,
        FieldType::Option(_) | FieldType::Vec(_) | FieldType::Named(_)
    )
}

/// `struct name { fields }` with serde and `example()`: the shape of every value type, event
/// and command. `example_doc` is the doc of `example`.
pub fn data_struct(
    name: &proc_macro2::Ident,
    fields: &[TokenStream],
    example: &TokenStream,
    example_doc: &str,
) -> TokenStream {
    let example_doc = format!(" {example_doc}");
    quote! {
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        pub struct #name { #(#fields,)* }
        impl #name {
            #[doc = #example_doc]
            pub fn example() -> Self { #example }
        }
    }
}
