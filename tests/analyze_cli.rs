//! `fissure analyze` end to end, through the binary: the report contract on the bundled
//! fixtures, every format, and bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fissure(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fissure"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("run fissure")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 output")
}

fn json(path: &str) -> serde_json::Value {
    let o = fissure(&["analyze", path, "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_str(&stdout(&o)).expect("valid JSON")
}

fn has_edge(report: &serde_json::Value, from: &str, to: &str, kind: &str) -> bool {
    report["edges"].as_array().unwrap().iter().any(|e| {
        e["from"] == from
            && e["to"] == to
            && e["kinds"].get(kind).is_some_and(|n| n.as_u64() > Some(0))
    })
}

#[test]
fn shop_report_has_the_contract_fields_and_the_planted_couplings() {
    let r = json("fixtures/shop");
    assert_eq!(r["schema_version"], 1);
    let crates: Vec<&str> = r["crates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(crates, vec!["seed", "shop", "shop_bin", "shop_kernel"]);
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
    assert!(has_edge(
        &r,
        "shop::orders::service",
        "shop::inventory::stock",
        "call"
    ));
    assert!(has_edge(
        &r,
        "shop::orders::service",
        "shop::inventory::warehouses",
        "call"
    ));
    assert!(has_edge(
        &r,
        "shop::billing::invoices",
        "shop::customers::model",
        "type"
    ));
    assert!(has_edge(
        &r,
        "shop::orders::repository",
        "shop_kernel::db",
        "type"
    ));
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
    let modules: Vec<&str> = r["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["path"].as_str().unwrap())
        .collect();
    assert!(modules.contains(&"shop::catalog::pricing"));
    assert!(
        !modules.iter().any(|m| m.ends_with("::tests")),
        "cfg(test) modules are left out"
    );
    let pricing = r["modules"]
        .as_array()
        .unwrap()
        .iter()
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
    let o = fissure(&[
        "analyze",
        "fixtures/hotel",
        "--format",
        "json",
        "--include-tests",
    ]);
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        r["modules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["path"].as_str().unwrap().ends_with("::tests"))
    );
}

#[test]
fn text_reports_are_stable() {
    for fixture in ["hotel", "shop"] {
        let o = fissure(&["analyze", &format!("fixtures/{fixture}")]);
        assert!(o.status.success());
        insta::assert_snapshot!(format!("analyze_text_{fixture}"), stdout(&o));
    }
}

#[test]
fn json_reports_are_stable() {
    for fixture in ["hotel", "shop"] {
        let o = fissure(&[
            "analyze",
            &format!("fixtures/{fixture}"),
            "--format",
            "json",
        ]);
        assert!(o.status.success());
        insta::assert_snapshot!(format!("analyze_json_{fixture}"), stdout(&o));
    }
}

#[test]
fn dot_and_mermaid_draw_modules_and_edges() {
    let dot = stdout(&fissure(&["analyze", "fixtures/hotel", "--format", "dot"]));
    assert!(dot.starts_with("digraph fissure {"));
    assert!(dot.contains("label=\"shared kernel\";"));
    assert!(dot.contains("label=\"domain users\";"));
    assert!(dot.contains("\"hotel::reservations::booking\" -> \"hotel::users::service\""));
    assert!(dot.trim_end().ends_with('}'));
    let mmd = stdout(&fissure(&[
        "analyze",
        "fixtures/hotel",
        "--format",
        "mermaid",
    ]));
    assert!(mmd.starts_with("flowchart LR\n"));
    assert!(mmd.contains("[\"hotel::reservations::booking\"]"));
    assert!(mmd.contains(" -->|"));
}

#[test]
fn same_input_gives_byte_identical_output() {
    let a = stdout(&fissure(&["analyze", "fixtures/shop", "--format", "json"]));
    let b = stdout(&fissure(&["analyze", "fixtures/shop", "--format", "json"]));
    assert_eq!(a, b);
}

#[test]
fn a_missing_path_is_an_input_error() {
    let o = fissure(&["analyze", "fixtures/does-not-exist"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("does-not-exist"), "{err}");
}

fn write(dir: &Path, rel: &str, text: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn broken_files_are_reported_and_skipped_and_the_rest_is_analysed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "Cargo.toml",
        b"[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    );
    write(
        d,
        "src/lib.rs",
        b"mod good;\nmod broken;\nmod latin1;\nmod missing;\nmod empty;\n",
    );
    write(
        d,
        "src/good.rs",
        b"pub struct Good;\npub fn f() -> crate::empty::Nothing { todo!() }\n",
    );
    write(d, "src/broken.rs", b"pub fn oops( {\n");
    write(d, "src/latin1.rs", b"// caf\xe9\npub fn g() {}\n");
    write(d, "src/empty.rs", b"");
    let o = fissure(&["analyze", d.to_str().unwrap(), "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let pe = &r["parse_errors"][0];
    assert_eq!(pe["file"], "src/broken.rs");
    assert_eq!(pe["line"], 1);
    let codes: Vec<&str> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"unreadable-file"), "{codes:?}");
    assert!(codes.contains(&"missing-module-file"), "{codes:?}");
    let missing = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "missing-module-file")
        .unwrap();
    assert_eq!(
        (missing["file"].as_str(), missing["line"].as_u64()),
        (Some("src/lib.rs"), Some(4))
    );
    let modules: Vec<&str> = r["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["path"].as_str().unwrap())
        .collect();
    assert!(modules.contains(&"app::good") && modules.contains(&"app::empty"));
    let text = stdout(&fissure(&["analyze", d.to_str().unwrap()]));
    assert!(text.contains("src/broken.rs:1:"), "{text}");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_the_source_folder_does_not_hang_or_panic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "Cargo.toml",
        b"[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    );
    write(d, "src/lib.rs", b"pub mod a;\n");
    std::os::unix::fs::symlink(d.join("src"), d.join("src/a")).unwrap();
    let o = fissure(&["analyze", d.to_str().unwrap(), "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
