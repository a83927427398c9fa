//! `diff`: the evolution gate between two specs (an old one, usually the main branch's, and
//! the new one): every change of every event contract, and whom it breaks.

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;
use crate::evolution::{breaks, compare};

use super::Failure;
use super::failure::SourceFile;
use super::files::load_spec_and_text;
use super::progress::Progress;

/// What `diff` compares.
#[derive(Debug, Clone)]
pub struct DiffConfig {
    pub old: PathBuf,
    pub new: PathBuf,
}

/// The changes, and both specs' text (findings point into either).
#[derive(Debug, Clone)]
pub struct DiffOutcome {
    pub old: SourceFile,
    pub new: SourceFile,
    pub findings: Vec<Diagnostic>,
}

impl DiffOutcome {
    /// Whether a breaking change came without a version bump.
    pub fn breaking(&self) -> bool {
        breaks(&self.findings)
    }
}

pub fn diff(config: &DiffConfig, _progress: &mut dyn Progress) -> Result<DiffOutcome, Failure> {
    let (old_spec, old) = load_spec_and_text(&config.old)?;
    let (new_spec, new) = load_spec_and_text(&config.new)?;
    Ok(DiffOutcome {
        findings: compare(&old_spec, &new_spec),
        old,
        new,
    })
}
