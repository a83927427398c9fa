//! `check`: the spec's domain map laid over the resolved references. Every reference that
//! crosses a boundary the spec does not allow becomes a [`Violation`]; a baseline turns
//! known ones into debt that may only shrink.

pub mod assign;
pub mod baseline;
pub mod events;
mod rules;
#[cfg(test)]
mod tests;

use crate::codebase::Codebase;
use crate::diagnostics::{Location, Severity};
use crate::resolve::Resolution;
use crate::spec::Spec;

pub use assign::{DomainMap, Owner};

/// The rules, in the order reports list them. Their ids are a public contract (baselines,
/// SARIF rule ids, CI filters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    Boundary,
    Table,
    Kernel,
    Unassigned,
    DomainCycle,
}

impl Rule {
    pub const ALL: [Rule; 5] = [
        Rule::Boundary,
        Rule::Table,
        Rule::Kernel,
        Rule::Unassigned,
        Rule::DomainCycle,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Rule::Boundary => "boundary",
            Rule::Table => "table",
            Rule::Kernel => "kernel",
            Rule::Unassigned => "unassigned",
            Rule::DomainCycle => "domain-cycle",
        }
    }

    pub fn parse(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// One sentence: what the rule forbids.
    pub fn description(self) -> &'static str {
        match self {
            Rule::Boundary => {
                "Code of one domain names an item of another domain that is not in its public interface, or without declaring depends_on."
            }
            Rule::Table => {
                "Code of one domain reads or writes a database table that another domain owns."
            }
            Rule::Kernel => {
                "The shared kernel names an item of a domain; the kernel must not depend on any domain."
            }
            Rule::Unassigned => "A module that no domain and no shared pattern claims.",
            Rule::DomainCycle => "Domains whose allowed, used dependencies form a cycle.",
        }
    }
}

/// One broken rule at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub rule: Rule,
    pub severity: Severity,
    pub from_domain: Option<String>,
    pub to_domain: Option<String>,
    /// The module holding the offending code.
    pub module: String,
    /// The item holding the offending code (the module for module-level code).
    pub source: String,
    /// The item named, `table <name>`, or the module itself for `unassigned`.
    pub target: String,
    /// The reference's kind (`call`, `type`, ...), `sql`, `table-path` or `module`.
    pub edge_kind: &'static str,
    pub location: Location,
    pub message: String,
    pub help: String,
}

impl Violation {
    /// What identifies a violation across edits: not its line, so moving code does not
    /// make a known violation new.
    pub fn key(&self) -> baseline::Key {
        baseline::Key {
            rule: self.rule.id().to_string(),
            source: self.source.clone(),
            target: self.target.clone(),
        }
    }
}

/// Runs every rule. Pure: the spec and the analysis in, violations out (sorted).
pub fn check(spec: &Spec, cb: &Codebase, res: &Resolution) -> (DomainMap, Vec<Violation>) {
    let map = assign::assign(spec, cb);
    let violations = rules::check(&rules::Inputs {
        spec,
        cb,
        res,
        map: &map,
    });
    (map, violations)
}
