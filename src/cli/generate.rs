//! `fissure generate`: writes the workspace the spec describes (or, with `--check`, lists
//! drift; with `--dry-run`, prints the diff). Exit 0, 1 (drift under `--check`), 2
//! (unreadable or invalid spec, unwritable output).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::app::{self, GenerateConfig, GenerateMode, GenerateOutcome};

use super::progress::Spinner;
use super::{Stop, to_stdout};

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The spec to generate from.
    #[arg(long, default_value = "fissure.yaml")]
    pub spec: PathBuf,
    /// The workspace folder to write (created when missing).
    #[arg(long, default_value = "generated")]
    pub out: PathBuf,
    /// Write nothing; exit 1 listing the generated files that regeneration would change.
    #[arg(long, conflicts_with = "dry_run")]
    pub check: bool,
    /// Write nothing; print a unified diff of what would change.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(args: &GenerateArgs) -> Result<ExitCode, Stop> {
    let mode = match (args.check, args.dry_run) {
        (true, _) => GenerateMode::Check,
        (_, true) => GenerateMode::DryRun,
        _ => GenerateMode::Write,
    };
    let config = GenerateConfig {
        spec: args.spec.clone(),
        out: args.out.clone(),
        mode,
    };
    let (spec, out) = (args.spec.display(), args.out.display());
    match app::generate(&config, &mut Spinner::start())? {
        GenerateOutcome::Drift(paths) if paths.is_empty() => {
            eprintln!("{out} is up to date with {spec}");
            Ok(ExitCode::SUCCESS)
        }
        GenerateOutcome::Drift(paths) => {
            to_stdout(|o| paths.iter().try_for_each(|p| writeln!(o, "{p}")))?;
            eprintln!(
                "{} generated file(s) would change; run `fissure generate`",
                paths.len()
            );
            Ok(ExitCode::from(1))
        }
        GenerateOutcome::Diff(diff) => {
            to_stdout(|o| o.write_all(diff.as_bytes()))?;
            Ok(ExitCode::SUCCESS)
        }
        GenerateOutcome::Written { written, kept } => {
            eprintln!("wrote {written} file(s) to {out} ({kept} of your files left as they are)");
            Ok(ExitCode::SUCCESS)
        }
    }
}
