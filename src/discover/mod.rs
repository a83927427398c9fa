//! Discovery: the only stage that reads the disk. It reads Cargo manifests (never runs
//! cargo), finds every crate target, and loads source files on request.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TargetKind {
    Lib,
    Bin,
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Lib => "lib",
            TargetKind::Bin => "bin",
        }
    }
}

/// A dependency as the code names it (`extern` name, `-` already turned into `_`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The package it points to (differs from the key for `foo = { package = "bar" }`).
    pub package: String,
    /// The unique name of the lib target when the package is part of the analysed workspace.
    pub workspace_crate: Option<String>,
}

/// One crate target (a lib or a bin) of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateTarget {
    /// Unique across the workspace; the root module's path. A lib is named after its
    /// `[lib] name` (or the package, `-` → `_`); a bin after its name, with `_bin` appended
    /// when that collides with another target's name.
    pub name: String,
    pub package: String,
    pub kind: TargetKind,
    /// Absolute path of the crate root file (`src/lib.rs`, `src/main.rs`, ...).
    pub root_file: PathBuf,
    /// Absolute path of the package's folder (holds its Cargo.toml).
    pub package_dir: PathBuf,
    /// Names usable in paths: every `[dependencies]` entry, plus the package's own lib for
    /// bin targets. `[dev-dependencies]` are included too (test code may be analysed).
    pub deps: BTreeMap<String, Dependency>,
}

/// What discovery found under PATH.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    /// Absolute, canonical path of the folder analysed (reports show paths relative to it).
    pub root: PathBuf,
    pub crates: Vec<CrateTarget>,
    /// Manifests that could not be read or understood; the rest is still analysed.
    pub diagnostics: Vec<Diagnostic>,
}
