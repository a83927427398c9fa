//! Graphviz DOT: modules as boxes grouped by suggested domain (by crate without a
//! suggestion), edges labelled with their weight.

use std::io::{self, Write};

use super::model::AnalysisReport;

/// DOT string literal: quotes and backslashes escaped.
pub(super) fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

pub fn render(r: &AnalysisReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "digraph fissure {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(out, "  node [shape=box, fontname=\"Helvetica\"];")?;
    let by_crate = super::groups(r);
    for (i, (krate, modules)) in by_crate.iter().enumerate() {
        writeln!(out, "  subgraph cluster_{i} {{")?;
        writeln!(out, "    label={};", quoted(krate))?;
        for m in modules {
            writeln!(out, "    {};", quoted(m))?;
        }
        writeln!(out, "  }}")?;
    }
    let cyclic: std::collections::BTreeSet<(&str, &str)> = r
        .cycles
        .iter()
        .flat_map(|c| c.hops.iter().map(|(f, t, _)| (f.as_str(), t.as_str())))
        .collect();
    for e in &r.edges {
        let width = 1.0 + (e.weight as f64).ln_1p();
        let color = if cyclic.contains(&(e.from.as_str(), e.to.as_str())) {
            ", color=red"
        } else {
            ""
        };
        writeln!(
            out,
            "  {} -> {} [label=\"{}\", penwidth={:.1}{}];",
            quoted(&e.from),
            quoted(&e.to),
            e.weight,
            width,
            color
        )?;
    }
    writeln!(out, "}}")
}
