//! Discovery: the only stage that reads the disk. It reads Cargo manifests (never runs
//! cargo), finds every crate target, and loads source files on request.

mod files;
mod loader;
mod manifest;
mod members;
mod naming;
mod package;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Location};

pub use files::rust_files_under;
pub use loader::{FsLoader, MAX_SOURCE_BYTES, MemoryLoader, SourceLoader, read_source};
pub use members::normalize as normalize_path;

use manifest::{Manifest, read_manifest};
use members::{expand_member, is_glob, normalize};
use package::{Package, read_package, resolve_dir};

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
    /// `[lib] name` (or the package, `-` → `_`); a bin after its name (`-` → `_`), with `_bin`
    /// appended when that collides with another target's name. Libs are named first, so they
    /// keep their plain name; a name still taken gets `_<package>`, then `_2`, `_3`...
    /// (see `naming.rs`).
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

impl CrateTarget {
    /// The folder holding the root file, where this target's modules live.
    pub fn source_dir(&self) -> &Path {
        self.root_file.parent().unwrap_or(&self.package_dir)
    }
}

impl Workspace {
    pub fn crate_named(&self, name: &str) -> Option<&CrateTarget> {
        self.crates.iter().find(|c| c.name == name)
    }

    /// `path` relative to the analysed root when it lies under it (for reports), else as is.
    pub fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }

    /// Folders whose `.rs` files should all be reachable through `mod` (give each to
    /// [`rust_files_under`]; what no target reaches is an orphan): every package's `src/`,
    /// plus the folder of a root file that lives elsewhere (`[lib] path = "lib/x.rs"`).
    /// A root file directly in the package folder adds nothing, since that folder also holds
    /// `build.rs`, `tests/` and `examples/`. Sorted, with folders inside another one dropped.
    pub fn source_roots(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = Vec::new();
        for krate in &self.crates {
            let src = krate.package_dir.join("src");
            if src.is_dir() {
                dirs.push(src);
            }
            let own = krate.source_dir();
            if own != krate.package_dir {
                dirs.push(own.to_path_buf());
            }
        }
        dirs.sort();
        dirs.dedup();
        let mut roots: Vec<PathBuf> = Vec::new();
        for dir in dirs {
            // Sorted order puts a parent right before its children.
            if !roots.last().is_some_and(|last| dir.starts_with(last)) {
                roots.push(dir);
            }
        }
        roots
    }
}

/// Finds every lib and bin target under PATH (a crate folder, a workspace root, or the path
/// of a Cargo.toml) by reading manifests only: no cargo, no network, no build.
///
/// `Err` only when PATH itself is unusable (missing, no Cargo.toml, the root manifest does not
/// parse). A member whose manifest is broken becomes a diagnostic in
/// [`Workspace::diagnostics`] and the other members are still found.
pub fn discover(path: &Path) -> Result<Workspace, Diagnostic> {
    let (root, root_manifest_file) = locate_root(path)?;
    let root_manifest = read_manifest(&root_manifest_file)?;
    let mut diagnostics = Vec::new();

    if root_manifest.raw.package.is_none() && root_manifest.raw.workspace.is_none() {
        return Err(Diagnostic::error(
            Code::BadManifest,
            format!(
                "{} has neither [package] nor [workspace]",
                root_manifest_file.display()
            ),
        )
        .at(Location {
            file: root_manifest_file,
            line: 1,
            column: 1,
        }));
    }

    let packages = if root_manifest.raw.workspace.is_some() {
        workspace_packages(&root, &root_manifest, &mut diagnostics)
    } else {
        // A lone package may still inherit `workspace = true` dependencies from an enclosing
        // workspace; only its `[workspace.dependencies]` is used, its members are not analysed.
        let enclosing = enclosing_workspace(&root);
        read_package(&root_manifest, &root, enclosing.as_ref(), &mut diagnostics)
            .into_iter()
            .collect()
    };

    Ok(Workspace {
        root,
        crates: naming::name_targets(packages),
        diagnostics,
    })
}

/// Canonical root folder and its Cargo.toml.
fn locate_root(path: &Path) -> Result<(PathBuf, PathBuf), Diagnostic> {
    let not_found = |why: String| {
        Diagnostic::error(Code::BadManifest, why)
            .with_help("pass a crate folder or a workspace root (a folder holding Cargo.toml)")
    };
    let canonical = std::fs::canonicalize(path)
        .map_err(|err| not_found(format!("cannot open {}: {err}", path.display())))?;
    let dir = if canonical.is_file() {
        if canonical.file_name().is_some_and(|n| n == "Cargo.toml") {
            canonical
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        } else {
            return Err(not_found(format!(
                "{} is a file, not a Cargo.toml or a folder",
                path.display()
            )));
        }
    } else {
        canonical
    };
    let manifest = dir.join("Cargo.toml");
    if !manifest.is_file() {
        return Err(not_found(format!("no Cargo.toml in {}", dir.display())));
    }
    Ok((dir, manifest))
}

/// The nearest ancestor manifest holding a `[workspace]` table, if any parses.
fn enclosing_workspace(root: &Path) -> Option<Manifest> {
    root.ancestors().skip(1).find_map(|dir| {
        let file = dir.join("Cargo.toml");
        if !file.is_file() {
            return None;
        }
        read_manifest(&file)
            .ok()
            .filter(|m| m.raw.workspace.is_some())
    })
}

/// Every package of a workspace: the root package, `members` (globs expanded, `exclude`
/// applied) and, as cargo does, path dependencies that live under the root.
fn workspace_packages(
    root: &Path,
    root_manifest: &Manifest,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Package> {
    let workspace = root_manifest.raw.workspace.as_ref();
    let excludes: Vec<PathBuf> = workspace
        .map(|ws| {
            ws.exclude
                .iter()
                .map(|e| normalize(&root.join(e)))
                .collect()
        })
        .unwrap_or_default();
    let is_excluded = |dir: &Path| excludes.iter().any(|ex| normalize(dir).starts_with(ex));

    // (folder, where it was declared when listed by name). Explicit members win over
    // `exclude`, as in cargo. Folders a glob matched are only candidates: one without a
    // Cargo.toml is skipped quietly, so `crates/*` or `libs/**` tolerate stray folders.
    let mut pending: Vec<(PathBuf, Option<Location>)> = Vec::new();
    for member in workspace
        .map(|ws| ws.members.as_slice())
        .unwrap_or_default()
    {
        let pattern = member.get_ref();
        if is_glob(pattern) {
            for dir in expand_member(root, pattern) {
                if !is_excluded(&dir) {
                    pending.push((dir, None));
                }
            }
        } else {
            let location = root_manifest.location(member.span());
            pending.push((root.join(pattern), Some(location)));
        }
    }

    let mut packages: Vec<Package> = Vec::new();
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    if root_manifest.raw.package.is_some() {
        seen.insert(root.to_path_buf());
        if let Some(package) = read_package(root_manifest, root, Some(root_manifest), diagnostics) {
            queue_path_deps(&package, root, &is_excluded, &mut pending);
            packages.push(package);
        }
    }
    // `pending` grows while it is walked: path dependencies of members join the queue.
    let mut next = 0;
    while let Some((dir, declared_at)) = pending.get(next).cloned() {
        next += 1;
        let dir = resolve_dir(&dir);
        if !seen.insert(dir.clone()) {
            continue;
        }
        let file = dir.join("Cargo.toml");
        if !file.is_file() && declared_at.is_none() {
            continue;
        }
        if !file.is_file() {
            let mut diagnostic = Diagnostic::error(
                Code::BadManifest,
                format!("workspace member {} has no Cargo.toml", dir.display()),
            );
            diagnostic.location = declared_at;
            diagnostics.push(diagnostic);
            continue;
        }
        let manifest = match read_manifest(&file) {
            Ok(manifest) => manifest,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        if manifest.raw.package.is_none() {
            diagnostics.push(
                Diagnostic::error(
                    Code::BadManifest,
                    format!("workspace member {} has no [package]", file.display()),
                )
                .at(Location {
                    file: file.clone(),
                    line: 1,
                    column: 1,
                }),
            );
            continue;
        }
        if let Some(package) = read_package(&manifest, &dir, Some(root_manifest), diagnostics) {
            queue_path_deps(&package, root, &is_excluded, &mut pending);
            packages.push(package);
        }
    }
    packages
}

fn queue_path_deps(
    package: &Package,
    root: &Path,
    is_excluded: &dyn Fn(&Path) -> bool,
    pending: &mut Vec<(PathBuf, Option<Location>)>,
) {
    for dep in &package.deps {
        if let Some(path) = &dep.path
            && path.starts_with(root)
            && !is_excluded(path)
            && path.join("Cargo.toml").is_file()
        {
            pending.push((path.clone(), None));
        }
    }
}
