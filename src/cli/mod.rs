//! The command line: parses arguments, calls the stages, renders, maps outcomes to exit
//! codes. The only module that prints or exits.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod schema;
pub mod validate;

#[derive(Debug, Parser)]
#[command(name = "fissure", version, about = "Split a Rust monolith into event-driven services")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the spec alone: every error at once, with file:line:col.
    Validate(validate::ValidateArgs),
    /// Print the JSON Schema of fissure.yaml (for editor completion).
    Schema,
}

/// Exit code for usage and input errors (bad path, bad spec, unreadable file).
pub const EXIT_INPUT_ERROR: u8 = 2;

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { EXIT_INPUT_ERROR } else { 0 });
        }
    };
    match cli.command {
        Command::Validate(args) => validate::run(&args),
        Command::Schema => schema::run(),
    }
}
