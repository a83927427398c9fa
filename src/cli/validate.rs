//! `fissure validate`: every diagnostic of the spec, optionally checked against the source;
//! exit 0 (valid; warnings allowed), 1 (invalid) or 2 (unreadable input).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::app::{self, Failure, ValidateConfig};
use crate::report::diagnostic::render_json;

use super::color::Colors;
use super::progress::Spinner;
use super::verdict::{self, Format};
use super::{Stop, to_stdout};

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

pub fn run(args: &ValidateArgs, colors: Colors) -> Result<ExitCode, Stop> {
    let config = ValidateConfig {
        spec: args.spec.clone(),
        source: args.source.clone(),
    };
    let outcome = match app::validate(&config, &mut Spinner::start()) {
        Ok(outcome) => outcome,
        Err(failure) => return json_failure(args.format, failure),
    };
    let verdict = if outcome.valid() {
        "is valid"
    } else {
        "is invalid"
    };
    let output = verdict::render(
        args.format,
        &outcome.diagnostics,
        std::slice::from_ref(&outcome.spec),
        &args.spec,
        verdict,
        colors.stdout,
    );
    to_stdout(|out| out.write_all(output.as_bytes()))?;
    Ok(ExitCode::from(u8::from(!outcome.valid())))
}

/// Under `--format json`, a failure that has diagnostics is printed as JSON on stdout (exit
/// 2), so a tool reading the output always gets JSON.
fn json_failure(format: Format, failure: Failure) -> Result<ExitCode, Stop> {
    let diagnostics = match &failure {
        Failure::Diagnostics { diagnostics, .. } | Failure::InvalidSpec { diagnostics, .. }
            if format == Format::Json =>
        {
            diagnostics
        }
        _ => return Err(Stop::Failed(failure)),
    };
    let output = render_json(diagnostics);
    to_stdout(|out| out.write_all(output.as_bytes()))?;
    Ok(ExitCode::from(super::EXIT_INPUT_ERROR))
}
