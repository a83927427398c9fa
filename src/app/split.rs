//! `split`: carries the monolith's own code across, one domain crate at a time. Plans from
//! the spec and the analysis (`crate::split`), then — unless `dry_run` — edits the work tree
//! in place, like `cargo fix`: a dirty git work tree is refused unless `allow_dirty`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::analysis::Analysis;
use crate::report::check::SourceText;
use crate::spec::Spec;
use crate::split::edit::{self, FileEdit};
use crate::split::manifest::{self, MonolithManifest};
use crate::split::{self, SplitPlan};

use super::Failure;
use super::files::{self, load_spec, write_all_or_nothing};
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
    let spec = load_checked_spec(config)?;
    let analysis = analyze_workspace(&config.path, SPLIT_ANALYSIS, progress)?;
    plan_and_edit(config, &spec, &analysis, started, progress)
}

/// What split analyses: the tests too, since they move with their modules.
pub(super) const SPLIT_ANALYSIS: AnalyzeOptions = AnalyzeOptions {
    include_tests: true,
};

/// `split` of an analysis already made of `config.path` with [`SPLIT_ANALYSIS`] (`report`
/// shares one with `analyze` and `check` when it analyses the tests too).
pub(super) fn split_analysis(
    config: &SplitConfig,
    analysis: &Analysis,
    progress: &mut dyn Progress,
) -> Result<SplitOutcome, Failure> {
    let started = Instant::now();
    let spec = load_checked_spec(config)?;
    plan_and_edit(config, &spec, analysis, started, progress)
}

/// The spec, once the work tree may be edited and every domain asked for is declared.
fn load_checked_spec(config: &SplitConfig) -> Result<Spec, Failure> {
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
    Ok(spec)
}

/// The plan, then its diff (a dry run) or the edit of the work tree.
fn plan_and_edit(
    config: &SplitConfig,
    spec: &Spec,
    analysis: &Analysis,
    started: Instant,
    progress: &mut dyn Progress,
) -> Result<SplitOutcome, Failure> {
    let plan = timed(progress, Stage::Plan, || {
        let plan = split::plan(spec, &analysis.codebase, &analysis.resolution);
        split::only(plan, &config.domains)
    });
    let mut diff = String::new();
    let mut applied = false;
    if !plan.extracted.is_empty() {
        let root = analysis.codebase.root.clone();
        let (files, texts) = prepare(analysis, &plan, &config.spec)?;
        if config.dry_run {
            diff = split::diff::unified_diff(&files, &texts);
        } else {
            apply(&root, &files, config)?;
            applied = true;
        }
    }
    let blockers = plan.blocked.iter().flat_map(|b| b.blockers.iter());
    let sources = files::read_label_sources(&analysis.codebase.root, blockers, None);
    Ok(SplitOutcome {
        root: config.path.display().to_string(),
        spec_path: config.spec.display().to_string(),
        plan,
        applied,
        diff,
        sources,
        elapsed: started.elapsed(),
    })
}

/// Every file of the edit, and the texts it was made from (for the diff).
fn prepare(
    analysis: &Analysis,
    plan: &SplitPlan,
    spec_path: &Path,
) -> Result<(Vec<FileEdit>, BTreeMap<String, String>), Failure> {
    let cb = &analysis.codebase;
    let read = |rel: &str| {
        std::fs::read_to_string(cb.root.join(rel))
            .map_err(|e| Failure::message(format!("cannot read {rel}: {e}")))
    };
    let mut texts = BTreeMap::new();
    let mut depths = BTreeMap::new();
    let mut declared_in = BTreeMap::new();
    for e in &plan.extracted {
        for f in &e.files {
            texts.insert(f.from.clone(), read(&f.from)?);
        }
        for top in &e.modules {
            let Some(m) = cb.modules.iter().find(|m| &m.path == top) else {
                continue;
            };
            let top_depth = top.matches("::").count() as u32;
            for module in cb
                .modules
                .iter()
                .filter(|x| !x.inline && x.path.starts_with(top.as_str()))
            {
                let depth = module.path.matches("::").count() as u32 - top_depth;
                depths.insert(cb.file(module.file).display.clone(), depth);
            }
            if let Some(parent) = m.parent {
                let file = cb.file(cb.module(parent).file).display.clone();
                texts.insert(file.clone(), read(&file)?);
                declared_in.insert(top.clone(), (m.name.clone(), file));
            }
        }
    }
    let inputs = edit::Inputs {
        texts: &texts,
        depths: &depths,
        declared_in: &declared_in,
    };
    let mut files = edit::edit(plan, &inputs).map_err(Failure::message)?;
    manifests(cb, plan, &mut files, &mut texts, &read)?;
    if let Some(rel) = inside(&cb.root, spec_path) {
        let text = read(&rel)?;
        let new = split::spec_edit::rewrite(&text, plan);
        texts.insert(rel.clone(), text);
        files.push(FileEdit {
            path: rel,
            content: Some(new),
            moved_from: None,
        });
    }
    Ok((files, texts))
}

/// The new crates' manifests, and the monolith's and the workspace's, edited.
fn manifests(
    cb: &crate::codebase::Codebase,
    plan: &SplitPlan,
    files: &mut Vec<FileEdit>,
    texts: &mut BTreeMap<String, String>,
    read: &dyn Fn(&str) -> Result<String, Failure>,
) -> Result<(), Failure> {
    let Some(monolith) = &plan.monolith else {
        return Ok(());
    };
    let manifest_path = if monolith.package_dir.is_empty() {
        "Cargo.toml".to_string()
    } else {
        format!("{}/Cargo.toml", monolith.package_dir)
    };
    let monolith_text = read(&manifest_path)?;
    let m = MonolithManifest {
        path: &manifest_path,
        text: &monolith_text,
    };
    for e in &plan.extracted {
        let mut used = BTreeSet::new();
        let mut features = BTreeSet::new();
        for f in &e.files {
            if let Ok(found) = crate::syntax::sites::sites(&texts[&f.from]) {
                used.extend(found.first_segments);
                features.extend(found.features);
            }
        }
        let content = manifest::crate_manifest(e, &m, &used, &features, &plan.extracted)
            .map_err(Failure::message)?;
        let path = format!("{}/Cargo.toml", e.folder);
        if cb.root.join(&path).exists() {
            return Err(Failure::with_help(
                format!("{path} exists already"),
                "split makes each crate in a folder of its own; move that folder away first",
            ));
        }
        files.push(FileEdit {
            path,
            content: Some(content),
            moved_from: None,
        });
    }
    let mut edited = manifest::monolith_manifest(&m, &plan.extracted);
    if manifest_path != "Cargo.toml" {
        texts.insert(manifest_path.clone(), monolith_text.clone());
        files.push(FileEdit {
            path: manifest_path,
            content: Some(edited),
            moved_from: None,
        });
        edited = read("Cargo.toml")?;
        texts.insert("Cargo.toml".into(), edited.clone());
    } else {
        texts.insert(manifest_path, monolith_text.clone());
    }
    let root_manifest = manifest::workspace_manifest(&edited, &plan.extracted);
    files.push(FileEdit {
        path: "Cargo.toml".into(),
        content: Some(root_manifest),
        moved_from: None,
    });
    Ok(())
}

/// `path` relative to `root` when it is inside it.
fn inside(root: &Path, path: &Path) -> Option<String> {
    let path = std::fs::canonicalize(path).ok()?;
    let rel = path.strip_prefix(root).ok()?;
    Some(crate::codebase::display_path(Path::new(""), rel))
}

/// Writes the edit all or nothing; with `verify`, checks the result with cargo and rolls it
/// back when the compiler refuses it.
fn apply(root: &Path, files: &[FileEdit], config: &SplitConfig) -> Result<(), Failure> {
    let all: Vec<(String, Option<String>)> = files
        .iter()
        .map(|f| (f.path.clone(), f.content.clone()))
        .collect();
    let written = write_all_or_nothing(root, &all)
        .map_err(|e| Failure::with_help(e, "nothing was changed"))?;
    if !config.verify {
        return Ok(());
    }
    // cargo check records the new crates in Cargo.lock: that is part of what a rollback undoes.
    let lock = root.join("Cargo.lock");
    let lock_before = std::fs::read(&lock).ok();
    let mut cargo = std::process::Command::new("cargo");
    cargo
        .current_dir(root)
        .args(["check", "--all-targets", "--quiet"]);
    if !config.features.is_empty() {
        cargo.args(["--features", &config.features.join(",")]);
    }
    let output = cargo
        .output()
        .map_err(|e| Failure::message(format!("cannot run cargo check: {e}")))?;
    if output.status.success() {
        return Ok(());
    }
    written.roll_back();
    let _ = match lock_before {
        Some(bytes) => std::fs::write(&lock, bytes),
        None => std::fs::remove_file(&lock),
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    Err(Failure::with_help(
        format!(
            "`cargo check --all-targets` refused the split:\n{}",
            first.join("\n")
        ),
        "the split was rolled back; the first errors above name the file and the step (the crate) that broke",
    ))
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
