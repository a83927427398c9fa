//! One focused fixture crate per resolution rule under fixtures/resolve, each analysed
//! through the public pipeline: the exact item edges and module edges it must produce, and
//! the edges it must not. Every fixture compiles on its own (`cargo check` inside it).

mod common;

use common::*;

fn assert_lines(actual: Vec<String>, expected: &[&str]) {
    assert_eq!(actual, lines(expected), "actual:\n{}", actual.join("\n"));
}

fn assert_absent(a: &fissure::analysis::Analysis, forbidden: &[&str]) {
    let edges = item_edges(a);
    for f in forbidden {
        assert!(
            !edges.iter().any(|e| e.starts_with(f)),
            "{f} must not be an edge:\n{}",
            edges.join("\n")
        );
    }
}

#[test]
fn use_trees_groups_self_renames_and_underscore() {
    let a = analyze("resolve/use_trees", false);
    assert_lines(
        item_edges(&a),
        &[
            "use_trees::a::S -> use_trees::a::S (impl)",
            "use_trees::a::S -> use_trees::a::T (impl)",
            // `self` imports the module, `inner::{self as nested}` the inner module.
            "use_trees::b -> use_trees::a (use)",
            "use_trees::b -> use_trees::a::inner (use)",
            "use_trees::b -> use_trees::a::inner::X (use)",
            "use_trees::b -> use_trees::a::S (use)",
            // `T as _` binds no name but still depends on the trait.
            "use_trees::b -> use_trees::a::T (use)",
            "use_trees::b::g -> use_trees::a::S (construct)",
            "use_trees::b::g -> use_trees::a::S (type)",
            "use_trees::b::g -> use_trees::a::f (call)",
            "use_trees::b::g -> use_trees::a::inner::X (type)",
            "use_trees::b::g -> use_trees::a::inner::deep (call)",
        ],
    );
    assert_lines(
        module_edges(&a),
        &[
            "use_trees::b -> use_trees::a [use:3 type:1 call:1 construct:2]",
            "use_trees::b -> use_trees::a::inner [use:2 type:1 call:1]",
        ],
    );
    // A renamed import is not an item of its own.
    assert!(!targets(&a).iter().any(|t| t.contains("Renamed")));
    assert_eq!(a.resolution.stats.unresolved, 0);
    // `describe` is a trait default method: no impl block defines it.
    assert_eq!(a.resolution.stats.methods_dropped, 1);
}

#[test]
fn globs_of_modules_and_enums_and_named_imports_shadow_globs() {
    let a = analyze("resolve/globs", false);
    assert_lines(
        item_edges(&a),
        &[
            "globs::logic -> globs::billing::Invoice (use)",
            "globs::logic -> globs::model (use)",
            "globs::logic -> globs::model::Status (use)",
            "globs::logic::bill -> globs::billing::Invoice (construct)",
            "globs::logic::bill -> globs::billing::Invoice (type)",
            "globs::logic::close -> globs::model::Order (type)",
            // `Closed` through `use Status::*`: the enum is the target.
            "globs::logic::close -> globs::model::Status (construct)",
            "globs::logic::close -> globs::model::Status (type)",
            "globs::logic::close -> globs::model::total (call)",
            // `Open =>` and `Closed =>` patterns are variants, not bindings.
            "globs::logic::is_open -> globs::model::Status (construct)",
            "globs::logic::is_open -> globs::model::Status (type)",
            "globs::model::total -> globs::model::Order (type)",
        ],
    );
    assert_lines(
        module_edges(&a),
        &[
            "globs::logic -> globs::billing [use:1 type:1 construct:1]",
            "globs::logic -> globs::model [use:2 type:3 call:1 construct:3]",
        ],
    );
    // `model::Invoice` is in the glob, but the named `billing::Invoice` import wins.
    assert!(!targets(&a).contains(&"globs::model::Invoice".to_string()));
    // `logic::order`: the body-level `use std::cmp::Ordering::*` and its three variants.
    assert_eq!(a.resolution.externals[&0]["std"], 4);
    assert_eq!(a.resolution.stats.unresolved, 0);
}

#[test]
fn reexports_are_chased_to_the_defining_item_and_glob_cycles_end() {
    let a = analyze("resolve/reexports", false);
    assert_lines(
        item_edges(&a),
        &[
            "reexports::api -> reexports::deep::facade (use)",
            "reexports::api -> reexports::deep::real::Thing (use)",
            "reexports::client -> reexports::deep::real::Thing (use)",
            // Through the glob cycle: `loop_b::A` is `loop_a::A` and `loop_a::B` is `loop_b::B`.
            "reexports::client::cyc -> reexports::loop_a::A (type)",
            "reexports::client::cyc -> reexports::loop_b::B (type)",
            // `api::Widget` -> `facade::Thing` -> `real::Thing`; `api::build` -> `real::make`.
            "reexports::client::use_it -> reexports::deep::real::Thing (type)",
            "reexports::client::use_it -> reexports::deep::real::make (call)",
            "reexports::deep::facade -> reexports::deep::real::Thing (use)",
            "reexports::deep::facade -> reexports::deep::real::make (use)",
            "reexports::deep::real::make -> reexports::deep::real::Thing (construct)",
            "reexports::deep::real::make -> reexports::deep::real::Thing (type)",
            "reexports::loop_a -> reexports::loop_b (use)",
            "reexports::loop_b -> reexports::loop_a (use)",
        ],
    );
    assert_lines(
        module_edges(&a),
        &[
            "reexports::api -> reexports::deep::facade [use:1]",
            "reexports::api -> reexports::deep::real [use:1]",
            "reexports::client -> reexports::deep::real [use:1 type:2 call:1]",
            "reexports::client -> reexports::loop_a [type:1]",
            "reexports::client -> reexports::loop_b [type:1]",
            "reexports::deep::facade -> reexports::deep::real [use:2]",
            "reexports::loop_a -> reexports::loop_b [use:1]",
            "reexports::loop_b -> reexports::loop_a [use:1]",
        ],
    );
    // Re-exporting modules are never the target of a chased name.
    let t = targets(&a);
    assert!(
        !t.iter().any(|t| t.starts_with("reexports::api::")),
        "{t:?}"
    );
    assert!(
        !t.iter().any(|t| t.starts_with("reexports::deep::facade::")),
        "{t:?}"
    );
    let cycles: Vec<Vec<&str>> = a
        .graph
        .cycles
        .iter()
        .map(|c| {
            c.modules
                .iter()
                .map(|m| a.codebase.module(*m).path.as_str())
                .collect()
        })
        .collect();
    assert_eq!(cycles, vec![vec!["reexports::loop_a", "reexports::loop_b"]]);
    assert_eq!(a.resolution.stats.unresolved, 0);
}

#[test]
fn crate_self_super_and_absolute_paths() {
    let a = analyze("resolve/relative_paths", false);
    assert_lines(
        item_edges(&a),
        &[
            "relative_paths::a::b::c::f -> relative_paths::a::b::c::h (call)",
            "relative_paths::a::b::c::f -> relative_paths::a::b::sibling (call)",
            "relative_paths::a::b::c::f -> relative_paths::a::g (call)",
            "relative_paths::a::b::c::f -> relative_paths::top (call)",
            "relative_paths::x::y -> relative_paths::top (use)",
            "relative_paths::x::y::z -> relative_paths::a::b::c::h (call)",
            "relative_paths::x::y::z -> relative_paths::top (call)",
            "relative_paths::x::y::z -> relative_paths::x::helper (call)",
            "relative_paths::x::y::z -> relative_paths::x::y::w (call)",
        ],
    );
    assert_lines(
        module_edges(&a),
        &[
            "relative_paths::a::b::c -> relative_paths [call:1]",
            "relative_paths::a::b::c -> relative_paths::a [call:1]",
            "relative_paths::a::b::c -> relative_paths::a::b [call:1]",
            "relative_paths::x::y -> relative_paths [use:1 call:1]",
            "relative_paths::x::y -> relative_paths::a::b::c [call:1]",
            "relative_paths::x::y -> relative_paths::x [call:1]",
        ],
    );
    // `::core::convert::identity` is external.
    assert_eq!(a.resolution.externals[&0]["core"], 1);
    assert_eq!(a.resolution.stats.unresolved, 0);
}

#[test]
fn extern_crate_renames_at_the_root_in_a_module_and_self() {
    let a = analyze("resolve/extern_crate", false);
    assert_lines(
        item_edges(&a),
        &[
            "app::at_root -> kernel::Money (type)",
            "app::at_root -> kernel::zero (call)",
            "app::nested::in_module -> kernel::Money (type)",
            "app::nested::in_module -> kernel::zero (call)",
            "app::nested::through_prelude -> kernel::Money (construct)",
            "app::nested::through_prelude -> kernel::Money (type)",
            // `extern crate self as me`: `me::Local` is this crate's own item.
            "app::nested::through_self -> app::Local (construct)",
            "app::nested::through_self -> app::Local (type)",
            "kernel::zero -> kernel::Money (construct)",
            "kernel::zero -> kernel::Money (type)",
        ],
    );
    assert_lines(
        module_edges(&a),
        &[
            "app -> kernel [type:1 call:1]",
            "app::nested -> app [type:1 construct:1]",
            "app::nested -> kernel [type:2 call:1 construct:1]",
        ],
    );
    assert!(
        a.resolution.externals.is_empty(),
        "{:?}",
        a.resolution.externals
    );
    assert_eq!(a.resolution.stats.unresolved, 0);
}

#[test]
fn workspace_dependency_renamed_with_package() {
    let a = analyze("resolve/workspace_deps", false);
    let names: Vec<&str> = a
        .codebase
        .crates
        .iter()
        .map(|c| c.target.name.as_str())
        .collect();
    assert_eq!(names, ["app", "kernel_core"]);
    assert_lines(
        item_edges(&a),
        &[
            // `kern::Money` is the re-export at the root of kernel-core, chased to `money`.
            "app -> kernel_core::money::Money (use)",
            "app::absolute -> kernel_core::money::Cents (construct)",
            "app::absolute -> kernel_core::money::Cents (type)",
            "app::cents -> kernel_core::money::Cents (type)",
            "app::price -> kernel_core::money::Money (call)",
            "app::price -> kernel_core::money::Money (type)",
            "kernel_core -> kernel_core::money::Money (use)",
            "kernel_core::money::Money -> kernel_core::money::Money (construct)",
            "kernel_core::money::Money -> kernel_core::money::Money (impl)",
            "kernel_core::money::Money -> kernel_core::money::Money (type)",
        ],
    );
    assert_lines(
        module_edges(&a),
        &[
            "app -> kernel_core::money [use:1 type:3 call:1 construct:1]",
            "kernel_core -> kernel_core::money [use:1]",
        ],
    );
    // The dependency is a workspace crate: nothing external, nothing unresolved.
    assert!(
        a.resolution.externals.is_empty(),
        "{:?}",
        a.resolution.externals
    );
    assert_eq!(a.resolution.stats.unresolved, 0);
}

#[test]
fn expression_paths_types_calls_literals_patterns_and_associated_items() {
    let a = analyze("resolve/expr_paths", false);
    assert_lines(
        item_edges(&a),
        &[
            "expr_paths::logic -> expr_paths::model (use)",
            "expr_paths::logic -> expr_paths::model::Order (use)",
            "expr_paths::logic -> expr_paths::model::OrderId (use)",
            "expr_paths::logic -> expr_paths::model::Status (use)",
            // `Order::new(..)`: the associated function's type is the target.
            "expr_paths::logic::assoc -> expr_paths::model::Order (call)",
            "expr_paths::logic::assoc -> expr_paths::model::Order (type)",
            "expr_paths::logic::calls -> expr_paths::model::Order (type)",
            "expr_paths::logic::calls -> expr_paths::model::make (call)",
            "expr_paths::logic::literal -> expr_paths::model::Order (construct)",
            "expr_paths::logic::literal -> expr_paths::model::Order (type)",
            // Reading a static or a const through a path is kind `call` (a value path).
            "expr_paths::logic::statics -> expr_paths::model::COUNTER (call)",
            "expr_paths::logic::struct_pattern -> expr_paths::model::Order (construct)",
            "expr_paths::logic::struct_pattern -> expr_paths::model::Order (type)",
            "expr_paths::logic::tuple -> expr_paths::model::OrderId (construct)",
            "expr_paths::logic::tuple -> expr_paths::model::OrderId (type)",
            "expr_paths::logic::tuple_pattern -> expr_paths::model::OrderId (construct)",
            "expr_paths::logic::tuple_pattern -> expr_paths::model::OrderId (type)",
            "expr_paths::logic::types -> expr_paths::model::Order (type)",
            "expr_paths::logic::types -> expr_paths::model::Status (type)",
            "expr_paths::logic::variant_value -> expr_paths::model::Status (construct)",
            "expr_paths::logic::variant_value -> expr_paths::model::Status (type)",
            "expr_paths::logic::variants -> expr_paths::model::LIMIT (call)",
            "expr_paths::logic::variants -> expr_paths::model::Status (construct)",
            "expr_paths::logic::variants -> expr_paths::model::Status (type)",
            "expr_paths::model::Order -> expr_paths::model::Order (construct)",
            "expr_paths::model::Order -> expr_paths::model::Order (impl)",
            "expr_paths::model::make -> expr_paths::model::Order (call)",
            "expr_paths::model::make -> expr_paths::model::Order (type)",
        ],
    );
    assert_lines(
        module_edges(&a),
        &["expr_paths::logic -> expr_paths::model [use:4 type:10 call:4 construct:7]"],
    );
    // `Option` and `None` are std.
    assert_eq!(a.resolution.externals[&0]["std"], 2);
    assert_eq!(a.resolution.stats.unresolved, 0);
}

#[test]
fn bounds_where_clauses_and_impl_headers() {
    let a = analyze("resolve/bounds", false);
    assert_lines(
        item_edges(&a),
        &[
            "bounds::Holder -> bounds::Audit (bound)",
            "bounds::Holder -> bounds::Holder (impl)",
            // `impl From<Order> for Invoice`: the type, the generic argument; `From` is std.
            "bounds::Invoice -> bounds::Invoice (construct)",
            "bounds::Invoice -> bounds::Invoice (impl)",
            "bounds::Invoice -> bounds::Order (type)",
            // `impl Payable for Invoice` names both.
            "bounds::Invoice -> bounds::Payable (impl)",
            // Supertrait.
            "bounds::Ledger -> bounds::Payable (bound)",
            "bounds::Order -> bounds::Audit (impl)",
            "bounds::Order -> bounds::Order (impl)",
            // `where A: Audit + Clone`.
            "bounds::audit -> bounds::Audit (bound)",
            "bounds::boxed -> bounds::Payable (bound)",
            "bounds::opaque -> bounds::Invoice (construct)",
            "bounds::opaque -> bounds::Payable (bound)",
            // `<Invoice as Payable>::pay(i)` names the type and the trait.
            "bounds::qualified -> bounds::Invoice (type)",
            "bounds::qualified -> bounds::Payable (call)",
            // Limitation: `p.pay()` on a generic `P: Payable` is guessed to the one impl
            // that defines `pay`, not to the trait; types are needed to do better.
            "bounds::settle -> bounds::Invoice (method-guess)",
            "bounds::settle -> bounds::Payable (bound)",
        ],
    );
    // One module: every edge is internal.
    assert_lines(module_edges(&a), &[]);
    // `From`, `Clone`, `Box`.
    assert_eq!(a.resolution.externals[&0]["std"], 3);
    assert_eq!(a.resolution.stats.unresolved, 0);
}

#[test]
fn macro_paths_textual_scope_macro_use_and_macro_export() {
    let a = analyze("resolve/macros", false);
    assert_lines(
        item_edges(&a),
        &[
            // The module-level `flags! { pub struct Perms: u8 { .. } }` invocation, and the
            // struct its header names, read from the tokens of a body that is not plain Rust.
            "app -> app::flags (macro)",
            "app::can_read -> app::Perms (call)",
            "app::can_read -> app::Perms (type)",
            "app::inner -> kernel::deep::money (use)",
            "app::inner::f -> app::local_mac (macro)",
            // `#[macro_export]` puts `money` at kernel's root, whatever module defines it.
            "app::inner::f -> kernel::deep::money (macro)",
            // Paths inside macro arguments are read too.
            "app::inner::g -> app::helper (call)",
            "app::inner::g -> app::twice (macro)",
            "app::inner::g -> kernel::deep::money (macro)",
            // `#[macro_use] mod macros;` and `#[macro_use] extern crate kernel;`.
            "app::plain::p -> app::macros::shout (macro)",
            "app::plain::p -> kernel::deep::money (macro)",
        ],
    );
    assert_lines(
        module_edges(&a),
        &[
            "app::inner -> app [call:1 macro:2]",
            "app::inner -> kernel::deep [use:1 macro:2]",
            "app::plain -> app::macros [macro:1]",
            "app::plain -> kernel::deep [macro:1]",
        ],
    );
    // `body::with_local_macro` calls a `macro_rules!` of its own body: no edge above, and
    // nothing unresolved either.
    assert_eq!(a.resolution.stats.unresolved, 0);
}

#[test]
fn method_calls_are_guessed_only_when_one_impl_defines_the_name() {
    let a = analyze("resolve/method_guess", false);
    assert_lines(
        item_edges(&a),
        &[
            "method_guess::Cart -> method_guess::Cart (impl)",
            "method_guess::Order -> method_guess::Order (impl)",
            "method_guess::checkout -> method_guess::Cart (type)",
            // `o[0].confirm()`: only `impl Order` defines `confirm`.
            "method_guess::checkout -> method_guess::Order (method-guess)",
            "method_guess::checkout -> method_guess::Order (type)",
        ],
    );
    let guesses = a
        .resolution
        .refs
        .iter()
        .filter(|r| r.kind == fissure::syntax::RefKind::MethodGuess)
        .count();
    assert_eq!(guesses, 1);
    assert_eq!(a.resolution.stats.method_guess, 1);
    // `o[0].total()` and `c[0].total()` (two impls define it) and `v.len()` (a std name).
    assert_eq!(a.resolution.stats.methods_dropped, 3);
    // A guessed edge still reaches the graph, with the lowest weight.
    let checkout = a
        .resolution
        .items
        .iter()
        .position(|i| i.path == "method_guess::checkout")
        .expect("checkout");
    let order = a
        .resolution
        .items
        .iter()
        .position(|i| i.path == "method_guess::Order")
        .expect("Order");
    let node = |i: usize| a.graph.item_node(fissure::resolve::ItemId(i as u32));
    let edge = a
        .graph
        .items
        .find_edge(node(checkout), node(order))
        .expect("checkout -> Order in the item graph");
    let kinds: Vec<&str> = a.graph.items[edge]
        .kinds
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(kinds, ["type", "method-guess"]);
}

#[test]
fn module_files_path_attributes_inline_modules_and_orphans() {
    let a = analyze("resolve/mod_files", false);
    assert_lines(
        modules(&a),
        &[
            "mod_files src/lib.rs",
            "mod_files::baz src/baz/mod.rs",
            // Limitation: a file that excludes itself with `#![cfg(test)]` is only known to
            // be test code once read; it stays in the tree, empty, and its own `mod helper;`
            // is not followed (nor listed as an orphan).
            "mod_files::baz::only_tests src/baz/only_tests.rs",
            "mod_files::baz::qux src/baz/qux.rs",
            // `#[path]` at top level; a `#[path]` file owns its folder like a mod.rs.
            "mod_files::custom src/elsewhere/renamed.rs",
            "mod_files::custom::sub src/elsewhere/sub.rs",
            "mod_files::foo src/foo.rs",
            "mod_files::foo::bar src/foo/bar.rs",
            // `#[path]` in a non-mod-rs file, outside inline modules: next to foo.rs.
            "mod_files::foo::extra src/foo_extra.rs",
            "mod_files::outer src/lib.rs (inline)",
            // `mod x;` and `#[path]` inside an inline module: under the module's folder.
            "mod_files::outer::file_child src/outer/file_child.rs",
            "mod_files::outer::inline_child src/lib.rs (inline)",
            "mod_files::outer::np src/outer/nested_path.rs",
        ],
    );
    // The `#[cfg(test)] mod tests;` file is left out but is no orphan: a `mod` declares it.
    assert_eq!(
        a.codebase.orphans,
        ["src/foo/stray.rs", "src/orphan.rs"],
        "files no `mod` reaches"
    );
    assert_lines(
        item_edges(&a),
        &[
            "mod_files::baz::qux::q -> mod_files::foo::bar::Bar (construct)",
            "mod_files::baz::qux::q -> mod_files::foo::bar::Bar (type)",
            "mod_files::custom::sub::s -> mod_files::outer::inline_child::Deep (construct)",
            "mod_files::custom::sub::s -> mod_files::outer::inline_child::Deep (type)",
            "mod_files::foo::bar::mk -> mod_files::foo::Foo (construct)",
            "mod_files::foo::bar::mk -> mod_files::foo::Foo (type)",
            "mod_files::foo::extra::extra -> mod_files::outer::file_child::FileChild (construct)",
            "mod_files::foo::extra::extra -> mod_files::outer::file_child::FileChild (type)",
            "mod_files::outer::np::n -> mod_files::outer::inline_child::Deep (construct)",
            "mod_files::outer::np::n -> mod_files::outer::inline_child::Deep (type)",
        ],
    );
    assert_lines(
        module_edges(&a),
        &[
            "mod_files::baz::qux -> mod_files::foo::bar [type:1 construct:1]",
            "mod_files::custom::sub -> mod_files::outer::inline_child [type:1 construct:1]",
            "mod_files::foo::bar -> mod_files::foo [type:1 construct:1]",
            "mod_files::foo::extra -> mod_files::outer::file_child [type:1 construct:1]",
            "mod_files::outer::np -> mod_files::outer::inline_child [type:1 construct:1]",
        ],
    );
}

#[test]
fn cfg_test_modules_are_included_on_request() {
    let a = analyze("resolve/mod_files", true);
    let tree = modules(&a);
    assert!(
        tree.contains(&"mod_files::tests src/tests.rs".to_string()),
        "{tree:?}"
    );
    assert!(
        tree.contains(
            &"mod_files::baz::only_tests::helper src/baz/only_tests/helper.rs".to_string()
        ),
        "{tree:?}"
    );
    assert_eq!(tree.len(), 15);
    assert_eq!(a.codebase.orphans, ["src/foo/stray.rs", "src/orphan.rs"]);
    let edges = item_edges(&a);
    assert!(
        edges.contains(&"mod_files::tests -> mod_files::foo::Foo (use)".to_string()),
        "{edges:#?}"
    );
    assert!(
        edges.contains(
            &"mod_files::tests::builds_foo -> mod_files::foo::Foo (construct)".to_string()
        ),
        "{edges:#?}"
    );
    for e in [
        "mod_files::baz::only_tests -> mod_files::foo::bar::Bar (use)",
        "mod_files::baz::only_tests::builds_bar -> mod_files::baz::only_tests::helper::check (call)",
        "mod_files::baz::only_tests::helper::check -> mod_files::foo::Foo (construct)",
    ] {
        assert!(edges.contains(&e.to_string()), "{e} in {edges:#?}");
    }
}

#[test]
fn std_core_and_alloc_are_external_never_nodes() {
    let a = analyze("resolve/externals", false);
    assert_lines(
        item_edges(&a),
        &[
            "externals::Local -> externals::Local (impl)",
            "externals::f -> externals::Local (type)",
        ],
    );
    assert_lines(module_edges(&a), &[]);
    // Only the crate's own items are nodes.
    let items: Vec<&str> = a.resolution.items.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(items, ["externals::Local", "externals::f", "externals::g"]);
    let ext: Vec<(&str, u64)> = a.resolution.externals[&0]
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    // alloc: `use alloc::vec::Vec as AVec`, `AVec<u8>`, `AVec::new`;
    // core: `use core::fmt`, `fmt::Display`, `fmt::Formatter`, `fmt::Result`;
    // std: `use std::..::HashMap`, `HashMap`, `String`, `write!`, `Option`, `std::env::var`.
    assert_eq!(ext, [("alloc", 3), ("core", 4), ("std", 6)]);
    assert_eq!(a.resolution.stats.external, 13);
    assert_eq!(a.resolution.stats.unresolved, 0);
}

#[test]
fn generics_locals_closures_and_body_uses_shadow_module_items() {
    let a = analyze("resolve/shadowing", false);
    assert_lines(
        item_edges(&a),
        &[
            // A body-level `use` beats the module's own `helper`.
            "shadowing::body_use -> shadowing::m::helper (call)",
            "shadowing::body_use -> shadowing::m::helper (use)",
            // The parameter `m` does not hide the module in `m::helper()`; the variable
            // `helper` is not the fn `helper`.
            "shadowing::param_named_like_module -> shadowing::m::helper (call)",
            // A unit struct named `T`: one letter without lowercase reads as a value, `call`.
            "shadowing::unit -> shadowing::T (call)",
            "shadowing::unit -> shadowing::T (type)",
            // Positive control: the module-level names do resolve where nothing shadows them.
            "shadowing::uses_top -> shadowing::bad (call)",
            "shadowing::uses_top -> shadowing::helper (call)",
        ],
    );
    assert_absent(
        &a,
        &[
            // Generic parameters `T` are not the struct `T`.
            "shadowing::generic ->",
            "shadowing::Wrapper ->",
            // A closure in a `let`, a parameter, `match`/`if let`/`for` bindings.
            "shadowing::closure ->",
            "shadowing::param ->",
            "shadowing::matched ->",
            "shadowing::if_let ->",
            "shadowing::for_loop ->",
            // A fn item inside the body shadows the module's `helper`.
            "shadowing::local_item ->",
        ],
    );
    assert_lines(
        module_edges(&a),
        &["shadowing -> shadowing::m [use:1 call:2]"],
    );
    assert_eq!(a.resolution.stats.unresolved, 0);
}

#[test]
fn a_named_import_brings_every_namespace_of_the_name() {
    // Found by scripts/recall.py on zero-to-production: `use crate::routes::login;` stopped
    // at the private module `login` and missed the fn re-exported by `pub use login::*`.
    let a = analyze("resolve/namespaces", false);
    assert_lines(
        item_edges(&a),
        &[
            // The glob and the re-export name a module and a fn: one edge each.
            "namespaces::routes -> namespaces::routes::login (use)",
            "namespaces::routes::login -> namespaces::routes::login::post::login (use)",
            "namespaces::startup -> namespaces::routes::Unit (use)",
            // The module too: privacy is not enforced (ARCHITECTURE.md).
            "namespaces::startup -> namespaces::routes::login (use)",
            "namespaces::startup -> namespaces::routes::login::post::login (use)",
            "namespaces::startup::serve -> namespaces::routes::Unit (construct)",
            "namespaces::startup::serve -> namespaces::routes::Unit (type)",
        ],
    );
    assert_lines(
        module_edges(&a),
        &[
            "namespaces::routes -> namespaces::routes::login [use:1]",
            "namespaces::routes::login -> namespaces::routes::login::post [use:1]",
            "namespaces::startup -> namespaces::routes [use:1 type:1 construct:1]",
            "namespaces::startup -> namespaces::routes::login [use:1]",
            "namespaces::startup -> namespaces::routes::login::post [use:1]",
        ],
    );
    assert_eq!(a.resolution.stats.unresolved, 0);
}

#[test]
fn method_calls_and_fields_are_typed_through_declared_types() {
    let a = analyze("resolve/typed_calls", false);
    let edges = item_edges(&a);
    let of = |from: &str| -> Vec<String> {
        edges
            .iter()
            .filter(|e| e.starts_with(&format!("typed_calls::api::{from} -> ")))
            .cloned()
            .collect()
    };
    // `services().rooms.state_cache.is_joined(..)`: the fn's return type, then two fields
    // (each an edge to the struct declaring it), then the method of the last field's type.
    assert_lines(
        of("joined"),
        &[
            "typed_calls::api::joined -> typed_calls::rooms::Rooms (type)",
            "typed_calls::api::joined -> typed_calls::rooms::StateCache (call)",
            "typed_calls::api::joined -> typed_calls::services::Services (type)",
            "typed_calls::api::joined -> typed_calls::services::services (call)",
        ],
    );
    // `count` is implemented (trait `Count`) by both `StateCache` and `Users`: the name
    // guess refuses it, the typed receivers pick each impl's self type.
    assert_lines(
        of("totals"),
        &[
            "typed_calls::api::totals -> typed_calls::rooms::Rooms (type)",
            "typed_calls::api::totals -> typed_calls::rooms::StateCache (call)",
            "typed_calls::api::totals -> typed_calls::services::Services (type)",
            "typed_calls::api::totals -> typed_calls::services::services (call)",
            // `users: Arc<Users>`: the std wrapper is looked through.
            "typed_calls::api::totals -> typed_calls::users::Users (call)",
        ],
    );
    // A typed parameter; `Type::new()` typed by its `-> Self`.
    assert_lines(
        of("with_param"),
        &[
            "typed_calls::api::with_param -> typed_calls::users::Users (call)",
            "typed_calls::api::with_param -> typed_calls::users::Users (type)",
        ],
    );
    assert_lines(
        of("fresh"),
        &["typed_calls::api::fresh -> typed_calls::users::Users (call)"],
    );
    // `let s = services();` then `s.users.find(..)`; `u` in the closure is untyped, so
    // `u.greeting()` falls back to the unique-name guess.
    assert_lines(
        of("with_let"),
        &[
            "typed_calls::api::with_let -> typed_calls::services::Services (type)",
            "typed_calls::api::with_let -> typed_calls::services::services (call)",
            "typed_calls::api::with_let -> typed_calls::users::User (method-guess)",
            "typed_calls::api::with_let -> typed_calls::users::Users (call)",
        ],
    );
    // `find(..) -> Option<User>`, `.unwrap()` looked through, then the field `name`.
    assert_lines(
        of("through_option"),
        &[
            "typed_calls::api::through_option -> typed_calls::services::Services (type)",
            "typed_calls::api::through_option -> typed_calls::services::services (call)",
            "typed_calls::api::through_option -> typed_calls::users::User (type)",
            "typed_calls::api::through_option -> typed_calls::users::Users (call)",
        ],
    );
    // A `dyn Trait` value: the call names the trait's declaration.
    assert_lines(
        of("through_dyn"),
        &[
            "typed_calls::api::through_dyn -> typed_calls::Count (bound)",
            "typed_calls::api::through_dyn -> typed_calls::Count (call)",
        ],
    );
    // `all[0].count()`: an index is no chain, and two impls define `count`: dropped.
    assert_lines(
        of("untyped"),
        &["typed_calls::api::untyped -> typed_calls::users::Users (type)"],
    );
    // `self.users.lock().unwrap().count()`; the access to its own field `users` is no edge.
    let handler: Vec<&String> = edges
        .iter()
        .filter(|e| e.starts_with("typed_calls::api::Handler -> "))
        .collect();
    assert_eq!(
        handler,
        [
            "typed_calls::api::Handler -> typed_calls::api::Handler (impl)",
            "typed_calls::api::Handler -> typed_calls::users::Users (call)",
            "typed_calls::api::Handler -> typed_calls::users::Users (type)",
        ]
    );
    let stats = a.resolution.stats;
    assert_eq!(stats.method_typed, 9, "{stats:?}");
    assert_eq!(stats.field_typed, 8, "{stats:?}");
    assert_eq!(stats.method_guess, 1, "{stats:?}");
    assert_eq!(stats.unresolved, 0);
}
