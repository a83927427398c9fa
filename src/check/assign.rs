//! Which domain owns each module: the most specific matching pattern of the spec wins;
//! `shared` patterns make the shared kernel. A domain beats the kernel at equal specificity
//! (naming a module in a domain is the more deliberate statement).

use crate::codebase::Codebase;
use crate::spec::{ModulePattern, Spec, Specificity};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    Domain(String),
    Shared,
    Unassigned,
}

impl Owner {
    pub fn domain(&self) -> Option<&str> {
        match self {
            Owner::Domain(d) => Some(d),
            _ => None,
        }
    }
}

/// The owner of every module, indexed like `Codebase::modules`.
#[derive(Debug, Clone)]
pub struct DomainMap {
    pub owners: Vec<Owner>,
}

pub fn crate_names(cb: &Codebase) -> Vec<&str> {
    cb.crates.iter().map(|c| c.target.name.as_str()).collect()
}

fn best(patterns: &[ModulePattern], path: &str, crates: &[&str]) -> Option<Specificity> {
    patterns
        .iter()
        .filter_map(|p| p.matches(path, crates))
        .max()
}

pub fn assign(spec: &Spec, cb: &Codebase) -> DomainMap {
    let crates = crate_names(cb);
    let owners = cb
        .modules
        .iter()
        .map(|m| {
            let mut winner: Option<(Specificity, Owner)> =
                best(&spec.shared, &m.path, &crates).map(|s| (s, Owner::Shared));
            for (name, domain) in &spec.domains {
                if let Some(s) = best(&domain.modules, &m.path, &crates)
                    && winner
                        .as_ref()
                        .is_none_or(|(w, o)| s > *w || (s == *w && *o == Owner::Shared))
                {
                    winner = Some((s, Owner::Domain(name.clone())));
                }
            }
            winner.map_or(Owner::Unassigned, |(_, o)| o)
        })
        .collect();
    DomainMap { owners }
}

/// Whether another domain may name `item_path` (defined in `module_path`) directly: the item
/// matches a `public` pattern, or its module does (a public module exposes its items).
pub fn is_public(
    public: &[ModulePattern],
    item_path: &str,
    module_path: &str,
    crates: &[&str],
) -> bool {
    public
        .iter()
        .any(|p| p.matches(item_path, crates).is_some() || p.matches(module_path, crates).is_some())
}
