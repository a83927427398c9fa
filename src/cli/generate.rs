//! `fissure generate`: loads the spec, plans the workspace, and writes it (or, with
//! `--check`, reports drift; with `--dry-run`, prints the diff). Exit 0, 1 (drift under
//! `--check`), 2 (unreadable or invalid spec, unwritable output).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::diagnostics::Severity;
use crate::generate::{self, writer};
use crate::report::diagnostic::{Source, render_human, summary};
use crate::spec;

use super::EXIT_INPUT_ERROR;

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

pub fn run(args: &GenerateArgs) -> ExitCode {
    let display = args.spec.display().to_string();
    let text = match std::fs::read(&args.spec).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => return fail(&format!("cannot read {display}: it is not UTF-8 text")),
        Err(err) => return fail(&format!("cannot read {display}: {err}")),
    };
    let (spec, diagnostics) = spec::load(&display, &text);
    let Some(spec) = spec.filter(|_| !diagnostics.iter().any(|d| d.severity == Severity::Error))
    else {
        let sources = [Source {
            path: Path::new(&display),
            text: &text,
        }];
        eprint!("{}", render_human(&diagnostics, &sources, false));
        return fail(&format!("{display} is invalid: {}", summary(&diagnostics)));
    };
    let files = match generate::plan(&spec) {
        Ok(files) => files,
        Err(e) => return fail(&e.to_string()),
    };
    let planned = match writer::plan_writes(&args.out, &files) {
        Ok(planned) => planned,
        Err(e) => return fail(&e.to_string()),
    };
    let mut stdout = std::io::stdout().lock();
    if args.check {
        let drift = writer::drift(&planned);
        for p in &drift {
            let _ = writeln!(stdout, "{}", p.file.path);
        }
        if drift.is_empty() {
            eprintln!("{} is up to date with {display}", args.out.display());
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "{} generated file(s) would change; run `fissure generate`",
            drift.len()
        );
        return ExitCode::from(1);
    }
    if args.dry_run {
        return match stdout.write_all(writer::unified_diff(&planned).as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => super::io_failure(&e),
        };
    }
    match writer::write(&planned) {
        Ok(written) => {
            let kept = planned
                .iter()
                .filter(|p| p.action == writer::Action::KeepUser)
                .count();
            eprintln!(
                "wrote {written} file(s) to {} ({kept} of your files left as they are)",
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_INPUT_ERROR)
}
