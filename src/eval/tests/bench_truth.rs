//! The dev-set truth files parse, and the module-tree baseline reproduces the MoJoFM figures
//! published with them in `shared/bench/README.md` (63.2, 91.9, 25.9 at the best cut), which
//! checks MoJoFM and the domains-only convention end to end on real labels. The projects we
//! labelled ourselves are checked against hand-computed figures in
//! `tests/integration/eval.rs`.

use crate::eval::{SHARED, Truth, best_module_tree_cut, module_tree_baseline, score_domains};

/// A checked-in truth file, read by the loader `analyze --eval` uses.
fn truth(name: &str) -> Truth {
    let path = format!(
        "{}/tests/eval_data/{name}.truth.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    crate::app::load_truth(path.as_ref()).expect("the truth file is checked in and parses")
}

#[test]
fn module_tree_baseline_matches_published_figures() {
    for (name, expected, expected_depth) in [
        ("zero-to-production", 63.2, 1),
        ("realworld-actix-diesel", 91.9, 3),
        ("conduit", 25.9, 3),
    ] {
        let t = truth(name);
        let (depth, s) = best_module_tree_cut(&t.modules, score_domains);
        assert_eq!(depth, expected_depth, "{name}");
        assert!(
            (s.mojo_fm - expected).abs() < 0.05,
            "{name}: {} at depth {depth}",
            s.mojo_fm
        );
        assert_eq!(s.unplaced, 0, "{name}: every labelled module is placed");
    }
}

#[test]
fn zero_to_production_depth_one_scores_exactly() {
    let t = truth("zero-to-production");
    let baseline = module_tree_baseline(t.modules.keys().map(String::as_str), 1);
    assert_eq!(baseline["routes::admin::newsletter::post"], "routes");
    assert_eq!(baseline["crate"], "crate");
    let s = score_domains(&baseline, &t.modules);
    let non_shared = t.modules.values().filter(|d| *d != SHARED).count();
    assert_eq!(s.scored, non_shared);
    assert_eq!(s.scored, 22);
    // 22 modules, 3 reference groups of sizes 12, 6, 4: max mno = 22 - 3 = 19; the cut needs
    // 7 moves/joins, so MoJoFM = (1 - 7/19) * 100.
    assert!(
        (s.mojo_fm - (1.0 - 7.0 / 19.0) * 100.0).abs() < 1e-9,
        "{}",
        s.mojo_fm
    );
}

#[test]
fn coarse_labels_follow_the_domain_parents() {
    let t = truth("conduit");
    let coarse = t.coarse_modules();
    assert_eq!(coarse.len(), t.modules.len());
    let distinct_fine: std::collections::BTreeSet<_> = t.modules.values().collect();
    let distinct_coarse: std::collections::BTreeSet<_> = coarse.values().collect();
    assert!(distinct_coarse.len() < distinct_fine.len());
}
