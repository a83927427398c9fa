//! `generate`: the event-driven workspace the spec describes, written under `out`, or
//! compared with what is there (`Check`, `DryRun`).

use std::path::PathBuf;

use crate::generate::{self, writer};

use super::Failure;
use super::files::load_spec;
use super::progress::{Progress, Stage, timed};

/// What `generate` is asked to do.
#[derive(Debug, Clone)]
pub struct GenerateConfig {
    pub spec: PathBuf,
    /// The workspace folder to write (created when missing).
    pub out: PathBuf,
    pub mode: GenerateMode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenerateMode {
    /// Write the generated files; create the user's files that are missing.
    Write,
    /// Write nothing; list the generated files that regeneration would change.
    Check,
    /// Write nothing; show what would change as a unified diff.
    DryRun,
}

/// What `generate` did, or would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GenerateOutcome {
    /// Files written, and the user's files left as they are.
    Written { written: usize, kept: usize },
    /// `Check`: the generated files (paths under `out`) that would change; empty when none.
    Drift(Vec<String>),
    /// `DryRun`: the unified diff of every change.
    Diff(String),
}

pub fn generate(
    config: &GenerateConfig,
    progress: &mut dyn Progress,
) -> Result<GenerateOutcome, Failure> {
    let spec = load_spec(&config.spec)?;
    let files = timed(progress, Stage::Plan, || generate::plan(&spec))
        .map_err(|e| Failure::message(e.to_string()))?;
    let write_failed = |e: writer::WriteError| Failure::message(e.to_string());
    let planned = writer::plan_writes(&config.out, &files).map_err(write_failed)?;
    Ok(match config.mode {
        GenerateMode::Check => {
            let drift = writer::drift(&planned);
            GenerateOutcome::Drift(drift.iter().map(|p| p.file.path.clone()).collect())
        }
        GenerateMode::DryRun => GenerateOutcome::Diff(writer::unified_diff(&planned)),
        GenerateMode::Write => {
            let written = writer::write(&planned).map_err(write_failed)?;
            let kept = (planned.iter())
                .filter(|p| p.action == writer::Action::KeepUser)
                .count();
            GenerateOutcome::Written { written, kept }
        }
    })
}
