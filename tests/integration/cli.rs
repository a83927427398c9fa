//! The conventions of a Rust command line: shell completions and man pages from the clap
//! definition, `--color` beside NO_COLOR, `cargo fissure`, and one rustc-style rendering of
//! every error.

use std::path::Path;

use crate::support::{Case, fixture};

const ESC: &str = "\x1b[";

#[test]
fn completions_are_generated_for_each_shell() {
    for (shell, marker) in [
        ("bash", "_fissure()"),
        ("zsh", "#compdef fissure"),
        ("fish", "complete -c fissure"),
        ("elvish", "edit:completion:arg-completer[fissure]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        Case::new()
            .args(["completions", shell])
            .stdout_has(marker)
            // Subcommands and their flags come from the clap definition.
            .stdout_has("analyze")
            .stdout_has("update-baseline")
            .run();
    }
    Case::new()
        .args(["completions", "tcsh"])
        .status(2)
        .stderr_has("invalid value 'tcsh'")
        .run();
}

#[test]
fn man_pages_are_generated_for_fissure_and_each_command() {
    Case::new()
        .args(["man"])
        .stdout_has(".TH fissure 1")
        .stdout_has("fissure\\-check(1)")
        .stdout_has("\\-\\-color")
        .run();
    Case::new()
        .args(["man", "check"])
        .stdout_has(".TH fissure-check 1")
        .stdout_has("\\-\\-update\\-baseline")
        .run();
    Case::new()
        .args(["man", "chek"])
        .status(2)
        .stderr_has("error: no command `chek`")
        .stderr_has("= help: one of: analyze, check, validate")
        .run();
}

/// A spec with two errors, for coloured output.
const TWO_ERRORS: &str = "version: 1\nsystem: shop\ndomains:\n  orders: { modlues: [] }\n  billing: { depends_on: [order] }\n";

#[test]
fn color_always_wins_over_no_color_and_never_over_clicolor_force() {
    let validate = || Case::new().spec(TWO_ERRORS).arg("validate").status(1);
    // `Case` sets NO_COLOR: plain by default.
    validate().stdout_lacks(ESC).run();
    validate().arg("--color=always").stdout_has(ESC).run();
    validate()
        .args(["--color", "never"])
        .env("CLICOLOR_FORCE", "1")
        .stdout_lacks(ESC)
        .run();
    // `auto` follows the conventions: CLICOLOR_FORCE colours a pipe, NO_COLOR does not.
    validate()
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .stdout_has(ESC)
        .run();
    validate().env_remove("NO_COLOR").stdout_lacks(ESC).run();
}

#[test]
fn color_reaches_every_renderer_that_colours() {
    // check's report, on stdout.
    Case::in_fixture("hotel")
        .args(["check", "--color", "always"])
        .status(1)
        .stdout_has(ESC)
        .run();
    // Errors, on stderr.
    let run = Case::new()
        .args(["--color", "always", "check"])
        .status(2)
        .run();
    assert!(run.stderr.contains(ESC), "{}", run.stderr);
    // clap's help, printed before the arguments are parsed.
    Case::new()
        .args(["--color=always", "--help"])
        .stdout_has(ESC)
        .run();
    Case::new().args(["--help"]).stdout_lacks(ESC).run();
}

/// `cargo` with the package's `cargo-fissure` first on PATH, as after `cargo install`.
fn cargo() -> Case {
    let bin = Path::new(env!("CARGO_BIN_EXE_cargo-fissure"));
    let path = std::env::join_paths(
        std::iter::once(bin.parent().expect("a folder").to_path_buf()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
        ),
    )
    .expect("a PATH");
    Case::new()
        .program(env!("CARGO"))
        .env("PATH", path.to_str().expect("a UTF-8 PATH"))
}

#[test]
fn cargo_fissure_runs_fissure_as_a_cargo_subcommand() {
    cargo()
        .args(["fissure", "--version"])
        .stdout(&format!("cargo-fissure {}\n", env!("CARGO_PKG_VERSION")))
        .run();
    cargo()
        .args(["fissure", "check", "--help"])
        .stdout_has("Usage: cargo fissure check [OPTIONS] [PATH]")
        .run();
    // The same run as `fissure check`, exit code included. The same arguments too: findings
    // name the spec as the user did (the spec lines they point at).
    let hotel = fixture("hotel");
    let direct = Case::in_fixture("hotel")
        .args(["check", "--format", "json", "--spec"])
        .arg(hotel.join("fissure.yaml").display().to_string())
        .arg(hotel.display().to_string())
        .status(1)
        .run();
    let via_cargo = cargo()
        .current_dir(".")
        .args(["fissure", "check", "--format", "json", "--spec"])
        .arg(hotel.join("fissure.yaml").display().to_string())
        .arg(hotel.display().to_string())
        .status(1)
        .run();
    // `Case` writes its folder (here the fixture) as `[ROOT]`.
    let direct: serde_json::Value = serde_json::from_str(
        &direct
            .stdout
            .replace("[ROOT]", &hotel.display().to_string()),
    )
    .expect("JSON");
    assert_eq!(
        via_cargo.json()["violations"],
        direct["violations"],
        "the same findings through cargo"
    );
}

#[test]
fn a_spec_pinned_by_analyze_reports_every_error_with_its_snippet() {
    // Before the app layer, `analyze --spec` printed only the first error, without a snippet.
    let run = Case::new()
        .file("bad.yaml", TWO_ERRORS)
        .args(["analyze", "--spec", "bad.yaml"])
        .arg(fixture("hotel").display().to_string())
        .status(2)
        .stderr_has(
            "error[unknown-key]: unknown key `modlues` in domain `orders`\n --> bad.yaml:4:13\n",
        )
        .stderr_has("4 |   orders: { modlues: [] }\n  |             ^^^^^^^\n")
        .stderr_has("error[unknown-domain]: unknown domain `order`\n --> bad.yaml:5:27\n")
        .run();
    assert!(
        run.stderr
            .ends_with("error: bad.yaml is invalid: 2 errors, 0 warnings\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_command_loads_the_spec_the_same_way() {
    for command in [
        &["check"][..],
        &["generate", "--out", "ws"],
        &["analyze", "--spec", "fissure.yaml"],
    ] {
        let run = Case::new()
            .crate_lib("app", "pub fn f() {}\n")
            .spec(TWO_ERRORS)
            .args(command.iter().copied())
            .status(2)
            .run();
        assert!(
            run.stderr
                .starts_with("error[unknown-key]: unknown key `modlues`")
                && run
                    .stderr
                    .contains("error[unknown-domain]: unknown domain `order`")
                && run
                    .stderr
                    .ends_with("error: fissure.yaml is invalid: 2 errors, 0 warnings\n"),
            "{command:?}:\n{}",
            run.stderr
        );
    }
}

#[test]
fn a_bad_baseline_is_shown_at_its_line_and_column() {
    Case::new()
        .crate_lib("app", "pub fn f() {}\n")
        .spec("version: 1\nsystem: app\n")
        .file(
            "baseline.json",
            "{ \"schema_version\": 1,\n  \"violations\": [ oops ] }",
        )
        .args(["check", "--baseline", "baseline.json"])
        .status(2)
        .stderr(
            "error[bad-baseline]: invalid baseline: expected value at line 2 column 19\n \
             --> baseline.json:2:19\n  \
             |\n\
             2 |   \"violations\": [ oops ] }\n  \
             |                   ^^^^\n\n",
        )
        .run();
}

#[test]
fn the_progress_indicator_stays_off_a_pipe() {
    Case::in_fixture("shop").args(["analyze"]).stderr("").run();
}
