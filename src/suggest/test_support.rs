//! Small clustered inputs and suggestions for the tests of the post-clustering rules.

use std::collections::BTreeMap;

use super::input::{Built, TableUse};
use crate::cluster::{ClusterInput, Layer, NodeInfo, Suggestion};

/// Node `i` in module `modules[i]`; `refs` as a directed references layer; each table
/// with its writers and definers.
pub fn built(modules: &[&str], refs: &[(u32, u32)], tables: &[(&str, &[u32], &[u32])]) -> Built {
    let nodes = (modules.iter().enumerate())
        .map(|(i, m)| NodeInfo {
            id: format!("{m}::item{i}"),
            module: (*m).to_owned(),
            words: vec![],
        })
        .collect();
    let edges = refs.iter().map(|&(a, b)| (a, b, 1.0)).collect();
    let tables = (tables.iter())
        .map(|(t, writers, definers)| {
            let usage = TableUse {
                writers: writers.iter().map(|&w| (w, 1)).collect(),
                definers: definers.iter().map(|&w| (w, 1)).collect(),
                ..TableUse::default()
            };
            ((*t).to_owned(), usage)
        })
        .collect();
    Built {
        input: ClusterInput {
            nodes,
            layers: vec![Layer::directed("references", 1.0, edges)],
        },
        items: vec![],
        node_of: BTreeMap::new(),
        tables,
    }
}

/// A suggestion with these domains, confidence 0.8 and no kernel.
/// Every node in a domain: `in_domains(&[0, 0, 1])` for `[Some(0), Some(0), Some(1)]`.
pub fn in_domains(ids: &[u32]) -> Vec<Option<u32>> {
    ids.iter().copied().map(Some).collect()
}

pub fn suggestion(domain: Vec<Option<u32>>) -> Suggestion {
    let n = domain.len();
    let domain_count = domain.iter().flatten().max().map_or(0, |&m| m as usize + 1);
    Suggestion {
        domain,
        confidence: vec![0.8; n],
        kernel: vec![None; n],
        resolution: 1.0,
        domain_count,
    }
}
