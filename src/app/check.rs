//! `check`: the spec's domain boundaries judged against the code, compared with an optional
//! baseline of known violations, which the run may rewrite.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::analysis::Analysis;
use crate::check::baseline::{self, Baseline, Comparison, Key};
use crate::check::{self, Owner, Violation};
use crate::diagnostics::Code;
use crate::report::check::{CheckReport, SourceText};
use crate::spec::Spec;

use super::Failure;
use super::files::{load_baseline, load_spec, write_atomic};
use super::progress::{Progress, Stage, timed};
use super::workspace::{AnalyzeOptions, analyze_workspace};

/// What `check` is asked to do.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    /// A crate or a workspace root.
    pub path: PathBuf,
    /// The spec declaring the domains.
    pub spec: PathBuf,
    pub baseline: Option<BaselineConfig>,
    pub include_tests: bool,
    /// Read the source lines of the violations, for snippets in human output.
    pub snippets: bool,
}

/// The baseline of known violations, and whether this run rewrites it.
#[derive(Debug, Clone)]
pub struct BaselineConfig {
    pub path: PathBuf,
    pub update: Option<BaselineUpdate>,
}

/// How a run may rewrite the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaselineUpdate {
    /// Record every current violation.
    AcceptAll,
    /// Only remove entries (in CI, a baseline may not grow).
    OnlyShrink,
}

/// What `check` found.
#[derive(Debug, Clone)]
pub struct CheckOutcome {
    /// The analysed folder and the spec as the user named them.
    pub root: String,
    pub spec_path: String,
    pub violations: Vec<Violation>,
    /// Violations against the baseline: new, known, fixed, stale.
    pub comparison: Comparison,
    pub baseline: Option<String>,
    /// Per domain, how many modules it owns; then the shared kernel and the unassigned.
    pub ownership: Vec<(String, usize)>,
    /// Files the analysis skipped (parse errors, unreadable).
    pub skipped_files: usize,
    /// The source of every file with a violation, when `snippets` was asked for.
    pub sources: Vec<SourceText>,
    /// What happened to the baseline, when the run rewrote it.
    pub baseline_update: Option<BaselineWritten>,
    pub elapsed: Duration,
}

/// A rewritten baseline.
#[derive(Debug, Clone)]
pub struct BaselineWritten {
    pub path: PathBuf,
    pub entries: usize,
    /// New violations left out because the baseline may only shrink.
    pub refused: Vec<Key>,
}

impl CheckOutcome {
    /// The report for the renderers.
    pub fn report(&self, color: bool) -> CheckReport<'_> {
        CheckReport {
            root: self.root.clone(),
            spec: self.spec_path.clone(),
            violations: &self.violations,
            comparison: &self.comparison,
            baseline: self.baseline.clone(),
            ownership: self.ownership.clone(),
            skipped_files: self.skipped_files,
            elapsed: self.elapsed,
            sources: &self.sources,
            color,
        }
    }

    /// Whether the run passes: no new error-severity violation (a rewritten baseline that
    /// accepted everything counts as known), and no baseline growth refused.
    pub fn passed(&self) -> bool {
        match &self.baseline_update {
            Some(written) => written.refused.is_empty(),
            None => !self.report(false).fails(),
        }
    }
}

pub fn check(config: &CheckConfig, progress: &mut dyn Progress) -> Result<CheckOutcome, Failure> {
    let started = Instant::now();
    let spec = load_spec(&config.spec)?;
    let old_baseline = match &config.baseline {
        Some(b) => Some(load_baseline(&b.path, b.update.is_some())?),
        None => None,
    };
    let options = AnalyzeOptions {
        include_tests: config.include_tests,
    };
    let analysis = analyze_workspace(&config.path, options, progress)?;
    let judged = timed(progress, Stage::Check, || {
        judge(&spec, &analysis, old_baseline.as_ref())
    });
    let update = (config.baseline.as_ref()).and_then(|b| Some((&b.path, b.update?)));
    let baseline_update = match (update, &old_baseline) {
        (Some((path, update)), Some(old)) => {
            Some(rewrite_baseline(path, old, &judged.violations, update)?)
        }
        _ => None,
    };
    let cb = &analysis.codebase;
    let sources = if config.snippets {
        read_sources(&cb.root, &judged.violations)
    } else {
        Vec::new()
    };
    let skipped_files = cb.parse_errors.len()
        + (cb.diagnostics.iter())
            .filter(|d| d.code == Code::UnreadableFile)
            .count();
    Ok(CheckOutcome {
        root: config.path.display().to_string(),
        spec_path: config.spec.display().to_string(),
        violations: judged.violations,
        comparison: judged.comparison,
        baseline: (config.baseline.as_ref()).map(|b| b.path.display().to_string()),
        ownership: judged.ownership,
        skipped_files,
        sources,
        baseline_update,
        elapsed: started.elapsed(),
    })
}

/// The findings of one run, before rendering.
struct Judged {
    violations: Vec<Violation>,
    comparison: Comparison,
    ownership: Vec<(String, usize)>,
}

/// Every violation of `spec` in the analysed code, compared with the baseline. Baseline
/// entries naming items that no longer exist are stale.
fn judge(spec: &Spec, analysis: &Analysis, old: Option<&Baseline>) -> Judged {
    let cb = &analysis.codebase;
    let (map, violations) = check::check(spec, cb, &analysis.resolution);
    let known_paths: BTreeSet<&str> = (cb.modules.iter().map(|m| m.path.as_str()))
        .chain(analysis.resolution.items.iter().map(|i| i.path.as_str()))
        .collect();
    let empty = Baseline::default();
    let comparison = baseline::compare(&violations, old.unwrap_or(&empty), |p| {
        known_paths.contains(p)
    });
    let ownership = ownership(spec, &map.owners);
    Judged {
        violations,
        comparison,
        ownership,
    }
}

fn rewrite_baseline(
    path: &Path,
    old: &Baseline,
    violations: &[Violation],
    update: BaselineUpdate,
) -> Result<BaselineWritten, Failure> {
    let (new, refused) = baseline::updated(old, violations, update == BaselineUpdate::OnlyShrink);
    write_atomic(path, new.render().as_bytes())
        .map_err(|e| Failure::message(format!("cannot write baseline {}: {e}", path.display())))?;
    Ok(BaselineWritten {
        path: path.to_path_buf(),
        entries: new.keys.len(),
        refused,
    })
}

fn read_sources(root: &Path, violations: &[Violation]) -> Vec<SourceText> {
    let files: BTreeSet<&Path> = (violations.iter())
        .map(|v| v.location.file.as_path())
        .collect();
    files
        .into_iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(root.join(f)).ok()?;
            Some(SourceText {
                path: f.to_path_buf(),
                text,
            })
        })
        .collect()
}

fn ownership(spec: &Spec, owners: &[Owner]) -> Vec<(String, usize)> {
    let count = |wanted: &dyn Fn(&Owner) -> bool| owners.iter().filter(|o| wanted(o)).count();
    let mut out: Vec<(String, usize)> = (spec.domains.keys())
        .map(|d| (d.clone(), count(&|o| o.domain() == Some(d))))
        .collect();
    out.push(("(shared kernel)".into(), count(&|o| *o == Owner::Shared)));
    out.push(("(unassigned)".into(), count(&|o| *o == Owner::Unassigned)));
    out
}
