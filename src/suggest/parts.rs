//! A domain that is a slice of another joins it.
//!
//! At the resolution leave-one-out picks, modularity splits a capability's corners off:
//! atuin's search keybindings, interactive UI and query syntax (`search::*`), garage's K2V
//! batch operations (`k2v::batch`), conduit's state accessor (`rooms::state_accessor`). The
//! naming already tells such a domain apart ([`crate::cluster::naming::wholes`]): at least
//! half of its items live under another domain's name, in their module path or crate, and
//! it is named as that domain's part (`search_keybindings`). A part that owns no data of its
//! own (writes no table) is not a capability beside its whole but a corner of it, so it joins
//! the whole, the way a data-less child module rejoins its parent's domain
//! (`super::children`).

use crate::cluster::{NamingHints, Suggestion, naming};

use super::input::Built;

/// Joins every data-less part into its whole (see the module doc), renumbering the domains
/// canonically. Codebases whose table evidence has no writes are left alone.
pub fn join_parts(built: &Built, s: &mut Suggestion, hints: &NamingHints) {
    let writes = super::children::writes_per_domain(built, s);
    if writes.iter().all(|&w| w == 0) {
        return;
    }
    let whole = naming::wholes(&built.input, s, hints);
    // Follow a part of a part to the end; a cycle (two domains under each other's names)
    // joins nothing.
    let target: Vec<Option<u32>> = (0..s.domain_count)
        .map(|d| {
            if writes[d] > 0 {
                return None;
            }
            let mut at = whole[d]?;
            for _ in 0..s.domain_count {
                match whole[at] {
                    Some(next) if next != d => at = next,
                    Some(_) => return None,
                    None => return Some(at as u32),
                }
            }
            None
        })
        .collect();
    if target.iter().all(Option::is_none) {
        return;
    }
    for slot in s.domain.iter_mut() {
        if let Some(t) = slot.and_then(|d| target[d as usize]) {
            *slot = Some(t);
        }
    }
    s.renumber();
}
