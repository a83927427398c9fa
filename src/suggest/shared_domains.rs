//! A suggested domain that several domains use and that uses none of them, without data of
//! its own, is infrastructure: it goes to the shared kernel.
//!
//! garage's peer-to-peer RPC library (`garage_net`) and lemmy's `db_schema::traits` came out
//! as domains: tightly linked code that the clustering rightly keeps together, but that the
//! other domains only use. A business capability has data (it touches tables) or needs other
//! capabilities; a library every capability calls, touching no table and calling none of
//! them, is what the kernel is for. The rule reads the domain graph after clustering: a
//! domain is a sink when items of at least [`MIN_USERS`] other domains refer to its items and
//! its items refer to no item of another domain, and it is data-less when none of its items
//! reads, writes or defines (a sea-orm entity) a table. Codebases whose domains touch no
//! table are left alone: there, touching none says nothing.
//!
//! A second rule, [`kernel_isolated_domains`], takes a data-less domain that no domain with
//! data is linked to (none at all, or only data-less ones; see its doc), where domains keep
//! their data in tables.

use std::collections::BTreeSet;

use crate::cluster::{KernelReason, Suggestion};

use super::input::Built;
use super::subjects::module_subjects;

/// Distinct other domains that must use a domain before it can be infrastructure.
pub const MIN_USERS: usize = 3;

/// Moves every data-less sink domain (see the module doc) to the kernel, renumbering the
/// domains canonically.
pub fn kernel_shared_domains(built: &Built, s: &mut Suggestion) {
    let g = DomainGraph::of(built, s);
    if !g.data.iter().any(|&d| d) {
        return;
    }
    let shared: Vec<Option<KernelReason>> = (0..s.domain_count)
        .map(|d| {
            let sink = g.users[d].len() >= MIN_USERS && g.uses[d].is_empty() && !g.data[d];
            sink.then(|| KernelReason::SharedDomain {
                users: g.users[d].len(),
            })
        })
        .collect();
    to_kernel(s, &shared);
}

/// Moves every data-less domain linked to no domain with data to the kernel, renumbering the
/// domains canonically.
///
/// A domain that touches no table and that no domain touching a table refers to nor is
/// referred to by, in a codebase where at least [`DATA_SHARE`] of the domains touch a table:
/// a business capability keeps data, or serves or calls a capability that does; code linked
/// only to itself, to the kernel and to other data-less code is plumbing around the
/// capabilities (svix's idempotency middleware and development endpoints, kellnr's embedded UI
/// files, lemmy's SQL type declarations, lldap's banner widget, all linked to no domain; svix's
/// health endpoint, which only pings the cache and queue domain; atuin's `doctor` command,
/// which only asks the daemon; lldap's form widgets, used only by the user and group screens,
/// themselves data-less). Where few domains touch a table, the data lives elsewhere (garage's
/// own table engine, conduit's key-value store, whose services reach each other through the
/// kernel's service locator) and neither signal says anything: there, such domains are
/// capabilities.
///
/// The data-less neighbours of a domain sent here are often sent too; that does not matter:
/// the test reads which domains touch a table, which the moves do not change, so one pass
/// decides what any number of passes would.
///
/// It runs last, after `aggregators::kernel_aggregators`: the crate roots and layer folders
/// those send to the kernel no longer tie a domain to the others (svix's binary and derive
/// macros were linked to the server's root only).
pub fn kernel_isolated_domains(built: &Built, s: &mut Suggestion) {
    let g = DomainGraph::of(built, s);
    let n = s.domain_count;
    if few_keep_data(&g, n) {
        return;
    }
    let isolated: Vec<Option<KernelReason>> = (0..n)
        .map(|d| {
            let linked: BTreeSet<u32> = g.users[d].union(&g.uses[d]).copied().collect();
            let no_data_near = linked.iter().all(|&o| !g.data[o as usize]);
            let reason = if linked.is_empty() {
                KernelReason::IsolatedDomain
            } else {
                KernelReason::DatalessNeighbours {
                    domains: linked.len(),
                }
            };
            (no_data_near && !g.data[d]).then_some(reason)
        })
        .collect();
    to_kernel(s, &isolated);
}

/// Moves every subjectless domain that needs no other domain to the kernel, renumbering the
/// domains canonically; repeated until none is left, since a domain that needed only such a
/// domain needs none once it is gone.
///
/// A module is about a subject when it sits below its crate's top level and is not a layer
/// folder ([`module_subjects`]); a crate root or a crate's top-level module is about nothing
/// by its name (the same reading as `aggregators`). A domain all of whose modules are of that
/// kind, and whose items refer to no item of another domain (only to its own and the
/// kernel's), is a crate's set-up that capabilities may use but that needs none of them:
/// atuin's `distro` detection, kellnr's migration crate with its `Iden` enums naming every
/// table (`kellnr_migration::*`), then `kellnr_db::tables`, which needed only those enums.
/// Subjectless code that needs a capability stays: it is that capability's entry point or
/// a workflow of its own (lldap's `cli`, which calls the auth service; zero-to-production's
/// delivery worker, which reads the subscriptions).
///
/// Two guards keep it to codebases where both signals mean something. Where few domains touch
/// a table ([`DATA_SHARE`], as for [`kernel_isolated_domains`]) the capabilities keep their
/// data elsewhere and are often self-contained crates of top-level modules (garage's `k2v`,
/// conduit's `destination`). Where most domains have no subject ([`SUBJECTLESS_SHARE`]) the
/// crate is flat (`src/users.rs`, `src/orders.rs`): there every capability is a top-level
/// module and the missing subject says nothing. Both are read once, before any move.
pub fn kernel_subjectless_domains(built: &Built, s: &mut Suggestion) {
    let g = DomainGraph::of(built, s);
    let n = s.domain_count;
    if few_keep_data(&g, n) {
        return;
    }
    let mut subjectless = subjectless_domains(built, s);
    if subjectless.iter().filter(|&&l| l).count() as f64 > SUBJECTLESS_SHARE * n as f64 {
        return;
    }
    let mut g = g;
    loop {
        let set_up: Vec<Option<KernelReason>> = (0..s.domain_count)
            .map(|d| (subjectless[d] && g.uses[d].is_empty()).then_some(KernelReason::Subjectless))
            .collect();
        if set_up.iter().all(Option::is_none) {
            return;
        }
        to_kernel(s, &set_up);
        g = DomainGraph::of(built, s);
        subjectless = subjectless_domains(built, s);
    }
}

/// Whether fewer than [`DATA_SHARE`] of the `n` domains touch a table (or there are none):
/// then the capabilities keep their data where fissure does not see it, and a domain without
/// table data says nothing.
fn few_keep_data(g: &DomainGraph, n: usize) -> bool {
    let with_data = g.data.iter().filter(|&&d| d).count();
    n == 0 || (with_data as f64) < DATA_SHARE * n as f64
}

/// Per domain, whether none of its modules has a subject ([`module_subjects`]).
fn subjectless_domains(built: &Built, s: &Suggestion) -> Vec<bool> {
    let nodes = &built.input.nodes;
    let subjects = module_subjects(nodes.iter().map(|n| n.module.as_str()));
    let mut subjectless = vec![true; s.domain_count];
    for (i, node) in nodes.iter().enumerate() {
        if let Some(d) = s.domain[i]
            && subjects.contains_key(&node.module)
        {
            subjectless[d as usize] = false;
        }
    }
    subjectless
}

/// Share of the domains that may have no subject before a subjectless domain says nothing
/// (a flat crate). Measured: at most 4 of 11 (lldap) and 4 of 13 (kellnr) on the labelled
/// projects, whose layouts have subject folders.
pub const SUBJECTLESS_SHARE: f64 = 0.5;

/// Share of the domains that must touch a table before an isolated domain touching none is
/// infrastructure. Measured: 0 (conduit) and 2 of 12 (garage) where the data is not in SQL
/// tables, 8 of 21 (atuin) and 6 of 17 (lldap) at the lowest where it is.
pub const DATA_SHARE: f64 = 0.25;

/// The suggested domains as a graph: which touch a table, which refer to which.
struct DomainGraph {
    /// Some item of the domain reads, writes or defines a table.
    data: Vec<bool>,
    /// Other domains whose items refer to the domain's items.
    users: Vec<BTreeSet<u32>>,
    /// Other domains the domain's items refer to.
    uses: Vec<BTreeSet<u32>>,
}

impl DomainGraph {
    fn of(built: &Built, s: &Suggestion) -> DomainGraph {
        let n = s.domain_count;
        let mut data = vec![false; n];
        for usage in built.tables.values() {
            let nodes = (usage.writers.keys())
                .chain(usage.readers.keys())
                .chain(usage.definers.keys());
            for &node in nodes {
                if let Some(d) = s.domain[node as usize] {
                    data[d as usize] = true;
                }
            }
        }
        let mut users: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); n];
        let mut uses: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); n];
        for (from, to) in built.input.directed_pairs() {
            if let (Some(a), Some(b)) = (s.domain[from as usize], s.domain[to as usize])
                && a != b
            {
                users[b as usize].insert(a);
                uses[a as usize].insert(b);
            }
        }
        DomainGraph { data, users, uses }
    }
}

/// Sends the items of every domain with a reason to the kernel, for that reason.
fn to_kernel(s: &mut Suggestion, reasons: &[Option<KernelReason>]) {
    if reasons.iter().all(Option::is_none) {
        return;
    }
    for i in 0..s.domain.len() {
        if let Some(d) = s.domain[i]
            && let Some(reason) = &reasons[d as usize]
        {
            s.domain[i] = None;
            s.confidence[i] = 1.0;
            s.kernel[i] = Some(reason.clone());
        }
    }
    s.renumber();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::test_support::{built, in_domains, suggestion};

    const MODULES: &[&str] = &[
        "app::orders",  // 0: domain 0, writes `orders`
        "app::billing", // 1: domain 1, writes `invoices`
        "app::users",   // 2: domain 2, writes `users`
        "net::peer",    // 3: domain 3
        "net::rpc",     // 4: domain 3
    ];

    fn domains() -> Vec<Option<u32>> {
        vec![Some(0), Some(1), Some(2), Some(3), Some(3)]
    }

    #[test]
    fn a_library_three_domains_use_goes_to_the_kernel() {
        // Orders, billing and users call the network library, which calls only itself.
        let b = built(
            MODULES,
            &[(0, 3), (1, 4), (2, 3), (3, 4), (0, 1)],
            &[
                ("orders", &[0], &[]),
                ("invoices", &[1], &[]),
                ("users", &[2], &[]),
            ],
        );
        let mut s = suggestion(domains());
        kernel_shared_domains(&b, &mut s);
        assert_eq!(s.domain, vec![Some(0), Some(1), Some(2), None, None]);
        assert_eq!(s.domain_count, 3);
        assert_eq!(s.kernel[3], Some(KernelReason::SharedDomain { users: 3 }));
        assert_eq!(s.kernel[4], Some(KernelReason::SharedDomain { users: 3 }));
        assert_eq!(s.confidence[3], 1.0);
        assert_eq!(s.kernel[0], None, "billing's user is not shared: one user");
    }

    #[test]
    fn a_sink_with_data_two_users_or_a_use_of_its_own_stays_a_domain() {
        let tables: &[(&str, &[u32], &[u32])] = &[
            ("orders", &[0], &[]),
            ("invoices", &[1], &[]),
            ("users", &[2], &[]),
        ];
        // Two users only.
        let b = built(MODULES, &[(0, 3), (1, 4)], tables);
        let mut s = suggestion(domains());
        kernel_shared_domains(&b, &mut s);
        assert_eq!(s.domain, domains(), "two users");
        // Three users, but the library calls back into users.
        let b = built(MODULES, &[(0, 3), (1, 4), (2, 3), (4, 2)], tables);
        let mut s = suggestion(domains());
        kernel_shared_domains(&b, &mut s);
        assert_eq!(s.domain, domains(), "it uses a domain");
        // Three users, and it defines a table (sea-orm entities every domain uses).
        let with_entity: &[(&str, &[u32], &[u32])] = &[
            ("orders", &[0], &[3]),
            ("invoices", &[1], &[]),
            ("users", &[2], &[]),
        ];
        let b = built(MODULES, &[(0, 3), (1, 4), (2, 3)], with_entity);
        let mut s = suggestion(domains());
        kernel_shared_domains(&b, &mut s);
        assert_eq!(s.domain, domains(), "the entities are data");
    }

    #[test]
    fn codebases_whose_domains_touch_no_table_are_left_alone() {
        let b = built(MODULES, &[(0, 3), (1, 4), (2, 3)], &[]);
        let mut s = suggestion(domains());
        kernel_shared_domains(&b, &mut s);
        assert_eq!(s.domain, domains());
        assert!(s.kernel.iter().all(Option::is_none));
    }

    // Orders (0) and billing (1) write tables and call each other; the health endpoint (2, 3)
    // and the users screens (4) are linked to no other domain; a kernel item (5) is called
    // by all.
    const ISOLATED: &[&str] = &[
        "app::orders",
        "app::billing",
        "app::health",
        "app::health::probe",
        "app::users",
        "app::config",
    ];
    const ISOLATED_REFS: &[(u32, u32)] = &[(0, 1), (2, 3), (0, 5), (1, 5), (2, 5), (4, 5)];

    fn isolated_domains() -> Vec<Option<u32>> {
        vec![Some(0), Some(1), Some(2), Some(2), Some(3), None]
    }

    /// The isolated-domains fixture after [`kernel_isolated_domains`], with `refs` and `tables`.
    fn after_isolation(refs: &[(u32, u32)], tables: &[(&str, &[u32], &[u32])]) -> Suggestion {
        let b = built(ISOLATED, refs, tables);
        let mut s = suggestion(isolated_domains());
        kernel_isolated_domains(&b, &mut s);
        s
    }

    #[test]
    fn a_domain_linked_to_no_domain_and_without_data_goes_to_the_kernel() {
        let tables: &[(&str, &[u32], &[u32])] = &[
            ("orders", &[0], &[]),
            ("invoices", &[1], &[]),
            ("users", &[4], &[]),
        ];
        let s = after_isolation(ISOLATED_REFS, tables);
        assert_eq!(
            s.domain,
            vec![Some(0), Some(1), None, None, Some(2), None],
            "health, linked only to the kernel, goes; users keeps its table"
        );
        assert_eq!(s.domain_count, 3);
        assert_eq!(s.kernel[2], Some(KernelReason::IsolatedDomain));
        assert_eq!(s.kernel[3], Some(KernelReason::IsolatedDomain));
        assert_eq!(s.confidence[2], 1.0);
        assert_eq!(s.kernel[4], None);
    }

    #[test]
    fn a_domain_using_or_used_by_another_stays() {
        let tables: &[(&str, &[u32], &[u32])] = &[("orders", &[0], &[]), ("invoices", &[1], &[])];
        // The health probe calls billing: a client of a capability, not isolated.
        let mut refs = ISOLATED_REFS.to_vec();
        refs.push((3, 1));
        // The users screens are used by orders.
        refs.push((0, 4));
        let s = after_isolation(&refs, tables);
        assert_eq!(s.domain, isolated_domains());
    }

    #[test]
    fn a_data_less_domain_linked_only_to_data_less_domains_goes_to_the_kernel() {
        let tables: &[(&str, &[u32], &[u32])] = &[
            ("orders", &[0], &[]),
            ("invoices", &[1], &[]),
            ("users", &[4], &[]),
        ];
        // The health probe asks the users screens (module 4, domain 3) and nothing else;
        // first with the screens data-less: plumbing around plumbing, both go.
        let mut refs = ISOLATED_REFS.to_vec();
        refs.push((3, 4));
        let data_less_users: &[(&str, &[u32], &[u32])] =
            &[("orders", &[0], &[]), ("invoices", &[1], &[])];
        let s = after_isolation(&refs, data_less_users);
        assert_eq!(s.domain, vec![Some(0), Some(1), None, None, None, None]);
        assert_eq!(s.domain_count, 2);
        assert_eq!(
            s.kernel[2],
            Some(KernelReason::DatalessNeighbours { domains: 1 })
        );
        assert_eq!(
            s.kernel[4],
            Some(KernelReason::DatalessNeighbours { domains: 1 })
        );
        // The same probe while the users screens write their table: it serves a capability.
        let s = after_isolation(&refs, tables);
        assert_eq!(s.domain, isolated_domains());
        // Orders, with data, calls the probe: the probe serves a capability and stays; the
        // data-less screens, linked only to the probe, still go.
        refs.push((0, 2));
        let s = after_isolation(&refs, data_less_users);
        assert_eq!(
            s.domain,
            vec![Some(0), Some(1), Some(2), Some(2), None, None]
        );
    }

    #[test]
    fn where_few_domains_touch_a_table_isolation_says_nothing() {
        // One domain of five has data (under a quarter): the data lives elsewhere.
        let modules = ["a::one", "a::two", "a::three", "a::four", "a::five"];
        let b = built(&modules, &[(0, 1)], &[("ones", &[0], &[])]);
        let mut s = suggestion(vec![Some(0), Some(1), Some(2), Some(3), Some(4)]);
        kernel_isolated_domains(&b, &mut s);
        assert_eq!(s.domain_count, 5);
        assert!(s.kernel.iter().all(Option::is_none));
        // Two of five (over a quarter): the three isolated ones go.
        let b = built(
            &modules,
            &[(0, 1)],
            &[("ones", &[0], &[]), ("twos", &[1], &[])],
        );
        let mut s = suggestion(vec![Some(0), Some(1), Some(2), Some(3), Some(4)]);
        kernel_isolated_domains(&b, &mut s);
        assert_eq!(s.domain, vec![Some(0), Some(1), None, None, None]);
    }

    // Orders (0, 1) and billing (2, 3) sit in subject folders and write tables; the CLI (4,
    // 5) and the logging set-up (6) are top-level modules of the binary crate.
    const GLUE: &[&str] = &[
        "shop::orders::create",
        "shop::orders::list",
        "shop::billing::invoice",
        "shop::billing::pay",
        "shop_bin::cli",
        "shop_bin::healthcheck",
        "shop_bin::logs",
    ];
    const GLUE_TABLES: &[(&str, &[u32], &[u32])] =
        &[("orders", &[0], &[]), ("invoices", &[2], &[])];

    fn glue_domains() -> Vec<Option<u32>> {
        in_domains(&[0, 0, 1, 1, 2, 2, 3])
    }

    /// The glue fixture after [`kernel_subjectless_domains`], with `refs`.
    fn after_glue(refs: &[(u32, u32)], domains: Vec<Option<u32>>) -> Suggestion {
        let b = built(GLUE, refs, GLUE_TABLES);
        let mut s = suggestion(domains);
        kernel_subjectless_domains(&b, &mut s);
        s
    }

    #[test]
    fn subjectless_set_up_no_domain_needs_goes_to_the_kernel() {
        // The logging set-up is used by billing and the CLI and needs no domain; the CLI
        // needs only the logging set-up, so it goes once the set-up is in the kernel.
        let s = after_glue(&[(4, 6), (4, 5), (2, 6), (2, 0)], glue_domains());
        assert_eq!(
            s.domain,
            vec![Some(0), Some(0), Some(1), Some(1), None, None, None]
        );
        assert_eq!(s.domain_count, 2);
        assert_eq!(s.kernel[6], Some(KernelReason::Subjectless));
        assert_eq!(s.kernel[4], Some(KernelReason::Subjectless));
        assert_eq!(s.confidence[5], 1.0);
        assert_eq!(s.kernel[0], None, "orders is below a subject folder");
    }

    #[test]
    fn subjectless_code_needing_a_capability_or_with_a_subject_stays() {
        // The CLI calls orders: an entry point of a capability.
        let s = after_glue(&[(4, 0)], glue_domains());
        assert_eq!(s.domain[4], Some(2));
        assert_eq!(s.kernel[4], None);
        assert_eq!(s.domain[6], None, "the logging set-up still goes");
        // The CLI needing nothing, but with a subject module in its domain.
        let mut domains = glue_domains();
        domains[3] = Some(2);
        let s = after_glue(&[], domains);
        assert_eq!(s.domain[4], Some(2), "billing::pay names a subject");
    }

    #[test]
    fn flat_crates_and_codebases_without_table_data_are_left_alone() {
        // Every domain a top-level module: the crate is flat, top-level modules are its
        // capabilities.
        let flat = ["shop::orders", "shop::billing", "shop::users", "shop::logs"];
        let b = built(
            &flat,
            &[(0, 1)],
            &[("orders", &[0], &[]), ("invoices", &[1], &[])],
        );
        let mut s = suggestion(in_domains(&[0, 1, 2, 3]));
        kernel_subjectless_domains(&b, &mut s);
        assert_eq!(s.domain_count, 4);
        // No domain touches a table.
        let b = built(GLUE, &[], &[]);
        let mut s = suggestion(glue_domains());
        kernel_subjectless_domains(&b, &mut s);
        assert_eq!(s.domain, glue_domains());
    }
}
