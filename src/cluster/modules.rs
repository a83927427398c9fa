//! From items to modules: which domains the items of each module fell into, the module's
//! majority domain, and whether the module is a split candidate.

use std::collections::BTreeMap;

use super::Suggestion;
use super::input::ClusterInput;

/// Where the items of one module went.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleDomains {
    /// `(domain, item count)`, `None` being the shared kernel; most items first, then by
    /// domain (kernel first).
    pub counts: Vec<(Option<u32>, usize)>,
    /// Mean confidence of the module's items.
    pub confidence: f64,
}

impl ModuleDomains {
    /// The domain holding most of the module's items (ties: kernel, then the lowest domain).
    pub fn majority(&self) -> Option<u32> {
        self.counts.first().and_then(|&(d, _)| d)
    }

    /// Number of items of the module.
    pub fn items(&self) -> usize {
        self.counts.iter().map(|&(_, c)| c).sum()
    }

    /// Share of the items outside the majority domain: a split candidate when this is large.
    pub fn minority_share(&self) -> f64 {
        let total = self.items();
        if total == 0 {
            return 0.0;
        }
        let top = self.counts.first().map_or(0, |&(_, c)| c);
        (total - top) as f64 / total as f64
    }
}

/// Groups a suggestion by module (`NodeInfo::module`).
pub fn module_domains(
    input: &ClusterInput,
    suggestion: &Suggestion,
) -> BTreeMap<String, ModuleDomains> {
    module_domains_of(input, suggestion, |_| true)
}

/// [`module_domains`] over the nodes (by index) that `counted` accepts; a module none of whose
/// nodes count is left out.
pub fn module_domains_of(
    input: &ClusterInput,
    suggestion: &Suggestion,
    counted: impl Fn(usize) -> bool,
) -> BTreeMap<String, ModuleDomains> {
    let mut raw: BTreeMap<&str, (BTreeMap<Option<u32>, usize>, f64)> = BTreeMap::new();
    for (i, node) in input.nodes.iter().enumerate() {
        if !counted(i) {
            continue;
        }
        let entry = raw.entry(node.module.as_str()).or_default();
        let domain = suggestion.domain.get(i).copied().flatten();
        *entry.0.entry(domain).or_default() += 1;
        entry.1 += suggestion.confidence.get(i).copied().unwrap_or(0.0);
    }
    raw.into_iter()
        .map(|(module, (counts, confidence_sum))| {
            let mut counts: Vec<(Option<u32>, usize)> = counts.into_iter().collect();
            counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let items: usize = counts.iter().map(|&(_, c)| c).sum();
            let confidence = confidence_sum / items.max(1) as f64;
            (module.to_owned(), ModuleDomains { counts, confidence })
        })
        .collect()
}
