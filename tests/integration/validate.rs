//! `fissure validate` and `fissure schema` as a user runs them: exit codes, output formats,
//! the default spec path, and the errors of unreadable input.

use crate::support::{Case, fixture};

/// A spec with two errors, each at its own line and column.
const TWO_ERRORS: &str = "version: 1\nsystem: shop\ndomains:\n  orders: { modlues: [] }\n  billing: { depends_on: [order] }\n";

/// `fixtures/<rel>` as an argument.
fn fixture_arg(rel: &str) -> String {
    fixture(rel).display().to_string()
}

#[test]
fn a_valid_spec_exits_0() {
    let run = Case::new()
        .args(["validate", "--spec"])
        .arg(fixture_arg("specs/good/fissure.marketplace.yaml"))
        .run();
    assert!(
        run.stdout.ends_with("is valid: 0 errors, 0 warnings\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_spec_defaults_to_fissure_yaml_in_the_current_folder() {
    Case::new()
        .spec("version: 1\nsystem: shop\n")
        .args(["validate"])
        .stdout("fissure.yaml is valid: 0 errors, 0 warnings\n")
        .run();
}

#[test]
fn an_invalid_spec_exits_1_with_every_error_located() {
    let run = Case::new()
        .spec(TWO_ERRORS)
        .args(["validate"])
        .status(1)
        .stdout_has("error[unknown-key]: unknown key `modlues` in domain `orders`")
        .stdout_has("--> fissure.yaml:4:13")
        .stdout_has("error[unknown-domain]: unknown domain `order`")
        .stdout_has("--> fissure.yaml:5:27")
        .run();
    assert!(
        run.stdout
            .ends_with("fissure.yaml is invalid: 2 errors, 0 warnings\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn warnings_alone_exit_0() {
    let run = Case::new()
        .args(["validate", "--spec"])
        .arg(fixture_arg("specs/broken/command-like-event-name.yaml"))
        .stdout_has("warning[command-like-event-name]")
        .run();
    assert!(
        run.stdout.ends_with("0 errors, 7 warnings\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn json_output_is_versioned_data() {
    let json = Case::new()
        .args(["validate", "--format", "json", "--spec"])
        .arg(fixture_arg("specs/broken/unknown-field.yaml"))
        .status(1)
        .run()
        .json();
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
    Case::new()
        .args(["validate", "--spec", "missing.yaml"])
        .status(2)
        .stderr(
            "error[unreadable-file]: cannot read spec `missing.yaml`: No such file or directory (os error 2)\n \
             |\n \
             = help: pass the spec with `--spec FILE`, or run in the folder that has fissure.yaml\n\n",
        )
        .run();
    let json = Case::new()
        .args(["validate", "--spec", "missing.yaml", "--format", "json"])
        .status(2)
        .stderr("")
        .run()
        .json();
    assert_eq!(json["diagnostics"][0]["code"], "unreadable-file");
    Case::new()
        .file("latin1.yaml", b"system: caf\xe9\n")
        .args(["validate", "--spec", "latin1.yaml"])
        .status(2)
        .stderr_has("error[unreadable-file]: cannot read spec `latin1.yaml`: it is not UTF-8 text")
        .run();
}

#[test]
fn source_checks_patterns_and_public_items_against_the_code() {
    for fixture in ["hotel", "shop"] {
        Case::in_repo()
            .args(["validate", "--spec"])
            .arg(format!("fixtures/{fixture}/fissure.yaml"))
            .args(["--source", &format!("fixtures/{fixture}")])
            .run();
    }
    let spec = std::fs::read_to_string(fixture("hotel/fissure.yaml")).expect("spec");
    let broken = spec.replacen("hotel::users::**", "hotel::userz::**", 1);
    assert_ne!(broken, spec, "the hotel spec names hotel::users::**");
    let value = Case::new()
        .spec(&broken)
        .args(["validate", "--format", "json", "--source"])
        .arg(fixture_arg("hotel"))
        .status(1)
        .run()
        .json();
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
    let case = || {
        Case::new()
            .args(["validate", "--spec"])
            .arg(fixture_arg("specs/good/fissure.minimal.yaml"))
            .args(["--source", "."])
            .status(2)
    };
    case()
        .stderr_has("error[bad-manifest]: no Cargo.toml in [ROOT]")
        .run();
    // Under --format json the failure is JSON too, on stdout.
    let json = case().arg("--format=json").stderr("").run().json();
    assert_eq!(json["diagnostics"][0]["code"], "bad-manifest");
}

#[test]
fn schema_prints_a_draft_07_json_schema() {
    let schema = Case::new().args(["schema"]).run().json();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema, fissure::spec::schema::json_schema());
}
