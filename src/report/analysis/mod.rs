//! The analysis report: one model built from the pipeline's data, rendered by one file
//! per format. Renderers only read the model; they never reach back into the pipeline.

mod dot;
mod json;
mod json_domains;
mod mermaid;
mod model;
mod text;
mod text_domains;

pub use model::*;

use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Dot,
    Mermaid,
}

pub fn render(report: &AnalysisReport, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Text => text::render(report, out),
        Format::Json => json::render(report, out),
        Format::Dot => dot::render(report, out),
        Format::Mermaid => mermaid::render(report, out),
    }
}

/// The subgraphs of the graph renderers: suggested domains (`domain <name>`, and `shared
/// kernel`) when the report has a suggestion, crates otherwise; modules sorted in each.
fn groups(r: &AnalysisReport) -> std::collections::BTreeMap<String, Vec<&str>> {
    let mut out: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    for m in &r.modules {
        let group = match &r.suggestion {
            Some(s) => match s.modules.get(&m.path).and_then(|p| p.domain) {
                Some(d) => format!("domain {}", s.domains[d].name),
                None => "shared kernel".to_owned(),
            },
            None => m.krate.clone(),
        };
        out.entry(group).or_default().push(&m.path);
    }
    out
}
