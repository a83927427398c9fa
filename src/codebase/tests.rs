//! Building the module tree: test module files, modules declared twice under exclusive
//! cfgs, and files included more than once.

use std::fs;

use super::*;
use crate::discover::{self, FsLoader};

/// A `#[cfg(test)] mod tests;` left out of the analysis is still declared by a `mod`: its
/// file is no orphan, while a file nothing declares is.
#[test]
fn excluded_test_module_files_are_not_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("src/a")).unwrap();
    fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"p\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    fs::write(
        root.join("src/lib.rs"),
        "mod a;\n#[cfg(test)]\nmod tests;\n",
    )
    .unwrap();
    fs::write(
        root.join("src/a.rs"),
        "#[cfg(test)]\n#[path = \"t.rs\"]\nmod t;\n",
    )
    .unwrap();
    fs::write(root.join("src/tests.rs"), "").unwrap();
    fs::write(root.join("src/t.rs"), "").unwrap();
    fs::write(root.join("src/stray.rs"), "").unwrap();
    let ws = discover::discover(root).unwrap();
    for include_tests in [false, true] {
        let cb = build(&ws, &FsLoader, BuildOptions { include_tests });
        assert_eq!(
            cb.orphans,
            ["src/stray.rs"],
            "include_tests: {include_tests}"
        );
        assert_eq!(cb.modules.len(), if include_tests { 4 } else { 2 });
    }
}

fn memory_tree(files: &[(&str, &str)]) -> Codebase {
    let (cb, _) = crate::test_support::analyze_in_memory(
        &files
            .iter()
            .map(|(path, text)| format!("//- {path}\n{text}\n"))
            .collect::<String>(),
    );
    cb
}

#[test]
fn a_module_declared_twice_under_exclusive_cfgs_is_one_module_and_no_orphan() {
    let cb = memory_tree(&[
        (
            "/src/lib.rs crate:app",
            "#[cfg(unix)] #[path = \"unix.rs\"] mod sys;\n#[cfg(windows)] #[path = \"windows.rs\"] mod sys;",
        ),
        ("/src/unix.rs", "pub fn f() {}"),
        ("/src/windows.rs", "pub fn f() {}"),
    ]);
    let paths: Vec<&str> = cb.modules.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, ["app", "app::sys"]);
    assert!(cb.diagnostics.is_empty(), "{:?}", cb.diagnostics);
}

#[test]
fn the_same_file_included_twice_is_two_modules_but_a_self_include_is_circular() {
    let cb = memory_tree(&[
        (
            "/src/lib.rs crate:app",
            "#[path = \"shared.rs\"] mod a;\n#[path = \"shared.rs\"] mod b;\nmod loopy;",
        ),
        ("/src/shared.rs", "pub fn f() {}"),
        ("/src/loopy.rs", "#[path = \"loopy.rs\"] mod again;"),
    ]);
    let paths: Vec<&str> = cb.modules.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, ["app", "app::a", "app::b", "app::loopy"]);
    assert_eq!(cb.diagnostics.len(), 1);
    assert!(cb.diagnostics[0].message.contains("includes itself"));
    assert_eq!(cb.diagnostics[0].location.as_ref().unwrap().line, 1);
}

/// The paths module `path` names, as written (`crate::a::f`).
fn named_paths(cb: &Codebase, path: &str) -> Vec<String> {
    let module = cb.modules.iter().find(|m| m.path == path).unwrap();
    module
        .facts
        .refs
        .iter()
        .map(|r| r.path.to_string())
        .collect()
}

/// A macro's body names `crate::target`, which its arguments do not: the path is in the
/// facts only when the invocation was expanded.
const CALL_TARGET: &str = "macro_rules! call_target { ($x:expr) => { crate::target($x) }; }";

#[test]
fn a_parent_modules_macro_above_the_child_expands_in_the_childs_bodies() {
    let cb = memory_tree(&[
        (
            "/src/lib.rs crate:app",
            &format!("{CALL_TARGET}\npub fn target(_: u8) {{}}\nmod child;"),
        ),
        ("/src/child.rs", "mod grand;\nfn f() { call_target!(1); }"),
        ("/src/child/grand.rs", "fn g() { call_target!(2); }"),
    ]);
    assert!(named_paths(&cb, "app::child").contains(&"crate::target".to_string()));
    assert!(named_paths(&cb, "app::child::grand").contains(&"crate::target".to_string()));
    // The definitions are handed out, then dropped.
    assert!(cb.modules.iter().all(|m| m.facts.macro_rules.is_empty()));
}

#[test]
fn a_definition_below_the_childs_declaration_is_not_visible_to_it() {
    let cb = memory_tree(&[
        (
            "/src/lib.rs crate:app",
            &format!("mod child;\n{CALL_TARGET}\npub fn target(_: u8) {{}}"),
        ),
        ("/src/child.rs", "fn f() { call_target!(1); }"),
    ]);
    assert!(!named_paths(&cb, "app::child").contains(&"crate::target".to_string()));
}

#[test]
fn a_macro_use_modules_macros_are_visible_to_the_modules_declared_after_it() {
    let cb = memory_tree(&[
        (
            "/src/lib.rs crate:app",
            "mod before;\n#[macro_use]\nmod macros;\nmod after;\npub fn target(_: u8) {}\n\
             fn root() { call_target!(0); }",
        ),
        ("/src/macros.rs", CALL_TARGET),
        ("/src/before.rs", "fn f() { call_target!(1); }"),
        ("/src/after.rs", "fn f() { call_target!(2); }"),
    ]);
    assert!(named_paths(&cb, "app::after").contains(&"crate::target".to_string()));
    assert!(named_paths(&cb, "app").contains(&"crate::target".to_string()));
    assert!(!named_paths(&cb, "app::before").contains(&"crate::target".to_string()));
}

#[test]
fn an_exported_macro_expands_by_path_and_by_import_in_its_crate_and_others() {
    let cb = memory_tree(&[
        (
            "/kernel/src/lib.rs crate:kernel",
            "mod a;\nmod b;\npub fn target(_: u8) {}",
        ),
        (
            "/kernel/src/a.rs",
            "#[macro_export]\nmacro_rules! call_target { ($x:expr) => { $crate::target($x) }; }\n\
             macro_rules! private { () => { crate::private_target() }; }\n\
             macro_rules! reexported { () => { crate::reexported_target() }; }\n\
             pub(crate) use reexported;",
        ),
        (
            "/kernel/src/b.rs",
            "fn f() { crate::call_target!(1); crate::a::reexported!(); crate::a::private!(); }",
        ),
        (
            "/app/src/lib.rs crate:app deps:kernel",
            "use kernel::call_target;\nfn f() { call_target!(2); }\nfn g() { kernel::a::call_target!(3); }",
        ),
    ]);
    let b = named_paths(&cb, "kernel::b");
    assert!(b.contains(&"crate::target".to_string()), "{b:?}");
    assert!(b.contains(&"crate::reexported_target".to_string()), "{b:?}");
    assert!(!b.contains(&"crate::private_target".to_string()), "{b:?}");
    // In another crate, `$crate` is the defining crate.
    let app = named_paths(&cb, "app");
    assert_eq!(
        app.iter().filter(|p| *p == "kernel::target").count(),
        2,
        "{app:?}"
    );
}

#[test]
fn a_macro_that_invokes_itself_across_files_stops_at_the_depth_budget() {
    // `again!` expands to a call of `crate::target` and of itself: without the budget it
    // would never end; with it, the child reads a bounded number of expansions.
    let cb = memory_tree(&[
        (
            "/src/lib.rs crate:app",
            "macro_rules! again { () => { { crate::target(); again!(); } }; }\n\
             pub fn target() {}\nmod child;",
        ),
        ("/src/child.rs", "fn f() { again!(); }"),
    ]);
    let child = named_paths(&cb, "app::child");
    assert!(child.contains(&"crate::target".to_string()), "{child:?}");
}
