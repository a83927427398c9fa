//! Loading every module file of the crates at once, before the tree is assembled. A file's
//! `mod` children are queued the moment it is parsed, so rayon's workers never wait for the
//! slowest file of a tree level (loading level by level left cores idle at the end of
//! every level). The assembly in `build` stays sequential and takes the parsed files from
//! here, so module ids and diagnostics come out in the same order as before.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::discover::SourceLoader;
use crate::syntax::{ExtractOptions, ModuleFacts};

use super::{Loaded, Pending, load_first, mod_candidates, paths};

/// Parsed files, by the candidate paths their module was declared with.
#[derive(Default)]
pub(super) struct Prefetched {
    loaded: Mutex<HashMap<Vec<PathBuf>, Option<Loaded>>>,
}

impl Prefetched {
    /// Loads `roots` and every file module below them, in parallel. Each list of candidate
    /// paths is loaded once, which also ends `#[path]` cycles.
    pub(super) fn load(
        roots: &[Pending],
        loader: &dyn SourceLoader,
        options: ExtractOptions,
    ) -> Self {
        let out = Prefetched::default();
        let seen = Mutex::new(BTreeSet::new());
        rayon::scope(|scope| {
            for root in roots {
                let (candidates, owns_dir) = (root.candidates.clone(), root.owns_dir);
                let (out, seen) = (&out, &seen);
                scope.spawn(move |s| fetch(s, candidates, owns_dir, loader, options, out, seen));
            }
        });
        out
    }

    /// The parsed file of `pending`, if it was prefetched and not taken yet; a module file
    /// included twice is loaded again by the caller.
    pub(super) fn take(&self, pending: &Pending) -> Option<Option<Loaded>> {
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        loaded.remove(&pending.candidates)
    }
}

fn fetch<'s>(
    scope: &rayon::Scope<'s>,
    candidates: Vec<PathBuf>,
    owns_dir: bool,
    loader: &'s dyn SourceLoader,
    options: ExtractOptions,
    out: &'s Prefetched,
    seen: &'s Mutex<BTreeSet<Vec<PathBuf>>>,
) {
    let first_time = (seen.lock().unwrap_or_else(|e| e.into_inner())).insert(candidates.clone());
    if !first_time {
        return;
    }
    let pending = Pending {
        krate: 0,
        parent: None,
        name: String::new(),
        candidates: candidates.clone(),
        owns_dir,
        declared_at: None,
    };
    let loaded = load_first(&pending, loader, options);
    let mut children = Vec::new();
    if let Some(Loaded {
        file,
        facts: Ok(facts),
    }) = &loaded
    {
        let dir = paths::module_dir(file, owns_dir);
        file_children(&facts.module, false, file, &dir, &mut children);
    }
    (out.loaded.lock().unwrap_or_else(|e| e.into_inner())).insert(candidates, loaded);
    for (candidates, owns_dir) in children {
        scope.spawn(move |s| fetch(s, candidates, owns_dir, loader, options, out, seen));
    }
}

/// The candidate paths of every `mod name;` of `module` and of its inline modules, the way
/// `queue_children` finds them (a name declared twice: only the first).
fn file_children(
    module: &ModuleFacts,
    inline_parent: bool,
    file: &Path,
    dir: &Path,
    out: &mut Vec<(Vec<PathBuf>, bool)>,
) {
    let mut names = BTreeSet::new();
    for decl in &module.mods {
        if !names.insert(&decl.name) {
            continue;
        }
        match &decl.inline {
            Some(body) => file_children(body, true, file, &dir.join(&decl.name), out),
            None => out.push((
                mod_candidates(decl, inline_parent, file, dir),
                decl.path_attr.is_some(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::MemoryLoader;

    #[test]
    fn every_module_file_below_the_roots_is_parsed_before_the_tree_is_assembled() {
        let loader = MemoryLoader::new()
            .file(
                "/p/src/lib.rs",
                "mod a;\nmod inline { mod deep; }\n#[path = \"other/p.rs\"] mod p;\n\
                 #[cfg(unix)] mod twice;\n#[cfg(windows)] #[path = \"never.rs\"] mod twice;\n\
                 mod missing;\n#[path = \"lib.rs\"] mod itself;",
            )
            .file("/p/src/a.rs", "mod b;")
            .file("/p/src/a/b/mod.rs", "")
            .file("/p/src/inline/deep.rs", "")
            .file("/p/src/other/p.rs", "mod q;")
            .file("/p/src/other/q.rs", "")
            .file("/p/src/twice.rs", "")
            .file("/p/src/never.rs", "");
        let root = Pending {
            krate: 0,
            parent: None,
            name: "p".into(),
            candidates: vec![PathBuf::from("/p/src/lib.rs")],
            owns_dir: true,
            declared_at: None,
        };
        let prefetched = Prefetched::load(&[root], &loader, ExtractOptions::default());
        let loaded = prefetched.loaded.into_inner().unwrap();
        let mut files: Vec<String> = (loaded.into_values().flatten())
            .map(|l| l.file.display().to_string())
            .collect();
        files.sort();
        // `never.rs` is the second `twice`, which the tree leaves out too; `lib.rs` including
        // itself is loaded once.
        assert_eq!(
            files,
            [
                "/p/src/a.rs",
                "/p/src/a/b/mod.rs",
                "/p/src/inline/deep.rs",
                "/p/src/lib.rs",
                "/p/src/other/p.rs",
                "/p/src/other/q.rs",
                "/p/src/twice.rs",
            ]
        );
    }
}
