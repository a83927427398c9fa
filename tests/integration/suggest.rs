//! `fissure analyze` with the domain suggestion: the JSON fields, `--emit-spec` and its
//! refusal to overwrite, `--eval`, `--git`, and bad options.

use crate::support::{Case, Run};

/// `fissure analyze`/`check`/`validate` run in the repository root; the exit code is left to
/// the caller (`Run::status`).
fn fissure(args: &[&str]) -> Run {
    fissure_status(args, 0)
}

fn fissure_status(args: &[&str], status: i32) -> Run {
    Case::in_repo()
        .args(args.iter().copied())
        .status(status)
        .run()
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn json_has_domains_crossings_and_event_candidates() {
    let r = fissure(&["analyze", "fixtures/hotel", "--format", "json"]).json();
    let domains = r["domains"].as_array().expect("domains");
    assert!(domains.len() >= 2, "{domains:?}");
    for m in r["modules"].as_array().expect("modules") {
        assert!(
            m.get("domain").is_some() && m["confidence"].is_number(),
            "{m}"
        );
    }
    let crossing = &r["crossings"][0];
    for key in [
        "file",
        "line",
        "from_item",
        "to_item",
        "from_domain",
        "to_domain",
        "kind",
    ] {
        assert!(crossing.get(key).is_some(), "crossing field {key}");
    }
    let event = &r["event_candidates"][0];
    for key in ["name", "owner", "fields", "subscribers", "call_sites"] {
        assert!(event.get(key).is_some(), "event field {key}");
    }
}

#[test]
fn emit_spec_writes_once_and_overwrites_only_with_force() {
    let dir = temp_dir();
    let out = dir.path().join("fissure.yaml");
    let out_arg = out.to_str().expect("utf-8 path");
    fissure(&["analyze", "fixtures/shop", "--emit-spec", out_arg]);
    let first = std::fs::read_to_string(&out).expect("written");
    fissure(&["validate", "--spec", out_arg]);

    std::fs::write(&out, "keep me").expect("write");
    let o = fissure_status(&["analyze", "fixtures/shop", "--emit-spec", out_arg], 2);
    assert!(o.stderr.contains("--force"), "{}", o.stderr);
    assert_eq!(std::fs::read_to_string(&out).expect("kept"), "keep me");

    fissure(&[
        "analyze",
        "fixtures/shop",
        "--emit-spec",
        out_arg,
        "--force",
    ]);
    assert_eq!(std::fs::read_to_string(&out).expect("rewritten"), first);
}

/// The contract for a draft spec: it validates, and `check` against the code it came
/// from passes once a baseline holds what the suggestion left crossing its boundaries.
#[test]
fn an_emitted_spec_checks_clean_with_a_generated_baseline() {
    for fixture in ["fixtures/hotel", "fixtures/shop"] {
        let dir = temp_dir();
        let spec = dir.path().join("fissure.yaml");
        let baseline = dir.path().join("baseline.json");
        let (spec_arg, baseline_arg) = (spec.to_str().unwrap(), baseline.to_str().unwrap());
        fissure(&["analyze", fixture, "--emit-spec", spec_arg]);

        // A draft split of a monolith has crossings; without a baseline they fail the check.
        let bare = fissure_status(
            &["check", fixture, "--spec", spec_arg, "--format", "json"],
            1,
        );
        let report = bare.json();
        let violations = report["violations"].as_array().expect("violations").len();
        assert!(violations > 0, "{fixture}: {report}");

        let baseline_args = [
            "check",
            fixture,
            "--spec",
            spec_arg,
            "--baseline",
            baseline_arg,
        ];
        // Under `CI` the baseline may only shrink; creating it is a developer's step (`Case`
        // removes `CI`).
        let mut update = baseline_args.to_vec();
        update.push("--update-baseline");
        fissure(&update);
        fissure(&baseline_args);
    }
}

/// `--git` reads the history of the analysed folder (here this repository's, however deep the
/// clone is) and says what it used or why it left co-change out.
#[test]
fn git_reports_the_history_it_used() {
    let o = fissure(&["analyze", "fixtures/hotel", "--git", "--format", "json"]);
    assert!(o.stderr.contains("note: --git: "), "{}", o.stderr);
    let r = o.json();
    assert!(!r["domains"].as_array().expect("domains").is_empty());
}

/// Outside a git repository `--git` is a usage error naming the flag, not a silent no-op.
#[test]
fn git_outside_a_repository_is_a_usage_error() {
    Case::new()
        .crate_lib("lone", "pub struct Lone;\n")
        .args(["analyze", ".", "--git"])
        .status(2)
        .stderr_has("--git: git log failed")
        .run();
}

#[test]
fn eval_prints_the_suggestion_and_both_baselines() {
    let o = fissure(&[
        "analyze",
        "fixtures/hotel",
        "--eval",
        "fixtures/hotel/truth.yaml",
    ]);
    for label in [
        "suggestion",
        "module tree",
        "louvain on use edges",
        "MoJoFM",
        "ARI",
    ] {
        assert!(o.stdout.contains(label), "{label} in\n{}", o.stdout);
    }
}

#[test]
fn bad_options_are_usage_errors() {
    for args in [
        vec!["analyze", "fixtures/hotel", "--resolution", "-1"],
        vec!["analyze", "fixtures/hotel", "--domains", "0"],
        vec![
            "analyze",
            "fixtures/hotel",
            "--eval",
            "fixtures/hotel/missing.yaml",
        ],
        vec![
            "analyze",
            "fixtures/hotel",
            "--spec",
            "fixtures/hotel/Cargo.toml",
        ],
    ] {
        let o = fissure_status(&args, 2);
        assert!(!o.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn domains_option_changes_the_number_of_domains() {
    let count = |n: &str| {
        let r = fissure(&[
            "analyze",
            "fixtures/shop",
            "--format",
            "json",
            "--domains",
            n,
        ])
        .json();
        r["domains"].as_array().map_or(0, Vec::len)
    };
    assert!(count("3") < count("12"));
}
