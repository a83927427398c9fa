//! The JSON Schema printed by `fissure schema`: draft-07, the same keys the loader accepts,
//! and every real spec of the repository validates against it (fixtures are globbed, so specs
//! added later are covered too).

use std::path::{Path, PathBuf};

use crate::spec::raw::keys;
use crate::spec::{load, schema::json_schema};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// `fixtures/**/fissure*.yaml` plus every spec in `fixtures/specs/good/`.
fn good_specs() -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![root().join("fixtures")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if name != "broken" && name != "target" {
                    stack.push(path);
                }
            } else if name.ends_with(".yaml")
                && (name.starts_with("fissure")
                    || path.parent().is_some_and(|p| p.ends_with("specs/good")))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn yaml_to_json(text: &str) -> Value {
    serde_saphyr::from_str(text).expect("a good spec is valid YAML")
}

#[test]
fn the_schema_is_draft_07() {
    let schema = json_schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["title"], "fissure.yaml");
    assert_eq!(schema["required"], serde_json::json!(["version", "system"]));
    jsonschema::draft7::new(&schema).expect("the schema itself is a valid draft-07 schema");
}

#[test]
fn the_decoder_accepts_exactly_the_keys_of_the_schema() {
    let schema = json_schema();
    let properties = |object: &Value| -> Vec<String> {
        let mut keys: Vec<String> = object["properties"]
            .as_object()
            .expect("an object schema")
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    };
    let sorted = |list: &[&str]| -> Vec<String> {
        let mut keys: Vec<String> = list.iter().map(|k| (*k).to_string()).collect();
        keys.sort();
        keys
    };
    let definitions = &schema["definitions"];
    assert_eq!(properties(&schema), sorted(keys::SPEC));
    for (definition, accepted) in [
        ("Domain", keys::DOMAIN),
        ("SubscriptionDetail", keys::SUBSCRIPTION),
        ("Command", keys::COMMAND),
        ("Event", keys::EVENT),
        ("Upcast", keys::UPCAST),
        ("ValueType", keys::VALUE_TYPE),
        ("FieldDetail", keys::FIELD),
        ("Saga", keys::SAGA),
        ("SagaStep", keys::STEP),
        ("LintDetail", keys::LINT),
        ("LintException", keys::EXCEPTION),
    ] {
        assert_eq!(
            properties(&definitions[definition]),
            sorted(accepted),
            "{definition}"
        );
        assert_eq!(
            definitions[definition]["additionalProperties"], false,
            "{definition}"
        );
    }
}

#[test]
fn every_good_spec_loads_cleanly_and_validates_against_the_schema() {
    let schema = json_schema();
    let validator = jsonschema::draft7::new(&schema).expect("valid schema");
    let specs = good_specs();
    assert!(
        specs
            .iter()
            .filter(|p| p.parent().is_some_and(|d| d.ends_with("specs/good")))
            .count()
            >= 3,
        "expected the good specs of fixtures/specs/good, found {specs:?}"
    );
    for path in specs {
        let text = std::fs::read_to_string(&path).expect("readable spec");
        let display = path
            .strip_prefix(root())
            .unwrap_or(&path)
            .display()
            .to_string();
        let (spec, diagnostics) = load(&display, &text);
        let errors: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.severity == crate::diagnostics::Severity::Error)
            .map(|d| format!("{}: {} ({:?})", d.code, d.message, d.location))
            .collect();
        assert!(spec.is_some(), "{display} does not load: {errors:#?}");
        let instance = yaml_to_json(&text);
        let schema_errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| e.to_string())
            .collect();
        assert!(
            schema_errors.is_empty(),
            "{display} fails the schema: {schema_errors:#?}"
        );
    }
}

#[test]
fn the_schema_rejects_unknown_keys_and_wrong_kinds() {
    let schema = json_schema();
    let validator = jsonschema::draft7::new(&schema).expect("valid schema");
    for yaml in [
        "version: 1\nsystem: s\ndomains: { orders: { modlues: [] } }\n",
        "version: 1\nsystem: s\nunassigned: warning\n",
        "version: 1\nsystem: s\nevents: { E: { from: d, fields: { a: { type: u32, optinal: true } } } }\n",
        "version: 1\nsystem: s\nsagas: { x: { owner: d, starts_on: E, correlate_by: id, steps: [{ name: a, compensat: d.C }] } }\n",
        "system: s\n",
        "version: 0\nsystem: s\n",
    ] {
        assert!(
            !validator.is_valid(&yaml_to_json(yaml)),
            "schema accepted {yaml}"
        );
    }
}
