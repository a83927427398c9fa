//! `fissure check` end to end: the seeded violations of the shop fixture, the clean spec,
//! every output format, the baseline workflow as CI runs it, and bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fissure_in(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fissure"));
    cmd.args(args).current_dir(dir).env_remove("CI");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("run fissure")
}

fn shop(args: &[&str]) -> Output {
    fissure_in(&repo().join("fixtures/shop"), args, &[])
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).expect("JSON on stdout")
}

/// (rule, file, line) of each violation.
fn found(report: &serde_json::Value) -> Vec<(String, String, u64)> {
    report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["rule"].as_str().unwrap().to_string(),
                v["file"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_seeded_violation_of_the_shop_is_found_where_it_is() {
    let o = shop(&["check", ".", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let r = json(&o);
    let mut got = found(&r);
    got.sort();
    let mut expected: Vec<(String, String, u64)> = [
        ("boundary", "crates/shop/src/orders/service.rs", 39),
        ("boundary", "crates/shop/src/shipping/shipments.rs", 168),
        ("table", "crates/shop/src/billing/invoices.rs", 106),
        ("table", "crates/shop/src/inventory/replenishment.rs", 33),
        ("table", "crates/shop/src/shipping/shipments.rs", 218),
        ("kernel", "crates/shop/src/common.rs", 66),
        ("unassigned", "crates/shop/src/reports.rs", 1),
        ("domain-cycle", "crates/shop/src/billing/invoices.rs", 11),
    ]
    .iter()
    .map(|(r, f, l)| (r.to_string(), f.to_string(), *l))
    .collect();
    expected.sort();
    assert_eq!(got, expected);
    let boundary = r["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == "boundary" && v["line"] == 39)
        .unwrap();
    assert_eq!(boundary["from_domain"], "orders");
    assert_eq!(boundary["to_domain"], "inventory");
    assert_eq!(boundary["item"], "shop::orders::service::shipping_fee");
    assert_eq!(
        boundary["target"],
        "shop::inventory::warehouses::pick_warehouse"
    );
    assert_eq!(boundary["kind"], "call");
    assert_eq!(boundary["column"], 18);
    assert!(boundary["help"].as_str().unwrap().contains("public"));
    // The help names a declared event of the callee's domain when one fits.
    let shipping = r["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == "boundary" && v["line"] == 168)
        .unwrap();
    assert!(
        shipping["help"]
            .as_str()
            .unwrap()
            .contains("depends_on: [customers]")
    );
}

#[test]
fn the_clean_spec_passes() {
    let o = shop(&["check", ".", "--spec", "fissure.clean.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains(": ok. 0 new"));
}

fn normalized(text: &str) -> String {
    let elapsed = regex_lite_elapsed(text);
    elapsed.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

/// Replaces timings (`0.29s`, `"elapsed_ms": 291`) so snapshots are stable.
fn regex_lite_elapsed(text: &str) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if let Some(i) = line.find("\"elapsed_ms\": ") {
            let rest = &line[i + 14..];
            let end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            out.push_str(&line[..i + 14]);
            out.push_str("[ms]");
            out.push_str(&rest[end..]);
        } else if line.starts_with("fissure check ") && line.contains("; ") {
            let cut = line.rfind("; ").map_or(line.len(), |i| i + 2);
            out.push_str(&line[..cut]);
            out.push_str("[time]\n");
        } else {
            out.push_str(line);
        }
    }
    out
}

#[test]
fn every_output_format_is_stable() {
    for (format, name) in [
        ("human", "human"),
        ("json", "json"),
        ("sarif", "sarif"),
        ("github", "github"),
    ] {
        let o = shop(&["check", ".", "--format", format]);
        assert_eq!(o.status.code(), Some(1));
        insta::assert_snapshot!(format!("check_shop_{name}"), normalized(&stdout(&o)));
    }
}

#[test]
fn sarif_validates_against_the_oasis_schema() {
    // The OASIS SARIF 2.1.0 schema, shipped beside the repository in ../shared/schemas/.
    let schema_path = repo().join("../shared/schemas/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).expect("shared SARIF schema"))
            .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let sarif = json(&shop(&["check", ".", "--format", "sarif"]));
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 8);
    let rules: Vec<&str> = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        vec!["boundary", "table", "kernel", "unassigned", "domain-cycle"]
    );
}

#[test]
fn github_annotations_are_escaped_workflow_commands() {
    let text = stdout(&shop(&["check", ".", "--format", "github"]));
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("::error file=crates/shop/src/"),
        "{first}"
    );
    assert!(first.contains(",line=") && first.contains(",col="));
    // The message's newline before `help:` is escaped, never a raw line break.
    assert!(first.contains("%0Ahelp: "), "{first}");
    assert_eq!(text.lines().filter(|l| l.starts_with("::")).count(), 8);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_name() == "target" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn baseline_workflow_as_ci_runs_it() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("shop");
    copy_dir(&repo().join("fixtures/shop"), &ws);
    let run = |args: &[&str], envs: &[(&str, &str)]| fissure_in(&ws, args, envs);

    // Adopt: record today's violations.
    let o = run(
        &[
            "check",
            ".",
            "--baseline",
            "baseline.json",
            "--update-baseline",
        ],
        &[],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let baseline = std::fs::read_to_string(ws.join("baseline.json")).unwrap();
    let entries = serde_json::from_str::<serde_json::Value>(&baseline).unwrap()["violations"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(entries, 8);

    // With the baseline, known violations do not fail.
    let o = run(
        &[
            "check",
            ".",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(json(&o)["summary"]["known"], 8);

    // Moving code does not make a known violation new: insert lines above it.
    let service = ws.join("crates/shop/src/orders/service.rs");
    edit(&service, "/// ", "// moved down\n// by two lines\n/// ");
    let o = run(
        &[
            "check",
            ".",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0));

    // A new violation fails.
    let shipments = ws.join("crates/shop/src/shipping/shipments.rs");
    let text = std::fs::read_to_string(&shipments).unwrap();
    std::fs::write(
        &shipments,
        format!("{text}\npub fn peek(db: &kernel::db::Db) {{ let _ = crate::inventory::warehouses::pick_warehouse; let _ = db; }}\n"),
    )
    .unwrap();
    let o = run(
        &[
            "check",
            ".",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    let r = json(&o);
    assert_eq!(r["summary"]["new"], 1);
    let new: Vec<&serde_json::Value> = r["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["status"] == "new")
        .collect();
    assert_eq!(new[0]["item"], "shop::shipping::shipments::peek");

    // Under CI, --update-baseline refuses to add it and fails; the file does not grow.
    let o = run(
        &[
            "check",
            ".",
            "--baseline",
            "baseline.json",
            "--update-baseline",
        ],
        &[("CI", "true")],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("may only shrink"));
    assert_eq!(
        std::fs::read_to_string(ws.join("baseline.json")).unwrap(),
        baseline
    );

    // Fixing a known violation reports it fixed; CI may shrink the baseline.
    edit(
        &ws.join("crates/shop/src/common.rs"),
        "order: crate::orders::OrderId",
        "order: u64",
    );
    let o = run(
        &[
            "check",
            ".",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ],
        &[],
    );
    let r = json(&o);
    assert_eq!(r["fixed"][0]["rule"], "kernel", "{r:#}");
    let o = run(
        &[
            "check",
            ".",
            "--baseline",
            "baseline.json",
            "--update-baseline",
        ],
        &[("CI", "1")],
    );
    assert_eq!(o.status.code(), Some(1), "the new violation still fails");
    let shrunk = std::fs::read_to_string(ws.join("baseline.json")).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&shrunk).unwrap()["violations"]
            .as_array()
            .unwrap()
            .len(),
        7
    );

    // A baseline entry whose source item is gone is stale, not fixed.
    let stale = shrunk.replace(
        "shop::orders::service::shipping_fee",
        "shop::orders::service::shipping_fee_v0",
    );
    std::fs::write(ws.join("baseline.json"), stale).unwrap();
    let r = json(&run(
        &[
            "check",
            ".",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ],
        &[],
    ));
    assert_eq!(
        r["stale"][0]["source"],
        "shop::orders::service::shipping_fee_v0"
    );
}

#[test]
fn bad_input_is_a_clear_error_with_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // A malformed spec.
    std::fs::write(
        d.join("fissure.yaml"),
        "version: 1\nsystem: shop\ndomains: [oops\n",
    )
    .unwrap();
    let shop_dir = repo().join("fixtures/shop");
    let o = fissure_in(d, &["check", shop_dir.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("fissure.yaml:"), "{err}");
    // A missing path.
    let spec = shop_dir.join("fissure.yaml");
    let o = fissure_in(
        d,
        &["check", "no/such/dir", "--spec", spec.to_str().unwrap()],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no/such/dir"));
    // An unreadable baseline names file, line and column.
    std::fs::write(
        d.join("baseline.json"),
        "{ \"schema_version\": 1,\n  \"violations\": [ oops ] }",
    )
    .unwrap();
    let o = fissure_in(
        d,
        &[
            "check",
            shop_dir.to_str().unwrap(),
            "--spec",
            spec.to_str().unwrap(),
            "--baseline",
            "baseline.json",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("baseline.json:2:"), "{err}");
    // A missing baseline without --update-baseline.
    let o = fissure_in(
        d,
        &[
            "check",
            shop_dir.to_str().unwrap(),
            "--spec",
            spec.to_str().unwrap(),
            "--baseline",
            "nope.json",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
}
