//! The application layer as a library user calls it: a configuration in, an outcome or a
//! `Failure` out, and the stages reported to the caller's `Progress`.

use fissure::app::{self, CheckConfig, Failure, Progress, Quiet, Stage};

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
