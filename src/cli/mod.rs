//! The command line: parses arguments, calls the stages, renders, maps outcomes to exit
//! codes. The only module that prints or exits.

mod analyze;
mod check;
pub mod generate;
mod progress;
pub mod schema;
pub mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diagnostics::Diagnostic;

#[derive(Debug, Parser)]
#[command(
    name = "fissure",
    version,
    about = "Split a Rust monolith into event-driven services"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read a crate or workspace: modules, dependency graph, coupling, cycles.
    Analyze(analyze::AnalyzeArgs),
    /// Enforce the spec's domain boundaries (for CI): exit 1 on new violations.
    Check(check::CheckArgs),
    /// Validate the spec alone: every error at once, with file:line:col.
    Validate(validate::ValidateArgs),
    /// Print the JSON Schema of fissure.yaml (for editor completion).
    Schema,
    /// Write the event-driven workspace the spec describes.
    Generate(generate::GenerateArgs),
}

/// Exit code for usage and input errors (bad path, bad spec, unreadable file).
pub const EXIT_INPUT_ERROR: u8 = 2;

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                EXIT_INPUT_ERROR
            } else {
                0
            });
        }
    };
    match &cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Check(args) => check::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Schema => schema::run(),
        Command::Generate(args) => generate::run(args),
    }
}

/// Prints an input error (file:line:col when known) and returns exit code 2.
pub(crate) fn input_error(d: &Diagnostic) -> ExitCode {
    match &d.location {
        Some(l) => eprintln!("error[{}]: {l}: {}", d.code, d.message),
        None => eprintln!("error[{}]: {}", d.code, d.message),
    }
    if let Some(h) = &d.help {
        eprintln!("  help: {h}");
    }
    ExitCode::from(EXIT_INPUT_ERROR)
}

/// Writing the output failed (a closed pipe, a full disk).
pub(crate) fn io_failure(e: &std::io::Error) -> ExitCode {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    eprintln!("error: cannot write output: {e}");
    ExitCode::from(EXIT_INPUT_ERROR)
}
