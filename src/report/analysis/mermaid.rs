//! Mermaid flowchart: modules grouped in subgraphs by suggested domain (by crate without a
//! suggestion), edges labelled by weight.
//! Node ids are generated (`m0`, `m1`, ...) because module paths contain `::`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::model::AnalysisReport;

/// Mermaid labels are quoted strings; quotes inside become the `#quot;` entity.
fn label(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "#quot;"))
}

pub fn render(r: &AnalysisReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "flowchart LR")?;
    let ids: BTreeMap<&str, String> = r
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| (m.path.as_str(), format!("m{i}")))
        .collect();
    let by_crate = super::groups(r);
    for (i, (krate, modules)) in by_crate.iter().enumerate() {
        writeln!(out, "  subgraph c{i}[{}]", label(krate))?;
        for m in modules {
            writeln!(out, "    {}[{}]", ids[m], label(m))?;
        }
        writeln!(out, "  end")?;
    }
    for e in &r.edges {
        writeln!(
            out,
            "  {} -->|{}| {}",
            ids[e.from.as_str()],
            e.weight,
            ids[e.to.as_str()]
        )?;
    }
    Ok(())
}
