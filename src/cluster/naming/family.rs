//! Domains that are members of a subject folder: conduit keeps each room capability in a
//! sub-module of `rooms` (`service::rooms::spaces`, `database::key_value::rooms::timeline`),
//! and the domain of `spaces` reads as one of the rooms' (`rooms_spaces`).

use std::collections::{BTreeMap, BTreeSet};

use super::is_layer_word;
use super::parts::PART_SHARE;
use crate::cluster::input::NodeInfo;
use crate::cluster::vocab::is_stop_word;

/// The folders of `nodes`' module trees that recur under different parents: conduit has a
/// `rooms` folder in `service` and in `database::key_value`. A folder the code base repeats in
/// several of its trees names a subject each tree has a slice of (the service's rooms, the
/// database's rooms); an organisation folder (`command`, `source`, `utils`) lives in one
/// place. A folder is a non-last segment of a module path, the crate name aside; layer and
/// stop words are never subjects.
pub fn subject_folders(nodes: &[NodeInfo]) -> BTreeSet<String> {
    let mut parents: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for node in nodes {
        let segments: Vec<&str> = node.module.split("::").collect();
        for i in 1..segments.len().saturating_sub(1) {
            (parents.entry(segments[i]).or_default()).insert(segments[..i].join("::"));
        }
    }
    parents
        .into_iter()
        .filter(|(folder, at)| at.len() >= 2 && !is_layer_word(folder) && !is_stop_word(folder))
        .map(|(folder, _)| folder.to_owned())
        .collect()
}

/// Each name, prefixed with the subject folder ([`subject_folders`]) at least [`PART_SHARE`]
/// of its domain's items sit in, when there is one: conduit's `spaces` and `pdu_metadata`
/// domains live in `service::rooms::*` and become `rooms_spaces` and `rooms_pdu_metadata`.
/// `folders` counts, per folder, the items of each domain inside it. A name that already
/// shares a word with the folder, a name changed as a part of another domain (`changed`) and
/// a prefixed name that is taken stay as they are. The folder may be a layer of the
/// module-tree reading ([`crate::suggest::subjects`]): `rooms` holds `directory`, `search`,
/// `state`, as `api::client_server` does, but it recurs and `client_server` does not.
pub fn qualified(
    names: &[String],
    changed: &[bool],
    folders: &BTreeMap<String, BTreeMap<u32, usize>>,
    subjects: &BTreeSet<String>,
    sizes: &[usize],
) -> Vec<String> {
    let mut out = names.to_vec();
    for d in 0..names.len() {
        if changed[d] || sizes[d] == 0 || names[d].starts_with("domain-") {
            continue;
        }
        let own: Vec<&str> = names[d].split('_').collect();
        let best = (subjects.iter())
            .filter(|f| !f.split('_').any(|w| own.iter().any(|o| same_word(o, w))))
            .filter_map(|f| {
                let count = folders.get(f)?.get(&(d as u32)).copied()?;
                let share = count as f64 / sizes[d] as f64;
                (share >= PART_SHARE).then_some((share, f))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(a.1)));
        if let Some((_, folder)) = best {
            let name = format!("{folder}_{}", names[d]);
            if !out.contains(&name) {
                out[d] = name;
            }
        }
    }
    out
}

/// Whether two words are one up to a plural `s`.
fn same_word(a: &str, b: &str) -> bool {
    a.strip_suffix('s').unwrap_or(a) == b.strip_suffix('s').unwrap_or(b)
}
