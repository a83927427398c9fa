//! The parse floor: what reading and parsing files costs with nothing else, the least any
//! analysis of them can take. Raw `syn::parse_file` (syn 3 with span locations, as fissure
//! parses; no fact extraction) over a flat list on the global rayon pool, lines counted,
//! span data dropped per file as `fissure::syntax::parse_file` does (without that, memory
//! would grow with every file parsed).

use std::path::{Path, PathBuf};

use bench::Clock;
use rayon::prelude::*;
use serde_json::{Value, json};
use walkdir::WalkDir;

/// What one file gave: lines, bytes, parsed, read.
type FileResult = (u64, u64, bool, bool);

/// Parses `files` in parallel and reports the time, lines and files that failed.
pub fn parse(files: &[PathBuf]) -> Value {
    let clock = Clock::start();
    let per_file: Vec<FileResult> = files.par_iter().map(|path| parse_one(path)).collect();
    let lap = clock.read();
    let lines: u64 = per_file.iter().map(|f| f.0).sum();
    let bytes: u64 = per_file.iter().map(|f| f.1).sum();
    let parse_errors = per_file.iter().filter(|f| f.3 && !f.2).count();
    let unreadable = per_file.iter().filter(|f| !f.3).count();
    json!({
        "ms": lap.wall_ms,
        "cpu_ms": lap.cpu_ms,
        "files": files.len(),
        "lines": lines,
        "bytes": bytes,
        "parse_errors": parse_errors,
        "unreadable": unreadable,
    })
}

fn parse_one(path: &Path) -> FileResult {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let lines = text.lines().count() as u64;
            let parsed = std::hint::black_box(syn::parse_file(&text)).is_ok();
            proc_macro2::extra::invalidate_current_thread_spans();
            (lines, text.len() as u64, parsed, true)
        }
        Err(_) => (0, 0, false, false),
    }
}

/// Every `.rs` file below `root`, sorted, outside hidden folders and `target/`.
pub fn rust_files_below(root: &Path) -> Vec<PathBuf> {
    WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.') || (e.file_type().is_dir() && name == "target"))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.into_path())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_of_all_files_skips_target_and_hidden_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        for (path, text) in [
            ("src/lib.rs", "mod a;\n"),
            ("src/a.rs", "fn f() {}\n"),
            ("src/notes.txt", "not rust"),
            ("target/debug/build/out.rs", "fn generated() {}"),
            (".git/hook.rs", "fn hidden() {}"),
            ("tests/broken.rs", "fn ("),
        ] {
            let file = dir.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        let files = rust_files_below(dir);
        let names: Vec<String> = (files.iter())
            .map(|f| f.strip_prefix(dir).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["src/a.rs", "src/lib.rs", "tests/broken.rs"]);
        let out = parse(&files);
        assert_eq!(out["files"], 3);
        assert_eq!(out["lines"], 3);
        assert_eq!(out["parse_errors"], 1);
    }
}
