//! What unit tests of several stages share: multi-file fixtures in one string ([`fixture`]),
//! their analysis in memory or on disk, the bundled fixtures analysed through the application
//! layer, and readable one-line forms of what an analysis found.

pub(crate) mod annotations;
pub(crate) mod fixture;

use std::path::Path;

pub(crate) use crate::analysis::Analysis;
pub(crate) use crate::app::AnalyzeOptions;
use crate::codebase::{self, BuildOptions, Codebase};
use crate::diagnostics::Diagnostic;
use crate::graph::{DepGraph, ModuleEdge};
use crate::resolve::{Resolution, resolve};

pub(crate) use annotations::check;
pub(crate) use fixture::Fixture;

/// Writes `contents` at `path`, creating its folders.
pub(crate) fn write_file(path: &Path, contents: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folders");
    std::fs::write(path, contents).expect("write a test file");
}

/// The analysis of the workspace at `path`, as `fissure analyze` computes it, without progress.
pub(crate) fn analyze(path: &Path, options: AnalyzeOptions) -> Result<Analysis, Diagnostic> {
    crate::app::analyze_workspace(path, options, &mut crate::app::Quiet)
}

/// The code base and resolution of a one-string fixture, read in memory (no disk, no
/// manifests: every crate is a library rooted at `/ws`).
pub(crate) fn analyze_in_memory(fixture: &str) -> (Codebase, Resolution) {
    let (ws, loader) = Fixture::parse(fixture).in_memory(Path::new("/ws"));
    let cb = codebase::build(&ws, &loader, BuildOptions::default());
    let res = resolve(&cb);
    (cb, res)
}

/// [`item_edges`] of a one-string fixture read in memory, which must read cleanly.
pub(crate) fn edges(fixture: &str) -> Vec<String> {
    let (cb, res) = analyze_in_memory(fixture);
    assert!(cb.parse_errors.is_empty(), "{:?}", cb.parse_errors);
    assert!(cb.diagnostics.is_empty(), "{:?}", cb.diagnostics);
    item_edges(&cb, &res)
}

/// `from -> to (kind)` for every resolved reference, sorted and deduplicated; `from` is the
/// referring item, or the module for module-level code (`use` declarations). Self
/// references (`impl Foo` naming `Foo`) are kept: they show the impl header was read.
pub(crate) fn item_edges(cb: &Codebase, res: &Resolution) -> Vec<String> {
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
pub(crate) fn module_edges(a: &Analysis) -> Vec<String> {
    (a.graph.module_edges.iter())
        .map(|e| module_edge(&a.codebase, e, ""))
        .collect()
}

/// [`module_edges`] with each edge's weight: `a -> b w3 [call:1]`.
pub(crate) fn weighted_module_edges(cb: &Codebase, graph: &DepGraph) -> Vec<String> {
    (graph.module_edges.iter())
        .map(|e| module_edge(cb, e, &format!(" w{}", e.weight)))
        .collect()
}

fn module_edge(cb: &Codebase, e: &ModuleEdge, weight: &str) -> String {
    let kinds: Vec<String> = (e.kinds.iter())
        .map(|(k, n)| format!("{}:{n}", k.as_str()))
        .collect();
    format!(
        "{} -> {}{weight} [{}]",
        cb.module(e.from).path,
        cb.module(e.to).path,
        kinds.join(" ")
    )
}

/// `module path  file` for every module, sorted by path; inline modules say so.
pub(crate) fn modules(a: &Analysis) -> Vec<String> {
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
pub(crate) fn targets(a: &Analysis) -> Vec<String> {
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

/// Sorted `&str`s as owned lines, for comparing with the helpers above.
pub(crate) fn lines(expected: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}
