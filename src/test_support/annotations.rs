//! `check(fixture)`: a one-string project whose expected references are written under the
//! code that makes them, after rust-analyzer's `//^^^` annotations:
//!
//! ```text
//! //- /src/lib.rs crate:app
//! pub fn f() {}
//! pub fn g() { f(); }
//!           //^ call app::f
//! ```
//!
//! The carets stand under the columns of the nearest line above that is not an annotation;
//! after them come the edge kind and the target's path. The fixture is written into a
//! temporary folder as a real workspace and analysed through the application layer, like
//! `fissure analyze`; every reference the analysis resolves must be annotated, and every
//! annotation must be a reference it resolved. A mismatch prints the fixture annotated with
//! what the analysis found, to compare or paste.

use std::collections::BTreeSet;

use super::fixture::{Fixture, FixtureFile};
use super::{Analysis, AnalyzeOptions, analyze};

/// One expected reference: on `line` of `file`, starting in `columns`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Annotation {
    file: String,
    line: u32,
    columns: (u32, u32),
    kind: String,
    target: String,
}

/// One resolved reference of the analysis, where it starts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Found {
    file: String,
    line: u32,
    column: u32,
    kind: String,
    target: String,
}

impl Annotation {
    fn matches(&self, found: &Found) -> bool {
        self.file == found.file
            && self.line == found.line
            && (self.columns.0..self.columns.1).contains(&found.column)
            && self.kind == found.kind
            && self.target == found.target
    }
}

/// Analyses `fixture` (without tests) and checks its annotations; returns the analysis for
/// further assertions (module edges, statistics).
pub(crate) fn check(fixture: &str) -> Analysis {
    let analysis = analyze_fixture(fixture, AnalyzeOptions::default());
    let fixture = Fixture::parse(fixture);
    let expected: Vec<Annotation> = fixture.files.iter().flat_map(annotations).collect();
    let found = found(&analysis);
    let missing: Vec<&Annotation> = (expected.iter())
        .filter(|a| !found.iter().any(|f| a.matches(f)))
        .collect();
    let unexpected: Vec<&Found> = (found.iter())
        .filter(|f| !expected.iter().any(|a| a.matches(f)))
        .collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "annotated but not found: {missing:#?}\nfound but not annotated: {unexpected:#?}\n\
         the fixture as analysed:\n{}",
        annotated(&fixture, &found)
    );
    analysis
}

/// The analysis of `fixture` written into a temporary folder, which must read cleanly; its
/// annotations are not checked.
pub(crate) fn analyze_fixture(fixture: &str, options: AnalyzeOptions) -> Analysis {
    let dir = tempfile::tempdir().expect("a temporary folder");
    Fixture::parse(fixture).write_to(dir.path());
    let analysis = analyze(dir.path(), options).unwrap_or_else(|d| panic!("analyze: {d:?}"));
    let cb = &analysis.codebase;
    assert!(cb.parse_errors.is_empty(), "{:?}", cb.parse_errors);
    assert!(cb.diagnostics.is_empty(), "{:?}", cb.diagnostics);
    analysis
}

/// Whether `line` is an annotation: `//` then carets, spaces allowed before and between.
fn caret_start(line: &str) -> Option<usize> {
    let rest = line.trim_start().strip_prefix("//")?;
    rest.trim_start().starts_with('^').then(|| line.find('^'))?
}

fn annotations(file: &FixtureFile) -> Vec<Annotation> {
    let mut out = Vec::new();
    let mut annotated_line = None;
    for (index, line) in file.text.lines().enumerate() {
        let Some(start) = caret_start(line) else {
            annotated_line = Some(index as u32 + 1);
            continue;
        };
        let carets = line[start..].chars().take_while(|c| *c == '^').count();
        let mut words = line[start + carets..].split_whitespace();
        let (Some(kind), Some(target), None) = (words.next(), words.next(), words.next()) else {
            panic!("{}: `{line}` is not `//^^^ kind target`", file.path);
        };
        let start = start as u32 + 1;
        out.push(Annotation {
            file: file.path.clone(),
            line: annotated_line.expect("an annotation under a line of code"),
            columns: (start, start + carets as u32),
            kind: kind.to_owned(),
            target: target.to_owned(),
        });
    }
    out
}

fn found(a: &Analysis) -> Vec<Found> {
    let (cb, res) = (&a.codebase, &a.resolution);
    let found: BTreeSet<Found> = (res.refs.iter())
        .map(|r| Found {
            file: cb.file(r.file).display.replace('\\', "/"),
            line: r.pos.line,
            column: r.pos.column,
            kind: r.kind.as_str().to_owned(),
            target: res.target_path(cb, r.target),
        })
        .collect();
    found.into_iter().collect()
}

/// The fixture with its annotations replaced by what the analysis found.
fn annotated(fixture: &Fixture, found: &[Found]) -> String {
    let mut out = String::new();
    for file in &fixture.files {
        out.push_str(&format!("//- /{}", file.path));
        if let Some(package) = &file.package {
            out.push_str(&format!(" crate:{package}"));
        }
        if !file.deps.is_empty() {
            out.push_str(&format!(" deps:{}", file.deps.join(",")));
        }
        out.push('\n');
        for (index, line) in file.text.lines().enumerate() {
            if caret_start(line).is_some() {
                continue;
            }
            out.push_str(line);
            out.push('\n');
            let here = (found.iter()).filter(|f| f.file == file.path && f.line == index as u32 + 1);
            for f in here {
                out.push_str(&annotation_line(line, f));
            }
        }
    }
    out
}

/// `//^^^ kind target` with the carets under the name at the reference's column (the `//`
/// needs two columns before it: a reference in column 1 or 2 gets a marked line).
fn annotation_line(line: &str, f: &Found) -> String {
    let start = f.column as usize - 1;
    let name = (line.get(start..).unwrap_or(""))
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .count()
        .max(1);
    let carets = "^".repeat(name);
    match start.checked_sub(2) {
        Some(indent) => format!("{}//{carets} {} {}\n", " ".repeat(indent), f.kind, f.target),
        None => format!(
            "//?? column {}: indent the line to annotate {} {}\n",
            f.column, f.kind, f.target
        ),
    }
}
