//! `fissure analyze PATH`: the analysis report in the chosen format, with the suggested
//! domains; `--emit-spec` writes a draft spec from them, `--eval` scores them against labels.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::diagnostics::Diagnostic;
use crate::pipeline::{self, AnalyzeOptions};
use crate::report::analysis::{self, AnalysisReport, Format};
use crate::suggest::{self, SuggestOptions};

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

/// A bad option or an unusable file named by one: `error: ...` and exit code 2.
fn usage(message: String, help: Option<String>) -> ExitCode {
    eprintln!("error: {message}");
    if let Some(h) = help {
        eprintln!("  help: {h}");
    }
    ExitCode::from(super::EXIT_INPUT_ERROR)
}

pub fn run(args: &AnalyzeArgs) -> ExitCode {
    if !(args.resolution.is_finite() && args.resolution > 0.0) {
        return usage(
            format!(
                "--resolution must be a positive number, not {}",
                args.resolution
            ),
            None,
        );
    }
    if args.domains == Some(0) {
        return usage("--domains must be at least 1".to_owned(), None);
    }
    if let Some(out) = &args.emit_spec
        && out.exists()
        && !args.force
    {
        return usage(
            format!("{} already exists", out.display()),
            Some("pass --force to overwrite it".to_owned()),
        );
    }
    let spec = match &args.spec {
        Some(path) => match load_spec(path) {
            Ok(spec) => Some(spec),
            Err(code) => return code,
        },
        None => None,
    };
    let truth = match &args.eval {
        Some(path) => match load_truth(path) {
            Ok(t) => Some(t),
            Err(code) => return code,
        },
        None => None,
    };
    let progress = super::progress::Progress::start("analysing");
    let result = pipeline::analyze(
        &args.path,
        AnalyzeOptions {
            include_tests: args.include_tests,
        },
    );
    drop(progress);
    let analysis = match result {
        Ok(a) => a,
        Err(d) => return super::input_error(&d),
    };
    if args.show_unresolved {
        let cb = &analysis.codebase;
        for u in &analysis.resolution.unresolved {
            eprintln!(
                "{}:{}:{}: unresolved `{}` in {}",
                cb.file(u.file).display,
                u.pos.line,
                u.pos.column,
                u.path,
                cb.module(u.module).path
            );
        }
    }
    let mut options = SuggestOptions {
        resolution: args.resolution,
        seed: args.seed,
        target_domains: args.domains,
        ..SuggestOptions::default()
    };
    if args.git {
        match crate::history::read(&args.path) {
            Ok(history) => {
                let co_change = suggest::cochange::co_change(
                    &history,
                    &analysis.codebase,
                    &suggest::cochange::CoChangeRules::default(),
                );
                match &co_change.off {
                    Some(why) => eprintln!("note: --git: co-change left out: {why}"),
                    None => eprintln!(
                        "note: --git: {} commits of {} used, {} module pairs change together",
                        co_change.commits_used,
                        history.commits.len(),
                        co_change.pairs.len()
                    ),
                }
                options.co_change = Some(co_change);
            }
            Err(e) => return usage(format!("--git: {e}"), None),
        }
    }
    if let Some(text) = &args.layer_weights {
        let w: Vec<f64> = text
            .split(',')
            .filter_map(|x| x.trim().parse().ok())
            .collect();
        let [r, t, v, m, p, n] = w.as_slice() else {
            return usage(
                format!("--layer-weights wants six numbers, not `{text}`"),
                None,
            );
        };
        options.weights = suggest::LayerWeights {
            history: options.weights.history,
            references: *r,
            tables: *t,
            vocabulary: *v,
            modules: *m,
            parent: *p,
            names: *n,
        };
    }
    let progress = super::progress::Progress::start("suggesting domains");
    let mut suggestion = suggest::suggest(&analysis, &options);
    drop(progress);
    if let Some(spec) = &spec {
        let crate_names: Vec<&str> = analysis
            .codebase
            .crates
            .iter()
            .map(|c| c.target.name.as_str())
            .collect();
        suggest::pin::pin(&mut suggestion, spec, &crate_names);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if let Some(truth) = &truth {
        let e = suggest::evaluate::evaluate(&analysis, &suggestion, truth);
        let text = suggest::evaluate::render(&e, suggestion.domains.len());
        if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            return super::io_failure(&e);
        }
        return ExitCode::SUCCESS;
    }
    if let Some(path) = &args.emit_spec {
        let system = suggest::emit::system_name(
            &std::path::absolute(&args.path)
                .unwrap_or_else(|_| args.path.clone())
                .display()
                .to_string(),
        );
        let text = suggest::emit::draft_spec(&system, &suggestion);
        if let Err(e) = std::fs::write(path, text) {
            return usage(format!("cannot write {}: {e}", path.display()), None);
        }
        eprintln!("wrote {}", path.display());
    }
    let report = AnalysisReport::build(
        &args.path.display().to_string(),
        &analysis.codebase,
        &analysis.resolution,
        &analysis.graph,
    )
    .with_suggestion(&suggestion);
    if let Err(e) = analysis::render(&report, args.format, &mut out).and_then(|()| out.flush()) {
        return super::io_failure(&e);
    }
    ExitCode::SUCCESS
}

fn load_spec(path: &std::path::Path) -> Result<crate::spec::model::Spec, ExitCode> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| usage(format!("cannot read {}: {e}", path.display()), None))?;
    let display = path.display().to_string();
    let (spec, diagnostics) = crate::spec::load(&display, &text);
    let errors: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == crate::diagnostics::Severity::Error)
        .collect();
    match spec {
        Some(spec) if errors.is_empty() => Ok(spec),
        _ => {
            let first = errors.first().copied().or(diagnostics.first());
            Err(match first {
                Some(d) => super::input_error(d),
                None => usage(format!("{display}: not a valid spec"), None),
            })
        }
    }
}

fn load_truth(path: &std::path::Path) -> Result<crate::eval::Truth, ExitCode> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| usage(format!("cannot read {}: {e}", path.display()), None))?;
    crate::eval::Truth::parse(&text).map_err(|e| usage(format!("{}:{e}", path.display()), None))
}
