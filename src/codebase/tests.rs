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
