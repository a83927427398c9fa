//! syn tree → [`ModuleFacts`]: items, use trees, `mod` declarations, impl blocks, and every
//! path the code names with the position of its first segment.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::visit::Visit;

use super::facts::*;
use super::refs::collect;

/// What to keep while extracting.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExtractOptions {
    /// Keep `#[cfg(test)]` modules and items and `#[test]` functions.
    pub include_tests: bool,
}

pub fn pos(span: Span) -> Pos {
    let start = span.start();
    Pos {
        line: start.line as u32,
        column: start.column as u32 + 1,
    }
}

fn vis(v: &syn::Visibility) -> Visibility {
    match v {
        syn::Visibility::Public(_) => Visibility::Public,
        syn::Visibility::Restricted(r) if r.path.is_ident("crate") => Visibility::Crate,
        syn::Visibility::Restricted(_) => Visibility::Restricted,
        syn::Visibility::Inherited => Visibility::Private,
    }
}

pub(super) fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        if a.path().is_ident("test") {
            return true;
        }
        if !a.path().is_ident("cfg") {
            return false;
        }
        let syn::Meta::List(list) = &a.meta else {
            return false;
        };
        // `cfg(test)` and `cfg(all(test, ...))`; `cfg(not(test))` keeps the item.
        let text = list.tokens.to_string();
        text == "test"
            || (text.starts_with("all") && text.contains("test") && !text.contains("not"))
    })
}

fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    let plain = attrs.iter().find_map(|a| path_value(&a.meta));
    // `#[cfg_attr(unix, path = "unix.rs")]`: the first platform's file stands for the
    // module, as every other cfg branch is analysed too.
    plain.or_else(|| {
        attrs.iter().find_map(|a| match &a.meta {
            syn::Meta::List(list) if list.path.is_ident("cfg_attr") => list
                .parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
                .ok()?
                .iter()
                .skip(1)
                .find_map(path_value),
            _ => None,
        })
    })
}

fn path_value(meta: &syn::Meta) -> Option<String> {
    match meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    }
}

fn has_attr(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|a| a.path().is_ident(name))
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

fn fn_sig(sig: &syn::Signature) -> FnSig {
    let mut receiver = None;
    let mut params = Vec::new();
    for input in &sig.inputs {
        match input {
            syn::FnArg::Receiver(r) => {
                receiver = Some(match &r.kind {
                    syn::ReceiverKind::Reference(_, _, Some(_)) => Receiver::RefMut,
                    syn::ReceiverKind::Reference(_, _, None) => Receiver::Ref,
                    _ => Receiver::Value,
                });
            }
            syn::FnArg::Typed(pt) => {
                let name = match &*pt.pat {
                    syn::Pat::Ident(pi) => pi.ident.to_string(),
                    _ => "_".to_string(),
                };
                params.push((name, type_text(&pt.ty)));
            }
        }
    }
    let ret = super::types::return_paths(&sig.output);
    FnSig {
        receiver,
        params,
        ret,
    }
}

/// Extracts the facts of a module from its items.
pub fn module_facts(items: &[syn::Item], options: ExtractOptions) -> ModuleFacts {
    let mut facts = ModuleFacts::default();
    for item in items {
        item_facts(item, &mut facts, options);
    }
    facts
}

pub(super) fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::ExternCrate(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::ForeignMod(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::TraitAlias(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Union(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

fn item_facts(item: &syn::Item, facts: &mut ModuleFacts, options: ExtractOptions) {
    if !options.include_tests && is_cfg_test(item_attrs(item)) {
        if let syn::Item::Mod(m) = item
            && m.content.is_none()
        {
            facts.excluded_mods.push(ModDecl {
                name: m.ident.to_string(),
                vis: vis(&m.vis),
                pos: pos(m.ident.span()),
                path_attr: path_attr(&m.attrs),
                cfg_test: true,
                inline: None,
                lines: 0,
                macro_use: false,
            });
        }
        return;
    }
    let define = |facts: &mut ModuleFacts,
                  ident: &syn::Ident,
                  kind: ItemKind,
                  v: &syn::Visibility|
     -> Owner {
        facts.items.push(ItemDef {
            name: ident.to_string(),
            kind,
            vis: vis(v),
            pos: pos(ident.span()),
            variants: Vec::new(),
            sig: None,
            macro_export: false,
            fields: Vec::new(),
            trait_fns: Vec::new(),
        });
        Owner::Item(facts.items.len() as u32 - 1)
    };
    match item {
        syn::Item::Use(u) => {
            let prefix = PathText {
                leading_colon: u.leading_colon.is_some(),
                segments: Vec::new(),
            };
            flatten_use(&u.tree, prefix, vis(&u.vis), Owner::Module, &mut facts.uses);
        }
        syn::Item::Mod(m) => {
            let cfg_test = is_cfg_test(&m.attrs);
            let inline = m
                .content
                .as_ref()
                .map(|(_, items)| Box::new(module_facts(items, options)));
            facts.mods.push(ModDecl {
                name: m.ident.to_string(),
                vis: vis(&m.vis),
                pos: pos(m.ident.span()),
                path_attr: path_attr(&m.attrs),
                cfg_test,
                inline,
                lines: m.content.as_ref().map_or(0, |(brace, _)| {
                    let span = brace.span;
                    (span.close().start().line + 1).saturating_sub(span.open().start().line) as u32
                }),
                macro_use: has_attr(&m.attrs, "macro_use"),
            });
        }
        syn::Item::ExternCrate(e) => facts.extern_crates.push(ExternCrate {
            name: e.ident.to_string(),
            rename: e.rename.as_ref().map(|(_, r)| r.to_string()),
            vis: vis(&e.vis),
            pos: pos(e.ident.span()),
            macro_use: has_attr(&e.attrs, "macro_use"),
        }),
        syn::Item::Struct(s) => {
            let owner = define(facts, &s.ident, ItemKind::Struct, &s.vis);
            // Tuple fields (`.0`) are left out: counted as edges, the `.0` of the kernel's
            // newtypes (dates, money) helped pull shop's pricing into the kernel.
            if let (Some(last), syn::Fields::Named(named)) = (facts.items.last_mut(), &s.fields) {
                last.fields = named
                    .named
                    .iter()
                    .filter_map(|f| {
                        let paths = super::types::type_paths(&f.ty);
                        let name = f.ident.as_ref()?.to_string();
                        (!paths.is_empty()).then_some((name, paths))
                    })
                    .collect();
            }
            collect(facts, owner, options, |c| c.visit_item_struct(s));
        }
        syn::Item::Union(s) => {
            let owner = define(facts, &s.ident, ItemKind::Union, &s.vis);
            collect(facts, owner, options, |c| c.visit_item_union(s));
        }
        syn::Item::Enum(e) => {
            let owner = define(facts, &e.ident, ItemKind::Enum, &e.vis);
            if let Some(last) = facts.items.last_mut() {
                last.variants = e.variants.iter().map(|v| v.ident.to_string()).collect();
            }
            collect(facts, owner, options, |c| c.visit_item_enum(e));
        }
        syn::Item::Trait(t) => {
            let owner = define(facts, &t.ident, ItemKind::Trait, &t.vis);
            if let Some(last) = facts.items.last_mut() {
                last.trait_fns = t
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        syn::TraitItem::Fn(f) => Some((
                            f.sig.ident.to_string(),
                            super::types::return_paths(&f.sig.output),
                        )),
                        _ => None,
                    })
                    .collect();
            }
            collect(facts, owner, options, |c| c.visit_item_trait(t));
        }
        syn::Item::TraitAlias(t) => {
            let owner = define(facts, &t.ident, ItemKind::Trait, &t.vis);
            collect(facts, owner, options, |c| c.visit_item_trait_alias(t));
        }
        syn::Item::Type(t) => {
            let owner = define(facts, &t.ident, ItemKind::TypeAlias, &t.vis);
            collect(facts, owner, options, |c| c.visit_item_type(t));
        }
        syn::Item::Fn(f) => {
            let owner = define(facts, &f.sig.ident, ItemKind::Fn, &f.vis);
            if let Some(last) = facts.items.last_mut() {
                last.sig = Some(fn_sig(&f.sig));
            }
            collect(facts, owner, options, |c| c.visit_item_fn(f));
        }
        syn::Item::Const(k) => {
            let owner = define(facts, &k.ident, ItemKind::Const, &k.vis);
            collect(facts, owner, options, |c| c.visit_item_const(k));
        }
        syn::Item::Static(s) => {
            let owner = define(facts, &s.ident, ItemKind::Static, &s.vis);
            collect(facts, owner, options, |c| c.visit_item_static(s));
        }
        syn::Item::Impl(i) => impl_facts(i, facts, options),
        syn::Item::Macro(m) => {
            if let Some(ident) = &m.ident
                && m.mac.path.is_ident("macro_rules")
            {
                define(facts, ident, ItemKind::Macro, &syn::Visibility::Inherited);
                if let Some(last) = facts.items.last_mut() {
                    last.macro_export = has_attr(&m.attrs, "macro_export");
                }
            } else {
                collect(facts, Owner::Module, options, |c| c.visit_macro(&m.mac));
                let name = m.mac.path.segments.last().map(|s| s.ident.to_string());
                match name.as_deref() {
                    Some("table") => {
                        for id in diesel_tables(&m.mac.tokens) {
                            define(
                                facts,
                                &id,
                                ItemKind::Table,
                                &syn::Visibility::Public(Default::default()),
                            );
                        }
                    }
                    // Conditional compilation wrappers: every branch is analysed, as
                    // rust-analyzer does with all features on.
                    Some("cfg_if" | "cfg_select" | "cfg_match") => {
                        wrapped_items(&m.mac.tokens, facts, options);
                    }
                    // Macros that expand to items (`lazy_static!`, `thread_local!`) hide their
                    // names; those written as plain items are worth reading.
                    _ => {
                        if let Ok(file) = syn::parse2::<syn::File>(m.mac.tokens.clone()) {
                            for inner in &file.items {
                                item_facts(inner, facts, options);
                            }
                        } else {
                            // A DSL (`bitflags! { pub struct Flags: u32 { .. } }`, petgraph's
                            // `trait_template!`): its item headers still name what it defines.
                            for (ident, kind, public) in item_headers(&m.mac.tokens) {
                                let v = if public {
                                    syn::Visibility::Public(Default::default())
                                } else {
                                    syn::Visibility::Inherited
                                };
                                define(facts, &ident, kind, &v);
                            }
                        }
                    }
                }
            }
        }
        syn::Item::ForeignMod(f) => {
            for fi in &f.items {
                if let syn::ForeignItem::Fn(func) = fi {
                    let owner = define(facts, &func.sig.ident, ItemKind::Fn, &func.vis);
                    collect(facts, owner, options, |c| c.visit_signature(&func.sig));
                }
            }
        }
        _ => {}
    }
}

/// Items inside the brace groups of `cfg_if! { if #[cfg(..)] { .. } else { .. } }` and
/// `cfg_select! { pred => { .. } _ => { .. } }`.
fn wrapped_items(tokens: &TokenStream, facts: &mut ModuleFacts, options: ExtractOptions) {
    for tt in tokens.clone() {
        if let TokenTree::Group(g) = tt
            && g.delimiter() == proc_macro2::Delimiter::Brace
        {
            match syn::parse2::<syn::File>(g.stream()) {
                Ok(file) => {
                    for inner in &file.items {
                        item_facts(inner, facts, options);
                    }
                }
                Err(_) => wrapped_items(&g.stream(), facts, options),
            }
        }
    }
}

/// `[pub] struct|enum|union|trait|type Name` at the top level of a macro body that is not
/// plain Rust: the names such a module-level macro most likely defines.
fn item_headers(tokens: &TokenStream) -> Vec<(proc_macro2::Ident, ItemKind, bool)> {
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

fn impl_facts(i: &syn::ItemImpl, facts: &mut ModuleFacts, options: ExtractOptions) {
    let self_ty = match &*i.self_ty {
        syn::Type::Path(tp) if tp.qself.is_none() => Some(path_text(&tp.path)),
        _ => None,
    };
    let mut fns = Vec::new();
    let mut others = Vec::new();
    for item in &i.items {
        match item {
            syn::ImplItem::Fn(f) if options.include_tests || !is_cfg_test(&f.attrs) => {
                fns.push((
                    f.sig.ident.to_string(),
                    fn_sig(&f.sig),
                    pos(f.sig.ident.span()),
                ));
            }
            syn::ImplItem::Const(c) => others.push(c.ident.to_string()),
            syn::ImplItem::Type(t) => others.push(t.ident.to_string()),
            _ => {}
        }
    }
    facts.impls.push(ImplDef {
        self_ty,
        trait_: i.trait_.as_ref().map(|(p, _)| path_text(p)),
        pos: pos(i.impl_token.span),
        fns,
        others,
    });
    let owner = Owner::Impl(facts.impls.len() as u32 - 1);
    collect(facts, owner, options, |c| {
        for param in &i.generics.params {
            c.visit_generic_param(param);
        }
        if let Some(wc) = &i.generics.where_clause {
            c.visit_where_clause(wc);
        }
        if let Some((trait_path, _)) = &i.trait_ {
            c.push_path(trait_path, RefKind::Impl);
            c.visit_path_generics(trait_path);
        }
        match &*i.self_ty {
            syn::Type::Path(tp) if tp.qself.is_none() => {
                c.push_path(&tp.path, RefKind::Impl);
                c.visit_path_generics(&tp.path);
            }
            other => c.visit_type(other),
        }
        for item in &i.items {
            if let syn::ImplItem::Fn(f) = item
                && !options.include_tests
                && is_cfg_test(&f.attrs)
            {
                continue;
            }
            c.visit_impl_item(item);
        }
    });
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
