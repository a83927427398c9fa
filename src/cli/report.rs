//! `fissure report [PATH]`: writes one self-contained HTML page of the monolith's fault
//! lines (the suggested split; with `--spec`, the declared domains and check's findings).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::app::{self, ReportConfig};
use crate::suggest::SuggestOptions;

use super::Stop;
use super::progress::Spinner;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A crate or a workspace root (a folder with Cargo.toml).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// A spec: its domains are drawn as declared and check's findings listed.
    #[arg(long, value_name = "FILE")]
    pub spec: Option<PathBuf>,
    /// The HTML file to write.
    #[arg(long, default_value = "fissure-report.html", value_name = "FILE")]
    pub out: PathBuf,
    /// Analyse `#[cfg(test)]` modules and `#[test]` functions too.
    #[arg(long)]
    pub include_tests: bool,
    /// Seed of the domain suggestion (same input and seed, same page).
    #[arg(long, default_value_t = crate::cluster::DEFAULT_SEED)]
    pub seed: u64,
    /// Aim for this many suggested domains.
    #[arg(long, value_name = "N")]
    pub domains: Option<usize>,
}

pub fn run(args: &ReportArgs) -> Result<ExitCode, Stop> {
    if args.domains == Some(0) {
        return Err(app::Failure::message("--domains must be at least 1").into());
    }
    let config = ReportConfig {
        path: args.path.clone(),
        spec: args.spec.clone(),
        out: args.out.clone(),
        include_tests: args.include_tests,
        suggest: SuggestOptions {
            seed: args.seed,
            target_domains: args.domains,
            ..SuggestOptions::default()
        },
    };
    let outcome = app::report(&config, &mut Spinner::start())?;
    let page = &outcome.page;
    let findings = match &page.findings {
        Some(f) => format!(", {} findings", f.len()),
        None => String::new(),
    };
    eprintln!(
        "wrote {} ({} KB): {} domains, {} modules{findings}",
        outcome.out.display(),
        outcome.bytes.div_ceil(1024),
        page.domains.len() - 1,
        page.modules.len()
    );
    Ok(ExitCode::SUCCESS)
}
