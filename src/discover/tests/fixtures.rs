//! Discovery on the small workspaces under fixtures/discover: exact targets, root files and
//! dependency maps, through the public API only.

use std::path::{Path, PathBuf};

use crate::diagnostics::Code;
use crate::discover::{Workspace, discover};

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/discover")
        .join(case)
}

/// `name kind package root_file` with the root file relative to the workspace root.
fn targets(ws: &Workspace) -> Vec<String> {
    ws.crates
        .iter()
        .map(|c| {
            let root = c.root_file.strip_prefix(&ws.root).unwrap_or(&c.root_file);
            format!(
                "{} {} {} {}",
                c.name,
                c.kind.as_str(),
                c.package,
                root.display()
            )
        })
        .collect()
}

/// `code_name=package[->workspace_crate]` for one target, in map order.
fn deps(ws: &Workspace, target: &str) -> Vec<String> {
    let krate = ws
        .crates
        .iter()
        .find(|c| c.name == target)
        .unwrap_or_else(|| panic!("no target {target} in {:?}", targets(ws)));
    krate
        .deps
        .iter()
        .map(|(name, dep)| match &dep.workspace_crate {
            Some(ws_crate) => format!("{name}={}->{ws_crate}", dep.package),
            None => format!("{name}={}", dep.package),
        })
        .collect()
}

#[test]
fn glob_members_expand_and_exclude() {
    let ws = discover(&fixture("glob_members")).expect("discovers");
    assert_eq!(
        targets(&ws),
        [
            "billing lib billing crates/billing/src/lib.rs",
            "gen bin gen tools/gen/src/main.rs",
            "orders lib orders crates/orders/src/lib.rs",
        ]
    );
    assert_eq!(
        deps(&ws, "orders"),
        ["billing=billing->billing", "serde=serde"]
    );
    assert_eq!(deps(&ws, "gen"), ["orders=orders->orders"]);
    assert_eq!(deps(&ws, "billing"), Vec::<String>::new());
    assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
}

#[test]
fn virtual_manifest_has_no_root_crate() {
    let ws = discover(&fixture("glob_members")).expect("discovers");
    assert!(ws.crates.iter().all(|c| c.package_dir != ws.root));
    assert_eq!(ws.root, fixture("glob_members").canonicalize().unwrap());
}

#[test]
fn path_to_cargo_toml_is_accepted() {
    let by_file = discover(&fixture("glob_members").join("Cargo.toml")).expect("discovers");
    let by_dir = discover(&fixture("glob_members")).expect("discovers");
    assert_eq!(by_file.root, by_dir.root);
    assert_eq!(by_file.crates, by_dir.crates);
}

#[test]
fn lib_main_and_every_kind_of_bin() {
    let ws = discover(&fixture("lib_and_bins")).expect("discovers");
    assert_eq!(
        targets(&ws),
        [
            "a bin tool-kit src/bin/a.rs",
            "b bin tool-kit src/bin/b/main.rs",
            "custom bin tool-kit tools/custom.rs",
            "tool_kit lib tool-kit src/lib.rs",
            "tool_kit_bin bin tool-kit src/main.rs",
        ]
    );
    assert_eq!(deps(&ws, "tool_kit"), ["anyhow=anyhow"]);
    for bin in ["a", "b", "custom", "tool_kit_bin"] {
        assert_eq!(
            deps(&ws, bin),
            ["anyhow=anyhow", "tool_kit=tool-kit->tool_kit"],
            "{bin}"
        );
    }
    let lib = &ws.crates[3];
    assert_eq!(lib.package_dir, ws.root);
    assert!(lib.root_file.is_absolute());
    assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
}

#[test]
fn renamed_and_inherited_dependencies() {
    let ws = discover(&fixture("renamed_deps")).expect("discovers");
    assert_eq!(
        targets(&ws),
        [
            "app bin app app/src/main.rs",
            "core_model lib core-model core-model/src/lib.rs",
        ]
    );
    // build-dependencies (cc) are not visible to the crate's code.
    assert_eq!(
        deps(&ws, "app"),
        [
            "http_types=http-types",
            "json=serde_json",
            "model=core-model->core_model",
            "nix=nix",
            "pretty=pretty_assertions",
        ]
    );
    assert_eq!(deps(&ws, "core_model"), ["serde_json=serde_json"]);
    assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
}

#[test]
fn custom_lib_name_and_path() {
    let ws = discover(&fixture("custom_lib_path")).expect("discovers");
    assert_eq!(
        targets(&ws),
        [
            "core_lib lib engine src/core.rs",
            "engine bin engine src/main.rs",
            "engine_cli bin engine-cli cli/src/main.rs",
        ]
    );
    assert_eq!(deps(&ws, "engine"), ["core_lib=engine->core_lib"]);
    // Without a rename, code names a dependency by its lib name, not its package name.
    assert_eq!(deps(&ws, "engine_cli"), ["core_lib=engine->core_lib"]);
}

#[test]
fn broken_member_is_a_diagnostic_and_the_rest_is_found() {
    let ws = discover(&fixture("bad_member")).expect("discovers");
    assert_eq!(targets(&ws), ["good lib good good/src/lib.rs"]);
    assert_eq!(ws.diagnostics.len(), 1, "{:?}", ws.diagnostics);
    let diagnostic = &ws.diagnostics[0];
    assert_eq!(diagnostic.code, Code::BadManifest);
    let location = diagnostic.location.as_ref().expect("located");
    assert_eq!(location.file, ws.root.join("broken/Cargo.toml"));
    assert_eq!((location.line, location.column), (3, 11));
    assert!(
        diagnostic.message.starts_with("invalid Cargo.toml: "),
        "{}",
        diagnostic.message
    );
}

#[test]
fn source_roots_for_orphan_search() {
    let roots = |case: &str| -> Vec<String> {
        let ws = discover(&fixture(case)).expect("discovers");
        ws.source_roots()
            .iter()
            .map(|dir| ws.relative(dir).display().to_string())
            .collect()
    };
    // `tools/custom.rs` is a [[bin]] root outside src/, so its folder is searched too.
    assert_eq!(roots("lib_and_bins"), ["src", "tools"]);
    assert_eq!(roots("custom_lib_path"), ["cli/src", "src"]);
    assert_eq!(
        roots("glob_members"),
        ["crates/billing/src", "crates/orders/src", "tools/gen/src"]
    );
}

#[test]
fn files_of_a_source_root_include_bin_modules() {
    let ws = discover(&fixture("lib_and_bins")).expect("discovers");
    let (files, diagnostics) = crate::discover::rust_files_under(&ws.root.join("src"));
    let files: Vec<String> = files
        .iter()
        .map(|f| ws.relative(f).display().to_string())
        .collect();
    assert_eq!(
        files,
        [
            "src/bin/a.rs",
            "src/bin/b/helper.rs",
            "src/bin/b/main.rs",
            "src/lib.rs",
            "src/main.rs"
        ]
    );
    assert!(diagnostics.is_empty());
    assert_eq!(
        ws.crate_named("b")
            .map(|c| ws.relative(c.source_dir()).to_path_buf()),
        Some(PathBuf::from("src/bin/b"))
    );
    assert!(ws.crate_named("nope").is_none());
}
