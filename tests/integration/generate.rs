//! `fissure generate` on the disk: drift under `--check`, `--dry-run` writing nothing, user
//! files surviving regeneration, paths and symlinks that leave `--out`, an invalid spec.

use std::path::Path;

use crate::support::{Case, fixture};

fn hotel() -> String {
    fixture("hotel/fissure.yaml").display().to_string()
}

/// `fissure generate --spec <hotel> --out ws EXTRA..` run in `folder`.
fn generate(folder: &Path, extra: &[&str]) -> Case {
    Case::in_folder(folder)
        .args(["generate", "--spec", &hotel(), "--out", "ws"])
        .args(extra.iter().copied())
}

#[test]
fn check_reports_drift_then_passes_after_generating() {
    let dir = tempfile::tempdir().expect("temp dir");
    generate(dir.path(), &["--check"])
        .status(1)
        .stdout_has("\nevents/src/generated.rs\n")
        .stdout_lacks("handlers.rs")
        .run();
    generate(dir.path(), &[]).run();
    generate(dir.path(), &["--check"])
        .stdout("")
        .stderr_has("ws is up to date")
        .run();

    let generated = dir.path().join("ws/services/billing/src/generated.rs");
    std::fs::write(&generated, "// edited by hand\n").expect("edit");
    generate(dir.path(), &["--check"])
        .status(1)
        .stdout("services/billing/src/generated.rs\n")
        .run();
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    generate(dir.path(), &[]).run();
    let generated = dir.path().join("ws/events/src/generated.rs");
    let original = std::fs::read_to_string(&generated).expect("reads");
    let edited = original.replace("pub const SYSTEM", "pub const SYSTEM_OLD");
    std::fs::write(&generated, &edited).expect("edit");
    generate(dir.path(), &["--dry-run"])
        .stdout_has("--- a/events/src/generated.rs")
        .stdout_has("-pub const SYSTEM_OLD")
        .stdout_has("+pub const SYSTEM: &str")
        .run();
    assert_eq!(
        std::fs::read_to_string(&generated).expect("reads"),
        edited,
        "a dry run writes nothing"
    );
}

#[test]
fn user_files_survive_regeneration_and_generated_files_are_restored() {
    let dir = tempfile::tempdir().expect("temp dir");
    generate(dir.path(), &[]).run();
    let handlers = dir.path().join("ws/services/reservations/src/handlers.rs");
    let mine = "// my handlers\n";
    std::fs::write(&handlers, mine).expect("edit");
    let generated = dir.path().join("ws/app/src/generated.rs");
    let original = std::fs::read_to_string(&generated).expect("reads");
    std::fs::write(&generated, "// clobbered\n").expect("edit");

    generate(dir.path(), &[])
        .stderr_has("of your files left as they are")
        .run();
    assert_eq!(std::fs::read_to_string(&handlers).expect("reads"), mine);
    assert_eq!(
        std::fs::read_to_string(&generated).expect("reads"),
        original
    );
    let leftovers: Vec<_> = walkdir::WalkDir::new(dir.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("fissure-tmp"))
        .map(|e| e.path().display().to_string())
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary files left: {leftovers:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_pointing_out_of_out_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("ws")).expect("mkdir");
    std::os::unix::fs::symlink(outside.path(), dir.path().join("ws/events")).expect("symlink");
    generate(dir.path(), &[])
        .status(2)
        .stderr_has("refusing to write `events/")
        .run();
    assert!(
        std::fs::read_dir(outside.path())
            .expect("lists")
            .next()
            .is_none(),
        "nothing written outside"
    );
}

#[test]
fn an_invalid_spec_exits_2_with_its_location() {
    let run = Case::new()
        .spec("version: 1\nsystem: s\ndomains:\n  type:\n    description: x\n")
        .args(["generate", "--spec", "fissure.yaml", "--out", "ws"])
        .status(2)
        .stderr_has("fissure.yaml:4:")
        .run();
    assert!(!run.root().join("ws").exists(), "nothing written");
}
