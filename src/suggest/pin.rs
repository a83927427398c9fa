//! `--spec FILE`: the domains a spec declares are pinned, the rest of the code is suggested,
//! and the modules whose suggested domain disagrees with the declared one are reported.
//!
//! Each suggested domain is matched with the declared domain it shares most modules with;
//! a declared module whose suggested domain matched another declared domain is a
//! disagreement. Declared modules then take their declared domain (declared `shared`
//! modules go to the kernel), and undeclared modules of a matched suggested domain join the
//! declared one, so the declared names are kept.

use std::collections::BTreeMap;

use crate::spec::model::{ModuleOwner, Spec};

use super::{Disagreement, Domain, DomainSuggestion, KernelModule, KernelWhy};

/// Each declared module and its declared domain (`None` for `shared`).
type Declared = BTreeMap<String, Option<String>>;

/// Pins the domains of `spec` into `s` (see the module doc).
pub fn pin(s: &mut DomainSuggestion, spec: &Spec, crate_names: &[&str]) {
    let declared: Declared = s
        .modules
        .keys()
        .filter_map(|m| match spec.owner_of(m, crate_names) {
            ModuleOwner::Domain(d) => Some((m.clone(), Some(d.to_owned()))),
            ModuleOwner::Shared => Some((m.clone(), None)),
            ModuleOwner::Unassigned => None,
        })
        .collect();
    let matched = match_declared(s, &declared);
    let mut disagreements = disagreements(s, &declared, &matched);
    // Final names: declared domains first (by name), then unmatched suggested domains.
    let mut names: Vec<String> = spec.domains.keys().cloned().collect();
    for (d, m) in matched.iter().enumerate() {
        if m.is_none() && !names.contains(&s.domains[d].name) {
            names.push(s.domains[d].name.clone());
        }
    }
    let rename: Vec<String> = s
        .domains
        .iter()
        .enumerate()
        .map(|(d, dom)| matched[d].clone().unwrap_or_else(|| dom.name.clone()))
        .collect();
    let mut domains = merged_domains(&names, s.domains.clone(), &rename);
    let old_names: BTreeMap<String, String> = old_names_of(&rename, s);
    let index_of = |name: &str| names.iter().position(|n| n == name);
    let mut suggested_why: BTreeMap<String, KernelWhy> = std::mem::take(&mut s.kernel)
        .into_iter()
        .map(|k| (k.module, k.why))
        .collect();
    for (module, placement) in s.modules.iter_mut() {
        let name = match declared.get(module) {
            Some(owner) => owner.clone(),
            None => placement.domain.map(|d| rename[d].clone()),
        };
        placement.domain = name.as_deref().and_then(index_of);
        match placement.domain {
            Some(i) => domains[i].modules.push(module.clone()),
            None => s.kernel.push(KernelModule {
                module: module.clone(),
                why: kernel_why(declared.contains_key(module), suggested_why.remove(module)),
            }),
        }
    }
    rename_references(s, &old_names);
    for dom in &mut domains {
        dom.tables.sort();
        dom.tables.dedup();
    }
    s.domains = domains;
    disagreements.sort();
    s.disagreements = disagreements;
}

/// Why a pinned kernel module is there: the spec's word when it declares the module, else
/// the suggestion's reason (an undeclared module stays where the suggestion put it).
fn kernel_why(declared: bool, suggested: Option<KernelWhy>) -> KernelWhy {
    match suggested {
        Some(why) if !declared => why,
        _ => KernelWhy::Declared,
    }
}

/// Suggested domain → the declared domain it shares most declared modules with.
fn match_declared(s: &DomainSuggestion, declared: &Declared) -> Vec<Option<String>> {
    let mut overlap: Vec<BTreeMap<&str, usize>> = vec![BTreeMap::new(); s.domains.len()];
    for (module, owner) in declared {
        if let (Some(Some(d)), Some(name)) = (s.modules.get(module).map(|p| p.domain), owner) {
            *overlap[d].entry(name.as_str()).or_default() += 1;
        }
    }
    overlap
        .iter()
        .map(|o| {
            o.iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(n, _)| (*n).to_owned())
        })
        .collect()
}

/// The declared modules whose suggested domain (by its matched name) is not the declared one.
fn disagreements(
    s: &DomainSuggestion,
    declared: &Declared,
    matched: &[Option<String>],
) -> Vec<Disagreement> {
    let suggested_name = |d: Option<usize>| -> String {
        match d {
            None => "kernel".to_owned(),
            Some(d) => matched[d]
                .clone()
                .unwrap_or_else(|| s.domains[d].name.clone()),
        }
    };
    let mut disagreements = Vec::new();
    for (module, owner) in declared {
        let Some(placement) = s.modules.get(module) else {
            continue;
        };
        let suggested = suggested_name(placement.domain);
        let declared_name = owner.clone().unwrap_or_else(|| "kernel".to_owned());
        // Modules with no items of their own follow their children: no evidence to disagree.
        if !placement.inherited && suggested != declared_name {
            disagreements.push(Disagreement {
                module: module.clone(),
                declared: declared_name,
                suggested,
            });
        }
    }
    disagreements
}

/// One empty domain per final name, with the figures of the suggested domains renamed into
/// it merged in (confidence weighted by items); modules are placed afterwards.
fn merged_domains(names: &[String], old: Vec<Domain>, rename: &[String]) -> Vec<Domain> {
    let mut domains: Vec<Domain> = names
        .iter()
        .map(|n| Domain {
            name: n.clone(),
            modules: Vec::new(),
            confidence: 0.0,
            items: 0,
            top_types: Vec::new(),
            tables: Vec::new(),
            crossings: 0,
        })
        .collect();
    for (d, dom) in old.into_iter().enumerate() {
        if let Some(i) = names.iter().position(|n| *n == rename[d]) {
            let target = &mut domains[i];
            let total = target.items + dom.items;
            target.confidence = (target.confidence * target.items as f64
                + dom.confidence * dom.items as f64)
                / total.max(1) as f64;
            target.items = total;
            target.top_types.extend(dom.top_types);
            target.top_types.truncate(5);
            target.tables.extend(dom.tables);
            target.crossings += dom.crossings;
        }
    }
    domains
}

/// Renames the domains that crossings, events and table owners name; drops the crossings
/// and subscriptions that became internal to one domain.
fn rename_references(s: &mut DomainSuggestion, old_names: &BTreeMap<String, String>) {
    let new = |name: &String| old_names.get(name).cloned().unwrap_or_else(|| name.clone());
    for c in &mut s.crossings {
        c.from_domain = new(&c.from_domain);
        c.to_domain = new(&c.to_domain);
    }
    s.crossings.retain(|c| c.from_domain != c.to_domain);
    for e in &mut s.events {
        e.owner = new(&e.owner);
        let owner = e.owner.clone();
        e.subscribers = e
            .subscribers
            .iter()
            .map(new)
            .filter(|d| *d != owner)
            .collect();
        e.subscribers.sort();
        e.subscribers.dedup();
    }
    s.events.retain(|e| !e.subscribers.is_empty());
    for owner in s.table_owners.values_mut() {
        *owner = new(owner);
    }
}

/// Suggested domain name → the name it takes after pinning.
fn old_names_of(rename: &[String], s: &DomainSuggestion) -> BTreeMap<String, String> {
    s.domains
        .iter()
        .zip(rename)
        .map(|(d, new)| (d.name.clone(), new.clone()))
        .collect()
}
