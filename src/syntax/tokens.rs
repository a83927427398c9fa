//! Reading macro bodies as tokens, where they are not Rust syn can parse: diesel's `table!`
//! and the item headers of a DSL.

use proc_macro2::{TokenStream, TokenTree};

use super::facts::ItemKind;

/// `[pub] struct|enum|union|trait|type Name` at the top level of a macro body that is not
/// plain Rust: the names such a module-level macro most likely defines.
pub(super) fn item_headers(tokens: &TokenStream) -> Vec<(proc_macro2::Ident, ItemKind, bool)> {
    let mut out = Vec::new();
    let mut public = false;
    let mut kind: Option<ItemKind> = None;
    for tt in tokens.clone() {
        match tt {
            TokenTree::Ident(id) => {
                if let Some(k) = kind.take() {
                    out.push((id, k, public));
                    public = false;
                    continue;
                }
                kind = match id.to_string().as_str() {
                    "struct" => Some(ItemKind::Struct),
                    "enum" => Some(ItemKind::Enum),
                    "union" => Some(ItemKind::Union),
                    "trait" => Some(ItemKind::Trait),
                    "type" => Some(ItemKind::TypeAlias),
                    _ => None,
                };
                if kind.is_none() {
                    public = id == "pub";
                }
            }
            // `pub(crate)`: the group after `pub` keeps it public enough to be named.
            TokenTree::Group(_) if public => {}
            _ => {
                kind = None;
                public = false;
            }
        }
    }
    out
}

/// Table names of diesel's `table! { [schema.]name (key) { columns } ... }`.
pub(super) fn diesel_tables(tokens: &TokenStream) -> Vec<proc_macro2::Ident> {
    let mut out = Vec::new();
    let mut prev_ident: Option<proc_macro2::Ident> = None;
    let mut after_pound = false;
    for tt in tokens.clone() {
        match tt {
            TokenTree::Punct(p) if p.as_char() == '#' => after_pound = true,
            // `#[derive(..)]` and `#[sql_name = ..]` attributes before a table.
            TokenTree::Group(_) if after_pound => after_pound = false,
            TokenTree::Ident(id) => prev_ident = Some(id),
            TokenTree::Punct(p) if p.as_char() == '.' => prev_ident = None,
            TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::Parenthesis => {
                if let Some(id) = prev_ident.take() {
                    out.push(id);
                }
            }
            _ => {}
        }
    }
    out
}
