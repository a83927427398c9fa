//! Module files: `mod x;`, `#[path]`, inline modules, orphans and `#[cfg(test)]` modules.
//! Each fixture is one string; `//^^^ kind target` under a reference is an edge the
//! analysis must find there, and it must find no other (see `crate::test_support::annotations`).

use super::*;
use crate::test_support::annotations::analyze_fixture;

pub(super) const MOD_FILES: &str = r#"
//- /src/lib.rs crate:mod_files
//! Module files as rustc finds them: `foo.rs` + `foo/bar.rs`, `baz/mod.rs`, `#[path]` at
//! top level and inside an inline module, inline modules, a `#[cfg(test)]` module and two
//! orphan files.
pub mod baz;
pub mod foo;

#[path = "elsewhere/renamed.rs"]
pub mod custom;

pub mod outer {
    #[path = "nested_path.rs"]
    pub mod np;

    pub mod file_child;

    pub mod inline_child {
        pub struct Deep;
    }
}

#[cfg(test)]
mod tests;
//- /src/baz/mod.rs
pub mod qux;

// The file says `#![cfg(test)]` itself.
mod only_tests;
//- /src/baz/only_tests.rs
#![cfg(test)]

mod helper;

use crate::foo::bar::Bar;

#[test]
fn builds_bar() {
    let _ = Bar;
    helper::check();
}
//- /src/baz/only_tests/helper.rs
pub fn check() {
    let _ = crate::foo::Foo;
}
//- /src/baz/qux.rs
pub fn q() -> crate::foo::bar::Bar {
            //^^^^^ type mod_files::foo::bar::Bar
    crate::foo::bar::Bar
  //^^^^^ construct mod_files::foo::bar::Bar
}
//- /src/elsewhere/renamed.rs
// A `#[path]` file owns its folder like a mod.rs: `sub` is elsewhere/sub.rs.
pub mod sub;
//- /src/elsewhere/sub.rs
pub fn s() -> crate::outer::inline_child::Deep {
            //^^^^^ type mod_files::outer::inline_child::Deep
    crate::outer::inline_child::Deep
  //^^^^^ construct mod_files::outer::inline_child::Deep
}
//- /src/foo.rs
pub mod bar;

// Not inside an inline module: relative to the folder of foo.rs, so src/foo_extra.rs.
#[path = "foo_extra.rs"]
pub mod extra;

pub struct Foo;
//- /src/foo/bar.rs
pub struct Bar;

pub fn mk() -> super::Foo {
             //^^^^^ type mod_files::foo::Foo
    super::Foo
  //^^^^^ construct mod_files::foo::Foo
}
//- /src/foo/stray.rs
pub struct AlsoNeverCompiled;
//- /src/foo_extra.rs
pub fn extra() -> crate::outer::file_child::FileChild {
                //^^^^^ type mod_files::outer::file_child::FileChild
    crate::outer::file_child::FileChild
  //^^^^^ construct mod_files::outer::file_child::FileChild
}
//- /src/orphan.rs
pub struct NeverCompiled;
//- /src/outer/file_child.rs
pub struct FileChild;
//- /src/outer/nested_path.rs
pub fn n() -> super::inline_child::Deep {
            //^^^^^ type mod_files::outer::inline_child::Deep
    super::inline_child::Deep
  //^^^^^ construct mod_files::outer::inline_child::Deep
}
//- /src/tests.rs
use crate::foo::Foo;

#[test]
fn builds_foo() {
    let _ = Foo;
}
"#;

#[test]
fn module_files_path_attributes_inline_modules_and_orphans() {
    let a = check(MOD_FILES);
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
    let a = analyze_fixture(
        MOD_FILES,
        AnalyzeOptions {
            include_tests: true,
        },
    );
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
    let edges = item_edges(&a.codebase, &a.resolution);
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
