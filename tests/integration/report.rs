//! `fissure report`: one self-contained HTML page. These tests read the page as text and
//! its JSON blob as data; `report_browser.rs` drives it in Chromium.

use std::path::Path;

use serde_json::Value;

use crate::support::{Case, Run};

/// The hostile name: a string from the analysed code that would run if it were markup.
pub const HOSTILE: &str = "</script><script>alert(1)</script>";

/// Writes the report of `args` (relative to the repository) to `out`.
pub fn report(args: &[&str], out: &Path) -> Run {
    let out = out.display().to_string();
    Case::in_repo()
        .args(["report"])
        .args(args.iter().copied())
        .args(["--out", &out])
        .stderr_has("wrote ")
        .run()
}

/// The page's JSON blob, parsed.
pub fn page_data(html: &str) -> Value {
    let open = r#"<script type="application/json" id="fissure-data">"#;
    let start = html.find(open).expect("the page has its data") + open.len();
    let end = start + html[start..].find("</script>").expect("the data ends");
    serde_json::from_str(&html[start..end]).expect("the data is JSON")
}

/// A crate whose file path and source carry [`HOSTILE`], with a spec under which one of
/// its lines is a finding (so the snippet carries it too).
pub fn hostile_monolith() -> Case {
    let hostile_file = format!("src/{HOSTILE}.rs");
    Case::new()
        .file(
            "Cargo.toml",
            "[package]\nname = \"evil\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        )
        .file(
            "src/lib.rs",
            format!("#[path = \"{HOSTILE}.rs\"]\npub mod orders;\npub mod billing;\n"),
        )
        .file(
            &hostile_file,
            format!(
                "pub struct Order;\npub fn place() -> &'static str {{ crate::billing::charge(); \"{HOSTILE}\" }}\n"
            ),
        )
        .file(
            "src/billing.rs",
            "pub struct Invoice;\nfn secret() {}\npub fn charge() { secret(); let _ = crate::orders::Order; }\n",
        )
        .spec(
            "version: 1\nsystem: evil\ndomains:\n  orders:\n    modules: [\"evil::orders\"]\n  billing:\n    modules: [\"evil::billing\"]\n",
        )
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

#[test]
fn the_shop_page_is_one_file_that_asks_for_nothing_outside_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shop.html");
    let run = report(&["fixtures/shop"], &out);
    assert!(run.stderr.contains("domains, 50 modules"), "{}", run.stderr);
    let html = read(&out);
    assert!(html.starts_with("<!DOCTYPE html>"));
    for outside in [
        "http://", "https://", " src=", "<link", "@import", "url(http", "//cdn",
    ] {
        assert!(!html.contains(outside), "the page names {outside:?}");
    }
    let csp = html
        .split("http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .expect("a CSP meta")
        .split('"')
        .next()
        .unwrap();
    assert!(csp.starts_with("default-src 'none'; "), "{csp}");
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(
        html.matches("<script").count(),
        2,
        "the data and the script"
    );
    let data = page_data(&html);
    let domains = data["domains"].as_array().unwrap();
    assert!(domains.len() > 3, "{domains:?}");
    assert_eq!(domains.last().unwrap()["kernel"], true);
    assert_eq!(data["modules"].as_array().unwrap().len(), 50);
    assert!(data["findings"].is_null(), "no spec, no findings");
    // Every domain is a clickable region of the map.
    for i in 0..domains.len() {
        assert!(
            html.contains(&format!("data-domain=\"{i}\" tabindex")),
            "domain {i}"
        );
    }
    let tax = (data["modules"].as_array().unwrap().iter())
        .find(|m| m["path"] == "shop::billing::tax")
        .expect("shop::billing::tax is a module of the page");
    assert_eq!(
        domains[tax["domain"].as_u64().unwrap() as usize]["name"],
        "billing"
    );
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.html"), dir.path().join("b.html"));
    report(
        &["fixtures/shop", "--spec", "fixtures/shop/fissure.yaml"],
        &a,
    );
    report(
        &["fixtures/shop", "--spec", "fixtures/shop/fissure.yaml"],
        &b,
    );
    assert!(read(&a) == read(&b), "two runs wrote different pages");
}

#[test]
fn matrix_cells_and_links_point_at_modules_and_domains_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shop.html");
    report(&["fixtures/shop"], &out);
    let data = page_data(&read(&out));
    let modules = data["modules"].as_array().unwrap().len() as u64;
    let domains = data["domains"].as_array().unwrap().len() as u64;
    let cells = data["cells"].as_array().unwrap();
    assert!(!cells.is_empty());
    for c in cells {
        assert!(c["from"].as_u64().unwrap() < modules && c["to"].as_u64().unwrap() < modules);
    }
    // Modules come in domain order, so each domain is one square on the diagonal.
    let order: Vec<u64> = (data["modules"].as_array().unwrap().iter())
        .map(|m| m["domain"].as_u64().unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
    let links = data["links"].as_array().unwrap();
    assert!(!links.is_empty());
    for l in links {
        assert!(l["from"].as_u64().unwrap() < domains && l["to"].as_u64().unwrap() < domains);
    }
    // The shop has a domain cycle (billing and orders call each other): it is drawn red.
    assert!(links.iter().any(|l| l["cycle"] == true), "{links:?}");
    assert!(read(&out).contains("class=\"link cycle\""));
}

#[test]
fn with_a_spec_the_page_lists_checks_findings_and_the_declared_events() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shop.html");
    let run = report(
        &["fixtures/shop", "--spec", "fixtures/shop/fissure.yaml"],
        &out,
    );
    let checked = Case::in_repo()
        .args([
            "check",
            "fixtures/shop",
            "--spec",
            "fixtures/shop/fissure.yaml",
        ])
        .args(["--format", "json"])
        .status(1)
        .run()
        .json();
    let data = page_data(&read(&out));
    let findings = data["findings"].as_array().expect("findings with a spec");
    let expected = checked["violations"].as_array().unwrap().len();
    assert_eq!(findings.len(), expected);
    assert!(
        run.stderr.contains(&format!("{expected} findings")),
        "{}",
        run.stderr
    );
    let boundary = (findings.iter())
        .find(|f| f["code"] == "boundary-violation")
        .expect("the shop breaks a boundary");
    assert!(boundary["from_domain"].is_string() && boundary["to_domain"].is_string());
    let line = boundary["line"].as_u64().unwrap();
    let snippet = boundary["snippet"].as_array().unwrap();
    assert!(
        snippet.iter().any(|l| l[0].as_u64() == Some(line)),
        "{snippet:?}"
    );
    let declared: Vec<&str> = (data["domains"].as_array().unwrap().iter())
        .filter(|d| d["declared"] == true)
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert!(
        declared.contains(&"orders") && declared.contains(&"billing"),
        "{declared:?}"
    );
    assert!(!data["declared_events"].as_array().unwrap().is_empty());
    assert_eq!(data["spec"], "fixtures/shop/fissure.yaml");
}

/// The page of [`hostile_monolith`] checked against its spec: the run (which keeps its
/// folder) and the page's path.
pub fn hostile_page() -> (Run, std::path::PathBuf) {
    let case = hostile_monolith();
    let out = case.root().join("report.html");
    let out_arg = out.display().to_string();
    let run = case
        .args(["report", ".", "--spec", "fissure.yaml", "--out", &out_arg])
        .run();
    let page = run.root().join("report.html");
    (run, page)
}

#[test]
fn strings_of_a_hostile_monolith_stay_text() {
    let (_run, page) = hostile_page();
    let html = read(&page);
    assert_eq!(
        html.matches("<script").count(),
        2,
        "an injected script element"
    );
    assert!(
        !html.contains("alert(1)</script>"),
        "the hostile text is raw in the page"
    );
    let data = page_data(&html);
    let file = format!("src/{HOSTILE}.rs");
    assert!(
        (data["modules"].as_array().unwrap().iter()).any(|m| m["file"] == file.as_str()),
        "the module's file keeps its name as data"
    );
    let findings = data["findings"].as_array().unwrap();
    assert!(
        (findings
            .iter()
            .flat_map(|f| f["snippet"].as_array().unwrap()))
        .any(|l| l[1].as_str().unwrap().contains(HOSTILE)),
        "a snippet shows the hostile line: {findings:?}"
    );
}

#[test]
fn an_unreadable_path_or_an_unwritable_out_is_an_input_error() {
    Case::new()
        .args(["report", "nowhere", "--out", "r.html"])
        .status(2)
        .stderr_has("nowhere")
        .run();
    Case::new()
        .file(
            "Cargo.toml",
            "[package]\nname = \"a\"\nversion = \"0.1.0\"\n",
        )
        .file("src/lib.rs", "pub fn f() {}\n")
        .args(["report", ".", "--out", "missing/folder/r.html"])
        .status(2)
        .stderr_has("cannot write missing/folder/r.html")
        .run();
}
