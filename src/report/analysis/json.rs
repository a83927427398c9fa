//! The JSON contract of `fissure analyze --format json`. Other tools and our own checks
//! read it, so these wire types are separate from the internal ones and versioned:
//! adding a field is compatible, renaming or removing one bumps `schema_version`.
//!
//! ```text
//! { "schema_version": 1,
//!   "root": "fixtures/shop",
//!   "crates":  [ { "name", "kind", "root_file" } ],
//!   "modules": [ { "path", "crate", "file", "inline", "lines", "items", "public_items",
//!                  "fan_in", "fan_out", "instability",
//!                  "domain": "<suggested domain>" | null (shared kernel), "confidence" } ],
//!   "edges":   [ { "from", "to", "weight", "kinds": { "<kind>": count },
//!                  "examples": [ { "file", "line", "column", "from_item", "to_item", "kind" } ] } ],
//!   "cycles":  [ [ "module path", ... ] ],
//!   "cycle_paths": [ { "modules": [..], "hops": [ { "from", "to", "example": {..} } ] } ],
//!   "orphans": [ "file" ],
//!   "parse_errors": [ { "file", "line", "column", "message" } ],
//!   "diagnostics": [ { "severity", "code", "file", "line", "column", "message", "help" } ],
//!   "externals": { "<crate>": { "<external crate>": count } },
//!   "domains": [ { "name", "modules": [..], "confidence", "items", "top_types": [..],
//!                  "tables": [..], "crossings" } ],
//!   "kernel": [ "module path" ],
//!   "kernel_reasons": [ { "module", "reason": "<reason id>", "text",
//!                         "items", "item_reasons": { "<reason id>": count } } ],
//!   "split_candidates": [ { "module", "shares": { "<domain>": share } } ],
//!   "disagreements": [ { "module", "declared", "suggested" } ],       (with --spec)
//!   "crossings": [ { "file", "line", "column", "from_item", "to_item", "from_domain",
//!                    "to_domain", "kind" } ],
//!   "event_candidates": [ { "name", "owner", "callee", "reason",
//!                           "fields": [ { "name", "type", "note" } ],
//!                           "subscribers": [..], "call_sites": [ { "file", "line" } ] } ],
//!   "suggestion": { "resolution", "seed" },
//!   "stats": { "crates", "modules", "files", "lines", "items", "resolved_refs",
//!              "unresolved_refs", "external_refs", "method_guess", "method_typed",
//!              "field_typed", "methods_dropped" } }
//! ```

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::model::{AnalysisReport, Example};
use crate::diagnostics::Diagnostic;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Wire<'a> {
    schema_version: u32,
    root: &'a str,
    crates: Vec<WireCrate<'a>>,
    modules: Vec<WireModule<'a>>,
    edges: Vec<WireEdge<'a>>,
    cycles: Vec<&'a [String]>,
    cycle_paths: Vec<WireCycle<'a>>,
    orphans: &'a [String],
    parse_errors: Vec<WireParseError>,
    diagnostics: Vec<WireDiagnostic<'a>>,
    externals: &'a BTreeMap<String, BTreeMap<String, u64>>,
    #[serde(flatten)]
    suggestion: super::json_domains::WireSuggestion<'a>,
    stats: WireStats,
}

#[derive(Serialize)]
struct WireCrate<'a> {
    name: &'a str,
    kind: &'a str,
    root_file: &'a str,
}

#[derive(Serialize)]
struct WireModule<'a> {
    path: &'a str,
    #[serde(rename = "crate")]
    krate: &'a str,
    file: &'a str,
    inline: bool,
    lines: u32,
    items: u32,
    public_items: u32,
    fan_in: u32,
    fan_out: u32,
    instability: f64,
    domain: Option<&'a str>,
    confidence: f64,
}

#[derive(Serialize)]
struct WireExample<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    from_item: &'a str,
    to_item: &'a str,
    kind: &'a str,
}

#[derive(Serialize)]
struct WireEdge<'a> {
    from: &'a str,
    to: &'a str,
    weight: u64,
    kinds: &'a BTreeMap<&'static str, u32>,
    examples: Vec<WireExample<'a>>,
}

#[derive(Serialize)]
struct WireHop<'a> {
    from: &'a str,
    to: &'a str,
    example: WireExample<'a>,
}

#[derive(Serialize)]
struct WireCycle<'a> {
    modules: &'a [String],
    hops: Vec<WireHop<'a>>,
}

#[derive(Serialize)]
struct WireParseError {
    file: String,
    line: u32,
    column: u32,
    message: String,
}

#[derive(Serialize)]
pub(crate) struct WireDiagnostic<'a> {
    severity: &'static str,
    code: &'static str,
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    message: &'a str,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct WireStats {
    crates: u64,
    modules: u64,
    files: u64,
    lines: u64,
    items: u64,
    resolved_refs: u64,
    unresolved_refs: u64,
    external_refs: u64,
    method_guess: u64,
    method_typed: u64,
    field_typed: u64,
    methods_dropped: u64,
}

fn example(e: &Example) -> WireExample<'_> {
    WireExample {
        file: &e.file,
        line: e.line,
        column: e.column,
        from_item: &e.from_item,
        to_item: &e.to_item,
        kind: e.kind,
    }
}

pub(crate) fn diagnostic(d: &Diagnostic) -> WireDiagnostic<'_> {
    WireDiagnostic {
        severity: d.severity.as_str(),
        code: d.code.as_str(),
        file: d.location.as_ref().map(|l| l.file.display().to_string()),
        line: d.location.as_ref().map(|l| l.line),
        column: d.location.as_ref().map(|l| l.column),
        message: &d.message,
        help: d.help.as_deref(),
    }
}

pub fn render(r: &AnalysisReport, out: &mut dyn Write) -> io::Result<()> {
    let s = &r.stats;
    let wire = Wire {
        schema_version: SCHEMA_VERSION,
        root: &r.root,
        crates: r
            .crates
            .iter()
            .map(|c| WireCrate {
                name: &c.name,
                kind: c.kind,
                root_file: &c.root_file,
            })
            .collect(),
        modules: r
            .modules
            .iter()
            .map(|m| WireModule {
                path: &m.path,
                krate: &m.krate,
                file: &m.file,
                inline: m.inline,
                lines: m.lines,
                items: m.items,
                public_items: m.public_items,
                fan_in: m.fan_in,
                fan_out: m.fan_out,
                instability: (m.instability * 1000.0).round() / 1000.0,
                domain: super::json_domains::module_domain(r, &m.path),
                confidence: super::json_domains::module_confidence(r, &m.path),
            })
            .collect(),
        edges: r
            .edges
            .iter()
            .map(|e| WireEdge {
                from: &e.from,
                to: &e.to,
                weight: e.weight,
                kinds: &e.kinds,
                examples: e.examples.iter().map(example).collect(),
            })
            .collect(),
        cycles: r.cycles.iter().map(|c| c.modules.as_slice()).collect(),
        cycle_paths: r
            .cycles
            .iter()
            .map(|c| WireCycle {
                modules: &c.modules,
                hops: c
                    .hops
                    .iter()
                    .map(|(from, to, e)| WireHop {
                        from,
                        to,
                        example: example(e),
                    })
                    .collect(),
            })
            .collect(),
        orphans: &r.orphans,
        parse_errors: r
            .parse_errors
            .iter()
            .map(|d| WireParseError {
                file: d
                    .location
                    .as_ref()
                    .map(|l| l.file.display().to_string())
                    .unwrap_or_default(),
                line: d.location.as_ref().map_or(0, |l| l.line),
                column: d.location.as_ref().map_or(0, |l| l.column),
                message: d.message.clone(),
            })
            .collect(),
        diagnostics: r.diagnostics.iter().map(diagnostic).collect(),
        externals: &r.externals,
        suggestion: super::json_domains::wire(r),
        stats: WireStats {
            crates: s.crates,
            modules: s.modules,
            files: s.files,
            lines: s.lines,
            items: s.items,
            resolved_refs: s.resolved_refs,
            unresolved_refs: s.unresolved_refs,
            external_refs: s.external_refs,
            method_guess: s.method_guess,
            method_typed: s.method_typed,
            field_typed: s.field_typed,
            methods_dropped: s.methods_dropped,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &wire)?;
    writeln!(out)
}
