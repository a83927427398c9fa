//! Generates each fixture spec and runs, in the generated workspace, `cargo build` (no
//! warning), `cargo clippy --all-targets -- -D warnings`, `cargo fmt --check`, `cargo test` and
//! the demo; then adds a subscription and checks the compile error names the handler method
//! still to write. Slow (minutes): every run shares one target folder,
//! `$FISSURE_GENERATED_TARGET_DIR` or `$CARGO_TARGET_DIR/generated-ws`, and fetches what the
//! cargo cache lacks (never offline: the test must pass on a fresh machine).

use crate::support::generated::{GeneratedWorkspace, take_turn};

fn builds_lints_formats_and_passes_its_tests(fixture: &str, app: &str, upcast_tests: &[&str]) {
    let _turn = take_turn();
    let ws = GeneratedWorkspace::from_fixture(fixture);
    let build = ws.cargo_ok(&["build", "--all-targets"]);
    assert!(!build.contains("warning"), "cargo build warned:\n{build}");
    ws.cargo_ok(&["clippy", "--all-targets", "--", "-D", "warnings"]);
    ws.cargo_ok(&["fmt", "--check"]);
    let test = ws.cargo(&["test"]);
    let stdout = String::from_utf8_lossy(&test.stdout);
    assert!(
        test.status.success(),
        "cargo test failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&test.stderr)
    );
    for app_test in [
        "a_failing_handler_is_retried_then_dead_lettered ... ok",
        "a_duplicate_delivery_is_handled_once ... ok",
    ] {
        assert!(stdout.contains(app_test), "{app_test} missing:\n{stdout}");
    }
    // Every fixture runs one saga; its generated tests cover each proof the issue asks for.
    for saga_test in [
        "the_happy_path_runs_every_step_then_succeeds ... ok",
        "a_failure_of_payment_compensates_in_reverse_order ... ok",
        "a_step_without_reply_times_out_and_the_saga_fails ... ok",
        "a_duplicate_reply_changes_nothing ... ok",
        "a_restarted_engine_resumes_the_saga_from_the_store ... ok",
    ] {
        assert!(stdout.contains(saga_test), "{saga_test} missing:\n{stdout}");
    }
    // The fixture's upcast: the previous version decodes, replays from the store and reaches
    // each subscriber's handler.
    for upcast_test in upcast_tests {
        let line = format!("{upcast_test} ... ok");
        assert!(stdout.contains(&line), "{line} missing:\n{stdout}");
    }
    let demo = ws.cargo(&["run", "-q", "-p", app, "--", "demo"]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let demo_out = String::from_utf8_lossy(&demo.stdout);
    assert!(demo_out.contains("events published:"), "{demo_out}");
    // The saga ran twice: completed on the services, failed and compensated when a step's
    // service declined.
    for line in [
        "success case",
        "  => Completed",
        "failure case",
        "  compensate invoice",
        "  => Failed",
    ] {
        assert!(demo_out.contains(line), "{line:?} missing:\n{demo_out}");
    }
}

#[test]
fn the_hotel_workspace_builds_lints_formats_and_passes_its_tests() {
    builds_lints_formats_and_passes_its_tests(
        "hotel/fissure.yaml",
        "hotel_app",
        &[
            "user_profile_updated_of_version_1_decodes_into_version_2",
            "a_stored_user_profile_updated_of_version_1_replays",
            "contact_book_handles_user_profile_updated_of_version_1",
        ],
    );
}

#[test]
fn the_shop_workspace_builds_lints_formats_and_passes_its_tests() {
    // The shop's upcast is a function of the user's (`events/src/upcasts.rs`): built, linted
    // and formatted with the rest; no generated test can know what it does.
    builds_lints_formats_and_passes_its_tests("shop/fissure.yaml", "shop_app", &[]);
}

#[test]
fn a_new_subscription_is_a_compile_error_naming_the_method() {
    let _turn = take_turn();
    let ws = GeneratedWorkspace::from_fixture("hotel/fissure.yaml");
    let handlers = ws.path("services/users/src/handlers.rs");
    let mine = std::fs::read_to_string(&handlers).expect("reads") + "// my edit\n";
    std::fs::write(&handlers, &mine).expect("writes");

    let spec = std::fs::read_to_string(&ws.spec).expect("reads");
    let added = spec.replacen(
        "    depends_on: [notifications]\n    tables: [users, sessions]\n",
        "    depends_on: [notifications]\n    tables: [users, sessions]\n    subscribes:\n      - { event: PaymentCaptured, handler: note_payment }\n",
        1,
    );
    assert_ne!(
        added, spec,
        "the fixture still has the users block this test edits"
    );
    std::fs::write(&ws.spec, added).expect("writes");
    ws.regenerate();
    assert_eq!(
        std::fs::read_to_string(&handlers).expect("reads"),
        mine,
        "user file untouched"
    );
    let check = ws.cargo(&["check", "-p", "users_service"]);
    assert!(!check.status.success());
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains("missing: `note_payment`"), "{stderr}");
}
