//! Resolution rules on small in-memory crates. A fixture is one string of files:
//! `//- /src/lib.rs crate:name deps:a,b` starts a crate root, `//- /src/x.rs` a plain file
//! (see `crate::test_support::fixture`).

use super::*;
use crate::test_support::{analyze_in_memory as analyze, edges};

#[test]
fn use_trees_with_groups_self_renames_and_underscore() {
    let e = edges(
        "//- /src/lib.rs crate:app
mod a;
mod b;
//- /src/a.rs
pub struct S;
pub fn f() {}
pub trait T {}
pub mod inner { pub struct X; }
//- /src/b.rs
use crate::a::{self, S as Renamed, inner::{X}, T as _};
fn g(x: X) -> Renamed { a::f(); Renamed }
",
    );
    assert_eq!(
        e,
        vec![
            "app::b -> app::a (use)",
            "app::b -> app::a::S (use)",
            "app::b -> app::a::T (use)",
            "app::b -> app::a::inner::X (use)",
            "app::b::g -> app::a::S (construct)",
            "app::b::g -> app::a::S (type)",
            "app::b::g -> app::a::f (call)",
            "app::b::g -> app::a::inner::X (type)",
        ]
    );
}

#[test]
fn globs_of_modules_and_enums() {
    let e = edges(
        "//- /src/lib.rs crate:app
pub mod model { pub struct Order; pub enum Status { Open, Closed } }
mod logic {
    use crate::model::*;
    use Status::*;
    pub fn close(o: Order) -> Status { match o { _ => Closed } }
}
",
    );
    assert!(
        e.contains(&"app::logic::close -> app::model::Order (type)".to_string()),
        "{e:#?}"
    );
    assert!(
        e.contains(&"app::logic::close -> app::model::Status (construct)".to_string()),
        "{e:#?}"
    );
    assert!(
        e.contains(&"app::logic -> app::model::Status (use)".to_string()),
        "{e:#?}"
    );
}

#[test]
fn reexports_are_chased_to_the_defining_item_and_cycles_end() {
    let e = edges(
        "//- /src/lib.rs crate:app
pub mod api { pub use crate::deep::facade::Thing as Widget; }
pub mod deep { pub mod facade { pub use super::real::Thing; } pub mod real { pub struct Thing; } }
pub mod loop_a { pub use crate::loop_b::*; }
pub mod loop_b { pub use crate::loop_a::*; }
fn user(w: api::Widget, z: loop_a::Nothing) {}
",
    );
    assert!(
        e.contains(&"app::user -> app::deep::real::Thing (type)".to_string()),
        "{e:#?}"
    );
    assert!(!e.iter().any(|l| l.contains("Nothing")));
}

#[test]
fn super_self_crate_and_absolute_paths() {
    let e = edges(
        "//- /src/lib.rs crate:app deps:kernel
pub fn top() {}
pub mod a { pub mod b { pub mod c {
    pub fn f() { super::super::g(); self::h(); crate::top(); ::kernel::Money::zero(); }
    pub fn h() {}
} pub fn g2() {} } pub fn g() {} }
//- /kernel/src/lib.rs crate:kernel
pub struct Money;
",
    );
    assert_eq!(
        e,
        vec![
            "app::a::b::c::f -> app::a::b::c::h (call)",
            "app::a::b::c::f -> app::a::g (call)",
            "app::a::b::c::f -> app::top (call)",
            "app::a::b::c::f -> kernel::Money (call)",
        ]
    );
}

#[test]
fn extern_crate_renames_and_dependency_names() {
    let e = edges(
        "//- /src/lib.rs crate:app deps:kernel
extern crate kernel as k;
fn f(a: k::Money, b: kernel::Money) {}
//- /kernel/src/lib.rs crate:kernel
pub struct Money;
",
    );
    assert_eq!(e, vec!["app::f -> kernel::Money (type)"]);
}

#[test]
fn impl_headers_bounds_and_where_clauses() {
    let e = edges(
        "//- /src/lib.rs crate:app
pub trait Payable { fn pay(&mut self); }
pub struct Invoice;
pub struct Order;
impl Payable for Invoice { fn pay(&mut self) {} }
impl From<Order> for Invoice { fn from(o: Order) -> Self { Invoice } }
fn settle<P: Payable>(p: P) where P: Clone {}
",
    );
    assert_eq!(
        e,
        vec![
            "app::Invoice -> app::Invoice (construct)",
            "app::Invoice -> app::Invoice (impl)",
            "app::Invoice -> app::Order (type)",
            "app::Invoice -> app::Payable (impl)",
            "app::settle -> app::Payable (bound)",
        ]
    );
}

#[test]
fn method_calls_are_guessed_only_when_unique() {
    let (_, res) = analyze(
        "//- /src/lib.rs crate:app
pub struct Order; pub struct Cart; pub struct Shelf;
impl Order { pub fn confirm(&mut self) {} pub fn total(&self) {} }
impl Cart { pub fn total(&self) {} }
fn f(o: &[Order], c: &[Cart]) { o[0].confirm(); c[0].total(); o[0].clone(); }
",
    );
    let guesses: Vec<_> = res
        .refs
        .iter()
        .filter(|r| r.kind == RefKind::MethodGuess)
        .map(|r| {
            res.item(match r.target {
                Target::Item(i) => i,
                Target::Module(_) => unreachable!(),
            })
            .name
            .clone()
        })
        .collect();
    assert_eq!(guesses, vec!["Order"]);
    assert_eq!(res.stats.method_guess, 1);
    assert_eq!(
        res.stats.methods_dropped, 2,
        "total is ambiguous, clone is std"
    );
    let confirm = res.methods.iter().find(|m| m.name == "confirm").unwrap();
    assert_eq!(confirm.sig.receiver, Some(crate::syntax::Receiver::RefMut));
}

#[test]
fn externals_are_counted_not_nodes_and_unknowns_are_unresolved() {
    let (_, res) = analyze(
        "//- /src/lib.rs crate:app
use std::collections::HashMap;
fn f(m: HashMap<String, Option<u8>>) { let v: Vec<u8> = Vec::new(); nowhere::thing(); }
",
    );
    assert!(res.refs.is_empty());
    assert_eq!(
        res.externals[&0]["std"], 6,
        "use, HashMap, String, Option, Vec, Vec::new"
    );
    assert_eq!(res.stats.unresolved, 1);
    assert_eq!(res.unresolved[0].path, "nowhere::thing");
}

#[test]
fn macros_resolve_through_textual_scope_and_macro_export() {
    let e = edges(
        "//- /src/lib.rs crate:app deps:kernel
macro_rules! local_mac { () => {} }
mod inner { fn f() { local_mac!(); kernel::money!(); } }
//- /kernel/src/lib.rs crate:kernel
mod deep { #[macro_export] macro_rules! money { () => {} } }
",
    );
    assert_eq!(
        e,
        vec![
            "app::inner::f -> app::local_mac (macro)",
            "app::inner::f -> kernel::deep::money (macro)",
        ]
    );
}

#[test]
fn generic_params_and_body_uses_shadow_module_names() {
    let e = edges(
        "//- /src/lib.rs crate:app
pub struct T;
pub mod m { pub fn helper() {} }
fn f<T: Clone>(t: T) { use crate::m::helper; helper(); }
",
    );
    assert_eq!(
        e,
        vec![
            "app::f -> app::m::helper (call)",
            "app::f -> app::m::helper (use)"
        ]
    );
}

#[test]
fn macro_use_modules_and_extern_crates_bring_macros_into_scope() {
    let e = edges(
        "//- /src/lib.rs crate:app deps:kernel
#[macro_use] extern crate kernel;
#[macro_use] mod macros;
mod user { fn f() { shout!(); money!(); } }
//- /src/macros.rs
#[macro_use] mod deeper;
macro_rules! shout { () => {} }
//- /src/macros/deeper.rs
macro_rules! whisper { () => {} }
//- /kernel/src/lib.rs crate:kernel
mod deep { #[macro_export] macro_rules! money { () => {} } }
fn g() { whisper!(); }
",
    );
    assert_eq!(
        e,
        vec![
            "app::user::f -> app::macros::shout (macro)",
            "app::user::f -> kernel::deep::money (macro)",
        ]
    );
    // Nested `#[macro_use]` reaches the root too; other crates do not see it.
    let (_, res) = analyze(
        "//- /src/lib.rs crate:app
#[macro_use] mod macros;
fn f() { whisper!(); }
//- /src/macros.rs
#[macro_use] mod deeper;
//- /src/macros/deeper.rs
macro_rules! whisper { () => {} }
",
    );
    assert_eq!(res.stats.unresolved, 0);
    assert_eq!(res.refs.len(), 1);
    assert_eq!(
        res.item(match res.refs[0].target {
            Target::Item(i) => i,
            Target::Module(_) => unreachable!("a macro is an item"),
        })
        .path,
        "app::macros::deeper::whisper"
    );
}

#[test]
fn match_and_for_bindings_shadow_module_functions() {
    let e = edges(
        "//- /src/lib.rs crate:app
pub fn bad() {}
fn f(o: Option<fn()>, v: Vec<fn()>) {
    match o { Some(bad) => bad(), None => {} }
    for bad in v { bad(); }
}
fn g() { bad(); }
pub mod order { pub struct Order; }
fn h(order: order::Order) -> order::Order { order }
",
    );
    assert_eq!(
        e,
        vec![
            "app::g -> app::bad (call)",
            // A variable shadows single names only: `order::Order` still names the module.
            "app::h -> app::order::Order (type)",
        ]
    );
}

#[test]
fn a_single_macro_use_external_crate_owns_unknown_macros() {
    let (_, res) = analyze(
        "//- /src/lib.rs crate:app
#[macro_use] extern crate std as s;
fn f() { lazy!(); }
",
    );
    // `std` here stands for any external crate imported with `#[macro_use]`.
    assert_eq!(res.stats.unresolved, 0);
    assert_eq!(res.externals[&0]["std"], 1);
}

#[test]
fn body_level_external_globs_own_the_names_found_nowhere_else() {
    let (_, res) = analyze(
        "//- /src/lib.rs crate:app
pub struct Local;
fn f(k: u8) -> u8 {
    use std::cmp::Ordering::*;
    match k { 0 => { Less; 0 } _ => { Local; 1 } }
}
",
    );
    assert_eq!(res.stats.unresolved, 0);
    // `Local` still resolves to the crate's own struct.
    assert_eq!(res.refs.len(), 1);
    assert_eq!(res.externals[&0]["std"], 2, "the use and `Less`");
}

/// Found by the registry sweep (tempfile, mio, zerocopy...: a stack overflow): a glob whose
/// own path names nothing made every unknown name in the module ask the glob again.
#[test]
fn a_glob_of_an_unknown_path_does_not_recurse_forever() {
    let (_, res) = analyze(
        "//- /src/lib.rs crate:app
use unknown::*;
pub struct Local;
fn f() -> Local { missing(); Local }
",
    );
    // Only `Local` resolves: the return type and the value.
    assert_eq!(res.refs.len(), 2, "{:?}", res.refs);
    assert_eq!(res.stats.unresolved, 2, "`unknown::*` and `missing`");
}

/// Found by the registry sweep (ra_ap_ide_completion): `mod r#type;` is the file `type.rs`.
#[test]
fn a_raw_identifier_module_is_found_in_its_plain_file() {
    let found = edges(
        "//- /src/lib.rs crate:app
mod r#type;
fn f() -> r#type::Kind { r#type::Kind }
//- /src/type.rs
pub struct Kind;
",
    );
    assert_eq!(
        found,
        [
            "app::f -> app::r#type::Kind (construct)",
            "app::f -> app::r#type::Kind (type)"
        ]
    );
}
