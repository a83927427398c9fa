//! `check`: the spec's domain map laid over the resolved references. Every reference that
//! crosses a boundary the spec does not allow becomes a finding: a [`Diagnostic`] with a
//! label per occurrence, labels at the spec lines that explain it, and a [`Subject`] whose
//! code, source and target are its baseline key. A baseline turns known findings into debt
//! that may only shrink.
//!
//! [`Subject`]: crate::diagnostics::Subject

pub mod assign;
pub mod baseline;
mod cycles;
pub mod policy;
mod publish_rights;
pub(crate) mod replacement_event;
mod rules;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::codebase::Codebase;
use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::Resolution;
use crate::spec::Spec;

pub use assign::DomainMap;

/// Runs every rule, then the policy. Pure: the spec (with any command-line levels set on
/// its `lints`) and the analysis in; the owner of each module and the findings out, sorted
/// by code, then place. The same source item naming the same target several times is one
/// finding with a primary label per occurrence.
pub fn check<'s>(
    spec: &'s Spec,
    cb: &Codebase,
    res: &Resolution,
) -> (DomainMap<'s>, Vec<Diagnostic>) {
    let map = assign::assign(spec, cb);
    let inputs = rules::Inputs {
        spec,
        cb,
        res,
        map: &map,
    };
    let (mut found, used) = rules::findings(&inputs);
    found.extend(cycles::cycles_between_domains(&inputs, &used));
    found.extend(publish_rights::publish_rights(&inputs));
    let crates = assign::crate_names(cb);
    let mut findings = policy::apply(&spec.lints, &crates, group(found));
    findings.sort_by(|a, b| order(a).cmp(&order(b)));
    (map, findings)
}

fn order(
    d: &Diagnostic,
) -> (
    Code,
    Option<&crate::diagnostics::Location>,
    Option<(&str, &str)>,
) {
    let subject = d
        .subject
        .as_deref()
        .map(|s| (s.source.as_str(), s.target.as_str()));
    (d.code, d.location.as_ref(), subject)
}

/// Merges the findings with one baseline key (code, source item, target) into the first,
/// in source order: the later ones' primary labels join it, so a count of places stays.
pub(crate) fn group(mut found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    found.sort_by(|a, b| order(a).cmp(&order(b)));
    let mut out: Vec<Diagnostic> = Vec::with_capacity(found.len());
    let mut index: BTreeMap<(Code, String, String), usize> = BTreeMap::new();
    for finding in found {
        let Some(subject) = finding.subject.as_deref() else {
            out.push(finding);
            continue;
        };
        let key = (finding.code, subject.source.clone(), subject.target.clone());
        match index.get(&key) {
            Some(&first) => {
                let labels = &mut out[first].labels;
                let after_primaries = labels.iter().rposition(|l| l.primary).map_or(0, |i| i + 1);
                let more: Vec<_> = finding.labels.into_iter().filter(|l| l.primary).collect();
                labels.splice(after_primaries..after_primaries, more);
            }
            None => {
                index.insert(key, out.len());
                out.push(finding);
            }
        }
    }
    out
}
