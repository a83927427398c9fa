//! One package's manifest interpreted: its lib and bin targets (explicit and inferred the way
//! cargo infers them) and its dependencies as the code names them.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};

use super::manifest::{DepTable, Manifest, RawDep, RawTarget};
use super::members::normalize;

/// A package before workspace-wide naming: targets carry their crate names, not yet unique.
#[derive(Debug)]
pub(crate) struct Package {
    pub name: String,
    pub dir: PathBuf,
    /// Crate name (`-` → `_`) and root file of the lib target.
    pub lib: Option<(String, PathBuf)>,
    /// Bin name as declared (may hold `-`) and root file, sorted by name.
    pub bins: Vec<(String, PathBuf)>,
    pub deps: Vec<DepSpec>,
}

/// A dependency entry resolved against `[workspace.dependencies]`.
#[derive(Debug)]
pub(crate) struct DepSpec {
    /// The key in `[dependencies]`.
    pub key: String,
    pub package: String,
    /// Absolute folder of a path dependency (canonical when it exists).
    pub path: Option<PathBuf>,
    /// `package = ".."` was given, so the key (not the lib name) is the name in code.
    pub renamed: bool,
}

pub(crate) fn crate_name(name: &str) -> String {
    name.replace('-', "_")
}

/// Reads a package manifest into targets and dependencies. Problems that only affect one
/// target or dependency become diagnostics and the rest is kept; `None` when there is no
/// usable `[package] name`.
pub(crate) fn read_package(
    manifest: &Manifest,
    dir: &Path,
    inherited: Option<&Manifest>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Package> {
    let raw = &manifest.raw;
    let spanned = raw.package.as_ref()?;
    let package = spanned.get_ref();
    let Some(name) = package.name.clone() else {
        diagnostics.push(
            Diagnostic::error(
                Code::BadManifest,
                "[package] has no `name`; package skipped",
            )
            .at(manifest.location(spanned.span())),
        );
        return None;
    };
    let lib = find_lib(
        manifest,
        dir,
        &name,
        package.autolib != Some(false),
        diagnostics,
    );
    let bins = find_bins(
        manifest,
        dir,
        &name,
        package.autobins != Some(false),
        diagnostics,
    );

    let mut deps: Vec<DepSpec> = Vec::new();
    let tables = [&raw.dependencies, &raw.dev_dependencies]
        .into_iter()
        .chain(
            raw.target
                .values()
                .flat_map(|p| [&p.dependencies, &p.dev_dependencies]),
        );
    for table in tables {
        collect_deps(manifest, dir, table, inherited, &mut deps, diagnostics);
    }
    Some(Package {
        name,
        dir: dir.to_path_buf(),
        lib,
        bins,
        deps,
    })
}

fn find_lib(
    manifest: &Manifest,
    dir: &Path,
    package: &str,
    autolib: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(String, PathBuf)> {
    let default = dir.join("src").join("lib.rs");
    let Some(lib) = manifest.raw.lib.as_ref() else {
        return (autolib && default.is_file()).then(|| (crate_name(package), default));
    };
    let name = crate_name(lib.get_ref().name.as_deref().unwrap_or(package));
    let root = match &lib.get_ref().path {
        Some(path) => normalize(&dir.join(path)),
        None => default,
    };
    if root.is_file() {
        Some((name, root))
    } else {
        diagnostics.push(
            Diagnostic::error(
                Code::BadManifest,
                format!(
                    "lib target `{name}`: root file {} does not exist; target skipped",
                    root.display()
                ),
            )
            .at(manifest.location(lib.span())),
        );
        None
    }
}

fn find_bins(
    manifest: &Manifest,
    dir: &Path,
    package: &str,
    autobins: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    let src = dir.join("src");
    let mut bins: Vec<(String, PathBuf)> = Vec::new();
    for bin in manifest.raw.bin.iter().flatten() {
        let RawTarget { name, path } = bin.get_ref();
        let Some(name) = name else {
            diagnostics.push(
                Diagnostic::error(Code::BadManifest, "[[bin]] has no `name`; target skipped")
                    .at(manifest.location(bin.span())),
            );
            continue;
        };
        let root = match path {
            Some(path) => Some(normalize(&dir.join(path))),
            None => inferred_bin_path(&src, name, package),
        };
        match root.filter(|root| root.is_file()) {
            Some(root) => bins.push((name.clone(), root)),
            None => diagnostics.push(
                Diagnostic::error(
                    Code::BadManifest,
                    format!("bin target `{name}`: root file not found; target skipped"),
                )
                .at(manifest.location(bin.span())),
            ),
        }
    }
    if autobins {
        for (name, root) in inferred_bins(&src, package) {
            let taken = bins.iter().any(|(n, r)| *n == name || *r == root);
            if !taken {
                bins.push((name, root));
            }
        }
    }
    bins.sort();
    bins
}

/// Where cargo looks for a `[[bin]]` that has a name but no path.
fn inferred_bin_path(src: &Path, name: &str, package: &str) -> Option<PathBuf> {
    let mut candidates = vec![
        src.join("bin").join(format!("{name}.rs")),
        src.join("bin").join(name).join("main.rs"),
    ];
    if name == package {
        candidates.push(src.join("main.rs"));
    }
    candidates.into_iter().find(|c| c.is_file())
}

/// Bins cargo infers: `src/main.rs`, `src/bin/*.rs`, `src/bin/*/main.rs`.
fn inferred_bins(src: &Path, package: &str) -> Vec<(String, PathBuf)> {
    let mut bins = Vec::new();
    let main = src.join("main.rs");
    if main.is_file() {
        bins.push((package.to_string(), main));
    }
    let Ok(entries) = std::fs::read_dir(src.join("bin")) else {
        return bins;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let Some(file_name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if file_name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            let main = path.join("main.rs");
            if main.is_file() {
                bins.push((file_name.to_string(), main));
            }
        } else if let Some(stem) = file_name.strip_suffix(".rs") {
            bins.push((stem.to_string(), path));
        }
    }
    bins
}

fn collect_deps(
    manifest: &Manifest,
    dir: &Path,
    table: &DepTable,
    inherited: Option<&Manifest>,
    deps: &mut Vec<DepSpec>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (key, value) in table {
        if deps.iter().any(|d| d.key == *key) {
            continue;
        }
        let spec = match value.get_ref() {
            RawDep::Version(_) => DepSpec {
                key: key.clone(),
                package: key.clone(),
                path: None,
                renamed: false,
            },
            RawDep::Detailed(detail) if detail.workspace => {
                // Paths in `[workspace.dependencies]` are relative to the workspace root.
                let found = inherited.and_then(|ws| {
                    let entry = ws.raw.workspace.as_ref()?.dependencies.get(key)?;
                    Some((ws, entry))
                });
                let Some((ws_manifest, entry)) = found else {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::BadManifest,
                            format!(
                                "dependency `{key}` has `workspace = true` but no \
                                 [workspace.dependencies] entry declares it"
                            ),
                        )
                        .at(manifest.location(value.span())),
                    );
                    continue;
                };
                spec_from(key, entry.get_ref(), ws_manifest.dir())
            }
            RawDep::Detailed(_) => spec_from(key, value.get_ref(), dir),
        };
        deps.push(spec);
    }
}

fn spec_from(key: &str, dep: &RawDep, base: &Path) -> DepSpec {
    match dep {
        RawDep::Version(_) => DepSpec {
            key: key.to_string(),
            package: key.to_string(),
            path: None,
            renamed: false,
        },
        RawDep::Detailed(detail) => DepSpec {
            key: key.to_string(),
            package: detail.package.clone().unwrap_or_else(|| key.to_string()),
            path: detail.path.as_ref().map(|p| resolve_dir(&base.join(p))),
            renamed: detail.package.is_some(),
        },
    }
}

/// Canonical form when the folder exists, so it compares equal to member folders.
pub(crate) fn resolve_dir(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| normalize(path))
}
