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
