//! `suggest-bench items PATH [MODULE_PREFIX]`: every clustered item with its domain (or kernel
//! reason) and its strongest links per evidence layer, to read why an item landed where it did.

use std::collections::BTreeMap;
use std::path::Path;

use fissure::app::{AnalyzeOptions, Quiet, analyze_workspace};
use fissure::suggest::leave_one_out::{self, Project};
use fissure::suggest::{SuggestOptions, cluster};

pub fn items(args: &[String]) -> Result<(), String> {
    let (path, prefix) = match args {
        [path] => (path, ""),
        [path, prefix] => (path, prefix.as_str()),
        _ => return Err("usage: suggest-bench items PATH [MODULE_PREFIX]".to_owned()),
    };
    let analysis = analyze_workspace(Path::new(path), AnalyzeOptions::default(), &mut Quiet)
        .map_err(|d| format!("{path}: {}", d.message))?;
    let clustered = cluster(&analysis, &SuggestOptions::default());
    let input = &clustered.built.input;
    let s = &clustered.suggestion;
    let place = |i: usize| match (&s.kernel[i], s.domain[i]) {
        (Some(reason), _) => format!("kernel {reason:?}"),
        (None, Some(d)) => clustered.names[d as usize].clone(),
        (None, None) => "-".to_owned(),
    };
    let short = |i: usize| {
        let id = &input.nodes[i].id;
        id.split_once("::")
            .map_or(id.as_str(), |(_, rest)| rest)
            .to_owned()
    };
    for (i, node) in input.nodes.iter().enumerate() {
        if !node.module.contains(prefix) {
            continue;
        }
        println!("{}  [{}] conf {:.2}", short(i), place(i), s.confidence[i]);
        for layer in &input.layers {
            let mut links: BTreeMap<usize, f64> = BTreeMap::new();
            for &(a, b, w) in &layer.edges {
                let other = if a as usize == i {
                    b
                } else if b as usize == i {
                    a
                } else {
                    continue;
                };
                *links.entry(other as usize).or_default() += w * layer.weight;
            }
            if links.is_empty() {
                continue;
            }
            let mut links: Vec<(usize, f64)> = links.into_iter().collect();
            links.sort_by(|a, b| b.1.total_cmp(&a.1));
            let total: f64 = links.iter().map(|l| l.1).sum();
            let shown: Vec<String> = (links.iter().take(6))
                .map(|&(o, w)| format!("{} {w:.2} [{}]", short(o), place(o)))
                .collect();
            println!("    {:<11} {total:6.2}  {}", layer.name, shown.join("; "));
        }
    }
    Ok(())
}

/// `suggest-bench seeds --truths DIR --sources DIR [--seeds 1-10] [--grid KEY=V1,V2 ...]`:
/// for every grid point (the shipped options without `--grid`), each project's MoJoFM mean,
/// minimum and maximum over the seeds, so that a change is told from the noise of one seed.
pub fn seeds(args: &[String]) -> Result<(), String> {
    let args = super::parse(args)?;
    let projects = super::load(&args)?;
    let shipped = SuggestOptions::default();
    let grid = super::grid(&shipped, &args.grid)?;
    let mut means_by_point: Vec<Vec<f64>> = Vec::new();
    for point in &grid {
        println!("{}", super::describe(point, &args.grid));
        let mut means = Vec::new();
        for p in &projects {
            let scores: Vec<f64> = (args.seeds.iter())
                .map(|&seed| {
                    let options = SuggestOptions {
                        seed,
                        ..point.clone()
                    };
                    let s = fissure::suggest::suggest(&p.analysis, &options);
                    let e = fissure::suggest::evaluate::evaluate(&p.analysis, &s, &p.truth);
                    e.suggestion.mojo_fm
                })
                .collect();
            let mean = scores.iter().sum::<f64>() / scores.len().max(1) as f64;
            let min = scores.iter().copied().fold(f64::INFINITY, f64::min);
            let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            println!(
                "  {:<24} mean {mean:5.1}  min {min:5.1}  max {max:5.1}",
                p.name
            );
            means.push(mean);
        }
        let min = means.iter().copied().fold(f64::INFINITY, f64::min);
        println!(
            "  {:<24} median {:5.1}  min {min:5.1}",
            "(of the means)",
            super::median(&means)
        );
        means_by_point.push(means);
    }
    if grid.len() > 1 {
        leave_one_out_over_seeds(&projects, &grid, &args.grid, &means_by_point);
    }
    Ok(())
}

/// Leave-one-project-out with the grid point chosen by the other projects' means over the
/// seeds, not one seed's scores: a rule that moves two modules can otherwise flip a held-out
/// project's choice between points a tenth of a point apart (docs/benchmarks.md, sixth round).
/// Each project's figure is its own mean over the seeds at the point chosen without it.
fn leave_one_out_over_seeds(
    projects: &[Project],
    grid: &[SuggestOptions],
    keys: &[(String, Vec<f64>)],
    means_by_point: &[Vec<f64>],
) {
    println!("leave-one-out over seeds (each project at the point the others' means choose)");
    let held: Vec<f64> = (0..projects.len())
        .map(|i| {
            let chosen = leave_one_out::choose(means_by_point, i);
            let mean = means_by_point[chosen][i];
            println!(
                "  {:<24} mean {mean:5.1}  chosen {}",
                projects[i].name,
                super::describe(&grid[chosen], keys)
            );
            mean
        })
        .collect();
    let min = held.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "  {:<24} median {:5.1}  min {min:5.1}",
        "(held out)",
        super::median(&held)
    );
}
