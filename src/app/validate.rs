//! `validate`: every diagnostic of the spec, optionally checked against the code it
//! describes. An invalid spec is an outcome (exit 1), not a failure; a spec that cannot be
//! read, or code that cannot be analysed, is.

use std::path::PathBuf;

use crate::analysis::Analysis;
use crate::diagnostics::{Diagnostic, Severity};
use crate::spec::{self, SourceIndex};

use super::Failure;
use super::failure::SourceFile;
use super::files::read_spec;
use super::progress::Progress;
use super::workspace::{AnalyzeOptions, analyze_workspace};

/// What `validate` is asked to do.
#[derive(Debug, Clone)]
pub struct ValidateConfig {
    pub spec: PathBuf,
    /// A crate or workspace whose modules and items the spec's patterns must match.
    pub source: Option<PathBuf>,
}

/// Every diagnostic of the spec, sorted by position, and its text (for snippets).
#[derive(Debug, Clone)]
pub struct ValidateOutcome {
    pub spec: SourceFile,
    pub diagnostics: Vec<Diagnostic>,
}

impl ValidateOutcome {
    /// Valid: no error (warnings allowed).
    pub fn valid(&self) -> bool {
        !self
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

pub fn validate(
    config: &ValidateConfig,
    progress: &mut dyn Progress,
) -> Result<ValidateOutcome, Failure> {
    let file = read_spec(&config.spec)?;
    let (spec, mut diagnostics) = spec::load(&config.spec.display().to_string(), &file.text);
    if let Some(source) = &config.source {
        let analysis = analyze_workspace(source, AnalyzeOptions::default(), progress)?;
        if let Some(spec) = &spec {
            diagnostics.extend(spec::check_against_source(spec, &source_index(&analysis)));
        }
        diagnostics.extend(skipped_files(&analysis));
    }
    Ok(ValidateOutcome {
        spec: file,
        diagnostics,
    })
}

/// What the analysis of the source skipped (files that do not parse, are too deep or cannot
/// be read, broken manifests), as `analyze` reports it, but as warnings: the spec itself may
/// still be valid, checked against the rest of the code.
fn skipped_files(analysis: &Analysis) -> Vec<Diagnostic> {
    let codebase = &analysis.codebase;
    (codebase.parse_errors.iter())
        .chain(&codebase.diagnostics)
        .map(|d| {
            let mut d = d.clone();
            d.severity = Severity::Warning;
            if d.help.is_none() {
                d.help = Some("skipped: the spec was checked against the rest of the code".into());
            }
            d
        })
        .collect()
}

/// The module and item paths of the analysed code.
fn source_index(analysis: &Analysis) -> SourceIndex {
    SourceIndex {
        modules: (analysis.codebase.modules.iter())
            .map(|m| m.path.clone())
            .collect(),
        items: (analysis.resolution.items.iter())
            .map(|i| i.path.clone())
            .collect(),
    }
}
