//! Domains that are a part of another: a domain whose items mostly live under another
//! domain's name is named as that domain's part (`search_keybindings`).

use std::collections::{BTreeMap, BTreeSet};

/// Share of a domain's items that must sit under another domain's name (in their module path
/// or crate name) before the domain is named as a part of it.
pub const PART_SHARE: f64 = 0.5;

/// Each domain's name, prefixed with the name of the domain it is a part of, if any: atuin's
/// `keybindings`, `interactive` and `syntax` domains are modules of `search::*`, and
/// `search_keybindings` says which capability they are a slice of, where `keybindings` alone
/// reads as a capability of its own.
///
/// `places` counts, per word, the items of each domain whose module path or crate carries
/// it; `sizes` the items of each domain; `layers` the [normalized](crate::suggest::subjects::normalized)
/// names of layer folders (svix's `v1::endpoints`), which hold every domain and make none a
/// part. Domain `d` is a part of domain `e` when at least [`PART_SHARE`] of `d`'s items carry
/// `e`'s name (or its plural) and the names share no word. A domain that is the whole of
/// another keeps its name, so two domains in one crate (`lab` and `share` in
/// `atuin_lab_share`) stay as they are, and so does a name whose prefixed form is taken. When
/// the domain's items carry the two words as one compound (`multi_community`), that is the name.
/// A part named by two words keeps its head, the last one, under the whole's name: lemmy's
/// `actor_language` domain, most of whose items sit under `community`, is `community_language`
/// (its tables are `community_language`, `site_language`...); names stay one or two words.
pub fn qualified(
    names: &[String],
    places: &BTreeMap<String, BTreeMap<u32, usize>>,
    sizes: &[usize],
    layers: &BTreeSet<String>,
) -> Vec<String> {
    let share = |word: &str, d: usize| -> f64 {
        let count = places
            .get(word)
            .and_then(|c| c.get(&(d as u32)))
            .copied()
            .unwrap_or(0);
        count as f64 / sizes[d].max(1) as f64
    };
    let named = |d: usize| sizes[d] > 0 && !names[d].starts_with("domain-");
    let whole_of: Vec<Option<usize>> = (0..names.len())
        .map(|d| {
            if !named(d) {
                return None;
            }
            let mut wholes: Vec<(f64, usize)> = (0..names.len())
                .filter(|&e| e != d && named(e) && !shares_a_word(&names[d], &names[e]))
                .map(|e| {
                    let plural = format!("{}s", names[e]);
                    let words = [names[e].as_str(), plural.as_str()];
                    let under = (words.iter())
                        .filter(|w| !layers.contains(&w.replace('_', "")))
                        .map(|w| share(w, d))
                        .fold(0.0, f64::max);
                    (under, e)
                })
                .filter(|&(s, _)| s >= PART_SHARE)
                .collect();
            wholes.sort_by(|a, b| b.0.total_cmp(&a.0).then(names[a.1].cmp(&names[b.1])));
            wholes.first().map(|&(_, e)| e)
        })
        .collect();
    let is_whole: BTreeSet<usize> = whole_of.iter().flatten().copied().collect();
    let mut out = names.to_vec();
    for (d, whole) in whole_of.iter().enumerate() {
        let Some(e) = *whole else { continue };
        // One or two words: a compound part keeps its head, the last word, under the whole's
        // name (`actor_language` under `community` is `community_language`).
        if is_whole.contains(&d) || names[e].contains('_') {
            continue;
        }
        let words: Vec<&str> = names[d].split('_').collect();
        let compound = format!("{}_{}", names[d], names[e]);
        let name = if let [_, head] = words[..] {
            if sizes[d] >= sizes[e] {
                continue;
            }
            format!("{}_{head}", names[e])
        } else if words.len() > 2 {
            continue;
        } else if share(&compound, d) > 0.0 {
            // A part is smaller than its whole, unless its modules spell the pair as one name.
            compound
        } else if sizes[d] < sizes[e] {
            format!("{}_{}", names[e], names[d])
        } else {
            continue;
        };
        if !out.contains(&name) {
            out[d] = name;
        }
    }
    out
}

/// Whether two names share a word, plurals folded (`migration`, `sql_migrations`).
fn shares_a_word(a: &str, b: &str) -> bool {
    let words = |n: &str| -> Vec<String> {
        n.split('_')
            .map(|w| w.strip_suffix('s').unwrap_or(w).to_owned())
            .collect()
    };
    let right = words(b);
    words(a).iter().any(|w| right.contains(w))
}

#[cfg(test)]
mod tests {
    use super::qualified;
    use std::collections::{BTreeMap, BTreeSet};

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn a_compound_part_keeps_its_head_under_the_wholes_name() {
        // Three of the four items of `actor_language` carry `community`, the whole's name.
        let places: BTreeMap<String, BTreeMap<u32, usize>> = [(
            "community".to_owned(),
            [(0, 10), (1, 3)].into_iter().collect(),
        )]
        .into_iter()
        .collect();
        let layers = BTreeSet::new();
        let before = names(&["community", "actor_language", "billing"]);
        assert_eq!(
            qualified(&before, &places, &[10, 4, 5], &layers),
            names(&["community", "community_language", "billing"])
        );
        // A compound part as big as its whole is no part of it.
        assert_eq!(qualified(&before, &places, &[4, 4, 5], &layers), before);
        // Three words stay as they are.
        let long = names(&["community", "actor_language_tag", "billing"]);
        assert_eq!(qualified(&long, &places, &[10, 4, 5], &layers), long);
        // A taken name stays with its domain.
        let taken = names(&["community", "actor_language", "community_language"]);
        assert_eq!(qualified(&taken, &places, &[10, 4, 5], &layers), taken);
    }
}
