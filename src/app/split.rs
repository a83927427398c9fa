//! `split`: carries the monolith's own code across, one domain crate at a time. Plans from
//! the spec and the analysis (`crate::split`), then — unless `dry_run` — edits the work tree
//! in place, like `cargo fix`: a dirty git work tree is refused unless `allow_dirty`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::report::check::SourceText;
use crate::split::{self, SplitPlan};

use super::Failure;
use super::files::load_spec;
use super::progress::{Progress, Stage, timed};
use super::workspace::{AnalyzeOptions, analyze_workspace};

/// What `split` is asked to do.
#[derive(Debug, Clone)]
pub struct SplitConfig {
    /// The monolith: a crate or a workspace root.
    pub path: PathBuf,
    pub spec: PathBuf,
    /// Only these domains (and the crates they need); every domain when empty.
    pub domains: Vec<String>,
    /// Plan and diff only; write nothing.
    pub dry_run: bool,
    /// Edit a work tree with uncommitted changes.
    pub allow_dirty: bool,
    /// Run `cargo check --all-targets` after the edit and roll back when it fails.
    pub verify: bool,
    /// Features passed to the verifying `cargo check`.
    pub features: Vec<String>,
}

impl SplitConfig {
    /// A dry run of every domain: what a report or a library user asks for the plan.
    pub fn dry_run(path: impl Into<PathBuf>, spec: impl Into<PathBuf>) -> Self {
        SplitConfig {
            path: path.into(),
            spec: spec.into(),
            domains: Vec::new(),
            dry_run: true,
            allow_dirty: true,
            verify: false,
            features: Vec::new(),
        }
    }
}

/// What `split` planned and did.
#[derive(Debug, Clone)]
pub struct SplitOutcome {
    /// The analysed folder and the spec as the user named them.
    pub root: String,
    pub spec_path: String,
    pub plan: SplitPlan,
    /// Whether the work tree was edited.
    pub applied: bool,
    /// The unified diff of the edit (the dry run's output).
    pub diff: String,
    /// The text of every file a blocker points into, for snippets.
    pub sources: Vec<SourceText>,
    pub elapsed: Duration,
}

pub fn split(config: &SplitConfig, progress: &mut dyn Progress) -> Result<SplitOutcome, Failure> {
    let started = Instant::now();
    let spec = load_spec(&config.spec)?;
    if !config.dry_run && !config.allow_dirty {
        refuse_dirty(&config.path)?;
    }
    let unknown: Vec<&String> = (config.domains.iter())
        .filter(|d| !spec.domains.contains_key(*d))
        .collect();
    if let Some(d) = unknown.first() {
        let known: Vec<&str> = spec.domains.keys().map(String::as_str).collect();
        return Err(Failure::with_help(
            format!("the spec declares no domain `{d}`"),
            format!("its domains: {}", known.join(", ")),
        ));
    }
    let options = AnalyzeOptions {
        include_tests: true,
    };
    let analysis = analyze_workspace(&config.path, options, progress)?;
    let plan = timed(progress, Stage::Plan, || {
        let plan = split::plan(&spec, &analysis.codebase, &analysis.resolution);
        split::only(plan, &config.domains)
    });
    if !config.dry_run && !plan.extracted.is_empty() {
        return Err(Failure::with_help(
            "`split` can only plan for now",
            "run it with `--dry-run`",
        ));
    }
    let sources = read_sources(&analysis.codebase.root, &plan);
    Ok(SplitOutcome {
        root: config.path.display().to_string(),
        spec_path: config.spec.display().to_string(),
        plan,
        applied: false,
        diff: String::new(),
        sources,
        elapsed: started.elapsed(),
    })
}

/// A dirty work tree is refused: the user reviews the split with `git diff`.
fn refuse_dirty(path: &Path) -> Result<(), Failure> {
    let dirty = crate::history::uncommitted(path).map_err(|e| {
        Failure::with_help(
            e,
            "split edits the work tree in place: run it in a git work tree",
        )
    })?;
    if let Some(first) = dirty.first() {
        return Err(Failure::with_help(
            format!(
                "the work tree has {} uncommitted change(s) ({first} ...)",
                dirty.len()
            ),
            "commit or stash them first, so the split is one reviewable diff, or pass --allow-dirty",
        ));
    }
    Ok(())
}

/// The files the blockers point into.
fn read_sources(root: &Path, plan: &SplitPlan) -> Vec<SourceText> {
    let files: BTreeSet<&Path> = (plan.blocked.iter())
        .flat_map(|b| b.blockers.iter())
        .flat_map(|d| d.labels.iter().map(|l| l.location.file.as_path()))
        .collect();
    files
        .into_iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(root.join(f)).ok()?;
            Some(SourceText {
                path: f.to_path_buf(),
                text,
            })
        })
        .collect()
}
