//! The output of the commands that judge spec files (`validate`, `diff`): their diagnostics
//! as JSON, or for humans rustc-style with snippets and a last line `FILE VERDICT: SUMMARY`.

use std::path::Path;

use clap::ValueEnum;

use crate::app::SourceFile;
use crate::diagnostics::Diagnostic;
use crate::report::diagnostic::{render_human, render_json, summary};

use super::failure::borrowed;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// The diagnostics about `file` in `format`; `sources` are the files they point into.
pub fn render(
    format: Format,
    diagnostics: &[Diagnostic],
    sources: &[SourceFile],
    file: &Path,
    verdict: &str,
    color: bool,
) -> String {
    match format {
        Format::Json => render_json(diagnostics),
        Format::Human => format!(
            "{}{} {verdict}: {}\n",
            render_human(diagnostics, &borrowed(sources), color),
            file.display(),
            summary(diagnostics)
        ),
    }
}
