//! `analyze`: the analysis of a workspace with its suggested domains; optionally pinned to a
//! spec's domains, written out as a draft spec, or scored against hand-made labels.

use std::path::PathBuf;

use crate::analysis::Analysis;
use crate::eval::Truth;
use crate::report::analysis::AnalysisReport;
use crate::spec::Spec;
use crate::suggest::cochange::{CoChangeRules, co_change};
use crate::suggest::evaluate::{self, Evaluation};
use crate::suggest::{self, DomainSuggestion, SuggestOptions, draft_spec, pin};

use super::Failure;
use super::files::{load_spec, load_truth, write_atomic};
use super::progress::{Progress, Stage, timed};
use super::workspace::{AnalyzeOptions, analyze_workspace};

/// What `analyze` is asked to do, every option already checked.
#[derive(Debug, Clone)]
pub struct AnalyzeConfig {
    /// A crate or a workspace root.
    pub path: PathBuf,
    pub include_tests: bool,
    /// Resolution (positive), seed, target domain count (at least 1), layer weights.
    /// `co_change` is filled from the history when `git` is set.
    pub suggest: SuggestOptions,
    /// Add co-change from the git history of `path` as evidence.
    pub git: bool,
    /// A spec whose declared domains are pinned.
    pub pin: Option<PathBuf>,
    /// Write a draft spec from the suggestion.
    pub emit_spec: Option<EmitSpec>,
    /// Score the suggestion against this truth file instead of reporting.
    pub eval: Option<PathBuf>,
}

impl AnalyzeConfig {
    /// The plain report of `path` with the default suggestion: no history, pin, draft spec
    /// or scores. What a benchmark or a library user starts from.
    pub fn plain(path: impl Into<PathBuf>, include_tests: bool) -> Self {
        AnalyzeConfig {
            path: path.into(),
            include_tests,
            suggest: SuggestOptions::default(),
            git: false,
            pin: None,
            emit_spec: None,
            eval: None,
        }
    }
}

/// Where the draft spec goes, and whether an existing file may be replaced.
#[derive(Debug, Clone)]
pub struct EmitSpec {
    pub path: PathBuf,
    pub overwrite: bool,
}

/// What `analyze` found.
#[derive(Debug, Clone)]
pub struct AnalyzeOutcome {
    pub analysis: Analysis,
    pub suggestion: DomainSuggestion,
    /// How the history was used, with `git`.
    pub history: Option<HistoryUse>,
    /// The draft spec written, with `emit_spec`.
    pub emitted: Option<PathBuf>,
    pub product: AnalyzeProduct,
}

/// The result a user asked for: the report, or with `eval` the scores.
#[derive(Debug, Clone)]
pub enum AnalyzeProduct {
    Report(Box<AnalysisReport>),
    Evaluation(Box<Evaluation>),
}

/// The co-change evidence of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryUse {
    /// Commits read.
    pub commits: usize,
    /// Commits usable as evidence (at least two analysed files, not too many).
    pub used: usize,
    /// Module pairs found to change together.
    pub pairs: usize,
    /// Why the evidence was left out, when it was.
    pub off: Option<String>,
}

pub fn analyze(
    config: &AnalyzeConfig,
    progress: &mut dyn Progress,
) -> Result<AnalyzeOutcome, Failure> {
    if let Some(emit) = &config.emit_spec
        && emit.path.exists()
        && !emit.overwrite
    {
        return Err(Failure::with_help(
            format!("{} already exists", emit.path.display()),
            "pass --force to overwrite it",
        ));
    }
    let pinned = config.pin.as_deref().map(load_spec).transpose()?;
    let truth = config.eval.as_deref().map(load_truth).transpose()?;
    let options = AnalyzeOptions {
        include_tests: config.include_tests,
    };
    let analysis = analyze_workspace(&config.path, options, progress)?;
    analyze_analysis(config, analysis, pinned.as_ref(), truth.as_ref(), progress)
}

/// `analyze` of an analysis already made with `config`'s path and tests setting, its pin
/// spec and truth loaded: the suggestion, then the report or the scores. `report` shares
/// one analysis between this and `check`.
pub(super) fn analyze_analysis(
    config: &AnalyzeConfig,
    analysis: Analysis,
    pinned: Option<&Spec>,
    truth: Option<&Truth>,
    progress: &mut dyn Progress,
) -> Result<AnalyzeOutcome, Failure> {
    let (suggestion, history) = suggest_domains(config, &analysis, pinned, progress)?;
    let (emitted, product) = match truth {
        Some(truth) => {
            let scores = evaluate::evaluate(&analysis, &suggestion, truth);
            (None, AnalyzeProduct::Evaluation(Box::new(scores)))
        }
        None => {
            let emitted = match &config.emit_spec {
                Some(emit) => Some(emit_spec(config, &emit.path, &suggestion)?),
                None => None,
            };
            let report = AnalysisReport::build(
                &config.path.display().to_string(),
                &analysis.codebase,
                &analysis.resolution,
                &analysis.graph,
            )
            .with_suggestion(&suggestion);
            (emitted, AnalyzeProduct::Report(Box::new(report)))
        }
    };
    Ok(AnalyzeOutcome {
        analysis,
        suggestion,
        history,
        emitted,
        product,
    })
}

/// The suggested domains, with the history as evidence under `git` and the domains of the
/// `pin` spec kept as declared.
fn suggest_domains(
    config: &AnalyzeConfig,
    analysis: &Analysis,
    pinned: Option<&Spec>,
    progress: &mut dyn Progress,
) -> Result<(DomainSuggestion, Option<HistoryUse>), Failure> {
    let mut options = config.suggest.clone();
    let history = if config.git {
        let (history, co_change) = read_co_change(config, analysis, progress)?;
        options.co_change = Some(co_change);
        Some(history)
    } else {
        None
    };
    let mut suggestion = timed(progress, Stage::Suggest, || {
        suggest::suggest(analysis, &options)
    });
    if let Some(spec) = pinned {
        let crate_names: Vec<&str> = (analysis.codebase.crates.iter())
            .map(|c| c.target.name.as_str())
            .collect();
        pin::pin(&mut suggestion, spec, &crate_names);
    }
    Ok((suggestion, history))
}

/// Module pairs that change together in the history of the analysed folder.
fn read_co_change(
    config: &AnalyzeConfig,
    analysis: &Analysis,
    progress: &mut dyn Progress,
) -> Result<(HistoryUse, suggest::cochange::CoChange), Failure> {
    let history = timed(progress, Stage::History, || {
        crate::history::read(&config.path)
    })
    .map_err(|e| Failure::message(format!("--git: {e}")))?;
    let co_change = co_change(&history, &analysis.codebase, &CoChangeRules::default());
    let used = HistoryUse {
        commits: history.commits.len(),
        used: co_change.commits_used,
        pairs: co_change.pairs.len(),
        off: co_change.off.clone(),
    };
    Ok((used, co_change))
}

/// Writes the draft spec of `suggestion`, its system named after the analysed folder.
fn emit_spec(
    config: &AnalyzeConfig,
    path: &std::path::Path,
    suggestion: &DomainSuggestion,
) -> Result<PathBuf, Failure> {
    let root = std::path::absolute(&config.path).unwrap_or_else(|_| config.path.clone());
    let system = draft_spec::system_name(&root.display().to_string());
    let text = draft_spec::draft_spec(&system, suggestion);
    write_atomic(path, text.as_bytes())
        .map_err(|e| Failure::message(format!("cannot write {}: {e}", path.display())))?;
    Ok(path.to_path_buf())
}
