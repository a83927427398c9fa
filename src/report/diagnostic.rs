//! Diagnostics for people (rustc-style: the source line and a caret under the offending
//! token, via annotate-snippets) and for machines (versioned JSON).
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

use std::path::Path;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{
    AnnotationKind, Group, Level, Origin, Renderer, Snippet, normalize_untrusted_str,
};
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity};

/// The version of the JSON format; bumped only on incompatible changes.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// A file's text, so the human renderer can show the offending line.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

/// Renders every diagnostic rustc-style, separated by blank lines. `color` adds ANSI styles.
pub fn render_human(diagnostics: &[Diagnostic], sources: &[Source<'_>], color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&renderer.render(&[group(diagnostic, sources)]));
        out.push_str("\n\n");
    }
    out
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
    if let Some(location) = &diagnostic.location {
        let path = location.file.display().to_string();
        let text = sources
            .iter()
            .find(|s| s.path == location.file)
            .map(|s| s.text);
        let span = text.and_then(|t| token_span(t, location.line, location.column));
        match (text, span) {
            (Some(text), Some(span)) => {
                group = group.element(
                    Snippet::source(text)
                        .path(path)
                        .annotation(AnnotationKind::Primary.span(span)),
                );
            }
            _ => {
                group = group.element(
                    Origin::path(path)
                        .line(location.line as usize)
                        .char_column(location.column as usize),
                );
            }
        }
    }
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(normalize_untrusted_str(help)));
    }
    group
}

/// The byte range of the YAML token that starts at `line`:`column` (1-based, column in
/// characters): a quoted string, or a plain scalar up to `,`, `]`, `}`, `: ` or a comment.
fn token_span(text: &str, line: u32, column: u32) -> Option<std::ops::Range<usize>> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line as usize - 2)?.0 + 1
    };
    let line_text = text[line_start..].split('\n').next().unwrap_or("");
    let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
    let column_offset = match line_text
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
    {
        Some((offset, _)) => offset,
        None if column as usize == line_text.chars().count() + 1 => line_text.len(),
        None => return None,
    };
    let rest = &line_text[column_offset..];
    let start = line_start + column_offset;
    let mut chars = rest.char_indices().peekable();
    let len = match chars.peek() {
        None => 0,
        Some(&(_, quote @ ('"' | '\''))) => {
            chars.next();
            let mut end = rest.len();
            while let Some((i, c)) = chars.next() {
                if c == quote {
                    end = i + 1;
                    break;
                }
                if c == '\\' && quote == '"' {
                    chars.next();
                }
            }
            end
        }
        Some(_) => {
            // `,`, `]` and `}` end a scalar only inside a flow collection (`[a, b]`).
            let in_flow = line_text[..column_offset].contains(['[', '{']);
            let mut end = rest.len();
            let mut previous = ' ';
            for (i, c) in rest.char_indices() {
                let next = rest[i + c.len_utf8()..].chars().next();
                let ends = in_flow && matches!(c, ',' | ']' | '}') && i > 0
                    || c == '#' && previous.is_whitespace()
                    || c == ':' && next.is_none_or(char::is_whitespace);
                if ends {
                    end = i;
                    break;
                }
                previous = c;
            }
            rest[..end].trim_end().len().max(1.min(rest.len()))
        }
    };
    Some(start..start + len)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_end_at_yaml_punctuation() {
        let text = "a:\n  modlues: [x]\n  f: { a: Option<Strng>, b: u32 }\n  s: \"quoted, here\" # c\n  t: Map<A, B>\n";
        let slice = |line, column| token_span(text, line, column).map(|r| &text[r]);
        assert_eq!(slice(2, 3), Some("modlues"));
        assert_eq!(slice(2, 13), Some("x"));
        assert_eq!(slice(3, 11), Some("Option<Strng>"));
        assert_eq!(slice(4, 6), Some("\"quoted, here\""));
        assert_eq!(slice(5, 6), Some("Map<A, B>"));
        assert_eq!(slice(9, 1), None);
        assert_eq!(slice(1, 3), Some(""));
    }
}
