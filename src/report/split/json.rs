//! The JSON contract of `fissure split --format json` (`schema_version` 1):
//!
//! ```text
//! { "schema_version": 1, "system", "root", "spec", "applied": bool,
//!   "monolith": { "crate", "package_dir", "root_file" } | null,
//!   "order": [ crate names, kernel first ],
//!   "extracted": [ { "crate", "unit", "kernel": bool, "folder", "modules": [ paths ],
//!                    "files_moved": [ { "from", "to" } ],
//!                    "items_widened": [ { "item", "was", "module": bool,
//!                                         "file", "line", "column" } ],
//!                    "depends_on": [ crate names ] } ],
//!   "blocked": [ { "domain", "blockers": [ { "code", "message", "help",
//!                  "file", "line", "column", "source", "target", "to_domain",
//!                  "occurrences": [ { "file", "line", "column" } ] } ] } ],
//!   "staying": [ domains with nothing to move ],
//!   "already_extracted": [ domains found in crates of their own ] }
//! ```
//!
//! `extracted` is in `order`. Paths are relative to the analysed root with `/`. A blocker's
//! `file`/`line`/`column` are its first occurrence; `code` is documented in
//! docs/diagnostics.md. New keys may be added; existing ones keep their meaning.

use serde::Serialize;

use super::SplitReport;
use crate::diagnostics::Diagnostic;
use crate::split::{Extraction, FileMove};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Wire<'a> {
    schema_version: u32,
    system: &'a str,
    root: &'a str,
    spec: &'a str,
    applied: bool,
    monolith: Option<WireMonolith<'a>>,
    order: Vec<&'a str>,
    extracted: Vec<WireExtraction<'a>>,
    blocked: Vec<WireBlocked<'a>>,
    staying: &'a [String],
    already_extracted: &'a [String],
}

#[derive(Serialize)]
struct WireMonolith<'a> {
    #[serde(rename = "crate")]
    crate_name: &'a str,
    package_dir: &'a str,
    root_file: &'a str,
}

#[derive(Serialize)]
struct WireExtraction<'a> {
    #[serde(rename = "crate")]
    crate_name: &'a str,
    unit: &'a str,
    kernel: bool,
    folder: &'a str,
    modules: &'a [String],
    files_moved: Vec<WireMove<'a>>,
    items_widened: Vec<WireWidening<'a>>,
    depends_on: &'a [String],
}

#[derive(Serialize)]
struct WireMove<'a> {
    from: &'a str,
    to: &'a str,
}

#[derive(Serialize)]
struct WireWidening<'a> {
    item: &'a str,
    was: &'a str,
    module: bool,
    file: &'a str,
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct WireBlocked<'a> {
    domain: &'a str,
    blockers: Vec<WireBlocker<'a>>,
}

#[derive(Serialize)]
struct WireBlocker<'a> {
    code: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    source: Option<&'a str>,
    target: Option<&'a str>,
    to_domain: Option<&'a str>,
    occurrences: Vec<WirePlace>,
}

#[derive(Serialize)]
struct WirePlace {
    file: String,
    line: u32,
    column: u32,
}

pub fn render_json(report: &SplitReport<'_>) -> String {
    let plan = report.plan;
    let wire = Wire {
        schema_version: SCHEMA_VERSION,
        system: &plan.system,
        root: report.root,
        spec: report.spec,
        applied: report.applied,
        monolith: plan.monolith.as_ref().map(|m| WireMonolith {
            crate_name: &m.crate_name,
            package_dir: &m.package_dir,
            root_file: &m.root_file,
        }),
        order: plan.order(),
        extracted: plan.extracted.iter().map(extraction).collect(),
        blocked: (plan.blocked.iter())
            .map(|b| WireBlocked {
                domain: &b.domain,
                blockers: b.blockers.iter().map(blocker).collect(),
            })
            .collect(),
        staying: &plan.staying,
        already_extracted: &plan.already,
    };
    serde_json::to_string_pretty(&wire).unwrap_or_else(|_| String::from("{}")) + "\n"
}

fn extraction(e: &Extraction) -> WireExtraction<'_> {
    WireExtraction {
        crate_name: &e.crate_name,
        unit: &e.unit,
        kernel: e.is_kernel,
        folder: &e.folder,
        modules: &e.modules,
        files_moved: (e.files.iter())
            .map(|FileMove { from, to }| WireMove { from, to })
            .collect(),
        items_widened: (e.widened.iter())
            .map(|w| WireWidening {
                item: &w.item,
                was: &w.was,
                module: w.is_module,
                file: &w.file,
                line: w.line,
                column: w.column,
            })
            .collect(),
        depends_on: &e.depends_on,
    }
}

fn blocker(d: &Diagnostic) -> WireBlocker<'_> {
    let subject = d.subject.as_deref();
    WireBlocker {
        code: d.code.as_str(),
        message: &d.message,
        help: d.help.as_deref(),
        file: d.location.as_ref().map(|l| l.file.display().to_string()),
        line: d.location.as_ref().map(|l| l.line),
        column: d.location.as_ref().map(|l| l.column),
        source: subject.map(|s| s.source.as_str()),
        target: subject.map(|s| s.target.as_str()),
        to_domain: subject.and_then(|s| s.to_domain.as_deref()),
        occurrences: (d.labels.iter().filter(|l| l.primary))
            .map(|l| WirePlace {
                file: l.location.file.display().to_string(),
                line: l.location.line,
                column: l.location.column,
            })
            .collect(),
    }
}
