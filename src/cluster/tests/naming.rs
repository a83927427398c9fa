//! Domain names come from the vocabulary typical of each domain.

use crate::cluster::naming::LAYER_WORDS;
use crate::cluster::{ClusterInput, NodeInfo, Suggestion, domain_names};

fn node(module: &str, words: &[&str]) -> NodeInfo {
    NodeInfo {
        id: format!("{module}::X"),
        module: module.to_owned(),
        words: words.iter().map(|w| (*w).to_owned()).collect(),
    }
}

#[test]
fn names_prefer_words_typical_of_one_domain() {
    let mut sorted = LAYER_WORDS.to_vec();
    sorted.sort_unstable();
    assert_eq!(sorted, LAYER_WORDS);
    let input = ClusterInput {
        nodes: vec![
            node("shop::billing::service", &["InvoiceTotal", "CustomerId"]),
            node("shop::billing::routes", &["issue_invoice", "customer"]),
            node("shop::shipping::service", &["ParcelLabel", "customer"]),
            node(
                "shop::shipping::routes",
                &["ship_parcel", "CustomerAddress"],
            ),
            node("shop::other", &["new", "get"]),
        ],
        layers: vec![],
    };
    let suggestion = Suggestion {
        domain: vec![Some(0), Some(0), Some(1), Some(1), Some(2)],
        confidence: vec![1.0; 5],
        kernel: vec![None; 5],
        resolution: 1.0,
        domain_count: 3,
    };
    // `customer` is everywhere, `service`/`routes` are layers; `new`/`get` are noise, but the
    // module name `other` is still a word.
    assert_eq!(
        domain_names(&input, &suggestion),
        vec!["billing", "shipping", "other"]
    );
}

#[test]
fn names_are_unique() {
    let input = ClusterInput {
        nodes: vec![
            node("shop::orders", &["Order"]),
            node("shop::orders", &["Order"]),
            node("shop::routes", &["new"]),
        ],
        layers: vec![],
    };
    let suggestion = Suggestion {
        domain: vec![Some(0), Some(1), Some(2)],
        confidence: vec![1.0; 3],
        kernel: vec![None; 3],
        resolution: 1.0,
        domain_count: 3,
    };
    let names = domain_names(&input, &suggestion);
    // Tied scores: the module word first; the second domain takes the next best.
    assert_eq!(names, vec!["orders", "order", "domain-2"]);
}

#[test]
fn a_compound_module_name_is_a_candidate_name() {
    // Domain 1 lives in `service::account_data`: its words were `account` (shared with
    // domain 0) and `data` (a stop word), so it used to be `domain-1` once `account` was
    // taken. The whole segment is typical of it alone.
    let input = ClusterInput {
        nodes: vec![
            node("c::service::account", &["Account", "password"]),
            node("c::api::account", &["register", "password"]),
            node("c::service::account_data::data", &["Data", "get"]),
            node("c::api::client_server::typing", &["get", "set"]),
        ],
        layers: vec![],
    };
    let suggestion = Suggestion {
        domain: vec![Some(0), Some(0), Some(1), Some(2)],
        confidence: vec![1.0; 4],
        kernel: vec![None; 4],
        resolution: 1.0,
        domain_count: 3,
    };
    let names = domain_names(&input, &suggestion);
    assert_eq!(names[1], "account_data");
    assert_eq!(names[2], "typing", "`client_server` is a layer, not a name");
    assert_eq!(names[0], "password");
}
