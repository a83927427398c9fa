//! Conventions of the source tree, enforced (after rust-analyzer's tidy tests): only the
//! `syntax` module knows syn.

use crate::support::repo;

/// Code lines (comments left out) of `text` that name `krate`: a path (`use syn::File`,
/// `syn::parse_file`) or `extern crate`.
fn naming<'a>(text: &'a str, krate: &str) -> Vec<(usize, &'a str)> {
    let path = format!("{krate}::");
    let import = format!("extern crate {krate}");
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .filter(|(_, line)| {
            let words = line.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'));
            words.clone().any(|w| w.starts_with(&path)) || line.contains(&import)
        })
        .map(|(n, line)| (n + 1, line))
        .collect()
}

/// ARCHITECTURE.md: only `syntax` depends on syn (and on prettyplease, which prints syn
/// trees). The benchmark crate `bench/` lies outside `src/`: its parse floor measures syn
/// itself.
#[test]
fn only_the_syntax_module_knows_syn() {
    let src = repo().join("src");
    let mut offenders = Vec::new();
    for entry in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_entry(|e| {
            !matches!(
                e.path().strip_prefix(&src).ok().and_then(|p| p.to_str()),
                Some("syntax")
            )
        })
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
    {
        let text = std::fs::read_to_string(entry.path()).expect("source reads");
        for krate in ["syn", "prettyplease"] {
            for (line, code) in naming(&text, krate) {
                offenders.push(format!(
                    "{}:{line}: {}",
                    entry.path().display(),
                    code.trim()
                ));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "syn outside src/syntax/:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_check_sees_a_syn_path_and_an_import_but_not_a_comment() {
    let text = "use syn::File;\nlet f = syn::parse_file(t);\n// syn::parse_file in a comment\nuse synonym::x;\nuse crate::syntax::print;\nextern crate syn;\n";
    let lines: Vec<usize> = naming(text, "syn").into_iter().map(|(n, _)| n).collect();
    assert_eq!(lines, [1, 2, 6]);
}
