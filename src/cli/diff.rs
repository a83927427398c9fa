//! `fissure diff OLD NEW`: the evolution gate for CI. Exit 0 (compatible, or breaking with
//! a version bump), 1 (a breaking change without a version bump), 2 (a spec cannot be read).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::app::{self, DiffConfig};

use super::color::Colors;
use super::progress::Spinner;
use super::verdict::{self, Format};
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

pub fn run(args: &DiffArgs, colors: Colors) -> Result<ExitCode, Stop> {
    let config = DiffConfig {
        old: args.old.clone(),
        new: args.new.clone(),
    };
    let outcome = app::diff(&config, &mut Spinner::start()).map_err(Stop::Failed)?;
    let verdict = if outcome.breaking() {
        "breaks subscribers"
    } else {
        "is compatible"
    };
    let sources = [outcome.old.clone(), outcome.new.clone()];
    let output = verdict::render(
        args.format,
        &outcome.findings,
        &sources,
        &args.new,
        verdict,
        colors.stdout,
    );
    to_stdout(|out| out.write_all(output.as_bytes()))?;
    Ok(ExitCode::from(u8::from(outcome.breaking())))
}
