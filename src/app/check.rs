//! `check`: the spec's domain boundaries judged against the code, with the spec's `lints`
//! and the command line's levels as policy, compared with an optional baseline of known
//! findings, which the run may rewrite.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::analysis::Analysis;
use crate::check::baseline::{self, Baseline, Comparison, Key};
use crate::check::{self, policy};
use crate::diagnostics::{Code, Diagnostic};
use crate::report::check::{CheckReport, SourceText};
use crate::spec::Spec;

use super::Failure;
use super::failure::SourceFile;
use super::files::{self, load_baseline, load_spec_and_text, write_atomic};
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
    /// Read the source lines of the findings, for snippets in human output.
    pub snippets: bool,
    /// Levels set on top of the spec's `lints` (`--deny`, `--warn`, `--allow`).
    pub levels: LevelOverrides,
}

/// The codes whose level the command line sets, over the spec's.
#[derive(Debug, Clone, Default)]
pub struct LevelOverrides {
    pub deny: Vec<Code>,
    pub warn: Vec<Code>,
    pub allow: Vec<Code>,
}

/// The baseline of known findings, and whether this run rewrites it.
#[derive(Debug, Clone)]
pub struct BaselineConfig {
    pub path: PathBuf,
    pub update: Option<BaselineUpdate>,
}

/// How a run may rewrite the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaselineUpdate {
    /// Record every current finding.
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
    /// The findings, sorted by code, then place.
    pub findings: Vec<Diagnostic>,
    /// Findings against the baseline: new, known, fixed, stale.
    pub comparison: Comparison,
    pub baseline: Option<String>,
    /// Per domain, how many modules it owns; then the shared kernel and the unassigned.
    pub ownership: Vec<(String, usize)>,
    /// Files the analysis skipped (parse errors, unreadable).
    pub skipped_files: usize,
    /// The spec's text, and the source of every file a finding points into when `snippets`
    /// was asked for.
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
    /// New findings left out because the baseline may only shrink.
    pub refused: Vec<Key>,
}

impl CheckOutcome {
    /// The report for the renderers.
    pub fn report(&self, color: bool) -> CheckReport<'_> {
        CheckReport {
            root: self.root.clone(),
            spec: self.spec_path.clone(),
            findings: &self.findings,
            comparison: &self.comparison,
            baseline: self.baseline.clone(),
            ownership: self.ownership.clone(),
            skipped_files: self.skipped_files,
            elapsed: self.elapsed,
            sources: &self.sources,
            color,
        }
    }

    /// Whether the run passes: no new denied finding (a rewritten baseline that accepted
    /// everything counts as known), and no baseline growth refused.
    pub fn passed(&self) -> bool {
        match &self.baseline_update {
            Some(written) => written.refused.is_empty(),
            None => !self.report(false).fails(),
        }
    }
}

pub fn check(config: &CheckConfig, progress: &mut dyn Progress) -> Result<CheckOutcome, Failure> {
    let started = Instant::now();
    let inputs = load_inputs(config)?;
    let options = AnalyzeOptions {
        include_tests: config.include_tests,
    };
    let analysis = analyze_workspace(&config.path, options, progress)?;
    judge_analysis(config, inputs, &analysis, started, progress)
}

/// `check` of an analysis already made with `config`'s path and tests setting (`report`
/// shares one with `analyze`).
pub(super) fn check_analysis(
    config: &CheckConfig,
    analysis: &Analysis,
    progress: &mut dyn Progress,
) -> Result<CheckOutcome, Failure> {
    let started = Instant::now();
    let inputs = load_inputs(config)?;
    judge_analysis(config, inputs, analysis, started, progress)
}

/// What `check` reads besides the code: the spec (its levels set from the command line),
/// its text, and the old baseline.
struct Inputs {
    spec: Spec,
    spec_file: SourceFile,
    old_baseline: Option<Baseline>,
}

fn load_inputs(config: &CheckConfig) -> Result<Inputs, Failure> {
    let (mut spec, spec_file) = load_spec_and_text(&config.spec)?;
    let levels = &config.levels;
    policy::set_from_command_line(&mut spec.lints, &levels.deny, &levels.warn, &levels.allow)
        .map_err(Failure::message)?;
    let old_baseline = match &config.baseline {
        Some(b) => Some(load_baseline(&b.path, b.update.is_some())?),
        None => None,
    };
    Ok(Inputs {
        spec,
        spec_file,
        old_baseline,
    })
}

/// The findings of the analysis against the inputs, the baseline rewritten when asked.
fn judge_analysis(
    config: &CheckConfig,
    inputs: Inputs,
    analysis: &Analysis,
    started: Instant,
    progress: &mut dyn Progress,
) -> Result<CheckOutcome, Failure> {
    let Inputs {
        spec,
        spec_file,
        old_baseline,
    } = inputs;
    let judged = timed(progress, Stage::Check, || {
        judge(&spec, analysis, old_baseline.as_ref())
    });
    let update = (config.baseline.as_ref()).and_then(|b| Some((&b.path, b.update?)));
    let baseline_update = match (update, &old_baseline) {
        (Some((path, update)), Some(old)) => {
            Some(rewrite_baseline(path, old, &judged.findings, update)?)
        }
        _ => None,
    };
    let cb = &analysis.codebase;
    let mut sources = vec![SourceText {
        path: spec_file.path,
        text: spec_file.text,
    }];
    if config.snippets {
        sources.extend(files::read_label_sources(
            &cb.root,
            &judged.findings,
            Some(&config.spec),
        ));
    }
    let skipped_files = cb.parse_errors.len()
        + (cb.diagnostics.iter())
            .filter(|d| d.code == Code::UnreadableFile)
            .count();
    Ok(CheckOutcome {
        root: config.path.display().to_string(),
        spec_path: config.spec.display().to_string(),
        findings: judged.findings,
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
    findings: Vec<Diagnostic>,
    comparison: Comparison,
    ownership: Vec<(String, usize)>,
}

/// Every finding of `spec` in the analysed code, compared with the baseline. Baseline
/// entries naming items that no longer exist are stale.
fn judge(spec: &Spec, analysis: &Analysis, old: Option<&Baseline>) -> Judged {
    let cb = &analysis.codebase;
    let (map, findings) = check::check(spec, cb, &analysis.resolution);
    let known_paths: BTreeSet<&str> = (cb.modules.iter().map(|m| m.path.as_str()))
        .chain(analysis.resolution.items.iter().map(|i| i.path.as_str()))
        .collect();
    let empty = Baseline::default();
    let comparison = baseline::compare(&findings, old.unwrap_or(&empty), |p| {
        known_paths.contains(p)
    });
    Judged {
        comparison,
        ownership: map.module_counts(spec),
        findings,
    }
}

fn rewrite_baseline(
    path: &Path,
    old: &Baseline,
    findings: &[Diagnostic],
    update: BaselineUpdate,
) -> Result<BaselineWritten, Failure> {
    let (new, refused) = baseline::updated(old, findings, update == BaselineUpdate::OnlyShrink);
    write_atomic(path, new.render().as_bytes())
        .map_err(|e| Failure::message(format!("cannot write baseline {}: {e}", path.display())))?;
    Ok(BaselineWritten {
        path: path.to_path_buf(),
        entries: new.keys.len(),
        refused,
    })
}
