//! Explains a clustering, one phase per method: where each module went, the references that
//! cross the suggested boundaries, which domain owns each table, each domain's evidence (items,
//! confidence, top types), and the event candidates.

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::Analysis;
use crate::cluster::{ModuleDomains, module_domains};
use crate::resolve::{ItemId, Target};

use super::{
    Clustered, Crossing, Domain, DomainSuggestion, KernelModule, ModulePlacement, SuggestOptions,
    event_candidates, item_domains, kernel_why, module_majorities, module_votes, subjects,
};

/// What every phase reads: the clustering and where its items and modules ended up.
struct Explainer<'a> {
    analysis: &'a Analysis,
    c: &'a Clustered,
    /// Module path → the domains of its items (all items, for confidence and splits).
    per_module: BTreeMap<String, ModuleDomains>,
    /// Module path → (majority domain, inherited).
    majorities: BTreeMap<String, (Option<u32>, bool)>,
    /// Node → the domain it answers for (hubs answer for their module's).
    item_domain: Vec<Option<u32>>,
}

/// The suggestion explained: placements, crossings, table owners, domains and events.
pub(super) fn explain(
    analysis: &Analysis,
    options: &SuggestOptions,
    c: &Clustered,
) -> DomainSuggestion {
    let x = Explainer::new(analysis, c);
    let (modules, kernel) = x.placements();
    let (crossings, crossing_counts) = x.crossings();
    let (table_owners, domain_tables) = x.table_owners();
    let domains = x.domains(domain_tables, &crossing_counts, &modules);
    let built = &c.built;
    let events =
        event_candidates::candidates(analysis, built, &x.item_domain, &c.names, &built.tables);
    DomainSuggestion {
        domains,
        modules,
        kernel,
        crossings,
        events,
        table_owners,
        disagreements: Vec::new(),
        resolution: c.suggestion.resolution,
        seed: options.seed,
    }
}

impl<'a> Explainer<'a> {
    fn new(analysis: &'a Analysis, c: &'a Clustered) -> Self {
        let s = &c.suggestion;
        let built = &c.built;
        let voters = module_votes(&built.input, s);
        let clustered_domain = |id: ItemId| -> Option<Option<u32>> {
            built.node_of.get(&id).map(|&n| s.domain[n as usize])
        };
        let modules = (analysis.codebase.modules.iter()).map(|m| m.path.as_str());
        let subjects = subjects::with_table_nouns(
            subjects::module_subjects(modules),
            built.tables.keys().map(String::as_str),
        );
        let majorities = module_majorities(analysis, &voters, &clustered_domain, &subjects);
        let item_domain = item_domains(&built.input, s, &majorities);
        Explainer {
            analysis,
            c,
            per_module: module_domains(&built.input, s),
            majorities,
            item_domain,
        }
    }

    fn name_of(&self, d: Option<u32>) -> String {
        d.map_or_else(|| "kernel".to_owned(), |d| self.c.names[d as usize].clone())
    }

    /// The domain an item answers for: `None` if it was not clustered, `Some(None)` kernel.
    fn node_domain(&self, id: ItemId) -> Option<Option<u32>> {
        (self.c.built.node_of.get(&id)).map(|&n| self.item_domain[n as usize])
    }

    /// Every module's placement, and the kernel's modules with why they are there.
    fn placements(&self) -> (BTreeMap<String, ModulePlacement>, Vec<KernelModule>) {
        let mut modules = BTreeMap::new();
        for (path, &(domain, inherited)) in &self.majorities {
            let md = self.per_module.get(path);
            let split = md
                .filter(|md| md.counts.len() > 1 && md.minority_share() >= 0.25)
                .map(|md| {
                    md.counts
                        .iter()
                        .map(|&(d, n)| (self.name_of(d), n as f64 / md.items() as f64))
                        .collect()
                })
                .unwrap_or_default();
            modules.insert(
                path.clone(),
                ModulePlacement {
                    domain: domain.map(|d| d as usize),
                    confidence: md.map_or(1.0, |md| md.confidence),
                    split,
                    inherited,
                },
            );
        }
        let (built, s) = (&self.c.built, &self.c.suggestion);
        let items = kernel_why::item_reasons(&built.input, s);
        let kernel = kernel_why::kernel_modules(&modules, items, &self.analysis.codebase);
        (modules, kernel)
    }

    /// References between items placed in two different domains, sorted, with the number
    /// each domain takes part in.
    fn crossings(&self) -> (Vec<Crossing>, Vec<usize>) {
        let (cb, res) = (&self.analysis.codebase, &self.analysis.resolution);
        let mut crossings = Vec::new();
        let mut counts = vec![0usize; self.c.suggestion.domain_count];
        for r in &res.refs {
            let (Some(from), Target::Item(to)) = (r.from_item, r.target) else {
                continue;
            };
            let (Some(Some(a)), Some(Some(b))) = (self.node_domain(from), self.node_domain(to))
            else {
                continue;
            };
            if a == b {
                continue;
            }
            counts[a as usize] += 1;
            counts[b as usize] += 1;
            crossings.push(Crossing {
                file: cb.file(r.file).display.clone(),
                line: r.pos.line,
                column: r.pos.column,
                from_item: res.item(from).path.clone(),
                to_item: res.item(to).path.clone(),
                from_domain: self.name_of(Some(a)),
                to_domain: self.name_of(Some(b)),
                kind: r.kind.as_str(),
            });
        }
        crossings.sort();
        (crossings, counts)
    }

    /// Table → owning domain: the one that writes it most, else reads it most; and each
    /// domain's tables.
    fn table_owners(&self) -> (BTreeMap<String, String>, Vec<Vec<String>>) {
        let mut owners = BTreeMap::new();
        let mut domain_tables: Vec<Vec<String>> = vec![Vec::new(); self.c.suggestion.domain_count];
        for (table, usage) in &self.c.built.tables {
            if let Some(d) = usage.owner(&self.item_domain) {
                owners.insert(table.clone(), self.name_of(Some(d)));
                domain_tables[d as usize].push(table.clone());
            }
        }
        (owners, domain_tables)
    }

    /// Each domain with its modules, tables, crossings, items, confidence and top types.
    fn domains(
        &self,
        mut tables: Vec<Vec<String>>,
        crossing_counts: &[usize],
        modules: &BTreeMap<String, ModulePlacement>,
    ) -> Vec<Domain> {
        let s = &self.c.suggestion;
        let mut domains: Vec<Domain> = (0..s.domain_count)
            .map(|d| Domain {
                name: self.c.names[d].clone(),
                modules: Vec::new(),
                confidence: 0.0,
                items: 0,
                top_types: Vec::new(),
                tables: std::mem::take(&mut tables[d]),
                crossings: crossing_counts[d],
            })
            .collect();
        for (node, domain) in s.domain.iter().enumerate() {
            let Some(d) = *domain else { continue };
            domains[d as usize].items += 1;
            domains[d as usize].confidence += s.confidence[node];
        }
        for (dom, top) in domains.iter_mut().zip(self.top_types()) {
            dom.confidence /= dom.items.max(1) as f64;
            dom.top_types = top;
        }
        for (path, placement) in modules {
            if let Some(d) = placement.domain {
                domains[d].modules.push(path.clone());
            }
        }
        domains
    }

    /// The five most referenced structs and enums of each domain, most referenced first.
    fn top_types(&self) -> Vec<Vec<String>> {
        let (res, built, s) = (&self.analysis.resolution, &self.c.built, &self.c.suggestion);
        let mut incoming: BTreeMap<u32, usize> = BTreeMap::new();
        for r in &res.refs {
            if let Target::Item(to) = r.target
                && let Some(&n) = built.node_of.get(&to)
            {
                *incoming.entry(n).or_default() += 1;
            }
        }
        let mut types: Vec<Vec<(usize, String)>> = vec![Vec::new(); s.domain_count];
        for (node, domain) in s.domain.iter().enumerate() {
            let Some(d) = *domain else { continue };
            let item = res.item(built.items[node]);
            if matches!(
                item.kind,
                crate::syntax::ItemKind::Struct | crate::syntax::ItemKind::Enum
            ) {
                let refs = incoming.get(&(node as u32)).copied().unwrap_or(0);
                types[d as usize].push((refs, item.name.clone()));
            }
        }
        types
            .into_iter()
            .map(|mut t| {
                t.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                let mut seen = BTreeSet::new();
                t.into_iter()
                    .filter(|(_, n)| seen.insert(n.clone()))
                    .take(5)
                    .map(|(_, n)| n)
                    .collect()
            })
            .collect()
    }
}
