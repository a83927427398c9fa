//! Path arithmetic for module files, done lexically: no disk access, so `..` in a
//! `#[path]` is resolved the way rustc joins it.

use std::path::{Path, PathBuf};

/// Removes `.` and resolves `..` against the preceding component (one rule for
/// manifests and module files).
pub use crate::discover::normalize_path as normalize;

/// The folder where the files of a module's `mod foo;` children live: a `mod.rs`-like file
/// owns its own folder; `src/a.rs` keeps its children in `src/a/`.
pub fn module_dir(file: &Path, owns_dir: bool) -> PathBuf {
    let parent = file.parent().unwrap_or(Path::new("")).to_path_buf();
    let is_mod_rs = file.file_name().is_some_and(|n| n == "mod.rs");
    if owns_dir || is_mod_rs {
        parent
    } else {
        match file.file_stem() {
            Some(stem) => parent.join(stem),
            None => parent,
        }
    }
}

/// A path as reports show it: relative to the analysed root, with `/` separators.
pub fn display_path(root: &Path, path: &Path) -> String {
    let Ok(rel) = path.strip_prefix(root) else {
        return path.to_string_lossy().into_owned();
    };
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_dots() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d.rs")),
            PathBuf::from("/a/c/d.rs")
        );
    }

    #[test]
    fn module_dirs_follow_rustc() {
        assert_eq!(
            module_dir(Path::new("/s/lib.rs"), true),
            PathBuf::from("/s")
        );
        assert_eq!(
            module_dir(Path::new("/s/a.rs"), false),
            PathBuf::from("/s/a")
        );
        assert_eq!(
            module_dir(Path::new("/s/a/mod.rs"), false),
            PathBuf::from("/s/a")
        );
        assert_eq!(
            module_dir(Path::new("/s/x/y.rs"), true),
            PathBuf::from("/s/x")
        );
    }

    #[test]
    fn display_is_relative() {
        assert_eq!(
            display_path(Path::new("/w"), Path::new("/w/src/a.rs")),
            "src/a.rs"
        );
        assert_eq!(
            display_path(Path::new("/w"), Path::new("/x/a.rs")),
            "/x/a.rs"
        );
        assert_eq!(display_path(Path::new("/w"), Path::new("/w")), "");
    }
}
