//! The baselines, the item → module aggregation used for scoring, and truth-file errors.

use std::collections::BTreeMap;

use crate::cluster::{ClusterInput, KernelReason, NodeInfo, Suggestion, module_domains};
use crate::eval::{
    Assignment, Truth, louvain_use_baseline, module_tree_baseline, relative_module_path, score,
    suggestion_assignment,
};

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn module_tree_labels_by_top_level_module() {
    let got = module_tree_baseline(
        [
            "crate",
            "orders",
            "orders::model",
            "billing::a::b",
            "bin:main",
        ],
        1,
    );
    let expected: Assignment = [
        ("crate", "crate"),
        ("orders", "orders"),
        ("orders::model", "orders"),
        ("billing::a::b", "billing"),
        ("bin:main", "bin:main"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect();
    assert_eq!(got, expected);
    assert_eq!(
        module_tree_baseline(["billing::a::b"], 2)["billing::a::b"],
        "billing::a"
    );
}

#[test]
fn louvain_on_use_edges_finds_two_module_groups() {
    let modules = names(&["a1", "a2", "a3", "a4", "b1", "b2", "b3", "b4", "lonely"]);
    let mut edges = Vec::new();
    for group in ["a", "b"] {
        for i in 1..=4 {
            for j in 1..=4 {
                if i != j {
                    edges.push((format!("{group}{i}"), format!("{group}{j}")));
                }
            }
        }
    }
    edges.push(("a1".to_owned(), "b1".to_owned()));
    let first = louvain_use_baseline(&modules, &edges, 3);
    assert_eq!(
        first,
        louvain_use_baseline(&modules, &edges, 3),
        "deterministic"
    );
    assert_eq!(first.len(), 9);
    for i in 2..=4 {
        assert_eq!(first[&format!("a{i}")], first["a1"]);
        assert_eq!(first[&format!("b{i}")], first["b1"]);
    }
    assert_ne!(first["a1"], first["b1"]);
    assert_ne!(first["lonely"], first["a1"]);
    assert_ne!(first["lonely"], first["b1"]);
    let reference: Assignment = first
        .keys()
        .filter(|m| *m != "lonely")
        .map(|m| (m.clone(), m[..1].to_owned()))
        .collect();
    assert!((score(&first, &reference).mojo_fm - 100.0).abs() < 1e-12);
}

#[test]
fn relative_paths_follow_the_truth_convention() {
    assert_eq!(relative_module_path("shop", "shop"), "crate");
    assert_eq!(
        relative_module_path("shop::orders::model", "shop"),
        "orders::model"
    );
    assert_eq!(relative_module_path("crate::orders", "shop"), "orders");
    assert_eq!(relative_module_path("shopping::x", "shop"), "shopping::x");
}

#[test]
fn modules_take_their_majority_domain_and_report_splits() {
    let node = |id: &str, module: &str| NodeInfo {
        id: id.to_owned(),
        module: module.to_owned(),
        words: vec![],
    };
    let input = ClusterInput {
        nodes: vec![
            node("shop::orders::A", "shop::orders"),
            node("shop::orders::B", "shop::orders"),
            node("shop::orders::C", "shop::orders"),
            node("shop::billing::D", "shop::billing"),
            node("shop::db::Pool", "shop::db"),
        ],
        layers: vec![],
    };
    let suggestion = Suggestion {
        domain: vec![Some(0), Some(0), Some(1), Some(1), None],
        confidence: vec![1.0, 0.5, 0.6, 1.0, 1.0],
        kernel: vec![
            None,
            None,
            None,
            None,
            Some(KernelReason::InfrastructureName {
                segment: "db".into(),
            }),
        ],
        resolution: 1.0,
        domain_count: 2,
    };
    let modules = module_domains(&input, &suggestion);
    let orders = &modules["shop::orders"];
    assert_eq!(orders.counts, vec![(Some(0), 2), (Some(1), 1)]);
    assert_eq!(orders.majority(), Some(0));
    assert!((orders.minority_share() - 1.0 / 3.0).abs() < 1e-12);
    assert!((orders.confidence - 0.7).abs() < 1e-12);
    let assignment = suggestion_assignment(&modules, "shop");
    let expected: BTreeMap<String, String> = [
        ("billing", "domain-1"),
        ("db", "kernel"),
        ("orders", "domain-0"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect();
    assert_eq!(assignment, expected);
}

#[test]
fn truth_errors_carry_a_position() {
    let err = Truth::parse("repo: x\ncommit: y\ndomains: {}\nmodules:\n  a: [oops\n")
        .expect_err("broken YAML");
    assert!(err.line.is_some(), "{err}");
    let err = Truth::parse("repo: x\ncommit: y\ndomains: {}\nmodules: {}\nextra: 1\n")
        .expect_err("unknown key");
    assert_eq!(err.line, Some(5), "{err}");
    let err = Truth::parse("repo: x\ncommit: y\ndomains: {}\nmodules: {a: billing}\n")
        .expect_err("undeclared domain");
    assert!(err.to_string().contains("billing"), "{err}");
    let ok = Truth::parse("repo: x\ncommit: y\ndomains: {}\nmodules: {a: shared}\n");
    assert!(ok.is_ok());
}
