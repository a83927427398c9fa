//! What the parse of one file keeps: use trees, references with kinds and positions, impl
//! headers, module declarations, bindings, SQL and receivers.

use super::*;

fn facts(src: &str) -> ModuleFacts {
    parse_file(src, ExtractOptions::default()).unwrap().module
}

fn refs(m: &ModuleFacts) -> Vec<(String, &'static str)> {
    m.refs
        .iter()
        .map(|r| (r.path.to_string(), r.kind.as_str()))
        .collect()
}

#[test]
fn use_trees_are_flattened_with_renames_globs_and_self() {
    let m = facts("pub use crate::a::{self, b::C as D, e::*, _f as _};\nuse ::ext::x;");
    let leaves: Vec<_> = m
        .uses
        .iter()
        .map(|u| (u.path.to_string(), u.kind.clone(), u.vis.clone()))
        .collect();
    assert_eq!(
        leaves,
        vec![
            (
                "crate::a".into(),
                UseKind::Named { rename: None },
                Visibility::Public
            ),
            (
                "crate::a::b::C".into(),
                UseKind::Named {
                    rename: Some("D".into())
                },
                Visibility::Public
            ),
            ("crate::a::e".into(), UseKind::Glob, Visibility::Public),
            (
                "crate::a::_f".into(),
                UseKind::Named {
                    rename: Some("_".into())
                },
                Visibility::Public
            ),
            (
                "::ext::x".into(),
                UseKind::Named { rename: None },
                Visibility::Private
            ),
        ]
    );
}

#[test]
fn references_carry_kind_owner_and_position() {
    let src = "struct S { o: orders::Order }\n\
               fn f<T: billing::Payable>(t: T) where T: Clone {\n    \
               let x = inventory::reserve(3);\n    \
               let s = catalog::Product { id: 1 };\n    \
               match x { Status::Active => {}, _ => {} }\n    \
               log!(\"{}\", util::fmt(x));\n    \
               x.confirm();\n}";
    let m = facts(src);
    assert_eq!(
        refs(&m),
        vec![
            ("orders::Order".into(), "type"),
            ("billing::Payable".into(), "bound"),
            ("T".into(), "type"),
            ("Clone".into(), "bound"),
            ("T".into(), "type"),
            ("inventory::reserve".into(), "call"),
            ("catalog::Product".into(), "construct"),
            ("Status::Active".into(), "construct"),
            ("log".into(), "macro"),
            ("util::fmt".into(), "call"),
        ]
    );
    assert_eq!(m.refs[0].owner, Owner::Item(0));
    assert_eq!(m.refs[5].owner, Owner::Item(1));
    assert_eq!(
        m.refs[5].pos,
        Pos {
            line: 3,
            column: 13
        }
    );
    assert_eq!(m.method_calls.len(), 1);
    assert_eq!(m.method_calls[0].name, "confirm");
    assert!(m.locals.contains(&(Owner::Item(1), "T".into())));
    // `t` and `x` are local variables, not paths to resolve; `T` is kept and resolve
    // skips it through `locals`.
    assert!(
        m.refs
            .iter()
            .all(|r| r.path.segments != ["t"] && r.path.segments != ["x"])
    );
}

#[test]
fn impl_headers_name_trait_and_type() {
    let m = facts(
        "impl From<orders::Order> for billing::Invoice { fn from(o: orders::Order) -> Self { Self::new() } fn total(&mut self, n: u32) {} }",
    );
    assert_eq!(m.impls.len(), 1);
    let imp = &m.impls[0];
    assert_eq!(imp.trait_.as_ref().unwrap().to_string(), "From");
    assert_eq!(
        imp.self_ty.as_ref().unwrap().to_string(),
        "billing::Invoice"
    );
    assert_eq!(imp.fns[1].0, "total");
    assert_eq!(imp.fns[1].1.receiver, Some(Receiver::RefMut));
    assert_eq!(
        imp.fns[1].1.params,
        vec![("n".to_string(), "u32".to_string())]
    );
    assert_eq!(
        refs(&m),
        vec![
            ("From".into(), "impl"),
            ("orders::Order".into(), "type"),
            ("billing::Invoice".into(), "impl"),
            ("orders::Order".into(), "type"),
        ]
    );
    assert!(m.refs.iter().all(|r| r.owner == Owner::Impl(0)));
}

#[test]
fn modules_cfg_test_and_path_attributes() {
    let src = "#[path = \"x/y.rs\"] pub mod a;\nmod b { pub fn g() {}\n}\n#[cfg(test)] mod tests { fn t() {} }";
    let m = facts(src);
    assert_eq!(m.mods.len(), 2, "cfg(test) module is left out");
    assert_eq!(m.mods[0].path_attr.as_deref(), Some("x/y.rs"));
    assert_eq!(m.mods[1].inline.as_ref().unwrap().items[0].name, "g");
    assert_eq!(m.mods[1].lines, 2);
    let with_tests = parse_file(
        src,
        ExtractOptions {
            include_tests: true,
        },
    )
    .unwrap();
    assert_eq!(with_tests.module.mods.len(), 3);
    assert!(with_tests.module.mods[2].cfg_test);
}

#[test]
fn parse_errors_have_positions() {
    let err = parse_file("fn ok() {}\nfn broken( {\n", ExtractOptions::default()).unwrap_err();
    assert_eq!(err.pos.line, 2);
    assert!(!err.message.is_empty());
    assert!(parse_file("", ExtractOptions::default()).is_ok());
}

/// The tables of `m` with how each is touched, in order.
fn table_accesses(m: &ModuleFacts) -> Vec<(&str, TableAccess)> {
    m.tables
        .iter()
        .map(|t| (t.table.as_str(), t.access))
        .collect()
}

#[test]
fn sql_in_strings_and_diesel_tables() {
    let src = "table! { orders (id) { id -> Int4, } }\n\
               fn f(db: &Db) { db.query(\"SELECT * FROM customers WHERE id = $1\"); \
               sqlx::query!(\"UPDATE stock SET qty = 1\"); }";
    assert_eq!(
        table_accesses(&facts(src)),
        vec![
            ("orders", TableAccess::Define),
            ("customers", TableAccess::Read),
            ("stock", TableAccess::Write),
        ]
    );
}

#[test]
fn type_text_is_readable() {
    let ty: syn::Type = syn::parse_str("&mut Vec < Option < String > >").unwrap();
    assert_eq!(type_text(&ty), "&mut Vec<Option<String>>");
    let ty: syn::Type = syn::parse_str("HashMap<u32, (i64, f64)>").unwrap();
    assert_eq!(type_text(&ty), "HashMap<u32, (i64, f64)>");
}

#[test]
fn match_if_let_and_for_bindings_are_locals() {
    let m = facts(
        "fn f(o: Option<u8>, v: Vec<u8>) { match o { Some(bad) => {} None => {} } \
         if let Some(other) = o {} for item in v {} }",
    );
    let locals: Vec<&str> = m.value_locals.iter().map(|(_, n)| n.as_str()).collect();
    for name in ["bad", "other", "item"] {
        assert!(locals.contains(&name), "{name} in {locals:?}");
    }
    // `None` is a variant, not a binding.
    assert!(!locals.contains(&"None"));
}

#[test]
fn qualified_paths_name_their_trait() {
    let m = facts("fn f(i: &Invoice) -> <Invoice as Tax>::Rate { <Invoice as Payable>::pay(i) }");
    let r = refs(&m);
    assert!(r.contains(&("Tax".into(), "type")), "{r:?}");
    assert!(r.contains(&("Invoice".into(), "type")), "{r:?}");
    // A qualified call is a method call on a value of the trait, never guessed by name.
    let call = &m.method_calls[0];
    assert_eq!(call.name, "pay");
    assert!(call.qualified);
    assert_eq!(
        call.receiver,
        Some(Chain {
            base: ChainBase::Typed(vec![PathText::new(vec!["Payable".into()])]),
            hops: Vec::new(),
        })
    );
    // `<T>::f` names no trait.
    let m = facts("fn g() { <Invoice>::new(); }");
    assert_eq!(refs(&m), vec![("Invoice".into(), "type")]);
}

#[test]
fn excluded_test_module_files_and_macro_use_are_kept() {
    let m = facts(
        "#[macro_use] mod macros;\n#[macro_use] extern crate kernel;\n\
         #[cfg(test)] mod tests;\n#[cfg(test)] mod inline_tests { fn t() {} }",
    );
    assert!(m.mods[0].macro_use);
    assert!(m.extern_crates[0].macro_use);
    // Only `mod tests;` has a file to claim; the inline one has none.
    let excluded: Vec<&str> = m.excluded_mods.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(excluded, ["tests"]);
    let with_tests = parse_file(
        "#[cfg(test)] mod tests;",
        ExtractOptions {
            include_tests: true,
        },
    )
    .unwrap();
    assert!(with_tests.module.excluded_mods.is_empty());
    assert_eq!(with_tests.module.mods.len(), 1);
}

#[test]
fn a_file_marked_cfg_test_inside_keeps_only_its_module_files() {
    let src =
        "#![cfg(test)]\nmod helper;\nmod inline { fn x() {} }\nuse crate::a::B;\nfn t() { B; }";
    let m = facts(src);
    assert!(m.items.is_empty() && m.uses.is_empty() && m.refs.is_empty() && m.mods.is_empty());
    let excluded: Vec<&str> = m.excluded_mods.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(excluded, ["helper"]);
    let with_tests = parse_file(
        src,
        ExtractOptions {
            include_tests: true,
        },
    )
    .unwrap();
    assert_eq!(with_tests.module.items.len(), 1);
    assert_eq!(with_tests.module.mods.len(), 2);
}

#[test]
fn macro_rules_in_a_body_is_a_local_name() {
    let m = facts("fn f() { macro_rules! check { () => {} } check!(); }");
    assert!(m.locals.contains(&(Owner::Item(0), "check".to_string())));
    assert!(refs(&m).contains(&("check".into(), "macro")));
}

#[test]
fn item_headers_of_dsl_macros_define_items() {
    let m = facts(
        "bitflags! { #[derive(Debug)] pub(crate) struct Flags: u32 { const A = 1; } }\n\
         trait_template! { /// doc\n pub trait Graph { @section self fn f(&self); } }\n\
         odd! { struct Hidden: u8 {} type Alias = u8 @ x; }",
    );
    let items: Vec<(&str, ItemKind, bool)> = m
        .items
        .iter()
        .map(|i| (i.name.as_str(), i.kind, i.vis == Visibility::Public))
        .collect();
    assert_eq!(
        items,
        [
            ("Flags", ItemKind::Struct, true),
            ("Graph", ItemKind::Trait, true),
            ("Hidden", ItemKind::Struct, false),
            ("Alias", ItemKind::TypeAlias, false),
        ]
    );
}

#[test]
fn cfg_attr_path_attributes_name_the_module_file() {
    let m = facts(
        "#[cfg_attr(unix, path = \"unix.rs\")]\n#[cfg_attr(windows, path = \"windows.rs\")]\nmod platform;",
    );
    assert_eq!(m.mods[0].path_attr.as_deref(), Some("unix.rs"));
}

/// Each method call's receiver chain as text: `base.hop.hop()`, or `-` when untyped.
fn receivers(m: &ModuleFacts) -> Vec<String> {
    m.method_calls
        .iter()
        .map(|c| {
            let Some(chain) = &c.receiver else {
                return format!("{}: -", c.name);
            };
            let mut s = match &chain.base {
                ChainBase::Call(p) => format!("{p}()"),
                ChainBase::SelfValue => "self".into(),
                ChainBase::Typed(ps) => {
                    let ps: Vec<String> = ps.iter().map(|p| p.to_string()).collect();
                    format!("<{}>", ps.join(","))
                }
            };
            for hop in &chain.hops {
                match hop {
                    Hop::Field(f) => s.push_str(&format!(".{f}")),
                    Hop::Method(m) => s.push_str(&format!(".{m}()")),
                }
            }
            format!("{}: {s}", c.name)
        })
        .collect()
}

#[test]
fn receivers_are_chains_from_declared_types() {
    let m = facts(
        "fn f(d: web::Data<Arc<AppState>>, v: Vec<Order>, State(s): State<App>) {
            services().rooms.cache.get(1);
            d.repo.find()?.save();
            v.first();
            s.run();
            let x = Svc::new();
            x.go();
            let x = v;
            x.go();
            |c: Order| c.total();
            (1, 2).0.f();
            a.b.c.d.e.f.g.h.i.j.k();
        }
        impl T { fn g(&self) { self.inner.lock().unwrap().m(); } }",
    );
    assert_eq!(
        receivers(&m),
        [
            "get: services().rooms.cache",
            "save: <web::Data,AppState>.repo.find()",
            "find: <web::Data,AppState>.repo",
            // `Vec<Order>` ends its paths: a `Vec` is no `Order`.
            "first: -",
            "run: <State,App>",
            "go: Svc::new()",
            // Rebound to an untyped value: the earlier binding is hidden.
            "go: -",
            "total: -",
            "f: -",
            // Longer than `MAX_HOPS`.
            "k: -",
            "m: self.inner.lock().unwrap()",
            "unwrap: self.inner.lock()",
            "lock: self.inner",
        ]
    );
}

#[test]
fn struct_fields_and_return_types_keep_their_principal_paths() {
    let m = facts(
        "struct S { a: &'static Arc<Mutex<Rooms>>, b: Option<Box<dyn Store + Send>>, c: u32, d: Vec<X> }
        fn f() -> Result<Rc<crate::Services>, E> { todo!() }",
    );
    let s = &m.items[0];
    let fields: Vec<(String, String)> = s
        .fields
        .iter()
        .map(|(n, ps)| {
            let ps: Vec<String> = ps.iter().map(|p| p.to_string()).collect();
            (n.clone(), ps.join(","))
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("a".to_string(), "Rooms".to_string()),
            // Every trait of a `dyn`: the typer takes the first that declares the method.
            ("b".to_string(), "Store,Send".to_string()),
            ("c".to_string(), "u32".to_string()),
        ]
    );
    let ret = &m.items[1].sig.as_ref().unwrap().ret;
    assert_eq!(
        ret,
        &[PathText::new(vec!["crate".into(), "Services".into()])]
    );
}

#[test]
fn sea_orm_entities_define_tables_and_their_paths_access_them() {
    let src = "#[derive(Clone, Debug, DeriveEntityModel)]\n\
               #[sea_orm(table_name = \"group_user\", schema_name = \"public\")]\n\
               pub struct Model { pub id: i32 }\n\
               async fn f(db: &Db) {\n\
                   users::Entity::find().filter(users::Column::Name.eq(1)).all(db).await;\n\
                   groups::Entity::delete_many().exec(db).await;\n\
                   let g = groups::ActiveModel { id: Set(1) };\n\
                   yew_form_derive::Model::new();\n\
               }";
    assert_eq!(
        table_accesses(&facts(src)),
        vec![
            ("group_user", TableAccess::Define),
            ("users", TableAccess::Read),
            ("users", TableAccess::Read),
            ("groups", TableAccess::Write),
            ("groups", TableAccess::Write),
        ]
    );
}

#[test]
fn a_table_name_attribute_without_the_sea_orm_derive_is_no_table() {
    let m = facts(
        "#[derive(Queryable)]\n#[diesel(table_name = \"orders\")]\npub struct Order { id: i32 }\n\
         #[derive(Serialize)]\n#[sea_orm(table_name = \"lines\")]\npub struct Line { id: i32 }\n\
         fn f() { super::Entity::find(); Entity::find(); }",
    );
    assert_eq!(m.tables, vec![]);
}

#[test]
fn methods_a_local_macro_generates_in_an_impl_are_its_methods() {
    let m = facts(
        "macro_rules! add_relation {\n\
         ($method:ident, $rel:ident) => {\n\
         async fn $method(&self, a: i64) -> Result<()> {\n\
         let m = $rel::ActiveModel { a: Set(a), ..Default::default() };\n\
         Ok(())\n\
         }\n\
         };\n\
         }\n\
         impl Database {\n\
         fn first(&self) {}\n\
         add_relation!(add_crate_user, crate_user);\n\
         add_relation!(add_owner, owner);\n\
         }",
    );
    let fns: Vec<(&str, Pos)> = (m.impls[0].fns.iter())
        .map(|(name, _, pos)| (name.as_str(), *pos))
        .collect();
    // Each generated method starts at its invocation.
    assert_eq!(
        fns,
        [
            (
                "first",
                Pos {
                    line: 10,
                    column: 4
                }
            ),
            (
                "add_crate_user",
                Pos {
                    line: 11,
                    column: 1
                }
            ),
            (
                "add_owner",
                Pos {
                    line: 12,
                    column: 1
                }
            ),
        ]
    );
    let writes: Vec<(&str, Pos)> = (m.tables.iter())
        .map(|t| (t.table.as_str(), t.pos))
        .collect();
    assert_eq!(
        writes,
        [
            (
                "crate_user",
                Pos {
                    line: 11,
                    column: 31
                }
            ),
            (
                "owner",
                Pos {
                    line: 12,
                    column: 26
                }
            ),
        ]
    );
    assert!(m.tables.iter().all(|t| t.access == TableAccess::Write));
    let r = refs(&m);
    assert!(r.contains(&("add_relation".into(), "macro")));
    assert!(r.contains(&("Set".into(), "construct")));
}

#[test]
fn body_calls_of_a_local_macro_expand_and_module_level_ones_are_read_as_before() {
    let m = facts(
        "macro_rules! id_type {\n\
         ($name:ident, $($derive:ident),*) => {\n\
         #[derive($($derive),*)] pub struct $name(pub String);\n\
         impl Validate for $name { fn validate(&self) -> bool { check(&self.0) } }\n\
         };\n\
         }\n\
         macro_rules! insert { ($t:literal) => { sqlx::query(concat!(\"INSERT INTO \", $t)) }; }\n\
         id_type!(ApplicationId, Clone, Debug);\n\
         fn save() { insert!(\"users (id, name) VALUES ($1, $2)\"); }",
    );
    let items: Vec<&str> = m.items.iter().map(|i| i.name.as_str()).collect();
    // Module-level expansions are not read (measured: they cost svix 11 points).
    assert_eq!(items, ["id_type", "insert", "save"]);
    assert!(m.impls.is_empty());
    let r = refs(&m);
    assert!(!r.contains(&("Validate".into(), "impl")));
    assert!(r.contains(&("ApplicationId".into(), "construct")));
    // In a body the expansion is read: its call, not the argument alone.
    assert!(r.contains(&("sqlx::query".into(), "call")));
}

#[test]
fn an_argument_a_local_macro_uses_twice_is_one_reference() {
    let m = facts(
        "macro_rules! twice { ($e:expr) => { $e + $e }; }
         fn f() -> u32 { twice!(helper()) + twice!(helper()) }",
    );
    let calls = refs(&m)
        .iter()
        .filter(|r| **r == ("helper".into(), "call"))
        .count();
    // Two invocations, each spelling `helper()` once: two references, not four.
    assert_eq!(calls, 2);
}
