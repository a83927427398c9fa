//! `fissure diff OLD NEW`: the evolution gate for CI. Exit 0 (compatible, or breaking with
//! a version bump), 1 (a breaking change without a version bump), 2 (a spec cannot be read).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::app::{self, DiffConfig};
use crate::report::diagnostic::{render_human, render_json, summary};

use super::color::Colors;
use super::failure::borrowed;
use super::progress::Spinner;
use super::{Stop, to_stdout};

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The spec as it was (in CI: `git show main:fissure.yaml > old.yaml`).
    pub old: PathBuf,
    /// The spec as it is now.
    #[arg(default_value = "fissure.yaml")]
    pub new: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

pub fn run(args: &DiffArgs, colors: Colors) -> Result<ExitCode, Stop> {
    let config = DiffConfig {
        old: args.old.clone(),
        new: args.new.clone(),
    };
    let outcome = app::diff(&config, &mut Spinner::start()).map_err(Stop::Failed)?;
    let output = match args.format {
        Format::Json => render_json(&outcome.findings),
        Format::Human => {
            let files = [outcome.old.clone(), outcome.new.clone()];
            let sources = borrowed(&files);
            let verdict = if outcome.breaking() {
                "breaks subscribers"
            } else {
                "is compatible"
            };
            format!(
                "{}{} {verdict}: {}\n",
                render_human(&outcome.findings, &sources, colors.stdout),
                args.new.display(),
                summary(&outcome.findings)
            )
        }
    };
    to_stdout(|out| out.write_all(output.as_bytes()))?;
    Ok(ExitCode::from(u8::from(outcome.breaking())))
}
