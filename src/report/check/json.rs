//! The JSON contract of `fissure check --format json` (`schema_version` 1):
//!
//! ```text
//! { "schema_version": 1, "root", "spec", "baseline": path | null,
//!   "summary": { "failed", "new", "known", "fixed", "stale", "elapsed_ms" },
//!   "violations": [ { "rule", "severity", "status": "new" | "known",
//!                     "from_domain", "to_domain", "module", "item", "target", "kind",
//!                     "file", "line", "column", "message", "help" } ],
//!   "fixed": [ { "rule", "source", "target" } ], "stale": [ ... ],
//!   "ownership": { "<domain>": modules } }
//! ```

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::CheckReport;
use crate::check::baseline::Key;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Wire<'a> {
    schema_version: u32,
    root: &'a str,
    spec: &'a str,
    baseline: Option<&'a str>,
    summary: Summary,
    violations: Vec<WireViolation<'a>>,
    fixed: &'a [Key],
    stale: &'a [Key],
    ownership: BTreeMap<&'a str, usize>,
}

#[derive(Serialize)]
struct Summary {
    failed: bool,
    new: usize,
    known: usize,
    fixed: usize,
    stale: usize,
    elapsed_ms: u128,
}

#[derive(Serialize)]
struct WireViolation<'a> {
    rule: &'static str,
    severity: &'static str,
    status: &'static str,
    from_domain: Option<&'a str>,
    to_domain: Option<&'a str>,
    module: &'a str,
    item: &'a str,
    target: &'a str,
    kind: &'a str,
    file: String,
    line: u32,
    column: u32,
    message: &'a str,
    help: &'a str,
}

pub fn render(report: &CheckReport<'_>, out: &mut dyn Write) -> io::Result<()> {
    let c = report.comparison;
    let wire = Wire {
        schema_version: SCHEMA_VERSION,
        root: &report.root,
        spec: &report.spec,
        baseline: report.baseline.as_deref(),
        summary: Summary {
            failed: report.fails(),
            new: c.new.len(),
            known: c.known.len(),
            fixed: c.fixed.len(),
            stale: c.stale.len(),
            elapsed_ms: report.elapsed.as_millis(),
        },
        violations: report
            .violations
            .iter()
            .enumerate()
            .map(|(i, v)| WireViolation {
                rule: v.rule.id(),
                severity: v.severity.as_str(),
                status: if report.is_new(i) { "new" } else { "known" },
                from_domain: v.from_domain.as_deref(),
                to_domain: v.to_domain.as_deref(),
                module: &v.module,
                item: &v.source,
                target: &v.target,
                kind: v.edge_kind,
                file: v.location.file.display().to_string(),
                line: v.location.line,
                column: v.location.column,
                message: &v.message,
                help: &v.help,
            })
            .collect(),
        fixed: &c.fixed,
        stale: &c.stale,
        ownership: report
            .ownership
            .iter()
            .map(|(d, n)| (d.as_str(), *n))
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &wire)?;
    writeln!(out)
}
