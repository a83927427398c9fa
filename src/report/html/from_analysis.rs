//! The page of an analysis: the suggested (or pinned) domains with the shared kernel, the
//! module matrix in domain order, crossings, event candidates and every item for search.

use std::collections::BTreeMap;

use petgraph::algo::tarjan_scc;
use petgraph::graphmap::DiGraphMap;

use crate::codebase::Codebase;
use crate::report::analysis::AnalysisReport;
use crate::resolve::Resolution;
use crate::suggest::DomainSuggestion;

use super::page::*;

/// The name the page gives the shared kernel.
pub const KERNEL: &str = "shared kernel";

/// The page of `report`, its domains those of `suggestion`.
pub fn from_analysis(
    report: &AnalysisReport,
    suggestion: &DomainSuggestion,
    cb: &Codebase,
    res: &Resolution,
) -> Page {
    let kernel = suggestion.domains.len();
    let placement = |path: &str| {
        (suggestion.modules.get(path)).map_or((kernel, 0.0), |p| {
            (p.domain.unwrap_or(kernel), p.confidence)
        })
    };
    let why: BTreeMap<&str, String> = (suggestion.kernel.iter())
        .map(|k| (k.module.as_str(), k.why.to_string()))
        .collect();
    let mut modules: Vec<PageModule> = (report.modules.iter())
        .map(|m| {
            let (domain, confidence) = placement(&m.path);
            PageModule {
                path: m.path.clone(),
                krate: m.krate.clone(),
                file: m.file.clone(),
                lines: m.lines,
                items: m.items,
                fan_in: m.fan_in,
                fan_out: m.fan_out,
                domain,
                confidence: two_decimals(confidence),
                why: why.get(m.path.as_str()).cloned(),
            }
        })
        .collect();
    modules.sort_by(|a, b| (a.domain, &a.path).cmp(&(b.domain, &b.path)));
    let index: BTreeMap<&str, usize> = (modules.iter().enumerate())
        .map(|(i, m)| (m.path.as_str(), i))
        .collect();
    let domain_index: BTreeMap<&str, usize> = (suggestion.domains.iter().enumerate())
        .map(|(i, d)| (d.name.as_str(), i))
        .collect();
    let cycles: Vec<Vec<usize>> = (report.cycles.iter())
        .map(|c| {
            c.modules
                .iter()
                .filter_map(|m| index.get(m.as_str()).copied())
                .collect()
        })
        .collect();
    let crossings = crossings(suggestion, &domain_index);
    Page {
        root: report.root.clone(),
        spec: None,
        stats: PageStats {
            crates: report.stats.crates,
            modules: report.stats.modules,
            files: report.stats.files,
            lines: report.stats.lines,
            items: report.stats.items,
            references: report.stats.resolved_refs,
        },
        domains: domains(suggestion, &modules),
        links: links(&crossings),
        cells: cells(report, &modules, &index, &cycles, kernel),
        crossings,
        events: events(suggestion),
        declared_events: Vec::new(),
        findings: None,
        items: items(cb, res, &index),
        cycles,
        split: None,
        modules,
    }
}

fn two_decimals(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The references crossing between two domains, with domain indices.
fn crossings(
    suggestion: &DomainSuggestion,
    domain_index: &BTreeMap<&str, usize>,
) -> Vec<PageCrossing> {
    (suggestion.crossings.iter())
        .filter_map(|c| {
            Some(PageCrossing {
                from: *domain_index.get(c.from_domain.as_str())?,
                to: *domain_index.get(c.to_domain.as_str())?,
                at: PageRef {
                    file: c.file.clone(),
                    line: c.line,
                    from_item: c.from_item.clone(),
                    to_item: c.to_item.clone(),
                    kind: c.kind,
                },
            })
        })
        .collect()
}

/// The suggested domains, then the shared kernel, each with its modules and size.
fn domains(suggestion: &DomainSuggestion, modules: &[PageModule]) -> Vec<PageDomain> {
    let kernel = suggestion.domains.len();
    let members = |d: usize| -> Vec<usize> {
        (modules.iter().enumerate())
            .filter(|(_, m)| m.domain == d)
            .map(|(i, _)| i)
            .collect()
    };
    let lines = |ms: &[usize]| ms.iter().map(|&i| u64::from(modules[i].lines)).sum();
    let mut out: Vec<PageDomain> = (suggestion.domains.iter().enumerate())
        .map(|(i, d)| {
            let ms = members(i);
            PageDomain {
                name: d.name.clone(),
                kernel: false,
                declared: false,
                confidence: two_decimals(d.confidence),
                lines: lines(&ms),
                items: d.items as u64,
                modules: ms,
                top_types: d.top_types.clone(),
                tables: d.tables.clone(),
            }
        })
        .collect();
    let ms = members(kernel);
    out.push(PageDomain {
        name: KERNEL.to_owned(),
        kernel: true,
        declared: false,
        confidence: 0.0,
        lines: lines(&ms),
        items: ms.iter().map(|&i| u64::from(modules[i].items)).sum(),
        modules: ms,
        top_types: Vec::new(),
        tables: Vec::new(),
    });
    out
}

/// Crossings counted per domain pair; pairs inside one cycle of the domain graph marked.
fn links(crossings: &[PageCrossing]) -> Vec<DomainLink> {
    let mut counts: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    for c in crossings {
        *counts.entry((c.from, c.to)).or_default() += 1;
    }
    let mut graph: DiGraphMap<usize, ()> = DiGraphMap::new();
    for &(from, to) in counts.keys() {
        graph.add_edge(from, to, ());
    }
    let mut component: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, scc) in tarjan_scc(&graph).into_iter().enumerate() {
        if scc.len() > 1 {
            component.extend(scc.into_iter().map(|d| (d, i)));
        }
    }
    (counts.into_iter())
        .map(|((from, to), weight)| DomainLink {
            from,
            to,
            weight,
            cycle: component
                .get(&from)
                .is_some_and(|c| component.get(&to) == Some(c)),
        })
        .collect()
}

/// One matrix cell per module edge, sorted by row then column.
fn cells(
    report: &AnalysisReport,
    modules: &[PageModule],
    index: &BTreeMap<&str, usize>,
    cycles: &[Vec<usize>],
    kernel: usize,
) -> Vec<Cell> {
    let cycle_of: BTreeMap<usize, usize> = (cycles.iter().enumerate())
        .flat_map(|(c, ms)| ms.iter().map(move |&m| (m, c)))
        .collect();
    let mut out: Vec<Cell> = (report.edges.iter())
        .filter_map(|e| {
            let from = *index.get(e.from.as_str())?;
            let to = *index.get(e.to.as_str())?;
            let kinds: Vec<String> = (e.kinds.iter()).map(|(k, n)| format!("{k} {n}")).collect();
            let (a, b) = (modules[from].domain, modules[to].domain);
            Some(Cell {
                from,
                to,
                weight: e.weight,
                cross: a != b && a != kernel && b != kernel,
                shared: a != b && (a == kernel || b == kernel),
                cycle: cycle_of
                    .get(&from)
                    .is_some_and(|c| cycle_of.get(&to) == Some(c)),
                kinds: kinds.join(", "),
                examples: (e.examples.iter())
                    .map(|x| {
                        let from_item = relative(&x.from_item, &e.from);
                        let to_item = relative(&x.to_item, &e.to);
                        (x.file.clone(), x.line, from_item, to_item, x.kind)
                    })
                    .collect(),
            })
        })
        .collect();
    out.sort_by_key(|c| (c.from, c.to));
    out
}

/// `item` without the `module::` it starts with, if it does.
fn relative(item: &str, module: &str) -> String {
    (item.strip_prefix(module))
        .and_then(|rest| rest.strip_prefix("::"))
        .unwrap_or(item)
        .to_owned()
}

fn events(suggestion: &DomainSuggestion) -> Vec<PageEvent> {
    (suggestion.events.iter())
        .map(|e| PageEvent {
            name: e.name.clone(),
            owner: e.owner.clone(),
            callee: e.callee.clone(),
            reason: e.reason,
            fields: (e.fields.iter())
                .map(|f| format!("{}: {}", f.name, f.ty))
                .collect(),
            subscribers: e.subscribers.clone(),
            call_sites: (e.call_sites.iter())
                .map(|(file, line)| Site {
                    file: file.clone(),
                    line: *line,
                })
                .collect(),
        })
        .collect()
}

/// Every item with its module, sorted by path, for the search box.
fn items(cb: &Codebase, res: &Resolution, index: &BTreeMap<&str, usize>) -> Vec<PageItem> {
    let mut out: Vec<PageItem> = (res.items.iter())
        .filter_map(|i| {
            Some(PageItem {
                path: i.path.clone(),
                kind: i.kind.as_str(),
                module: *index.get(cb.module(i.module).path.as_str())?,
            })
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.dedup_by(|a, b| a.path == b.path);
    out
}
