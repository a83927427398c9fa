//! `fissure analyze` with the domain suggestion: the JSON fields, `--emit-spec` and its
//! refusal to overwrite, `--eval`, `--git`, and bad options.

use crate::support::{Case, Run};

/// `fissure analyze`/`check`/`validate` run in the repository root; the exit code is left to
/// the caller (`Run::status`).
fn fissure(args: &[&str]) -> Run {
    fissure_status(args, 0)
}

fn fissure_status(args: &[&str], status: i32) -> Run {
    Case::in_repo()
        .args(args.iter().copied())
        .status(status)
        .run()
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn json_has_domains_crossings_and_event_candidates() {
    let r = fissure(&["analyze", "fixtures/hotel", "--format", "json"]).json();
    let domains = r["domains"].as_array().expect("domains");
    assert!(domains.len() >= 2, "{domains:?}");
    for m in r["modules"].as_array().expect("modules") {
        assert!(
            m.get("domain").is_some() && m["confidence"].is_number(),
            "{m}"
        );
    }
    let crossing = &r["crossings"][0];
    for key in [
        "file",
        "line",
        "from_item",
        "to_item",
        "from_domain",
        "to_domain",
        "kind",
    ] {
        assert!(crossing.get(key).is_some(), "crossing field {key}");
    }
    let event = &r["event_candidates"][0];
    for key in ["name", "owner", "fields", "subscribers", "call_sites"] {
        assert!(event.get(key).is_some(), "event field {key}");
    }
}

#[test]
fn emit_spec_writes_once_and_overwrites_only_with_force() {
    let dir = temp_dir();
    let out = dir.path().join("fissure.yaml");
    let out_arg = out.to_str().expect("utf-8 path");
    fissure(&["analyze", "fixtures/shop", "--emit-spec", out_arg]);
    let first = std::fs::read_to_string(&out).expect("written");
    fissure(&["validate", "--spec", out_arg]);

    std::fs::write(&out, "keep me").expect("write");
    let o = fissure_status(&["analyze", "fixtures/shop", "--emit-spec", out_arg], 2);
    assert!(o.stderr.contains("--force"), "{}", o.stderr);
    assert_eq!(std::fs::read_to_string(&out).expect("kept"), "keep me");

    fissure(&[
        "analyze",
        "fixtures/shop",
        "--emit-spec",
        out_arg,
        "--force",
    ]);
    assert_eq!(std::fs::read_to_string(&out).expect("rewritten"), first);
}

/// The contract for a draft spec: it validates, and `check` against the code it came
/// from passes once a baseline holds what the suggestion left crossing its boundaries.
#[test]
fn an_emitted_spec_checks_clean_with_a_generated_baseline() {
    for fixture in ["fixtures/hotel", "fixtures/shop"] {
        let dir = temp_dir();
        let spec = dir.path().join("fissure.yaml");
        let baseline = dir.path().join("baseline.json");
        let (spec_arg, baseline_arg) = (spec.to_str().unwrap(), baseline.to_str().unwrap());
        fissure(&["analyze", fixture, "--emit-spec", spec_arg]);

        // A draft split of a monolith has crossings; without a baseline they fail the check.
        let bare = fissure_status(
            &["check", fixture, "--spec", spec_arg, "--format", "json"],
            1,
        );
        let report = bare.json();
        let violations = report["violations"].as_array().expect("violations").len();
        assert!(violations > 0, "{fixture}: {report}");

        let baseline_args = [
            "check",
            fixture,
            "--spec",
            spec_arg,
            "--baseline",
            baseline_arg,
        ];
        // Under `CI` the baseline may only shrink; creating it is a developer's step (`Case`
        // removes `CI`).
        let mut update = baseline_args.to_vec();
        update.push("--update-baseline");
        fissure(&update);
        fissure(&baseline_args);
    }
}

const STORE_LIB: &str = "pub mod billing;\npub mod orders;\npub mod ledger;\n";
const STORE_ORDERS: &str = "pub struct Order { pub total: u32 }
pub struct OrderLine { pub qty: u32 }
pub fn place_order(lines: Vec<OrderLine>) -> Order { Order { total: lines.iter().map(|l| l.qty).sum() } }
pub fn cancel_order(o: Order) -> Order { o }
";
const STORE_BILLING: &str = "pub struct Invoice { pub amount: u32 }
pub struct Payment { pub amount: u32 }
pub fn issue_invoice(amount: u32) -> Invoice { Invoice { amount } }
pub fn take_payment(i: &Invoice) -> Payment { Payment { amount: i.amount } }
";
/// Linked to nothing by the code: only the history can place it.
const STORE_LEDGER: &str = "pub fn post_entry(debit: i64, credit: i64) -> i64 { debit - credit }\n";

/// `git` in `dir` as a fixed author, so the test needs no git configuration.
fn git(dir: &std::path::Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=fissure",
            "-c",
            "user.email=fissure@example.com",
        ])
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?}");
}

/// The domain `analyze --format json` (plus `extra`) gives each module of the folder.
fn domains(root: &std::path::Path, extra: &[&str]) -> (Vec<(String, String)>, String) {
    let run = Case::in_folder(root)
        .args(["analyze", ".", "--format", "json"])
        .args(extra.iter().copied())
        .run();
    let report = run.json();
    let modules = (report["modules"].as_array().expect("modules").iter())
        .map(|m| {
            let domain = m["domain"].as_str().unwrap_or("-").to_owned();
            (m["path"].as_str().expect("path").to_owned(), domain)
        })
        .collect();
    (modules, run.stderr)
}

/// `--git` reads the history of the analysed folder and uses it: a module the code links to
/// nothing, changed in every commit together with `billing`, joins billing's domain; without
/// `--git` it is a domain of its own. The note counts the commits and pairs of that history.
#[test]
fn git_co_change_moves_a_module_into_the_domain_it_changes_with() {
    let case = Case::new()
        .crate_lib("store", STORE_LIB)
        .file("src/orders.rs", STORE_ORDERS)
        .file("src/billing.rs", STORE_BILLING)
        .file("src/ledger.rs", STORE_LEDGER);
    let root = case.root().to_path_buf();
    git(&root, &["init", "--quiet"]);
    git(&root, &["add", "--all"]);
    git(&root, &["commit", "--quiet", "--message", "the store"]);
    for i in 1..=25 {
        for file in ["src/ledger.rs", "src/billing.rs"] {
            let path = root.join(file);
            let text = std::fs::read_to_string(&path).expect("read") + &format!("// change {i}\n");
            std::fs::write(&path, text).expect("write");
        }
        git(
            &root,
            &[
                "commit",
                "--quiet",
                "--all",
                "--message",
                &format!("change {i}"),
            ],
        );
    }
    let ledger = |modules: &[(String, String)]| {
        let found = modules.iter().find(|(path, _)| path == "store::ledger");
        found.expect("store::ledger").1.clone()
    };
    let (plain, _) = domains(&root, &[]);
    assert_eq!(ledger(&plain), "ledger", "{plain:?}");
    let (with_history, stderr) = domains(&root, &["--git"]);
    assert_eq!(ledger(&with_history), "billing", "{with_history:?}");
    assert!(
        stderr.contains("note: --git: 26 commits of 26 used, 1 module pairs change together"),
        "{stderr}"
    );
    drop(case);
}

/// Outside a git repository `--git` is a usage error naming the flag, not a silent no-op.
#[test]
fn git_outside_a_repository_is_a_usage_error() {
    Case::new()
        .crate_lib("lone", "pub struct Lone;\n")
        .args(["analyze", ".", "--git"])
        .status(2)
        .stderr_has("--git: git log failed")
        .run();
}

#[test]
fn eval_prints_the_suggestion_and_both_baselines() {
    let o = fissure(&[
        "analyze",
        "fixtures/hotel",
        "--eval",
        "fixtures/hotel/truth.yaml",
    ]);
    for label in [
        "suggestion",
        "module tree",
        "louvain on use edges",
        "MoJoFM",
        "ARI",
    ] {
        assert!(o.stdout.contains(label), "{label} in\n{}", o.stdout);
    }
}

#[test]
fn bad_options_are_usage_errors() {
    for args in [
        vec!["analyze", "fixtures/hotel", "--resolution", "-1"],
        vec!["analyze", "fixtures/hotel", "--domains", "0"],
        vec![
            "analyze",
            "fixtures/hotel",
            "--eval",
            "fixtures/hotel/missing.yaml",
        ],
        vec![
            "analyze",
            "fixtures/hotel",
            "--spec",
            "fixtures/hotel/Cargo.toml",
        ],
    ] {
        let o = fissure_status(&args, 2);
        assert!(!o.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn domains_option_changes_the_number_of_domains() {
    let count = |n: &str| {
        let r = fissure(&[
            "analyze",
            "fixtures/shop",
            "--format",
            "json",
            "--domains",
            n,
        ])
        .json();
        r["domains"].as_array().map_or(0, Vec::len)
    };
    assert!(count("3") < count("12"));
}
