//! `fissure check [PATH]`: boundary violations of the spec's domain map, against an
//! optional baseline. Exit 0 clean, 1 new violations, 2 usage or config error.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use crate::check::baseline::{self, Baseline};
use crate::check::{self, Owner};
use crate::diagnostics::{Code, Diagnostic, Location, Severity};
use crate::pipeline::{self, AnalyzeOptions};
use crate::report::check::{self as render, CheckReport, Format, SourceText};
use crate::report::diagnostic::{Source, render_human};
use crate::spec::{self, Spec};

use super::EXIT_INPUT_ERROR;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A crate or a workspace root (a folder with Cargo.toml).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The spec declaring the domains.
    #[arg(long, default_value = "fissure.yaml")]
    pub spec: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Known violations that do not fail the run (keyed by rule, source and target item).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Rewrite the baseline with the current violations (under `CI`, it may only shrink).
    #[arg(long, requires = "baseline")]
    pub update_baseline: bool,
    /// Check `#[cfg(test)]` code too.
    #[arg(long)]
    pub include_tests: bool,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let started = Instant::now();
    let spec = match load_spec(&args.spec) {
        Ok(spec) => spec,
        Err(code) => return code,
    };
    let old_baseline = match &args.baseline {
        Some(path) => match load_baseline(path, args.update_baseline) {
            Ok(b) => Some(b),
            Err(d) => return super::input_error(&d),
        },
        None => None,
    };
    let analysis = match pipeline::analyze(
        &args.path,
        AnalyzeOptions {
            include_tests: args.include_tests,
        },
    ) {
        Ok(a) => a,
        Err(d) => return super::input_error(&d),
    };
    let cb = &analysis.codebase;
    let (map, violations) = check::check(&spec, cb, &analysis.resolution);
    let known_paths: BTreeSet<&str> = cb
        .modules
        .iter()
        .map(|m| m.path.as_str())
        .chain(analysis.resolution.items.iter().map(|i| i.path.as_str()))
        .collect();
    let empty = Baseline::default();
    let comparison = baseline::compare(&violations, old_baseline.as_ref().unwrap_or(&empty), |p| {
        known_paths.contains(p)
    });
    let mut refused_growth = false;
    if args.update_baseline
        && let (Some(path), Some(old)) = (&args.baseline, &old_baseline)
    {
        let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        let (new, refused) = baseline::updated(old, &violations, in_ci);
        if !refused.is_empty() {
            refused_growth = true;
            eprintln!(
                "error: CI is set, so the baseline may only shrink; {} new violation{} not added:",
                refused.len(),
                if refused.len() == 1 { " was" } else { "s were" }
            );
            for k in &refused {
                eprintln!("  {}: {} -> {}", k.rule, k.source, k.target);
            }
        }
        if let Err(e) = write_atomic(path, new.render().as_bytes()) {
            eprintln!("error: cannot write baseline {}: {e}", path.display());
            return ExitCode::from(EXIT_INPUT_ERROR);
        }
        eprintln!(
            "baseline {} now holds {} entries",
            path.display(),
            new.keys.len()
        );
    }
    let sources = if args.format == Format::Human {
        read_sources(&cb.root, &violations)
    } else {
        Vec::new()
    };
    let ownership = ownership(&spec, &map.owners);
    let report = CheckReport {
        root: args.path.display().to_string(),
        spec: args.spec.display().to_string(),
        violations: &violations,
        comparison: &comparison,
        baseline: args.baseline.as_ref().map(|p| p.display().to_string()),
        ownership,
        skipped_files: cb.parse_errors.len()
            + cb.diagnostics
                .iter()
                .filter(|d| d.code == Code::UnreadableFile)
                .count(),
        elapsed: started.elapsed(),
        sources: &sources,
        color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if let Err(e) = render::render(&report, args.format, &mut out).and_then(|()| out.flush()) {
        return super::io_failure(&e);
    }
    // Updating the baseline outside CI accepts every current violation.
    let accepted = args.update_baseline && !refused_growth;
    if refused_growth || (report.fails() && !accepted) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn load_spec(path: &Path) -> Result<Spec, ExitCode> {
    let display = path.display().to_string();
    let text = match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => {
            return Err(super::input_error(&Diagnostic::error(
                Code::UnreadableFile,
                format!("cannot read spec `{display}`: it is not UTF-8 text"),
            )));
        }
        Err(e) => {
            return Err(super::input_error(
                &Diagnostic::error(
                    Code::UnreadableFile,
                    format!("cannot read spec `{display}`: {e}"),
                )
                .with_help(
                    "pass the spec with `--spec FILE`, or run in the folder that has fissure.yaml",
                ),
            ));
        }
    };
    let (spec, diagnostics) = spec::load(&display, &text);
    match spec {
        Some(spec) => Ok(spec),
        None => {
            let errors: Vec<Diagnostic> = diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            let sources = [Source { path, text: &text }];
            eprint!("{}", render_human(&errors, &sources, false));
            eprintln!("error: the spec {display} is invalid; run `fissure validate` for details");
            Err(ExitCode::from(EXIT_INPUT_ERROR))
        }
    }
}

fn load_baseline(path: &Path, creating: bool) -> Result<Baseline, Diagnostic> {
    let display = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => Baseline::parse(&text).map_err(|e| {
            // `Baseline::parse` says `line:column: message`.
            let mut parts = e.splitn(3, ':');
            let line = parts
                .next()
                .and_then(|l| l.trim().parse().ok())
                .unwrap_or(1);
            let column = parts
                .next()
                .and_then(|c| c.trim().parse().ok())
                .unwrap_or(1);
            let message = parts.next().unwrap_or(&e).trim().to_string();
            Diagnostic::error(Code::BadBaseline, format!("invalid baseline: {message}")).at(
                Location {
                    file: path.to_path_buf(),
                    line,
                    column,
                },
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && creating => Ok(Baseline::default()),
        Err(e) => Err(Diagnostic::error(
            Code::BadBaseline,
            format!("cannot read baseline `{display}`: {e}"),
        )
        .with_help("create it with `--update-baseline`")),
    }
}

fn read_sources(root: &Path, violations: &[check::Violation]) -> Vec<SourceText> {
    let files: BTreeSet<&Path> = violations
        .iter()
        .map(|v| v.location.file.as_path())
        .collect();
    files
        .into_iter()
        .filter_map(|f| {
            std::fs::read_to_string(root.join(f))
                .ok()
                .map(|text| SourceText {
                    path: f.to_path_buf(),
                    text,
                })
        })
        .collect()
}

fn ownership(spec: &Spec, owners: &[Owner]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = spec
        .domains
        .keys()
        .map(|d| {
            let n = owners.iter().filter(|o| o.domain() == Some(d)).count();
            (d.clone(), n)
        })
        .collect();
    out.push((
        "(shared kernel)".into(),
        owners.iter().filter(|o| **o == Owner::Shared).count(),
    ));
    out.push((
        "(unassigned)".into(),
        owners.iter().filter(|o| **o == Owner::Unassigned).count(),
    ));
    out
}

/// Writes through a temporary file in the same folder, then renames: a crash never leaves
/// a half-written baseline.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("baseline"),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}
