//! `fissure man [COMMAND]`: the man page (roff) of fissure or of one of its commands,
//! generated from the clap definition (clap_mangen).
//!
//! ```sh
//! fissure man > fissure.1 && fissure man check > fissure-check.1
//! ```

use std::process::ExitCode;

use clap::{Args, CommandFactory};

use crate::app::Failure;

use super::{Cli, Stop, to_stdout};

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A command (`check`); without it, the page of fissure itself.
    pub command: Option<String>,
}

pub fn run(args: &ManArgs) -> Result<ExitCode, Stop> {
    let mut cli = Cli::command().disable_help_subcommand(true);
    // Building names each command's page `fissure-<command>`.
    cli.build();
    let page = match &args.command {
        None => cli,
        Some(name) => cli.find_subcommand(name).cloned().ok_or_else(|| {
            let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
            Failure::with_help(
                format!("no command `{name}`"),
                format!("one of: {}", names.join(", ")),
            )
        })?,
    };
    let man = clap_mangen::Man::new(page).source(concat!("fissure ", env!("CARGO_PKG_VERSION")));
    to_stdout(|out| man.render(out))?;
    Ok(ExitCode::SUCCESS)
}
