//! `fissure analyze` with the domain suggestion: the JSON fields, `--emit-spec` and its
//! refusal to overwrite, `--eval`, and bad options.

use std::path::PathBuf;
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fissure"));
    c.args(args).current_dir(repo());
    c
}

fn fissure(args: &[&str]) -> Output {
    command(args).output().expect("run fissure")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fissure-suggest-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn json_has_domains_crossings_and_event_candidates() {
    let o = fissure(&["analyze", "fixtures/hotel", "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
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
    let dir = temp_dir("emit");
    let out = dir.join("fissure.yaml");
    let out_arg = out.to_str().expect("utf-8 path");
    let o = fissure(&["analyze", "fixtures/shop", "--emit-spec", out_arg]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let first = std::fs::read_to_string(&out).expect("written");
    let v = fissure(&["validate", "--spec", out_arg]);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));

    std::fs::write(&out, "keep me").expect("write");
    let o = fissure(&["analyze", "fixtures/shop", "--emit-spec", out_arg]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).expect("kept"), "keep me");

    let o = fissure(&[
        "analyze",
        "fixtures/shop",
        "--emit-spec",
        out_arg,
        "--force",
    ]);
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(&out).expect("rewritten"), first);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The contract for a draft spec: it validates, and `check` against the code it came
/// from passes once a baseline holds what the suggestion left crossing its boundaries.
#[test]
fn an_emitted_spec_checks_clean_with_a_generated_baseline() {
    for fixture in ["fixtures/hotel", "fixtures/shop"] {
        let dir = temp_dir(&fixture.replace('/', "-"));
        let spec = dir.join("fissure.yaml");
        let baseline = dir.join("baseline.json");
        let (spec_arg, baseline_arg) = (spec.to_str().unwrap(), baseline.to_str().unwrap());
        let o = fissure(&["analyze", fixture, "--emit-spec", spec_arg]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

        let bare = fissure(&["check", fixture, "--spec", spec_arg, "--format", "json"]);
        let report: serde_json::Value = serde_json::from_slice(&bare.stdout).expect("JSON");
        let violations = report["violations"].as_array().expect("violations").len();
        // A draft split of a monolith has crossings; without a baseline they fail the check.
        assert!(violations > 0, "{fixture}: {report}");
        assert_eq!(bare.status.code(), Some(1), "{fixture}");

        let baseline_args = [
            "check",
            fixture,
            "--spec",
            spec_arg,
            "--baseline",
            baseline_arg,
        ];
        // Under `CI` the baseline may only shrink; creating it is a developer's step.
        let update = command(&baseline_args)
            .arg("--update-baseline")
            .env_remove("CI")
            .output()
            .expect("run fissure");
        assert!(
            update.status.success(),
            "{fixture}: {}",
            String::from_utf8_lossy(&update.stderr)
        );
        let checked = fissure(&baseline_args);
        assert_eq!(
            checked.status.code(),
            Some(0),
            "{fixture}: {}",
            String::from_utf8_lossy(&checked.stdout)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// `--git` reads the history of the analysed folder (here this repository's, however deep the
/// clone is) and says what it used or why it left co-change out.
#[test]
fn git_reports_the_history_it_used() {
    let o = fissure(&["analyze", "fixtures/hotel", "--git", "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("note: --git: "), "{stderr}");
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert!(!r["domains"].as_array().expect("domains").is_empty());
}

/// Outside a git repository `--git` is a usage error naming the flag, not a silent no-op.
#[test]
fn git_outside_a_repository_is_a_usage_error() {
    let dir = temp_dir("nogit");
    std::fs::create_dir_all(dir.join("src")).expect("src");
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"lone\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    )
    .expect("manifest");
    std::fs::write(dir.join("src/lib.rs"), "pub struct Lone;\n").expect("lib");
    let o = fissure(&["analyze", dir.to_str().expect("utf-8"), "--git"]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("--git: git log failed"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn eval_prints_the_suggestion_and_both_baselines() {
    let o = fissure(&[
        "analyze",
        "fixtures/hotel",
        "--eval",
        "fixtures/hotel/truth.yaml",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    for label in [
        "suggestion",
        "module tree",
        "louvain on use edges",
        "MoJoFM",
        "ARI",
    ] {
        assert!(text.contains(label), "{label} in\n{text}");
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
        let o = fissure(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(!o.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn domains_option_changes_the_number_of_domains() {
    let count = |n: &str| {
        let o = fissure(&[
            "analyze",
            "fixtures/shop",
            "--format",
            "json",
            "--domains",
            n,
        ]);
        assert!(o.status.success());
        let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
        r["domains"].as_array().map_or(0, Vec::len)
    };
    assert!(count("3") < count("12"));
}
