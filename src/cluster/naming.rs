//! Names for suggested domains, from their dominant vocabulary and module names.
//!
//! A term's score in domain `d` is the share of `d`'s items that carry it times
//! `ln(1 + D / df)`, where `D` is the number of domains and `df` the number of domains whose
//! items carry it: words typical of one domain win over words every domain uses; on a tie,
//! words also used as module names win. Words that name technical layers (`routes`,
//! `service`, `repository`...) never name a domain. In a workspace, an item also carries the
//! subject words of its crate's name (`ai` for `atuin_ai`, `post` for `lemmy_db_views_post`,
//! see `crates::crate_subjects`): the crate's authors named what it owns.
//!
//! Ownership comes before vocabulary where the caller knows it ([`NamingHints`]): a domain
//! whose best word names no table takes the name of a table it owns when that word scores at
//! least half as well (lemmy's `feeds` writes `notification`, `sql_types` writes `site`), and
//! a domain living under another domain's name is named as its part ([`parts`]).

mod parts;

use std::collections::{BTreeMap, BTreeSet};

use super::Suggestion;
use super::crates::{crate_of, crate_subjects};
use super::input::ClusterInput;
use super::vocab::{domain_words, is_stop_word, split_identifier};

/// Words that name a technical layer or a code-organisation folder, not a business domain.
/// Sorted, for binary search.
pub const LAYER_WORDS: &[&str] = &[
    "api",
    "app",
    "client",
    "client_server",
    "controller",
    "controllers",
    "core",
    "database",
    "db",
    "domain",
    "dto",
    "entities",
    "entity",
    "feature",
    "features",
    "handler",
    "handlers",
    "key_value",
    "kv",
    "lib",
    "model",
    "models",
    "presenter",
    "presenters",
    "repositories",
    "repository",
    "route",
    "routes",
    "schema",
    "server",
    "server_server",
    "service",
    "services",
    "types",
    "ui",
    "usecase",
    "usecases",
    "view",
    "views",
    "web",
];

/// Whether `word` names a technical layer (see [`LAYER_WORDS`]).
pub fn is_layer_word(word: &str) -> bool {
    LAYER_WORDS.binary_search(&word).is_ok()
}

/// How close to the best term a term naming an owned table must score to win.
const OWNED_SHARE: f64 = 0.5;

/// What naming knows of the code beyond the cluster input.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NamingHints {
    /// Normalized names of layer folders (`crate::suggest::subjects::layer_names`).
    pub layers: BTreeSet<String>,
    /// Per domain, the tables it owns (writes most, else reads most).
    pub tables: Vec<BTreeSet<String>>,
}

/// [`domain_names_with`] without hints.
pub fn domain_names(input: &ClusterInput, suggestion: &Suggestion) -> Vec<String> {
    domain_names_with(input, suggestion, &NamingHints::default())
}

/// One name per domain (index = domain id), unique: a domain whose best term is taken by a
/// domain with a lower id takes its next best, and `domain-<n>` when it has none left. A
/// domain that is a part of another is then named as such ([`parts::qualified`]).
pub fn domain_names_with(
    input: &ClusterInput,
    suggestion: &Suggestion,
    hints: &NamingHints,
) -> Vec<String> {
    let domains = suggestion.domain_count;
    let mut sizes = vec![0usize; domains];
    // term -> per-domain count of items carrying it
    let mut counts: BTreeMap<String, BTreeMap<u32, usize>> = BTreeMap::new();
    let mut module_terms: BTreeSet<String> = BTreeSet::new();
    // term -> per-domain count of items whose module path or crate carries it
    let mut places: BTreeMap<String, BTreeMap<u32, usize>> = BTreeMap::new();
    let subjects = crate_subjects(&input.nodes);
    for (node, domain) in input.nodes.iter().zip(&suggestion.domain) {
        let Some(d) = *domain else { continue };
        sizes[d as usize] += 1;
        // Each module segment's words, and a compound segment whole (`account_data`): when
        // `account` names another domain, `account_data` still says what this one is.
        let crate_words = subjects.get(crate_of(node)).into_iter().flatten();
        let segments: Vec<String> = (crate_words.map(|w| (*w).to_owned()))
            .chain(node.module.split("::").skip(1).map(str::to_owned))
            .flat_map(|segment| {
                let mut words = split_identifier(&segment);
                if words.len() > 1 {
                    words.push(words.join("_"));
                }
                words
            })
            .collect();
        module_terms.extend(segments.iter().cloned());
        let place_terms: BTreeSet<&String> = segments.iter().collect();
        for term in place_terms {
            *places
                .entry(term.clone())
                .or_default()
                .entry(d)
                .or_default() += 1;
        }
        let mut terms: Vec<String> = domain_words(&node.words)
            .into_iter()
            .chain(segments)
            .filter(|t| !is_layer_word(t) && !is_stop_word(t))
            .collect();
        terms.sort_unstable();
        terms.dedup();
        for term in terms {
            *counts.entry(term).or_default().entry(d).or_default() += 1;
        }
    }
    let mut ranked: Vec<Vec<(f64, &str)>> = vec![Vec::new(); domains];
    for (term, per_domain) in &counts {
        let idf = (1.0 + domains as f64 / per_domain.len() as f64).ln();
        for (&d, &count) in per_domain {
            let share = count as f64 / sizes[d as usize].max(1) as f64;
            ranked[d as usize].push((share * idf, term.as_str()));
        }
    }
    let mut used: Vec<String> = Vec::new();
    let names: Vec<String> = ranked
        .into_iter()
        .enumerate()
        .map(|(d, mut terms)| {
            // Ties go to words developers also chose as module names, then alphabetically.
            let in_modules = |t: &str| module_terms.contains(t);
            terms.sort_by(|a, b| {
                b.0.total_cmp(&a.0)
                    .then(in_modules(b.1).cmp(&in_modules(a.1)))
                    .then(a.1.cmp(b.1))
            });
            // A term naming a table the domain owns, scoring at least half the best, first.
            let is_table = |t: &str| {
                (hints.tables.iter()).any(|ts| ts.contains(t) || ts.contains(&format!("{t}s")))
            };
            let owned = |t: &str| {
                hints
                    .tables
                    .get(d)
                    .is_some_and(|ts| ts.contains(t) || ts.contains(&format!("{t}s")))
            };
            // Only over a best term that names no table (`person` stays `person` when another
            // domain writes the `person` table most and this one `instance`) and that most of
            // the domain's items do not carry (the shop's `shipping` module stays `shipping`,
            // though it writes `shipments`; lemmy's `feeds` folder is a corner of its domain).
            let best = terms.first().copied().unwrap_or((0.0, ""));
            let best_share = (counts.get(best.1))
                .and_then(|c| c.get(&(d as u32)))
                .map_or(0.0, |&n| n as f64 / sizes[d].max(1) as f64);
            let owns: Vec<&str> = (terms.iter())
                .filter(|&&(s, t)| owned(t) && s >= best.0 * OWNED_SHARE)
                .filter(|_| !is_table(best.1) && best_share < OWNED_SHARE)
                .map(|&(_, t)| t)
                .collect();
            let name = (owns.iter().copied())
                .chain(terms.iter().map(|&(_, t)| t))
                .find(|t| !used.iter().any(|u| u == t))
                .map_or_else(|| format!("domain-{d}"), str::to_owned);
            used.push(name.clone());
            name
        })
        .collect();
    parts::qualified(&names, &places, &sizes, &hints.layers)
}
