//! The command line: parses the arguments into a command's configuration, calls the
//! application layer (`crate::app`), renders the outcome and maps it to an exit code. The
//! only module that prints or exits.
//!
//! Exit codes: 0 success, 1 findings that fail the command (violations, an invalid spec,
//! drift), 2 usage or input errors (rendered by `failure.rs`).

mod analyze;
mod check;
mod color;
mod completions;
mod diff;
mod export;
mod failure;
mod generate;
mod man;
mod progress;
mod report;
mod schema;
mod split;
mod validate;
mod verdict;

use std::ffi::OsString;
use std::io::{self, Write};
use std::process::ExitCode;

use clap::{ColorChoice, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::app::Failure;
use color::Colors;

#[derive(Debug, Parser)]
#[command(
    name = "fissure",
    version,
    about = "Split a Rust monolith into event-driven services"
)]
struct Cli {
    /// When to colour the output: `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
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
    /// Move each domain that can move into a crate of its own, in place; explain the rest.
    Split(split::SplitArgs),
    /// Compare two specs' event contracts (for CI): exit 1 on a breaking change without a version bump.
    Diff(diff::DiffArgs),
    /// Export the spec for other tools: `export asyncapi` prints its AsyncAPI 3.0 document.
    Export(export::ExportArgs),
    /// Write one self-contained HTML page of the domains, crossings, events and findings.
    Report(report::ReportArgs),
    /// Print the shell completion script (e.g. `fissure completions bash`).
    Completions(completions::CompletionsArgs),
    /// Print the man page of fissure or of one of its commands (roff).
    Man(man::ManArgs),
}

/// Exit code for usage and input errors (bad path, bad spec, unreadable file).
const EXIT_INPUT_ERROR: u8 = 2;

/// Why a command stopped before its normal end.
enum Stop {
    /// It could not do its work: rendered, exit 2.
    Failed(Failure),
    /// Whoever read stdout went away (`fissure ... | head`): nothing more to say, exit 0.
    ClosedPipe,
}

impl From<Failure> for Stop {
    fn from(failure: Failure) -> Self {
        Stop::Failed(failure)
    }
}

/// `fissure`: runs the command line of the process.
pub fn run() -> ExitCode {
    run_with(std::env::args_os().collect(), Cli::command())
}

/// `cargo-fissure`: cargo runs it as `cargo-fissure fissure ARGS` for `cargo fissure ARGS`.
pub fn run_cargo() -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "fissure") {
        args.remove(1);
    }
    let command = Cli::command()
        .name("cargo-fissure")
        .bin_name("cargo fissure");
    run_with(args, command)
}

fn run_with(args: Vec<OsString>, command: clap::Command) -> ExitCode {
    // clap prints help and its own errors before `--color` is parsed, so it is read first.
    let command = command.color(color::requested(&args));
    let cli = match command
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
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
    let colors = Colors::new(cli.color);
    let ended = match &cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Check(args) => check::run(args, colors),
        Command::Validate(args) => validate::run(args, colors),
        Command::Schema => schema::run(),
        Command::Generate(args) => generate::run(args),
        Command::Split(args) => split::run(args, colors),
        Command::Export(args) => export::run(args),
        Command::Report(args) => report::run(args),
        Command::Diff(args) => diff::run(args, colors),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    };
    match ended {
        Ok(code) => code,
        Err(Stop::ClosedPipe) => ExitCode::SUCCESS,
        Err(Stop::Failed(failure)) => {
            eprint!("{}", failure::render(&failure, colors.stderr));
            ExitCode::from(EXIT_INPUT_ERROR)
        }
    }
}

/// Writes to stdout what `render` writes, flushed.
fn to_stdout(render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Stop> {
    let mut out = io::stdout().lock();
    render(&mut out)
        .and_then(|()| out.flush())
        .map_err(|e| match e.kind() {
            io::ErrorKind::BrokenPipe => Stop::ClosedPipe,
            _ => Stop::Failed(Failure::message(format!("cannot write output: {e}"))),
        })
}
