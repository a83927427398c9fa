//! What a command tells its caller while it works: which stage it is in. The CLI shows a
//! spinner from it, a benchmark a stage timer, a library user nothing ([`Quiet`]).

/// The long steps of the commands, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// Reading the manifests: crates, targets, dependencies.
    Discover,
    /// Loading and parsing every source file of the module trees.
    Parse,
    /// Resolving every path to the item it names.
    Resolve,
    /// Building the dependency graph, its metrics and cycles.
    Graph,
    /// Reading the git history (`analyze --git`).
    History,
    /// Suggesting domains.
    Suggest,
    /// Judging every reference against the spec's domains.
    Check,
    /// Planning the files of the generated workspace.
    Plan,
}

/// Told when a stage begins and ends. Both default to doing nothing.
pub trait Progress {
    fn begin(&mut self, _stage: Stage) {}
    fn end(&mut self, _stage: Stage) {}
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Progress for Quiet {}

/// Runs `work` as `stage`.
pub(crate) fn timed<T>(progress: &mut dyn Progress, stage: Stage, work: impl FnOnce() -> T) -> T {
    progress.begin(stage);
    let out = work();
    progress.end(stage);
    out
}
