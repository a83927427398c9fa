//! The dependency graph of small in-memory fixtures: module edges and their weights,
//! metrics, cycles, and the item graph.

use super::*;
use crate::test_support::{analyze_in_memory as analyze, weighted_module_edges};

const CYCLIC: &str = "//- /src/lib.rs crate:app
mod orders;
mod billing;
mod util;
//- /src/orders.rs
use crate::billing::Invoice;
pub struct Order;
pub fn place() -> Invoice { crate::util::log(); Invoice }
//- /src/billing.rs
pub struct Invoice;
pub fn bill(o: &crate::orders::Order) { crate::util::log(); }
//- /src/util.rs
pub fn log() {}
";

fn graph() -> (Codebase, Resolution, DepGraph) {
    let (cb, res) = analyze(CYCLIC);
    let g = build(&cb, &res);
    (cb, res, g)
}

#[test]
fn module_edges_aggregate_kinds_and_weights() {
    let (cb, _, g) = graph();
    assert_eq!(
        weighted_module_edges(&cb, &g),
        vec![
            "app::billing -> app::orders w2 [type:1]",
            "app::billing -> app::util w3 [call:1]",
            "app::orders -> app::billing w6 [use:1 type:1 construct:1]",
            "app::orders -> app::util w3 [call:1]",
        ]
    );
}

#[test]
fn metrics_count_distinct_neighbours() {
    let (cb, _, g) = graph();
    let by_path = |p: &str| {
        let i = cb.modules.iter().position(|m| m.path == p).unwrap();
        g.metrics[i].clone()
    };
    let util = by_path("app::util");
    assert_eq!((util.fan_in, util.fan_out), (2, 0));
    assert_eq!(util.instability, 0.0);
    let orders = by_path("app::orders");
    assert_eq!((orders.fan_in, orders.fan_out), (1, 2));
    assert!((orders.instability - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(orders.items, 2);
    assert_eq!(orders.public_items, 2);
    assert_eq!(orders.lines, 3);
}

#[test]
fn cycles_list_members_and_one_loop_with_examples() {
    let (cb, res, g) = graph();
    assert_eq!(g.cycles.len(), 1);
    let c = &g.cycles[0];
    let names: Vec<&str> = c
        .modules
        .iter()
        .map(|m| cb.module(*m).path.as_str())
        .collect();
    assert_eq!(names, vec!["app::billing", "app::orders"]);
    let hops: Vec<(String, String, u32)> = c
        .hops
        .iter()
        .map(|(f, t, ex)| {
            (
                cb.module(*f).path.clone(),
                cb.module(*t).path.clone(),
                res.refs[*ex].pos.line,
            )
        })
        .collect();
    assert_eq!(
        hops,
        vec![
            ("app::billing".into(), "app::orders".into(), 2),
            // The call on line 3 is better evidence than the `use` on line 1.
            ("app::orders".into(), "app::billing".into(), 3),
        ]
    );
}

#[test]
fn item_graph_links_items_not_modules() {
    let (_, res, g) = graph();
    let place = res.items.iter().position(|i| i.name == "place").unwrap();
    let out: Vec<String> = g
        .items
        .neighbors(NodeIndex::new(place))
        .map(|n| res.item(g.items[n]).path.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(out, vec!["app::billing::Invoice", "app::util::log"]);
}
