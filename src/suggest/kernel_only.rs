//! An item whose every reference leads to the kernel's plumbing or comes from it, and that
//! no subject or table ties to a domain, carries no evidence of a domain: it goes to the
//! kernel.
//!
//! Such an item is placed by its folder and its words alone, and in a folder of many modules
//! the `parents` layer is a ring in module order, so it lands with its alphabetical neighbours:
//! conduit's `/versions` and third-party-protocol endpoints refer only to the route table's
//! request wrapper and the errors, and sat with `typing` and with `tag` and `threads`;
//! realworld-actix-diesel's health check and CORS middleware, kellnr's health routes and
//! OpenAPI set-up are alike. What such an item touches is what every domain touches, so it is
//! part of the kernel's surface.
//!
//! What holds an item back (each a kind of evidence the kernel hides):
//! - a reference to or from a domain's **facade**, a hub with a subject link in the names
//!   layer (conduit's `service::users::Service` beside `service::users::data`): the hub is
//!   kernel because every domain calls it, but calling it is evidence of the users domain;
//!   the locator, the request wrapper and the route table have no subject;
//! - being referred to by a hub: a hub's own part (a storage trait only its service uses,
//!   conduit's `service::rooms::metadata::data::Data`, is that service's domain);
//! - a reference to or from an item of its own module: part of that module's code, placed
//!   with it (conduit's TURN endpoint and the HMAC type only it uses; a composition root's
//!   helpers). A group of items linked to one another and otherwise only to the kernel is what
//!   a domain whose services are hubs looks like, so only single items are read;
//! - a names or tables link to a clustered item (a handler named like its service's module);
//! - no reference at all: it says nothing either way.
//!
//! Being referred to by a composition root holds nothing: the route table refers to every
//! handler. Measured in docs/benchmarks.md (twelfth round).

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
    fn a_call_on_a_domains_facade_is_evidence_of_that_domain() {
        let (mut b, mut s) = clustered();
        // The hub gets a subject link (`service::rooms` beside `service::rooms::db`): a facade.
        b.input.layers[1].edges.push((3, 4, 1.0));
        // Item 0 now calls the facade too.
        b.input.layers[0].edges.push((0, 3, 1.0));
        let before = s.clone();
        kernel_only_references(&b, &mut s);
        assert_eq!(
            s, before,
            "0 calls the rooms facade: it stays with its domain"
        );
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
