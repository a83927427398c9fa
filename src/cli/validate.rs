//! `fissure validate`: loads the spec, optionally checks it against the source, renders every
//! diagnostic, and exits 0 (valid; warnings allowed), 1 (invalid) or 2 (unreadable input).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::report::diagnostic::{Source, render_human, render_json, summary};
use crate::spec::{self, SourceIndex};

use super::EXIT_INPUT_ERROR;

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The spec to validate.
    #[arg(long, default_value = "fissure.yaml")]
    pub spec: PathBuf,
    /// A crate or workspace whose modules and items the spec's patterns must match.
    #[arg(long, value_name = "PATH")]
    pub source: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

pub fn run(args: &ValidateArgs) -> ExitCode {
    let display = args.spec.display().to_string();
    let text = match std::fs::read(&args.spec).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => return unreadable(args, &display, "it is not UTF-8 text"),
        Err(err) => return unreadable(args, &display, &err.to_string()),
    };
    let (spec, mut diagnostics) = spec::load(&display, &text);
    if let Some(source) = &args.source {
        match source_index_for(source) {
            Ok(index) => {
                if let Some(spec) = &spec {
                    diagnostics.extend(spec::check_against_source(spec, &index));
                }
            }
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(EXIT_INPUT_ERROR);
            }
        }
    }
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let output = match args.format {
        Format::Json => render_json(&diagnostics),
        Format::Human => {
            let sources = [Source {
                path: Path::new(&display),
                text: &text,
            }];
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let verdict = if failed { "is invalid" } else { "is valid" };
            format!(
                "{}{display} {verdict}: {}\n",
                render_human(&diagnostics, &sources, color),
                summary(&diagnostics)
            )
        }
    };
    print(&output);
    ExitCode::from(u8::from(failed))
}

/// The modules and items of the code at `path`, for `--source`.
/// The analyzer is wired in by the lead; until then `--source` is an input error.
pub fn source_index_for(path: &Path) -> Result<SourceIndex, String> {
    Err(format!(
        "`--source` needs the analyzer, which this build does not have yet (asked for `{}`)",
        path.display()
    ))
}

fn unreadable(args: &ValidateArgs, display: &str, why: &str) -> ExitCode {
    let diagnostic = Diagnostic::error(
        Code::UnreadableFile,
        format!("cannot read spec `{display}`: {why}"),
    )
    .with_help("pass the spec with `--spec FILE`, or run in the folder that has fissure.yaml");
    match args.format {
        Format::Json => print(&render_json(&[diagnostic])),
        Format::Human => eprint!("{}", render_human(&[diagnostic], &[], false)),
    }
    ExitCode::from(EXIT_INPUT_ERROR)
}

fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`fissure validate | head`) is not an error worth reporting.
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}
