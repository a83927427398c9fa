//! Paths and positions as facts keep them: a span's line and column, a path's segments,
//! a type's text, a `use` tree flattened into its leaves.

use proc_macro2::Span;
use quote::ToTokens;

use super::facts::*;

pub fn pos(span: Span) -> Pos {
    let start = span.start();
    Pos {
        line: start.line as u32,
        column: start.column as u32 + 1,
    }
}

pub fn path_text(path: &syn::Path) -> PathText {
    PathText {
        leading_colon: path.leading_colon.is_some(),
        segments: path.segments.iter().map(|s| s.ident.to_string()).collect(),
    }
}

pub(super) fn path_pos(path: &syn::Path) -> Pos {
    path.segments
        .first()
        .map(|s| pos(s.ident.span()))
        .unwrap_or_default()
}

/// A type as written, with the spaces `to_string` puts between tokens taken out again.
pub fn type_text(ty: &syn::Type) -> String {
    let raw = ty.to_token_stream().to_string();
    let mut out = String::with_capacity(raw.len());
    let chars: Vec<char> = raw.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = chars[..i].last().copied().unwrap_or(' ');
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            let keep = (prev.is_alphanumeric() || prev == '_' || prev == '\'' || prev == ',')
                && (next.is_alphanumeric() || next == '_' || next == '&' || next == '(')
                || prev == ',';
            if keep {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

pub(super) fn flatten_use(
    tree: &syn::UseTree,
    prefix: PathText,
    v: Visibility,
    owner: Owner,
    out: &mut Vec<UseDecl>,
) {
    match tree {
        syn::UseTree::Path(p) => {
            let mut next = prefix;
            next.segments.push(p.ident.to_string());
            flatten_use(&p.tree, next, v, owner, out);
        }
        syn::UseTree::Name(n) => {
            let mut path = prefix;
            // `use a::{self}` imports `a` itself.
            if n.ident != "self" {
                path.segments.push(n.ident.to_string());
            }
            out.push(UseDecl {
                path,
                kind: UseKind::Named { rename: None },
                vis: v,
                pos: pos(n.ident.span()),
                owner,
            });
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix;
            if r.ident != "self" {
                path.segments.push(r.ident.to_string());
            }
            out.push(UseDecl {
                path,
                kind: UseKind::Named {
                    rename: Some(r.rename.to_string()),
                },
                vis: v,
                pos: pos(r.ident.span()),
                owner,
            });
        }
        syn::UseTree::Glob(g) => out.push(UseDecl {
            path: prefix,
            kind: UseKind::Glob,
            vis: v,
            pos: pos(g.star_token.span),
            owner,
        }),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten_use(t, prefix.clone(), v.clone(), owner, out);
            }
        }
    }
}
