//! The own items of an aggregator module go to the shared kernel: a module with no subject of
//! its own whose submodules sit in several domains.
//!
//! A crate root, a top-level module or a layer folder (`routes`, `protocol`, `source`: no
//! subject in [`super::subjects`]) is not about anything by its name; when the modules below
//! it land in several domains, what it holds itself is what they share or the wiring between
//! them: kellnr's `main.rs` (`init_storage`, `init_oauth2_handler`, ... starting every
//! domain's service), `kellnr::routes`' middleware, lldap's `main` commands, svix's shutdown
//! and tracing set-up, lemmy's `lemmy_db_schema` sort-type enums that every listing uses,
//! `lemmy_apub_objects::objects`' enums over every object kind. Modularity gives those items
//! to whichever domain they are most linked to, and the module's majority follows them, so a
//! crate root sat in its busiest domain. A module *named* after a subject
//! (`lemmy_api::community`, `lemmy_db_views_comment`) is left alone: its own items are that
//! subject's even when its children went elsewhere. So is a module most of whose submodules
//! share its own domain: it is that domain's root (garage's `garage_rpc::layout` over its
//! versions and manager).
//!
//! The rule runs after `cluster::keep_files_whole`: the inline modules of a file (garage's
//! `layout::v08`..`v010` in `layout/mod.rs`) count as modules below it only once they sit in
//! their file's domain; before, they followed the migration code and made `layout` look like an
//! aggregator over three domains (garage -0.5).
//!
//! Measured on the labelled projects (docs/benchmarks.md, "sixth round"): of the 44 parent
//! modules over several suggested domains that sat in a domain, 27 are labelled `shared`;
//! without the subject condition, moving every such parent also moved 12 domain modules.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound::{Excluded, Unbounded};

use crate::cluster::{KernelReason, Suggestion};

use super::input::Built;
use super::module_votes;
use super::subjects::module_subjects;

/// Moves the own items of every aggregator module (see the module doc) to the kernel,
/// renumbering the domains canonically.
pub fn kernel_aggregators(built: &Built, s: &mut Suggestion) {
    let input = &built.input;
    let votes = module_votes(input, s);
    let subjects = module_subjects(input.nodes.iter().map(|n| n.module.as_str()));
    let mut moved: BTreeMap<&str, usize> = BTreeMap::new();
    for (module, own) in &votes {
        if subjects.contains_key(module) || !own.counts.iter().any(|(d, _)| d.is_some()) {
            continue;
        }
        // The modules below, by their majority: paths sharing the prefix sort together.
        let after = votes.range::<str, _>((Excluded(module.as_str()), Unbounded));
        let below: Vec<Option<u32>> = (after.take_while(|(m, _)| m.starts_with(module.as_str())))
            .filter(|(m, _)| m[module.len()..].starts_with("::"))
            .map(|(_, v)| v.majority())
            .collect();
        let domains: BTreeSet<u32> = below.iter().flatten().copied().collect();
        if domains.len() < 2 {
            continue;
        }
        // Its own domain holding most of the modules below: that domain's root.
        let mine = own.majority();
        if mine.is_some() && 2 * below.iter().filter(|&&d| d == mine).count() > below.len() {
            continue;
        }
        moved.insert(module.as_str(), domains.len());
    }
    if moved.is_empty() {
        return;
    }
    for (i, node) in input.nodes.iter().enumerate() {
        if s.domain[i].is_some()
            && let Some(&domains) = moved.get(node.module.as_str())
        {
            s.domain[i] = None;
            s.confidence[i] = 1.0;
            s.kernel[i] = Some(KernelReason::Aggregator { domains });
        }
    }
    s.renumber();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::test_support::{built, in_domains, suggestion};

    #[test]
    fn a_crate_root_over_several_domains_goes_to_the_kernel() {
        let b = built(
            &[
                "app",           // 0: `init_orders`, linked most to orders
                "app",           // 1: `init_billing`
                "app::orders",   // 2
                "app::billing",  // 3
                "app::billing",  // 4
                "app::users",    // 5
                "app::users::x", // 6
            ],
            &[],
            &[],
        );
        let mut s = suggestion(in_domains(&[0, 0, 0, 1, 1, 2, 2]));
        kernel_aggregators(&b, &mut s);
        assert_eq!(
            s.domain,
            vec![None, None, Some(0), Some(1), Some(1), Some(2), Some(2)]
        );
        assert_eq!(s.kernel[0], Some(KernelReason::Aggregator { domains: 3 }));
        assert_eq!(s.confidence[1], 1.0);
        assert_eq!(s.kernel[2], None);
    }

    #[test]
    fn subjects_roots_of_their_domain_and_single_domain_subtrees_stay() {
        // `app::api::orders` is about orders; its children went to billing and users.
        let b = built(
            &[
                "app::api::orders",
                "app::api::orders::pay",
                "app::api::orders::who",
                "app::api::users",
            ],
            &[],
            &[],
        );
        let domains = in_domains(&[0, 1, 2, 2]);
        let mut s = suggestion(domains.clone());
        kernel_aggregators(&b, &mut s);
        assert_eq!(s.domain, domains, "a subject's module");

        // A crate root whose own domain holds most of the modules below it.
        let b = built(
            &["layout", "layout::v1", "layout::v2", "layout::rpc"],
            &[],
            &[],
        );
        let domains = in_domains(&[0, 0, 0, 1]);
        let mut s = suggestion(domains.clone());
        kernel_aggregators(&b, &mut s);
        assert_eq!(s.domain, domains, "the root of its domain");

        // A crate root over one domain (and the kernel).
        let b = built(&["app", "app::a", "app::b"], &[], &[]);
        let domains = vec![Some(0), Some(1), None];
        let mut s = suggestion(domains.clone());
        kernel_aggregators(&b, &mut s);
        assert_eq!(s.domain, domains, "one domain below");
    }
}
