//! Variant folders: a folder whose children are one thing implemented once per platform,
//! format or backend (atuin's `init::{bash, fish, zsh}`, each with `init_static` and `init`;
//! `atuin_dotfiles::shell::{bash, fish, zsh}`, each with `alias_config` and `var_config`).
//! The same child names repeat under each such folder (and under `import::{bash, fish, zsh}`),
//! so the module tree reads them as a subject seen from several layers, and the `names` layer
//! ties shell setup, history import and dotfiles together by shell.
//!
//! What tells variants from subjects is what the children define, not their names: variants
//! define the same items (the interface each implements, by the same names), while the
//! subjects of a layer define items named after their subject (`api::post::create_post`,
//! `api::comment::create_comment`); and a variant axis repeats whole, as the same set of
//! implementations under each folder that has one, where layers hold different slices of the
//! subjects. A child that defines a table's data keeps its subject
//! whatever its item names: every sea-orm entity defines `Model` and `Entity`, and there the
//! child names are the tables, the codebase's own subjects.

use std::collections::{BTreeMap, BTreeSet};

use crate::cluster::NodeInfo;

/// A folder has variants when at least this many of its children define one item name: two
/// could be chance (`new`, `parse`), three is an interface. An axis is at least this many
/// variants too.
pub const MIN_VARIANTS: usize = 3;

/// The modules on a variant axis. An *interface folder* is one in which at least
/// [`MIN_VARIANTS`] children, and at least half of the children that define items, define an
/// item of one name. Two interface folders whose children share at least [`MIN_VARIANTS`]
/// last names, covering at least two thirds of each folder's children, are one axis seen
/// twice (`init::{bash, fish, zsh}` and `shell::{bash, fish, zsh}`): those children are
/// variants, and their names say which platform they serve, not which domain. One interface
/// folder alone is not an axis (a yew app's components each define `Msg` and `Props`, a web
/// app's endpoint modules each a `router`, and there every child is a subject), nor are two
/// folders sharing a few children among many (a CLI's `command::kv` and `settings::kv` are one
/// subject seen from two layers). Modules in `keep` (those defining a table's data) are never
/// variants.
pub fn variant_modules(nodes: &[NodeInfo], keep: &BTreeSet<&str>) -> BTreeSet<String> {
    // Folder → child module → the names of the items the child defines.
    let mut folders: BTreeMap<&str, BTreeMap<&str, BTreeSet<&str>>> = BTreeMap::new();
    for node in nodes {
        let Some((folder, _)) = node.module.rsplit_once("::") else {
            continue;
        };
        let name = node.id.rsplit("::").next().unwrap_or(&node.id);
        (folders.entry(folder).or_default())
            .entry(node.module.as_str())
            .or_default()
            .insert(name);
    }
    // Each folder whose children define one interface, with its children by last name.
    let mut interfaces: Vec<BTreeMap<&str, &str>> = Vec::new();
    for children in folders.values() {
        let mut definers: BTreeMap<&str, usize> = BTreeMap::new();
        for names in children.values() {
            for &name in names {
                *definers.entry(name).or_default() += 1;
            }
        }
        let shared = (definers.values().copied().max()).unwrap_or(0);
        if shared >= MIN_VARIANTS && 2 * shared >= children.len() {
            interfaces.push(
                (children.keys())
                    .filter(|m| !keep.contains(*m))
                    .map(|m| (m.rsplit("::").next().unwrap_or(m), *m))
                    .collect(),
            );
        }
    }
    // An axis: two such folders holding mostly the same variants.
    let mut variants = BTreeSet::new();
    for (i, a) in interfaces.iter().enumerate() {
        for b in &interfaces[i + 1..] {
            let shared: Vec<&str> = a.keys().filter(|n| b.contains_key(*n)).copied().collect();
            let most = |folder: &BTreeMap<&str, &str>| 3 * shared.len() >= 2 * folder.len();
            if shared.len() >= MIN_VARIANTS && most(a) && most(b) {
                for name in shared {
                    variants.insert(a[name].to_owned());
                    variants.insert(b[name].to_owned());
                }
            }
        }
    }
    variants
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(module: &str, name: &str) -> NodeInfo {
        NodeInfo {
            id: format!("{module}::{name}"),
            module: module.to_owned(),
            words: vec![name.to_owned()],
        }
    }

    /// `folder::{bash, fish, zsh}`, each defining `items`.
    fn shells(folder: &str, items: &[&str]) -> Vec<NodeInfo> {
        let mut nodes = Vec::new();
        for shell in ["bash", "fish", "zsh"] {
            for item in items {
                nodes.push(node(&format!("{folder}::{shell}"), item));
            }
        }
        nodes
    }

    fn set(modules: &[&str]) -> BTreeSet<String> {
        modules.iter().map(|m| (*m).to_owned()).collect()
    }

    #[test]
    fn one_set_of_implementations_under_two_folders_is_a_variant_axis() {
        let mut nodes = shells("app::init", &["init_static", "init"]);
        nodes.extend(shells("dotfiles::shell", &["alias_config", "var_config"]));
        nodes.push(node("app::init", "Shell"));
        assert_eq!(
            variant_modules(&nodes, &BTreeSet::new()),
            set(&[
                "app::init::bash",
                "app::init::fish",
                "app::init::zsh",
                "dotfiles::shell::bash",
                "dotfiles::shell::fish",
                "dotfiles::shell::zsh",
            ])
        );
    }

    #[test]
    fn implementations_in_one_folder_only_are_no_axis() {
        let mut nodes = shells("app::init", &["init_static", "init"]);
        // The same names elsewhere, but each module about itself: subjects, not variants.
        nodes.extend([
            node("app::import::bash", "Bash"),
            node("app::import::fish", "Fish"),
            node("app::import::zsh", "Zsh"),
        ]);
        assert!(variant_modules(&nodes, &BTreeSet::new()).is_empty());
    }

    #[test]
    fn subjects_of_layers_named_in_their_items_are_not_variants() {
        let nodes = vec![
            node("app::api::post", "create_post"),
            node("app::api::comment", "create_comment"),
            node("app::api::user", "create_user"),
            node("app::db::post", "Post"),
            node("app::db::comment", "Comment"),
            node("app::db::user", "User"),
        ];
        assert!(variant_modules(&nodes, &BTreeSet::new()).is_empty());
    }

    #[test]
    fn folders_sharing_a_minority_of_children_are_no_axis() {
        let mut nodes = shells("app::command", &["run"]);
        nodes.extend(shells("app::settings", &["Settings"]));
        for other in ["account", "search", "sync", "store"] {
            nodes.push(node(&format!("app::command::{other}"), "run"));
        }
        assert!(variant_modules(&nodes, &BTreeSet::new()).is_empty());
    }

    #[test]
    fn two_alike_children_are_no_interface() {
        let nodes = vec![
            node("app::init::bash", "init"),
            node("app::init::zsh", "init"),
            node("app::shell::bash", "alias"),
            node("app::shell::zsh", "alias"),
        ];
        assert!(variant_modules(&nodes, &BTreeSet::new()).is_empty());
    }

    #[test]
    fn table_modules_keep_their_subject() {
        let mut nodes = shells("app::entity", &["Model", "Entity"]);
        nodes.extend(shells("app::api", &["router"]));
        let keep: BTreeSet<&str> =
            ["app::entity::bash", "app::entity::fish", "app::entity::zsh"].into();
        assert!(variant_modules(&nodes, &keep).is_empty());
    }
}
