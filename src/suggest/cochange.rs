//! Co-change evidence (`analyze --git`): modules whose files keep changing in the same
//! commits belong together, whatever the code says. Pure: the history comes from
//! `crate::history`.

use std::collections::BTreeMap;

use crate::codebase::{Codebase, ModuleId};
use crate::history::History;

/// Thresholds of the co-change layer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoChangeRules {
    /// Commits touching more analysed files than this are skipped: reformatting, renames and
    /// dependency bumps change everything at once and say nothing about domains.
    pub max_files_per_commit: usize,
    /// Below this many usable commits the history is too thin to trust; the layer is off.
    pub min_commits: usize,
    /// A pair must change together at least this often.
    pub min_support: u32,
    /// Each module keeps only its strongest partners.
    pub partners: usize,
}

impl Default for CoChangeRules {
    fn default() -> Self {
        CoChangeRules {
            max_files_per_commit: 20,
            min_commits: 20,
            min_support: 2,
            partners: 5,
        }
    }
}

/// Module pairs that change together, with a strength in `(0, 1]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoChange {
    pub pairs: Vec<(ModuleId, ModuleId, f64)>,
    /// Commits that touched at least two analysed files and were not too large.
    pub commits_used: usize,
    /// Why the layer is off, when it is.
    pub off: Option<String>,
}

/// The co-change pairs of `history` over the modules of `cb`. A pair's strength is the cosine
/// of the two modules' commit sets, `n(a,b) / sqrt(n(a) n(b))`, so a module that changes in
/// every commit does not tie itself to everything.
pub fn co_change(history: &History, cb: &Codebase, rules: &CoChangeRules) -> CoChange {
    let module_of_file = file_modules(cb);
    let mut alone: BTreeMap<ModuleId, u32> = BTreeMap::new();
    let mut together: BTreeMap<(ModuleId, ModuleId), u32> = BTreeMap::new();
    let mut used = 0;
    for files in &history.commits {
        let mut modules: Vec<ModuleId> = files
            .iter()
            .filter_map(|f| module_of_file.get(f.as_str()).copied())
            .collect();
        modules.sort_unstable();
        modules.dedup();
        if modules.len() > rules.max_files_per_commit {
            continue;
        }
        for &m in &modules {
            *alone.entry(m).or_default() += 1;
        }
        if modules.len() < 2 {
            continue;
        }
        used += 1;
        for (i, &a) in modules.iter().enumerate() {
            for &b in &modules[i + 1..] {
                *together.entry((a, b)).or_default() += 1;
            }
        }
    }
    if used < rules.min_commits {
        return CoChange {
            pairs: Vec::new(),
            commits_used: used,
            off: Some(format!(
                "{used} commits change two analysed files together, fewer than {}",
                rules.min_commits
            )),
        };
    }
    let mut strength: Vec<(ModuleId, ModuleId, f64)> = together
        .into_iter()
        .filter(|&(_, n)| n >= rules.min_support)
        .map(|((a, b), n)| {
            let norm = (f64::from(alone[&a]) * f64::from(alone[&b])).sqrt();
            (a, b, f64::from(n) / norm)
        })
        .collect();
    // Strongest first, ties by module id: the partner cut below is deterministic.
    strength.sort_by(|x, y| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    let mut kept_per_module: BTreeMap<ModuleId, usize> = BTreeMap::new();
    let mut pairs = Vec::new();
    for (a, b, s) in strength {
        let ka = kept_per_module.get(&a).copied().unwrap_or(0);
        let kb = kept_per_module.get(&b).copied().unwrap_or(0);
        if ka >= rules.partners && kb >= rules.partners {
            continue;
        }
        *kept_per_module.entry(a).or_default() += 1;
        *kept_per_module.entry(b).or_default() += 1;
        pairs.push((a, b, s));
    }
    pairs.sort_by_key(|x| (x.0, x.1));
    CoChange {
        pairs,
        commits_used: used,
        off: None,
    }
}

/// File (as reports show it) → the module it defines: the outermost module of that file, as
/// inline modules share their parent's file.
fn file_modules(cb: &Codebase) -> BTreeMap<&str, ModuleId> {
    let mut out: BTreeMap<&str, ModuleId> = BTreeMap::new();
    for (i, m) in cb.modules.iter().enumerate() {
        if !m.inline {
            out.entry(cb.file(m.file).display.as_str())
                .or_insert(ModuleId(i as u32));
        }
    }
    out
}
