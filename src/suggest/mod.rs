//! Domain suggestion for `fissure analyze`: the analysis becomes a cluster input
//! ([`input`]), the clustering engine (`crate::cluster`) splits it, and the split is explained:
//! modules and their confidence, tables owned, the references that cross the suggested
//! boundaries ([`explain`]), and the domain events that would replace the state-changing ones
//! ([`event_candidates`]).
//! [`draft_spec`] turns the result into a draft `fissure.yaml`; [`leave_one_out`] runs the
//! evaluation protocol over labelled projects.
//!
//! Everything here is a pure function of the analysis and the options.

mod aggregators;
mod children;
pub mod cochange;
mod common_modules;
pub mod draft_spec;
mod entity_aliases;
pub mod evaluate;
pub mod event_candidates;
mod explain;
pub mod input;
mod kernel_only;
pub mod kernel_why;
pub mod leave_one_out;
#[cfg(test)]
mod on_fixtures;
pub mod pin;
mod shared_domains;
pub mod subjects;
mod tables;
#[cfg(test)]
mod test_support;
mod variants;

use std::collections::{BTreeMap, BTreeSet};

use crate::analysis::Analysis;
use crate::cluster::{
    self, ClusterInput, KernelReason, LeidenClusterer, ModuleDomains, NamingHints, SuggestConfig,
    Suggestion, domain_names_with,
};
use crate::codebase::Codebase;
use crate::resolve::Target;

pub use event_candidates::{EventCandidate, EventField, past_tense, singular};
pub use input::{Built, LayerWeights};
pub use kernel_why::{KernelModule, KernelWhy};

/// Default modularity resolution, tuned on the dev set (`shared/bench`) and the fixtures:
/// below 1 because the module layer already keeps small modules together.
pub const DEFAULT_RESOLUTION: f64 = 0.75;

/// Options of [`suggest`].
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestOptions {
    pub resolution: f64,
    pub seed: u64,
    pub target_domains: Option<usize>,
    pub weights: LayerWeights,
    /// Module pairs that change together in the history (`--git`), when read.
    pub co_change: Option<cochange::CoChange>,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions {
            resolution: DEFAULT_RESOLUTION,
            seed: cluster::DEFAULT_SEED,
            target_domains: None,
            weights: LayerWeights::default(),
            co_change: None,
        }
    }
}

/// One suggested domain.
#[derive(Debug, Clone, PartialEq)]
pub struct Domain {
    pub name: String,
    /// Modules whose majority domain this is, sorted.
    pub modules: Vec<String>,
    /// Mean confidence of the domain's items.
    pub confidence: f64,
    pub items: usize,
    /// The most referenced types of the domain, most referenced first.
    pub top_types: Vec<String>,
    /// Tables this domain writes most (or, when nobody writes them, reads most).
    pub tables: Vec<String>,
    /// References leaving or entering the domain from another domain.
    pub crossings: usize,
}

/// Where one module went.
#[derive(Debug, Clone, PartialEq)]
pub struct ModulePlacement {
    /// Index into [`DomainSuggestion::domains`]; `None` for the shared kernel.
    pub domain: Option<usize>,
    pub confidence: f64,
    /// When the module's items split between domains: `(domain name, share)`, largest first.
    pub split: Vec<(String, f64)>,
    /// The module has no clustered items; its placement follows its children or its uses.
    pub inherited: bool,
}

/// A reference from an item of one domain to an item of another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Crossing {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub from_item: String,
    pub to_item: String,
    pub from_domain: String,
    pub to_domain: String,
    pub kind: &'static str,
}

/// A declared domain (from `--spec`) that the code does not agree with.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Disagreement {
    pub module: String,
    pub declared: String,
    /// What the references alone suggest for this module.
    pub suggested: String,
}

/// The suggested split with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainSuggestion {
    pub domains: Vec<Domain>,
    /// Module path → placement, for every module of the codebase.
    pub modules: BTreeMap<String, ModulePlacement>,
    /// The shared kernel's modules (those placed in no domain), sorted, each with why.
    pub kernel: Vec<KernelModule>,
    pub crossings: Vec<Crossing>,
    pub events: Vec<EventCandidate>,
    /// Table → owning domain name.
    pub table_owners: BTreeMap<String, String>,
    pub disagreements: Vec<Disagreement>,
    pub resolution: f64,
    pub seed: u64,
}

/// The raw clustering with the data it was computed from, for evaluation and tests.
pub struct Clustered {
    pub built: Built,
    pub suggestion: Suggestion,
    pub names: Vec<String>,
}

/// Clusters the items of `analysis`.
pub fn cluster(analysis: &Analysis, options: &SuggestOptions) -> Clustered {
    let built = input::build(analysis, &options.weights, options.co_change.as_ref());
    let config = SuggestConfig {
        resolution: options.resolution,
        seed: options.seed,
        target_domains: options.target_domains,
        kernel: cluster::KernelRules {
            table_words: table_words(built.tables.keys().map(String::as_str)),
            domain_common_modules: common_modules::domain_common_modules(analysis, &built),
            ..cluster::KernelRules::default()
        },
        ..SuggestConfig::default()
    };
    let mut suggestion = cluster::suggest(&built.input, &LeidenClusterer, &config);
    kernel_only::kernel_only_references(&built, &mut suggestion);
    children::join_children_without_data(&built, &mut suggestion);
    shared_domains::kernel_shared_domains(&built, &mut suggestion);
    cluster::keep_files_whole(&mut suggestion, &input::files_of(analysis, &built.items));
    aggregators::kernel_aggregators(&built, &mut suggestion);
    shared_domains::kernel_isolated_domains(&built, &mut suggestion);
    shared_domains::kernel_subjectless_domains(&built, &mut suggestion);
    let hints = NamingHints {
        layers: subjects::layer_names(analysis.codebase.modules.iter().map(|m| m.path.as_str())),
        tables: owned_tables(&built, &suggestion),
    };
    let names = spec_names(domain_names_with(&built.input, &suggestion, &hints));
    Clustered {
        built,
        suggestion,
        names,
    }
}

/// The lowercase `_`-separated words of the table names (`crate_meta` gives `crate` and
/// `meta`; a schema prefix `public.` is dropped), three letters or more.
fn table_words<'a>(tables: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    tables
        .flat_map(|t| t.rsplit('.').next().unwrap_or(t).split('_'))
        .filter(|w| w.len() >= 3)
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Per domain, the tables its items write most (or, when nobody writes them, read most).
fn owned_tables(built: &Built, s: &Suggestion) -> Vec<BTreeSet<String>> {
    let mut out = vec![BTreeSet::new(); s.domain_count];
    for (table, usage) in &built.tables {
        if let Some(d) = usage.owner(&s.domain) {
            out[d as usize].insert(table.to_ascii_lowercase());
        }
    }
    out
}

/// Rust keywords: a domain becomes a crate and a module, so it cannot be one.
const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override",
    "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Names usable as spec domains, one per domain and distinct: a domain becomes a crate, so
/// two domains one name would be one crate. The naming keeps its names apart, but folding
/// them to snake_case can join two (`Order`, `order`); the later one takes a number.
fn spec_names(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let base = spec_name(&name);
        let mut candidate = base.clone();
        let mut n = 2;
        while out.contains(&candidate) {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        out.push(candidate);
    }
    out
}

/// A name usable as a spec domain: snake_case, not a keyword.
fn spec_name(name: &str) -> String {
    let mut out = draft_spec::snake_chars(name);
    if out.is_empty() || !out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out.insert_str(0, "d_");
    }
    if RUST_KEYWORDS.contains(&out.as_str()) {
        out.push_str("_domain");
    }
    out
}

/// The items that vote for their module's domain, grouped by module: all but hubs and
/// composition roots. Those are kernel because the whole codebase uses them (or they use the
/// whole codebase), which says nothing about where their module belongs: conduit's
/// `service::rooms::timeline` holds the timeline `Service` every domain calls, and follows its
/// `data` child instead of going to the kernel with it. A module of such items only is left
/// out, so [`module_majorities`] places it like a module without items.
pub fn module_votes(input: &ClusterInput, s: &Suggestion) -> BTreeMap<String, ModuleDomains> {
    cluster::module_domains_of(input, s, |node| {
        !matches!(
            s.kernel[node],
            Some(KernelReason::Hub { .. } | KernelReason::CompositionRoot { .. })
        )
    })
}

/// The domain each node answers for: its cluster's, or for a hub (a kernel item every domain
/// uses) the domain of its module, when that module has one. Conduit's `users::Service` is
/// kernel because every domain calls it, yet those calls are exactly the crossings a split
/// into services must replace; as kernel items they were not crossings, and conduit had 4
/// event candidates. Infrastructure by name stays kernel, and so do composition roots: the
/// route table calling every handler is wiring, not a domain's calls into others.
pub fn item_domains(
    input: &ClusterInput,
    s: &Suggestion,
    majorities: &BTreeMap<String, (Option<u32>, bool)>,
) -> Vec<Option<u32>> {
    input
        .nodes
        .iter()
        .enumerate()
        .map(|(node, info)| match &s.kernel[node] {
            Some(KernelReason::Hub { .. }) => {
                majorities.get(&info.module).and_then(|&(domain, _)| domain)
            }
            _ => s.domain[node],
        })
        .collect()
}

/// Module path → majority domain (`None` = kernel) for every module of the codebase: modules
/// with no clustered items take their children's majority, else (a leaf) the domain holding
/// most items of the other modules with its subject (`subjects`) when their code names it,
/// else the majority of what their module-level code (`use`, re-exports) names, else the
/// kernel.
pub fn module_majorities(
    analysis: &Analysis,
    per_module: &BTreeMap<String, ModuleDomains>,
    item_domain: &dyn Fn(crate::resolve::ItemId) -> Option<Option<u32>>,
    subjects: &BTreeMap<String, String>,
) -> BTreeMap<String, (Option<u32>, bool)> {
    let cb: &Codebase = &analysis.codebase;
    let mut out: BTreeMap<String, (Option<u32>, bool)> = BTreeMap::new();
    for (path, md) in per_module {
        out.insert(path.clone(), (md.majority(), false));
    }
    let by_subject = subject_domains(per_module, subjects);
    // Deepest first, so a parent sees its children's inherited placements.
    let mut order: Vec<usize> = (0..cb.modules.len()).collect();
    order.sort_by_key(|&m| {
        (
            std::cmp::Reverse(cb.modules[m].path.matches("::").count()),
            m,
        )
    });
    for m in order {
        let module = &cb.modules[m];
        if out.contains_key(&module.path) {
            continue;
        }
        let mut votes: BTreeMap<Option<u32>, usize> = BTreeMap::new();
        for child in module.children.values() {
            if let Some(&(d, _)) = out.get(&cb.module(*child).path) {
                *votes.entry(d).or_default() += 1;
            }
        }
        let from_uses = votes.is_empty();
        if from_uses {
            // What the module names, not the values it works through: conduit's
            // `database::key_value::*` modules make dozens of typed calls on their storage
            // trait (`self.tree.insert(..)`), which outvoted the service types they
            // implement and moved 25 of them into one domain (MoJoFM 53.7 -> 45.4).
            for r in &analysis.resolution.refs {
                if r.from_module.0 as usize != m || r.via_value {
                    continue;
                }
                if let Target::Item(to) = r.target
                    && let Some(d) = item_domain(to)
                {
                    *votes.entry(d).or_default() += 1;
                }
            }
            // Among the domains its code names, the one its subject's other modules hold
            // wins; a subject its code does not reach (`create` under every layer) is a
            // word the modules share, not what this one works on.
            if let Some(domain) = (subjects.get(&module.path))
                .and_then(|subject| by_subject.get(subject.as_str()))
                .and_then(strict_majority)
                .filter(|&d| votes.contains_key(&Some(d)))
            {
                out.insert(module.path.clone(), (Some(domain), true));
                continue;
            }
        }
        // A parent follows its children only when most of them agree (a crate root over
        // several domains is glue, hence kernel); module-level uses name a domain when any
        // domain is named at all.
        let total: usize = votes.values().sum();
        let best = votes
            .iter()
            .filter(|(d, _)| d.is_some())
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .filter(|(_, n)| from_uses || 2 * **n > total)
            .map(|(d, _)| *d)
            .unwrap_or(None);
        out.insert(module.path.clone(), (best, true));
    }
    out
}

/// Per cross-layer subject, the clustered items (voters, see [`module_votes`]) of its
/// modules per domain, the kernel left out.
///
/// A module without items of its own (garage's `admin::bucket`, `admin::key`: only an
/// `impl AdminRpcHandler` block, the handler's methods split into one file per subject) has
/// no node, so the names layer cannot tie it to its subject's other slices, and what its code
/// names decides alone: the command enums of the CLI's option structs and the handler's
/// reply type, named once per command, outvote the few model types it works on. Its name is
/// the developers' own grouping, read the same way for the modules with items.
fn subject_domains<'a>(
    per_module: &BTreeMap<String, ModuleDomains>,
    subjects: &'a BTreeMap<String, String>,
) -> BTreeMap<&'a str, BTreeMap<u32, usize>> {
    let mut out: BTreeMap<&str, BTreeMap<u32, usize>> = BTreeMap::new();
    for (module, md) in per_module {
        let Some(subject) = subjects.get(module) else {
            continue;
        };
        for &(domain, n) in &md.counts {
            if let Some(d) = domain {
                *out.entry(subject.as_str())
                    .or_default()
                    .entry(d)
                    .or_default() += n;
            }
        }
    }
    out
}

/// The domain holding more than half of `counts`, if one does.
fn strict_majority(counts: &BTreeMap<u32, usize>) -> Option<u32> {
    let total: usize = counts.values().sum();
    (counts.iter())
        .find(|&(_, &n)| 2 * n > total)
        .map(|(&d, _)| d)
}

/// Suggests domains for `analysis`, with the evidence, crossings and event candidates.
pub fn suggest(analysis: &Analysis, options: &SuggestOptions) -> DomainSuggestion {
    let clustered = cluster(analysis, options);
    let mut out = explain::explain(analysis, options, &clustered);
    drop_empty_domains(&mut out);
    out
}

/// Removes domains that no module ended up in (their few items sit in modules of another
/// majority): a domain must own code. Events they would publish go too; as subscribers they
/// are left out.
fn drop_empty_domains(s: &mut DomainSuggestion) {
    let keep: Vec<bool> = s.domains.iter().map(|d| !d.modules.is_empty()).collect();
    let mut new_index = Vec::with_capacity(keep.len());
    let mut next = 0usize;
    for &k in &keep {
        new_index.push(k.then_some(next));
        if k {
            next += 1;
        }
    }
    for p in s.modules.values_mut() {
        p.domain = p.domain.and_then(|d| new_index[d]);
    }
    let mut i = 0;
    s.domains.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    let kept: BTreeSet<String> = s.domains.iter().map(|d| d.name.clone()).collect();
    s.events.retain(|e| kept.contains(&e.owner));
    for e in &mut s.events {
        e.subscribers.retain(|d| kept.contains(d));
    }
    s.events.retain(|e| !e.subscribers.is_empty());
    s.table_owners.retain(|_, d| kept.contains(d));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::NodeInfo;

    #[test]
    fn table_words_are_the_lowercase_words_of_table_names_without_schema() {
        let words = table_words(["crate_meta", "public.Auth_Token", "ab_webhook"].into_iter());
        let expected: BTreeSet<String> = ["auth", "crate", "meta", "token", "webhook"]
            .map(String::from)
            .into();
        assert_eq!(words, expected, "`ab` is too short to be a subject");
    }

    #[test]
    fn spec_names_are_snake_case_distinct_and_not_keywords() {
        let names = ["Order", "order", "type", "order", "3d"].map(String::from);
        assert_eq!(
            spec_names(names.to_vec()),
            ["order", "order_2", "type_domain", "order_3", "d_3d"]
        );
    }

    /// A handler's methods split into one file per subject: `admin::bucket` holds only an
    /// `impl Handler` block naming the CLI's command enum three times and the bucket table once.
    const SPLIT_HANDLER: &str = r#"
//- /src/lib.rs crate:c
pub mod cli;
pub mod admin;
pub mod api;
pub mod model;
//- /src/cli.rs
pub enum BucketOp { List, Create, Delete }
//- /src/model.rs
pub struct BucketTable;
//- /src/api.rs
pub mod bucket;
//- /src/api/bucket.rs
pub fn list_buckets() {}
pub fn create_bucket() {}
//- /src/admin.rs
pub mod bucket;
pub struct Handler;
//- /src/admin/bucket.rs
use crate::cli::BucketOp;
use crate::model::BucketTable;
impl super::Handler {
    pub fn bucket_cmd(&self, op: BucketOp) -> Option<BucketTable> {
        match op {
            BucketOp::List => None,
            BucketOp::Create => None,
            BucketOp::Delete => None,
        }
    }
}
"#;

    #[test]
    fn a_module_without_items_follows_the_domain_of_its_subject_before_its_uses() {
        use crate::test_support::AnalyzeOptions;
        use crate::test_support::annotations::analyze_fixture;
        let analysis = analyze_fixture(SPLIT_HANDLER, AnalyzeOptions::default());
        let res = &analysis.resolution;
        // The CLI is domain 1, the bucket model and API domain 0; the handler is kernel.
        let domain_of = |module: &str| match module {
            "c::cli" => Some(1),
            "c::model" | "c::api::bucket" => Some(0),
            _ => None,
        };
        let item_domain = |id: crate::resolve::ItemId| {
            Some(domain_of(
                &analysis.codebase.module(res.item(id).module).path,
            ))
        };
        let votes = |module: &str, d: u32, n: usize| {
            let md = ModuleDomains {
                counts: vec![(Some(d), n)],
                confidence: 1.0,
            };
            (module.to_owned(), md)
        };
        // `c::admin::bucket`'s placement when `c::api::bucket` votes `api`, with `subject`
        // the subject of both bucket modules or of none.
        let placed = |api: Vec<(Option<u32>, usize)>, subject: bool| {
            let mut per_module: BTreeMap<String, ModuleDomains> =
                [votes("c::cli", 1, 1), votes("c::model", 0, 1)].into();
            let counts = ModuleDomains {
                counts: api,
                confidence: 1.0,
            };
            per_module.insert("c::api::bucket".to_owned(), counts);
            let subjects: BTreeMap<String, String> = (["c::admin::bucket", "c::api::bucket"])
                .iter()
                .filter(|_| subject)
                .map(|m| (m.to_string(), "bucket".to_owned()))
                .collect();
            module_majorities(&analysis, &per_module, &item_domain, &subjects)["c::admin::bucket"]
        };
        assert_eq!(
            placed(vec![(Some(0), 2)], false),
            (Some(1), true),
            "without a subject, the command enum named three times wins"
        );
        assert_eq!(
            placed(vec![(Some(0), 2)], true),
            (Some(0), true),
            "the other slice of its subject holds the bucket handlers"
        );
        assert_eq!(
            placed(vec![(Some(0), 1), (Some(2), 1)], true),
            (Some(1), true),
            "a subject split evenly between domains says nothing: the uses decide"
        );
        assert_eq!(
            placed(vec![(Some(2), 2)], true),
            (Some(1), true),
            "a subject whose domain the module's code never names is a shared word only"
        );
    }

    #[test]
    fn hubs_do_not_vote_for_their_module_but_answer_for_its_domain() {
        let node = |id: &str, module: &str| NodeInfo {
            id: id.to_owned(),
            module: module.to_owned(),
            words: vec![],
        };
        let input = ClusterInput {
            nodes: vec![
                node("c::timeline::Service", "c::timeline"),
                node("c::timeline::data::Data", "c::timeline::data"),
                node("c::users::Service", "c::users"),
                node("c::users::User", "c::users"),
                node("c::config::Config", "c::config"),
            ],
            layers: vec![],
        };
        let hub = Some(KernelReason::Hub {
            fan_in: 9,
            spread: 4,
        });
        let s = Suggestion {
            domain: vec![None, Some(0), None, Some(1), None],
            confidence: vec![1.0; 5],
            kernel: vec![
                hub.clone(),
                None,
                hub,
                None,
                Some(KernelReason::InfrastructureName {
                    segment: "config".into(),
                }),
            ],
            resolution: 1.0,
            domain_count: 2,
        };
        let votes = module_votes(&input, &s);
        assert!(!votes.contains_key("c::timeline"), "only a hub: no vote");
        assert_eq!(votes["c::timeline::data"].counts, vec![(Some(0), 1)]);
        assert_eq!(votes["c::users"].counts, vec![(Some(1), 1)]);
        assert_eq!(
            votes["c::config"].counts,
            vec![(None, 1)],
            "infrastructure by name still votes for the kernel"
        );

        // Placed, the timeline module follows its child; the users module its type.
        let majorities: BTreeMap<String, (Option<u32>, bool)> = [
            ("c::timeline", (Some(0), true)),
            ("c::timeline::data", (Some(0), false)),
            ("c::users", (Some(1), false)),
            ("c::config", (None, false)),
        ]
        .into_iter()
        .map(|(m, p)| (m.to_owned(), p))
        .collect();
        assert_eq!(
            item_domains(&input, &s, &majorities),
            vec![Some(0), Some(0), Some(1), Some(1), None],
            "hubs answer for their module's domain, infrastructure stays kernel"
        );
        let mut rooted = s.clone();
        rooted.kernel[2] = Some(KernelReason::CompositionRoot {
            fan_out: 9,
            spread: 4,
        });
        assert_eq!(
            item_domains(&input, &rooted, &majorities)[2],
            None,
            "a composition root is wiring, whatever its module"
        );
    }
}
