//! Cross-layer subjects: in a monolith layered by technology every layer names a domain's
//! slice the same way (`api::post`, `api_crud::post`, `db_schema::source::post`,
//! `apub::objects::post`), so modules of different layers that share a subject belong
//! together even when no `use` joins them.
//!
//! Layers are found in the module tree, not in a word list: a *layer* is a module whose child
//! names repeat under another module (at least [`MIN_SHARED_CHILDREN`] of them, compared as
//! [`normalized`] names; role words such as `controller` or `models` do not count). Two
//! modules that share children but have the same name are one subject seen from two layers
//! (`apub_activities::community` and `apub_activities::protocol::community`), not layers; two
//! siblings sharing children are subjects of one layer (`api_crud::post` and
//! `api_crud::comment` both hold `create`, `delete`, `update`) unless their parent is not a
//! layer itself (`kellnr_db` and `kellnr_entity`, both crates of one workspace); a crate
//! family's root is never a layer. A module directly under a layer whose name also sits
//! directly under another layer has that name as its subject; other modules keep the
//! word-list rule ([`subject_name`]).
//!
//! Crate names take part as paths: crates of a workspace that share `_`-separated prefixes
//! are split where at least three crates branch (`lemmy_db_views_post` reads as
//! `lemmy::db_views::post`), so a crate per read model is a subject under a layer too.

use std::collections::{BTreeMap, BTreeSet};

use super::event_candidates::singular;

/// Module names that say which layer or role code has, not which subject it is about. Where
/// the tree has layers these only keep role folders repeated under every subject
/// (`articles::controller`, `comments::controller`) from passing for subjects under layers.
pub(crate) const LAYER_WORDS: &[&str] = &[
    "api",
    "apis",
    "client_server",
    "controller",
    "controllers",
    "data",
    "database",
    "db",
    "delete",
    "domain",
    "dto",
    "dtos",
    "entities",
    "entity",
    "get",
    "handler",
    "handlers",
    "http",
    "impls",
    "key_value",
    "model",
    "models",
    "patch",
    "persistence",
    "post",
    "presenter",
    "presenters",
    "put",
    "repo",
    "repos",
    "repositories",
    "repository",
    "request",
    "requests",
    "response",
    "responses",
    "rest",
    "route",
    "routes",
    "schema",
    "server_server",
    "service",
    "services",
    "storage",
    "store",
    "types",
    "usecase",
    "usecases",
    "view",
    "views",
    "web",
];

/// The subject of a module in a tree without layers (no module under a layer, see
/// [`module_subjects`]): its last segment that is not a layer word (`c::service::media::data`
/// → `media`). Top-level modules and the crate root have none: a top-level module is either a
/// layer or a subject, and a subject's items are already together.
pub(crate) fn subject_name(module: &str) -> Option<&str> {
    let segments: Vec<&str> = module.split("::").skip(1).collect();
    if segments.len() < 2 {
        return None;
    }
    segments
        .iter()
        .rev()
        .find(|s| !LAYER_WORDS.contains(s))
        .copied()
}

/// The name a module without a word-list subject ([`subject_name`]) may still be named after a
/// subject by: a top-level module's own name (`model::key_table`, `model::bucket_alias_table`).
/// A top-level module holds one subject's code whole, so it needs no tie to itself; but where
/// the subject is spread over layers (`api::key`, `cli::key`, `model::helper::key`), the
/// module whose name begins with it (`key_table`: the storage of keys) is that subject's too.
fn named_after_subject(module: &str) -> Option<&str> {
    let mut segments = module.split("::").skip(1);
    let top = segments.next()?;
    segments.next().is_none().then_some(top)
}

/// Child names two modules must share before they count as layers: two could be chance
/// (`error`, `utils`), three is a pattern.
pub const MIN_SHARED_CHILDREN: usize = 3;

/// A crate-name prefix is a path segment of its own when at least this many crates branch
/// after it (`lemmy_` before `api`, `db_views_post`, `utils`...).
const MIN_CRATE_BRANCHES: usize = 3;

/// The subject of every module (by its path in `modules`) that has one: for a module
/// directly under a layer, its name (or, for a compound name such as `community_follower`,
/// its longest leading words) when that name sits directly under another layer too; for
/// every other module, the last segment that is not a layer word ([`subject_name`]).
///
/// Measured on the labelled projects (docs/benchmarks.md), letting a module's subject pass
/// down to its whole subtree (`api_crud::post::create` → `post`) helped lemmy but cost
/// svix and conduit more, so descendants keep the word-list rule.
pub fn module_subjects<'a>(modules: impl IntoIterator<Item = &'a str>) -> BTreeMap<String, String> {
    let paths = crate_paths(modules);
    let tree = Tree::new(paths.values());
    let layers = tree.layers();
    // Normalized name → the layers it sits directly under.
    let mut under: BTreeMap<String, BTreeSet<&[String]>> = BTreeMap::new();
    for path in &tree.all {
        if let Some((last, parent)) = path.split_last()
            && layers.contains(parent)
        {
            under.entry(normalized(last)).or_default().insert(parent);
        }
    }
    let is_subject =
        |name: &str| !is_layer_word(name) && under.get(name).is_some_and(|l| l.len() >= 2);
    paths
        .into_iter()
        .filter_map(|(module, path)| {
            let across_layers = path
                .split_last()
                .filter(|(_, parent)| layers.contains(*parent))
                .and_then(|(last, _)| candidates(last).find(|n| is_subject(n)));
            let subject = across_layers
                .or_else(|| subject_name(module).map(str::to_owned))
                .or_else(|| {
                    named_after_subject(module).and_then(|n| candidates(n).find(|c| is_subject(c)))
                })?;
            Some((module.to_owned(), subject))
        })
        .collect()
}

/// The [`normalized`] names of the layers of the module tree (see the module docs): folders
/// such as svix's `v1::endpoints` hold every domain's slice of one technology, so their name
/// says nothing about which domain an item belongs to.
pub fn layer_names<'a>(modules: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let paths = crate_paths(modules);
    let layers = Tree::new(paths.values()).layers();
    layers
        .iter()
        .filter_map(|path| path.last().map(|name| normalized(name)))
        .collect()
}

/// Rewrites each subject that names a table's row to that row's noun: `create_group`,
/// `sql_group_backend_handler`, `group_details_form` and a `groups` module all become `group`
/// when the codebase has a `groups` table. A layered codebase names one domain's slice after
/// its table in every layer (the UI's `user_table`, the SQL layer's `sql_user_backend_handler`,
/// the entity `users`), while the module tree alone only finds names that repeat whole under
/// two layers. The longest run of the subject's words that is a table's noun wins
/// (`user_attribute` over `user` with a `user_attributes` table), then the leftmost.
pub fn with_table_nouns<'a>(
    subjects: BTreeMap<String, String>,
    tables: impl IntoIterator<Item = &'a str>,
) -> BTreeMap<String, String> {
    let nouns: BTreeSet<String> = tables
        .into_iter()
        .map(|t| {
            let name = t.rsplit('.').next().unwrap_or(t).to_lowercase();
            let mut words: Vec<String> = name.split('_').map(str::to_owned).collect();
            if let Some(last) = words.last_mut() {
                *last = singular(last);
            }
            words.concat()
        })
        .filter(|n| !n.is_empty())
        .collect();
    if nouns.is_empty() {
        return subjects;
    }
    subjects
        .into_iter()
        .map(|(module, subject)| {
            let noun = table_noun(&subject, &nouns).unwrap_or(subject);
            (module, noun)
        })
        .collect()
}

/// The longest (then leftmost) run of `subject`'s `_`-separated words that is one of `nouns`,
/// each word compared in the singular and the run without `_`.
fn table_noun(subject: &str, nouns: &BTreeSet<String>) -> Option<String> {
    let words: Vec<String> = subject
        .split('_')
        .map(|w| singular(&w.to_lowercase()))
        .collect();
    for len in (1..=words.len()).rev() {
        for start in 0..=words.len() - len {
            let run = words[start..start + len].concat();
            if nouns.contains(&run) {
                return Some(run);
            }
        }
    }
    None
}

/// Each module's path with its crate name read as segments ([`crate_segments`]).
fn crate_paths<'a>(modules: impl IntoIterator<Item = &'a str>) -> BTreeMap<&'a str, Vec<String>> {
    let modules: BTreeSet<&str> = modules.into_iter().collect();
    let crates = crate_segments(modules.iter().map(|m| crate_of(m)));
    modules
        .iter()
        .map(|&m| {
            let mut path = crates[crate_of(m)].clone();
            path.extend(m.split("::").skip(1).map(str::to_owned));
            (m, path)
        })
        .collect()
}

/// The names a module name may be a subject as: itself, then its leading `_`-separated
/// words, longest first (`community_follower_approval`, `community_follower`, `community`).
fn candidates(name: &str) -> impl Iterator<Item = String> + '_ {
    let words: Vec<&str> = name.split('_').collect();
    (1..=words.len())
        .rev()
        .map(move |n| normalized(&words[..n].join("_")))
}

/// Whether a normalized name is a role word where layers are compared. The HTTP verbs of
/// [`LAYER_WORDS`] are role words only below a subject (`login::post`); directly under a
/// layer, `post` is a subject (a forum's posts).
fn is_layer_word(name: &str) -> bool {
    const HTTP_VERBS: &[&str] = &["delete", "get", "patch", "post", "put"];
    !HTTP_VERBS.contains(&name) && LAYER_WORDS.iter().any(|w| normalized(w) == name)
}

fn crate_of(module: &str) -> &str {
    module.split("::").next().unwrap_or(module)
}

/// Each crate name as path segments: split after every `_`-prefix at which at least
/// [`MIN_CRATE_BRANCHES`] crate names branch.
fn crate_segments<'a>(crates: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, Vec<String>> {
    let crates: BTreeSet<&str> = crates.collect();
    let mut branches: BTreeMap<Vec<&str>, BTreeSet<&str>> = BTreeMap::new();
    for name in &crates {
        let words: Vec<&str> = name.split('_').collect();
        for end in 1..words.len() {
            branches
                .entry(words[..end].to_vec())
                .or_default()
                .insert(words[end]);
        }
    }
    crates
        .into_iter()
        .map(|name| {
            let words: Vec<&str> = name.split('_').collect();
            let mut segments = Vec::new();
            let mut start = 0;
            for end in 1..words.len() {
                if branches[&words[..end]].len() >= MIN_CRATE_BRANCHES {
                    segments.push(words[start..end].join("_"));
                    start = end;
                }
            }
            segments.push(words[start..].join("_"));
            (name, segments)
        })
        .collect()
}

/// A module name compared across layers: lower case without `_` (`event_type` and
/// `eventtype`). Plurals are not folded here: measured, `users` = `user` tied conduit's
/// accounts (`service::users`) to its sync state (`rooms::user`) and cost more than it gained.
/// They are folded against the codebase's table names only ([`with_table_nouns`]), where a
/// `users` table says that `users` and `user` are one thing.
pub fn normalized(name: &str) -> String {
    name.chars()
        .filter(|&c| c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The module tree: every path and its ancestors, with the normalized names of each one's
/// children.
struct Tree {
    all: BTreeSet<Vec<String>>,
    children: BTreeMap<Vec<String>, BTreeSet<String>>,
}

impl Tree {
    fn new<'a>(paths: impl Iterator<Item = &'a Vec<String>>) -> Tree {
        let mut all = BTreeSet::new();
        for path in paths {
            // Longest prefix first: once one is there, so are all shorter ones. Inserting
            // every prefix of every path cost 3,000 nested modules 3,000³ segment copies
            // (`layer_names` reads every module of the codebase).
            for end in (1..=path.len()).rev() {
                if all.contains(&path[..end]) {
                    break;
                }
                all.insert(path[..end].to_vec());
            }
        }
        let mut children: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
        for path in &all {
            if let Some((last, parent)) = path.split_last() {
                children
                    .entry(parent.to_vec())
                    .or_default()
                    .insert(normalized(last));
            }
        }
        Tree { all, children }
    }

    /// The modules whose child names repeat under another module (see the module docs).
    fn layers(&self) -> BTreeSet<Vec<String>> {
        // The parents by index, in the children map's (sorted) order: pairs are counted and
        // ordered on indices, since comparing whole paths made a tree of 3,000 nested `m`
        // modules cost 3,000³ segment comparisons.
        let parents: Vec<&Vec<String>> = self.children.keys().collect();
        // Normalized child name → the indices of the modules that have such a child.
        let mut parents_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (index, names) in self.children.values().enumerate() {
            for name in names.iter().filter(|n| !is_layer_word(n)) {
                parents_of.entry(name).or_default().push(index);
            }
        }
        let pairs: Vec<(&Vec<String>, &Vec<String>)> = self
            .overlapping_pairs(&parents_of)
            .into_iter()
            .map(|(a, b)| (parents[a], parents[b]))
            .collect();
        // A crate family's root (`lemmy` of `lemmy_api`, `lemmy_db_views_post`) holds the
        // workspace's parts, not one layer's subjects.
        let distinct_names = |a: &[String], b: &[String]| {
            a.len() > 1
                && b.len() > 1
                && a.last().map(|s| normalized(s)) != b.last().map(|s| normalized(s))
        };
        let mut layers: BTreeSet<Vec<String>> = BTreeSet::new();
        for &(a, b) in &pairs {
            if a.split_last().map(|p| p.1) != b.split_last().map(|p| p.1) && distinct_names(a, b) {
                layers.insert(a.clone());
                layers.insert(b.clone());
            }
        }
        // Siblings count once their parent is known not to be a layer.
        let mut siblings = BTreeSet::new();
        for &(a, b) in &pairs {
            let parent = a.split_last().map_or(&[][..], |p| p.1);
            if parent == b.split_last().map_or(&[][..], |p| p.1)
                && !layers.contains(parent)
                && distinct_names(a, b)
            {
                siblings.insert(a.clone());
                siblings.insert(b.clone());
            }
        }
        layers.extend(siblings);
        layers
    }

    /// Pairs of modules (indices into the children map) sharing at least
    /// [`MIN_SHARED_CHILDREN`] child names, each once, in path order.
    fn overlapping_pairs(&self, parents_of: &BTreeMap<&str, Vec<usize>>) -> Vec<(usize, usize)> {
        let mut pairs = Vec::new();
        for (parent, names) in self.children.values().enumerate() {
            let mut shared: BTreeMap<usize, usize> = BTreeMap::new();
            for name in names {
                let Some(others) = parents_of.get(name.as_str()) else {
                    continue;
                };
                for &other in others.iter().filter(|&&other| other > parent) {
                    *shared.entry(other).or_default() += 1;
                }
            }
            pairs.extend(
                shared
                    .into_iter()
                    .filter(|&(_, count)| count >= MIN_SHARED_CHILDREN)
                    .map(|(other, _)| (parent, other)),
            );
        }
        pairs
    }
}

#[cfg(test)]
mod tests;
