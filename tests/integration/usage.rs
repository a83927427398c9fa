//! The command line as a user first meets it: help, version, and input that cannot be read.

use crate::support::Case;

#[test]
fn a_missing_path_is_an_input_error_naming_it() {
    Case::new()
        .args(["analyze", "no/such/folder"])
        .status(2)
        .stderr_has("no/such/folder")
        .run();
}

#[test]
fn a_folder_without_a_manifest_is_an_input_error() {
    Case::new()
        .file("src/lib.rs", "pub fn f() {}\n")
        .args(["analyze", "."])
        .status(2)
        .stderr_has("Cargo.toml")
        .run();
}

#[test]
fn an_unknown_subcommand_exits_2() {
    Case::new().args(["anlyze"]).status(2).run();
}

#[test]
fn version_prints_the_package_version() {
    Case::new()
        .args(["--version"])
        .stdout(&format!("fissure {}\n", env!("CARGO_PKG_VERSION")))
        .run();
}
