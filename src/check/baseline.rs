//! The baseline: known violations a team accepts for now, keyed by rule, source item and
//! target item (never by line, so moving code keeps them known). New violations fail; known
//! ones do not; known entries that no longer occur are fixed; entries whose source item no
//! longer exists are stale.
//!
//! File format (`schema_version` 1), written sorted so diffs stay small:
//!
//! ```json
//! { "schema_version": 1,
//!   "violations": [ { "rule": "boundary", "source": "shop::orders::service::place_order",
//!                     "target": "shop::inventory::warehouses::pick_warehouse" } ] }
//! ```

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::Violation;

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
        Ok(Baseline {
            keys: wire.violations.into_iter().collect(),
        })
    }

    pub fn from_violations(violations: &[Violation]) -> Baseline {
        Baseline {
            keys: violations.iter().map(Violation::key).collect(),
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

/// Each violation's standing against the baseline, and the baseline's leftovers.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// Indices into the violations, in order.
    pub new: Vec<usize>,
    pub known: Vec<usize>,
    /// Baseline entries that no longer occur (their source still exists).
    pub fixed: Vec<Key>,
    /// Baseline entries whose source item or module no longer exists.
    pub stale: Vec<Key>,
}

/// Compares violations with the baseline. `exists` says whether a source item or module
/// path still exists in the code.
pub fn compare(
    violations: &[Violation],
    baseline: &Baseline,
    exists: impl Fn(&str) -> bool,
) -> Comparison {
    let mut c = Comparison::default();
    let mut seen = BTreeSet::new();
    for (i, v) in violations.iter().enumerate() {
        let key = v.key();
        if baseline.keys.contains(&key) {
            c.known.push(i);
        } else {
            c.new.push(i);
        }
        seen.insert(key);
    }
    for key in &baseline.keys {
        if seen.contains(key) {
            continue;
        }
        // Domain cycles are keyed by domain names, not items; they cannot go stale.
        if key.rule == "domain-cycle" || exists(&key.source) {
            c.fixed.push(key.clone());
        } else {
            c.stale.push(key.clone());
        }
    }
    c
}

/// The baseline `--update-baseline` writes. Outside CI: exactly the current violations.
/// Under CI (the `CI` environment variable set): the old baseline minus what was fixed or
/// went stale; it never grows. Returns the new baseline and the keys it refused to add.
pub fn updated(old: &Baseline, violations: &[Violation], in_ci: bool) -> (Baseline, Vec<Key>) {
    let current = Baseline::from_violations(violations);
    if !in_ci {
        return (current, Vec::new());
    }
    let kept = old.keys.intersection(&current.keys).cloned().collect();
    let refused = current.keys.difference(&old.keys).cloned().collect();
    (Baseline { keys: kept }, refused)
}
