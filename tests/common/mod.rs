//! Helpers shared by integration tests: run the public pipeline on a fixture and print
//! its edges and module tree as sorted, readable lines.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use fissure::pipeline::{self, Analysis, AnalyzeOptions};
use fissure::resolve::Target;

/// The target folder that every generated workspace of the tests shares, so their
/// dependencies build once: `$FISSURE_GENERATED_TARGET_DIR`, else `$CARGO_TARGET_DIR/generated-ws`.
/// Build in it only while holding a [`take_turn`].
pub fn generated_target_dir() -> PathBuf {
    match std::env::var_os("FISSURE_GENERATED_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
            .join("generated-ws"),
    }
}

pub const GENERATED_TARGET_LIMIT: u64 = 4 << 30;

/// Generated workspaces have packages of the same names (`events`, `app`) whatever the spec,
/// and cargo keys a path package's artifacts by name, not by folder: two of them building at
/// once in the shared target folder overwrite each other. Tests that build one take turns: a
/// mutex between the threads of `cargo test`, and a file lock next to the target folder
/// between processes (`cargo nextest` runs each test in its own, and the broker and
/// workspace tests are separate binaries).
///
/// Every run generates into a fresh temporary folder, so cargo keeps a new copy of each
/// generated crate per run and the folder only grows; past [`GENERATED_TARGET_LIMIT`] the
/// turn holder empties it (the next build is cold, the disk does not fill up). Only the turn
/// holder: a process pruning it while another built made that build fail on missing files.
pub struct Turn {
    _thread: std::sync::MutexGuard<'static, ()>,
    _process: std::fs::File,
}

static SHARED_TARGET: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub fn take_turn() -> Turn {
    let thread = SHARED_TARGET
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let dir = generated_target_dir();
    // Beside the folder, not in it, so emptying the folder does not delete a held lock.
    let mut lock_path = dir.clone().into_os_string();
    lock_path.push(".lock");
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent).expect("target folder's parent");
    }
    let file = std::fs::File::create(&lock_path).expect("lock file");
    file.lock().expect("lock the shared target folder");
    if folder_size(&dir) > GENERATED_TARGET_LIMIT {
        eprintln!("note: emptying {} (over 4 GiB)", dir.display());
        let _ = std::fs::remove_dir_all(&dir);
    }
    Turn {
        _thread: thread,
        _process: file,
    }
}

fn folder_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// Analyses `fixtures/<rel>` and insists it was read cleanly: no parse errors and no
/// diagnostics (missing module files, manifest problems).
pub fn analyze(rel: &str, include_tests: bool) -> Analysis {
    let a = pipeline::analyze(&fixture(rel), AnalyzeOptions { include_tests })
        .unwrap_or_else(|d| panic!("analyze {rel}: {d:?}"));
    assert!(
        a.codebase.parse_errors.is_empty(),
        "{:?}",
        a.codebase.parse_errors
    );
    assert!(
        a.codebase.diagnostics.is_empty(),
        "{:?}",
        a.codebase.diagnostics
    );
    a
}

/// `from -> to (kind)` for every resolved reference, sorted and deduplicated; `from` is the
/// referring item, or the module for module-level code (`use` declarations). Self
/// references (`impl Foo` naming `Foo`) are kept: they show the impl header was read.
pub fn item_edges(a: &Analysis) -> Vec<String> {
    let (cb, res) = (&a.codebase, &a.resolution);
    let mut out: Vec<String> = res
        .refs
        .iter()
        .map(|r| {
            let from = match r.from_item {
                Some(i) => res.item(i).path.clone(),
                None => cb.module(r.from_module).path.clone(),
            };
            format!(
                "{from} -> {} ({})",
                res.target_path(cb, r.target),
                r.kind.as_str()
            )
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `from -> to` module edges of the graph with their kinds, e.g. `a -> b [call:2 use:1]`.
pub fn module_edges(a: &Analysis) -> Vec<String> {
    let cb = &a.codebase;
    a.graph
        .module_edges
        .iter()
        .map(|e| {
            let kinds: Vec<String> = e
                .kinds
                .iter()
                .map(|(k, n)| format!("{}:{n}", k.as_str()))
                .collect();
            format!(
                "{} -> {} [{}]",
                cb.module(e.from).path,
                cb.module(e.to).path,
                kinds.join(" ")
            )
        })
        .collect()
}

/// `module path  file` for every module, sorted by path; inline modules say so.
pub fn modules(a: &Analysis) -> Vec<String> {
    let cb = &a.codebase;
    let mut out: Vec<String> = cb
        .modules
        .iter()
        .map(|m| {
            let inline = if m.inline { " (inline)" } else { "" };
            format!("{} {}{inline}", m.path, cb.file(m.file).display)
        })
        .collect();
    out.sort();
    out
}

/// Target paths of every reference, whatever its kind: to assert what must never appear.
pub fn targets(a: &Analysis) -> Vec<String> {
    let mut out: Vec<String> = a
        .resolution
        .refs
        .iter()
        .map(|r| a.resolution.target_path(&a.codebase, r.target))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether a reference points at an item (not a module).
pub fn is_item(t: Target) -> bool {
    matches!(t, Target::Item(_))
}

/// Sorted `&str`s as owned lines, for comparing with the helpers above.
pub fn lines(expected: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}
