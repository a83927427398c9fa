//! The baseline: known findings a team accepts for now, keyed by rule, source item and
//! target item (never by line, so moving code keeps them known). New findings fail; known
//! ones do not; known entries that no longer occur are fixed; entries whose source item no
//! longer exists are stale. Findings without a subject (`unmatched-exception`, about the
//! spec itself) have no key: they are always new.
//!
//! File format (`schema_version` 1), written sorted so diffs stay small. `rule` is the
//! code's [`rule_id`](crate::diagnostics::Code::rule_id) (`boundary` for
//! `boundary-violation`, so files written before the rename stay valid); either name is read.
//!
//! ```json
//! { "schema_version": 1,
//!   "violations": [ { "rule": "boundary", "source": "shop::orders::service::place_order",
//!                     "target": "shop::inventory::warehouses::pick_warehouse" } ] }
//! ```

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Code, Diagnostic};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Key {
    pub rule: String,
    pub source: String,
    pub target: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    pub keys: BTreeSet<Key>,
}

impl Key {
    /// The key of a finding that has a subject.
    pub fn of(finding: &Diagnostic) -> Option<Key> {
        let subject = finding.subject.as_deref()?;
        Some(Key {
            rule: finding.code.rule_id().to_string(),
            source: subject.source.clone(),
            target: subject.target.clone(),
        })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    schema_version: u32,
    violations: Vec<Key>,
}

impl Baseline {
    /// Parses a baseline file's text; the error names line and column.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let wire: Wire =
            serde_json::from_str(text).map_err(|e| format!("{}:{}: {e}", e.line(), e.column()))?;
        if wire.schema_version != SCHEMA_VERSION {
            return Err(format!(
                "1:1: unsupported baseline schema_version {} (this fissure writes {SCHEMA_VERSION})",
                wire.schema_version
            ));
        }
        let keys = wire
            .violations
            .into_iter()
            .map(|mut key| {
                // A code's new name and its former one mean the same rule.
                if let Some(code) = Code::from_name(&key.rule) {
                    key.rule = code.rule_id().to_string();
                }
                key
            })
            .collect();
        Ok(Baseline { keys })
    }

    pub fn from_findings(findings: &[Diagnostic]) -> Baseline {
        Baseline {
            keys: findings.iter().filter_map(Key::of).collect(),
        }
    }

    pub fn render(&self) -> String {
        let wire = Wire {
            schema_version: SCHEMA_VERSION,
            violations: self.keys.iter().cloned().collect(),
        };
        let mut s = serde_json::to_string_pretty(&wire).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// Each finding's standing against the baseline, and the baseline's leftovers.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// Indices into the findings, in order.
    pub new: Vec<usize>,
    pub known: Vec<usize>,
    /// Baseline entries that no longer occur (their source still exists).
    pub fixed: Vec<Key>,
    /// Baseline entries whose source item or module no longer exists.
    pub stale: Vec<Key>,
}

/// Compares findings with the baseline. `exists` says whether a source item or module
/// path still exists in the code.
pub fn compare(
    findings: &[Diagnostic],
    baseline: &Baseline,
    exists: impl Fn(&str) -> bool,
) -> Comparison {
    let mut c = Comparison::default();
    let mut seen = BTreeSet::new();
    for (i, finding) in findings.iter().enumerate() {
        match Key::of(finding) {
            Some(key) if baseline.keys.contains(&key) => {
                c.known.push(i);
                seen.insert(key);
            }
            _ => c.new.push(i),
        }
    }
    for key in &baseline.keys {
        if seen.contains(key) {
            continue;
        }
        // Domain cycles are keyed by domain names, not items; they cannot go stale.
        if key.rule == Code::CycleBetweenDomains.rule_id() || exists(&key.source) {
            c.fixed.push(key.clone());
        } else {
            c.stale.push(key.clone());
        }
    }
    c
}

/// The baseline `--update-baseline` writes. Outside CI: exactly the current findings.
/// Under CI (the `CI` environment variable set): the old baseline minus what was fixed or
/// went stale; it never grows. Returns the new baseline and the keys it refused to add.
pub fn updated(old: &Baseline, findings: &[Diagnostic], in_ci: bool) -> (Baseline, Vec<Key>) {
    let current = Baseline::from_findings(findings);
    if !in_ci {
        return (current, Vec::new());
    }
    let kept = old.keys.intersection(&current.keys).cloned().collect();
    let refused = current.keys.difference(&old.keys).cloned().collect();
    (Baseline { keys: kept }, refused)
}
