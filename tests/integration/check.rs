//! `fissure check` end to end: the seeded findings of the shop fixture, the clean spec, every
//! output format (SARIF checked by Microsoft's SARIF Multitool), repeated references grouped
//! into one finding, levels and exceptions from the spec and the command line, the baseline
//! workflow as CI runs it, and bad input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{Case, Run};

fn shop(args: &[&str]) -> Case {
    Case::in_fixture("shop")
        .arg("check")
        .args(args.iter().copied())
}

fn findings(report: &Value) -> &Vec<Value> {
    report["violations"].as_array().expect("a list of findings")
}

/// (code, rule, file, line) of each finding.
fn found(report: &Value) -> Vec<(String, String, String, u64)> {
    let text = |v: &Value| v.as_str().unwrap().to_string();
    findings(report)
        .iter()
        .map(|v| {
            (
                text(&v["code"]),
                text(&v["rule"]),
                text(&v["file"]),
                v["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_seeded_finding_of_the_shop_is_found_where_it_is() {
    let r = shop(&[".", "--format", "json"]).status(1).run().json();
    let mut got = found(&r);
    got.sort();
    let mut expected: Vec<(String, String, String, u64)> = [
        ("boundary-violation", "boundary", "orders/service.rs", 39),
        (
            "boundary-violation",
            "boundary",
            "shipping/shipments.rs",
            168,
        ),
        ("foreign-table-access", "table", "billing/invoices.rs", 106),
        (
            "foreign-table-access",
            "table",
            "inventory/replenishment.rs",
            33,
        ),
        (
            "foreign-table-access",
            "table",
            "shipping/shipments.rs",
            218,
        ),
        ("kernel-depends-on-domain", "kernel", "common.rs", 66),
        ("unassigned-module", "unassigned", "reports.rs", 1),
        (
            "cycle-between-domains",
            "domain-cycle",
            "billing/invoices.rs",
            11,
        ),
    ]
    .iter()
    .map(|(c, r, f, l)| {
        (
            c.to_string(),
            r.to_string(),
            format!("crates/shop/src/{f}"),
            *l,
        )
    })
    .collect();
    expected.sort();
    assert_eq!(got, expected, "`rule` keeps the v1 ids, `code` is the name");
    let at_line = |line: u64| {
        findings(&r)
            .iter()
            .find(|v| v["code"] == "boundary-violation" && v["line"] == line)
            .unwrap()
    };
    let boundary = at_line(39);
    assert_eq!(boundary["from_domain"], "orders");
    assert_eq!(boundary["to_domain"], "inventory");
    assert_eq!(boundary["item"], "shop::orders::service::shipping_fee");
    assert_eq!(
        boundary["target"],
        "shop::inventory::warehouses::pick_warehouse"
    );
    assert_eq!(boundary["kind"], "call");
    assert_eq!(boundary["column"], 18);
    assert_eq!(boundary["occurrences"], 1);
    assert!(boundary["help"].as_str().unwrap().contains("public"));
    // The spec line that draws the boundary comes along.
    assert_eq!(
        boundary["related"],
        serde_json::json!([{ "file": "fissure.yaml", "line": 101, "column": 3,
                             "message": "`inventory` does not list it in `public`" }])
    );
    // The help names a declared event of the callee's domain when one fits.
    let shipping = at_line(168);
    assert!(
        shipping["help"]
            .as_str()
            .unwrap()
            .contains("depends_on: [customers]")
    );
}

#[test]
fn the_clean_spec_passes() {
    shop(&[".", "--spec", "fissure.clean.yaml"])
        .stdout_has(": ok. 0 new")
        .run();
}

/// Replaces timings (`0.29s`, `"elapsed_ms": 291`) and the version so snapshots are stable.
fn normalized(text: &str) -> String {
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
    out.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

#[test]
fn every_output_format_is_stable() {
    for format in ["human", "json", "sarif", "github"] {
        let run = shop(&[".", "--format", format]).status(1).run();
        insta::assert_snapshot!(format!("check_shop_{format}"), normalized(&run.stdout));
    }
}

/// Microsoft's SARIF Multitool as npm installs it (`npm install -g @microsoft/sarif-multitool`,
/// or .ci/run's folder on PATH): the platform's binary, found through the package's own
/// `index.js`, and the SARIF schema the package ships beside it.
struct Multitool {
    binary: PathBuf,
    schema: PathBuf,
}

fn multitool() -> Option<Multitool> {
    let path = std::env::var_os("PATH")?;
    let wrapper = std::env::split_paths(&path)
        .map(|dir| dir.join("sarif-multitool"))
        .find(|p| p.is_file())?;
    // `sarif-multitool` is a link to the package's `bin.js`.
    let package = std::fs::canonicalize(wrapper).ok()?.parent()?.to_path_buf();
    let out = Command::new("node")
        .args(["-p", "require(process.argv[1])"])
        .arg(&package)
        .output()
        .ok()?;
    let binary = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    let schema = binary.parent()?.join("sarif-2.1.0.json");
    (binary.is_file() && schema.is_file()).then_some(Multitool { binary, schema })
}

/// The results the multitool reports about `sarif` (its SARIF rules and GitHub code
/// scanning's `Ghas` rules): (rule id, message id, JSON path).
fn multitool_findings(tool: &Multitool, sarif: &Path) -> Vec<(String, String, String)> {
    let log = sarif.with_extension("validation.sarif");
    let _ = std::fs::remove_file(&log);
    let status = Command::new(&tool.binary)
        .arg("validate")
        .arg(sarif)
        .arg("--output")
        .arg(&log)
        .args(["--rule-kind", "Sarif;Ghas"])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run the SARIF Multitool");
    assert!(status.success(), "the SARIF Multitool failed: {status}");
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&log).expect("its log"))
        .expect("its log is JSON");
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let where_ = r["message"]["arguments"][0].clone();
            (text(&r["ruleId"]), text(&r["message"]["id"]), text(&where_))
        })
        .collect()
}

#[test]
fn sarif_passes_the_sarif_multitool() {
    let Some(tool) = multitool() else {
        assert!(
            std::env::var_os("FISSURE_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "FISSURE_REQUIRE_TOOLS=1 but `sarif-multitool` is not on PATH \
             (npm install -g @microsoft/sarif-multitool)"
        );
        // Straight to the process's stderr: the test harness captures `eprintln!`, and a
        // skip must show.
        let _ = writeln!(
            std::io::stderr(),
            "skipped: `sarif-multitool` is not on PATH; `npm install -g @microsoft/sarif-multitool` to run this test"
        );
        return;
    };
    let run = shop(&[".", "--format", "sarif"]).status(1).run();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.sarif");
    std::fs::write(&file, &run.stdout).unwrap();
    // fissure has no web page yet, so the driver has no `informationUri` (SARIF2005, a
    // warning about the tool, not the results).
    let findings: Vec<_> = multitool_findings(&tool, &file)
        .into_iter()
        .filter(|(_, message, _)| message != "Warning_ProvideToolnformationUri")
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");

    // The multitool passes a log it cannot read without a word (an unknown `level` makes
    // it report nothing), so the schema it ships is also checked here, and a broken copy
    // proves that its checks run at all.
    let sarif = run.json();
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(&tool.schema).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["bogus"] = Value::from(1);
    std::fs::write(&file, broken.to_string()).unwrap();
    let rules: Vec<String> = multitool_findings(&tool, &file)
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert!(rules.contains(&"JSON1005".to_string()), "{rules:?}");

    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 8);
    let rules: Vec<(&str, &str)> = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["name"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        rules,
        vec![
            ("boundary", "boundary-violation"),
            ("table", "foreign-table-access"),
            ("kernel", "kernel-depends-on-domain"),
            ("unassigned", "unassigned-module"),
            ("domain-cycle", "cycle-between-domains"),
            ("unmatched-exception", ""),
            // Publish rights (new ids: nothing tracked them before).
            ("foreign-event-constructed", ""),
            ("undeclared-subscription", ""),
        ],
        "ids stay those code scanning already tracks"
    );
}

#[test]
fn github_annotations_are_escaped_workflow_commands() {
    let text = shop(&[".", "--format", "github"]).status(1).run().stdout;
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("::error file=crates/shop/src/"),
        "{first}"
    );
    assert!(first.contains(",line=") && first.contains(",col="));
    assert!(
        first.contains("title=fissure boundary-violation::"),
        "{first}"
    );
    // The message's newline before `help:` is escaped, never a raw line break.
    assert!(first.contains("%0Ahelp: "), "{first}");
    assert_eq!(text.lines().filter(|l| l.starts_with("::")).count(), 8);
}

/// A crate whose `bill` names a private item of `orders` three times.
fn repeated(case: Case) -> Case {
    case.crate_lib(
        "app",
        "pub mod orders { pub fn secret() {} }\n\
         pub mod billing {\n    \
             pub fn bill() {\n        \
                 crate::orders::secret();\n        \
                 crate::orders::secret();\n        \
                 crate::orders::secret();\n    \
             }\n\
         }\n",
    )
    .spec(
        "version: 1\nsystem: app\ndomains:\n  orders: { modules: [crate::orders] }\n  billing: { modules: [crate::billing], depends_on: [orders] }\n",
    )
}

#[test]
fn repeated_references_are_one_finding_and_every_format_counts_them() {
    let json = repeated(Case::new())
        .args(["check", ".", "--format", "json"])
        .status(1)
        .run()
        .json();
    assert_eq!(findings(&json).len(), 1);
    let finding = &findings(&json)[0];
    assert_eq!(finding["occurrences"], 3);
    let lines: Vec<&Value> = finding["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["line"])
        .collect();
    assert_eq!(lines, [4, 5, 6]);
    assert_eq!(finding["locations"][0]["kind"], "call");
    repeated(Case::new())
        .args(["check", "."])
        .status(1)
        .stdout_has("= note: 3 occurrences")
        .stdout_has("1 new, 0 known")
        .run();
    repeated(Case::new())
        .args(["check", ".", "--format", "github"])
        .status(1)
        .stdout_has("note: 3 occurrences, also at src/lib.rs:5:9, src/lib.rs:6:9")
        .run();
    let sarif = repeated(Case::new())
        .args(["check", ".", "--format", "sarif"])
        .status(1)
        .run()
        .json();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["locations"].as_array().unwrap().len(), 3);
    let message = result["message"]["text"].as_str().unwrap();
    assert!(message.contains("(3 occurrences)"), "{message}");
}

#[test]
fn levels_come_from_the_spec_and_the_command_line_beats_it() {
    // The shop's spec denies unassigned modules; the command line may only change that.
    let run = shop(&[
        ".",
        "--format",
        "json",
        "--allow",
        "table,domain-cycle,kernel-depends-on-domain",
        "--warn",
        "boundary-violation,unassigned-module",
    ])
    .run();
    let r = run.json();
    let levels: Vec<(&str, &str)> = findings(&r)
        .iter()
        .map(|v| (v["code"].as_str().unwrap(), v["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(
        levels,
        vec![
            ("boundary-violation", "warning"),
            ("boundary-violation", "warning"),
            ("unassigned-module", "warning"),
        ]
    );
    assert_eq!(
        r["summary"]["failed"], false,
        "warnings do not fail the run"
    );
    shop(&[".", "--deny", "boundry"])
        .status(2)
        .stderr_has("did you mean `boundary-violation`?")
        .run();
    shop(&[
        ".",
        "--deny",
        "kernel",
        "--allow",
        "kernel-depends-on-domain",
    ])
    .status(2)
    .stderr_has("contradict each other")
    .run();
}

#[test]
fn spec_exceptions_allow_findings_and_one_that_matches_nothing_is_a_finding() {
    let lints = "lints:\n  boundary-violation:\n    exceptions:\n      - { in: crate::billing::*, to: crate::orders::secret, reason: until orders has an API }\n      - { in: crate::orders::** }\n";
    let with_exceptions = |case: Case| {
        let spec = "version: 1\nsystem: app\ndomains:\n  orders: { modules: [crate::orders] }\n  billing: { modules: [crate::billing], depends_on: [orders] }\n";
        repeated(case).spec(&format!("{spec}{lints}"))
    };
    let run = with_exceptions(Case::new()).args(["check", "."]).run();
    assert!(
        run.stdout.contains(
            "warning[unmatched-exception]: no `boundary-violation` finding in `crate::orders::**` matches this exception\n  \
             --> fissure.yaml:10:15\n"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("error["), "{}", run.stdout);
    // Denied, a stale exception fails the run.
    with_exceptions(Case::new())
        .args(["check", ".", "--deny", "unmatched-exception"])
        .status(1)
        .stdout_has("error[unmatched-exception]")
        .run();
}

fn edit(run: &Run, path: &str, from: &str, to: &str) {
    let text = run.read(path);
    assert!(text.contains(from), "{path} has {from:?}");
    std::fs::write(run.root().join(path), text.replacen(from, to, 1)).unwrap();
}

#[test]
fn baseline_workflow_as_ci_runs_it() {
    // Adopt: record today's findings.
    let adopted = Case::copy_of_fixture("shop")
        .args([
            "check",
            ".",
            "--baseline",
            "baseline.json",
            "--update-baseline",
        ])
        .run();
    let ws = adopted.root();
    let again = || Case::in_folder(ws).args(["check", ".", "--baseline", "baseline.json"]);
    let baseline = adopted.read("baseline.json");
    let entries: Value = serde_json::from_str(&baseline).unwrap();
    assert_eq!(entries["violations"].as_array().unwrap().len(), 8);
    assert!(
        baseline.contains("\"rule\": \"boundary\""),
        "baselines keep the v1 rule ids, readable by earlier versions"
    );

    // With the baseline, known findings do not fail.
    let r = again().args(["--format", "json"]).run().json();
    assert_eq!(r["summary"]["known"], 8);

    // A baseline that names the codes by their new names means the same.
    std::fs::write(
        ws.join("renamed.json"),
        baseline.replace("\"boundary\"", "\"boundary-violation\""),
    )
    .unwrap();
    let r = Case::in_folder(ws)
        .args([
            "check",
            ".",
            "--baseline",
            "renamed.json",
            "--format",
            "json",
        ])
        .run()
        .json();
    assert_eq!(r["summary"]["known"], 8);

    // Moving code does not make a known finding new: insert lines above it.
    let service = "crates/shop/src/orders/service.rs";
    edit(
        &adopted,
        service,
        "/// ",
        "// moved down\n// by two lines\n/// ",
    );
    again().args(["--format", "json"]).run();

    // A new finding fails.
    let shipments = "crates/shop/src/shipping/shipments.rs";
    let text = adopted.read(shipments);
    std::fs::write(
        ws.join(shipments),
        format!("{text}\npub fn peek(db: &kernel::db::Db) {{ let _ = crate::inventory::warehouses::pick_warehouse; let _ = db; }}\n"),
    )
    .unwrap();
    let r = again().args(["--format", "json"]).status(1).run().json();
    assert_eq!(r["summary"]["new"], 1);
    let new: Vec<&Value> = findings(&r)
        .iter()
        .filter(|v| v["status"] == "new")
        .collect();
    assert_eq!(new[0]["item"], "shop::shipping::shipments::peek");

    // Under CI, --update-baseline refuses to add it and fails; the file does not grow.
    again()
        .arg("--update-baseline")
        .env("CI", "true")
        .status(1)
        .stderr_has("may only shrink")
        .run();
    assert_eq!(adopted.read("baseline.json"), baseline);

    // Fixing a known finding reports it fixed; CI may shrink the baseline.
    edit(
        &adopted,
        "crates/shop/src/common.rs",
        "order: crate::orders::OrderId",
        "order: u64",
    );
    let r = again().args(["--format", "json"]).status(1).run().json();
    assert_eq!(r["fixed"][0]["rule"], "kernel", "{r:#}");
    again()
        .arg("--update-baseline")
        .env("CI", "1")
        .status(1)
        .run();
    let shrunk = adopted.read("baseline.json");
    let entries: Value = serde_json::from_str(&shrunk).unwrap();
    assert_eq!(entries["violations"].as_array().unwrap().len(), 7);

    // A baseline entry whose source item is gone is stale, not fixed.
    let stale = shrunk.replace(
        "shop::orders::service::shipping_fee",
        "shop::orders::service::shipping_fee_v0",
    );
    std::fs::write(ws.join("baseline.json"), stale).unwrap();
    let r = again().args(["--format", "json"]).status(1).run().json();
    assert_eq!(
        r["stale"][0]["source"],
        "shop::orders::service::shipping_fee_v0"
    );
}

#[test]
fn bad_input_is_a_clear_error_with_exit_2() {
    let shop_dir = crate::support::fixture("shop");
    let shop_dir = shop_dir.to_str().unwrap();
    let spec = format!("{shop_dir}/fissure.yaml");
    let check_shop = |case: Case| case.args(["check", shop_dir, "--spec", &spec]);
    // A malformed spec.
    Case::new()
        .spec("version: 1\nsystem: shop\ndomains: [oops\n")
        .args(["check", shop_dir])
        .status(2)
        .stderr_has("fissure.yaml:")
        .run();
    // A missing path.
    Case::new()
        .args(["check", "no/such/dir", "--spec", &spec])
        .status(2)
        .stderr_has("no/such/dir")
        .run();
    // An unreadable baseline names file, line and column.
    let broken = "{ \"schema_version\": 1,\n  \"violations\": [ oops ] }";
    check_shop(Case::new().file("baseline.json", broken))
        .args(["--baseline", "baseline.json"])
        .status(2)
        .stderr_has("baseline.json:2:")
        .run();
    // A missing baseline without --update-baseline.
    check_shop(Case::new())
        .args(["--baseline", "nope.json"])
        .status(2)
        .run();
}
