//! One file, one domain: the items of an inline module (`mod v08 { .. }` written inside a
//! file) go to the domain of the file that holds them, and so do the file module's own.
//! `fissure split` moves files into crates; an inline module suggested apart from its file
//! cannot move without the file being rewritten first, so such a suggestion is not one a team
//! can act on. Garage keeps the old storage formats of each table in inline `mod v08 { }`
//! blocks: clustered on their own they followed the migration code, not their entity.

use std::collections::BTreeMap;

use super::{KernelReason, Suggestion};

/// Where a node is written: the file module holding it (any id; nodes of one file share it)
/// and whether the node's own module is an inline module of that file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileOf {
    pub file: u32,
    pub inline: bool,
}

/// Moves every clustered node of a file that holds inline modules to the domain most of the
/// file's nodes are in, and returns how many moved. The whole file votes, not only its file
/// module: garage's `layout/mod.rs` has 2 items of its own next to 11 in its inline
/// `v08`..`v010`, and `s3/object_table.rs` 1 next to 18, so the file module alone was a
/// sample too small to place the file by (garage 64.5 -> 60.1 in-sample). Hubs and
/// composition roots do not vote, as in the module placement (`suggest::module_votes`): they
/// are kernel because the whole codebase uses them. A file whose vote is the kernel leaves
/// its nodes where they are, and kernel nodes stay kernel: the kernel is decided by rules
/// with a reason per node, not by a vote.
pub fn keep_files_whole(s: &mut Suggestion, files: &[FileOf]) -> usize {
    let n = files.len().min(s.domain.len());
    let mut votes: BTreeMap<u32, BTreeMap<Option<u32>, usize>> = BTreeMap::new();
    for at in files.iter().take(n).filter(|at| at.inline) {
        votes.entry(at.file).or_default();
    }
    for (node, at) in files.iter().enumerate().take(n) {
        let voting = !matches!(
            s.kernel.get(node),
            Some(Some(
                KernelReason::Hub { .. } | KernelReason::CompositionRoot { .. }
            ))
        );
        if let (true, Some(ballot)) = (voting, votes.get_mut(&at.file)) {
            *ballot.entry(s.domain[node]).or_default() += 1;
        }
    }
    // Most votes; ties go to the kernel, then the lowest domain, like
    // `ModuleDomains::majority`.
    let winner: BTreeMap<u32, u32> = votes
        .iter()
        .filter_map(|(&file, ballot)| {
            let best = ballot
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
            best.0.map(|d| (file, d))
        })
        .collect();
    let mut moved = 0;
    for (node, at) in files.iter().enumerate().take(n) {
        let (Some(current), Some(&target)) = (s.domain[node], winner.get(&at.file)) else {
            continue;
        };
        if current != target {
            s.domain[node] = Some(target);
            moved += 1;
        }
    }
    if moved > 0 {
        s.renumber();
    }
    moved
}
