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
//! a domain living under another domain's name is named as its part ([`parts`]). The
//! subject shared by most of a domain's tables counts as an owned table
//! (`person_content_combined`, `person_liked_combined` → `person`), even when the vocabulary
//! drops it as a programming word (`crate` of kellnr's `crate_meta`, `crate_index`), and a
//! domain whose preferred single word another domain already bears is named as a second part
//! of that subject (`community_language`) rather than after its next best term.
//!
//! A folder that organises code rather than a subject names none of the domains it holds
//! ([`organisation_folder`]: a layer of the module tree, or a folder holding most of three or
//! more domains, such as lldap's `app::components`): the domain takes its best other term when
//! that scores at least half as well (`user`).
//!
//! Where a domain lives says what it is, too: a domain mostly inside a folder the module tree
//! repeats under several parents is named as a member of that subject (`rooms_spaces`, see
//! [`family`]); a best word that only ends module names (`table` of `object_table`,
//! `bucket_table`) gives way to the module name that dominates; and a best word no module
//! spells (`public`, from `get_public_rooms`) to a module name scoring at least half as well
//! (`directory`). A best word most of whose weight lies in one compound module name ending
//! with it is named by that compound ([`compound_name`]: `meta` → `crate_meta`). A broader
//! subject a domain is an aspect of ([`umbrella_name`]) is a word its modules spell as a
//! subject, not only as the kind ending compound module names (`table` of `object_table`).
//! A word spelled the way Rust code avoids a keyword (`krate`) names the domain as meant
//! (`crate`, see [`keyword_spelled`]).

mod family;
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

/// The first word of at least two and at least half of `tables`, when one word is: the
/// subject the tables are aspects of (lemmy's `person_content_combined`,
/// `person_liked_combined` and `person_saved_combined` are the person's).
fn common_head(tables: &BTreeSet<String>) -> Option<&str> {
    let mut heads: BTreeMap<&str, usize> = BTreeMap::new();
    for table in tables {
        if let Some((head, _)) = table.split_once('_') {
            *heads.entry(head).or_default() += 1;
        }
    }
    let mut common = heads
        .into_iter()
        .filter(|&(_, n)| n >= 2 && 2 * n >= tables.len());
    let first = common.next()?;
    common.next().is_none().then_some(first.0)
}

/// The numeronyms of a module segment or crate word, whole (`k2v`, `e2ee`, `i18n`): a word
/// with digits between letters, which [`split_identifier`] breaks into letters too short to
/// keep. Version tags (`v1`) and names with a number after them (`oauth2`, `s3`) are not.
fn numeronyms(segment: &str) -> Vec<String> {
    (segment.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|w| {
            let bytes = w.as_bytes();
            let first_digit = bytes.iter().position(u8::is_ascii_digit);
            let last_digit = bytes.iter().rposition(u8::is_ascii_digit);
            matches!((first_digit, last_digit), (Some(f), Some(l)) if f > 0 && l + 1 < bytes.len())
                && (bytes.iter()).all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        .map(str::to_owned)
        .collect()
}

/// When a domain's preferred term (the first of `preferred`) is a single word another domain
/// already bears, the domain is a second part of that subject and is named as such: the word,
/// then the domain's best untaken single word that is not an inflection of it
/// (`community_language` for the domain of lemmy's community languages, where `community`
/// went to the community domain and falling to the next term gave `actor_language`). `None`
/// when the preferred term is free, a compound, or no qualifier is left.
fn qualified_when_taken<'a>(
    mut preferred: impl Iterator<Item = &'a str>,
    taken: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let first = preferred.next()?;
    if !taken(first) || first.contains('_') {
        return None;
    }
    preferred
        .filter(|t| !t.contains('_') && !taken(t) && !same_stem(first, t))
        .map(|t| format!("{first}_{t}"))
        .find(|name| !taken(name))
}

/// Whether two words are one up to a plural or verb ending (`order`, `orders`, `ordering`).
fn same_stem(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long.strip_prefix(short)
        .is_some_and(|rest| matches!(rest, "" | "s" | "es" | "ing" | "ed"))
}

/// Rust code spells a keyword it cannot use as an identifier another way (`krate` for
/// `crate`, rustc's own spelling; `typ` for `type`); the domain is named with the word its
/// developers meant (the spec name then escapes it again: `crate_domain`).
fn keyword_spelled(word: &str) -> &str {
    match word {
        "krate" => "crate",
        "typ" => "type",
        _ => word,
    }
}

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
    let Tally {
        sizes,
        counts,
        module_terms,
        places,
        heads,
        folders,
    } = tally(input, suggestion);
    let mut ranked: Vec<Vec<(f64, &str)>> = vec![Vec::new(); domains];
    for (term, per_domain) in &counts {
        let idf = (1.0 + domains as f64 / per_domain.len() as f64).ln();
        for (&d, &count) in per_domain {
            let share = count as f64 / sizes[d as usize].max(1) as f64;
            ranked[d as usize].push((share * idf, term.as_str()));
        }
    }
    let subject_folders = family::subject_folders(&input.nodes);
    // Whether a term is an organisation folder does not depend on the domain: decided once.
    let organisation: BTreeSet<&str> = (counts.keys())
        .filter(|t| organisation_folder(t, &places, &sizes, &hints.layers, &subject_folders))
        .map(String::as_str)
        .collect();
    let is_folder = |t: &str| organisation.contains(t);
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
            // An organisation folder names none of the domains it holds, when another term
            // scores at least half as well.
            let top = terms.first().map_or(0.0, |t| t.0);
            if terms.first().is_some_and(|&(_, t)| is_folder(t))
                && (terms.iter()).any(|&(s, t)| !is_folder(t) && s >= top * OWNED_SHARE)
            {
                terms.retain(|&(_, t)| !is_folder(t));
            }
            // A term naming a table the domain owns, scoring at least half the best, first.
            let is_table = |t: &str| {
                (hints.tables.iter()).any(|ts| ts.contains(t) || ts.contains(&format!("{t}s")))
            };
            let head = (hints.tables.get(d)).and_then(|ts| common_head(ts));
            let owned = |t: &str| {
                head.is_some_and(|h| h == t)
                    || (hints.tables.get(d))
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
            // A subject the vocabulary drops as a programming word (`crate`, of `crate_meta`,
            // `crate_index`...) has no score: the tables alone say it is the subject.
            let unscored_head = head.filter(|h| is_stop_word(h));
            let owns: Vec<&str> = (unscored_head.into_iter())
                .chain(
                    (terms.iter())
                        .filter(|&&(s, t)| owned(t) && s >= best.0 * OWNED_SHARE)
                        .map(|&(_, t)| t),
                )
                .filter(|_| !is_table(best.1) && best_share < OWNED_SHARE)
                .collect();
            let kind = kind_name(&places, &terms, best, d as u32);
            let compound = compound_name(&places, &terms, best, d as u32);
            let module_word = module_word(&places, &terms, best, d as u32);
            let taken = |t: &str| used.iter().any(|u| u == t);
            let preferred = (owns.iter().copied())
                .chain(kind)
                .chain(compound.as_deref())
                .chain(module_word)
                .chain(terms.iter().map(|&(_, t)| t));
            // The best word itself, free: the aspect of a broader subject, when the domain
            // carries one (`message_attempt`).
            let aspect = (preferred.clone().next() == Some(best.1) && !taken(best.1))
                .then(|| {
                    umbrella_name(
                        &counts,
                        &heads,
                        &terms,
                        best,
                        (d as u32, sizes[d]),
                        &is_folder,
                    )
                })
                .flatten()
                .filter(|name| !taken(name));
            let spelled = preferred.clone().map(keyword_spelled);
            let name = aspect
                .or_else(|| qualified_when_taken(spelled.clone(), &taken))
                .or_else(|| spelled.clone().find(|t| !taken(t)).map(str::to_owned))
                .unwrap_or_else(|| format!("domain-{d}"));
            used.push(name.clone());
            name
        })
        .collect();
    let as_parts = parts::qualified(&names, &places, &sizes, &hints.layers);
    let changed: Vec<bool> = names.iter().zip(&as_parts).map(|(a, b)| a != b).collect();
    family::qualified(&as_parts, &changed, &folders, &subject_folders, &sizes)
}

/// Domains a folder must hold at least half the items of before it counts as an organisation
/// folder (see [`organisation_folder`]).
pub const ORGANISATION_SPAN: usize = 3;

/// Whether `term` names a folder that organises code rather than a subject: a layer of the
/// module tree (`layers`, [normalized](crate::suggest::subjects::normalized): garage's
/// `api::admin` holds the admin API of buckets and keys alike), or a folder holding at least
/// [`PART_SHARE`](parts::PART_SHARE) of the items of [`ORGANISATION_SPAN`] or more domains
/// (lldap's `app::components` holds the user, group, attribute and form pages; lemmy's
/// `apub_*` crates the federation of posts, communities and activities). A subject folder the
/// tree repeats under several parents (`subjects`, see [`family::subject_folders`]: atuin's
/// `search`, conduit's `rooms`) names a subject, not a way of organising code.
fn organisation_folder(
    term: &str,
    places: &BTreeMap<String, BTreeMap<u32, usize>>,
    sizes: &[usize],
    layers: &BTreeSet<String>,
    subjects: &BTreeSet<String>,
) -> bool {
    if subjects.contains(term) {
        return false;
    }
    let span = (places.get(term)).map_or(0, |per| {
        (per.iter())
            .filter(|&(&d, &n)| n as f64 >= parts::PART_SHARE * sizes[d as usize] as f64)
            .count()
    });
    span >= ORGANISATION_SPAN || layers.contains(&term.replace('_', ""))
}

/// A best word `x` that fewer of the domain's items carry than another of its words `y` is
/// this domain's aspect of `y`, the broader subject: `y` ranks lower only because other
/// domains carry it too (svix's attempts domain: `attempt` 26 items, `message` 28, and the
/// message domains share `message`). The domain is then named `y_x` (`message_attempt`), as
/// its developers spell it (`MessageAttempt`). `y` must be a single word a module path or
/// crate of the domain spells other than as the last word of a compound (garage's `table`,
/// spelled only in `object_table`, `version_table`..., is those modules' kind: the domain of
/// object lifecycles is `object_lifecycle`, not `table_lifecycle`), no organisation folder,
/// not an inflection of `x`, and score at least half as well; of several, the one most items
/// carry. A word at least half the domain's `size` items carry is the domain's own subject
/// and stays. `None` when `x` is a compound or no word qualifies.
fn umbrella_name(
    counts: &BTreeMap<String, BTreeMap<u32, usize>>,
    heads: &BTreeMap<String, BTreeMap<u32, usize>>,
    terms: &[(f64, &str)],
    best: (f64, &str),
    (d, size): (u32, usize),
    is_folder: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let carried = |t: &str| {
        (counts.get(t))
            .and_then(|c| c.get(&d))
            .copied()
            .unwrap_or(0)
    };
    // Spelled as a subject: a word the modules spell only as the last word of compounds
    // (`table` of `object_table`, `version_table`) is their kind, not a subject.
    let placed = |t: &str| spelled_in(heads, t, d);
    if best.1.is_empty() || best.1.contains('_') {
        return None;
    }
    let own = carried(best.1);
    // A word most of the domain's items carry is its own subject, not an aspect of another.
    if own as f64 >= OWNED_SHARE * size as f64 {
        return None;
    }
    let mut broader: Option<(usize, &str)> = None;
    for &(s, t) in terms {
        let n = carried(t);
        if t != best.1
            && !t.contains('_')
            && n > own
            && s >= best.0 * OWNED_SHARE
            && placed(t)
            && !is_folder(t)
            && !same_stem(best.1, t)
            && broader.is_none_or(|(m, _)| n > m)
        {
            broader = Some((n, t));
        }
    }
    broader.map(|(_, t)| format!("{t}_{}", best.1))
}

/// A best word ending two or more of the domain's compound module names is the kind of those
/// modules (`table` of `object_table`, `bucket_table`, `version_table`). When one of them
/// dominates, carried by at least twice the items of any other, and scores at least half the
/// best, it says what the domain keeps; of sibling kinds (`sqlite_adapter`, `lmdb_adapter`)
/// the kind is the subject. `terms` are the domain's, ranked, `best` the first.
fn kind_name<'t>(
    places: &'t BTreeMap<String, BTreeMap<u32, usize>>,
    terms: &[(f64, &str)],
    best: (f64, &str),
    d: u32,
) -> Option<&'t str> {
    let suffix = format!("_{}", best.1);
    let mut kinds: Vec<(usize, &str)> = (places.iter())
        .filter(|(t, _)| t.ends_with(&suffix) && t.len() > suffix.len())
        .filter_map(|(t, per)| Some((*per.get(&d)?, t.as_str())))
        .collect();
    kinds.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    match kinds[..] {
        [(first, name), (second, _), ..]
            if !best.1.contains('_')
                && first >= 2 * second
                && (terms.iter()).any(|&(s, t)| t == name && s >= best.0 * OWNED_SHARE) =>
        {
            Some(name)
        }
        _ => None,
    }
}

/// How close to the best word a compound module name spelling it must score to name the
/// domain instead (see [`compound_name`]).
pub const COMPOUND_SHARE: f64 = 0.75;

/// A best word the domain's modules spell inside a compound module name that scores nearly as
/// well, at least [`COMPOUND_SHARE`] of it, is mostly that compound: the developers' name for
/// what the domain holds (`crate_meta` for `meta`, `cratesio_prefetch_api` for `prefetch`),
/// where the word alone says less (whose `meta`?). Layer words are dropped
/// (`cratesio_prefetch`); the compound must keep two words, the best word last: a compound
/// puts its head last, after what qualifies it, so only there does it say whose thing the
/// word is (`money_fmt` is a way of formatting money, and its domain stays `money`). The
/// compound's items are the word's, so it scores nearly as well only when most of the word's
/// weight is in it: a word spread over sibling modules (`sqlite_adapter`, `lmdb_adapter`)
/// stays. `None` when the best word is a compound itself or no compound qualifies.
fn compound_name(
    places: &BTreeMap<String, BTreeMap<u32, usize>>,
    terms: &[(f64, &str)],
    best: (f64, &str),
    d: u32,
) -> Option<String> {
    if best.1.is_empty() || best.1.contains('_') {
        return None;
    }
    (terms.iter())
        .filter(|&&(s, t)| s >= best.0 * COMPOUND_SHARE && t.contains('_'))
        .filter(|&&(_, t)| spelled_in(places, t, d))
        .map(|&(_, t)| -> Vec<&str> { t.split('_').filter(|w| !is_layer_word(w)).collect() })
        .find(|words| words.len() > 1 && words.last() == Some(&best.1))
        .map(|words| words.join("_"))
}

/// A best word that no module path or crate of the domain spells (`public`, from conduit's
/// `get_public_rooms`) qualifies what the domain owns; the best word its developers chose as
/// a module name (`directory`) says what it is, when it scores at least half as well. A
/// module spelling the best word inflected (`articles` for `article`) spells it.
fn module_word<'t>(
    places: &BTreeMap<String, BTreeMap<u32, usize>>,
    terms: &[(f64, &'t str)],
    best: (f64, &str),
    d: u32,
) -> Option<&'t str> {
    let placed = |t: &str| spelled_in(places, t, d);
    if (terms.iter()).any(|&(_, t)| placed(t) && same_stem(best.1, t)) {
        return None;
    }
    (terms.iter())
        .find(|&&(s, t)| placed(t) && s >= best.0 * OWNED_SHARE)
        .map(|&(_, t)| t)
}

/// Whether a module path or crate of domain `d` spells `term`.
fn spelled_in(places: &BTreeMap<String, BTreeMap<u32, usize>>, term: &str, d: u32) -> bool {
    (places.get(term)).is_some_and(|p| p.contains_key(&d))
}

/// What the naming reads off the nodes of each domain.
struct Tally {
    /// Items per domain.
    sizes: Vec<usize>,
    /// Term -> per-domain count of items carrying it.
    counts: BTreeMap<String, BTreeMap<u32, usize>>,
    /// Every word of a module path or crate subject.
    module_terms: BTreeSet<String>,
    /// Term -> per-domain count of items whose module path or crate carries it.
    places: BTreeMap<String, BTreeMap<u32, usize>>,
    /// Term -> per-domain count of items whose module path or crate carries it other than as
    /// the last word of a compound segment (`object` of `object_table`, not `table`).
    heads: BTreeMap<String, BTreeMap<u32, usize>>,
    /// Folder -> per-domain count of items inside it (see `family`).
    folders: BTreeMap<String, BTreeMap<u32, usize>>,
}

fn tally(input: &ClusterInput, suggestion: &Suggestion) -> Tally {
    let domains = suggestion.domain_count;
    let mut sizes = vec![0usize; domains];
    let mut counts: BTreeMap<String, BTreeMap<u32, usize>> = BTreeMap::new();
    let mut module_terms: BTreeSet<String> = BTreeSet::new();
    let mut places: BTreeMap<String, BTreeMap<u32, usize>> = BTreeMap::new();
    let mut heads: BTreeMap<String, BTreeMap<u32, usize>> = BTreeMap::new();
    let mut folders: BTreeMap<String, BTreeMap<u32, usize>> = BTreeMap::new();
    let subjects = crate_subjects(&input.nodes);
    for (node, domain) in input.nodes.iter().zip(&suggestion.domain) {
        let Some(d) = *domain else { continue };
        sizes[d as usize] += 1;
        // Each module segment's words, and a compound segment whole (`account_data`): when
        // `account` names another domain, `account_data` still says what this one is.
        let crate_words = subjects.get(crate_of(node)).into_iter().flatten();
        let segment_names: Vec<String> = (crate_words.map(|w| (*w).to_owned()))
            .chain(node.module.split("::").skip(1).map(str::to_owned))
            .collect();
        let segments: Vec<String> = (segment_names.iter())
            .flat_map(|segment| segment_terms(segment, true))
            .collect();
        module_terms.extend(segments.iter().cloned());
        let path: Vec<&str> = node.module.split("::").collect();
        let in_folders: BTreeSet<&str> = (path.iter().skip(1))
            .take(path.len().saturating_sub(2))
            .copied()
            .collect();
        for folder in in_folders {
            *(folders.entry(folder.to_owned()).or_default())
                .entry(d)
                .or_default() += 1;
        }
        let place_terms: BTreeSet<&String> = segments.iter().collect();
        for term in place_terms {
            *places
                .entry(term.clone())
                .or_default()
                .entry(d)
                .or_default() += 1;
        }
        for term in head_terms(&segment_names) {
            *heads.entry(term).or_default().entry(d).or_default() += 1;
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
    Tally {
        sizes,
        counts,
        module_terms,
        places,
        heads,
        folders,
    }
}

/// The words module segments spell other than as the last word of a compound
/// (`object_table` gives `object` and `object_table`, not `table`).
fn head_terms(segments: &[String]) -> BTreeSet<String> {
    (segments.iter())
        .flat_map(|segment| segment_terms(segment, false))
        .collect()
}

/// A module segment's words, the compound whole when it has several, and its numeronyms;
/// without `last`, a compound's last word (its kind: `table` of `object_table`) is left out.
fn segment_terms(segment: &str, last: bool) -> Vec<String> {
    let mut words = split_identifier(segment);
    if words.len() > 1 {
        let whole = words.join("_");
        if !last {
            words.pop();
        }
        words.push(whole);
    }
    words.extend(numeronyms(segment));
    words
}
