//! Domains whose allowed, used dependencies form a cycle: each strongly connected group of
//! domains is one finding, at the first reference of its first edge, with a label at one
//! reference of every other edge, so both directions show.

use std::collections::BTreeSet;

use crate::diagnostics::{Code, Diagnostic, Label, Subject};

use super::rules::{Inputs, UsedDeps};

pub fn cycles_between_domains(inp: &Inputs<'_>, used: &UsedDeps) -> Vec<Diagnostic> {
    let mut g: petgraph::graphmap::DiGraphMap<&str, ()> = petgraph::graphmap::DiGraphMap::new();
    for (a, b) in used.keys() {
        g.add_edge(a.as_str(), b.as_str(), ());
    }
    let mut out = Vec::new();
    for scc in petgraph::algo::tarjan_scc(&g) {
        if scc.len() < 2 {
            continue;
        }
        let members: BTreeSet<&str> = scc.iter().copied().collect();
        let names: Vec<&str> = members.iter().copied().collect();
        // Edges inside the cycle, in name order; the first one carries the finding.
        let edges: Vec<(&(String, String), &usize)> = used
            .iter()
            .filter(|((a, b), _)| members.contains(a.as_str()) && members.contains(b.as_str()))
            .collect();
        let Some(&((a, b), &first)) = edges.first() else {
            continue;
        };
        let r = &inp.res.refs[first];
        let listed: Vec<String> = edges
            .iter()
            .map(|((x, y), _)| format!("{x} -> {y}"))
            .collect();
        let mut finding = Diagnostic::error(
            Code::CycleBetweenDomains,
            format!(
                "domains {} depend on each other in a cycle ({})",
                names.join(", "),
                listed.join(", ")
            ),
        )
        .with_label(Label::primary(inp.location(r), r.kind.as_str()));
        for ((x, y), idx) in edges.iter().skip(1) {
            let at = inp.location(&inp.res.refs[**idx]);
            finding = finding.with_label(Label::secondary(at, format!("`{x}` uses `{y}` here")));
        }
        out.push(
            finding
                .with_help("break the cycle: let one side publish an event the other subscribes to, and drop that `depends_on`")
                .with_subject(Subject {
                    from_domain: Some(a.clone()),
                    to_domain: Some(b.clone()),
                    module: inp.cb.module(r.from_module).path.clone(),
                    source: format!("domains {}", names.join(", ")),
                    target: listed.join(", "),
                    kind: r.kind.as_str(),
                }),
        );
    }
    out
}
