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

use std::collections::BTreeSet;

use crate::cluster::{KernelReason, Suggestion};

use super::input::Built;

/// Distinct other domains that must use a domain before it can be infrastructure.
pub const MIN_USERS: usize = 3;

/// Moves every data-less sink domain (see the module doc) to the kernel, renumbering the
/// domains canonically.
pub fn kernel_shared_domains(built: &Built, s: &mut Suggestion) {
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
    if !data.iter().any(|&d| d) {
        return;
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
    let shared: Vec<bool> = (0..n)
        .map(|d| users[d].len() >= MIN_USERS && uses[d].is_empty() && !data[d])
        .collect();
    if !shared.iter().any(|&x| x) {
        return;
    }
    for i in 0..s.domain.len() {
        if let Some(d) = s.domain[i]
            && shared[d as usize]
        {
            s.domain[i] = None;
            s.confidence[i] = 1.0;
            s.kernel[i] = Some(KernelReason::SharedDomain {
                users: users[d as usize].len(),
            });
        }
    }
    s.renumber();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::test_support::{built, suggestion};

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
}
