//! The analysis (discovery, module tree, resolution, graph) on one small project per
//! resolution rule, written as rust-analyzer-style fixtures and checked with
//! [`check`]: the edges each reference must produce, where it is written, and no others; then
//! the module edges and statistics. Every fixture is a project that compiles
//! ([`every_fixture_compiles`] runs `cargo check` on each).

mod crates;
mod exprs;
mod modules;
mod paths;
mod typed;

use crate::test_support::{
    Analysis, AnalyzeOptions, check, item_edges, lines, module_edges, modules, targets,
};

fn assert_lines(actual: Vec<String>, expected: &[&str]) {
    assert_eq!(actual, lines(expected), "actual:\n{}", actual.join("\n"));
}

fn assert_absent(a: &Analysis, forbidden: &[&str]) {
    let edges = item_edges(&a.codebase, &a.resolution);
    for f in forbidden {
        assert!(
            !edges.iter().any(|e| e.starts_with(f)),
            "{f} must not be an edge:\n{}",
            edges.join("\n")
        );
    }
}

/// Every fixture above, by name.
const FIXTURES: &[(&str, &str)] = &[
    ("use_trees", paths::USE_TREES),
    ("globs", paths::GLOBS),
    ("reexports", paths::REEXPORTS),
    ("relative_paths", paths::RELATIVE_PATHS),
    ("namespaces", paths::NAMESPACES),
    ("shadowing", paths::SHADOWING),
    ("extern_crate", crates::EXTERN_CRATE),
    ("workspace_deps", crates::WORKSPACE_DEPS),
    ("externals", crates::EXTERNALS),
    ("macros", crates::MACROS),
    ("expr_paths", exprs::EXPR_PATHS),
    ("bounds", exprs::BOUNDS),
    ("method_guess", exprs::METHOD_GUESS),
    ("typed_calls", typed::TYPED_CALLS),
    ("typed_bounds", typed::TYPED_BOUNDS),
    ("mod_files", modules::MOD_FILES),
];

/// The fixtures are Rust that compiles, so what they show the analysis doing is what it does
/// on real code: each is written out as [`check`] writes it and passed to `cargo check`.
#[test]
fn every_fixture_compiles() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let dir = tempfile::tempdir().expect("a temporary folder");
    let target = dir.path().join("target");
    for (name, fixture) in FIXTURES {
        let root = dir.path().join(name);
        crate::test_support::Fixture::parse(fixture).write_to(&root);
        let output = std::process::Command::new(&cargo)
            .args(["check", "--quiet", "--all-targets", "--manifest-path"])
            .arg(root.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .expect("run cargo check");
        assert!(
            output.status.success(),
            "{name} does not compile:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
