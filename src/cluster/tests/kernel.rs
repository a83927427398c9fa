//! Shared-kernel detection: infrastructure names and hubs used from many communities are set
//! apart instead of being forced into a domain.

use crate::cluster::kernel::{
    INFRA_CONTAINERS, INFRA_SEGMENTS, KernelRules, hubs, hubs_over_runs, infrastructure_by_name,
    kernel_neighbours,
};
use crate::cluster::{
    ClusterInput, KernelReason, Layer, LeidenClusterer, NodeInfo, SuggestConfig, WeightedGraph,
    suggest,
};

fn node(id: &str) -> NodeInfo {
    let module = id.rsplit_once("::").map_or(id, |(m, _)| m).to_owned();
    NodeInfo {
        id: id.to_owned(),
        module,
        words: vec![],
    }
}

#[test]
fn infrastructure_segments_are_sorted_and_matched_whole() {
    for list in [INFRA_SEGMENTS, INFRA_CONTAINERS] {
        let mut sorted = list.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, list);
    }
    let nodes = [
        node("shop::db::Pool"),
        node("shop::dashboard::Widget"),
        node("shop::orders::config::Limits"),
        node("db::Thing"), // the crate itself is not a segment that counts
        node("shop::utils::date::Parse"),
        node("shop::database::users::UserRow"),
    ];
    let reasons = infrastructure_by_name(&nodes, &KernelRules::default());
    assert_eq!(
        reasons,
        vec![
            Some(KernelReason::InfrastructureName {
                segment: "db".into()
            }),
            None,
            Some(KernelReason::InfrastructureName {
                segment: "config".into()
            }),
            None,
            Some(KernelReason::InfrastructureName {
                segment: "utils".into()
            }),
            None,
        ]
    );
}

#[test]
fn fn_main_at_a_crate_root_is_the_entry_point() {
    let nodes = [
        node("shop_bin::main"),
        node("shop_bin::report_exit"),
        node("shop::orders::main"), // a `main` below the root is an ordinary fn
        node("shop::main"),         // any crate root: a library root rarely has a `main`
    ];
    let reasons = infrastructure_by_name(&nodes, &KernelRules::default());
    assert_eq!(
        reasons,
        vec![
            Some(KernelReason::EntryPoint),
            None,
            None,
            Some(KernelReason::EntryPoint)
        ]
    );
}

#[test]
fn a_common_crates_module_named_after_a_table_is_clustered() {
    let nodes = [
        node("reg_common::crate_data::CrateData"), // `crate` is a word of `crate_meta`
        node("reg_common::webhook::sent::Event"),  // below a module named after `webhook`
        node("reg_common::string::Cut"),           // names no table: a helper
        node("reg_common::util::Clock"),           // infrastructure by its own name
        node("reg_common::Version"),               // the crate's root
        node("reg_settings::webhook::Options"),    // a settings crate stays kernel whole
        node("reg::common::webhook::Hook"),        // a `common` module is a container
    ];
    let rules = KernelRules {
        table_words: ["crate", "meta", "webhook"].map(String::from).into(),
        ..KernelRules::default()
    };
    let named = |segment: &str| {
        Some(KernelReason::InfrastructureName {
            segment: segment.into(),
        })
    };
    let expected = vec![
        None,
        None,
        named("common"),
        named("util"),
        named("common"),
        named("settings"),
        named("common"),
    ];
    assert_eq!(infrastructure_by_name(&nodes, &rules), expected);
    let without_tables = infrastructure_by_name(&nodes, &KernelRules::default());
    assert_eq!(
        without_tables[0],
        named("common"),
        "no tables, no exception"
    );
    assert_eq!(without_tables[1], named("common"));
}

#[test]
fn a_common_crates_module_building_on_domain_code_is_clustered() {
    let nodes = [
        node("api_common::signature::Verify"), // refers to the model's access keys
        node("api_common::signature::error::E"), // infrastructure by its own name
        node("api_common::encoding::UriEncode"), // a helper
    ];
    let rules = KernelRules {
        domain_common_modules: ["api_common::signature".to_owned()].into(),
        ..KernelRules::default()
    };
    let named = |segment: &str| {
        Some(KernelReason::InfrastructureName {
            segment: segment.into(),
        })
    };
    assert_eq!(
        infrastructure_by_name(&nodes, &rules),
        vec![None, named("error"), named("common")]
    );
    let without = infrastructure_by_name(&nodes, &KernelRules::default());
    assert_eq!(without[0], named("common"));
}

#[test]
fn composition_root_refers_across_communities() {
    // Node 0 (a route table) refers to one node of each of four communities.
    let labels = [9, 0, 1, 2, 3, 0].map(Some);
    let pairs = [(0, 1), (0, 2), (0, 3), (0, 4), (5, 1)];
    let rules = KernelRules::default();
    let reasons = hubs(&pairs, &labels, &[false; 6], &rules);
    assert_eq!(
        reasons[0],
        Some(KernelReason::CompositionRoot {
            fan_out: 4,
            spread: 4
        })
    );
    assert!(reasons[1..].iter().all(Option::is_none));
    let off = KernelRules {
        composition_roots: false,
        ..KernelRules::default()
    };
    assert_eq!(hubs(&pairs, &labels, &[false; 6], &off)[0], None);
    // Referees left out of the clustering do not count towards the spread.
    let mut unlabelled = labels;
    unlabelled[3] = None;
    unlabelled[4] = None;
    assert_eq!(hubs(&pairs, &unlabelled, &[false; 6], &rules)[0], None);
}

#[test]
fn hub_needs_fan_in_and_spread() {
    // Node 0 is used by one node of each of four communities; node 1 by four nodes of one.
    let labels = [9, 9, 0, 1, 2, 3, 0, 0, 0].map(Some);
    let pairs = [
        (2, 0),
        (3, 0),
        (4, 0),
        (5, 0),
        (6, 1),
        (7, 1),
        (8, 1),
        (2, 1),
    ];
    let rules = KernelRules::default();
    let reasons = hubs(&pairs, &labels, &[false; 9], &rules);
    assert_eq!(
        reasons[0],
        Some(KernelReason::Hub {
            fan_in: 4,
            spread: 4
        })
    );
    assert_eq!(
        reasons[1], None,
        "four users, one community: a domain core, not a kernel"
    );
    assert!(reasons[2..].iter().all(Option::is_none));
    // Referrers already in the kernel do not count.
    let mut excluded = [false; 9];
    excluded[2] = true;
    let reasons = hubs(&pairs, &labels, &excluded, &rules);
    assert_eq!(reasons[0], None, "fan-in 3 is below the floor of 4");
}

#[test]
fn hub_is_decided_by_most_runs_not_one() {
    // Node 0 is used by nodes 1-4. One run puts them in three communities (a hub at
    // min_spread 3), the other two in two.
    let pairs = [(1, 0), (2, 0), (3, 0), (4, 0)];
    let three = vec![Some(9), Some(0), Some(1), Some(2), Some(2)];
    let two = vec![Some(9), Some(0), Some(0), Some(1), Some(1)];
    let rules = KernelRules::default();
    let hub = Some(KernelReason::Hub {
        fan_in: 4,
        spread: 3,
    });
    assert_eq!(hubs(&pairs, &three, &[false; 5], &rules)[0], hub);
    let runs = [three.clone(), two.clone(), two.clone()];
    assert_eq!(hubs_over_runs(&pairs, &runs, &[false; 5], &rules)[0], None);
    // Half the runs are enough: the spread reached by at least half of them.
    let runs = [three.clone(), two.clone(), three.clone(), two];
    assert_eq!(hubs_over_runs(&pairs, &runs, &[false; 5], &rules)[0], hub);
    assert_eq!(
        hubs_over_runs(&pairs, &[three], &[false; 5], &rules)[0],
        hub
    );
}

/// Four communities of six nodes (each refers to the next two of its ring); node 24 (`shop::money::Money`) is used by two nodes of each,
/// and node 25 lives in `shop::telemetry`.
fn hub_input() -> ClusterInput {
    let mut nodes: Vec<NodeInfo> = (0..24)
        .map(|i| node(&format!("shop::domain{}::Item{i}", i / 6)))
        .collect();
    nodes.push(node("shop::money::Money"));
    nodes.push(node("shop::telemetry::Span"));
    let mut edges = Vec::new();
    for g in 0..4u32 {
        for i in 0..6 {
            for step in 1..=2 {
                edges.push((g * 6 + i, g * 6 + (i + step) % 6, 1.0));
            }
        }
        edges.push((g * 6, 24, 1.0));
        edges.push((g * 6 + 1, 24, 1.0));
        edges.push((g * 6 + 2, 25, 1.0));
    }
    ClusterInput {
        nodes,
        layers: vec![Layer::directed("references", 1.0, edges)],
    }
}

#[test]
fn suggestion_sets_hub_and_infrastructure_apart() {
    let s = suggest(&hub_input(), &LeidenClusterer, &SuggestConfig::default());
    assert_eq!(
        s.kernel[24],
        Some(KernelReason::Hub {
            fan_in: 8,
            spread: 4
        })
    );
    assert_eq!(
        s.kernel[25],
        Some(KernelReason::InfrastructureName {
            segment: "telemetry".into()
        })
    );
    assert_eq!(s.domain[24], None);
    assert_eq!(s.domain[25], None);
    assert!(s.kernel[..24].iter().all(Option::is_none));
    assert_eq!(s.domain_count, 4);
    for g in 0..4 {
        let first = s.domain[g * 6];
        assert!(first.is_some());
        assert!(s.domain[g * 6..g * 6 + 6].iter().all(|d| *d == first));
    }
}

#[test]
fn a_node_wired_only_to_infrastructure_and_roots_joins_them() {
    let named = Some(KernelReason::InfrastructureName {
        segment: "config".into(),
    });
    let root = Some(KernelReason::CompositionRoot {
        fan_out: 9,
        spread: 4,
    });
    let hub = Some(KernelReason::Hub {
        fan_in: 9,
        spread: 4,
    });
    // 0: root, 1: config, 2: hub. 3 (`main`) is linked to the root and the config; 4 (a
    // storage trait) only to the hub; 5 to the root and to 6, a domain node; 7 to nothing.
    let reasons = vec![root, named, hub, None, None, None, None, None];
    let graph = WeightedGraph::from_edges(
        8,
        vec![
            (3, 0, 1.0),
            (3, 1, 0.5),
            (4, 2, 1.0),
            (5, 0, 1.0),
            (5, 6, 1.0),
        ],
    );
    let attached = kernel_neighbours(&graph, &reasons);
    assert_eq!(
        attached[3],
        Some(KernelReason::KernelNeighbours { neighbours: 2 })
    );
    assert_eq!(
        attached[4], None,
        "a hub's own storage stays with its domain"
    );
    assert_eq!(attached[5], None, "one domain neighbour is enough to stay");
    assert_eq!(attached[7], None, "an unlinked node is not wiring either");
    assert!(
        attached[..3].iter().all(Option::is_none),
        "rules 1-3 keep theirs"
    );
}

#[test]
fn suggestion_puts_the_wiring_of_a_composition_root_in_the_kernel() {
    let mut input = hub_input();
    // `start` calls only `run`, which wires one item of each community.
    input.nodes.push(node("shop_bin::run"));
    input.nodes.push(node("shop_bin::start"));
    let mut wiring: Vec<(u32, u32, f64)> = (0..4).map(|g| (26, g * 6 + 3, 1.0)).collect();
    wiring.push((27, 26, 1.0));
    input.layers.push(Layer::directed("wiring", 1.0, wiring));
    let s = suggest(&input, &LeidenClusterer, &SuggestConfig::default());
    assert!(
        matches!(s.kernel[26], Some(KernelReason::CompositionRoot { .. })),
        "{:?}",
        s.kernel[26]
    );
    assert_eq!(
        s.kernel[27],
        Some(KernelReason::KernelNeighbours { neighbours: 1 })
    );
    assert_eq!(s.domain[27], None);
    assert_eq!(s.domain_count, 4, "no one-item domain for `start`");
}
