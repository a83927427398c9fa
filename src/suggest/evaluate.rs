//! Scores a suggestion against a hand-made truth file, next to the two baselines (the module
//! tree and Louvain on `use` edges), with the conventions of `crate::eval`.
//!
//! The labels name modules of the main crate (the one they label most) relative to its root,
//! the main package's binaries as `bin:<name>`, and modules of other crates by their full path
//! or, through `crates`, as a whole crate. Every crate takes part, so what the suggestion makes
//! of a kernel crate is scored too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::analysis::Analysis;
use crate::cluster::DEFAULT_SEED;
use crate::codebase::{Codebase, Crate, ModuleId};
use crate::eval::{
    self, Assignment, NameMatch, Score, Truth, best_module_tree_cut, louvain_use_baseline,
    module_tree_baseline, name_match, relative_module_path, score_domains,
};
use crate::syntax::RefKind;

use super::DomainSuggestion;

/// The scores of one project.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The crate whose modules the truth file labels relative to its root.
    pub krate: String,
    pub suggestion: Score,
    /// The suggestion over the modules labelled with a domain only.
    pub suggestion_domains: Score,
    /// Suggested domains named like the labelled domain they overlap most.
    pub names: NameMatch,
    pub module_tree_top: Score,
    /// Best module-tree cut and its depth.
    pub module_tree_best: (usize, Score),
    pub louvain_use: Score,
}

/// How the labels name each module of the codebase (indexed by module id).
pub struct LabelKeys {
    /// The crate whose modules are labelled relative to its root (empty when none is).
    pub main: String,
    pub keys: Vec<String>,
}

impl LabelKeys {
    /// Chooses the main crate (the one whose relative paths the labels list most) and names
    /// every module the way the labels do.
    pub fn new(cb: &Codebase, truth: &Truth) -> LabelKeys {
        let main = main_crate(cb, truth);
        let main_target = cb.crates.iter().find(|c| c.target.name == main);
        let keys = cb
            .modules
            .iter()
            .map(|m| {
                let krate = &cb.crates[m.krate as usize];
                if krate.target.name == main {
                    return relative_module_path(&m.path, &main);
                }
                match main_target.and_then(|t| bin_key(krate, t)) {
                    Some(bin) => match relative_module_path(&m.path, &krate.target.name) {
                        rest if rest == "crate" => bin,
                        rest => format!("{bin}::{rest}"),
                    },
                    None => m.path.clone(),
                }
            })
            .collect();
        LabelKeys { main, keys }
    }

    /// The label of every labelled module: `truth.modules`, plus each module of a crate
    /// labelled as a whole that `modules` does not list.
    pub fn reference(&self, cb: &Codebase, truth: &Truth) -> Assignment {
        let mut reference = truth.modules.clone();
        for (m, key) in cb.modules.iter().zip(&self.keys) {
            if let Some(label) = truth.crates.get(&cb.crates[m.krate as usize].target.name) {
                reference
                    .entry(key.clone())
                    .or_insert_with(|| label.clone());
            }
        }
        reference
    }

    /// The modules and crates the labels name that the analysis does not have: a typo, or a
    /// module it does not read (a `#[cfg(test)]` file, a test target). Each would be scored as
    /// a module the suggestion left unplaced, so a truth file is checked with this first.
    pub fn unknown<'t>(&self, cb: &Codebase, truth: &'t Truth) -> Vec<&'t str> {
        let keys: BTreeSet<&str> = self.keys.iter().map(String::as_str).collect();
        let crates: BTreeSet<&str> = cb.crates.iter().map(|c| c.target.name.as_str()).collect();
        let modules = truth.modules.keys().filter(|m| !keys.contains(m.as_str()));
        let whole = truth.crates.keys().filter(|c| !crates.contains(c.as_str()));
        modules.chain(whole).map(String::as_str).collect()
    }
}

/// `bin:<name>` for a binary of the main crate's package: `src/main.rs` is `bin:main`,
/// `src/bin/seed.rs` and `src/bin/seed/main.rs` are `bin:seed`.
fn bin_key(krate: &Crate, main: &Crate) -> Option<String> {
    let target = &krate.target;
    if target.package != main.target.package || target.package_dir != main.target.package_dir {
        return None;
    }
    let file = &target.root_file;
    let stem = file.file_stem()?.to_str()?;
    let parent = file.parent().and_then(Path::file_name)?.to_str()?;
    let name = if stem == "main" && parent != "src" {
        parent
    } else {
        stem
    };
    Some(format!("bin:{name}"))
}

/// The crate whose module paths, made relative, match most labelled modules. None (empty)
/// when the labels name no crate root `crate`: a workspace labelled by full paths, where a
/// relative path could only match by accident (`lldap_migration_tool::lldap` is not `lldap`).
fn main_crate(cb: &Codebase, truth: &Truth) -> String {
    if !truth.modules.contains_key("crate") {
        return String::new();
    }
    let mut hits: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &cb.modules {
        let name = cb.crates[m.krate as usize].target.name.as_str();
        let hit = truth
            .modules
            .contains_key(&relative_module_path(&m.path, name));
        *hits.entry(name).or_default() += usize::from(hit);
    }
    let mut best: Option<(usize, &str)> = None;
    for c in &cb.crates {
        let name = c.target.name.as_str();
        let h = hits.get(name).copied().unwrap_or(0);
        if h > 0 && best.is_none_or(|(b, _)| h > b) {
            best = Some((h, name));
        }
    }
    best.map_or_else(String::new, |(_, n)| n.to_owned())
}

/// Module-level assignment of the suggestion, every module named as the labels name it.
pub fn assignment(cb: &Codebase, s: &DomainSuggestion, keys: &LabelKeys) -> Assignment {
    cb.modules
        .iter()
        .zip(&keys.keys)
        .filter_map(|(m, key)| {
            let placement = s.modules.get(&m.path)?;
            let label = placement
                .domain
                .map_or_else(|| eval::KERNEL.to_owned(), |d| s.domains[d].name.clone());
            Some((key.clone(), label))
        })
        .collect()
}

/// Louvain on the `use` edges between labelled modules.
fn louvain_baseline(analysis: &Analysis, keys: &LabelKeys, reference: &Assignment) -> Assignment {
    let labelled = |m: ModuleId| {
        let key = &keys.keys[m.0 as usize];
        reference.contains_key(key).then(|| key.clone())
    };
    let modules: Vec<String> = (0..keys.keys.len() as u32)
        .filter_map(|i| labelled(ModuleId(i)))
        .collect();
    let uses: BTreeSet<(String, String)> = analysis
        .graph
        .module_edges
        .iter()
        .filter(|e| e.kinds.contains_key(&RefKind::Use))
        .filter_map(|e| Some((labelled(e.from)?, labelled(e.to)?)))
        .collect();
    let use_edges: Vec<(String, String)> = uses.into_iter().collect();
    louvain_use_baseline(&modules, &use_edges, DEFAULT_SEED)
}

/// Scores `s` and the baselines against `truth`.
pub fn evaluate(analysis: &Analysis, s: &DomainSuggestion, truth: &Truth) -> Evaluation {
    let cb = &analysis.codebase;
    let keys = LabelKeys::new(cb, truth);
    let reference = keys.reference(cb, truth);
    let suggested = assignment(cb, s, &keys);
    let top = module_tree_baseline(reference.keys().map(String::as_str), 1);
    Evaluation {
        suggestion: eval::score(&suggested, &reference),
        suggestion_domains: score_domains(&suggested, &reference),
        names: name_match(&suggested, &reference),
        module_tree_top: eval::score(&top, &reference),
        module_tree_best: best_module_tree_cut(&reference, eval::score),
        louvain_use: eval::score(&louvain_baseline(analysis, &keys, &reference), &reference),
        krate: keys.main,
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
    let mut out = if e.krate.is_empty() {
        "scores of the workspace against the labels\n".to_owned()
    } else {
        format!("scores of crate `{}` against the labels\n", e.krate)
    };
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
    out.push_str(&format!(
        "  suggestion: {} labelled-domain modules in the kernel, {} shared modules in domains, \
         {} of {} domain names match the labels\n",
        e.suggestion.domain_in_kernel,
        e.suggestion.shared_in_domains,
        e.names.matched,
        e.names.domains
    ));
    out
}
