//! `report`: one self-contained HTML page of the monolith's fault lines. Without a spec it
//! shows the suggested split; with one, the declared domains (pinned, the rest suggested)
//! and check's findings.

use std::path::PathBuf;

use crate::report::html::{self, Page};
use crate::suggest::SuggestOptions;

use super::files::{load_spec, write_atomic};
use super::progress::Progress;
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
/// findings with their snippets.
pub fn build_page(config: &ReportConfig, progress: &mut dyn Progress) -> Result<Page, Failure> {
    let analyze_config = AnalyzeConfig {
        path: config.path.clone(),
        include_tests: config.include_tests,
        suggest: config.suggest.clone(),
        git: false,
        pin: config.spec.clone(),
        emit_spec: None,
        eval: None,
    };
    let analyzed = super::analyze(&analyze_config, progress)?;
    let AnalyzeProduct::Report(report) = &analyzed.product else {
        return Err(Failure::message("analyze gave scores instead of a report"));
    };
    let a = &analyzed.analysis;
    let page = html::from_analysis(report, &analyzed.suggestion, &a.codebase, &a.resolution);
    let Some(spec_path) = &config.spec else {
        return Ok(page);
    };
    let spec = load_spec(spec_path)?;
    let checked = super::check(
        &CheckConfig {
            path: config.path.clone(),
            spec: spec_path.clone(),
            baseline: None,
            include_tests: config.include_tests,
            snippets: true,
            levels: LevelOverrides::default(),
        },
        progress,
    )?;
    Ok(html::with_check(
        page,
        &checked.spec_path,
        &spec,
        &checked.findings,
        &checked.comparison.new,
        &checked.sources,
    ))
}
