//! `suggest-bench eval`: reads the truth files and the projects' code, runs
//! `fissure::suggest::leave_one_out` and prints one line per project and a summary.

pub mod census;
pub mod items;
pub mod wide;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fissure::app::{AnalyzeOptions, Quiet, analyze_workspace};
use fissure::eval::Truth;
use fissure::suggest::evaluate::{LabelKeys, assignment};
use fissure::suggest::leave_one_out::{self, Project, ProjectResult, median};
use fissure::suggest::{SuggestOptions, suggest};

/// Parsed arguments of `eval`.
struct EvalArgs {
    truths: PathBuf,
    sources: PathBuf,
    seeds: Vec<u64>,
    grid: Vec<(String, Vec<f64>)>,
    /// Folder for one `<name>.placements.txt` per project (`--dump DIR`).
    dump: Option<PathBuf>,
}

pub fn eval(args: &[String]) -> Result<(), String> {
    let args = parse(args)?;
    let projects = load(&args)?;
    let shipped = SuggestOptions::default();
    let grid = grid(&shipped, &args.grid)?;
    if let Some(dir) = &args.dump {
        dump(&projects, &shipped, dir)?;
    }
    let results = leave_one_out::run(&projects, &shipped, &grid, &args.seeds);
    print!("{}", render(&results, &grid, &args.grid));
    Ok(())
}

/// `subjects PATH`: every module of the workspace at PATH, its cross-layer subject and the
/// domain the shipped options suggest for it.
pub fn subjects(args: &[String]) -> Result<(), String> {
    let [path] = args else {
        return Err("usage: suggest-bench subjects PATH".to_owned());
    };
    let analysis = analyze_workspace(Path::new(path), AnalyzeOptions::default(), &mut Quiet)
        .map_err(|d| format!("{path}: {}", d.message))?;
    let modules: Vec<&str> = (analysis.codebase.modules.iter())
        .map(|m| m.path.as_str())
        .collect();
    let options = SuggestOptions::default();
    // The subjects the names layer links by: the module tree's, then the tables' nouns.
    let tables = fissure::suggest::cluster(&analysis, &options).built.tables;
    let subjects = fissure::suggest::subjects::with_table_nouns(
        fissure::suggest::subjects::module_subjects(modules.iter().copied()),
        tables.keys().map(String::as_str),
    );
    let suggestion = fissure::suggest::suggest(&analysis, &options);
    for module in modules {
        let subject = subjects.get(module).map_or("-", String::as_str);
        let domain = (suggestion.modules.get(module))
            .and_then(|p| p.domain)
            .map_or("-", |d| suggestion.domains[d].name.as_str());
        println!("{module}\t{subject}\t{domain}");
    }
    Ok(())
}

fn parse(args: &[String]) -> Result<EvalArgs, String> {
    let mut parsed = EvalArgs {
        truths: PathBuf::new(),
        sources: PathBuf::new(),
        seeds: (1..=10).collect(),
        grid: Vec::new(),
        dump: None,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--truths" => parsed.truths = PathBuf::from(value),
            "--sources" => parsed.sources = PathBuf::from(value),
            "--seeds" => parsed.seeds = seeds(value)?,
            "--grid" => parsed.grid.push(grid_axis(value)?),
            "--dump" => parsed.dump = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if parsed.truths.as_os_str().is_empty() || parsed.sources.as_os_str().is_empty() {
        return Err("eval needs --truths DIR and --sources DIR".to_owned());
    }
    Ok(parsed)
}

/// `1-10` or `3`.
fn seeds(value: &str) -> Result<Vec<u64>, String> {
    let bad = || format!("--seeds {value}: expected N or A-B");
    match value.split_once('-') {
        Some((a, b)) => {
            let (a, b): (u64, u64) = (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
            Ok((a..=b).collect())
        }
        None => Ok(vec![value.parse().map_err(|_| bad())?]),
    }
}

/// `names=2.5,5`.
fn grid_axis(value: &str) -> Result<(String, Vec<f64>), String> {
    let (key, values) = value
        .split_once('=')
        .ok_or_else(|| format!("--grid {value}: expected KEY=V1,V2"))?;
    let values = values
        .split(',')
        .map(|v| {
            v.parse::<f64>()
                .map_err(|_| format!("--grid {value}: {v} is not a number"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((key.to_owned(), values))
}

/// The cartesian product of the axes, each point the shipped options with the axes' values.
fn grid(
    shipped: &SuggestOptions,
    axes: &[(String, Vec<f64>)],
) -> Result<Vec<SuggestOptions>, String> {
    let mut points = vec![shipped.clone()];
    for (key, values) in axes {
        let mut next = Vec::new();
        for point in &points {
            for &v in values {
                let mut p = point.clone();
                *knob(&mut p, key)? = v;
                next.push(p);
            }
        }
        points = next;
    }
    Ok(points)
}

fn knob<'a>(o: &'a mut SuggestOptions, key: &str) -> Result<&'a mut f64, String> {
    let w = &mut o.weights;
    Ok(match key {
        "resolution" => &mut o.resolution,
        "references" => &mut w.references,
        "tables" => &mut w.tables,
        "vocabulary" => &mut w.vocabulary,
        "modules" => &mut w.modules,
        "parent" => &mut w.parent,
        "names" => &mut w.names,
        _ => return Err(format!("--grid: unknown key {key}")),
    })
}

/// Every `<name>.truth.yaml` of the truths folder with its analysed code, sorted by name.
fn load(args: &EvalArgs) -> Result<Vec<Project>, String> {
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&args.truths)
        .map_err(|e| format!("{}: {e}", args.truths.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".truth.yaml"))
        .collect();
    files.sort();
    let mut projects = Vec::new();
    for file in files {
        let truth = Truth::parse(&read(&file)?).map_err(|e| format!("{}:{e}", file.display()))?;
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".truth.yaml"))
            .unwrap_or_default()
            .to_owned();
        let code = args.sources.join(&name).join(&truth.root);
        let analysis = analyze_workspace(&code, AnalyzeOptions::default(), &mut Quiet)
            .map_err(|d| format!("{}: {}", code.display(), d.message))?;
        let keys = LabelKeys::new(&analysis.codebase, &truth);
        for unknown in keys.unknown(&analysis.codebase, &truth) {
            eprintln!(
                "warning: {}: `{unknown}` is labelled but is no module or crate of {}",
                file.display(),
                code.display()
            );
        }
        projects.push(Project {
            name,
            analysis,
            truth,
        });
    }
    Ok(projects)
}

/// Writes, per project, every suggested domain (and the kernel) with its labelled modules and
/// their labels, for reading where the suggestion and the labels part.
fn dump(projects: &[Project], shipped: &SuggestOptions, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for p in projects {
        let cb = &p.analysis.codebase;
        let keys = LabelKeys::new(cb, &p.truth);
        let reference = keys.reference(cb, &p.truth);
        let suggested = assignment(cb, &suggest(&p.analysis, shipped), &keys);
        let mut by_domain: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
        for (module, label) in &reference {
            let domain = suggested.get(module).map_or("(unplaced)", String::as_str);
            by_domain
                .entry(domain)
                .or_default()
                .push((label.as_str(), module.as_str()));
        }
        let mut text = String::new();
        for (domain, mut modules) in by_domain {
            modules.sort_unstable();
            text.push_str(&format!("{domain} ({} modules)\n", modules.len()));
            for (label, module) in modules {
                text.push_str(&format!("    {label:<12} {module}\n"));
            }
        }
        let file = dir.join(format!("{}.placements.txt", p.name));
        std::fs::write(&file, text).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    Ok(())
}

/// One line per project, then medians and minima.
fn render(
    results: &[ProjectResult],
    grid: &[SuggestOptions],
    axes: &[(String, Vec<f64>)],
) -> String {
    let mut out = format!(
        "{:<24} {:>7} {:>9} {:>8} {:>8} {:>8} {:>9} {:>9} {:>7}  chosen\n",
        "project",
        "scored",
        "in-sample",
        "LOO",
        "tree-1",
        "louvain",
        "domains",
        "seed ARI",
        "names"
    );
    for r in results {
        let e = &r.in_sample;
        out.push_str(&format!(
            "{:<24} {:>7} {:>9.1} {:>8.1} {:>8.1} {:>8.1} {:>9.1} {:>9.3} {:>3}/{:<3}  {}\n",
            r.name,
            e.suggestion.scored,
            e.suggestion.mojo_fm,
            r.held_out.mojo_fm,
            e.module_tree_top.mojo_fm,
            e.louvain_use.mojo_fm,
            e.suggestion_domains.mojo_fm,
            r.seed_ari,
            e.names.matched,
            e.names.domains,
            describe(&grid[r.chosen], axes),
        ));
    }
    let column =
        |f: &dyn Fn(&ProjectResult) -> f64| -> Vec<f64> { results.iter().map(f).collect() };
    let summary = |label: &str, values: Vec<f64>| {
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        format!(
            "{label:<28} median {:>5.1}  min {:>5.1}\n",
            median(&values),
            min
        )
    };
    out.push_str(&summary(
        "in-sample MoJoFM",
        column(&|r| r.in_sample.suggestion.mojo_fm),
    ));
    out.push_str(&summary(
        "leave-one-out MoJoFM",
        column(&|r| r.held_out.mojo_fm),
    ));
    out.push_str(&summary(
        "domains-only MoJoFM",
        column(&|r| r.in_sample.suggestion_domains.mojo_fm),
    ));
    let stable = results.iter().filter(|r| r.seed_ari >= 0.9).count();
    let (matched, named) = results.iter().fold((0, 0), |(m, n), r| {
        (m + r.in_sample.names.matched, n + r.in_sample.names.domains)
    });
    out.push_str(&format!(
        "seed ARI >= 0.9 on {stable} of {}; names matching the labels {matched} of {named} ({:.0}%)\n",
        results.len(),
        if named == 0 { 100.0 } else { matched as f64 * 100.0 / named as f64 }
    ));
    out
}

fn describe(o: &SuggestOptions, axes: &[(String, Vec<f64>)]) -> String {
    let mut copy = o.clone();
    axes.iter()
        .map(|(key, _)| format!("{key}={}", knob(&mut copy, key).map_or(0.0, |v| *v)))
        .collect::<Vec<_>>()
        .join(" ")
}
