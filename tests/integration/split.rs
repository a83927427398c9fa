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

/// Every file under `root` but `.git` and `target`, with its bytes.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
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
        out.insert(rel, std::fs::read(entry.path()).unwrap());
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
