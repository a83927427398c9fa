//! Which domain owns each module: the spec's answer ([`Spec::owner_of`], the most specific
//! pattern wins) for every module of the codebase.

use crate::codebase::Codebase;
use crate::spec::{ModuleOwner, ModulePattern, Spec};

/// The owner of every module, indexed like `Codebase::modules`.
#[derive(Debug, Clone)]
pub struct DomainMap<'s> {
    pub owners: Vec<ModuleOwner<'s>>,
}

impl DomainMap<'_> {
    /// How many modules each domain owns, in the spec's order, then the shared kernel and
    /// the unassigned modules (what reports show as ownership).
    pub fn module_counts(&self, spec: &Spec) -> Vec<(String, usize)> {
        let count = |wanted: ModuleOwner<'_>| self.owners.iter().filter(|o| **o == wanted).count();
        let mut out: Vec<(String, usize)> = spec
            .domains
            .keys()
            .map(|d| (d.clone(), count(ModuleOwner::Domain(d))))
            .collect();
        out.push(("(shared kernel)".into(), count(ModuleOwner::Shared)));
        out.push(("(unassigned)".into(), count(ModuleOwner::Unassigned)));
        out
    }
}

pub fn crate_names(cb: &Codebase) -> Vec<&str> {
    cb.crates.iter().map(|c| c.target.name.as_str()).collect()
}

pub fn assign<'s>(spec: &'s Spec, cb: &Codebase) -> DomainMap<'s> {
    let crates = crate_names(cb);
    let owners = cb
        .modules
        .iter()
        .map(|m| spec.owner_of(&m.path, &crates))
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
