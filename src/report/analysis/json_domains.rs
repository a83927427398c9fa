//! The suggestion's part of the JSON contract (documented in `json.rs`): per-module domain
//! and confidence, and the top-level `domains`, `kernel`, `kernel_reasons`, `split_candidates`,
//! `disagreements`, `crossings`, `event_candidates` and `suggestion` keys.

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::AnalysisReport;
use crate::suggest::{KernelModule, KernelWhy, kernel_why};

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[derive(Serialize)]
pub(super) struct WireSuggestion<'a> {
    domains: Vec<WireDomain<'a>>,
    kernel: Vec<&'a str>,
    kernel_reasons: Vec<WireKernelReason<'a>>,
    split_candidates: Vec<WireSplit<'a>>,
    disagreements: Vec<WireDisagreement<'a>>,
    crossings: Vec<WireCrossing<'a>>,
    event_candidates: Vec<WireEvent<'a>>,
    suggestion: Option<WireParams>,
}

#[derive(Serialize)]
struct WireParams {
    resolution: f64,
    seed: u64,
}

#[derive(Serialize)]
struct WireDomain<'a> {
    name: &'a str,
    modules: &'a [String],
    confidence: f64,
    items: usize,
    top_types: &'a [String],
    tables: &'a [String],
    crossings: usize,
}

/// Why one kernel module is there: `reason` the stable id of what explains most of it,
/// `text` the same in words, `items` its clustered items and `item_reasons` how many of them
/// are kernel for each reason.
#[derive(Serialize)]
struct WireKernelReason<'a> {
    module: &'a str,
    reason: &'static str,
    text: String,
    items: usize,
    item_reasons: BTreeMap<&'static str, usize>,
}

fn kernel_reason(k: &KernelModule) -> WireKernelReason<'_> {
    let (items, item_reasons) = match &k.why {
        KernelWhy::Items { reasons, items } => (
            *items,
            (reasons.iter())
                .map(|r| (kernel_why::id(&r.reason), r.items))
                .collect(),
        ),
        _ => (0, BTreeMap::new()),
    };
    WireKernelReason {
        module: &k.module,
        reason: k.why.id(),
        text: k.why.to_string(),
        items,
        item_reasons,
    }
}

#[derive(Serialize)]
struct WireSplit<'a> {
    module: &'a str,
    shares: BTreeMap<&'a str, f64>,
}

#[derive(Serialize)]
struct WireDisagreement<'a> {
    module: &'a str,
    declared: &'a str,
    suggested: &'a str,
}

#[derive(Serialize)]
struct WireCrossing<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    from_item: &'a str,
    to_item: &'a str,
    from_domain: &'a str,
    to_domain: &'a str,
    kind: &'a str,
}

#[derive(Serialize)]
struct WireField<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    ty: &'a str,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct WireSite<'a> {
    file: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct WireEvent<'a> {
    name: &'a str,
    owner: &'a str,
    callee: &'a str,
    reason: &'a str,
    fields: Vec<WireField<'a>>,
    subscribers: &'a [String],
    call_sites: Vec<WireSite<'a>>,
}

/// The suggested domain of a module; `None` for the shared kernel or without a suggestion.
pub(super) fn module_domain<'a>(r: &'a AnalysisReport, module: &str) -> Option<&'a str> {
    let s = r.suggestion.as_ref()?;
    let d = s.modules.get(module)?.domain?;
    Some(s.domains[d].name.as_str())
}

pub(super) fn module_confidence(r: &AnalysisReport, module: &str) -> f64 {
    r.suggestion
        .as_ref()
        .and_then(|s| s.modules.get(module))
        .map_or(0.0, |p| round(p.confidence))
}

pub(super) fn wire(r: &AnalysisReport) -> WireSuggestion<'_> {
    let Some(s) = &r.suggestion else {
        return WireSuggestion {
            domains: Vec::new(),
            kernel: Vec::new(),
            kernel_reasons: Vec::new(),
            split_candidates: Vec::new(),
            disagreements: Vec::new(),
            crossings: Vec::new(),
            event_candidates: Vec::new(),
            suggestion: None,
        };
    };
    WireSuggestion {
        domains: s
            .domains
            .iter()
            .map(|d| WireDomain {
                name: &d.name,
                modules: &d.modules,
                confidence: round(d.confidence),
                items: d.items,
                top_types: &d.top_types,
                tables: &d.tables,
                crossings: d.crossings,
            })
            .collect(),
        kernel: s.kernel.iter().map(|k| k.module.as_str()).collect(),
        kernel_reasons: s.kernel.iter().map(kernel_reason).collect(),
        split_candidates: s
            .modules
            .iter()
            .filter(|(_, p)| !p.split.is_empty())
            .map(|(m, p)| WireSplit {
                module: m,
                shares: p
                    .split
                    .iter()
                    .map(|(d, share)| (d.as_str(), round(*share)))
                    .collect(),
            })
            .collect(),
        disagreements: s
            .disagreements
            .iter()
            .map(|d| WireDisagreement {
                module: &d.module,
                declared: &d.declared,
                suggested: &d.suggested,
            })
            .collect(),
        crossings: s
            .crossings
            .iter()
            .map(|c| WireCrossing {
                file: &c.file,
                line: c.line,
                column: c.column,
                from_item: &c.from_item,
                to_item: &c.to_item,
                from_domain: &c.from_domain,
                to_domain: &c.to_domain,
                kind: c.kind,
            })
            .collect(),
        event_candidates: s
            .events
            .iter()
            .map(|e| WireEvent {
                name: &e.name,
                owner: &e.owner,
                callee: &e.callee,
                reason: e.reason,
                fields: e
                    .fields
                    .iter()
                    .map(|f| WireField {
                        name: &f.name,
                        ty: &f.ty,
                        note: f.note.as_deref(),
                    })
                    .collect(),
                subscribers: &e.subscribers,
                call_sites: e
                    .call_sites
                    .iter()
                    .map(|(file, line)| WireSite { file, line: *line })
                    .collect(),
            })
            .collect(),
        suggestion: Some(WireParams {
            resolution: round(s.resolution),
            seed: s.seed,
        }),
    }
}
