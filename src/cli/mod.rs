//! The command line: parses arguments, calls the stages, renders, maps outcomes to exit
//! codes. The only module that prints or exits.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
pub enum Command {}

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
    match cli.command {}
}
