//! The crate prior of workspaces: domains within one subject crate are joined, and named
//! after the crate's subject.

use crate::cluster::crates::{crate_subjects, follow_crate_majority, join_within_crates};
use crate::cluster::{ClusterInput, NodeInfo, Suggestion, domain_names};

fn node(module: &str) -> NodeInfo {
    NodeInfo {
        id: format!("{module}::X"),
        module: module.to_owned(),
        words: vec![],
    }
}

fn nodes(modules: &[&str]) -> Vec<NodeInfo> {
    modules.iter().map(|m| node(m)).collect()
}

#[test]
fn crate_subjects_drop_the_workspace_name_and_layers() {
    let nodes = nodes(&[
        "ws_ai::tui",
        "ws_app::users",
        "ws_db_views_post",
        "ws",
        "ws_kv",
    ]);
    let subjects = crate_subjects(&nodes);
    assert_eq!(subjects["ws_ai"], vec!["ai"]);
    assert_eq!(
        subjects["ws_db_views_post"],
        vec!["post"],
        "db, views: layers"
    );
    assert!(subjects["ws_app"].is_empty(), "app is a layer");
    assert!(
        subjects["ws"].is_empty(),
        "the workspace's own name says nothing"
    );
    let single = nodes_of_one_crate();
    assert!(
        crate_subjects(&single)["shop"].is_empty(),
        "a single crate is the project"
    );
}

/// A workspace: `ws_ai` (domains 0 and 1, a feature each), `ws_app` (a UI layer with the
/// users and groups screens, domains 2 and 3), and the users and groups domains spanning
/// `ws_app` and `ws_core` (domains 4 and 5).
fn workspace() -> (Vec<NodeInfo>, Vec<u32>) {
    let placed = [
        ("ws_ai::tui", 0),
        ("ws_ai::tui", 0),
        ("ws_ai::permissions", 1),
        ("ws_ai::permissions", 1),
        ("ws_app::users", 2),
        ("ws_app::users", 2),
        ("ws_app::groups", 3),
        ("ws_app::groups", 3),
        ("ws_core::users", 4),
        ("ws_core::users", 4),
        ("ws_app::user_form", 4),
        ("ws_core::groups", 5),
        ("ws_core::groups", 5),
        ("ws_app::group_form", 5),
        ("ws_core::groups", 5),
        ("ws_core::groups", 5),
    ];
    (
        placed.iter().map(|(m, _)| node(m)).collect(),
        placed.iter().map(|&(_, d)| d).collect(),
    )
}

#[test]
fn domains_within_one_subject_crate_are_joined() {
    let (nodes, labels) = workspace();
    let joined = join_within_crates(&nodes, &labels, &[false; 16]);
    assert_eq!(
        &joined[..4],
        &[0, 0, 0, 0],
        "ws_ai's two features are one domain"
    );
    assert_eq!(
        &joined[4..],
        &labels[4..],
        "a layer crate's domains and domains spanning crates stay apart"
    );
}

#[test]
fn kernel_nodes_and_the_project_crate_are_left_alone() {
    let (nodes, labels) = workspace();
    let mut kernel = [false; 16];
    kernel[8..].fill(true);
    // Without `ws_core`, `ws_ai` holds half of the clustered items: still a member.
    let joined = join_within_crates(&nodes, &labels, &kernel);
    assert_eq!(&joined[..4], &[0, 0, 0, 0]);
    assert_eq!(&joined[8..], &labels[8..], "kernel nodes keep their labels");
    // With `ws_app` in the kernel too, `ws_ai` is the only crate left, the project itself:
    // its domains are the project's domains.
    kernel[4..8].fill(true);
    assert_eq!(join_within_crates(&nodes, &labels, &kernel), labels);
    let single = nodes_of_one_crate();
    assert_eq!(
        join_within_crates(&single, &[0, 0, 1, 1], &[false; 4]),
        vec![0, 0, 1, 1],
        "a single-crate project is never joined"
    );
}

fn nodes_of_one_crate() -> Vec<NodeInfo> {
    nodes(&[
        "shop::orders",
        "shop::orders",
        "shop::billing",
        "shop::billing",
    ])
}

#[test]
fn a_domain_is_named_after_its_crates_subject() {
    let (nodes, labels) = workspace();
    let joined = join_within_crates(&nodes, &labels, &[false; 16]);
    let domain: Vec<Option<u32>> = joined
        .iter()
        .map(|&d| Some([0, 0, 1, 2, 3, 4][d as usize]))
        .collect();
    let suggestion = Suggestion {
        domain,
        confidence: vec![1.0; 16],
        kernel: vec![None; 16],
        resolution: 1.0,
        domain_count: 5,
    };
    let input = ClusterInput {
        nodes,
        layers: vec![],
    };
    let names = domain_names(&input, &suggestion);
    assert_eq!(
        names[0], "ai",
        "not one of its features, `tui` or `permissions`"
    );
    assert_eq!(&names[1..3], &["users", "groups"], "`app` is a layer");
}

#[test]
fn the_stragglers_of_a_subject_crate_follow_its_majority() {
    let nodes = nodes(&[
        "ws_notes::store",
        "ws_notes::store",
        "ws_notes::record",
        "ws_notes::record",
        "ws_app::notes",
        "ws_app::notes",
        "ws_app::notes",
        "ws_app::history",
        "ws_history::import",
        "ws_history::stats",
        "ws_history::search",
    ]);
    let labels = [0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3];
    let mut kernel = [false; 11];
    let followed = follow_crate_majority(&nodes, &labels, &kernel);
    assert_eq!(
        &followed[..4],
        &[0, 0, 0, 0],
        "ws_notes's straggler joins its 3 of 4"
    );
    assert_eq!(
        &followed[4..8],
        &labels[4..8],
        "app is a layer: its split stays"
    );
    assert_eq!(
        &followed[8..],
        &labels[8..],
        "no domain holds two thirds of ws_history"
    );
    kernel[3] = true;
    assert_eq!(
        follow_crate_majority(&nodes, &labels, &kernel)[3],
        labels[3],
        "kernel nodes stay where they are"
    );
}
