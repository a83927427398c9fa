//! `fissure generate` end to end on the disk: drift under `--check`, `--dry-run` writing
//! nothing, user files surviving regeneration, paths and symlinks that leave `--out`.

use std::path::Path;
use std::process::{Command, Output};

fn fissure(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fissure"))
        .args(args)
        .output()
        .expect("fissure runs")
}

fn generate(spec: &str, out: &Path, extra: &[&str]) -> Output {
    let out = out.to_str().expect("utf-8 temp path");
    let mut args = vec!["generate", "--spec", spec, "--out", out];
    args.extend_from_slice(extra);
    fissure(&args)
}

const HOTEL: &str = "fixtures/hotel/fissure.yaml";

#[test]
fn check_reports_drift_then_passes_after_generating() {
    let dir = tempfile::tempdir().expect("temp dir");
    let before = generate(HOTEL, dir.path(), &["--check"]);
    assert_eq!(before.status.code(), Some(1));
    let listed = String::from_utf8_lossy(&before.stdout);
    assert!(
        listed.lines().any(|l| l == "events/src/generated.rs"),
        "{listed}"
    );
    assert!(
        !listed.contains("handlers.rs"),
        "user files are not drift: {listed}"
    );

    assert_eq!(generate(HOTEL, dir.path(), &[]).status.code(), Some(0));
    let after = generate(HOTEL, dir.path(), &["--check"]);
    assert_eq!(
        after.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&after.stderr)
    );
    assert!(after.stdout.is_empty());

    let generated = dir.path().join("services/billing/src/generated.rs");
    std::fs::write(&generated, "// edited by hand\n").expect("edit");
    let drift = generate(HOTEL, dir.path(), &["--check"]);
    assert_eq!(drift.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&drift.stdout).trim(),
        "services/billing/src/generated.rs"
    );
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(generate(HOTEL, dir.path(), &[]).status.code(), Some(0));
    let generated = dir.path().join("events/src/generated.rs");
    let original = std::fs::read_to_string(&generated).expect("reads");
    std::fs::write(
        &generated,
        original.replace("pub const SYSTEM", "pub const SYSTEM_OLD"),
    )
    .expect("edit");
    let out = generate(HOTEL, dir.path(), &["--dry-run"]);
    assert_eq!(out.status.code(), Some(0));
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(diff.contains("--- a/events/src/generated.rs"), "{diff}");
    assert!(diff.contains("-pub const SYSTEM_OLD"), "{diff}");
    assert!(diff.contains("+pub const SYSTEM: &str"), "{diff}");
    let still = std::fs::read_to_string(&generated).expect("reads");
    assert!(still.contains("SYSTEM_OLD"), "dry run wrote nothing");
}

#[test]
fn user_files_survive_regeneration_and_generated_files_are_restored() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(generate(HOTEL, dir.path(), &[]).status.code(), Some(0));
    let handlers = dir.path().join("services/reservations/src/handlers.rs");
    let mine = "// my handlers\n";
    std::fs::write(&handlers, mine).expect("edit");
    let generated = dir.path().join("app/src/generated.rs");
    let original = std::fs::read_to_string(&generated).expect("reads");
    std::fs::write(&generated, "// clobbered\n").expect("edit");

    let again = generate(HOTEL, dir.path(), &[]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&handlers).expect("reads"), mine);
    assert_eq!(
        std::fs::read_to_string(&generated).expect("reads"),
        original
    );
    let leftovers: Vec<_> = walk(dir.path())
        .into_iter()
        .filter(|p| p.contains("fissure-tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary files left: {leftovers:?}"
    );
}

fn walk(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.display().to_string());
            }
        }
    }
    out
}

#[cfg(unix)]
#[test]
fn a_symlink_pointing_out_of_out_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let outside = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("ws");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::os::unix::fs::symlink(outside.path(), out.join("events")).expect("symlink");
    let result = generate(HOTEL, &out, &[]);
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("refusing to write `events/"), "{stderr}");
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
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("fissure.yaml");
    std::fs::write(
        &spec,
        "version: 1\nsystem: s\ndomains:\n  type:\n    description: x\n",
    )
    .expect("write");
    let out = generate(spec.to_str().expect("utf-8"), &dir.path().join("ws"), &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fissure.yaml:4:"), "{stderr}");
    assert!(!dir.path().join("ws").exists(), "nothing written");
}

#[test]
fn the_writer_refuses_paths_that_leave_out() {
    use fissure::generate::writer::safe_target;
    let dir = tempfile::tempdir().expect("temp dir");
    for bad in ["../x", "/etc/passwd", "a/../../x", ""] {
        assert!(safe_target(dir.path(), bad).is_err(), "{bad}");
    }
    assert!(safe_target(dir.path(), "a/b.rs").is_ok());
}
