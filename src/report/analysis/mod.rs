//! The analysis report: one model built from the pipeline's data, rendered by one file
//! per format. Renderers only read the model; they never reach back into the pipeline.

mod dot;
mod json;
mod mermaid;
mod model;
mod text;

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
