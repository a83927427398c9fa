//! `--color auto|always|never`: `always` and `never` win over the environment; `auto` colours
//! a stream that is a terminal unless NO_COLOR (or CLICOLOR=0, TERM=dumb) says otherwise,
//! and CLICOLOR_FORCE colours a pipe (anstream's reading of the conventions).

use std::ffi::OsString;

use clap::{ColorChoice, ValueEnum};

/// Whether each stream gets ANSI colours.
#[derive(Debug, Clone, Copy)]
pub struct Colors {
    pub stdout: bool,
    pub stderr: bool,
}

impl Colors {
    pub fn new(choice: ColorChoice) -> Colors {
        match choice {
            ColorChoice::Always => Colors {
                stdout: true,
                stderr: true,
            },
            ColorChoice::Never => Colors {
                stdout: false,
                stderr: false,
            },
            ColorChoice::Auto => Colors {
                stdout: colored(anstream::AutoStream::choice(&std::io::stdout())),
                stderr: colored(anstream::AutoStream::choice(&std::io::stderr())),
            },
        }
    }
}

fn colored(choice: anstream::ColorChoice) -> bool {
    !matches!(choice, anstream::ColorChoice::Never)
}

/// The `--color` of raw arguments, for clap's own help and errors, which are printed before
/// the arguments are parsed. The last one wins, as in parsing; `--` ends the options.
pub fn requested(args: &[OsString]) -> ColorChoice {
    let mut choice = ColorChoice::Auto;
    let mut args = args.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(arg) = args.next() {
        let value = match arg {
            "--" => break,
            "--color" => args.next(),
            _ => arg.strip_prefix("--color="),
        };
        if let Some(parsed) = value.and_then(|v| ColorChoice::from_str(v, false).ok()) {
            choice = parsed;
        }
    }
    choice
}
