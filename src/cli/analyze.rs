//! `fissure analyze PATH`: the analysis report in the chosen format, with the suggested
//! domains; `--emit-spec` writes a draft spec from them, `--eval` scores them against labels.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::app::{self, AnalyzeConfig, AnalyzeOutcome, AnalyzeProduct, EmitSpec, Failure};
use crate::report::analysis::{self, Format};
use crate::suggest::{self, LayerWeights, SuggestOptions};

use super::progress::Spinner;
use super::{Stop, to_stdout};

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// A crate or a workspace root (a folder with Cargo.toml).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Analyse `#[cfg(test)]` modules and `#[test]` functions too.
    #[arg(long)]
    pub include_tests: bool,
    /// Also list, on stderr, paths that named nothing fissure could find.
    #[arg(long)]
    pub show_unresolved: bool,
    /// Modularity resolution of the domain suggestion: higher gives more, smaller domains.
    #[arg(long, default_value_t = crate::suggest::DEFAULT_RESOLUTION)]
    pub resolution: f64,
    /// Seed of the domain suggestion (same input and seed, same output).
    #[arg(long, default_value_t = crate::cluster::DEFAULT_SEED)]
    pub seed: u64,
    /// Aim for this many suggested domains (overrides --resolution).
    #[arg(long, value_name = "N")]
    pub domains: Option<usize>,
    /// A spec whose declared domains are pinned; the rest is suggested, and modules the code
    /// places elsewhere are reported.
    #[arg(long, value_name = "FILE")]
    pub spec: Option<PathBuf>,
    /// Write a draft fissure.yaml from the suggestion.
    #[arg(long, value_name = "FILE")]
    pub emit_spec: Option<PathBuf>,
    /// Let --emit-spec overwrite an existing file.
    #[arg(long)]
    pub force: bool,
    /// Tuning: layer weights `references,tables,vocabulary,modules,parents,names`.
    #[arg(long, hide = true, value_name = "R,T,V,M,P,N")]
    pub layer_weights: Option<String>,
    /// Add co-change from the git history of PATH as evidence for the suggestion (commits
    /// touching more than 20 files are skipped; off when fewer than 20 commits qualify).
    #[arg(long)]
    pub git: bool,
    /// Score the suggestion against a truth file (MoJoFM, ARI) next to the two baselines,
    /// instead of printing the report.
    #[arg(long, value_name = "TRUTH")]
    pub eval: Option<PathBuf>,
}

impl AnalyzeArgs {
    /// The configuration, every option checked before any work starts.
    fn config(&self) -> Result<AnalyzeConfig, Failure> {
        if !(self.resolution.is_finite() && self.resolution > 0.0) {
            return Err(Failure::message(format!(
                "--resolution must be a positive number, not {}",
                self.resolution
            )));
        }
        if self.domains == Some(0) {
            return Err(Failure::message("--domains must be at least 1"));
        }
        let defaults = SuggestOptions::default();
        let weights = match &self.layer_weights {
            Some(text) => layer_weights(text, defaults.weights.history)?,
            None => defaults.weights,
        };
        Ok(AnalyzeConfig {
            path: self.path.clone(),
            include_tests: self.include_tests,
            suggest: SuggestOptions {
                resolution: self.resolution,
                seed: self.seed,
                target_domains: self.domains,
                weights,
                ..defaults
            },
            git: self.git,
            pin: self.spec.clone(),
            emit_spec: (self.emit_spec.clone()).map(|path| EmitSpec {
                path,
                overwrite: self.force,
            }),
            eval: self.eval.clone(),
        })
    }
}

/// `references,tables,vocabulary,modules,parents,names`; the history weight is kept.
fn layer_weights(text: &str, history: f64) -> Result<LayerWeights, Failure> {
    let w: Vec<f64> = (text.split(','))
        .filter_map(|x| x.trim().parse().ok())
        .collect();
    let [references, tables, vocabulary, modules, parent, names] = w[..] else {
        return Err(Failure::message(format!(
            "--layer-weights wants six numbers, not `{text}`"
        )));
    };
    Ok(LayerWeights {
        history,
        references,
        tables,
        vocabulary,
        modules,
        parent,
        names,
    })
}

pub fn run(args: &AnalyzeArgs) -> Result<ExitCode, Stop> {
    let config = args.config()?;
    let outcome = app::analyze(&config, &mut Spinner::start())?;
    if args.show_unresolved {
        eprint!("{}", unresolved(&outcome));
    }
    if let Some(history) = &outcome.history {
        match &history.off {
            Some(why) => eprintln!("note: --git: co-change left out: {why}"),
            None => eprintln!(
                "note: --git: {} commits of {} used, {} module pairs change together",
                history.used, history.commits, history.pairs
            ),
        }
    }
    if let Some(path) = &outcome.emitted {
        eprintln!("wrote {}", path.display());
    }
    match &outcome.product {
        AnalyzeProduct::Report(report) => {
            to_stdout(|out| analysis::render(report, args.format, out))?;
        }
        AnalyzeProduct::Evaluation(scores) => {
            let text = suggest::evaluate::render(scores, outcome.suggestion.domains.len());
            to_stdout(|out| out.write_all(text.as_bytes()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `file:line:col: unresolved `path` in module`, one line per path that named nothing.
fn unresolved(outcome: &AnalyzeOutcome) -> String {
    let cb = &outcome.analysis.codebase;
    (outcome.analysis.resolution.unresolved.iter())
        .map(|u| {
            format!(
                "{}:{}:{}: unresolved `{}` in {}\n",
                cb.file(u.file).display,
                u.pos.line,
                u.pos.column,
                u.path,
                cb.module(u.module).path
            )
        })
        .collect()
}
