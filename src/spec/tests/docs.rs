//! Every spec diagnostic code has a heading in docs/diagnostics.md and a broken spec that
//! demonstrates it (the `--source` codes are covered by unit tests with hand-made indexes).

use std::path::Path;

use crate::diagnostics::Code;

#[test]
fn every_spec_code_is_documented() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"))
            .expect("docs/diagnostics.md");
    let headings: Vec<&str> = docs
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .collect();
    for code in crate::spec::CODES {
        assert!(
            headings.contains(&code.as_str()),
            "no `### {code}` in docs/diagnostics.md"
        );
        assert!(Code::ALL.contains(code), "{code} is missing from Code::ALL");
    }
}

#[test]
fn every_spec_code_has_a_broken_spec() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/specs/broken");
    let stems: Vec<String> = std::fs::read_dir(dir)
        .expect("fixtures/specs/broken")
        .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(str::to_string))
        .collect();
    let from_source = [Code::UnmatchedModulePattern, Code::UnknownPublicItem];
    for code in crate::spec::CODES
        .iter()
        .filter(|c| !from_source.contains(c))
    {
        assert!(
            stems
                .iter()
                .any(|s| s == code.as_str() || s.starts_with(&format!("{code}--"))),
            "no broken spec for `{code}`"
        );
    }
}

#[test]
fn codes_are_unique_and_kebab_case() {
    let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert!(
        names
            .iter()
            .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
    );
    names.sort();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "two codes share a name");
}

#[test]
fn every_code_of_every_command_is_documented() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"))
            .expect("docs/diagnostics.md");
    for code in Code::ALL {
        assert!(
            docs.lines().any(|l| l == format!("### {code}")),
            "no `### {code}` in docs/diagnostics.md"
        );
    }
}
