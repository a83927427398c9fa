//! Helpers shared by integration tests: run the analysis (`fissure::app`) on a fixture and print
//! its edges and module tree as sorted, readable lines.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use fissure::analysis::Analysis;
use fissure::app::{AnalyzeOptions, Quiet, analyze_workspace};
use fissure::resolve::Target;

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// Analyses `fixtures/<rel>` and insists it was read cleanly: no parse errors and no
/// diagnostics (missing module files, manifest problems).
pub fn analyze(rel: &str, include_tests: bool) -> Analysis {
    let a = analyze_workspace(&fixture(rel), AnalyzeOptions { include_tests }, &mut Quiet)
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
