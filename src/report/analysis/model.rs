//! The report model: plain rows of strings and numbers, sorted, ready to render.

use std::collections::BTreeMap;

use crate::codebase::Codebase;
use crate::diagnostics::Diagnostic;
use crate::graph::DepGraph;
use crate::resolve::{Reference, Resolution};
use crate::suggest::DomainSuggestion;

#[derive(Debug, Clone, PartialEq)]
pub struct CrateRow {
    pub name: String,
    pub kind: &'static str,
    pub root_file: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ModuleRow {
    pub path: String,
    pub krate: String,
    pub file: String,
    pub inline: bool,
    pub lines: u32,
    pub items: u32,
    pub public_items: u32,
    pub fan_in: u32,
    pub fan_out: u32,
    pub instability: f64,
}

/// One reference, as evidence: where it is and what it links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub from_item: String,
    pub to_item: String,
    pub kind: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EdgeRow {
    pub from: String,
    pub to: String,
    pub weight: u64,
    pub kinds: BTreeMap<&'static str, u32>,
    pub examples: Vec<Example>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CycleRow {
    pub modules: Vec<String>,
    /// One loop through the cycle: `(from module, to module, example)`.
    pub hops: Vec<(String, String, Example)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub crates: u64,
    pub modules: u64,
    pub files: u64,
    pub lines: u64,
    pub items: u64,
    pub resolved_refs: u64,
    pub unresolved_refs: u64,
    pub external_refs: u64,
    pub method_guess: u64,
    pub method_typed: u64,
    pub field_typed: u64,
    pub methods_dropped: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisReport {
    /// The analysed folder as the user named it.
    pub root: String,
    pub crates: Vec<CrateRow>,
    pub modules: Vec<ModuleRow>,
    pub edges: Vec<EdgeRow>,
    pub cycles: Vec<CycleRow>,
    pub orphans: Vec<String>,
    pub parse_errors: Vec<Diagnostic>,
    /// Unreadable files, missing module files, manifest problems.
    pub diagnostics: Vec<Diagnostic>,
    /// External crates named per workspace crate, with reference counts.
    pub externals: BTreeMap<String, BTreeMap<String, u64>>,
    pub stats: Stats,
    /// The suggested domains, crossings and event candidates, when suggestion ran.
    pub suggestion: Option<DomainSuggestion>,
}

pub fn example(cb: &Codebase, res: &Resolution, r: &Reference) -> Example {
    Example {
        file: cb.file(r.file).display.clone(),
        line: r.pos.line,
        column: r.pos.column,
        from_item: match r.from_item {
            Some(i) => res.item(i).path.clone(),
            None => cb.module(r.from_module).path.clone(),
        },
        to_item: res.target_path(cb, r.target),
        kind: r.kind.as_str(),
    }
}

impl AnalysisReport {
    pub fn build(root: &str, cb: &Codebase, res: &Resolution, graph: &DepGraph) -> Self {
        let crates = cb
            .crates
            .iter()
            .map(|c| CrateRow {
                name: c.target.name.clone(),
                kind: c.target.kind.as_str(),
                root_file: crate::codebase::display_path(&cb.root, &c.target.root_file),
            })
            .collect();
        let mut modules: Vec<ModuleRow> = cb
            .modules
            .iter()
            .zip(&graph.metrics)
            .map(|(m, metrics)| ModuleRow {
                path: m.path.clone(),
                krate: cb.crates[m.krate as usize].target.name.clone(),
                file: cb.file(m.file).display.clone(),
                inline: m.inline,
                lines: metrics.lines,
                items: metrics.items,
                public_items: metrics.public_items,
                fan_in: metrics.fan_in,
                fan_out: metrics.fan_out,
                instability: metrics.instability,
            })
            .collect();
        modules.sort_by(|a, b| a.path.cmp(&b.path));
        let edges = graph
            .module_edges
            .iter()
            .map(|e| EdgeRow {
                from: cb.module(e.from).path.clone(),
                to: cb.module(e.to).path.clone(),
                weight: e.weight,
                kinds: e.kinds.iter().map(|(k, n)| (k.as_str(), *n)).collect(),
                examples: e
                    .examples
                    .iter()
                    .map(|i| example(cb, res, &res.refs[*i]))
                    .collect(),
            })
            .collect();
        let cycles = graph
            .cycles
            .iter()
            .map(|c| CycleRow {
                modules: c
                    .modules
                    .iter()
                    .map(|m| cb.module(*m).path.clone())
                    .collect(),
                hops: c
                    .hops
                    .iter()
                    .map(|(f, t, i)| {
                        (
                            cb.module(*f).path.clone(),
                            cb.module(*t).path.clone(),
                            example(cb, res, &res.refs[*i]),
                        )
                    })
                    .collect(),
            })
            .collect();
        let externals = res
            .externals
            .iter()
            .map(|(k, v)| (cb.crates[*k as usize].target.name.clone(), v.clone()))
            .collect();
        let stats = Stats {
            crates: cb.crates.len() as u64,
            modules: cb.modules.len() as u64,
            files: cb.files.len() as u64,
            lines: cb.files.iter().map(|f| u64::from(f.lines)).sum(),
            items: res.items.len() as u64,
            resolved_refs: res.stats.resolved
                + res.stats.method_guess
                + res.stats.method_typed
                + res.stats.field_typed,
            unresolved_refs: res.stats.unresolved,
            external_refs: res.stats.external,
            method_guess: res.stats.method_guess,
            method_typed: res.stats.method_typed,
            field_typed: res.stats.field_typed,
            methods_dropped: res.stats.methods_dropped,
        };
        AnalysisReport {
            root: root.to_string(),
            crates,
            modules,
            edges,
            cycles,
            orphans: cb.orphans.clone(),
            parse_errors: cb.parse_errors.clone(),
            diagnostics: cb.diagnostics.clone(),
            externals,
            stats,
            suggestion: None,
        }
    }

    /// The report with the domain suggestion added.
    pub fn with_suggestion(mut self, suggestion: &DomainSuggestion) -> Self {
        self.suggestion = Some(suggestion.clone());
        self
    }
}
