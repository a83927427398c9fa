//! `fissure analyze` end to end, through the binary: the report contract on the bundled
//! fixtures, every format, and bad input.

use crate::support::{Case, Run, repo, sections};

/// `fissure analyze <args>` run in the repository root.
fn analyze(args: &[&str]) -> Run {
    Case::in_repo()
        .arg("analyze")
        .args(args.iter().copied())
        .run()
}

fn json(path: &str) -> serde_json::Value {
    analyze(&[path, "--format", "json"]).json()
}

fn has_edge(report: &serde_json::Value, from: &str, to: &str, kind: &str) -> bool {
    report["edges"].as_array().unwrap().iter().any(|e| {
        e["from"] == from
            && e["to"] == to
            && e["kinds"].get(kind).is_some_and(|n| n.as_u64() > Some(0))
    })
}

fn strings<'a>(list: &'a serde_json::Value, key: &str) -> Vec<&'a str> {
    (list.as_array().unwrap().iter())
        .map(|m| m[key].as_str().unwrap())
        .collect()
}

#[test]
fn shop_report_has_the_contract_fields_and_the_planted_couplings() {
    let r = json("fixtures/shop");
    assert_eq!(r["schema_version"], 1);
    assert_eq!(
        strings(&r["crates"], "name"),
        vec!["seed", "shop", "shop_bin", "shop_kernel"]
    );
    for key in [
        "path",
        "crate",
        "file",
        "lines",
        "items",
        "fan_in",
        "fan_out",
        "instability",
    ] {
        assert!(r["modules"][0].get(key).is_some(), "module field {key}");
    }
    for key in [
        "files",
        "lines",
        "items",
        "resolved_refs",
        "unresolved_refs",
        "external_refs",
    ] {
        assert!(r["stats"].get(key).is_some(), "stats field {key}");
    }
    // Orders calls inventory directly; billing reads customer structs; the renamed
    // `kernel` dependency reaches the kernel crate; a glob-imported enum variant resolves.
    for (from, to, kind) in [
        ("shop::orders::service", "shop::inventory::stock", "call"),
        (
            "shop::orders::service",
            "shop::inventory::warehouses",
            "call",
        ),
        ("shop::billing::invoices", "shop::customers::model", "type"),
        ("shop::orders::repository", "shop_kernel::db", "type"),
    ] {
        assert!(has_edge(&r, from, to, kind), "{from} -> {to} ({kind})");
    }
    assert_eq!(
        r["orphans"],
        serde_json::json!(["crates/shop/src/old_discounts.rs"])
    );
    assert_eq!(r["parse_errors"], serde_json::json!([]));
    assert_eq!(
        r["stats"]["unresolved_refs"], 0,
        "every path of the fixture resolves"
    );
    // The #[path] module and the cfg(test) module.
    let modules = strings(&r["modules"], "path");
    assert!(modules.contains(&"shop::catalog::pricing"));
    assert!(
        !modules.iter().any(|m| m.ends_with("::tests")),
        "cfg(test) modules are left out"
    );
    let pricing = (r["modules"].as_array().unwrap().iter())
        .find(|m| m["path"] == "shop::catalog::pricing")
        .unwrap();
    assert_eq!(
        pricing["file"],
        "crates/shop/src/catalog/legacy/pricing_rules.rs"
    );
    // Every edge example points at a real line of a real file.
    for e in r["edges"].as_array().unwrap() {
        for ex in e["examples"].as_array().unwrap() {
            let file = repo()
                .join("fixtures/shop")
                .join(ex["file"].as_str().unwrap());
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(ex["line"].as_u64().unwrap() as usize <= text.lines().count());
        }
    }
}

#[test]
fn include_tests_adds_the_test_modules() {
    let r = analyze(&["fixtures/hotel", "--format", "json", "--include-tests"]).json();
    assert!(
        strings(&r["modules"], "path")
            .iter()
            .any(|m| m.ends_with("::tests"))
    );
}

#[test]
fn text_reports_are_stable() {
    for fixture in ["hotel", "shop"] {
        let run = analyze(&[&format!("fixtures/{fixture}")]);
        insta::assert_snapshot!(format!("analyze_text_{fixture}"), run.stdout);
    }
}

#[test]
fn json_reports_are_stable() {
    for fixture in ["hotel", "shop"] {
        let run = analyze(&[&format!("fixtures/{fixture}"), "--format", "json"]);
        // Thousands of lines are not reviewable as one snapshot: one per section of the
        // report (long arrays cut by subject), which put end to end are the report.
        let sections = sections(&run.stdout);
        let whole: String = sections.iter().map(|(_, text)| text.as_str()).collect();
        assert_eq!(whole, run.stdout);
        let names: Vec<&str> = sections.iter().map(|(name, _)| name.as_str()).collect();
        insta::assert_snapshot!(
            format!("analyze_json_{fixture}__sections"),
            names.join("\n")
        );
        for (name, text) in &sections {
            insta::assert_snapshot!(format!("analyze_json_{fixture}__{name}"), text);
        }
    }
}

#[test]
fn dot_and_mermaid_draw_modules_and_edges() {
    let dot = analyze(&["fixtures/hotel", "--format", "dot"]).stdout;
    assert!(dot.starts_with("digraph fissure {"));
    assert!(dot.contains("label=\"shared kernel\";"));
    assert!(dot.contains("label=\"domain users\";"));
    assert!(dot.contains("\"hotel::reservations::booking\" -> \"hotel::users::service\""));
    assert!(dot.trim_end().ends_with('}'));
    let mmd = analyze(&["fixtures/hotel", "--format", "mermaid"]).stdout;
    assert!(mmd.starts_with("flowchart LR\n"));
    assert!(mmd.contains("[\"hotel::reservations::booking\"]"));
    assert!(mmd.contains(" -->|"));
}

#[test]
fn same_input_gives_byte_identical_output() {
    let a = analyze(&["fixtures/shop", "--format", "json"]).stdout;
    let b = analyze(&["fixtures/shop", "--format", "json"]).stdout;
    assert_eq!(a, b);
}

#[test]
fn a_missing_path_is_an_input_error() {
    Case::in_repo()
        .args(["analyze", "fixtures/does-not-exist"])
        .status(2)
        .stderr_has("error[bad-manifest]: cannot open fixtures/does-not-exist")
        .run();
}

const APP_MANIFEST: &str =
    "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n";

#[test]
fn broken_files_are_reported_and_skipped_and_the_rest_is_analysed() {
    let case = || {
        Case::new()
            .file("Cargo.toml", APP_MANIFEST)
            .file(
                "src/lib.rs",
                "mod good;\nmod broken;\nmod latin1;\nmod missing;\nmod empty;\n",
            )
            .file(
                "src/good.rs",
                "pub struct Good;\npub fn f() -> crate::empty::Nothing { todo!() }\n",
            )
            .file("src/broken.rs", "pub fn oops( {\n")
            .file("src/latin1.rs", b"// caf\xe9\npub fn g() {}\n")
            .file("src/empty.rs", "")
    };
    let r = case()
        .args(["analyze", ".", "--format", "json"])
        .run()
        .json();
    let pe = &r["parse_errors"][0];
    assert_eq!(pe["file"], "src/broken.rs");
    assert_eq!(pe["line"], 1);
    let codes = strings(&r["diagnostics"], "code");
    assert!(codes.contains(&"unreadable-file"), "{codes:?}");
    assert!(codes.contains(&"missing-module-file"), "{codes:?}");
    let missing = (r["diagnostics"].as_array().unwrap().iter())
        .find(|d| d["code"] == "missing-module-file")
        .unwrap();
    assert_eq!(
        (missing["file"].as_str(), missing["line"].as_u64()),
        (Some("src/lib.rs"), Some(4))
    );
    let modules = strings(&r["modules"], "path");
    assert!(modules.contains(&"app::good") && modules.contains(&"app::empty"));
    case()
        .args(["analyze", "."])
        .stdout_has("src/broken.rs:1:")
        .run();
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_the_source_folder_does_not_hang_or_panic() {
    let case = Case::new()
        .file("Cargo.toml", APP_MANIFEST)
        .file("src/lib.rs", "pub mod a;\n");
    std::os::unix::fs::symlink(case.root().join("src"), case.root().join("src/a")).unwrap();
    case.args(["analyze", ".", "--format", "json"]).run();
}
