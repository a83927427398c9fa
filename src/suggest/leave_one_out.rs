//! The evaluation protocol over labelled projects: every project is scored with the shipped
//! options (in-sample) and with the options a grid search picks on the *other* projects
//! (leave-one-project-out), next to both baselines, the stability of the split across seeds
//! and the share of domain names that match the labels. A pure function of the analyses.

use crate::analysis::Analysis;
use crate::eval::{self, Score, Truth, adjusted_rand_index};

use super::evaluate::{self, Evaluation, LabelKeys};
use super::{SuggestOptions, suggest};

/// One labelled project, analysed.
pub struct Project {
    pub name: String,
    pub analysis: Analysis,
    pub truth: Truth,
}

/// What the protocol found for one project.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectResult {
    pub name: String,
    /// The shipped options, scored with the baselines and the name match.
    pub in_sample: Evaluation,
    /// Index into the grid of the options chosen without this project.
    pub chosen: usize,
    /// The suggestion with the chosen options.
    pub held_out: Score,
    /// Mean adjusted Rand index between the module assignments of every pair of seeds.
    pub seed_ari: f64,
}

/// Runs the protocol. `grid` holds the candidate options (the shipped ones need not be among
/// them); for each project the grid point with the best median MoJoFM over the other projects
/// is chosen (ties: [`choose`]). `seeds` measure the stability of the shipped options.
pub fn run(
    projects: &[Project],
    shipped: &SuggestOptions,
    grid: &[SuggestOptions],
    seeds: &[u64],
) -> Vec<ProjectResult> {
    let scores: Vec<Vec<Score>> = grid
        .iter()
        .map(|options| projects.iter().map(|p| score(p, options)).collect())
        .collect();
    let mojo: Vec<Vec<f64>> = (scores.iter())
        .map(|row| row.iter().map(|s| s.mojo_fm).collect())
        .collect();
    projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let chosen = choose(&mojo, i);
            ProjectResult {
                name: p.name.clone(),
                in_sample: evaluate::evaluate(
                    &p.analysis,
                    &suggest(&p.analysis, shipped),
                    &p.truth,
                ),
                chosen,
                held_out: scores[chosen][i].clone(),
                seed_ari: seed_stability(p, shipped, seeds),
            }
        })
        .collect()
}

fn score(p: &Project, options: &SuggestOptions) -> Score {
    evaluate::evaluate(&p.analysis, &suggest(&p.analysis, options), &p.truth).suggestion
}

/// The grid point with the best median score over every project but `held_out`;
/// `scores[g][p]` is project `p`'s score at grid point `g` (one seed's MoJoFM in [`run`], a
/// mean over seeds in `suggest-bench seeds`). Equal medians are told apart by the mean, then
/// by the minimum, and only then by grid order: with nine projects the median is one
/// project's score, so two points often tie on it, and the grid order the command line gives
/// would otherwise decide the held-out project's score (docs/benchmarks.md, twelfth round).
pub fn choose(scores: &[Vec<f64>], held_out: usize) -> usize {
    let mut best: Option<(usize, [f64; 3])> = None;
    for (g, row) in scores.iter().enumerate() {
        let others: Vec<f64> = (row.iter().enumerate())
            .filter(|(i, _)| *i != held_out)
            .map(|(_, &s)| s)
            .collect();
        let mean = others.iter().sum::<f64>() / others.len().max(1) as f64;
        let min = others.iter().copied().fold(f64::INFINITY, f64::min);
        let key = [median(&others), mean, min];
        if best.is_none_or(|(_, b)| better(&key, &b)) {
            best = Some((g, key));
        }
    }
    best.map_or(0, |(g, _)| g)
}

/// Whether `a` is ahead of `b`, key by key; a difference under 1e-9 is a tie (a median of two
/// is their mean, so equal scores can differ in the last bit).
fn better(a: &[f64; 3], b: &[f64; 3]) -> bool {
    for (x, y) in a.iter().zip(b) {
        if (x - y).abs() > 1e-9 {
            return x > y;
        }
    }
    false
}

/// The median of `values` (the mean of the middle two for an even count); 0 for none.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Mean pairwise ARI of the labelled modules' placements over `seeds`, the kernel and each
/// domain being one cluster; 1 with fewer than two seeds.
fn seed_stability(p: &Project, shipped: &SuggestOptions, seeds: &[u64]) -> f64 {
    let cb = &p.analysis.codebase;
    let keys = LabelKeys::new(cb, &p.truth);
    let reference = keys.reference(cb, &p.truth);
    let runs: Vec<Vec<u32>> = seeds
        .iter()
        .map(|&seed| {
            let options = SuggestOptions {
                seed,
                ..shipped.clone()
            };
            let assigned = evaluate::assignment(cb, &suggest(&p.analysis, &options), &keys);
            let labels: Vec<&str> = reference
                .keys()
                .map(|m| assigned.get(m).map_or(eval::KERNEL, String::as_str))
                .collect();
            numbered(&labels)
        })
        .collect();
    let mut sum = 0.0;
    let mut pairs = 0usize;
    for (i, a) in runs.iter().enumerate() {
        for b in &runs[i + 1..] {
            sum += adjusted_rand_index(a, b);
            pairs += 1;
        }
    }
    if pairs == 0 { 1.0 } else { sum / pairs as f64 }
}

fn numbered(labels: &[&str]) -> Vec<u32> {
    let mut distinct = labels.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    labels
        .iter()
        .map(|l| distinct.binary_search(l).map_or(0, |i| i as u32))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_is_chosen_by_the_others_median_then_their_mean_then_their_minimum() {
        // Three projects; project 2 is held out, so each point is judged on projects 0 and 1.
        let by_median = [vec![50.0, 60.0, 99.0], vec![60.0, 70.0, 0.0]];
        assert_eq!(
            choose(&by_median, 2),
            1,
            "median 65 beats 55; the held-out 99 is not seen"
        );
        // Four projects, three seen: the medians tie at 70, the means do not.
        let by_mean = [vec![10.0, 70.0, 71.0, 0.0], vec![69.0, 70.0, 90.0, 0.0]];
        assert_eq!(
            choose(&by_mean, 3),
            1,
            "median 70 both, mean 76.3 beats 50.3"
        );
        // Medians and means tie; the higher minimum wins.
        let by_min = [vec![40.0, 70.0, 100.0, 0.0], vec![55.0, 70.0, 85.0, 0.0]];
        assert_eq!(
            choose(&by_min, 3),
            1,
            "median 70 and mean 70 both, minimum 55 beats 40"
        );
        // A full tie keeps the grid order.
        let tied = [vec![55.0, 70.0, 85.0, 0.0], vec![55.0, 70.0, 85.0, 0.0]];
        assert_eq!(choose(&tied, 3), 0);
    }
}
