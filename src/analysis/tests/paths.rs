//! Paths: use trees, globs, re-export chains, `crate`/`self`/`super`, namespaces and shadowing.
//! Each fixture is one string; `//^^^ kind target` under a reference is an edge the
//! analysis must find there, and it must find no other (see `crate::test_support::annotations`).

use super::*;

pub(super) const USE_TREES: &str = r#"
//- /src/lib.rs crate:use_trees
//! Use trees: nested groups, `self`, renames with `as`, `_` imports.
pub mod a;
pub mod b;
//- /src/a.rs
pub struct S;
pub fn f() {}
pub trait T {
    fn describe(&self) -> u32 {
        7
    }
}
impl T for S {}
   //^ impl use_trees::a::T
         //^ impl use_trees::a::S
pub mod inner {
    pub struct X;
    pub fn deep() {}
}
//- /src/b.rs
use crate::a::{
    self,
  //^^^^ use use_trees::a
    inner::{self as nested, X},
          //^^^^ use use_trees::a::inner
                          //^ use use_trees::a::inner::X
    S as Renamed, T as _,
  //^ use use_trees::a::S
                //^ use use_trees::a::T
};

pub fn g(x: X) -> Renamed {
          //^ type use_trees::a::inner::X
                //^^^^^^^ type use_trees::a::S
    a::f();
  //^ call use_trees::a::f
    nested::deep();
  //^^^^^^ call use_trees::a::inner::deep
    let _ = x;
    // `describe` comes from the trait imported as `_`.
    let _ = Renamed.describe();
          //^^^^^^^ construct use_trees::a::S
    Renamed
  //^^^^^^^ construct use_trees::a::S
}
"#;

#[test]
fn use_trees_groups_self_renames_and_underscore() {
    // `self` imports the module, `inner::{self as nested}` the inner module.
    // `T as _` binds no name but still depends on the trait.
    let a = check(USE_TREES);
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

pub(super) const GLOBS: &str = r#"
//- /src/lib.rs crate:globs
//! Glob imports of a module and of an enum's variants; an explicit import shadows a glob.
pub mod billing;
pub mod logic;
pub mod model;
//- /src/billing.rs
pub struct Invoice;
//- /src/logic.rs
use crate::billing::Invoice;
                  //^^^^^^^ use globs::billing::Invoice
use crate::model::Status::*;
                        //^ use globs::model::Status
use crate::model::*;
                //^ use globs::model

pub fn close(o: Order) -> Status {
              //^^^^^ type globs::model::Order
                        //^^^^^^ type globs::model::Status
    let _ = total(&o);
          //^^^^^ call globs::model::total
    Closed
  //^^^^^^ construct globs::model::Status
}

// `Invoice` is both in the glob and imported by name: the named import wins.
pub fn bill() -> Invoice {
               //^^^^^^^ type globs::billing::Invoice
    Invoice
  //^^^^^^^ construct globs::billing::Invoice
}

pub fn is_open(s: &Status) -> bool {
                 //^^^^^^ type globs::model::Status
    match s {
        Open => true,
      //^^^^ construct globs::model::Status
        Closed => false,
      //^^^^^^ construct globs::model::Status
    }
}

// A body-level glob of a std enum: the variants are external, never unresolved.
pub fn order(a: u32, b: u32) -> i8 {
    use std::cmp::Ordering::*;
    match a.cmp(&b) {
        Less => -1,
        Equal => 0,
        Greater => 1,
    }
}
//- /src/model.rs
pub struct Order;
pub struct Invoice;
pub enum Status {
    Open,
    Closed,
}
pub fn total(_o: &Order) -> u32 {
                //^^^^^ type globs::model::Order
    0
}
"#;

#[test]
fn globs_of_modules_and_enums_and_named_imports_shadow_globs() {
    // `Closed` through `use Status::*`: the enum is the target.
    // `Open =>` and `Closed =>` patterns are variants, not bindings.
    let a = check(GLOBS);
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

pub(super) const REEXPORTS: &str = r#"
//- /src/lib.rs crate:reexports
//! `pub use` chains chased to the defining item, and a glob re-export cycle.
pub mod api;
pub mod client;
pub mod deep;
pub mod loop_a;
pub mod loop_b;
//- /src/api.rs
pub use crate::deep::facade::Thing as Widget;
                           //^^^^^ use reexports::deep::real::Thing
pub use crate::deep::facade::*;
                           //^ use reexports::deep::facade
//- /src/client.rs
use crate::api::Widget;
              //^^^^^^ use reexports::deep::real::Thing

pub fn use_it(w: Widget) -> crate::api::Thing {
               //^^^^^^ type reexports::deep::real::Thing
                          //^^^^^ type reexports::deep::real::Thing
    let _ = w;
    crate::api::build()
  //^^^^^ call reexports::deep::real::make
}

// Through the cycle: `loop_b::A` is `loop_a::A`, `loop_a::B` is `loop_b::B`.
pub fn cyc(a: crate::loop_b::A, b: crate::loop_a::B) {
            //^^^^^ type reexports::loop_a::A
                                 //^^^^^ type reexports::loop_b::B
    let _ = (a, b);
}
//- /src/deep.rs
pub mod real {
    pub struct Thing;
    pub fn make() -> Thing {
                   //^^^^^ type reexports::deep::real::Thing
        Thing
      //^^^^^ construct reexports::deep::real::Thing
    }
}
pub mod facade {
    pub use super::real::make as build;
                       //^^^^ use reexports::deep::real::make
    pub use super::real::Thing;
                       //^^^^^ use reexports::deep::real::Thing
}
//- /src/loop_a.rs
pub use crate::loop_b::*;
                     //^ use reexports::loop_b
pub struct A;
//- /src/loop_b.rs
pub use crate::loop_a::*;
                     //^ use reexports::loop_a
pub struct B;
"#;

#[test]
fn reexports_are_chased_to_the_defining_item_and_glob_cycles_end() {
    // Through the glob cycle: `loop_b::A` is `loop_a::A` and `loop_a::B` is `loop_b::B`.
    // `api::Widget` -> `facade::Thing` -> `real::Thing`; `api::build` -> `real::make`.
    let a = check(REEXPORTS);
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

pub(super) const RELATIVE_PATHS: &str = r#"
//- /src/lib.rs crate:relative_paths
//! `crate::`, `self::`, `super::` (repeated), `::abs` paths, in inline and file modules.
pub mod x;

pub fn top() {}

pub mod a {
    pub fn g() {}
    pub mod b {
        pub fn sibling() {}
        pub mod c {
            pub fn f() {
                super::super::g();
              //^^^^^ call relative_paths::a::g
                self::h();
              //^^^^ call relative_paths::a::b::c::h
                crate::top();
              //^^^^^ call relative_paths::top
                super::sibling();
              //^^^^^ call relative_paths::a::b::sibling
                let _ = ::core::convert::identity(1u8);
            }
            pub fn h() {}
        }
    }
}
//- /src/x.rs
pub mod y;

pub fn helper() {}
//- /src/x/y.rs
use super::super::top;
                //^^^ use relative_paths::top

pub fn z() {
    top();
  //^^^ call relative_paths::top
    super::helper();
  //^^^^^ call relative_paths::x::helper
    self::w();
  //^^^^ call relative_paths::x::y::w
    crate::a::b::c::h();
  //^^^^^ call relative_paths::a::b::c::h
}

pub fn w() {}
"#;

#[test]
fn crate_self_super_and_absolute_paths() {
    let a = check(RELATIVE_PATHS);
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

pub(super) const NAMESPACES: &str = r#"
//- /src/lib.rs crate:namespaces
//! One name in two namespaces: `routes` has a private module `login` and, through a glob
//! re-export of it, a fn `login` defined in `routes::login::post`.
pub mod routes;
pub mod startup;
//- /src/routes.rs
mod login {
    mod post {
        pub fn login() -> u32 {
            1
        }
    }
    pub use post::login;
                //^^^^^ use namespaces::routes::login::post::login
}
pub use login::*;
             //^ use namespaces::routes::login

pub struct Unit;
//- /src/startup.rs
// `login` is the fn (the module is private to `routes`); `Unit` is one item in two
// namespaces (a type and a constant) and stays one edge.
use crate::routes::{login, Unit};
                  //^^^^^ use namespaces::routes::login
                  //^^^^^ use namespaces::routes::login::post::login
                         //^^^^ use namespaces::routes::Unit

pub fn serve() -> (fn() -> u32, Unit) {
                              //^^^^ type namespaces::routes::Unit
    (login, Unit)
          //^^^^ construct namespaces::routes::Unit
}
"#;

#[test]
fn a_named_import_brings_every_namespace_of_the_name() {
    // Found by scripts/recall.py on zero-to-production: `use crate::routes::login;` stopped
    // at the private module `login` and missed the fn re-exported by `pub use login::*`.
    // The glob and the re-export name a module and a fn: one edge each.
    // The module too: privacy is not enforced (ARCHITECTURE.md).
    let a = check(NAMESPACES);
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

pub(super) const SHADOWING: &str = r#"
//- /src/lib.rs crate:shadowing
//! Names bound inside an item shadow module-level items: generic parameters, local
//! variables and closures, parameters, local items, body-level `use`.
pub struct T;

pub fn bad() -> u32 {
    0
}

pub fn helper() -> u32 {
    1
}

pub mod m {
    pub fn helper() -> u32 {
        2
    }
}

pub struct Wrapper<T> {
    pub t: T,
}

pub fn generic<T: Clone>(t: T) -> T {
    t
}

pub fn closure() -> u32 {
    let bad = || 5;
    bad()
}

pub fn param(bad: fn() -> u32) -> u32 {
    bad()
}

pub fn matched(o: Option<fn() -> u32>) -> u32 {
    match o {
        Some(bad) => bad(),
        None => 0,
    }
}

pub fn if_let(o: Option<fn() -> u32>) -> u32 {
    if let Some(helper) = o {
        helper()
    } else {
        0
    }
}

pub fn for_loop(fs: &[fn() -> u32]) -> u32 {
    let mut sum = 0;
    for bad in fs {
        sum += bad();
    }
    sum
}

pub fn body_use() -> u32 {
    use crate::m::helper;
                //^^^^^^ use shadowing::m::helper
    helper()
  //^^^^^^ call shadowing::m::helper
}

pub fn local_item() -> u32 {
    fn helper() -> u32 {
        3
    }
    helper()
}

// A variable named like a module hides `m(..)`, never the module in `m::helper`.
pub fn param_named_like_module(m: u32) -> u32 {
    let helper = m;
    helper + m::helper()
           //^ call shadowing::m::helper
}

pub fn uses_top() -> u32 {
    helper() + bad()
  //^^^^^^ call shadowing::helper
             //^^^ call shadowing::bad
}

pub fn unit() -> T {
               //^ type shadowing::T
    T
  //^ call shadowing::T
}
"#;

#[test]
fn generics_locals_closures_and_body_uses_shadow_module_items() {
    // A body-level `use` beats the module's own `helper`.
    // The parameter `m` does not hide the module in `m::helper()`; the variable
    // `helper` is not the fn `helper`.
    // A unit struct named `T`: one letter without lowercase reads as a value, `call`.
    // Positive control: the module-level names do resolve where nothing shadows them.
    let a = check(SHADOWING);
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
