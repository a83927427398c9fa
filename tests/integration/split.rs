//! `fissure split` end to end: the plan on the seeded fixtures (the hotel's users <->
//! notifications cycle, the shop's kernel reaching into `orders`), every output format,
//! `--dry-run` writing nothing, a dirty work tree refused, bad input.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::Case;

fn plan(fixture: &str, args: &[&str]) -> Value {
    Case::in_fixture(fixture)
        .args(["split", ".", "--dry-run", "--format", "json"])
        .args(args.iter().copied())
        .run()
        .json()
}

fn blocked<'a>(plan: &'a Value, domain: &str) -> &'a Vec<Value> {
    let entry = (plan["blocked"].as_array().expect("blocked"))
        .iter()
        .find(|b| b["domain"] == domain)
        .unwrap_or_else(|| panic!("{domain} is not blocked: {plan:#}"));
    entry["blockers"].as_array().expect("blockers")
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

#[test]
fn the_hotels_users_notifications_cycle_blocks_both_with_the_event_for_each_call() {
    let plan = plan("hotel", &[]);
    let cycle: Vec<&Value> = blocked(&plan, "users")
        .iter()
        .filter(|b| b["code"] == "domain-cycle-blocks-split" && b["to_domain"] == "notifications")
        .collect();
    assert!(!cycle.is_empty(), "{plan:#}");
    let register = cycle
        .iter()
        .find(|b| {
            b["source"] == "hotel::users::service::register_user"
                && b["target"] == "hotel::notifications::outbox::enqueue"
        })
        .expect("register_user -> enqueue is a blocker");
    assert_eq!(register["file"], "src/users/service.rs");
    assert!(text(&register["message"]).contains("users -> notifications -> users"));
    assert!(
        text(&register["help"]).contains("publish `UserRegistered` from `users`"),
        "{register:#}"
    );
    let back = blocked(&plan, "notifications")
        .iter()
        .find(|b| b["target"] == "hotel::users::service::find_user")
        .expect("the dispatcher's user lookup is a blocker");
    assert_eq!(back["code"], "domain-cycle-blocks-split");
    assert!(back["line"].as_u64().unwrap() > 0);
}

#[test]
fn the_hotels_kernel_macro_that_names_the_monolith_keeps_util_and_every_domain_behind() {
    // `entity_id!` expands to `crate::db::Value`: used from another crate it would name
    // that crate's `db`. So `util` stays, the kernel crate takes `db` alone, and every domain
    // (they all use the macro and `util`) stays with the reasons.
    let plan = plan("hotel", &[]);
    assert_eq!(plan["order"], serde_json::json!(["hotel_kernel"]));
    assert_eq!(
        plan["extracted"][0]["modules"],
        serde_json::json!(["hotel::db"])
    );
    let kernel = blocked(&plan, "kernel");
    assert!(
        kernel.iter().all(|b| b["code"] == "monolith-macro-used"),
        "{kernel:#?}"
    );
    for domain in ["billing", "reservations", "users", "notifications"] {
        let codes: Vec<&str> = blocked(&plan, domain)
            .iter()
            .map(|b| text(&b["code"]))
            .collect();
        assert!(
            codes.contains(&"monolith-macro-used"),
            "{domain}: {codes:?}"
        );
        assert!(
            codes.contains(&"reference-into-monolith"),
            "{domain}: {codes:?}"
        );
    }
}

#[test]
fn the_shops_kernel_leaves_the_module_that_reaches_into_orders_and_moves_the_rest() {
    let plan = plan("shop", &[]);
    let kernel = blocked(&plan, "kernel");
    let reach = kernel
        .iter()
        .find(|b| b["code"] == "kernel-depends-on-domain")
        .expect("common.rs reaching into orders");
    assert_eq!(reach["file"], "crates/shop/src/common.rs");
    assert_eq!(reach["line"], 66);
    // `shop_kernel` is taken by the workspace's own kernel crate.
    assert_eq!(
        plan["order"],
        serde_json::json!(["shop_kernel_2", "shop_customers"])
    );
    let customers = &plan["extracted"][1];
    assert_eq!(customers["folder"], "domains/customers");
    assert_eq!(
        customers["depends_on"],
        serde_json::json!(["shop_kernel_2"])
    );
    let moved: BTreeMap<&str, &str> = (customers["files_moved"].as_array().unwrap().iter())
        .map(|m| (text(&m["from"]), text(&m["to"])))
        .collect();
    assert_eq!(
        moved.get("crates/shop/src/customers/mod.rs"),
        Some(&"domains/customers/src/lib.rs")
    );
    assert_eq!(moved.len(), 5);
    // Catalog names `common`, which stays: a reference into the monolith.
    let catalog = blocked(&plan, "catalog");
    assert!(
        catalog
            .iter()
            .any(|b| b["code"] == "reference-into-monolith"
                && b["target"] == "shop::common::slugify")
    );
}

#[test]
fn one_domain_takes_only_the_crates_it_needs() {
    let plan = plan("shop", &["--domain", "customers"]);
    assert_eq!(
        plan["order"],
        serde_json::json!(["shop_kernel_2", "shop_customers"])
    );
    assert_eq!(plan["blocked"], serde_json::json!([]));
    Case::in_fixture("shop")
        .args(["split", ".", "--dry-run", "--domain", "nope"])
        .status(2)
        .stderr_has("the spec declares no domain `nope`")
        .run();
}

#[test]
fn every_plan_format_is_stable() {
    for fixture in ["hotel", "shop"] {
        for format in ["human", "markdown", "json"] {
            let run = Case::in_fixture(fixture)
                .args(["split", ".", "--dry-run", "--format", format])
                .run();
            insta::assert_snapshot!(format!("split_plan_{fixture}_{format}"), run.stdout);
        }
    }
}

/// Every file under `root` but `.git` and `target`, with its text.
fn tree(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git" && e.file_name() != "target")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap()
            .display()
            .to_string();
        let bytes = std::fs::read(entry.path()).unwrap();
        out.insert(rel, String::from_utf8_lossy(&bytes).into_owned());
    }
    out
}

pub fn git(root: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(root)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(status.status.success(), "git {args:?}: {status:?}");
}

/// A copy of the fixture, committed in a fresh repository.
pub fn committed_copy(fixture: &str) -> Case {
    let case = Case::copy_of_fixture(fixture);
    git(case.root(), &["init", "-q"]);
    git(case.root(), &["add", "-A"]);
    git(case.root(), &["commit", "-qm", "monolith"]);
    case
}

#[test]
fn a_dry_run_writes_nothing() {
    let case = committed_copy("shop");
    let before = tree(case.root());
    let run = case.args(["split", ".", "--dry-run"]).run();
    assert!(run.stdout.contains("shop_customers"));
    assert_eq!(tree(run.root()), before);
}

#[test]
fn a_dirty_work_tree_is_refused_and_left_alone() {
    let case = committed_copy("shop");
    std::fs::write(case.root().join("notes.txt"), "wip").unwrap();
    let before = tree(case.root());
    let run = case
        .args(["split", "."])
        .status(2)
        .stderr_has("uncommitted change")
        .stderr_has("--allow-dirty")
        .run();
    assert_eq!(tree(run.root()), before);
}

/// `cargo <args>` in `root`, in the shared target folder of built test workspaces; its
/// output when it fails.
fn cargo(root: &Path, args: &[&str]) -> Result<(), String> {
    let _turn = crate::support::generated::take_turn();
    let output = Command::new("cargo")
        .current_dir(root)
        .args(args)
        .env(
            "CARGO_TARGET_DIR",
            crate::support::generated::generated_target_dir(),
        )
        .output()
        .expect("cargo runs");
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// (code, source item, target) of every finding `fissure check` reports in `root`, with the
/// crate names of `renames` applied to the old paths.
/// `cargo check`, `clippy -D warnings` and `test` over the whole workspace, each must pass.
fn builds_lints_and_tests(root: &Path) {
    cargo(root, &["check", "--workspace", "--all-targets"]).unwrap();
    let clippy = [
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ];
    cargo(root, &clippy).unwrap();
    cargo(root, &["test", "--workspace"]).unwrap();
}

fn findings(root: &Path, renames: &[(&str, &str)]) -> Vec<(String, String, String)> {
    let run = Case::in_folder(root)
        .args(["check", ".", "--format", "json"])
        .status(1)
        .run();
    let rename = |s: &str| {
        renames
            .iter()
            .fold(s.to_string(), |s, (old, new)| s.replace(old, new))
    };
    let mut out: Vec<(String, String, String)> =
        (run.json()["violations"].as_array().unwrap().iter())
            .map(|v| {
                (
                    text(&v["code"]).to_string(),
                    rename(text(&v["item"])),
                    rename(text(&v["target"])),
                )
            })
            .collect();
    out.sort();
    out
}

#[test]
fn the_garage_moves_into_crates_that_compile_pass_clippy_and_their_tests() {
    let case = committed_copy("garage");
    let root = case.root().to_path_buf();
    let renames = [
        ("garage::kernel", "garage_kernel"),
        ("garage::billing", "garage_billing"),
        ("garage::workshop", "garage_workshop"),
    ];
    let before = findings(&root, &renames);
    let run = case.args(["split", ".", "--format", "json"]).run();
    let plan = run.json();
    assert_eq!(plan["applied"], true);
    assert_eq!(
        plan["order"],
        serde_json::json!(["garage_kernel", "garage_billing", "garage_workshop"])
    );
    let widened = &plan["extracted"][1]["items_widened"][0];
    assert_eq!(widened["item"], "garage::billing::total_due");
    assert_eq!(widened["was"], "pub(crate)");
    // Files moved unchanged but for their paths: git sees renames.
    git(&root, &["add", "-A"]);
    let status = Command::new("git")
        .current_dir(&root)
        .args(["diff", "--cached", "-M", "--name-status"])
        .output()
        .unwrap();
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.contains("R100\tsrc/kernel/money.rs\tkernel/src/money.rs"),
        "{status}"
    );
    assert!(
        status.contains("src/billing/invoice.rs\tdomains/billing/src/invoice.rs"),
        "{status}"
    );
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    assert!(lib.contains("pub use garage_billing as billing;"), "{lib}");
    let invoice = std::fs::read_to_string(root.join("domains/billing/src/invoice.rs")).unwrap();
    assert!(
        invoice.contains("include_str!(\"../../../src/billing/terms.txt\")"),
        "{invoice}"
    );
    // The fixture's own tests: billing's `#[cfg(test)]` module, and tests/ on the old paths.
    builds_lints_and_tests(&root);
    assert_eq!(findings(&root, &[]), before, "check after split");
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-qm", "split"]);
    let tree_after = tree(&root);
    let again = Case::in_folder(&root)
        .args(["split", ".", "--format", "json"])
        .run()
        .json();
    assert_eq!(again["order"], serde_json::json!([]));
    assert_eq!(
        again["already_extracted"],
        serde_json::json!(["kernel", "billing", "workshop"])
    );
    assert_eq!(tree(&root), tree_after, "a second run changes nothing");
}

#[test]
fn the_garage_dry_run_diff_is_stable() {
    let case = committed_copy("garage");
    let run = case.args(["split", ".", "--dry-run"]).run();
    insta::assert_snapshot!("split_garage_dry_run", run.stdout);
}

#[test]
fn verify_rolls_the_split_back_when_the_compiler_refuses_it() {
    // A file named from the package's folder (`CARGO_MANIFEST_DIR`) is no relative literal
    // fissure rewrites: after the move the folder is the new crate's, the file is not there,
    // and `--verify` puts everything back.
    let case = Case::copy_of_fixture("garage");
    let invoice = case.root().join("src/billing/invoice.rs");
    let text = std::fs::read_to_string(&invoice).unwrap().replace(
        "include_str!(\"terms.txt\")",
        "include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/src/billing/terms.txt\"))",
    );
    std::fs::write(&invoice, text).unwrap();
    git(case.root(), &["init", "-q"]);
    git(case.root(), &["add", "-A"]);
    git(case.root(), &["commit", "-qm", "monolith"]);
    let before = tree(case.root());
    let _turn = crate::support::generated::take_turn();
    let run = case
        .args(["split", ".", "--verify"])
        .env(
            "CARGO_TARGET_DIR",
            &crate::support::generated::generated_target_dir()
                .display()
                .to_string(),
        )
        .status(2)
        .stderr_has("refused the split")
        .stderr_has("rolled back")
        .run();
    assert_eq!(tree(run.root()), before);
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_tree_is_refused_before_anything_is_written() {
    let outside = tempfile::tempdir().unwrap();
    let case = committed_copy("garage");
    std::os::unix::fs::symlink(outside.path(), case.root().join("domains")).unwrap();
    git(case.root(), &["add", "-A"]);
    git(case.root(), &["commit", "-qm", "link"]);
    let before = tree(case.root());
    let run = case
        .args(["split", "."])
        .status(2)
        .stderr_has("outside")
        .run();
    assert_eq!(tree(run.root()), before);
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}

#[test]
fn the_seeded_fixtures_split_what_can_move_and_still_build_lint_and_test() {
    for (fixture, order) in [
        ("hotel", serde_json::json!(["hotel_kernel"])),
        (
            "shop",
            serde_json::json!(["shop_kernel_2", "shop_customers"]),
        ),
    ] {
        let case = committed_copy(fixture);
        let root = case.root().to_path_buf();
        // The run owns the temporary folder: it lives until the end of the loop body.
        let run = case.args(["split", ".", "--format", "json"]).run();
        assert_eq!(run.json()["order"], order, "{fixture}");
        builds_lints_and_tests(&root);
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-qm", "split"]);
        let after = tree(&root);
        let again = Case::in_folder(&root)
            .args(["split", ".", "--format", "json"])
            .run()
            .json();
        assert_eq!(
            again["order"],
            serde_json::json!([]),
            "{fixture}: a second run moves nothing"
        );
        assert_eq!(tree(&root), after, "{fixture}");
    }
}
