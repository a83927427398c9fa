//! An item whose every reference leads to the kernel or comes from it, and that no subject or
//! table ties to a domain, carries no evidence of a domain: it goes to the kernel.
//!
//! Such an item is placed by its folder and its words alone, and in a folder of many modules
//! the `parents` layer is a ring in module order, so it lands with its alphabetical neighbours:
//! conduit's `/versions`, `/capabilities`, `.well-known`, TURN and third-party endpoints call
//! only the service locator, the configuration and the global state, and were scattered over
//! four domains (`unversioned` beside `typing`, `thirdparty` beside `tag`, `capabilities`
//! beside `backup`). What it reaches is the code every domain reaches, so it is part of that
//! code's surface: the kernel.
//!
//! Two kinds of item that look alike stay: one that a hub refers to (a hub's own parts: a
//! storage trait only its service uses, conduit's `service::rooms::metadata::data::Data`, is
//! that service's domain, and its module follows it), and one tied by the names layer (the
//! same subject in another layer) or by a table to an item of a domain (a handler of a
//! service that happens to be a hub, `api::client_server::threads` beside
//! `service::rooms::threads`). An item with no reference at all says nothing either way and
//! stays. So does an item linked to another item of no domain evidence (conduit's TURN
//! endpoint and the HMAC type it alone uses): only single items are read, since a group of
//! items linked to one another and otherwise only to the kernel is what a domain whose
//! services are hubs looks like (a handler, its service and its storage trait).

use crate::cluster::{KernelReason, Suggestion};

use super::input::Built;

/// The layers whose link to a domain's item keeps an item out of this rule: the developers'
/// own subject names across layers, and shared tables.
const TYING_LAYERS: &[&str] = &["names", "tables"];

/// Moves every item whose references all touch the kernel (see the module doc) to the kernel,
/// renumbering the domains canonically.
pub fn kernel_only_references(built: &Built, s: &mut Suggestion) {
    let n = s.domain.len();
    let nodes = &built.input.nodes;
    let mut tied: Vec<Vec<u32>> = vec![Vec::new(); n];
    for layer in (built.input.layers.iter()).filter(|l| TYING_LAYERS.contains(&l.name.as_str())) {
        for &(a, b, w) in &layer.edges {
            if a != b && (a as usize) < n && (b as usize) < n && w > 0.0 {
                tied[a as usize].push(b);
                tied[b as usize].push(a);
            }
        }
    }
    // A hub with a subject of its own (a names link: `service::users::Service` beside
    // `service::users::data`) is a domain's facade, made kernel because every domain calls it;
    // calling it is evidence of that domain. The locator, the request wrapper, the route
    // table and the infrastructure are not.
    let facade = |u: u32| {
        matches!(s.kernel[u as usize], Some(KernelReason::Hub { .. }))
            && !tied[u as usize].is_empty()
    };
    let mut neighbours: Vec<Vec<u32>> = vec![Vec::new(); n];
    // Referred to by a hub, or linked to an item of its own module: a part of that item,
    // placed with it or with its module. (A composition root refers to every handler, so
    // being referred to by one holds nothing.)
    let mut held = vec![false; n];
    for &(from, to) in &built.input.directed_pairs() {
        neighbours[from as usize].push(to);
        neighbours[to as usize].push(from);
        if matches!(s.kernel[from as usize], Some(KernelReason::Hub { .. })) {
            held[to as usize] = true;
        }
        if nodes[from as usize].module == nodes[to as usize].module {
            held[from as usize] = true;
            held[to as usize] = true;
        }
    }
    // One pass decides: an item moves only when every item it is linked to is kernel
    // already, so moving it cannot complete another item's set of kernel links.
    let is_kernel = |u: u32| s.kernel[u as usize].is_some();
    let moving: Vec<(usize, usize)> = (0..n)
        .filter(|&v| {
            s.kernel[v].is_none()
                && !held[v]
                && !neighbours[v].is_empty()
                && neighbours[v].iter().all(|&u| is_kernel(u) && !facade(u))
                && tied[v].iter().all(|&u| is_kernel(u))
        })
        .map(|v| {
            let mut distinct = neighbours[v].clone();
            distinct.sort_unstable();
            distinct.dedup();
            (v, distinct.len())
        })
        .collect();
    if moving.is_empty() {
        return;
    }
    for (v, references) in moving {
        s.domain[v] = None;
        s.confidence[v] = 1.0;
        s.kernel[v] = Some(KernelReason::KernelReferences { references });
    }
    s.renumber();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Layer;
    use crate::suggest::test_support::{built, in_domains, suggestion};

    const MODULES: &[&str] = &[
        "app::api::versions",      // 0: refers only to the config (kernel)
        "app::api::turn",          // 1: refers to the config and to 2
        "app::api::turn",          // 2: referred to by 1 only, refers to the config
        "app::service::rooms",     // 3: a hub
        "app::service::rooms::db", // 4: referred to by the hub only
        "app::api::rooms",         // 5: refers to the hub, named like it
        "app::api::orders",        // 6: refers to the hub and to 7
        "app::orders",             // 7: a domain's item
        "app::config",             // 8: infrastructure
        "app::api::lonely",        // 9: no reference at all
    ];

    fn clustered() -> (Built, Suggestion) {
        let refs = [
            (0, 8),
            (1, 8),
            (1, 2),
            (3, 4),
            (5, 3),
            (6, 3),
            (6, 7),
            (4, 8),
            (2, 8),
        ];
        let mut b = built(MODULES, &refs, &[]);
        b.input
            .layers
            .push(Layer::undirected("names", 5.0, vec![(5, 4, 1.0)]));
        let mut s = suggestion(in_domains(&[0, 1, 1, 2, 2, 2, 3, 3, 4, 5]));
        s.domain[3] = None;
        s.kernel[3] = Some(KernelReason::Hub {
            fan_in: 9,
            spread: 4,
        });
        s.domain[8] = None;
        s.kernel[8] = Some(KernelReason::InfrastructureName {
            segment: "config".into(),
        });
        s.renumber();
        (b, s)
    }

    #[test]
    fn an_item_referring_only_to_the_kernel_goes_there_unless_a_hub_or_a_subject_holds_it() {
        let (b, mut s) = clustered();
        kernel_only_references(&b, &mut s);
        let kernel: Vec<usize> = (0..MODULES.len())
            .filter(|&v| s.kernel[v].is_some())
            .collect();
        assert_eq!(
            kernel,
            vec![0, 3, 8],
            "0 refers to the config only; 1 and 2 are linked to each other; 4 is the hub's own \
             part; 5 is tied to it by its subject; 6 refers to a domain's item; 9 has no \
             reference"
        );
        assert_eq!(
            s.kernel[0],
            Some(KernelReason::KernelReferences { references: 1 })
        );
        assert_eq!(s.domain_count, 4, "domain 0 emptied, renumbered");
        assert_eq!(s.domain[1], Some(0));
        assert!(s.domain[4].is_some() && s.domain[4] == s.domain[5]);
    }

    #[test]
    fn nothing_moves_when_every_item_refers_to_a_domain() {
        let (mut b, mut s) = clustered();
        b.input.layers[0].edges.push((0, 7, 1.0));
        let before = s.clone();
        kernel_only_references(&b, &mut s);
        assert_eq!(s, before);
    }
}
