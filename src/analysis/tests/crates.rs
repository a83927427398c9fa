//! Crates: `extern crate`, renamed workspace dependencies, std/core/alloc, and macros across crates.
//! Each fixture is one string; `//^^^ kind target` under a reference is an edge the
//! analysis must find there, and it must find no other (see `crate::test_support::annotations`).

use super::*;

pub(super) const EXTERN_CRATE: &str = r#"
//- /app/src/lib.rs crate:app deps:kernel
//! `extern crate x as y` at the crate root (joins the extern prelude), inside a module
//! (a name of that module only), and `extern crate self as me`.
extern crate kernel as k;
extern crate self as me;

pub struct Local;

pub fn at_root() -> k::Money {
                  //^ type kernel::Money
    k::zero()
  //^ call kernel::zero
}

pub mod nested {
    extern crate kernel as kern;

    pub fn in_module() -> kern::Money {
                        //^^^^ type kernel::Money
        kern::zero()
      //^^^^ call kernel::zero
    }

    // `k` comes from the extern prelude, so any module can name it.
    pub fn through_prelude() -> k::Money {
                              //^ type kernel::Money
        k::Money
      //^ construct kernel::Money
    }

    pub fn through_self() -> me::Local {
                           //^^ type app::Local
        me::Local
      //^^ construct app::Local
    }
}
//- /kernel/src/lib.rs crate:kernel
pub struct Money;
pub fn zero() -> Money {
               //^^^^^ type kernel::Money
    Money
  //^^^^^ construct kernel::Money
}
"#;

#[test]
fn extern_crate_renames_at_the_root_in_a_module_and_self() {
    // `extern crate self as me`: `me::Local` is this crate's own item.
    let a = check(EXTERN_CRATE);
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

pub(super) const WORKSPACE_DEPS: &str = r#"
//- /app/src/lib.rs crate:app
//! A workspace dependency renamed with `package =`: the code names it `kern`.
use kern::Money;
        //^^^^^ use kernel_core::money::Money

pub fn price() -> Money {
                //^^^^^ type kernel_core::money::Money
    kern::Money::zero()
  //^^^^ call kernel_core::money::Money
}

pub fn cents(c: kern::money::Cents) -> u64 {
              //^^^^ type kernel_core::money::Cents
    c.0
}

pub fn absolute() -> ::kern::money::Cents {
                     //^^^^ type kernel_core::money::Cents
    ::kern::money::Cents(1)
    //^^^^ construct kernel_core::money::Cents
}
//- /app/Cargo.toml
[package]
name = "app"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
kern = { package = "kernel-core", path = "../kernel-core" }
//- /kernel-core/src/lib.rs crate:kernel-core
pub mod money;
pub use money::Money;
             //^^^^^ use kernel_core::money::Money
//- /kernel-core/src/money.rs
pub struct Money(pub u64);

impl Money {
   //^^^^^ impl kernel_core::money::Money
    pub fn zero() -> Money {
                   //^^^^^ type kernel_core::money::Money
        Money(0)
      //^^^^^ construct kernel_core::money::Money
    }
}

pub struct Cents(pub u64);
"#;

#[test]
fn workspace_dependency_renamed_with_package() {
    // `kern::Money` is the re-export at the root of kernel-core, chased to `money`.
    let a = check(WORKSPACE_DEPS);
    let names: Vec<&str> = a
        .codebase
        .crates
        .iter()
        .map(|c| c.target.name.as_str())
        .collect();
    assert_eq!(names, ["app", "kernel_core"]);
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

pub(super) const EXTERNALS: &str = r#"
//- /src/lib.rs crate:externals
//! std, core and alloc paths are external: counted per crate, never graph nodes.
extern crate alloc;

use alloc::vec::Vec as AVec;
use core::fmt;
use std::collections::HashMap;

pub struct Local;

pub fn f(m: HashMap<String, Local>) -> AVec<u8> {
                          //^^^^^ type externals::Local
    let _ = m;
    AVec::new()
}

impl fmt::Display for Local {
                    //^^^^^ impl externals::Local
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "local")
    }
}

pub fn g() -> Option<u32> {
    std::env::var("X").ok().map(|s| s.len() as u32)
}
"#;

#[test]
fn std_core_and_alloc_are_external_never_nodes() {
    let a = check(EXTERNALS);
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

pub(super) const MACROS: &str = r#"
//- /app/src/lib.rs crate:app deps:kernel
//! Macro invocation paths: textual `macro_rules!` scope, `#[macro_export]` from another
//! crate by path and by `use`, and paths inside macro arguments.
#[macro_use]
extern crate kernel;

// `#[macro_use]` lets the rest of the crate use the macros defined in `macros`.
#[macro_use]
mod macros;

macro_rules! local_mac {
    () => {
        1u32
    };
}

macro_rules! twice {
    ($e:expr) => {
        $e + $e
    };
}

// A DSL in the style of `bitflags!`: not plain Rust, but its item header names `Perms`.
macro_rules! flags {
    ($vis:vis struct $name:ident : $t:ty { $(const $f:ident = $v:expr;)* }) => {
        $vis struct $name(pub $t);
        impl $name {
            $(pub const $f: $name = $name($v);)*
        }
    };
}

  flags! {
//^^^^^ macro app::flags
    pub struct Perms: u8 {
        const READ = 1;
        const WRITE = 2;
    }
}

pub fn can_read() -> Perms {
                   //^^^^^ type app::Perms
    Perms::READ
  //^^^^^ call app::Perms
}

pub fn helper() -> u32 {
    2
}

pub mod plain {
    pub fn p() -> u32 {
        shout!() + money!()
      //^^^^^ macro app::macros::shout
                 //^^^^^ macro kernel::deep::money
    }
}

pub mod body {
    // A `macro_rules!` inside a fn body is local to it: no edge, nothing unresolved.
    pub fn with_local_macro() -> u32 {
        macro_rules! local_mac {
            () => {
                9u32
            };
        }
        local_mac!()
    }
}

pub mod inner {
    use kernel::money;
              //^^^^^ use kernel::deep::money

    pub fn f() -> u32 {
        local_mac!() + kernel::money!()
      //^^^^^^^^^ macro app::local_mac
                     //^^^^^^ macro kernel::deep::money
    }

    pub fn g() -> u32 {
        money!() + twice!(crate::helper())
      //^^^^^ macro kernel::deep::money
                 //^^^^^ macro app::twice
                        //^^^^^ call app::helper
    }
}
//- /app/src/macros.rs
macro_rules! shout {
    () => {
        3u32
    };
}
//- /kernel/src/lib.rs crate:kernel
mod deep {
    #[macro_export]
    macro_rules! money {
        () => {
            0u32
        };
    }
}
"#;

#[test]
fn macro_paths_textual_scope_macro_use_and_macro_export() {
    // The module-level `flags! { pub struct Perms: u8 { .. } }` invocation, and the
    // struct its header names, read from the tokens of a body that is not plain Rust.
    // `#[macro_export]` puts `money` at kernel's root, whatever module defines it.
    // Paths inside macro arguments are read too.
    // `#[macro_use] mod macros;` and `#[macro_use] extern crate kernel;`.
    let a = check(MACROS);
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
