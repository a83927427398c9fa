//! The application layer as a library user calls it: a configuration in, an outcome or a
//! `Failure` out, and the stages reported to the caller's `Progress`.

use fissure::app::{self, CheckConfig, Failure, Progress, Quiet, ReportConfig, SplitConfig, Stage};
use fissure::report::html::{self, Page};

use crate::support::fixture;

/// Records every stage begun and ended, as a benchmark's stage timer would.
#[derive(Default)]
struct Recorder(Vec<(&'static str, Stage)>);

impl Progress for Recorder {
    fn begin(&mut self, stage: Stage) {
        self.0.push(("begin", stage));
    }
    fn end(&mut self, stage: Stage) {
        self.0.push(("end", stage));
    }
}

#[test]
fn analyze_reports_each_stage_in_order_and_returns_the_report() {
    let config = app::AnalyzeConfig {
        path: fixture("hotel"),
        include_tests: false,
        suggest: Default::default(),
        git: false,
        pin: None,
        emit_spec: None,
        eval: None,
    };
    let mut recorder = Recorder::default();
    let outcome = app::analyze(&config, &mut recorder).expect("hotel analyses");
    let stages = [
        Stage::Discover,
        Stage::Parse,
        Stage::Resolve,
        Stage::Graph,
        Stage::Suggest,
    ];
    let expected: Vec<_> = stages
        .iter()
        .flat_map(|&s| [("begin", s), ("end", s)])
        .collect();
    assert_eq!(recorder.0, expected);
    let app::AnalyzeProduct::Report(report) = &outcome.product else {
        panic!("a report without --eval");
    };
    assert_eq!(
        report.modules.len(),
        outcome.analysis.codebase.modules.len()
    );
    assert!(!outcome.suggestion.domains.is_empty());
}

#[test]
fn check_returns_the_findings_and_whether_the_run_passes() {
    let hotel = fixture("hotel");
    let config = CheckConfig {
        spec: hotel.join("fissure.yaml"),
        path: hotel,
        baseline: None,
        include_tests: false,
        snippets: true,
        levels: Default::default(),
    };
    let outcome = app::check(&config, &mut Quiet).expect("hotel checks");
    assert!(!outcome.findings.is_empty());
    assert!(!outcome.passed(), "new denied findings fail the run");
    assert!(
        (outcome.findings.iter())
            .flat_map(|d| &d.labels)
            .all(|l| outcome.sources.iter().any(|s| s.path == l.location.file)),
        "every file a finding points into (the spec too) is read for its snippet"
    );
}

#[test]
fn report_with_a_spec_analyses_once_for_analyze_and_check_and_draws_the_same_page() {
    for fixture_name in ["garage", "shop"] {
        for include_tests in [false, true] {
            let path = fixture(fixture_name);
            let config = ReportConfig {
                spec: Some(path.join("fissure.yaml")),
                path,
                out: "unused.html".into(),
                include_tests,
                suggest: Default::default(),
            };
            let mut recorder = Recorder::default();
            let page = app::report::build_page(&config, &mut recorder).expect("the page");
            let parses = (recorder.0.iter())
                .filter(|(event, stage)| *event == "begin" && *stage == Stage::Parse)
                .count();
            // Split reads the tests too: it shares the analysis only when the page does.
            let expected = if include_tests { 1 } else { 2 };
            assert_eq!(parses, expected, "{fixture_name}, tests: {include_tests}");
            assert_eq!(
                html::render(&page),
                html::render(&page_of_separate_commands(&config)),
                "{fixture_name}, tests: {include_tests}"
            );
        }
    }
}

/// The report page as `analyze`, `check` and `split --dry-run` make it, each analysing the
/// workspace itself: what `build_page` drew before it shared the analysis.
fn page_of_separate_commands(config: &ReportConfig) -> Page {
    let spec_path = config.spec.clone().expect("a spec");
    let analyze_config = app::AnalyzeConfig {
        pin: Some(spec_path.clone()),
        ..app::AnalyzeConfig::plain(&config.path, config.include_tests)
    };
    let analyzed = app::analyze(&analyze_config, &mut Quiet).expect("analyze");
    let app::AnalyzeProduct::Report(report) = &analyzed.product else {
        panic!("a report without --eval");
    };
    let a = &analyzed.analysis;
    let page = html::from_analysis(report, &analyzed.suggestion, &a.codebase, &a.resolution);
    let check_config = CheckConfig {
        path: config.path.clone(),
        spec: spec_path.clone(),
        baseline: None,
        include_tests: config.include_tests,
        snippets: true,
        levels: Default::default(),
    };
    let checked = app::check(&check_config, &mut Quiet).expect("check");
    let spec = app::load_spec(&spec_path).expect("the spec");
    let page = html::with_check(
        page,
        &checked.spec_path,
        &spec,
        &checked.findings,
        &checked.comparison.new,
        &checked.sources,
    );
    match app::split(&SplitConfig::dry_run(&config.path, &spec_path), &mut Quiet) {
        Ok(outcome) => html::with_split(page, &outcome.plan),
        Err(failure) => html::without_split(page, format!("no plan: {failure}")),
    }
}

#[test]
fn a_failure_says_what_went_wrong_in_one_line_per_problem() {
    let failure = app::analyze_workspace(
        &fixture("no-such-fixture"),
        app::AnalyzeOptions::default(),
        &mut Quiet,
    )
    .map_err(Failure::from)
    .expect_err("no such folder");
    let text = failure.to_string();
    assert!(
        text.starts_with("error[bad-manifest]: cannot open ") && !text.contains('\n'),
        "{text}"
    );
}
