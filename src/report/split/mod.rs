//! The split plan, rendered for people (`human`: the order, the crates with their files and
//! widened items, each blocker rustc-style), for the tracker (`markdown`: a checklist) and for
//! machines (`json`, a versioned contract).

mod human;
mod json;
mod markdown;

pub use human::render_human;
pub use json::{SCHEMA_VERSION, render_json};
pub use markdown::render_markdown;

use crate::split::SplitPlan;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Markdown,
}

/// The plan and what the renderers say about it.
pub struct SplitReport<'a> {
    pub plan: &'a SplitPlan,
    /// The analysed folder and the spec as the user named them.
    pub root: &'a str,
    pub spec: &'a str,
    /// Whether the edit was written (false for `--dry-run` and when nothing moves).
    pub applied: bool,
}

/// `2 crates extracted (9 files moved, 3 items widened), 2 domains blocked (5 blockers)`.
pub fn summary(plan: &SplitPlan) -> String {
    let files: usize = plan.extracted.iter().map(|e| e.files.len()).sum();
    let widened: usize = plan.extracted.iter().map(|e| e.widened.len()).sum();
    let blockers: usize = plan.blocked.iter().map(|b| b.blockers.len()).sum();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} extracted ({} moved, {} widened), {} blocked ({})",
        plural(plan.extracted.len(), "crate", "crates"),
        plural(files, "file", "files"),
        plural(widened, "item", "items"),
        plural(plan.blocked.len(), "unit", "units"),
        plural(blockers, "blocker", "blockers"),
    )
}
