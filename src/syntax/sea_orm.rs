//! sea-orm entities as tables: `#[sea_orm(table_name = "t")]` on a struct deriving
//! `DeriveEntityModel` defines the table, and a path through an entity module's generated
//! types (`t::Entity::find()`, `t::Column::Name`, `t::ActiveModel`) touches it. The
//! derive's expansion is not seen, so an access is known by its path alone: the module
//! before `Entity` names the table, as sea-orm-cli lays entities out (one module per table,
//! named after it).

use super::facts::TableAccess;

/// The table named by `#[sea_orm(table_name = "..")]` when the attributes also derive
/// `DeriveEntityModel`; other `table_name` attributes (diesel's, a serializer's) are not
/// sea-orm entities.
pub(super) fn entity_table(attrs: &[syn::Attribute]) -> Option<syn::LitStr> {
    let derives_entity = attrs.iter().any(|a| {
        a.path().is_ident("derive")
            && a.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
            .is_ok_and(|paths| {
                paths.iter().any(|p| {
                    p.segments
                        .last()
                        .is_some_and(|s| s.ident == "DeriveEntityModel")
                })
            })
    });
    if !derives_entity {
        return None;
    }
    let mut table = None;
    for a in attrs.iter().filter(|a| a.path().is_ident("sea_orm")) {
        // Other keys (`schema_name`, `comment`) are skipped; a malformed attribute is
        // the compiler's to report, not ours.
        let _ = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("table_name") {
                table = Some(meta.value()?.parse::<syn::LitStr>()?);
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    table
}

/// The table a path through an entity module touches and how: `m::ActiveModel` and
/// `m::Entity::{insert, update, delete}..` write, other uses of `m::Entity` and
/// `m::Column` read. `m::Model` is left out: plain structs of that name are common
/// (`yew_form_derive::Model`), and a model is reached through `Entity` anyway.
pub(super) fn entity_access(segments: &[String]) -> Option<(String, TableAccess)> {
    let at = segments
        .iter()
        .position(|s| matches!(s.as_str(), "Entity" | "Column" | "ActiveModel"))?;
    let module = segments.get(at.checked_sub(1)?)?;
    let is_module_name = module
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !is_module_name
        || matches!(
            module.as_str(),
            "self" | "super" | "crate" | "prelude" | "sea_orm"
        )
    {
        return None;
    }
    let writes = match segments[at].as_str() {
        "ActiveModel" => true,
        "Entity" => segments.get(at + 1).is_some_and(|m| {
            ["insert", "update", "delete"]
                .iter()
                .any(|w| m.starts_with(w))
        }),
        _ => false,
    };
    let access = if writes {
        TableAccess::Write
    } else {
        TableAccess::Read
    };
    Some((module.clone(), access))
}
