//! `split`: the plan that carries a monolith's own code across, one domain crate at a time.
//! Pure: the spec and the analysed code in, a [`SplitPlan`] out — which units (the shared
//! kernel, then each domain) move into a crate of their own, in which order, which files and
//! items that takes, and, for every domain that cannot move, each blocker as a
//! [`Diagnostic`] at the reference that causes it.
//!
//! `units.rs` finds what each owner would move (its top modules, their file trees) and the
//! layout blockers; `plan.rs` classifies every reference of the moved code, orders the
//! extractions and explains the rest (`blockers.rs` words each reason).

mod blockers;
pub mod diff;
pub mod edit;
pub mod manifest;
mod plan;
mod scan;
pub mod spec_edit;
mod units;

use crate::diagnostics::Diagnostic;

pub use plan::plan;

/// The folder the kernel crate goes to, and the parent folder of every domain crate.
pub const KERNEL_FOLDER: &str = "kernel";
pub const DOMAINS_FOLDER: &str = "domains";

/// What `split` will do (or did): the extraction order, the crates made, the domains left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitPlan {
    /// The spec's `system`: crates are named `<system>_<domain>` and `<system>_kernel`.
    pub system: String,
    /// The package the code moves out of (its manifest, relative to the analysed root).
    pub monolith: Option<Monolith>,
    /// The crates to make, in the order they can be made (the kernel first).
    pub extracted: Vec<Extraction>,
    /// The domains left in the monolith, each with why.
    pub blocked: Vec<Blocked>,
    /// Domains with nothing to move (only composition roots: crate roots, binaries).
    pub staying: Vec<String>,
    /// Domains already in a crate of their own (a second run finds them there).
    pub already: Vec<String>,
}

/// The crate the domains move out of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Monolith {
    /// The crate target's name (`hotel`).
    pub crate_name: String,
    /// Its package folder, relative to the analysed root (`` for a single package).
    pub package_dir: String,
    /// Its root file relative to the analysed root (`src/lib.rs`).
    pub root_file: String,
}

/// One new crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extraction {
    /// The domain's name, or `kernel` for the shared kernel.
    pub unit: String,
    pub is_kernel: bool,
    /// `<system>_<domain>`.
    pub crate_name: String,
    /// Relative to the analysed root: `domains/<domain>` or `kernel`.
    pub folder: String,
    /// The top modules moved (`hotel::billing`), each with its subtree.
    pub modules: Vec<String>,
    pub files: Vec<FileMove>,
    /// Items (and modules) the rest of the code names that were not `pub`: they become
    /// `pub`, the domain's public interface.
    pub widened: Vec<Widening>,
    /// The crates extracted before that this one depends on.
    pub depends_on: Vec<String>,
}

/// A file moved, paths relative to the analysed root with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileMove {
    pub from: String,
    pub to: String,
}

/// An item made `pub` because code outside its new crate names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Widening {
    /// The item's path in the monolith (`hotel::billing::model::Invoice`).
    pub item: String,
    /// `pub(crate)`, `pub(super)`, `pub(in ..)` or `private`.
    pub was: String,
    /// Where it is defined, relative to the analysed root.
    pub file: String,
    pub line: u32,
    pub column: u32,
    /// A module's `mod` declaration rather than an item.
    pub is_module: bool,
}

/// A domain that stays in the monolith, and every reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    pub domain: String,
    pub blockers: Vec<Diagnostic>,
}

impl SplitPlan {
    /// The crate names in extraction order.
    pub fn order(&self) -> Vec<&str> {
        self.extracted
            .iter()
            .map(|e| e.crate_name.as_str())
            .collect()
    }
}

/// The crate a unit becomes: `<system>_<unit>`, with `-` as `_`.
pub fn crate_name(system: &str, unit: &str) -> String {
    format!("{system}_{unit}").replace('-', "_")
}

/// The plan restricted to `domains` (`--domain`) and the crates they depend on; the whole
/// plan when `domains` is empty.
pub fn only(mut plan: SplitPlan, domains: &[String]) -> SplitPlan {
    if domains.is_empty() {
        return plan;
    }
    let mut wanted: std::collections::BTreeSet<String> = (plan.extracted.iter())
        .filter(|e| domains.contains(&e.unit))
        .map(|e| e.crate_name.clone())
        .collect();
    // Dependencies come earlier in the order: one pass from the back closes the set.
    for e in plan.extracted.iter().rev() {
        if wanted.contains(&e.crate_name) {
            wanted.extend(e.depends_on.iter().cloned());
        }
    }
    plan.extracted.retain(|e| wanted.contains(&e.crate_name));
    plan.blocked.retain(|b| domains.contains(&b.domain));
    plan.staying.retain(|s| domains.contains(s));
    plan.already.retain(|s| domains.contains(s));
    plan
}
