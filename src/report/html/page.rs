//! The page's data: what the HTML report draws and what its script reads, as plain rows.
//! These are the page's own wire types (serialised into the page as one JSON blob), kept
//! apart from the pipeline's types. Domains, modules and findings are referred to by index;
//! modules are in matrix order (by domain, the shared kernel last, then by path).

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// The analysed folder as the user named it.
    pub root: String,
    /// The spec the page was checked against, when there was one.
    pub spec: Option<String>,
    pub stats: PageStats,
    /// The domains, then the shared kernel (always last, `kernel: true`).
    pub domains: Vec<PageDomain>,
    pub modules: Vec<PageModule>,
    /// Crossing references between two domains, counted.
    pub links: Vec<DomainLink>,
    /// The matrix: one cell per module dependency.
    pub cells: Vec<Cell>,
    pub crossings: Vec<PageCrossing>,
    pub events: Vec<PageEvent>,
    pub declared_events: Vec<DeclaredEvent>,
    /// Check's findings; `None` without a spec.
    pub findings: Option<Vec<PageFinding>>,
    /// Every item, for the search box.
    pub items: Vec<PageItem>,
    /// Module cycles, as module indices.
    pub cycles: Vec<Vec<usize>>,
    /// `split`'s plan (a dry run) with a spec; `None` without one.
    pub split: Option<PageSplit>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PageStats {
    pub crates: u64,
    pub modules: u64,
    pub files: u64,
    pub lines: u64,
    pub items: u64,
    pub references: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageDomain {
    pub name: String,
    pub kernel: bool,
    /// Declared in the spec (pinned), rather than suggested.
    pub declared: bool,
    /// Mean confidence of its items, two decimals.
    pub confidence: f64,
    /// Lines of its modules: the size of its region on the map.
    pub lines: u64,
    pub items: u64,
    /// Module indices, in matrix order.
    pub modules: Vec<usize>,
    pub top_types: Vec<String>,
    pub tables: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageModule {
    pub path: String,
    pub krate: String,
    pub file: String,
    pub lines: u32,
    pub items: u32,
    pub fan_in: u32,
    pub fan_out: u32,
    /// Domain index (the kernel's when the module is shared).
    pub domain: usize,
    pub confidence: f64,
    /// Why a shared module is in the kernel, in words; absent for a domain's module.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainLink {
    pub from: usize,
    pub to: usize,
    pub weight: u64,
    /// Both domains are in one cycle of the domain graph.
    pub cycle: bool,
}

/// Module `from` (the row) depends on module `to` (the column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub from: usize,
    pub to: usize,
    pub weight: u64,
    /// The two modules are in different domains, neither the shared kernel.
    pub cross: bool,
    /// One of the two modules is in the shared kernel (and the other is not).
    pub shared: bool,
    /// The two modules are in one module cycle.
    pub cycle: bool,
    /// Reference counts per kind, `call 3, type 1`.
    pub kinds: String,
    /// Up to three references as `(file, line, from item, to item, kind)`, an item written
    /// relative to its module (the row's or the column's) when it is inside it: the cells
    /// are most of a large page, so they are kept short.
    pub examples: Vec<(String, u32, String, String, &'static str)>,
}

/// One reference, as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageRef {
    pub file: String,
    pub line: u32,
    pub from_item: String,
    pub to_item: String,
    pub kind: &'static str,
}

/// A reference from an item of one domain to an item of another (domain indices).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageCrossing {
    pub from: usize,
    pub to: usize,
    #[serde(flatten)]
    pub at: PageRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Site {
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageEvent {
    pub name: String,
    pub owner: String,
    pub callee: String,
    pub reason: &'static str,
    /// `name: Type`
    pub fields: Vec<String>,
    pub subscribers: Vec<String>,
    pub call_sites: Vec<Site>,
}

/// An event of the spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclaredEvent {
    pub name: String,
    pub owner: String,
    pub description: Option<String>,
    pub fields: Vec<String>,
    pub subscribers: Vec<String>,
    /// The call sites of the candidate of the same name: what the event would replace.
    pub replaces: Vec<Site>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageFinding {
    pub code: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub from_domain: Option<String>,
    pub to_domain: Option<String>,
    pub file: Option<String>,
    pub line: u32,
    pub column: u32,
    /// The source lines around the finding, `(line number, text)`.
    pub snippet: Vec<(u32, String)>,
    pub help: Option<String>,
    /// The other places the same breach occurs (same rule, source and target).
    pub also_at: Vec<Site>,
    /// Not in the baseline.
    pub new: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageItem {
    pub path: String,
    pub kind: &'static str,
    pub module: usize,
}

/// The split plan: the crates `fissure split` would make, in order, and the domains that
/// stay with their blockers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageSplit {
    /// `2 crates extracted (9 files moved, ...)`, or why no plan could be made.
    pub summary: String,
    /// Crate names, the kernel first.
    pub order: Vec<String>,
    pub extracted: Vec<PageExtraction>,
    pub blocked: Vec<PageBlocked>,
    /// Domains with nothing to move (composition roots only).
    pub staying: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageExtraction {
    #[serde(rename = "crate")]
    pub crate_name: String,
    pub kernel: bool,
    pub folder: String,
    pub modules: Vec<String>,
    pub depends_on: Vec<String>,
    /// `(from, to)`.
    pub files: Vec<(String, String)>,
    /// `item (was -> pub)` with where it is defined.
    pub widened: Vec<(String, String, Site)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageBlocked {
    pub domain: String,
    pub blockers: Vec<PageBlocker>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageBlocker {
    pub code: &'static str,
    pub file: Option<String>,
    pub line: u32,
    pub message: String,
    pub help: Option<String>,
}
