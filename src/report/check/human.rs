//! rustc-style output: findings grouped by domain pair, each rendered by the one
//! diagnostic renderer (the offending lines, every occurrence, the spec lines that explain
//! it, the fix); then what the baseline says and a summary footer.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::CheckReport;
use crate::check::baseline::Key;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::report::diagnostic::{Source, render_one, renderer};

/// A known finding (in the baseline) is shown as a note that says so.
fn as_known(finding: &Diagnostic) -> Diagnostic {
    Diagnostic {
        severity: Severity::Note,
        message: format!("{} (known, in the baseline)", finding.message),
        ..finding.clone()
    }
}

/// The heading a finding is listed under: the domain its code is in, and the one it reaches.
fn domain_pair(finding: &Diagnostic) -> (String, String) {
    let Some(subject) = finding.subject.as_deref() else {
        return ("(the spec)".into(), "-".into());
    };
    let from = subject
        .from_domain
        .clone()
        .unwrap_or_else(|| match finding.code {
            Code::KernelDependsOnDomain => "shared kernel".into(),
            _ => "(no domain)".into(),
        });
    (
        from,
        subject.to_domain.clone().unwrap_or_else(|| "-".into()),
    )
}

/// `  boundary-violation: a -> b`, by the code's current name whatever the file says.
fn key_line(key: &Key) -> String {
    let code: &str = match Code::from_name(&key.rule) {
        Some(code) => code.as_str(),
        None => &key.rule,
    };
    format!("  {code}: {} -> {}", key.source, key.target)
}

pub fn render(report: &CheckReport<'_>, out: &mut dyn Write) -> io::Result<()> {
    let renderer = renderer(report.color);
    let sources: Vec<Source<'_>> = (report.sources.iter())
        .map(|s| Source {
            path: &s.path,
            text: &s.text,
        })
        .collect();
    let mut by_pair: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, finding) in report.findings.iter().enumerate() {
        by_pair.entry(domain_pair(finding)).or_default().push(i);
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
            "== {heading}: {} finding{} ({new} new)\n",
            indices.len(),
            if indices.len() == 1 { "" } else { "s" }
        )?;
        for &i in indices {
            let finding = &report.findings[i];
            let shown = if report.is_new(i) {
                render_one(finding, &sources, &renderer)
            } else {
                render_one(&as_known(finding), &sources, &renderer)
            };
            writeln!(out, "{shown}\n")?;
        }
    }
    let c = report.comparison;
    if !c.fixed.is_empty() {
        writeln!(
            out,
            "fixed since the baseline (remove with --update-baseline):"
        )?;
        for k in &c.fixed {
            writeln!(out, "{}", key_line(k))?;
        }
        writeln!(out)?;
    }
    if !c.stale.is_empty() {
        writeln!(
            out,
            "stale baseline entries (their source no longer exists):"
        )?;
        for k in &c.stale {
            writeln!(out, "{}", key_line(k))?;
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
