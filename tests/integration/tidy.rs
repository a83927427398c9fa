//! Conventions of the source tree, enforced (after rust-analyzer's tidy tests): only the
//! `syntax` module knows syn, every Rust file says what it is in a `//!` header, and the
//! integration tests are one binary.

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

/// Rust files of the repository outside `fixtures/` (the monoliths analysed, written as their
/// users would) and `target/` folders.
fn rust_files() -> Vec<std::path::PathBuf> {
    let root = repo();
    walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_str().unwrap_or("");
            let fixtures = e.depth() == 1 && name == "fixtures";
            !fixtures && !matches!(name, "target" | ".git")
        })
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.into_path())
        .collect()
}

/// rust-analyzer's tidy: a file starts by saying what it holds, so a reader knows before
/// reading on (templates of generated code are files too: they carry one as well).
#[test]
fn every_rust_file_starts_with_a_module_doc() {
    let files = rust_files();
    assert!(
        files.len() > 100,
        "{} files: the walk missed the tree",
        files.len()
    );
    let bare: Vec<String> = files
        .iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).expect("source reads");
            !text.trim_start().starts_with("//!")
        })
        .map(|path| {
            path.strip_prefix(repo())
                .unwrap_or(path)
                .display()
                .to_string()
        })
        .collect();
    assert!(
        bare.is_empty(),
        "files without a `//!` header:\n{}",
        bare.join("\n")
    );
}

/// One integration test binary: a `tests/<name>.rs` or `tests/<folder>/main.rs` would be
/// another, linking the library once more. The runtime crate keeps its own.
#[test]
fn the_only_test_binary_under_tests_is_integration() {
    let tests = repo().join("tests");
    let mut binaries: Vec<String> = std::fs::read_dir(&tests)
        .expect("tests/ reads")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| {
            path.extension().is_some_and(|x| x == "rs") || path.join("main.rs").is_file()
        })
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    binaries.sort();
    assert_eq!(binaries, ["integration"]);
}

/// The files of `syntax` import each other without a cycle (issue 15: `extract`, `refs` and
/// `types` once imported each other); `attrs`, `paths` and `tokens` are the leaves they share.
#[test]
fn the_syntax_files_import_each_other_without_cycles() {
    let dir = repo().join("src/syntax");
    let mut imports = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("src/syntax") {
        let path = entry.expect("entry").path();
        let Some(name) = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        if name == "mod" || name == "tests" || path.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let named: std::collections::BTreeSet<String> = (text.split("super::").skip(1))
            .map(|rest| {
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
            })
            .map(|chars| chars.collect::<String>())
            .filter(|n| n != "facts" && n != &name)
            .collect();
        imports.insert(name, named);
    }
    assert!(imports["paths"].is_empty() && imports["attrs"].is_empty());
    // Depth-first search from every file; a file met again on the current path is a cycle.
    fn visit<'a>(
        file: &'a str,
        imports: &'a std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        path: &mut Vec<&'a str>,
    ) {
        assert!(!path.contains(&file), "import cycle: {path:?} -> {file}");
        path.push(file);
        for next in imports.get(file).into_iter().flatten() {
            visit(next, imports, path);
        }
        path.pop();
    }
    for file in imports.keys() {
        visit(file, &imports, &mut Vec::new());
    }
}
