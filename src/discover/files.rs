//! Listing the `.rs` files of a source folder, so the caller can name the ones no `mod`
//! reaches (orphans).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Code, Diagnostic};

use super::loader::unreadable;

/// Every `.rs` file under `dir`, sorted. Symlinks are followed; a symlink that points back at
/// one of its own ancestors (a loop) or any other unreadable entry becomes an
/// `unreadable-file` diagnostic and the walk goes on. `target/` and hidden folders are
/// skipped (build output and tool state, not sources). A missing `dir` yields nothing.
pub fn rust_files_under(dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    if !dir.is_dir() {
        return (files, diagnostics);
    }
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 || !entry.file_type().is_dir() {
                return true;
            }
            let name = entry.file_name().to_string_lossy();
            !name.starts_with('.') && name != "target"
        });
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_rs = entry.path().extension().is_some_and(|ext| ext == "rs");
                if is_rs && entry.file_type().is_file() {
                    files.push(entry.into_path());
                }
            }
            Err(err) => diagnostics.push(walk_failure(&err, dir)),
        }
    }
    files.sort();
    (files, diagnostics)
}

fn walk_failure(err: &walkdir::Error, dir: &Path) -> Diagnostic {
    let path = err.path().unwrap_or(dir);
    if let Some(ancestor) = err.loop_ancestor() {
        let mut diagnostic = unreadable(
            path,
            &format!("symlink loop (points back to {})", ancestor.display()),
        );
        diagnostic.code = Code::UnreadableFile;
        return diagnostic;
    }
    match err.io_error() {
        Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
            unreadable(path, "broken symlink (target does not exist)")
        }
        Some(io) => unreadable(path, &io.to_string()),
        None => unreadable(path, &err.to_string()),
    }
}
