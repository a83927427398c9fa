//! Infrastructure by crate name: a crate whose name ends in an infrastructure word is kernel as
//! a whole, so the shop's kernel crate no longer comes out as domains of its own.

use fissure::cluster::kernel::{KernelRules, infrastructure_by_name};
use fissure::cluster::{KernelReason, NodeInfo};

fn node(module: &str) -> NodeInfo {
    NodeInfo {
        id: format!("{module}::Item"),
        module: module.to_owned(),
        words: vec![],
    }
}

#[test]
fn a_crate_named_after_infrastructure_is_kernel_as_a_whole() {
    let nodes = [
        node("shop_kernel::money"),
        node("kellnr_settings"),
        node("kellnr_db::user"),
        node("shop::orders"),
    ];
    let reasons = infrastructure_by_name(&nodes, &KernelRules::default());
    let segment = |s: &str| {
        Some(KernelReason::InfrastructureName {
            segment: s.to_owned(),
        })
    };
    assert_eq!(
        reasons,
        vec![segment("kernel"), segment("settings"), None, None],
        "a storage crate keeps per-domain code, and so does an ordinary crate"
    );
}

#[test]
fn the_shop_kernel_crate_is_scored_and_stays_kernel() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let analysis = fissure::app::analyze_workspace(
        &root.join("fixtures/shop"),
        fissure::app::AnalyzeOptions::default(),
        &mut fissure::app::Quiet,
    )
    .expect("the shop analyses");
    let s = fissure::suggest::suggest(&analysis, &fissure::suggest::SuggestOptions::default());
    let truth = fissure::eval::Truth::parse(
        &std::fs::read_to_string(root.join("fixtures/shop/truth.yaml")).expect("truth"),
    )
    .expect("valid truth");
    let e = fissure::suggest::evaluate::evaluate(&analysis, &s, &truth);
    let kernel_modules = (s.modules.iter())
        .filter(|(m, _)| m.starts_with("shop_kernel"))
        .collect::<Vec<_>>();
    assert!(kernel_modules.len() >= 6, "{kernel_modules:?}");
    for (m, placement) in kernel_modules {
        assert_eq!(placement.domain, None, "{m} is kernel");
    }
    // The kernel crate's modules are among the scored ones.
    assert_eq!(e.suggestion.scored, 50);
}
