//! Diagnostics for people (rustc-style: the source lines and a caret under each labelled
//! token, via annotate-snippets; one renderer for every command) and for machines
//! (versioned JSON).
//!
//! # JSON format, `schema_version` 1
//!
//! ```json
//! { "schema_version": 1,
//!   "diagnostics": [ { "severity": "error", "code": "unknown-key",
//!                      "message": "unknown key `modlues` in domain `users`",
//!                      "file": "fissure.yaml", "line": 7, "column": 5,
//!                      "help": "did you mean `modules`?" } ] }
//! ```
//!
//! `severity` is `error`, `warning` or `note`; `code` is a stable kebab-case code documented
//! in `docs/diagnostics.md`; `file`, `line` (1-based), `column` (1-based, in characters) and
//! `help` are `null` when unknown. New keys may be added; existing ones keep their meaning.

mod span;

use std::path::{Path, PathBuf};

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{
    AnnotationKind, Group, Level, Origin, Renderer, Snippet, normalize_untrusted_str,
};
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Label, Severity};

/// The version of the JSON format; bumped only on incompatible changes.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// A file's text, so the human renderer can show the offending line.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

/// The renderer every command's human output uses: ASCII decorations, ANSI styles when
/// `color`.
pub fn renderer(color: bool) -> Renderer {
    if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii)
}

/// Renders every diagnostic rustc-style, separated by blank lines. `color` adds ANSI styles.
pub fn render_human(diagnostics: &[Diagnostic], sources: &[Source<'_>], color: bool) -> String {
    let renderer = renderer(color);
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&render_one(diagnostic, sources, &renderer));
        out.push_str("\n\n");
    }
    out
}

/// One diagnostic, rustc-style: the title with its code, a snippet per file its labels point
/// into (primary spans `^^^`, secondary `---`), a note counting the occurrences when there
/// are several, and the help. Without a file's text, its place is given as `--> file:l:c`.
pub fn render_one(diagnostic: &Diagnostic, sources: &[Source<'_>], renderer: &Renderer) -> String {
    renderer.render(&[group(diagnostic, sources)])
}

/// The last line of human output: `3 errors, 1 warning`.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning")
    )
}

fn group<'a>(diagnostic: &'a Diagnostic, sources: &[Source<'a>]) -> Group<'a> {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    };
    let mut group = Group::with_title(
        level
            .primary_title(normalize_untrusted_str(&diagnostic.message))
            .id(diagnostic.code.as_str()),
    );
    for (path, labels) in labels_by_file(diagnostic) {
        group = group.element(file_element(&path, &labels, sources));
    }
    let occurrences = diagnostic.occurrences().len();
    if occurrences > 1 {
        group = group.element(Level::NOTE.message(format!("{occurrences} occurrences")));
    }
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(normalize_untrusted_str(help)));
    }
    group
}

/// The diagnostic's labels grouped by file, files in the order they are first named; a
/// diagnostic with a location but no labels is one unlabelled primary span.
fn labels_by_file(diagnostic: &Diagnostic) -> Vec<(PathBuf, Vec<Label>)> {
    let labels: Vec<Label> = if diagnostic.labels.is_empty() {
        diagnostic
            .location
            .iter()
            .map(|l| Label::primary(l.clone(), ""))
            .collect()
    } else {
        diagnostic.labels.clone()
    };
    let mut by_file: Vec<(PathBuf, Vec<Label>)> = Vec::new();
    for label in labels {
        match by_file.iter_mut().find(|(f, _)| *f == label.location.file) {
            Some((_, same_file)) => same_file.push(label),
            None => by_file.push((label.location.file.clone(), vec![label])),
        }
    }
    by_file
}

/// A snippet of `path` with every label whose token it can find, or the first label's
/// place alone when it can find none (the file's text is not at hand, the line is gone).
fn file_element<'a>(
    path: &Path,
    labels: &[Label],
    sources: &[Source<'a>],
) -> annotate_snippets::Element<'a> {
    let text = sources.iter().find(|s| s.path == path).map(|s| s.text);
    let spans: Vec<(std::ops::Range<usize>, &Label)> = text
        .map(|t| {
            labels
                .iter()
                .filter_map(|l| Some((span::label_span(path, t, l)?, l)))
                .collect()
        })
        .unwrap_or_default();
    let display = path.display().to_string();
    match text {
        Some(text) if !spans.is_empty() => {
            let annotations = spans.into_iter().map(|(range, label)| {
                let kind = if label.primary {
                    AnnotationKind::Primary
                } else {
                    AnnotationKind::Context
                };
                let annotation = kind.span(range);
                if label.message.is_empty() {
                    annotation
                } else {
                    annotation.label(normalize_untrusted_str(&label.message))
                }
            });
            Snippet::source(text)
                .path(display)
                .annotations(annotations)
                .into()
        }
        _ => {
            let first = &labels[0].location;
            Origin::path(display)
                .line(first.line as usize)
                .char_column(first.column as usize)
                .into()
        }
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    help: Option<&'a str>,
}

/// Renders the diagnostics as the versioned JSON document described in the module docs.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let report = JsonReport {
        schema_version: JSON_SCHEMA_VERSION,
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                severity: d.severity.as_str(),
                code: d.code.as_str(),
                message: &d.message,
                file: d.location.as_ref().map(|l| l.file.display().to_string()),
                line: d.location.as_ref().map(|l| l.line),
                column: d.location.as_ref().map(|l| l.column),
                help: d.help.as_deref(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&report).unwrap_or_else(|_| String::from("{}")) + "\n"
}
