//! A whole multi-crate project in one string, after rust-analyzer's fixtures:
//!
//! ```text
//! //- /app/src/lib.rs crate:app deps:kernel
//! use kernel::Money;
//! //- /kernel/src/lib.rs crate:kernel
//! pub struct Money;
//! ```
//!
//! `//- <path>` starts a file; `crate:<package>` marks a crate root (a library), `deps:a,b`
//! its dependencies on the other crates of the fixture. The fixture is read in memory (for
//! stages tested without a disk) or written into a folder as a real workspace, with a
//! `Cargo.toml` made for every crate root whose folder has none, so that `cargo check` and
//! discovery see the same project.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::discover::{CrateTarget, Dependency, MemoryLoader, TargetKind, Workspace};

/// One file of a fixture.
#[derive(Debug, Clone)]
pub(crate) struct FixtureFile {
    /// Relative to the fixture's root, without the leading `/`.
    pub(crate) path: String,
    pub(crate) text: String,
    /// `crate:<package>`, when the file is a crate root.
    pub(crate) package: Option<String>,
    /// `deps:a,b`: packages of the fixture this crate depends on.
    pub(crate) deps: Vec<String>,
}

/// The files of a fixture, in the order written.
#[derive(Debug, Clone)]
pub(crate) struct Fixture {
    pub(crate) files: Vec<FixtureFile>,
}

impl Fixture {
    pub(crate) fn parse(text: &str) -> Fixture {
        let mut files: Vec<FixtureFile> = Vec::new();
        for line in text.lines() {
            if let Some(header) = line.strip_prefix("//- ") {
                let mut parts = header.split_whitespace();
                let path = parts.next().expect("a path after `//- `");
                let mut file = FixtureFile {
                    path: path.trim_start_matches('/').to_owned(),
                    text: String::new(),
                    package: None,
                    deps: Vec::new(),
                };
                for part in parts {
                    if let Some(name) = part.strip_prefix("crate:") {
                        file.package = Some(name.to_owned());
                    } else if let Some(deps) = part.strip_prefix("deps:") {
                        file.deps = deps.split(',').map(str::to_owned).collect();
                    } else {
                        panic!("unknown fixture header part `{part}` in `{line}`");
                    }
                }
                files.push(file);
            } else if let Some(file) = files.last_mut() {
                file.text.push_str(line);
                file.text.push('\n');
            }
        }
        Fixture { files }
    }

    /// The fixture as a workspace rooted at `root` and a loader holding its files, without a
    /// disk: every crate is a library whose package folder is `root`.
    pub(crate) fn in_memory(&self, root: &Path) -> (Workspace, MemoryLoader) {
        let mut loader = MemoryLoader::new();
        let mut ws = Workspace {
            root: root.to_path_buf(),
            ..Workspace::default()
        };
        for file in &self.files {
            let path = root.join(&file.path);
            loader.files.insert(path.clone(), file.text.clone());
            if let Some(name) = &file.package {
                let deps = (file.deps.iter())
                    .map(|dep| {
                        let dependency = Dependency {
                            package: dep.clone(),
                            workspace_crate: Some(dep.clone()),
                        };
                        (dep.clone(), dependency)
                    })
                    .collect();
                ws.crates.push(CrateTarget {
                    name: name.clone(),
                    package: name.clone(),
                    kind: TargetKind::Lib,
                    root_file: path,
                    package_dir: root.to_path_buf(),
                    deps,
                });
            }
        }
        (ws, loader)
    }

    /// Writes the fixture into `root` as a Cargo workspace: its files, a manifest for each
    /// crate root without one, and a workspace manifest when the root has none.
    pub(crate) fn write_to(&self, root: &Path) {
        let mut files: BTreeMap<String, String> = (self.files.iter())
            .map(|f| (f.path.clone(), f.text.clone()))
            .collect();
        let packages = self.package_dirs();
        for file in self.files.iter().filter(|f| f.package.is_some()) {
            let dir = package_dir(&file.path);
            (files.entry(join(&dir, "Cargo.toml")))
                .or_insert_with(|| package_manifest(file, &dir, &packages, packages.len() == 1));
        }
        if !files.contains_key("Cargo.toml") {
            let members: Vec<String> = packages.values().map(|d| format!("{d:?}")).collect();
            files.insert(
                "Cargo.toml".to_owned(),
                format!(
                    "[workspace]\nmembers = [{}]\nresolver = \"2\"\n",
                    members.join(", ")
                ),
            );
        }
        for (path, text) in files {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().expect("a parent")).expect("create folders");
            std::fs::write(full, text).expect("write a fixture file");
        }
    }

    /// Package name → its folder (relative to the root, `""` for the root itself).
    fn package_dirs(&self) -> BTreeMap<String, String> {
        (self.files.iter())
            .filter_map(|f| Some((f.package.clone()?, package_dir(&f.path))))
            .collect()
    }
}

/// The package folder of a crate root: what precedes `src/`.
fn package_dir(root_file: &str) -> String {
    match root_file.rfind("src/") {
        Some(i) => root_file[..i].trim_end_matches('/').to_owned(),
        None => panic!("crate root `{root_file}` is not under a `src/` folder"),
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// A library package's manifest with path dependencies on the fixture's other packages; a
/// package alone at the root is its own workspace (so no enclosing workspace claims it).
fn package_manifest(
    root: &FixtureFile,
    dir: &str,
    packages: &BTreeMap<String, String>,
    alone: bool,
) -> String {
    let name = root.package.as_deref().expect("a crate root");
    let mut text = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n"
    );
    if !root.path.ends_with("lib.rs") {
        text.push_str(&format!(
            "\n[lib]\npath = \"{}\"\n",
            relative(dir, &root.path)
        ));
    }
    if alone && dir.is_empty() {
        text.push_str("\n[workspace]\n");
    }
    if !root.deps.is_empty() {
        text.push_str("\n[dependencies]\n");
    }
    for dep in &root.deps {
        let to = packages
            .get(dep)
            .unwrap_or_else(|| panic!("{name} depends on `{dep}`, not a crate of the fixture"));
        let up = "../".repeat(dir.split('/').filter(|s| !s.is_empty()).count());
        text.push_str(&format!("{dep} = {{ path = \"{up}{to}\" }}\n"));
    }
    text
}

fn relative(dir: &str, path: &str) -> String {
    let dir = PathBuf::from(dir);
    Path::new(path)
        .strip_prefix(&dir)
        .unwrap_or(Path::new(path))
        .display()
        .to_string()
}
