//! Discovery edge cases on manifests written into temp folders: bad PATHs, broken root
//! manifests, autobins, name collisions, implicit path members, inherited dependencies.

use std::path::Path;

use crate::diagnostics::Code;
use crate::discover::{TargetKind, Workspace, discover};

fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn names(ws: &Workspace) -> Vec<String> {
    ws.crates
        .iter()
        .map(|c| format!("{}:{}:{}", c.name, c.kind.as_str(), c.package))
        .collect()
}

const PKG: &str = "version = \"0.1.0\"\nedition = \"2024\"\n";

#[test]
fn missing_path_and_folder_without_manifest_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = discover(&dir.path().join("nope")).expect_err("missing path");
    assert_eq!(missing.code, Code::BadManifest);
    assert!(missing.message.contains("nope"), "{}", missing.message);

    let empty = discover(dir.path()).expect_err("no Cargo.toml");
    assert_eq!(empty.code, Code::BadManifest);
    assert!(
        empty.message.starts_with("no Cargo.toml in "),
        "{}",
        empty.message
    );

    write(dir.path(), &[("main.rs", "fn main() {}")]);
    let not_manifest = discover(&dir.path().join("main.rs")).expect_err("a .rs file");
    assert!(
        not_manifest.message.contains("is a file"),
        "{}",
        not_manifest.message
    );
}

#[test]
fn broken_root_manifest_is_located() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[("Cargo.toml", "[package]\nname = \"x\"\n[lib\n")],
    );
    let error = discover(dir.path()).expect_err("broken root");
    assert_eq!(error.code, Code::BadManifest);
    let location = error.location.expect("located");
    assert_eq!(
        location.file,
        dir.path().canonicalize().unwrap().join("Cargo.toml")
    );
    assert_eq!((location.line, location.column), (3, 5));
}

#[test]
fn wrong_type_in_manifest_is_located() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[("Cargo.toml", "[workspace]\nmembers = \"crates/*\"\n")],
    );
    let error = discover(dir.path()).expect_err("members must be a list");
    let location = error.location.expect("located");
    assert_eq!((location.line, location.column), (2, 11));
}

#[test]
fn manifest_with_neither_package_nor_workspace() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[("Cargo.toml", "[dependencies]\nserde = \"1\"\n")],
    );
    let error = discover(dir.path()).expect_err("nothing to analyse");
    assert!(error.message.contains("neither [package] nor [workspace]"));
}

#[test]
fn autobins_false_keeps_only_declared_bins() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "Cargo.toml",
                &format!(
                    "[package]\nname = \"svc\"\n{PKG}autobins = false\n\n\
                     [[bin]]\nname = \"serve\"\n\n[workspace]\n"
                ),
            ),
            ("src/lib.rs", ""),
            ("src/main.rs", "fn main() {}"),
            ("src/bin/serve.rs", "fn main() {}"),
            ("src/bin/other.rs", "fn main() {}"),
        ],
    );
    let ws = discover(dir.path()).unwrap();
    assert_eq!(names(&ws), ["serve:bin:svc", "svc:lib:svc"]);
    assert_eq!(
        ws.crates[0].root_file,
        ws.root.join("src/bin/serve.rs"),
        "a [[bin]] without path is looked up in src/bin"
    );
}

#[test]
fn target_problems_are_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "Cargo.toml",
                &format!(
                    "[package]\nname = \"p\"\n{PKG}\n[lib]\npath = \"src/missing.rs\"\n\n\
                     [[bin]]\npath = \"src/x.rs\"\n\n[[bin]]\nname = \"ghost\"\n\n[workspace]\n"
                ),
            ),
            ("src/main.rs", "fn main() {}"),
        ],
    );
    let ws = discover(dir.path()).unwrap();
    assert_eq!(names(&ws), ["p:bin:p"]);
    let found: Vec<(u32, &str)> = ws
        .diagnostics
        .iter()
        .map(|d| (d.location.as_ref().unwrap().line, d.message.as_str()))
        .collect();
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0].0, 6);
    assert!(
        found[0].1.contains("src/missing.rs does not exist"),
        "{found:?}"
    );
    assert_eq!(found[1].0, 9);
    assert!(found[1].1.contains("[[bin]] has no `name`"), "{found:?}");
    assert_eq!(found[2].0, 12);
    assert!(
        found[2].1.contains("`ghost`: root file not found"),
        "{found:?}"
    );
}

#[test]
fn colliding_names_are_made_unique() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"cli\", \"tool-a\", \"tool-b\"]\n",
            ),
            (
                "cli/Cargo.toml",
                &format!("[package]\nname = \"cli\"\n{PKG}"),
            ),
            ("cli/src/lib.rs", ""),
            (
                "tool-a/Cargo.toml",
                &format!(
                    "[package]\nname = \"tool-a\"\n{PKG}[[bin]]\nname = \"cli\"\npath = \"main.rs\"\n"
                ),
            ),
            ("tool-a/main.rs", "fn main() {}"),
            (
                "tool-b/Cargo.toml",
                &format!("[package]\nname = \"tool-b\"\n{PKG}"),
            ),
            ("tool-b/src/bin/cli.rs", "fn main() {}"),
        ],
    );
    let ws = discover(dir.path()).unwrap();
    assert_eq!(
        names(&ws),
        ["cli:lib:cli", "cli_bin:bin:tool-a", "cli_tool_b:bin:tool-b"]
    );
    assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
}

#[test]
fn path_dependencies_under_the_root_become_members() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "Cargo.toml",
                &format!(
                    "[package]\nname = \"app\"\n{PKG}[dependencies]\nutil = {{ path = \"util\" }}\n[workspace]\n"
                ),
            ),
            ("src/main.rs", "fn main() {}"),
            (
                "util/Cargo.toml",
                &format!(
                    "[package]\nname = \"util\"\n{PKG}[dependencies]\ndeep = {{ path = \"../deep\" }}\n"
                ),
            ),
            ("util/src/lib.rs", ""),
            (
                "deep/Cargo.toml",
                &format!("[package]\nname = \"deep\"\n{PKG}"),
            ),
            ("deep/src/lib.rs", ""),
        ],
    );
    let ws = discover(dir.path()).unwrap();
    assert_eq!(
        names(&ws),
        ["app:bin:app", "deep:lib:deep", "util:lib:util"]
    );
    assert_eq!(
        ws.crates[2].deps["deep"].workspace_crate.as_deref(),
        Some("deep")
    );
}

#[test]
fn lone_member_inherits_from_enclosing_workspace() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"a\"]\n[workspace.dependencies]\nx = { package = \"y\", version = \"1\" }\n",
            ),
            (
                "a/Cargo.toml",
                &format!(
                    "[package]\nname = \"a\"\n{PKG}[dependencies]\nx.workspace = true\nz = {{ workspace = true }}\n"
                ),
            ),
            ("a/src/lib.rs", ""),
        ],
    );
    let ws = discover(&dir.path().join("a")).unwrap();
    assert_eq!(names(&ws), ["a:lib:a"]);
    assert_eq!(ws.root, dir.path().canonicalize().unwrap().join("a"));
    let deps: Vec<(&String, &str)> = ws.crates[0]
        .deps
        .iter()
        .map(|(k, d)| (k, d.package.as_str()))
        .collect();
    assert_eq!(deps, [(&"x".to_string(), "y")]);
    // `z` is declared nowhere in the workspace: reported at its line, left out.
    assert_eq!(ws.diagnostics.len(), 1, "{:?}", ws.diagnostics);
    assert_eq!(ws.diagnostics[0].location.as_ref().unwrap().line, 7);
    assert!(ws.diagnostics[0].message.contains("`z`"));
}

#[test]
fn recursive_and_single_character_globs() {
    let dir = tempfile::tempdir().unwrap();
    let member = |name: &str| format!("[package]\nname = \"{name}\"\n{PKG}");
    write(
        dir.path(),
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"libs/**\", \"svc-?\", \"missing\"]\nexclude = [\"libs/old\"]\n",
            ),
            ("libs/a/Cargo.toml", &member("a")),
            ("libs/a/src/lib.rs", ""),
            ("libs/nested/b/Cargo.toml", &member("b")),
            ("libs/nested/b/src/lib.rs", ""),
            ("libs/old/Cargo.toml", &member("old")),
            ("libs/old/src/lib.rs", ""),
            ("svc-1/Cargo.toml", &member("svc-1")),
            ("svc-1/src/main.rs", "fn main() {}"),
            ("svc-12/Cargo.toml", &member("svc-12")),
            ("svc-12/src/main.rs", "fn main() {}"),
        ],
    );
    let ws = discover(dir.path()).unwrap();
    assert_eq!(names(&ws), ["a:lib:a", "b:lib:b", "svc_1:bin:svc-1"]);
    assert!(
        ws.crates
            .iter()
            .all(|c| c.kind == TargetKind::Lib || c.deps.is_empty())
    );
    // A member listed by name must exist; glob matches without Cargo.toml are skipped.
    assert_eq!(ws.diagnostics.len(), 1, "{:?}", ws.diagnostics);
    let location = ws.diagnostics[0].location.as_ref().unwrap();
    assert_eq!((location.line, location.column), (2, 32));
    assert!(ws.diagnostics[0].message.contains("has no Cargo.toml"));
}

#[cfg(unix)]
#[test]
fn recursive_glob_does_not_follow_symlink_loops() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("Cargo.toml", "[workspace]\nmembers = [\"libs/**\"]\n"),
            (
                "libs/a/Cargo.toml",
                &format!("[package]\nname = \"a\"\n{PKG}"),
            ),
            ("libs/a/src/lib.rs", ""),
        ],
    );
    std::os::unix::fs::symlink(dir.path().join("libs"), dir.path().join("libs/a/up")).unwrap();
    let ws = discover(dir.path()).unwrap();
    assert_eq!(names(&ws), ["a:lib:a"]);
    assert_eq!(ws.crates[0].source_dir(), ws.root.join("libs/a/src"));
}

#[test]
fn members_without_package_or_name_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"nameless\", \"virtual\", \"ok\"]\n",
            ),
            (
                "nameless/Cargo.toml",
                "# no name\n[package]\nversion = \"1.0.0\"\n",
            ),
            ("nameless/src/lib.rs", ""),
            ("virtual/Cargo.toml", "[dependencies]\n"),
            ("ok/Cargo.toml", &format!("[package]\nname = \"ok\"\n{PKG}")),
            ("ok/src/lib.rs", ""),
        ],
    );
    let ws = discover(dir.path()).unwrap();
    assert_eq!(names(&ws), ["ok:lib:ok"]);
    let found: Vec<String> = ws
        .diagnostics
        .iter()
        .map(|d| {
            let at = d.location.as_ref().unwrap();
            let file = at.file.strip_prefix(&ws.root).unwrap().display();
            format!("{file}:{}:{} {}", at.line, at.column, d.message)
        })
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        found[0],
        "nameless/Cargo.toml:2:1 [package] has no `name`; package skipped"
    );
    assert!(
        found[1].starts_with("virtual/Cargo.toml:1:1 workspace member "),
        "{found:?}"
    );
    assert!(found[1].ends_with("has no [package]"), "{found:?}");
}
