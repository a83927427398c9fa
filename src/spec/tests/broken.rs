//! One broken spec per rule under `fixtures/specs/broken/`, named after the diagnostic code
//! it demonstrates (`<code>.yaml` or `<code>--<variant>.yaml`). Each one's rendered
//! diagnostics are snapshotted; the test also asserts that the named code is reported, so a
//! snapshot can never silently stop showing its rule.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Severity};
use crate::report::diagnostic::{Source, render_human, render_json};
use crate::spec;

fn broken_specs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/specs/broken");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/specs/broken exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn code_named(stem: &str) -> Code {
    let code = stem.split("--").next().unwrap_or(stem);
    *Code::ALL
        .iter()
        .find(|c| c.as_str() == code)
        .unwrap_or_else(|| panic!("`{stem}.yaml` is not named after a diagnostic code"))
}

#[test]
fn every_broken_spec_reports_its_rule_and_matches_its_snapshot() {
    let files = broken_specs();
    assert!(
        files.len() >= 20,
        "expected a broken spec per rule, found {}",
        files.len()
    );
    for path in files {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("utf-8 name")
            .to_string();
        let display = format!("fixtures/specs/broken/{stem}.yaml");
        let text = std::fs::read_to_string(&path).expect("readable fixture");
        let (spec, diagnostics) = spec::load(&display, &text);
        let code = code_named(&stem);
        assert!(
            diagnostics.iter().any(|d| d.code == code),
            "{stem}: expected `{code}` among {diagnostics:#?}"
        );
        for diagnostic in &diagnostics {
            let location = diagnostic
                .location
                .as_ref()
                .expect("every spec diagnostic has a location");
            assert!(
                location.line >= 1 && location.column >= 1,
                "{stem}: {diagnostic:?}"
            );
        }
        let has_error = diagnostics.iter().any(|d| d.severity == Severity::Error);
        assert_eq!(
            spec.is_none(),
            has_error,
            "{stem}: a spec is returned exactly when there is no error"
        );
        let rendered = render_human(
            &diagnostics,
            &[Source {
                path: Path::new(&display),
                text: &text,
            }],
            false,
        );
        insta::assert_snapshot!(format!("broken__{stem}"), rendered);
    }
}

#[test]
fn warnings_alone_leave_the_spec_valid() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/specs/broken/command-like-event-name.yaml"),
    )
    .expect("fixture");
    let (spec, diagnostics) = spec::load("f.yaml", &text);
    assert!(spec.is_some());
    assert_eq!(diagnostics.len(), 7);
    assert!(diagnostics.iter().all(|d| d.severity == Severity::Warning));
}

#[test]
fn one_bad_domain_does_not_hide_the_others() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/specs/broken/unknown-key.yaml"),
    )
    .expect("fixture");
    let (_, diagnostics) = spec::load("f.yaml", &text);
    let codes: Vec<(&str, u32)> = diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.location.as_ref().map_or(0, |l| l.line)))
        .collect();
    assert_eq!(
        codes,
        [
            ("unknown-key", 4),
            ("unknown-key", 7),
            ("unknown-key", 8),
            ("unknown-domain", 11),
            ("unknown-field", 15),
            ("unknown-key", 16),
        ]
    );
}

#[test]
fn json_rendering_carries_positions_and_help() {
    let (_, diagnostics) = spec::load(
        "fissure.yaml",
        "version: 1\nsystem: shop\ndomains:\n  orders:\n    modlues: []\n",
    );
    let json: serde_json::Value =
        serde_json::from_str(&render_json(&diagnostics)).expect("valid JSON");
    insta::assert_json_snapshot!("json_unknown_key", json);
    assert_eq!(json["diagnostics"][0]["line"], 5);
}
