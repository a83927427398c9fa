//! The dependency graph: items as nodes with typed, weighted edges, aggregated to modules,
//! with per-module coupling metrics and the cycles between modules.

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use petgraph::graph::{DiGraph, NodeIndex};

use crate::codebase::{Codebase, ModuleId};
use crate::resolve::{ItemId, Resolution};
use crate::syntax::{RefKind, Visibility};

/// How much one reference of each kind couples two modules. Calls and constructions tie
/// code to behaviour and layout; a `use` alone says little, since the use site is counted too.
pub fn kind_weight(kind: RefKind) -> u64 {
    match kind {
        RefKind::Use | RefKind::Macro | RefKind::MethodGuess => 1,
        RefKind::Type | RefKind::Bound => 2,
        RefKind::Call | RefKind::Construct | RefKind::Impl => 3,
    }
}

/// How many example references each module edge keeps.
pub const EXAMPLES_PER_EDGE: usize = 3;

/// Every reference from one item to another, aggregated.
#[derive(Debug, Clone, Default)]
pub struct ItemEdge {
    pub kinds: BTreeMap<RefKind, u32>,
    pub weight: u64,
}

#[derive(Debug, Clone)]
pub struct ModuleEdge {
    pub from: ModuleId,
    pub to: ModuleId,
    pub weight: u64,
    pub kinds: BTreeMap<RefKind, u32>,
    /// Indices into `Resolution::refs`: the first reference of each kind, heaviest kind
    /// first, at most [`EXAMPLES_PER_EDGE`].
    pub examples: Vec<usize>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModuleMetrics {
    pub lines: u32,
    pub items: u32,
    pub public_items: u32,
    /// Distinct modules that depend on this one (Ca).
    pub fan_in: u32,
    /// Distinct modules this one depends on (Ce).
    pub fan_out: u32,
    /// Ce / (Ca + Ce); 0 for a module with no edges.
    pub instability: f64,
}

/// A cycle between modules: a strongly connected component of more than one module, with
/// one concrete loop through it whose every hop has an example reference.
#[derive(Debug, Clone)]
pub struct Cycle {
    /// Every module of the component, sorted by path.
    pub modules: Vec<ModuleId>,
    /// `(from, to, index into Resolution::refs)` hops of one loop, starting at the first module.
    pub hops: Vec<(ModuleId, ModuleId, usize)>,
}

#[derive(Debug, Clone)]
pub struct DepGraph {
    pub items: DiGraph<ItemId, ItemEdge>,
    /// Sorted by (from path, to path).
    pub module_edges: Vec<ModuleEdge>,
    pub metrics: Vec<ModuleMetrics>,
    pub cycles: Vec<Cycle>,
}

impl DepGraph {
    pub fn item_node(&self, id: ItemId) -> NodeIndex {
        NodeIndex::new(id.0 as usize)
    }
}

pub fn build(cb: &Codebase, res: &Resolution) -> DepGraph {
    let mut items = DiGraph::with_capacity(res.items.len(), res.refs.len());
    for i in 0..res.items.len() {
        items.add_node(ItemId(i as u32));
    }
    let mut item_edges: BTreeMap<(ItemId, ItemId), ItemEdge> = BTreeMap::new();
    let mut module_edges: BTreeMap<(ModuleId, ModuleId), ModuleEdge> = BTreeMap::new();
    for (idx, r) in res.refs.iter().enumerate() {
        if let (Some(from), crate::resolve::Target::Item(to)) = (r.from_item, r.target)
            && from != to
        {
            let e = item_edges.entry((from, to)).or_default();
            *e.kinds.entry(r.kind).or_default() += 1;
            e.weight += kind_weight(r.kind);
        }
        let to = res.target_module(r.target);
        if to == r.from_module {
            continue;
        }
        let e = module_edges
            .entry((r.from_module, to))
            .or_insert_with(|| ModuleEdge {
                from: r.from_module,
                to,
                weight: 0,
                kinds: BTreeMap::new(),
                examples: Vec::new(),
            });
        let first_of_kind = !e.kinds.contains_key(&r.kind);
        *e.kinds.entry(r.kind).or_default() += 1;
        e.weight += kind_weight(r.kind);
        if first_of_kind {
            e.examples.push(idx);
        }
    }
    // The best evidence first: one reference per kind, heaviest kinds (calls,
    // constructions) before imports, each the first of its kind in source order.
    for e in module_edges.values_mut() {
        e.examples
            .sort_by_key(|i| (std::cmp::Reverse(kind_weight(res.refs[*i].kind)), *i));
        e.examples.truncate(EXAMPLES_PER_EDGE);
    }
    for ((from, to), e) in item_edges {
        items.add_edge(
            NodeIndex::new(from.0 as usize),
            NodeIndex::new(to.0 as usize),
            e,
        );
    }
    let mut module_edges: Vec<ModuleEdge> = module_edges.into_values().collect();
    module_edges.sort_by(|a, b| {
        (&cb.module(a.from).path, &cb.module(a.to).path)
            .cmp(&(&cb.module(b.from).path, &cb.module(b.to).path))
    });
    let metrics = metrics(cb, &module_edges);
    let cycles = cycles(cb, &module_edges);
    DepGraph {
        items,
        module_edges,
        metrics,
        cycles,
    }
}

fn metrics(cb: &Codebase, edges: &[ModuleEdge]) -> Vec<ModuleMetrics> {
    let mut out: Vec<ModuleMetrics> = cb
        .modules
        .iter()
        .map(|m| ModuleMetrics {
            lines: m.lines,
            items: m.facts.items.len() as u32,
            public_items: m
                .facts
                .items
                .iter()
                .filter(|i| i.vis == Visibility::Public)
                .count() as u32,
            ..ModuleMetrics::default()
        })
        .collect();
    for e in edges {
        out[e.from.0 as usize].fan_out += 1;
        out[e.to.0 as usize].fan_in += 1;
    }
    for m in &mut out {
        let total = m.fan_in + m.fan_out;
        m.instability = if total == 0 {
            0.0
        } else {
            f64::from(m.fan_out) / f64::from(total)
        };
    }
    out
}

fn cycles(cb: &Codebase, edges: &[ModuleEdge]) -> Vec<Cycle> {
    let mut g: DiGraph<ModuleId, usize> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..cb.modules.len())
        .map(|m| g.add_node(ModuleId(m as u32)))
        .collect();
    for e in edges {
        let example = e.examples.first().copied().unwrap_or(usize::MAX);
        g.add_edge(nodes[e.from.0 as usize], nodes[e.to.0 as usize], example);
    }
    let mut out = Vec::new();
    for scc in petgraph::algo::tarjan_scc(&g) {
        if scc.len() < 2 {
            continue;
        }
        let mut modules: Vec<ModuleId> = scc.iter().map(|n| g[*n]).collect();
        modules.sort_by(|a, b| cb.module(*a).path.cmp(&cb.module(*b).path));
        let members: BTreeSet<ModuleId> = modules.iter().copied().collect();
        let hops = shortest_loop(&g, &nodes, modules[0], &members);
        out.push(Cycle { modules, hops });
    }
    out.sort_by(|a, b| {
        cb.module(a.modules[0])
            .path
            .cmp(&cb.module(b.modules[0]).path)
    });
    out
}

/// The shortest loop from `start` back to itself inside the component (breadth first, so
/// it is deterministic and as short as the component allows).
fn shortest_loop(
    g: &DiGraph<ModuleId, usize>,
    nodes: &[NodeIndex],
    start: ModuleId,
    members: &BTreeSet<ModuleId>,
) -> Vec<(ModuleId, ModuleId, usize)> {
    let mut prev: BTreeMap<ModuleId, (ModuleId, usize)> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(cur) = queue.pop_front() {
        let mut next: Vec<(ModuleId, usize)> = g
            .edges(nodes[cur.0 as usize])
            .map(|e| (g[petgraph::visit::EdgeRef::target(&e)], *e.weight()))
            .filter(|(m, _)| members.contains(m))
            .collect();
        next.sort();
        for (to, example) in next {
            if to == start {
                let mut hops = vec![(cur, start, example)];
                let mut at = cur;
                while at != start {
                    let (p, ex) = prev[&at];
                    hops.push((p, at, ex));
                    at = p;
                }
                hops.reverse();
                return hops;
            }
            if to != start && !prev.contains_key(&to) {
                prev.insert(to, (cur, example));
                queue.push_back(to);
            }
        }
    }
    Vec::new()
}
