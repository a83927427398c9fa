//! Publish rights in code: `fissure check` on a generated workspace finds an event built
//! outside its owner's domain (`foreign-event-constructed`) and an event read by a domain
//! that does not subscribe to it (`undeclared-subscription`), at file:line.

use std::path::Path;

use crate::support::{Case, fixture};

fn hotel() -> String {
    fixture("hotel/fissure.yaml").display().to_string()
}

/// A generated hotel workspace in `dir/ws`.
fn generated(dir: &Path) {
    Case::in_folder(dir)
        .args(["generate", "--spec", &hotel(), "--out", "ws"])
        .status(0)
        .run();
}

fn check(dir: &Path) -> crate::support::Run {
    Case::in_folder(dir)
        .args(["check", "ws", "--spec", &hotel(), "--format", "json"])
        .run()
}

fn codes(run: &crate::support::Run) -> Vec<String> {
    let report = run.json();
    let mut codes: Vec<String> = report["violations"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|d| d["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn the_generated_workspace_respects_its_spec() {
    let dir = tempfile::tempdir().unwrap();
    generated(dir.path());
    let run = check(dir.path());
    let found = codes(&run);
    assert!(
        !found
            .iter()
            .any(|c| c == "foreign-event-constructed" || c == "undeclared-subscription"),
        "{found:?}\n{}",
        run.stdout
    );
}

#[test]
fn an_event_built_or_read_outside_the_spec_is_a_finding_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    generated(dir.path());
    let handlers = dir.path().join("ws/services/billing/src/handlers.rs");
    let mut text = std::fs::read_to_string(&handlers).unwrap();
    let line = text.lines().count() + 2;
    text.push_str(
        "\n/// Billing publishing a users event, and peeking at one it does not subscribe to.\n\
         pub fn sneaky(e: &events::GuestCheckedIn) -> events::UserRegistered {\n    \
         let _ = e;\n    events::UserRegistered { ..events::UserRegistered::example() }\n}\n",
    );
    std::fs::write(&handlers, text).unwrap();
    let run = Case::in_folder(dir.path())
        .args(["check", "ws", "--spec", &hotel()])
        .status(1)
        .run();
    let built = format!("services/billing/src/handlers.rs:{}:5", line + 3);
    let read = format!("services/billing/src/handlers.rs:{}:19", line + 1);
    assert!(
        run.stdout.contains("error[foreign-event-constructed]: `billing` builds `UserRegistered`, an event only `users` publishes"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(&built), "{built}\n{}", run.stdout);
    assert!(
        run.stdout.contains("error[undeclared-subscription]: `billing` reads `GuestCheckedIn`, but the spec does not subscribe it"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(&read), "{read}\n{}", run.stdout);
    assert!(
        !run.stdout.contains("reads `UserRegistered`"),
        "building it is the finding, not reading it: {}",
        run.stdout
    );
}
