//! Generates each fixture spec into a temporary folder and runs, in the generated workspace,
//! `cargo build` (no warning), `cargo clippy --all-targets -- -D warnings`, `cargo fmt
//! --check` and `cargo test`; then adds a subscription and checks the compile error names the
//! handler method still to write. Slow (minutes): every run shares one target folder,
//! `$FISSURE_GENERATED_TARGET_DIR` or `$CARGO_TARGET_DIR/generated-ws`.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{generated_target_dir as target_dir, take_turn};

fn generate(spec: &Path, out: &Path) {
    let result = Command::new(env!("CARGO_BIN_EXE_fissure"))
        .args(["generate", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()
        .expect("fissure runs");
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

fn cargo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = cargo(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "cargo {args:?} failed:\n{stderr}\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    stderr
}

fn builds_lints_formats_and_passes_its_tests(fixture: &str) {
    let _turn = take_turn();
    let dir = tempfile::tempdir().expect("temp dir");
    generate(Path::new(fixture), dir.path());
    let build = ok(dir.path(), &["build", "--offline", "--all-targets"]);
    assert!(!build.contains("warning"), "cargo build warned:\n{build}");
    ok(
        dir.path(),
        &[
            "clippy",
            "--offline",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    );
    ok(dir.path(), &["fmt", "--check"]);
    let test = cargo(dir.path(), &["test", "--offline"]);
    let stdout = String::from_utf8_lossy(&test.stdout);
    assert!(
        test.status.success(),
        "cargo test failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&test.stderr)
    );
    assert!(
        stdout.contains("a_failing_handler_is_retried_then_dead_lettered ... ok"),
        "{stdout}"
    );
    assert!(
        stdout.contains("a_duplicate_delivery_is_handled_once ... ok"),
        "{stdout}"
    );
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
    let demo = cargo(
        dir.path(),
        &[
            "run",
            "--offline",
            "-q",
            "-p",
            &app_package(fixture),
            "--",
            "demo",
        ],
    );
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let demo_out = String::from_utf8_lossy(&demo.stdout);
    assert!(demo_out.contains("events published:"), "{demo_out}");
    // The saga ran twice: completed on the services, failed and compensated when a step's
    // service declined.
    assert!(demo_out.contains("success case"), "{demo_out}");
    assert!(demo_out.contains("  => Completed"), "{demo_out}");
    assert!(demo_out.contains("failure case"), "{demo_out}");
    assert!(demo_out.contains("  compensate invoice"), "{demo_out}");
    assert!(demo_out.contains("  => Failed"), "{demo_out}");
}

fn app_package(fixture: &str) -> String {
    let system = if fixture.contains("hotel") {
        "hotel"
    } else {
        "shop"
    };
    format!("{system}_app")
}

#[test]
fn the_hotel_workspace_builds_lints_formats_and_passes_its_tests() {
    builds_lints_formats_and_passes_its_tests("fixtures/hotel/fissure.yaml");
}

#[test]
fn the_shop_workspace_builds_lints_formats_and_passes_its_tests() {
    builds_lints_formats_and_passes_its_tests("fixtures/shop/fissure.yaml");
}

#[test]
fn a_new_subscription_is_a_compile_error_naming_the_method() {
    let _turn = take_turn();
    let dir = tempfile::tempdir().expect("temp dir");
    let spec_path = dir.path().join("fissure.yaml");
    let spec = std::fs::read_to_string("fixtures/hotel/fissure.yaml").expect("reads");
    std::fs::write(&spec_path, &spec).expect("writes");
    let out = dir.path().join("ws");
    generate(&spec_path, &out);
    let handlers = out.join("services/users/src/handlers.rs");
    let mine = std::fs::read_to_string(&handlers).expect("reads") + "// my edit\n";
    std::fs::write(&handlers, &mine).expect("writes");

    let added = spec.replacen(
        "    depends_on: [notifications]\n    tables: [users, sessions]\n",
        "    depends_on: [notifications]\n    tables: [users, sessions]\n    subscribes:\n      - { event: PaymentCaptured, handler: note_payment }\n",
        1,
    );
    assert_ne!(
        added, spec,
        "the fixture still has the users block this test edits"
    );
    std::fs::write(&spec_path, added).expect("writes");
    generate(&spec_path, &out);
    assert_eq!(
        std::fs::read_to_string(&handlers).expect("reads"),
        mine,
        "user file untouched"
    );
    let check = cargo(&out, &["check", "--offline", "-p", "users_service"]);
    assert!(!check.status.success());
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains("missing: `note_payment`"), "{stderr}");
}
