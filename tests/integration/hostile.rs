//! No input crashes fissure (issue 14): a hostile corpus generated at test time, one test per
//! class. Each hostile file sits in a small workspace beside healthy code; `analyze`, `check`
//! and `validate --source` must end with exit 0, 1 or 2 and the expected diagnostic, never a
//! signal, and the healthy code must still be analysed. How long each run takes is printed,
//! never asserted: `FISSURE_HOSTILE_BIN=<release fissure> cargo test --test integration
//! hostile -- --nocapture --test-threads=1` measures the bound the README states.

use std::time::Instant;

use serde_json::Value;

use super::support::{Case, Run};

/// A case run by the `fissure` under test, or by the one `FISSURE_HOSTILE_BIN` names (a
/// release build, to measure the bound the README states).
fn fissure() -> Case {
    match std::env::var_os("FISSURE_HOSTILE_BIN") {
        Some(bin) => Case::new().program(bin),
        None => Case::new(),
    }
}

/// [`Case::run`], printing how long the run took (`--nocapture` shows it; never asserted).
trait Timed {
    fn timed(self) -> Run;
}

impl Timed for Case {
    fn timed(self) -> Run {
        let start = Instant::now();
        let run = self.run();
        let test = std::thread::current().name().unwrap_or("?").to_string();
        eprintln!("{test}: {:.2}s", start.elapsed().as_secs_f64());
        run
    }
}

/// `app` with three modules: `orders` (a private `secret`), `billing` (which calls it: one
/// boundary violation `check` must still find) and `billing::hostile`, the file under test.
fn workspace() -> Case {
    fissure()
        .file(
            "Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        )
        .file("src/lib.rs", "pub mod orders;\npub mod billing;\n")
        .file("src/orders.rs", "pub fn secret() {}\n")
        .file(
            "src/billing.rs",
            "pub mod hostile;\npub fn bill() { crate::orders::secret(); }\n",
        )
        .spec(
            "version: 1\nsystem: app\ndomains:\n  orders: { modules: [crate::orders] }\n  billing: { modules: [crate::billing], depends_on: [orders] }\n",
        )
}

/// The workspace with `src/billing/hostile.rs` = `contents`.
fn hostile(contents: impl AsRef<[u8]>) -> Case {
    workspace().file("src/billing/hostile.rs", contents)
}

/// Every code `analyze --format json` reported (`parse-error` for each parse error).
fn codes(report: &Value) -> Vec<String> {
    let parse_errors = report["parse_errors"].as_array().expect("parse_errors");
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    (parse_errors.iter().map(|_| "parse-error".to_string()))
        .chain(
            diagnostics
                .iter()
                .map(|d| d["code"].as_str().unwrap().to_string()),
        )
        .collect()
}

fn module_paths(report: &Value) -> Vec<String> {
    (report["modules"].as_array().expect("modules").iter())
        .map(|m| m["path"].as_str().unwrap().to_string())
        .collect()
}

/// What one run of the three commands over `case` showed.
struct Survived {
    analyze: Value,
}

/// Runs `analyze`, `check` and `validate --source` over the case built by `case`: each must
/// end with its usual status, report `expected` (a code in the hostile file, or nothing), and still see the healthy modules and the boundary violation in them.
fn survives(case: impl Fn() -> Case, expected: Option<&str>) -> Survived {
    let analyze = case()
        .args(["analyze", ".", "--format", "json"])
        .timed()
        .json();
    let found = codes(&analyze);
    match expected {
        Some(code) => assert!(found.iter().any(|c| c == code), "{found:?}"),
        None => assert!(found.is_empty(), "{found:?}"),
    }
    let modules = module_paths(&analyze);
    for healthy in ["app::orders", "app::billing"] {
        assert!(modules.iter().any(|m| m == healthy), "{healthy} missing");
    }
    let check = case()
        .args(["check", ".", "--format", "json"])
        .status(1)
        .timed()
        .json();
    let rules: Vec<&str> = (check["violations"].as_array().expect("violations").iter())
        .map(|f| f["code"].as_str().unwrap_or_default())
        .collect();
    assert!(rules.contains(&"boundary-violation"), "{check}");
    let validate = case()
        .args(["validate", "--format", "json", "--source", "."])
        .timed()
        .json();
    let reported: Vec<&Value> = validate["diagnostics"].as_array().unwrap().iter().collect();
    match expected {
        Some(code) => assert!(
            reported.iter().any(|d| d["code"] == code
                && d["severity"] == "warning"
                && d["file"]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with("src/billing/hostile")),
            "{validate}"
        ),
        None => assert!(reported.is_empty(), "{validate}"),
    }
    Survived { analyze }
}

/// `open` `n` times, `middle`, then `close` `n` times.
fn nest(open: &str, middle: &str, close: &str, n: usize) -> String {
    format!("{}{middle}{}", open.repeat(n), close.repeat(n))
}

#[test]
fn twenty_thousand_nested_parentheses_are_analysed() {
    let text = format!(
        "pub fn deep() -> u32 {{ {} }}\n",
        nest("(", "1", ")", 20_000)
    );
    let run = survives(|| hostile(&text), None);
    assert!(module_paths(&run.analyze).contains(&"app::billing::hostile".to_string()));
}

#[test]
fn expressions_past_the_budget_are_skipped_at_the_token_that_crosses_it() {
    let text = format!(
        "pub fn deep() -> u32 {{\n    {}\n}}\n",
        nest("(", "1", ")", 30_000)
    );
    let run = survives(|| hostile(&text), Some("limit-exceeded"));
    let diagnostic = &run.analyze["diagnostics"][0];
    assert_eq!(diagnostic["file"], "src/billing/hostile.rs");
    // `pub fn deep ( ) -> u32 {` counts 7 tokens; the 24,994th `(`, in column 4 + 24,994,
    // crosses 25,000.
    assert_eq!(
        (&diagnostic["line"], &diagnostic["column"]),
        (&2.into(), &24_998.into())
    );
    for chain in ["-", "!", "&", "*"] {
        let text = format!("pub fn f() {{ let _ = {}1; }}\n", chain.repeat(100_000));
        survives(|| hostile(&text), Some("limit-exceeded"));
    }
    let sum = format!("pub const X: u32 = {}1;\n", "1 + ".repeat(100_000));
    survives(|| hostile(&sum), Some("limit-exceeded"));
}

#[test]
fn deep_blocks() {
    let ok = format!("pub fn f() {{ {} }}\n", nest("{ ", "1;", " }", 5_000));
    survives(|| hostile(&ok), None);
    let deep = format!("pub fn f() {{ {} }}\n", nest("{ ", "1;", " }", 30_000));
    survives(|| hostile(&deep), Some("limit-exceeded"));
    let else_ifs = format!(
        "pub fn f(a: bool) -> u8 {{ {} 0 {} }}\n",
        "if a { 1 } else { ".repeat(30_000),
        "}".repeat(30_000)
    );
    survives(|| hostile(&else_ifs), Some("limit-exceeded"));
}

#[test]
fn deep_types() {
    let ok = format!("pub type T = {};\n", nest("Vec<", "u8", ">", 5_000));
    survives(|| hostile(&ok), None);
    let deep = format!("pub type T = {};\n", nest("Vec<", "u8", ">", 30_000));
    survives(|| hostile(&deep), Some("limit-exceeded"));
    let wide = format!("pub type T = {};\n", nest("Map<u8, ", "u8", ">", 30_000));
    survives(|| hostile(&wide), Some("limit-exceeded"));
    let refs = format!("pub type T = {}u8;\n", "&".repeat(100_000));
    survives(|| hostile(&refs), Some("limit-exceeded"));
}

#[test]
fn deep_patterns() {
    let ok = format!("pub fn f() {{ let {} = 1; }}\n", nest("(", "x", ")", 5_000));
    survives(|| hostile(&ok), None);
    let deep = format!(
        "pub fn f() {{ let {} = 1; }}\n",
        nest("(", "x", ",)", 30_000)
    );
    survives(|| hostile(&deep), Some("limit-exceeded"));
    let refs = format!("pub fn f(x: &u8) {{ let {}y = x; }}\n", "&".repeat(100_000));
    survives(|| hostile(&refs), Some("limit-exceeded"));
}

#[test]
fn three_thousand_nested_inline_modules_are_analysed() {
    let text = nest("pub mod m { ", "pub struct Deepest;", " }", 3_000);
    let run = survives(|| hostile(&text), None);
    let modules = module_paths(&run.analyze);
    let deepest = format!("app::billing::hostile{}", "::m".repeat(3_000));
    assert!(modules.contains(&deepest), "{} modules", modules.len());
    let too_deep = nest("pub mod m { ", "", " }", 10_000);
    survives(|| hostile(&too_deep), Some("limit-exceeded"));
}

#[test]
fn ten_thousand_segment_paths() {
    let path = "a::".repeat(10_000);
    let text = format!("use {path}b;\npub fn f() {{ {path}g(); }}\n");
    survives(|| hostile(&text), None);
}

#[test]
fn ten_thousand_hop_reexport_chains() {
    let mut text = String::new();
    for i in 0..10_000 {
        text.push_str(&format!(
            "pub mod m{i} {{ pub use super::m{}::Target; }}\n",
            i + 1
        ));
    }
    text.push_str("pub mod m10000 { pub struct Target; }\npub fn f() -> m0::Target { todo!() }\n");
    survives(|| hostile(&text), None);
}

#[test]
fn glob_import_cycles() {
    let mut text = String::from("pub mod solo { pub use self::*; pub use super::solo::*; }\n");
    for i in 0..1_000 {
        text.push_str(&format!(
            "pub mod g{i} {{ pub use super::g{}::*; pub struct S{i}; }}\n",
            (i + 1) % 1_000
        ));
    }
    text.push_str("pub fn f() -> g0::S999 { todo!() }\n");
    survives(|| hostile(&text), None);
}

#[test]
fn path_attribute_loops() {
    let case = || {
        hostile("#[path = \"hostile.rs\"]\npub mod again;\n#[path = \"ping.rs\"]\npub mod ping;\n")
            .file(
                "src/billing/ping.rs",
                "#[path = \"pong.rs\"]\npub mod pong;\n",
            )
            .file(
                "src/billing/pong.rs",
                "#[path = \"ping.rs\"]\npub mod ping;\n",
            )
    };
    let run = survives(case, Some("missing-module-file"));
    let messages: Vec<&str> = (run.analyze["diagnostics"].as_array().unwrap().iter())
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages.iter().all(|m| m.contains("circular modules")),
        "{messages:?}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops() {
    let case = || {
        let case = hostile("pub mod looped;\n");
        let dir = case.root().join("src/billing/hostile");
        std::fs::create_dir_all(&dir).unwrap();
        // A file that points at itself, and a folder that contains itself.
        std::os::unix::fs::symlink("looped.rs", dir.join("looped.rs")).unwrap();
        std::os::unix::fs::symlink("..", dir.join("again")).unwrap();
        case
    };
    survives(case, Some("unreadable-file"));
}

#[test]
fn a_quarter_million_line_file() {
    let mut text = String::new();
    for i in 0..10_000 {
        text.push_str(&format!("pub fn f{i}(x: u32) -> u32 {{\n"));
        for j in 0..22 {
            text.push_str(&format!("    let x = x.wrapping_add({j});\n"));
        }
        text.push_str("    x\n}\n");
    }
    assert_eq!(text.lines().count(), 250_000);
    let run = survives(|| hostile(&text), None);
    assert!(run.analyze["stats"]["lines"].as_u64().unwrap() >= 250_000);
}

#[test]
fn ten_thousand_files_in_one_module() {
    let case = || {
        let mut decls = String::new();
        let mut case = workspace();
        for i in 0..10_000 {
            decls.push_str(&format!("pub mod f{i};\n"));
            case = case.file(&format!("src/billing/hostile/f{i}.rs"), "pub struct S;\n");
        }
        case.file("src/billing/hostile.rs", decls)
    };
    let run = survives(case, None);
    assert!(module_paths(&run.analyze).len() > 10_000);
}

#[test]
fn text_that_is_not_utf8_or_not_text() {
    survives(
        || hostile(b"pub fn f() {}\n// caf\xe9\n"),
        Some("unreadable-file"),
    );
    // Deterministic noise with NUL bytes, as in a stray binary named `.rs`.
    let mut state = 0x2545_f491u32;
    let binary: Vec<u8> = (0..65_536)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    survives(|| hostile(&binary), Some("unreadable-file"));
    let ascii_noise: String = binary.iter().map(|b| char::from(b % 95 + 32)).collect();
    survives(|| hostile(&ascii_noise), Some("parse-error"));
}

#[test]
fn byte_order_marks_crlf_and_empty_files_are_plain_code() {
    for text in [
        "\u{feff}pub struct Marked;\n",
        "pub struct A;\r\npub fn f() -> A {\r\n    A\r\n}\r\n",
        "",
    ] {
        survives(|| hostile(text), None);
    }
}

#[test]
fn malformed_manifests() {
    // A broken member is reported and skipped; the rest of the workspace is analysed.
    let case = fissure()
        .file(
            "Cargo.toml",
            "[workspace]\nmembers = [\"good\", \"broken\"]\n",
        )
        .file(
            "good/Cargo.toml",
            "[package]\nname = \"good\"\nversion = \"0.1.0\"\n",
        )
        .file("good/src/lib.rs", "pub fn f() {}\n")
        .file("broken/Cargo.toml", "[package\nname = \"broken\"\n")
        .file("broken/src/lib.rs", "pub fn g() {}\n");
    let report = case
        .args(["analyze", ".", "--format", "json"])
        .timed()
        .json();
    assert!(codes(&report).contains(&"bad-manifest".to_string()));
    assert!(module_paths(&report).contains(&"good".to_string()));
    // A broken root manifest stops the run with its position: exit 2.
    fissure()
        .file("Cargo.toml", "[package]\nname = \"x\"\nversion = = 1\n")
        .args(["analyze", "."])
        .status(2)
        .stderr_has("Cargo.toml:3:")
        .timed();
    fissure()
        .file("Cargo.toml", [0xff, 0xfe, 0x00])
        .args(["analyze", "."])
        .status(2)
        .stderr_has("error[bad-manifest]")
        .timed();
}

#[test]
fn member_globs_matching_nothing_or_thousands() {
    let report = fissure()
        .file(
            "Cargo.toml",
            "[workspace]\nmembers = [\"crates/*\", \"none/*\"]\n",
        )
        .file(
            "crates/one/Cargo.toml",
            "[package]\nname = \"one\"\nversion = \"0.1.0\"\n",
        )
        .file("crates/one/src/lib.rs", "pub fn f() {}\n")
        .args(["analyze", ".", "--format", "json"])
        .timed()
        .json();
    assert_eq!(module_paths(&report), ["one"]);
    let mut many = fissure().file("Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n");
    for i in 0..2_000 {
        many = many
            .file(
                &format!("crates/c{i}/Cargo.toml"),
                format!("[package]\nname = \"c{i}\"\nversion = \"0.1.0\"\n"),
            )
            .file(&format!("crates/c{i}/src/lib.rs"), "pub struct S;\n");
    }
    let report = many
        .args(["analyze", ".", "--format", "json"])
        .timed()
        .json();
    assert_eq!(report["crates"].as_array().unwrap().len(), 2_000);
}

#[test]
fn yaml_nested_ten_thousand_deep() {
    for nested in [nest("[", "1", "]", 10_000), nest("{a: ", "1", "}", 10_000)] {
        let spec = format!("version: 1\nsystem: app\ndomains: {nested}\n");
        let run = workspace()
            .spec(&spec)
            .args(["validate", "--format", "json", "--source", "."])
            .status(1)
            .timed()
            .json();
        let diagnostic = &run["diagnostics"][0];
        assert_eq!(diagnostic["code"], "spec-syntax-error", "{run}");
        assert_eq!(diagnostic["line"], 3, "{run}");
        workspace()
            .spec(&spec)
            .args(["check", "."])
            .status(2)
            .stderr_has("error[spec-syntax-error]")
            .stderr_has("nests deeper than a spec ever needs")
            .timed();
    }
}

#[test]
fn a_fifty_megabyte_spec() {
    let mut spec = String::from("version: 1\nsystem: app\ndomains:\n");
    let mut i = 0;
    while spec.len() < 50 << 20 {
        spec.push_str(&format!("  d{i}: {{ modules: [crate::d{i}] }}\n"));
        i += 1;
    }
    let run = workspace()
        .spec(&spec)
        .args(["validate", "--format", "json"])
        .status(1)
        .timed()
        .json();
    assert_eq!(run["diagnostics"][0]["code"], "spec-syntax-error", "{run}");
    workspace()
        .spec(&spec)
        .args(["validate"])
        .status(1)
        .stdout_has("error[spec-syntax-error]")
        .timed();
}
