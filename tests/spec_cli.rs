//! `fissure validate` and `fissure schema` as a user runs them: exit codes, output formats,
//! the default spec path.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn fissure(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fissure"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_valid_spec_exits_0() {
    let spec = fixture("fixtures/specs/good/fissure.marketplace.yaml");
    let output = fissure(
        &["validate", "--spec", spec.to_str().expect("utf-8")],
        Path::new("."),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output).ends_with("is valid: 0 errors, 0 warnings\n"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn the_spec_defaults_to_fissure_yaml_in_the_current_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("fissure.yaml"),
        "version: 1\nsystem: shop\n",
    )
    .expect("write");
    let output = fissure(&["validate"], dir.path());
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "fissure.yaml is valid: 0 errors, 0 warnings\n"
    );
}

#[test]
fn an_invalid_spec_exits_1_with_every_error_located() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("fissure.yaml"),
        "version: 1\nsystem: shop\ndomains:\n  orders: { modlues: [] }\n  billing: { depends_on: [order] }\n",
    )
    .expect("write");
    let output = fissure(&["validate"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("error[unknown-key]: unknown key `modlues` in domain `orders`"),
        "{text}"
    );
    assert!(text.contains("--> fissure.yaml:4:13"), "{text}");
    assert!(
        text.contains("error[unknown-domain]: unknown domain `order`"),
        "{text}"
    );
    assert!(text.contains("--> fissure.yaml:5:27"), "{text}");
    assert!(
        text.ends_with("fissure.yaml is invalid: 2 errors, 0 warnings\n"),
        "{text}"
    );
}

#[test]
fn warnings_alone_exit_0() {
    let spec = fixture("fixtures/specs/broken/command-like-event-name.yaml");
    let output = fissure(
        &["validate", "--spec", spec.to_str().expect("utf-8")],
        Path::new("."),
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("warning[command-like-event-name]"));
    assert!(stdout(&output).ends_with("0 errors, 7 warnings\n"));
}

#[test]
fn json_output_is_versioned_data() {
    let spec = fixture("fixtures/specs/broken/unknown-field.yaml");
    let output = fissure(
        &[
            "validate",
            "--spec",
            spec.to_str().expect("utf-8"),
            "--format",
            "json",
        ],
        Path::new("."),
    );
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(json["schema_version"], 1);
    let diagnostics = json["diagnostics"].as_array().expect("a list");
    assert_eq!(diagnostics.len(), 3);
    let first = &diagnostics[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "unknown-field");
    assert_eq!(first["line"], 9);
    assert_eq!(first["column"], 10);
    assert_eq!(first["help"], "did you mean `order_id`?");
    assert!(
        first["file"]
            .as_str()
            .expect("a path")
            .ends_with("unknown-field.yaml")
    );
    let mut keys: Vec<&str> = first
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "code", "column", "file", "help", "line", "message", "severity"
        ]
    );
}

#[test]
fn an_unreadable_spec_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = fissure(&["validate", "--spec", "missing.yaml"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error[unreadable-file]: cannot read spec `missing.yaml`"),
        "{stderr}"
    );

    let json = fissure(
        &["validate", "--spec", "missing.yaml", "--format", "json"],
        dir.path(),
    );
    assert_eq!(json.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON on stdout");
    assert_eq!(value["diagnostics"][0]["code"], "unreadable-file");

    std::fs::write(dir.path().join("latin1.yaml"), b"system: caf\xe9\n").expect("write");
    let output = fissure(&["validate", "--spec", "latin1.yaml"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not UTF-8"));
}

#[test]
fn source_checks_patterns_and_public_items_against_the_code() {
    for fixture in ["hotel", "shop"] {
        let output = fissure(
            &[
                "validate",
                "--spec",
                &format!("fixtures/{fixture}/fissure.yaml"),
                "--source",
                &format!("fixtures/{fixture}"),
            ],
            Path::new(env!("CARGO_MANIFEST_DIR")),
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{fixture}: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = std::fs::read_to_string(fixture("fixtures/hotel/fissure.yaml")).expect("spec");
    let broken = spec.replacen("hotel::users::**", "hotel::userz::**", 1);
    assert_ne!(broken, spec, "the hotel spec names hotel::users::**");
    std::fs::write(dir.path().join("fissure.yaml"), broken).expect("write");
    let hotel = fixture("fixtures/hotel");
    let output = fissure(
        &[
            "validate",
            "--source",
            hotel.to_str().expect("utf-8"),
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let codes: Vec<&str> = value["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("code"))
        .collect();
    assert!(codes.contains(&"unmatched-module-pattern"), "{codes:?}");
}

#[test]
fn source_that_is_not_a_crate_is_an_input_error() {
    let spec = fixture("fixtures/specs/good/fissure.minimal.yaml");
    let dir = tempfile::tempdir().expect("temp dir");
    let output = fissure(
        &[
            "validate",
            "--spec",
            spec.to_str().expect("utf-8"),
            "--source",
            dir.path().to_str().expect("utf-8"),
        ],
        Path::new("."),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("Cargo.toml"));
}

#[test]
fn schema_prints_a_draft_07_json_schema() {
    let output = fissure(&["schema"], Path::new("."));
    assert_eq!(output.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema, fissure::spec::schema::json_schema());
}
