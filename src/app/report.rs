//! `report`: one self-contained HTML page of the monolith's fault lines. Without a spec it
//! shows the suggested split; with one, the declared domains (pinned, the rest suggested)
//! check's findings and the plan of a `split` dry run.

use std::path::PathBuf;

use crate::report::html::{self, Page};
use crate::suggest::SuggestOptions;

use super::analyze::analyze_analysis;
use super::check::check_analysis;
use super::files::{load_spec, write_atomic};
use super::progress::Progress;
use super::split::{SPLIT_ANALYSIS, SplitConfig, split, split_analysis};
use super::workspace::{AnalyzeOptions, analyze_workspace};
use super::{AnalyzeConfig, AnalyzeProduct, CheckConfig, Failure, LevelOverrides};

/// What `report` is asked to do.
#[derive(Debug, Clone)]
pub struct ReportConfig {
    /// A crate or a workspace root.
    pub path: PathBuf,
    /// A spec: its domains are pinned and check's findings shown.
    pub spec: Option<PathBuf>,
    /// The HTML file to write.
    pub out: PathBuf,
    pub include_tests: bool,
    pub suggest: SuggestOptions,
}

/// What `report` wrote.
#[derive(Debug, Clone)]
pub struct ReportOutcome {
    pub out: PathBuf,
    pub bytes: usize,
    pub page: Page,
}

pub fn report(
    config: &ReportConfig,
    progress: &mut dyn Progress,
) -> Result<ReportOutcome, Failure> {
    let page = build_page(config, progress)?;
    let text = html::render(&page);
    write_atomic(&config.out, text.as_bytes())
        .map_err(|e| Failure::message(format!("cannot write {}: {e}", config.out.display())))?;
    Ok(ReportOutcome {
        out: config.out.clone(),
        bytes: text.len(),
        page,
    })
}

/// The page: the analysis (domains pinned to the spec's, when there is one), then check's
/// findings with their snippets and the split plan. The workspace is analysed once for
/// `analyze` and `check`; split analyses the tests too, so it shares that analysis only
/// when the page includes them.
pub fn build_page(config: &ReportConfig, progress: &mut dyn Progress) -> Result<Page, Failure> {
    let analyze_config = AnalyzeConfig {
        pin: config.spec.clone(),
        suggest: config.suggest.clone(),
        ..AnalyzeConfig::plain(&config.path, config.include_tests)
    };
    let spec = config.spec.as_deref().map(load_spec).transpose()?;
    let options = AnalyzeOptions {
        include_tests: config.include_tests,
    };
    let analysis = analyze_workspace(&config.path, options, progress)?;
    let analyzed = analyze_analysis(&analyze_config, analysis, spec.as_ref(), None, progress)?;
    let AnalyzeProduct::Report(report) = &analyzed.product else {
        return Err(Failure::message("analyze gave scores instead of a report"));
    };
    let a = &analyzed.analysis;
    let page = html::from_analysis(report, &analyzed.suggestion, &a.codebase, &a.resolution);
    let (Some(spec_path), Some(spec)) = (&config.spec, &spec) else {
        return Ok(page);
    };
    let check_config = CheckConfig {
        path: config.path.clone(),
        spec: spec_path.clone(),
        baseline: None,
        include_tests: config.include_tests,
        snippets: true,
        levels: LevelOverrides::default(),
    };
    let checked = check_analysis(&check_config, a, progress)?;
    let page = html::with_check(
        page,
        &checked.spec_path,
        spec,
        &checked.findings,
        &checked.comparison.new,
        &checked.sources,
    );
    // A dry run writes nothing; a plan that cannot be made leaves the rest of the page.
    let split_config = SplitConfig::dry_run(&config.path, spec_path);
    let planned = if options.include_tests == SPLIT_ANALYSIS.include_tests {
        split_analysis(&split_config, a, progress)
    } else {
        split(&split_config, progress)
    };
    Ok(match planned {
        Ok(outcome) => html::with_split(page, &outcome.plan),
        Err(failure) => html::without_split(page, format!("no plan: {failure}")),
    })
}
