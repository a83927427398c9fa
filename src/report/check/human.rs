//! rustc-style output: violations grouped by domain pair, each with the offending source
//! line, a caret under the path, and the fix; then a summary footer.

use std::collections::BTreeMap;
use std::io::{self, Write};

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::CheckReport;
use crate::check::Violation;
use crate::diagnostics::Severity;

/// Byte range of the Rust path that starts at `line`:`column` (1-based; column in chars).
fn path_span(text: &str, line: u32, column: u32) -> Option<std::ops::Range<usize>> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line as usize - 2)?.0 + 1
    };
    let line_text = text[line_start..].split('\n').next().unwrap_or("");
    let (offset, _) = line_text
        .char_indices()
        .nth(column.saturating_sub(1) as usize)?;
    let rest = &line_text[offset..];
    if let Some(body) = rest.strip_prefix('"') {
        // A string literal (SQL): up to its closing quote on this line.
        let close = body.find('"').map_or(rest.len(), |i| i + 2);
        return Some(line_start + offset..line_start + offset + close);
    }
    let len = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == ':'))
        .map_or(rest.len(), |(i, _)| i)
        .max(1.min(rest.len()));
    Some(line_start + offset..line_start + offset + len)
}

/// The first whole-word, case-insensitive occurrence of `word` inside `range` of `text`.
fn word_in(
    text: &str,
    range: std::ops::Range<usize>,
    word: &str,
) -> Option<std::ops::Range<usize>> {
    let hay = text[range.clone()].to_ascii_lowercase();
    let word = word.to_ascii_lowercase();
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(i) = hay[from..].find(&word) {
        let start = from + i;
        let end = start + word.len();
        let before = hay[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_ident(c) && c != '.');
        let after = hay[end..]
            .chars()
            .next()
            .is_none_or(|c| !is_ident(c) && c != '.');
        if before && after {
            return Some(range.start + start..range.start + end);
        }
        from = end;
    }
    None
}

fn group<'a>(v: &'a Violation, report: &'a CheckReport<'a>, known: bool) -> Group<'a> {
    let level = match (v.severity, known) {
        (_, true) => Level::NOTE,
        (Severity::Error, false) => Level::ERROR,
        (Severity::Warning, false) => Level::WARNING,
        (Severity::Note, false) => Level::NOTE,
    };
    let title = if known {
        format!("{} (known, in the baseline)", v.message)
    } else {
        v.message.clone()
    };
    let mut g = Group::with_title(level.primary_title(title).id(v.rule.id()));
    let path = v.location.file.display().to_string();
    let source = report
        .sources
        .iter()
        .find(|s| s.path == v.location.file)
        .map(|s| s.text.as_str());
    let span = |t: &str| {
        let literal = path_span(t, v.location.line, v.location.column)?;
        // In SQL, point at the table itself rather than the whole query.
        let table = v
            .target
            .strip_prefix("table ")
            .filter(|_| v.edge_kind == "sql");
        Some(
            table
                .and_then(|name| word_in(t, literal.clone(), name))
                .unwrap_or(literal),
        )
    };
    match source.and_then(|t| span(t).map(|s| (t, s))) {
        Some((text, span)) => {
            g = g.element(
                Snippet::source(text)
                    .path(path)
                    .annotation(AnnotationKind::Primary.span(span).label(v.edge_kind)),
            );
        }
        None => {
            g = g.element(
                Origin::path(path)
                    .line(v.location.line as usize)
                    .char_column(v.location.column as usize),
            );
        }
    }
    g.element(Level::HELP.message(v.help.as_str()))
}

pub fn render(report: &CheckReport<'_>, out: &mut dyn Write) -> io::Result<()> {
    let renderer = if report.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let mut by_pair: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, v) in report.violations.iter().enumerate() {
        let from = v.from_domain.clone().unwrap_or_else(|| match v.rule {
            crate::check::Rule::Kernel | crate::check::Rule::Table => "shared kernel".into(),
            _ => "(no domain)".into(),
        });
        let to = v.to_domain.clone().unwrap_or_else(|| "-".into());
        by_pair.entry((from, to)).or_default().push(i);
    }
    for ((from, to), indices) in &by_pair {
        let new = indices.iter().filter(|i| report.is_new(**i)).count();
        let heading = if to == "-" {
            from.clone()
        } else {
            format!("{from} -> {to}")
        };
        writeln!(
            out,
            "== {heading}: {} violation{} ({new} new)\n",
            indices.len(),
            if indices.len() == 1 { "" } else { "s" }
        )?;
        for &i in indices {
            let v = &report.violations[i];
            writeln!(
                out,
                "{}\n",
                renderer.render(&[group(v, report, !report.is_new(i))])
            )?;
        }
    }
    let c = report.comparison;
    if !c.fixed.is_empty() {
        writeln!(
            out,
            "fixed since the baseline (remove with --update-baseline):"
        )?;
        for k in &c.fixed {
            writeln!(out, "  {}: {} -> {}", k.rule, k.source, k.target)?;
        }
        writeln!(out)?;
    }
    if !c.stale.is_empty() {
        writeln!(
            out,
            "stale baseline entries (their source no longer exists):"
        )?;
        for k in &c.stale {
            writeln!(out, "  {}: {} -> {}", k.rule, k.source, k.target)?;
        }
        writeln!(out)?;
    }
    if report.skipped_files > 0 {
        writeln!(
            out,
            "warning: {} files could not be analysed (see `fissure analyze`); their references are not checked\n",
            report.skipped_files
        )?;
    }
    let status = if report.fails() { "FAILED" } else { "ok" };
    writeln!(
        out,
        "fissure check {}: {status}. {} new, {} known, {} fixed, {} stale; {} modules in {} domains; {:.2}s",
        report.root,
        c.new.len(),
        c.known.len(),
        c.fixed.len(),
        c.stale.len(),
        report.ownership.iter().map(|(_, n)| n).sum::<usize>(),
        report
            .ownership
            .iter()
            .filter(|(d, _)| d != "(shared kernel)" && d != "(unassigned)")
            .count(),
        report.elapsed.as_secs_f64()
    )
}

#[cfg(test)]
mod tests {
    use super::path_span;

    #[test]
    fn spans_cover_the_whole_path() {
        let text = "fn f() {\n    let w = inventory::warehouses::pick(1);\n}\n";
        let span = path_span(text, 2, 13).unwrap();
        assert_eq!(&text[span], "inventory::warehouses::pick");
        assert!(path_span(text, 9, 1).is_none());
        let sql = "    db.query(\"SELECT * FROM orders\", &[]);\n";
        let span = path_span(sql, 1, 14).unwrap();
        assert_eq!(&sql[span.clone()], "\"SELECT * FROM orders\"");
        let q = "\"SELECT addresses.city FROM shipments JOIN addresses ON x\"";
        let table = super::word_in(q, 0..q.len(), "addresses").unwrap();
        assert_eq!(
            table,
            43..52,
            "the table after JOIN, not the `addresses.` qualifier"
        );
    }
}
