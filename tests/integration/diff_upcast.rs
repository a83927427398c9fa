//! `fissure diff` and an event's `upcast`: a breaking field change with a version bump and an
//! upcast that carries the old events across is handled (a note); an upcast that leaves a
//! change uncovered fails the gate (`upcast-incomplete`), since it promises old events decode.

use serde_json::Value;

use crate::support::{Case, fixture};

const OLD: &str = "\
version: 1
system: shop
domains:
  orders: {}
  billing:
    subscribes: [OrderPlaced]
events:
  OrderPlaced:
    from: orders
    key: order_id
    fields: { order_id: Uuid, total: Decimal, note: String }
";

/// Version 2: `note` renamed to `comment`, a required `currency`, and `upcast` lines.
fn version_2(upcast: &str) -> String {
    OLD.replace(
        "    key: order_id\n    fields: { order_id: Uuid, total: Decimal, note: String }\n",
        &format!(
            "    version: 2\n    key: order_id\n    fields: {{ order_id: Uuid, total: Decimal, comment: String, currency: String }}\n{upcast}"
        ),
    )
}

/// `(code, severity, message)` of each finding of `diff old.yaml` against `new`.
fn findings(new: &str, status: i32) -> Vec<(String, String, String)> {
    let run = Case::new()
        .file("old.yaml", OLD)
        .spec(new)
        .args(["diff", "old.yaml", "--format", "json"])
        .status(status)
        .run();
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let messages = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["message"].as_str().unwrap_or_default().to_owned());
    crate::diff::codes(&run)
        .into_iter()
        .zip(messages)
        .map(|((code, severity), message)| (code, severity, message))
        .collect()
}

#[test]
fn an_upcast_covering_the_rename_and_the_new_field_turns_them_into_notes() {
    let new = version_2(
        "    upcast:\n      renamed: { note: comment }\n      defaults: { currency: EUR }\n",
    );
    let codes: Vec<(String, String)> = findings(&new, 0)
        .into_iter()
        .map(|(code, severity, _)| (code, severity))
        .collect();
    assert_eq!(
        codes,
        [
            ("event-field-renamed".into(), "note".into()),
            ("required-event-field-added".into(), "note".into()),
            ("event-version-changed".into(), "note".into()),
        ]
    );
    Case::new()
        .file("old.yaml", OLD)
        .spec(&new)
        .args(["diff", "old.yaml"])
        .status(0)
        .stdout_has("covered by the upcast")
        .stdout_has("the `upcast` of `OrderPlaced` turns version 1 events, stored or in flight, into the new version")
        .stdout_has("is compatible: 0 errors, 0 warnings")
        .run();
}

#[test]
fn an_upcast_that_misses_a_change_fails_the_gate_at_the_field() {
    // The rename is declared, the new required field has no default.
    let new = version_2("    upcast:\n      renamed: { note: comment }\n");
    let found = findings(&new, 1);
    let incomplete: Vec<&(String, String, String)> = found
        .iter()
        .filter(|(code, _, _)| code == "upcast-incomplete")
        .collect();
    assert_eq!(incomplete.len(), 1, "{found:?}");
    assert_eq!(incomplete[0].1, "error");
    assert_eq!(
        incomplete[0].2,
        "`OrderPlaced.currency` is required, but events of version 1 lack it and the upcast gives it no value"
    );
    // Without full cover, the field changes stay what a bump makes them: warnings.
    assert!(found.contains(&(
        "required-event-field-added".into(),
        "warning".into(),
        "`OrderPlaced.currency` was added as required (`String`); breaks `billing`".into()
    )));
    Case::new()
        .file("old.yaml", OLD)
        .spec(&new)
        .args(["diff", "old.yaml"])
        .status(1)
        .stdout_has("error[upcast-incomplete]")
        .stdout_has("fissure.yaml:12:")
        .stdout_has("add `currency: <value>` under `upcast.defaults`")
        .run();
}

#[test]
fn a_retyped_field_or_a_skipped_version_is_not_covered_by_renames_and_defaults() {
    let retyped = version_2(
        "    upcast:\n      renamed: { note: comment }\n      defaults: { currency: EUR }\n",
    )
    .replace("total: Decimal, comment", "total: i64, comment");
    let found = findings(&retyped, 1);
    assert!(
        found.iter().any(|(code, _, message)| code == "upcast-incomplete"
            && message == "`OrderPlaced.total` is `Decimal` in version 1 and `i64` in version 2: the upcast cannot convert it"),
        "{found:?}"
    );
    let skipped = version_2(
        "    upcast:\n      renamed: { note: comment }\n      defaults: { currency: EUR }\n",
    )
    .replace("version: 2", "version: 3");
    let found = findings(&skipped, 1);
    assert!(
        found.iter().any(|(code, _, message)| code == "upcast-incomplete"
            && message == "the upcast of `OrderPlaced` reads version 2, but the old spec is at version 1"),
        "{found:?}"
    );
    // A function upcast is the user's code: it covers what it is written to cover.
    let function =
        version_2("    upcast: { function: true }\n").replace("version: 2", "version: 3");
    let found = findings(&function, 0);
    assert!(
        found
            .iter()
            .all(|(code, severity, _)| code != "upcast-incomplete" && severity == "note"),
        "{found:?}"
    );
}

#[test]
fn the_hotel_fixture_before_its_upcast_and_after_passes_the_gate() {
    let path = fixture("hotel/fissure.yaml");
    let new = std::fs::read_to_string(&path).expect("reads");
    let upcast_at = new
        .find("    # Version 2 named the opt-in")
        .expect("the fixture's upcast");
    let last_line = "      defaults: { language: en }\n";
    let upcast_end =
        upcast_at + new[upcast_at..].find(last_line).expect("its last line") + last_line.len();
    let old = format!("{}{}", &new[..upcast_at], &new[upcast_end..])
        .replace(
            "newsletter_opt_in: bool, language: String }",
            "marketing_opt_in: bool }",
        )
        .replace(
            "  UserProfileUpdated:\n    from: users\n    version: 2",
            "  UserProfileUpdated:\n    from: users\n    version: 1",
        );
    assert!(!old.contains("upcast"), "{old}");
    let run = Case::new()
        .file("old.yaml", &old)
        .spec(&new)
        .args(["diff", "old.yaml"])
        .status(0)
        .stdout_has("is compatible: 0 errors, 0 warnings")
        .run();
    assert!(
        run.stdout
            .contains("`UserProfileUpdated.marketing_opt_in` was renamed to `newsletter_opt_in`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("`UserProfileUpdated.language` was added as required"),
        "{}",
        run.stdout
    );
}
