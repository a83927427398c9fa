//! Identifier splitting and the vocabulary layer.

use crate::cluster::vocab::{STOP_WORDS, domain_words, is_stop_word};
use crate::cluster::{NodeInfo, VocabConfig, split_identifier, vocabulary_layer};

fn split(s: &str) -> Vec<String> {
    split_identifier(s)
}

#[test]
fn splits_on_case_underscores_acronyms_and_digits() {
    assert_eq!(split("HTTPServer"), ["http", "server"]);
    assert_eq!(split("XMLHttpRequest"), ["xml", "http", "request"]);
    assert_eq!(split("snake_case_name"), ["snake", "case", "name"]);
    assert_eq!(split("InvoiceLineItem"), ["invoice", "line", "item"]);
    assert_eq!(split("parse_URL2Path"), ["parse", "url", "path"]);
    assert_eq!(split("IOError"), ["io", "error"]);
    assert_eq!(split("SHOUTING_CASE"), ["shouting", "case"]);
    assert_eq!(split("shop::orders::Order"), ["shop", "orders", "order"]);
    assert_eq!(split("sha256Digest"), ["sha", "digest"]);
    assert_eq!(split("v2"), Vec::<String>::new());
    assert_eq!(split("__x__"), Vec::<String>::new());
    assert_eq!(split("Ünïcode_Wörter"), ["ünïcode", "wörter"]);
}

#[test]
fn stop_words_are_sorted_and_filtered() {
    let mut sorted = STOP_WORDS.to_vec();
    sorted.sort_unstable();
    assert_eq!(sorted, STOP_WORDS, "binary search needs the list sorted");
    assert!(is_stop_word("new") && is_stop_word("impl") && is_stop_word("result"));
    assert!(!is_stop_word("invoice"));
    let words = domain_words(&["get_order_id".into(), "Result".into(), "new_invoice".into()]);
    assert_eq!(words, ["order", "invoice"]);
}

fn node(i: usize, words: &[&str]) -> NodeInfo {
    NodeInfo {
        id: format!("shop::n{i}"),
        module: "shop".into(),
        words: words.iter().map(|w| (*w).to_owned()).collect(),
    }
}

/// Two vocabularies (billing, booking) of 8 nodes each, plus one node of noise words only.
fn nodes() -> Vec<NodeInfo> {
    let mut nodes = Vec::new();
    for i in 0..8 {
        let extra = ["tax", "refund", "payment", "ledger"][i % 4];
        nodes.push(node(i, &["InvoiceTotal", "billing_account", extra]));
    }
    for i in 8..16 {
        let extra = ["guest", "stay", "checkin", "suite"][i % 4];
        nodes.push(node(i, &["RoomBooking", "reserve_room", extra]));
    }
    nodes.push(node(16, &["new", "get_id", "into"]));
    nodes
}

#[test]
fn links_items_that_share_vocabulary_and_only_those() {
    let config = VocabConfig {
        max_df_fraction: 0.6,
        ..VocabConfig::default()
    };
    let layer = vocabulary_layer(&nodes(), 0.5, &config);
    assert_eq!(layer.name, "vocabulary");
    assert!((layer.weight - 0.5).abs() < 1e-12);
    assert!(!layer.directed);
    assert!(!layer.edges.is_empty());
    for &(a, b, w) in &layer.edges {
        assert!(a < b, "each edge once, lower index first");
        assert_eq!(a / 8, b / 8, "edge {a}-{b} crosses vocabularies");
        assert!(b < 16, "noise-only node linked");
        assert!(w > 0.0 && w <= 1.0 + 1e-9);
    }
    let mut degree = [0usize; 17];
    for &(a, b, _) in &layer.edges {
        degree[a as usize] += 1;
        degree[b as usize] += 1;
    }
    // Each node keeps its k = 5 best; it may also be kept by others, at most 7 peers exist.
    assert!(
        degree[..16].iter().all(|&d| (5..=7).contains(&d)),
        "{degree:?}"
    );
}

#[test]
fn terms_in_too_many_nodes_are_skipped() {
    // The default cap is 25% of 17 nodes, so the words shared by a whole vocabulary (8 nodes)
    // are skipped and only the extras, each in 2 nodes, link: 8 pairs.
    let layer = vocabulary_layer(&nodes(), 1.0, &VocabConfig::default());
    for &(a, b, _) in &layer.edges {
        assert_eq!(a % 4, b % 4, "{a}-{b} linked by a skipped term");
    }
    assert_eq!(layer.edges.len(), 8);
}

#[test]
fn vocabulary_layer_is_deterministic() {
    let first = vocabulary_layer(&nodes(), 1.0, &VocabConfig::default());
    let second = vocabulary_layer(&nodes(), 1.0, &VocabConfig::default());
    assert_eq!(first, second);
}

#[test]
fn ties_prefer_the_nearest_module() {
    // Nine `Model`s (identical vectors, cosine 1 with each other): six in `booking`, listed
    // first, and three in `billing`. Ten `Guest`s elsewhere keep `model` below the df cap.
    let mut nodes: Vec<NodeInfo> = (0..6)
        .map(|i| NodeInfo {
            id: format!("app::booking::b{i}::Model"),
            module: format!("app::booking::b{i}"),
            words: vec!["Model".into()],
        })
        .collect();
    for i in 0..3 {
        nodes.push(NodeInfo {
            id: format!("app::billing::p{i}::Model"),
            module: format!("app::billing::p{i}"),
            words: vec!["Model".into()],
        });
    }
    for i in 0..10 {
        nodes.push(node(100 + i, &["Guest"]));
    }
    let config = VocabConfig {
        max_df_fraction: 1.0,
        ..VocabConfig::default()
    };
    let layer = vocabulary_layer(&nodes, 1.0, &config);
    let linked = |a: u32, b: u32| layer.edges.iter().any(|e| (e.0, e.1) == (a, b));
    // By index alone every `Model` would take the first five booking ones; the billing ones
    // take each other first.
    assert!(
        linked(6, 7) && linked(6, 8) && linked(7, 8),
        "{:?}",
        layer.edges
    );
}
