//! `fissure export asyncapi`: the AsyncAPI 3.0 document of the fixtures' specs on every
//! broker, stable, accepted by the AsyncAPI project's own parser, with the runtime's names.

use std::io::Write as _;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::{Case, fixture};

const BUSES: [&str; 3] = ["nats", "rabbitmq", "kafka"];

fn export(fixture_name: &str, bus: &str) -> String {
    let spec = fixture(&format!("{fixture_name}/fissure.yaml"));
    Case::new()
        .args(["export", "asyncapi", "--bus", bus, "--spec"])
        .arg(spec.display().to_string())
        .status(0)
        .run()
        .stdout
}

#[test]
fn asyncapi_exports_of_the_fixtures_are_stable() {
    for fixture_name in ["hotel", "shop"] {
        for bus in BUSES {
            let text = export(fixture_name, bus);
            assert_eq!(text, export(fixture_name, bus), "{fixture_name} on {bus}");
            insta::assert_snapshot!(format!("asyncapi_{fixture_name}_{bus}"), text);
        }
    }
}

/// The addresses a generated `hotel` service really uses, from the runtime's `naming`:
/// the system once in a queue or group name.
#[test]
fn channels_and_groups_carry_the_runtime_names() {
    let rabbit: Value = serde_json::from_str(&export("hotel", "rabbitmq")).unwrap();
    assert_eq!(
        rabbit["channels"]["hotel_billing"]["address"],
        "hotel.billing"
    );
    assert_eq!(
        rabbit["channels"]["UserRegistered"]["address"],
        "hotel.users.UserRegistered.v1"
    );
    let kafka: Value = serde_json::from_str(&export("hotel", "kafka")).unwrap();
    let group = &kafka["operations"]["billing_receives_ReservationRequested"]["bindings"]["kafka"]
        ["groupId"]["enum"][0];
    assert_eq!(group, "hotel.billing");
    assert_eq!(kafka["channels"]["hotel_users"]["address"], "hotel.users");
    for bus in BUSES {
        let text = export("hotel", bus);
        assert!(!text.contains("hotel.hotel"), "{bus}: a doubled system");
    }
}

/// A description with YAML and JSON special characters comes back as written.
#[test]
fn descriptions_with_special_characters_survive_the_round_trip() {
    let tricky = r#"Quotes " and ', colon: hash # braces {a: [b]} & *star ! | > % @ ` back\slash"#;
    let spec = format!(
        "version: 1\nsystem: shop\ndomains:\n  orders:\n    description: '{}'\n  billing:\n    subscribes: [OrderPlaced]\nevents:\n  OrderPlaced:\n    from: orders\n    description: \"line one\\nline two: \\\"quoted\\\" \\t tab\"\n    fields: {{ id: Uuid }}\n",
        tricky.replace('\'', "''")
    );
    let run = Case::new()
        .spec(&spec)
        .args(["export", "asyncapi"])
        .status(0)
        .run();
    let doc: Value = serde_json::from_str(&run.stdout).expect("the export is JSON");
    assert_eq!(doc["info"]["tags"][1]["description"], tricky);
    assert_eq!(
        doc["components"]["messages"]["OrderPlaced"]["description"],
        "line one\nline two: \"quoted\" \t tab"
    );
}

#[test]
fn an_invalid_spec_is_refused_with_its_errors() {
    Case::new()
        .spec("version: 1\nsystem: shop\ndomains:\n  billing: { depends_on: [order] }\n")
        .args(["export", "asyncapi"])
        .status(2)
        .stderr_has("fissure.yaml:4")
        .run();
}

/// The folder holding `@asyncapi/parser` for node (NODE_PATH, as .ci/run sets it).
fn parser_available() -> bool {
    Command::new("node")
        .args(["-e", "require.resolve('@asyncapi/parser')"])
        .status()
        .is_ok_and(|s| s.success())
}

/// The parser's diagnostics of `document`: (severity, code, message, path).
fn parser_diagnostics(document: &Path) -> Vec<(String, String, String, String)> {
    let script = crate::support::repo().join("tests/asyncapi_validate.js");
    let out = Command::new("node")
        .arg(script)
        .arg(document)
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "the validator failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| {
            let d: Value = serde_json::from_str(line).expect("a JSON line");
            (
                text(&d["severity"]),
                text(&d["code"]),
                text(&d["message"]),
                text(&d["path"]),
            )
        })
        .collect()
}

#[test]
fn asyncapi_exports_pass_the_asyncapi_parser() {
    if !parser_available() {
        assert!(
            std::env::var_os("FISSURE_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "FISSURE_REQUIRE_TOOLS=1 but node cannot load `@asyncapi/parser` (set NODE_PATH)"
        );
        let _ = writeln!(
            std::io::stderr(),
            "skipped: node cannot load `@asyncapi/parser`; `npm install @asyncapi/parser@3.6.6` \
             and set NODE_PATH to run this test"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for fixture_name in ["hotel", "shop"] {
        for bus in BUSES {
            let file = dir.path().join(format!("{fixture_name}-{bus}.json"));
            std::fs::write(&file, export(fixture_name, bus)).unwrap();
            // The one remark allowed: the parser knows a newer AsyncAPI version (3.1.0) than
            // the 3.0.0 the document declares, an information, not a problem.
            let remarks: Vec<_> = parser_diagnostics(&file)
                .into_iter()
                .filter(|(_, code, _, _)| code != "asyncapi-latest-version")
                .collect();
            assert!(remarks.is_empty(), "{fixture_name} on {bus}: {remarks:#?}");
        }
    }
}
