//! Scores a suggestion against a hand-made truth file, next to the two baselines (the module
//! tree and Louvain on `use` edges), with the conventions of `crate::eval`.

use std::collections::BTreeMap;

use crate::analysis::Analysis;
use crate::cluster::DEFAULT_SEED;
use crate::eval::{
    self, Assignment, Score, Truth, best_module_tree_cut, louvain_use_baseline,
    module_tree_baseline, relative_module_path,
};
use crate::syntax::RefKind;

use super::DomainSuggestion;

/// The scores of one project.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The crate whose modules the truth file labels.
    pub krate: String,
    pub suggestion: Score,
    pub module_tree_top: Score,
    /// Best module-tree cut and its depth.
    pub module_tree_best: (usize, Score),
    pub louvain_use: Score,
}

/// The crate of `analysis` whose module paths, made relative, match most labelled modules.
fn main_crate(analysis: &Analysis, truth: &Truth) -> String {
    let cb = &analysis.codebase;
    let mut best: Option<(usize, String)> = None;
    for c in &cb.crates {
        let name = &c.target.name;
        let hits = cb
            .modules
            .iter()
            .filter(|m| cb.crates[m.krate as usize].target.name == *name)
            .filter(|m| {
                truth
                    .modules
                    .contains_key(&relative_module_path(&m.path, name))
            })
            .count();
        if best.as_ref().is_none_or(|(h, _)| hits > *h) {
            best = Some((hits, name.clone()));
        }
    }
    best.map_or_else(String::new, |(_, n)| n)
}

/// Module-level assignment of the suggestion for `krate`, relative paths.
pub fn assignment(analysis: &Analysis, s: &DomainSuggestion, krate: &str) -> Assignment {
    let cb = &analysis.codebase;
    cb.modules
        .iter()
        .filter(|m| cb.crates[m.krate as usize].target.name == krate)
        .filter_map(|m| {
            let placement = s.modules.get(&m.path)?;
            let label = placement
                .domain
                .map_or_else(|| eval::KERNEL.to_owned(), |d| s.domains[d].name.clone());
            Some((relative_module_path(&m.path, krate), label))
        })
        .collect()
}

/// Scores `s` and the baselines against `truth`.
pub fn evaluate(analysis: &Analysis, s: &DomainSuggestion, truth: &Truth) -> Evaluation {
    let cb = &analysis.codebase;
    let krate = main_crate(analysis, truth);
    let suggestion = eval::score(&assignment(analysis, s, &krate), &truth.modules);
    let top = module_tree_baseline(truth.modules.keys().map(String::as_str), 1);
    let module_tree_top = eval::score(&top, &truth.modules);
    let module_tree_best = best_module_tree_cut(truth);
    let in_crate = |m: crate::codebase::ModuleId| {
        let module = cb.module(m);
        (cb.crates[module.krate as usize].target.name == krate)
            .then(|| relative_module_path(&module.path, &krate))
    };
    let modules: Vec<String> = cb
        .modules
        .iter()
        .enumerate()
        .filter_map(|(i, _)| in_crate(crate::codebase::ModuleId(i as u32)))
        .collect();
    let mut uses: BTreeMap<(String, String), ()> = BTreeMap::new();
    for e in &analysis.graph.module_edges {
        if !e.kinds.contains_key(&RefKind::Use) {
            continue;
        }
        if let (Some(a), Some(b)) = (in_crate(e.from), in_crate(e.to)) {
            uses.insert((a, b), ());
        }
    }
    let use_edges: Vec<(String, String)> = uses.into_keys().collect();
    let louvain_use = eval::score(
        &louvain_use_baseline(&modules, &use_edges, DEFAULT_SEED),
        &truth.modules,
    );
    Evaluation {
        krate,
        suggestion,
        module_tree_top,
        module_tree_best,
        louvain_use,
    }
}

/// The scores as a small table, one line per candidate.
pub fn render(e: &Evaluation, domains: usize) -> String {
    let line = |label: &str, s: &Score| {
        format!(
            "  {label:<34} MoJoFM {:>5.1}  ARI {:>6.3}  ({} scored, {} unplaced)\n",
            s.mojo_fm, s.ari, s.scored, s.unplaced
        )
    };
    let mut out = format!("scores of crate `{}` against the labels\n", e.krate);
    out.push_str(&line(
        &format!("suggestion ({domains} domains)"),
        &e.suggestion,
    ));
    out.push_str(&line(
        "baseline: module tree (top level)",
        &e.module_tree_top,
    ));
    out.push_str(&line(
        &format!("baseline: module tree (depth {})", e.module_tree_best.0),
        &e.module_tree_best.1,
    ));
    out.push_str(&line("baseline: louvain on use edges", &e.louvain_use));
    out
}
