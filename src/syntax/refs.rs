//! The reference collector: visits everything inside one item (signatures, bodies, macro
//! bodies that parse as Rust) and records every path it names, method calls, local names
//! and the tables its SQL strings touch.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};

use super::attrs::{is_cfg_test, item_attrs};
use super::facts::*;
use super::macros;
use super::paths::{flatten_use, path_pos, path_text, pos};
use super::sea_orm::entity_access;
use super::sql;
use super::tokens::diesel_tables;
use super::types::{
    Bounds, Env, bound_ident, bounded_type_paths, chain_of, trait_bounds, typed_name,
};

/// Runs a reference collector for one owner and moves what it found into `facts`.
pub(super) fn collect(
    facts: &mut ModuleFacts,
    owner: Owner,
    options: ExtractOptions,
    f: impl FnOnce(&mut RefCollector),
) {
    let mut c = RefCollector {
        owner,
        options,
        facts,
        env: Env::new(),
        bounds: Bounds::new(),
    };
    f(&mut c);
}

/// Visits everything inside one item and records the paths it names.
pub(super) struct RefCollector<'a> {
    owner: Owner,
    options: ExtractOptions,
    facts: &'a mut ModuleFacts,
    /// Names bound to receiver chains in the body being visited (see [`Env`]).
    env: Env,
    /// Trait bounds of the generic parameters in scope (the impl's and the fn's).
    bounds: Bounds,
}

fn is_primitive(name: &str) -> bool {
    matches!(
        name,
        "bool"
            | "char"
            | "str"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "f32"
            | "f64"
    )
}

fn is_upper_camel(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars().any(|c| c.is_ascii_lowercase())
}

impl RefCollector<'_> {
    pub(super) fn push_path(&mut self, path: &syn::Path, kind: RefKind) {
        let text = path_text(path);
        if text.segments.is_empty() || text.segments[0] == "Self" {
            return;
        }
        if text.segments.len() == 1 && !text.leading_colon && is_primitive(&text.segments[0]) {
            return;
        }
        if let Some((table, access)) = entity_access(&text.segments) {
            self.facts.tables.push(TableRef {
                owner: self.owner,
                table,
                access,
                pos: path_pos(path),
                sea_orm: true,
            });
        }
        self.facts.refs.push(PathRef {
            owner: self.owner,
            path: text,
            kind,
            pos: path_pos(path),
        });
    }

    /// The trait of a qualified path: `<Invoice as Payable>::pay` names `Payable` (the
    /// first `position` segments of the path); `<T>::f` names no trait.
    fn qself_trait(&mut self, q: &syn::QSelf, path: &syn::Path, kind: RefKind) {
        if q.position == 0 {
            return;
        }
        let mut trait_path = path.clone();
        trait_path.segments = path.segments.iter().take(q.position).cloned().collect();
        self.push_path(&trait_path, kind);
    }

    /// `<T as Trait>::m(..)`: a call of `m` on a value of `Trait` (typed by the resolver
    /// like `x.m()` on `x: &dyn Trait`), so the impls' code is reached as from a method call.
    fn qualified_call(&mut self, q: &syn::QSelf, path: &syn::Path) {
        self.visit_type(&q.ty);
        let mut trait_path = path.clone();
        trait_path.segments = path.segments.iter().take(q.position).cloned().collect();
        let method = &path.segments[q.position];
        self.facts.method_calls.push(MethodCall {
            owner: self.owner,
            name: method.ident.to_string(),
            pos: pos(method.ident.span()),
            receiver: Some(Chain {
                base: ChainBase::Typed(vec![path_text(&trait_path)]),
                hops: Vec::new(),
            }),
            qualified: true,
        });
        self.visit_path_generics(path);
    }

    /// Generic arguments inside a path (`Vec<Order>`), without the path itself.
    pub(super) fn visit_path_generics(&mut self, path: &syn::Path) {
        for seg in &path.segments {
            self.visit_path_arguments(&seg.arguments);
        }
    }

    /// Names a pattern binds (`let bad = ..`, closure and function parameters): calls
    /// through them (`bad(..)`) are not paths to resolve.
    fn bind_pattern(&mut self, pat: &syn::Pat) {
        match pat {
            syn::Pat::Ident(pi) if !is_upper_camel(&pi.ident.to_string()) => {
                self.value_local(pi.ident.to_string());
            }
            syn::Pat::Type(pt) => self.bind_pattern(&pt.pat),
            syn::Pat::Tuple(t) => t.elems.iter().for_each(|p| self.bind_pattern(p)),
            syn::Pat::Reference(r) => self.bind_pattern(&r.pat),
            _ => {}
        }
    }

    fn local(&mut self, name: String) {
        self.facts.locals.push((self.owner, name));
    }

    /// A variable: it lives in the value namespace, so it hides `name(..)` but not the
    /// module in `name::Item` (`fn save(order: order::Order)` names the module `order`).
    fn value_local(&mut self, name: String) {
        self.env.insert(name.clone(), None);
        self.facts.value_locals.push((self.owner, name));
    }

    /// Visits `f` with the bindings of the enclosing scope restored afterwards: a body,
    /// block or closure's names do not outlive it.
    fn scoped(&mut self, f: impl FnOnce(&mut Self)) {
        let saved = self.env.clone();
        f(self);
        self.env = saved;
    }

    /// Visits a fn with no outer bindings, its generic parameters' bounds in scope only
    /// inside it.
    fn fn_scope(&mut self, f: impl FnOnce(&mut Self)) {
        let bounds = self.bounds.clone();
        self.scoped(|this| {
            this.env.clear();
            f(this);
        });
        self.bounds = bounds;
    }

    /// `T: A + B` (inline or in a `where` clause): values of type `T` are typed as `A`.
    fn add_bounds(
        &mut self,
        name: String,
        bounds: &Punctuated<syn::TypeParamBound, syn::Token![+]>,
    ) {
        let traits = trait_bounds(bounds);
        if !traits.is_empty() {
            self.bounds.entry(name).or_default().extend(traits);
        }
    }

    fn string_literal(&mut self, s: &syn::LitStr) {
        let text = s.value();
        if text.len() < 10 {
            return;
        }
        for (table, access) in sql::tables_in(&text) {
            self.facts.tables.push(TableRef {
                owner: self.owner,
                table,
                access,
                pos: pos(s.span()),
                sea_orm: false,
            });
        }
    }

    /// Macro bodies are token soup to syn; most hold expressions (`vec![..]`,
    /// `format!(..)`, `assert_eq!(..)`) or statements, which are worth visiting.
    fn macro_body(&mut self, mac: &syn::Macro) {
        let last = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if last == "table" {
            self.diesel_table(&mac.tokens);
            return;
        }
        if self.local_expansion(mac) {
            return;
        }
        let parser = Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        if let Ok(exprs) = syn::parse::Parser::parse2(parser, mac.tokens.clone()) {
            for e in &exprs {
                self.visit_expr(e);
            }
        } else if let Ok(stmts) =
            syn::parse::Parser::parse2(syn::Block::parse_within, mac.tokens.clone())
        {
            for s in &stmts {
                self.visit_stmt(s);
            }
        } else {
            self.string_literals_in(mac.tokens.clone());
        }
    }

    /// A macro of this file invoked in a body: its expansion is read as the expression or
    /// statements it stands for, instead of its arguments alone.
    fn local_expansion(&mut self, mac: &syn::Macro) -> bool {
        // At module level an expansion is items (see `extract::macro_facts`), not code.
        if self.owner == Owner::Module {
            return false;
        }
        let before = FactCounts::of(self.facts);
        let read = macros::with_expansion(mac, |tokens| {
            if let Ok(e) = syn::parse2::<syn::Expr>(tokens.clone()) {
                self.visit_expr(&e);
                true
            } else if let Ok(stmts) = syn::parse::Parser::parse2(syn::Block::parse_within, tokens) {
                stmts.iter().for_each(|s| self.visit_stmt(s));
                true
            } else {
                false
            }
        });
        let read = read == Some(true);
        if read {
            before.keep_first_of_each_since(self.facts);
        }
        read
    }

    fn string_literals_in(&mut self, tokens: TokenStream) {
        for tt in tokens {
            match tt {
                TokenTree::Literal(lit) => {
                    if let Ok(s) = syn::parse2::<syn::LitStr>(lit.into_token_stream()) {
                        self.string_literal(&s);
                    }
                }
                TokenTree::Group(g) => self.string_literals_in(g.stream()),
                _ => {}
            }
        }
    }

    /// diesel's `table!`: each table it defines.
    fn diesel_table(&mut self, tokens: &TokenStream) {
        for id in diesel_tables(tokens) {
            self.facts.tables.push(TableRef {
                owner: self.owner,
                table: id.to_string(),
                access: TableAccess::Define,
                pos: pos(id.span()),
                sea_orm: false,
            });
        }
    }
}

impl<'ast> Visit<'ast> for RefCollector<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        if !self.options.include_tests && is_cfg_test(item_attrs(item)) {
            return;
        }
        // Items inside function bodies belong to the enclosing item; their names shadow
        // module-level ones inside it.
        match item {
            syn::Item::Use(u) => {
                let prefix = PathText {
                    leading_colon: u.leading_colon.is_some(),
                    segments: Vec::new(),
                };
                let mut uses = Vec::new();
                flatten_use(&u.tree, prefix, Visibility::Private, self.owner, &mut uses);
                self.facts.uses.extend(uses);
                return;
            }
            syn::Item::Struct(s) => self.local(s.ident.to_string()),
            syn::Item::Enum(e) => self.local(e.ident.to_string()),
            syn::Item::Fn(f) => self.local(f.sig.ident.to_string()),
            syn::Item::Const(c) => self.local(c.ident.to_string()),
            syn::Item::Static(s) => self.local(s.ident.to_string()),
            syn::Item::Trait(t) => self.local(t.ident.to_string()),
            syn::Item::Type(t) => self.local(t.ident.to_string()),
            // A `macro_rules!` inside a body is that body's own: `name!()` is no path to
            // resolve against the module.
            syn::Item::Macro(m) if m.mac.path.is_ident("macro_rules") => {
                if let Some(ident) = &m.ident {
                    self.local(ident.to_string());
                }
                return;
            }
            syn::Item::Mod(_) => return,
            _ => {}
        }
        visit::visit_item(self, item);
    }

    fn visit_generic_param(&mut self, p: &'ast syn::GenericParam) {
        match p {
            syn::GenericParam::Type(t) => {
                self.local(t.ident.to_string());
                self.bounds.remove(&t.ident.to_string());
                self.add_bounds(t.ident.to_string(), &t.bounds);
            }
            syn::GenericParam::Const(c) => self.local(c.ident.to_string()),
            syn::GenericParam::Lifetime(_) => {}
        }
        visit::visit_generic_param(self, p);
    }

    fn visit_where_predicate(&mut self, p: &'ast syn::WherePredicate) {
        if let syn::WherePredicate::Type(t) = p
            && let syn::Type::Path(tp) = &t.bounded_ty
            && tp.qself.is_none()
            && let Some(id) = tp.path.get_ident()
            && id != "Self"
        {
            self.add_bounds(id.to_string(), &t.bounds);
        }
        visit::visit_where_predicate(self, p);
    }

    fn visit_type_path(&mut self, tp: &'ast syn::TypePath) {
        if let Some(q) = &tp.qself {
            self.visit_type(&q.ty);
            self.qself_trait(q, &tp.path, RefKind::Type);
        } else {
            self.push_path(&tp.path, RefKind::Type);
        }
        self.visit_path_generics(&tp.path);
    }

    fn visit_trait_bound(&mut self, b: &'ast syn::TraitBound) {
        self.push_path(&b.path, RefKind::Bound);
        self.visit_path_generics(&b.path);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let Some((table, pos)) = super::diesel_writes::diesel_write(call) {
            self.facts.tables.push(TableRef {
                owner: self.owner,
                table,
                access: TableAccess::Write,
                pos,
                sea_orm: false,
            });
        }
        if let syn::Expr::Path(p) = &*call.func
            && let Some(q) = &p.qself
            && q.position > 0
            && p.path.segments.len() == q.position + 1
        {
            self.qualified_call(q, &p.path);
        } else if let syn::Expr::Path(p) = &*call.func
            && p.qself.is_none()
        {
            let last = p.path.segments.last().map(|s| s.ident.to_string());
            let kind = if last.as_deref().is_some_and(is_upper_camel) {
                RefKind::Construct
            } else {
                RefKind::Call
            };
            self.push_path(&p.path, kind);
            self.visit_path_generics(&p.path);
        } else {
            self.visit_expr(&call.func);
        }
        for arg in &call.args {
            self.visit_expr(arg);
        }
    }

    fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
        if let Some(q) = &p.qself {
            self.visit_type(&q.ty);
            self.qself_trait(q, &p.path, RefKind::Call);
            self.visit_path_generics(&p.path);
            return;
        }
        let single = p.path.segments.len() == 1 && p.path.leading_colon.is_none();
        let first = p.path.segments[0].ident.to_string();
        // A lone lowercase name in an expression is a local variable far more often than
        // a function used as a value; those are left out rather than counted unresolved.
        if single
            && first
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase() || c == '_')
        {
            return;
        }
        let last = p.path.segments.last().map(|s| s.ident.to_string());
        let kind = if last.as_deref().is_some_and(is_upper_camel) {
            RefKind::Construct
        } else {
            RefKind::Call
        };
        self.push_path(&p.path, kind);
        self.visit_path_generics(&p.path);
    }

    fn visit_expr_struct(&mut self, s: &'ast syn::ExprStruct) {
        if s.qself.is_none() {
            self.push_path(&s.path, RefKind::Construct);
            self.visit_path_generics(&s.path);
        }
        for f in &s.fields {
            self.visit_expr(&f.expr);
        }
        if let Some(rest) = &s.rest {
            self.visit_expr(rest);
        }
    }

    fn visit_pat_struct(&mut self, s: &'ast syn::PatStruct) {
        if s.qself.is_none() {
            self.push_path(&s.path, RefKind::Construct);
        }
        for f in &s.fields {
            self.visit_pat(&f.pat);
        }
    }

    fn visit_pat_tuple_struct(&mut self, s: &'ast syn::PatTupleStruct) {
        if s.qself.is_none() {
            self.push_path(&s.path, RefKind::Construct);
        }
        for p in &s.elems {
            self.visit_pat(p);
        }
    }

    fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
        // `Status::Active` style unit variants imported by a glob look like bindings; an
        // UpperCamel binding is almost always such a variant or a unit struct.
        if is_upper_camel(&p.ident.to_string()) && p.subpat.is_none() {
            self.push_path(&syn::Path::from(p.ident.clone()), RefKind::Construct);
        } else if !is_upper_camel(&p.ident.to_string()) {
            // Bindings of `match` arms, `if let`, `while let` and `for` shadow module
            // names just like `let` ones: `Some(bad) => bad()` does not call a fn `bad`.
            self.value_local(p.ident.to_string());
        }
        if let Some((_, sub)) = &p.subpat {
            self.visit_pat(sub);
        }
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        // The initializer runs before the binding exists: `let x = x.get()` reads the
        // outer `x`, so it is typed and visited with the bindings from before.
        let before = self.env.clone();
        let bound = bound_ident(&l.pat).and_then(|(name, ty)| {
            let chain = match ty {
                Some(ty) => Some(Chain {
                    base: ChainBase::Typed(bounded_type_paths(ty, &self.bounds)),
                    hops: Vec::new(),
                })
                .filter(|c| !matches!(&c.base, ChainBase::Typed(p) if p.is_empty())),
                None => l.init.as_ref().and_then(|i| chain_of(&i.expr, &before)),
            };
            chain.map(|c| (name, c))
        });
        self.bind_pattern(&l.pat);
        let after = std::mem::replace(&mut self.env, before);
        if let Some(init) = &l.init {
            self.visit_expr(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
        }
        self.env = after;
        self.visit_pat(&l.pat);
        if let Some((name, chain)) = bound {
            self.env.insert(name, Some(chain));
        }
    }

    fn visit_fn_arg(&mut self, a: &'ast syn::FnArg) {
        if let syn::FnArg::Typed(pt) = a {
            self.bind_pattern(&pt.pat);
        }
        visit::visit_fn_arg(self, a);
        if let syn::FnArg::Typed(pt) = a
            && let Some(name) = typed_name(&pt.pat)
        {
            let paths = bounded_type_paths(&pt.ty, &self.bounds);
            if !paths.is_empty() {
                let chain = Chain {
                    base: ChainBase::Typed(paths),
                    hops: Vec::new(),
                };
                self.env.insert(name, Some(chain));
            }
        }
    }

    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        self.scoped(|this| {
            for p in &c.inputs {
                this.bind_pattern(p);
            }
            visit::visit_expr_closure(this, c);
        });
    }

    fn visit_block(&mut self, b: &'ast syn::Block) {
        self.scoped(|this| visit::visit_block(this, b));
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.fn_scope(|this| visit::visit_item_fn(this, f));
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        self.fn_scope(|this| visit::visit_trait_item_fn(this, f));
    }

    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        self.facts.method_calls.push(MethodCall {
            owner: self.owner,
            name: m.method.to_string(),
            pos: pos(m.method.span()),
            receiver: chain_of(&m.receiver, &self.env),
            qualified: false,
        });
        visit::visit_expr_method_call(self, m);
    }

    fn visit_expr_field(&mut self, f: &'ast syn::ExprField) {
        if let syn::Member::Named(id) = &f.member
            && let Some(receiver) = chain_of(&f.base, &self.env)
        {
            self.facts.field_accesses.push(FieldAccess {
                owner: self.owner,
                name: id.to_string(),
                pos: pos(id.span()),
                receiver,
            });
        }
        visit::visit_expr_field(self, f);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.push_path(&mac.path, RefKind::Macro);
        self.macro_body(mac);
    }

    fn visit_lit_str(&mut self, s: &'ast syn::LitStr) {
        self.string_literal(s);
    }

    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {
        // Attribute paths (`derive`, `serde`) are not references to items of the code.
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if !self.options.include_tests && is_cfg_test(&f.attrs) {
            return;
        }
        self.fn_scope(|this| visit::visit_impl_item_fn(this, f));
    }
}

/// How many facts of each kind a module had before an expansion was read. An expansion
/// that uses an argument twice (`$e + $e`) names what is in it twice at the same source
/// position; the source holds it once, so counts and listings do too.
struct FactCounts {
    refs: usize,
    method_calls: usize,
    field_accesses: usize,
    tables: usize,
}

impl FactCounts {
    fn of(facts: &ModuleFacts) -> Self {
        FactCounts {
            refs: facts.refs.len(),
            method_calls: facts.method_calls.len(),
            field_accesses: facts.field_accesses.len(),
            tables: facts.tables.len(),
        }
    }

    fn keep_first_of_each_since(&self, facts: &mut ModuleFacts) {
        keep_first_since(&mut facts.refs, self.refs);
        keep_first_since(&mut facts.method_calls, self.method_calls);
        keep_first_since(&mut facts.field_accesses, self.field_accesses);
        keep_first_since(&mut facts.tables, self.tables);
    }
}

fn keep_first_since<T: Clone + Eq + std::hash::Hash>(facts: &mut Vec<T>, from: usize) {
    let mut seen = std::collections::HashSet::new();
    let added = facts.split_off(from.min(facts.len()));
    facts.extend(added.into_iter().filter(|fact| seen.insert(fact.clone())));
}
