//! `fissure diff OLD NEW`: the evolution gate, as CI runs it on a pull request.

use serde_json::Value;

use crate::support::{Case, fixture};

const OLD: &str = "\
version: 1
system: shop
domains:
  orders: {}
  billing:
    subscribes: [OrderPlaced, OrderCancelled]
  shipping:
    subscribes: [OrderPlaced]
events:
  OrderPlaced:
    from: orders
    key: order_id
    fields: { order_id: Uuid, total: Decimal, note: String }
  OrderCancelled:
    from: orders
    fields: { order_id: Uuid }
";

/// `total` retyped, `note` renamed to `comment`, an optional `coupon`: two breaking changes
/// and a compatible one, the version unchanged.
fn retyped() -> String {
    OLD.replace(
        "total: Decimal, note: String }",
        "total: i64, comment: String, coupon: Option<String> }",
    )
}

fn diff(new: &str, status: i32, extra: &[&str]) -> crate::support::Run {
    Case::new()
        .file("old.yaml", OLD)
        .spec(new)
        .args(["diff", "old.yaml"])
        .args(extra.iter().copied())
        .status(status)
        .run()
}

pub(crate) fn codes(run: &crate::support::Run) -> Vec<(String, String)> {
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
            (text(&d["code"]), text(&d["severity"]))
        })
        .collect()
}

#[test]
fn a_breaking_change_without_a_version_bump_exits_1_naming_its_subscribers() {
    let run = diff(&retyped(), 1, &[]);
    insta::assert_snapshot!("diff_breaking_human", run.stdout);
    let json = diff(&retyped(), 1, &["--format", "json"]);
    assert_eq!(
        codes(&json),
        [
            ("event-field-renamed".into(), "error".into()),
            ("event-field-type-changed".into(), "error".into()),
            ("optional-event-field-added".into(), "note".into()),
        ]
    );
}

#[test]
fn the_same_change_with_a_version_bump_passes_with_warnings() {
    let bumped = retyped().replace(
        "    from: orders\n    key: order_id",
        "    from: orders\n    version: 2\n    key: order_id",
    );
    let run = diff(&bumped, 0, &["--format", "json"]);
    assert_eq!(
        codes(&run),
        [
            ("event-field-renamed".into(), "warning".into()),
            ("event-field-type-changed".into(), "warning".into()),
            ("optional-event-field-added".into(), "note".into()),
            ("event-version-changed".into(), "note".into()),
        ]
    );
}

#[test]
fn removing_a_subscribed_event_points_at_the_old_subscriptions() {
    let removed = OLD
        .replace(
            "  OrderCancelled:\n    from: orders\n    fields: { order_id: Uuid }\n",
            "",
        )
        .replace("[OrderPlaced, OrderCancelled]", "[OrderPlaced]");
    let run = diff(&removed, 1, &[]);
    assert!(run.stdout.contains("error[subscribed-event-removed]: `OrderCancelled` was removed, but `billing` subscribed to it"), "{}", run.stdout);
    assert!(run.stdout.contains("old.yaml:14:3"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("6 |     subscribes: [OrderPlaced, OrderCancelled]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("`billing` subscribed here"),
        "{}",
        run.stdout
    );
}

#[test]
fn compatible_changes_exit_0() {
    let added = OLD.replace(
        "  OrderCancelled:\n",
        "  OrderShipped:\n    from: orders\n    fields: { order_id: Uuid }\n  OrderCancelled:\n",
    )
    .replace("    subscribes: [OrderPlaced]\n", "    subscribes: [OrderPlaced, OrderCancelled]\n");
    let run = diff(&added, 0, &["--format", "json"]);
    assert_eq!(
        codes(&run),
        [
            ("event-added".into(), "note".into()),
            ("subscriber-added".into(), "note".into()),
        ]
    );
}

#[test]
fn a_fixture_against_itself_has_no_finding() {
    for name in ["hotel", "shop"] {
        let spec = fixture(&format!("{name}/fissure.yaml"))
            .display()
            .to_string();
        Case::new()
            .args(["diff", &spec, &spec])
            .status(0)
            .stdout_has("is compatible: 0 errors, 0 warnings")
            .run();
    }
}

#[test]
fn an_unreadable_old_spec_exits_2() {
    Case::new()
        .spec(OLD)
        .args(["diff", "missing.yaml"])
        .status(2)
        .stderr_has("missing.yaml")
        .run();
}
