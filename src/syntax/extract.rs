//! syn tree → [`ModuleFacts`]: items, use trees, `mod` declarations, impl blocks, and every
//! path the code names with the position of its first segment.

use std::borrow::Cow;

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

use super::attrs::{has_attr, is_cfg_test, item_attrs, path_attr, vis};
use super::facts::*;
use super::macros;
use super::paths::{flatten_use, path_text, pos, type_text};
use super::refs::collect;
use super::sea_orm::entity_table;
use super::tokens::{diesel_tables, item_headers};
use super::types::{bounded_type_paths, generic_bounds, return_paths, trait_bounds};

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
    let ret = return_paths(&sig.output);
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

fn item_facts(item: &syn::Item, facts: &mut ModuleFacts, options: ExtractOptions) {
    if !options.include_tests && is_cfg_test(item_attrs(item)) {
        excluded_test_module(item, facts);
        return;
    }
    match item {
        syn::Item::Use(u) => {
            let prefix = PathText {
                leading_colon: u.leading_colon.is_some(),
                segments: Vec::new(),
            };
            flatten_use(&u.tree, prefix, vis(&u.vis), Owner::Module, &mut facts.uses);
        }
        syn::Item::Mod(m) => facts.mods.push(mod_decl(m, options)),
        syn::Item::ExternCrate(e) => facts.extern_crates.push(ExternCrate {
            name: e.ident.to_string(),
            rename: e.rename.as_ref().map(|(_, r)| r.to_string()),
            vis: vis(&e.vis),
            pos: pos(e.ident.span()),
            macro_use: has_attr(&e.attrs, "macro_use"),
        }),
        syn::Item::Struct(s) => struct_facts(s, facts, options),
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
        syn::Item::Trait(t) => trait_facts(t, facts, options),
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
        syn::Item::Macro(m) => macro_facts(m, facts, options),
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

/// A `#[cfg(test)] mod tests;` left out still claims its file (it is no orphan).
fn excluded_test_module(item: &syn::Item, facts: &mut ModuleFacts) {
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
}

/// Records an item definition; what the item's body names is collected under the owner
/// returned.
fn define(
    facts: &mut ModuleFacts,
    ident: &syn::Ident,
    kind: ItemKind,
    v: &syn::Visibility,
) -> Owner {
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
        supertraits: Vec::new(),
        generics: Vec::new(),
    });
    Owner::Item(facts.items.len() as u32 - 1)
}

/// `mod name;` or `mod name { .. }`, the inline body extracted as its own facts.
fn mod_decl(m: &syn::ItemMod, options: ExtractOptions) -> ModDecl {
    ModDecl {
        name: m.ident.to_string(),
        vis: vis(&m.vis),
        pos: pos(m.ident.span()),
        path_attr: path_attr(&m.attrs),
        cfg_test: is_cfg_test(&m.attrs),
        inline: m
            .content
            .as_ref()
            .map(|(_, items)| Box::new(module_facts(items, options))),
        lines: m.content.as_ref().map_or(0, |(brace, _)| {
            let span = brace.span;
            (span.close().start().line + 1).saturating_sub(span.open().start().line) as u32
        }),
        macro_use: has_attr(&m.attrs, "macro_use"),
    }
}

fn struct_facts(s: &syn::ItemStruct, facts: &mut ModuleFacts, options: ExtractOptions) {
    let owner = define(facts, &s.ident, ItemKind::Struct, &s.vis);
    if let Some(table) = entity_table(&s.attrs) {
        facts.tables.push(TableRef {
            owner,
            table: table.value(),
            access: TableAccess::Define,
            pos: pos(table.span()),
            sea_orm: true,
        });
    }
    // Tuple fields (`.0`) are left out: counted as edges, the `.0` of the kernel's
    // newtypes (dates, money) helped pull shop's pricing into the kernel.
    // A field whose type is a bounded parameter (`struct S<H: Tr> { h: H }`) is a value of
    // its bounds, like a parameter `h: &H` in a fn.
    let bounds = generic_bounds(&s.generics);
    if let Some(last) = facts.items.last_mut() {
        last.generics = (s.generics.params.iter())
            .filter_map(|p| match p {
                syn::GenericParam::Type(t) => Some(t.ident.to_string()),
                syn::GenericParam::Const(c) => Some(c.ident.to_string()),
                syn::GenericParam::Lifetime(_) => None,
            })
            .collect();
    }
    if let (Some(last), syn::Fields::Named(named)) = (facts.items.last_mut(), &s.fields) {
        last.fields = named
            .named
            .iter()
            .filter_map(|f| {
                let paths = bounded_type_paths(&f.ty, &bounds);
                let name = f.ident.as_ref()?.to_string();
                (!paths.is_empty()).then_some((name, paths))
            })
            .collect();
    }
    collect(facts, owner, options, |c| c.visit_item_struct(s));
}

fn trait_facts(t: &syn::ItemTrait, facts: &mut ModuleFacts, options: ExtractOptions) {
    let owner = define(facts, &t.ident, ItemKind::Trait, &t.vis);
    if let Some(last) = facts.items.last_mut() {
        last.trait_fns = t
            .items
            .iter()
            .filter_map(|i| match i {
                syn::TraitItem::Fn(f) => {
                    Some((f.sig.ident.to_string(), return_paths(&f.sig.output)))
                }
                _ => None,
            })
            .collect();
        last.supertraits = trait_bounds(&t.supertraits);
    }
    collect(facts, owner, options, |c| c.visit_item_trait(t));
}

/// `macro_rules!` defines a macro; other module-level macros are read for what they
/// define: diesel tables, `cfg_if!` branches, items written plainly, or a DSL's headers.
fn macro_facts(m: &syn::ItemMacro, facts: &mut ModuleFacts, options: ExtractOptions) {
    if let Some(ident) = &m.ident
        && m.mac.path.is_ident("macro_rules")
    {
        define(facts, ident, ItemKind::Macro, &syn::Visibility::Inherited);
        if let Some(last) = facts.items.last_mut() {
            last.macro_export = has_attr(&m.attrs, "macro_export");
        }
        return;
    }
    // The items a macro of this file expands to are not read: measured in the eleventh
    // round (docs/benchmarks.md), svix's id types cost it 11.5 points.
    collect(facts, Owner::Module, options, |c| c.visit_macro(&m.mac));
    let name = m.mac.path.segments.last().map(|s| s.ident.to_string());
    let public = || syn::Visibility::Public(Default::default());
    match name.as_deref() {
        Some("table") => {
            for id in diesel_tables(&m.mac.tokens) {
                define(facts, &id, ItemKind::Table, &public());
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
                for (ident, kind, is_public) in item_headers(&m.mac.tokens) {
                    let v = if is_public {
                        public()
                    } else {
                        syn::Visibility::Inherited
                    };
                    define(facts, &ident, kind, &v);
                }
            }
        }
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

/// The bounds `impl<H: Tr> S<'a, H, u32>` puts on each type argument of its self type:
/// `[[Tr], []]`.
fn self_bounds(i: &syn::ItemImpl) -> Vec<Vec<PathText>> {
    let syn::Type::Path(tp) = &*i.self_ty else {
        return Vec::new();
    };
    let Some(syn::PathArguments::AngleBracketed(args)) =
        tp.path.segments.last().map(|s| &s.arguments)
    else {
        return Vec::new();
    };
    let bounds = generic_bounds(&i.generics);
    (args.args.iter())
        .filter_map(|a| match a {
            syn::GenericArgument::Type(syn::Type::Path(p)) if p.qself.is_none() => Some(
                (p.path.get_ident())
                    .and_then(|id| bounds.get(&id.to_string()))
                    .cloned()
                    .unwrap_or_default(),
            ),
            // Positions follow the struct's type and const parameters.
            syn::GenericArgument::Type(_) | syn::GenericArgument::Const(_) => Some(Vec::new()),
            _ => None,
        })
        .collect()
}

fn impl_facts(i: &syn::ItemImpl, facts: &mut ModuleFacts, options: ExtractOptions) {
    let self_ty = match &*i.self_ty {
        syn::Type::Path(tp) if tp.qself.is_none() => Some(path_text(&tp.path)),
        _ => None,
    };
    let (items, invoked) = impl_items(&i.items);
    let mut fns = Vec::new();
    let mut others = Vec::new();
    for (item, at) in &items {
        match &**item {
            syn::ImplItem::Fn(f) if options.include_tests || !is_cfg_test(&f.attrs) => {
                fns.push((
                    f.sig.ident.to_string(),
                    fn_sig(&f.sig),
                    at.unwrap_or_else(|| pos(f.sig.ident.span())),
                ));
            }
            syn::ImplItem::Const(c) => others.push(c.ident.to_string()),
            syn::ImplItem::Type(t) => others.push(t.ident.to_string()),
            _ => {}
        }
    }
    let blanket = self_ty.as_ref().is_some_and(|p| {
        !p.leading_colon
            && p.segments.len() == 1
            && (i.generics.type_params()).any(|t| t.ident == p.segments[0])
    });
    facts.impls.push(ImplDef {
        self_bounds: self_bounds(i),
        blanket,
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
        for path in &invoked {
            c.push_path(path, RefKind::Macro);
        }
        for (item, _) in &items {
            if let syn::ImplItem::Fn(f) = &**item
                && !options.include_tests
                && is_cfg_test(&f.attrs)
            {
                continue;
            }
            c.visit_impl_item(item);
        }
    });
}

/// An impl block's items with what its invocations of this file's macros generate in
/// their place, and the paths of those invocations. A generated item carries the
/// invocation's position: its methods start there, so what the expansion names (from the
/// arguments or, at the closing delimiter, from the macro's body) is in them.
#[allow(clippy::type_complexity)]
fn impl_items(
    items: &[syn::ImplItem],
) -> (Vec<(Cow<'_, syn::ImplItem>, Option<Pos>)>, Vec<&syn::Path>) {
    let mut out = Vec::new();
    let mut invoked = Vec::new();
    for item in items {
        if let syn::ImplItem::Macro(m) = item
            && let Some(name) = m.mac.path.segments.last()
        {
            let at = pos(name.ident.span());
            let generated = macros::with_expansion(&m.mac, generated_impl_items).flatten();
            if let Some(generated) = generated {
                out.extend(generated.into_iter().map(|g| (Cow::Owned(g), Some(at))));
                invoked.push(&m.mac.path);
                continue;
            }
        }
        out.push((Cow::Borrowed(item), None));
    }
    (out, invoked)
}

/// An expansion read as impl items, its own invocations of local macros expanded in turn
/// (within the depth budget); `None` when it is no list of impl items.
fn generated_impl_items(tokens: TokenStream) -> Option<Vec<syn::ImplItem>> {
    let parser = |input: syn::parse::ParseStream| {
        let mut items = Vec::new();
        while !input.is_empty() {
            items.push(input.parse::<syn::ImplItem>()?);
        }
        Ok(items)
    };
    let items = syn::parse::Parser::parse2(parser, tokens).ok()?;
    let mut out = Vec::new();
    for item in items {
        if let syn::ImplItem::Macro(m) = &item
            && let Some(Some(inner)) = macros::with_expansion(&m.mac, generated_impl_items)
        {
            out.extend(inner);
            continue;
        }
        out.push(item);
    }
    Some(out)
}
