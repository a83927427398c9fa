//! The module tree of every crate target, built the way rustc finds module files, with the
//! facts of each module. Every module file is loaded and parsed in parallel first
//! (`prefetch.rs`); the tree is then assembled breadth-first, in a deterministic order.

mod paths;
mod prefetch;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::discover::{CrateTarget, SourceLoader, Workspace};
use crate::syntax::{self, ExtractOptions, ModuleFacts, Pos};

pub use paths::{display_path, normalize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModuleId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

#[derive(Debug, Clone)]
pub struct Module {
    /// `crate_name::a::b`; the root module's path is the crate's name.
    pub path: String,
    pub name: String,
    pub krate: u32,
    pub parent: Option<ModuleId>,
    pub file: FileId,
    pub inline: bool,
    pub lines: u32,
    /// The module's own facts; inline children's facts live in their own `Module`.
    pub facts: ModuleFacts,
    pub children: BTreeMap<String, ModuleId>,
}

#[derive(Debug, Clone)]
pub struct Crate {
    pub target: CrateTarget,
    pub root: ModuleId,
}

#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Relative to the workspace root, with `/` separators: what reports show.
    pub display: String,
    pub lines: u32,
}

/// Everything the later stages need to know about the analysed code.
#[derive(Debug, Clone, Default)]
pub struct Codebase {
    pub root: PathBuf,
    pub crates: Vec<Crate>,
    pub modules: Vec<Module>,
    pub files: Vec<SourceFile>,
    /// Files syn could not parse: reported and skipped.
    pub parse_errors: Vec<Diagnostic>,
    /// Unreadable files, missing module files, manifest problems.
    pub diagnostics: Vec<Diagnostic>,
    /// `.rs` files under a package's `src/` that no `mod` reaches, relative to the root.
    pub orphans: Vec<String>,
}

impl Codebase {
    pub fn module(&self, id: ModuleId) -> &Module {
        &self.modules[id.0 as usize]
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn location(&self, file: FileId, pos: Pos) -> Location {
        Location {
            file: PathBuf::from(&self.file(file).display),
            line: pos.line,
            column: pos.column,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    pub include_tests: bool,
}

/// A module file waiting to be loaded.
struct Pending {
    krate: u32,
    parent: Option<ModuleId>,
    name: String,
    /// Files to try, in order (`foo.rs`, then `foo/mod.rs`).
    candidates: Vec<PathBuf>,
    /// Root files and `#[path]` files own their folder like a `mod.rs` does (rustc treats
    /// every `#[path]` file as a `mod.rs`).
    owns_dir: bool,
    declared_at: Option<Location>,
}

struct Loaded {
    file: PathBuf,
    facts: Result<syntax::FileFacts, Diagnostic>,
}

/// Builds the module tree of every crate of the workspace, loading files through `loader`.
/// Runs on the [`crate::workers`]: inline modules nest as deep as the file does.
pub fn build(ws: &Workspace, loader: &dyn SourceLoader, options: BuildOptions) -> Codebase {
    crate::workers::install(|| build_tree(ws, loader, options))
}

fn build_tree(ws: &Workspace, loader: &dyn SourceLoader, options: BuildOptions) -> Codebase {
    let mut cb = Codebase {
        root: ws.root.clone(),
        diagnostics: ws.diagnostics.clone(),
        ..Codebase::default()
    };
    let extract = ExtractOptions {
        include_tests: options.include_tests,
    };
    let mut frontier: Vec<Pending> = Vec::new();
    for (i, target) in ws.crates.iter().enumerate() {
        cb.crates.push(Crate {
            target: target.clone(),
            root: ModuleId(u32::MAX),
        });
        frontier.push(Pending {
            krate: i as u32,
            parent: None,
            name: target.name.clone(),
            candidates: vec![normalize(&target.root_file)],
            owns_dir: true,
            declared_at: None,
        });
    }
    let prefetched = prefetch::Prefetched::load(&frontier, loader, extract);
    let mut reached: BTreeSet<PathBuf> = BTreeSet::new();
    while !frontier.is_empty() {
        let results: Vec<Option<Loaded>> = (frontier.iter())
            .map(|p| (prefetched.take(p)).unwrap_or_else(|| load_first(p, loader, extract)))
            .collect();
        let mut next = Vec::new();
        for (pending, result) in frontier.into_iter().zip(results) {
            let Some(loaded) = result else {
                let tried: Vec<String> = pending
                    .candidates
                    .iter()
                    .map(|c| display_path(&cb.root, c))
                    .collect();
                let mut d = Diagnostic::error(
                    Code::MissingModuleFile,
                    format!("file not found for module `{}`", pending.name),
                )
                .with_help(format!("expected {}", tried.join(" or ")));
                d.location = pending.declared_at.clone();
                cb.diagnostics.push(d);
                continue;
            };
            // Only a file that is already one of the module's own ancestors is a real cycle;
            // the same file included twice elsewhere (`#[path]`, cfg branches) is not.
            if is_ancestor_file(&cb, pending.parent, &loaded.file) {
                let mut d = Diagnostic::error(
                    Code::MissingModuleFile,
                    format!(
                        "circular modules: {} includes itself",
                        display_path(&cb.root, &loaded.file)
                    ),
                );
                d.location = pending.declared_at.clone();
                cb.diagnostics.push(d);
                continue;
            }
            reached.insert(loaded.file.clone());
            let file_id = FileId(cb.files.len() as u32);
            let display = display_path(&cb.root, &loaded.file);
            match loaded.facts {
                Ok(facts) => {
                    cb.files.push(SourceFile {
                        path: loaded.file.clone(),
                        display,
                        lines: facts.lines,
                    });
                    let dir = paths::module_dir(&loaded.file, pending.owns_dir);
                    let id = insert_module(
                        &mut cb,
                        pending.krate,
                        pending.parent,
                        &pending.name,
                        file_id,
                        false,
                        facts.lines,
                        facts.module,
                    );
                    queue_children(&mut cb, id, &loaded.file, &dir, &mut next, &mut reached);
                }
                Err(mut diagnostic) => {
                    if let Some(loc) = diagnostic.location.as_mut() {
                        loc.file = PathBuf::from(display_path(&cb.root, &loc.file));
                    }
                    cb.files.push(SourceFile {
                        path: loaded.file.clone(),
                        display,
                        lines: 0,
                    });
                    if diagnostic.code == Code::ParseError {
                        cb.parse_errors.push(diagnostic);
                    } else {
                        if diagnostic.location.is_none() {
                            diagnostic.location = pending.declared_at.clone();
                        }
                        cb.diagnostics.push(diagnostic);
                    }
                }
            }
        }
        frontier = next;
    }
    cb.orphans = orphans(&cb, &reached);
    cb.parse_errors.sort_by(|a, b| a.location.cmp(&b.location));
    cb
}

fn is_ancestor_file(cb: &Codebase, mut module: Option<ModuleId>, file: &Path) -> bool {
    while let Some(m) = module {
        let module_ref = cb.module(m);
        if !module_ref.inline && cb.file(module_ref.file).path == file {
            return true;
        }
        module = module_ref.parent;
    }
    false
}

fn load_first(p: &Pending, loader: &dyn SourceLoader, options: ExtractOptions) -> Option<Loaded> {
    let mut first_error = None;
    for candidate in &p.candidates {
        match loader.load(candidate) {
            Ok(text) => {
                let facts = syntax::parse_file(&text, options).map_err(|failure| {
                    let code = if failure.too_deep {
                        Code::LimitExceeded
                    } else {
                        Code::ParseError
                    };
                    Diagnostic::error(code, failure.message).at(Location {
                        file: candidate.clone(),
                        line: failure.pos.line,
                        column: failure.pos.column,
                    })
                });
                return Some(Loaded {
                    file: candidate.clone(),
                    facts,
                });
            }
            Err(d) => {
                first_error.get_or_insert(d);
            }
        }
    }
    // A file that exists but cannot be read is reported as such, not as missing.
    let error = first_error?;
    let exists = !error.message.contains("not found") && !error.message.contains("No such file");
    exists.then(|| Loaded {
        file: p.candidates[0].clone(),
        facts: Err(error),
    })
}

#[allow(clippy::too_many_arguments)]
fn insert_module(
    cb: &mut Codebase,
    krate: u32,
    parent: Option<ModuleId>,
    name: &str,
    file: FileId,
    inline: bool,
    lines: u32,
    facts: ModuleFacts,
) -> ModuleId {
    let id = ModuleId(cb.modules.len() as u32);
    let path = match parent {
        Some(p) => format!("{}::{}", cb.module(p).path, name),
        None => name.to_string(),
    };
    cb.modules.push(Module {
        path,
        name: name.to_string(),
        krate,
        parent,
        file,
        inline,
        lines,
        facts,
        children: BTreeMap::new(),
    });
    match parent {
        Some(p) => {
            cb.modules[p.0 as usize]
                .children
                .insert(name.to_string(), id);
        }
        None => cb.crates[krate as usize].root = id,
    }
    id
}

/// Registers inline children right away and queues file children for the next level.
fn queue_children(
    cb: &mut Codebase,
    id: ModuleId,
    file_path: &Path,
    dir: &Path,
    next: &mut Vec<Pending>,
    reached: &mut BTreeSet<PathBuf>,
) {
    let module = &mut cb.modules[id.0 as usize];
    let inline_parent = module.inline;
    let krate = module.krate;
    let file = module.file;
    // A `#[cfg(test)] mod tests;` left out of the analysis still claims its file: it is
    // part of the crate, not an orphan.
    for decl in &module.facts.excluded_mods {
        reached.extend(mod_candidates(decl, inline_parent, file_path, dir));
    }
    let mods = std::mem::take(&mut module.facts.mods);
    let mut names = BTreeSet::new();
    for mut decl in mods {
        let declared_at = cb.location(file, decl.pos);
        // The same module declared twice is the work of exclusive `#[cfg]`s (`#[cfg(unix)]
        // mod imp;` / `#[cfg(windows)] mod imp;`): the first one is analysed, and the other
        // one's file still belongs to the crate.
        if !names.insert(decl.name.clone()) {
            if decl.inline.is_none() {
                reached.extend(mod_candidates(&decl, inline_parent, file_path, dir));
            }
            cb.modules[id.0 as usize].facts.mods.push(decl);
            continue;
        }
        if let Some(body) = decl.inline.take() {
            let child_dir = dir.join(&decl.name);
            let child = insert_module(
                cb,
                krate,
                Some(id),
                &decl.name,
                file,
                true,
                decl.lines,
                *body,
            );
            // `#[path]` inside an inline module is relative to the inline module's folder.
            queue_children(cb, child, file_path, &child_dir, next, reached);
            cb.modules[id.0 as usize].facts.mods.push(decl);
            continue;
        }
        let owns_dir = decl.path_attr.is_some();
        let candidates = mod_candidates(&decl, inline_parent, file_path, dir);
        next.push(Pending {
            krate,
            parent: Some(id),
            name: decl.name.clone(),
            candidates,
            owns_dir,
            declared_at: Some(declared_at),
        });
        cb.modules[id.0 as usize].facts.mods.push(decl);
    }
}

/// The files `mod name;` may live in, in the order rustc tries them.
fn mod_candidates(
    decl: &crate::syntax::ModDecl,
    inline_parent: bool,
    file_path: &Path,
    dir: &Path,
) -> Vec<PathBuf> {
    match &decl.path_attr {
        Some(p) => {
            let base = if inline_parent {
                dir.to_path_buf()
            } else {
                file_path.parent().unwrap_or(Path::new("")).to_path_buf()
            };
            vec![normalize(&base.join(p))]
        }
        None => {
            // `mod r#type;` lives in `type.rs`: the raw prefix is not part of the file name.
            let file_stem = decl.name.strip_prefix("r#").unwrap_or(&decl.name);
            vec![
                dir.join(format!("{file_stem}.rs")),
                dir.join(file_stem).join("mod.rs"),
            ]
        }
    }
}

fn orphans(cb: &Codebase, reached: &BTreeSet<PathBuf>) -> Vec<String> {
    let package_dirs: BTreeSet<&PathBuf> =
        cb.crates.iter().map(|c| &c.target.package_dir).collect();
    let mut out = Vec::new();
    for dir in package_dirs {
        let (files, _) = crate::discover::rust_files_under(&dir.join("src"));
        for f in files {
            if !reached.contains(&normalize(&f)) {
                out.push(display_path(&cb.root, &f));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}
