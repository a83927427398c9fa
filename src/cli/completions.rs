//! `fissure completions SHELL`: the completion script of the command line, generated from
//! its clap definition (clap_complete), so it never falls behind a new flag.
//!
//! ```sh
//! fissure completions bash > ~/.local/share/bash-completion/completions/fissure
//! ```

use std::process::ExitCode;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, Stop, to_stdout};

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: &CompletionsArgs) -> Result<ExitCode, Stop> {
    // clap_complete panics when its writer fails (a closed pipe): it writes to memory.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "fissure", &mut script);
    to_stdout(|out| out.write_all(&script))?;
    Ok(ExitCode::SUCCESS)
}
