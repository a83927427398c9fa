//! The JSON contract of `fissure check --format json` (`schema_version` 1):
//!
//! ```text
//! { "schema_version": 1, "root", "spec", "baseline": path | null,
//!   "summary": { "failed", "new", "known", "fixed", "stale", "elapsed_ms" },
//!   "violations": [ { "rule", "code", "severity", "status": "new" | "known",
//!                     "from_domain", "to_domain", "module", "item", "target", "kind",
//!                     "file", "line", "column", "message", "help",
//!                     "occurrences", "locations": [ { "file", "line", "column", "kind" } ],
//!                     "related": [ { "file", "line", "column", "message" } ] } ],
//!   "fixed": [ { "rule", "source", "target" } ], "stale": [ ... ],
//!   "ownership": { "<domain>": modules } }
//! ```
//!
//! One entry per finding. `rule` is the stable rule id (`boundary`, `table`, `kernel`,
//! `unassigned`, `domain-cycle`, then new codes by their name; see `Code::rule_id`) and
//! `code` the name every human output uses (`boundary-violation`). `file`, `line`,
//! `column` and `kind` are those of the first occurrence; `locations` lists every
//! occurrence (`occurrences` of them: the same item naming the same target several times is
//! one finding), `related` the spec lines that explain it. Findings about the spec itself
//! (`unmatched-exception`) have null domains and empty `module`, `item`, `target` and
//! `kind`. Added in version 1 without a bump: `code`, `occurrences`, `locations`, `related`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::CheckReport;
use crate::check::baseline::Key;
use crate::diagnostics::{Diagnostic, Location};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Wire<'a> {
    schema_version: u32,
    root: &'a str,
    spec: &'a str,
    baseline: Option<&'a str>,
    summary: Summary,
    violations: Vec<WireFinding<'a>>,
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
struct WireFinding<'a> {
    rule: &'static str,
    code: &'static str,
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
    occurrences: usize,
    locations: Vec<WireLocation<'a>>,
    related: Vec<WireLocation<'a>>,
}

/// A place: `kind` for an occurrence, `message` for a related spec line.
#[derive(Serialize)]
struct WireLocation<'a> {
    file: String,
    line: u32,
    column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
}

fn place<'a>(location: &Location) -> WireLocation<'a> {
    WireLocation {
        file: location.file.display().to_string(),
        line: location.line,
        column: location.column,
        kind: None,
        message: None,
    }
}

fn finding<'a>(d: &'a Diagnostic, new: bool) -> WireFinding<'a> {
    let subject = d.subject.as_deref();
    let first = d.location.as_ref();
    let locations = if d.labels.iter().any(|l| l.primary) {
        d.labels
            .iter()
            .filter(|l| l.primary)
            .map(|l| WireLocation {
                kind: Some(l.message.as_str()),
                ..place(&l.location)
            })
            .collect()
    } else {
        first.map(place).into_iter().collect()
    };
    let related = d
        .labels
        .iter()
        .filter(|l| !l.primary)
        .map(|l| WireLocation {
            message: Some(l.message.as_str()),
            ..place(&l.location)
        })
        .collect();
    WireFinding {
        rule: d.code.rule_id(),
        code: d.code.as_str(),
        severity: d.severity.as_str(),
        status: if new { "new" } else { "known" },
        from_domain: subject.and_then(|s| s.from_domain.as_deref()),
        to_domain: subject.and_then(|s| s.to_domain.as_deref()),
        module: subject.map_or("", |s| s.module.as_str()),
        item: subject.map_or("", |s| s.source.as_str()),
        target: subject.map_or("", |s| s.target.as_str()),
        kind: subject.map_or("", |s| s.kind),
        file: first
            .map(|l| l.file.display().to_string())
            .unwrap_or_default(),
        line: first.map_or(0, |l| l.line),
        column: first.map_or(0, |l| l.column),
        message: &d.message,
        help: d.help.as_deref().unwrap_or(""),
        occurrences: d.occurrences().len(),
        locations,
        related,
    }
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
            .findings
            .iter()
            .enumerate()
            .map(|(i, d)| finding(d, report.is_new(i)))
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
