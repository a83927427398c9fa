//! `fissure check [PATH]`: boundary findings of the spec's domain map, against an
//! optional baseline. Exit 0 clean, 1 new denied findings, 2 usage or config error.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use crate::check::baseline::{self, Baseline};
use crate::check::{self, policy};
use crate::diagnostics::{Code, Diagnostic, Location, Severity};
use crate::pipeline::{self, AnalyzeOptions};
use crate::report::check::{self as render, CheckReport, Format, SourceText};
use crate::report::diagnostic::{Source, render_human};
use crate::spec::{self, Spec, lint_code};

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
    /// Fail on findings of CODE (repeatable, or comma-separated); beats the spec's `lints`.
    #[arg(long, value_name = "CODE", value_delimiter = ',', value_parser = lint_code)]
    pub deny: Vec<Code>,
    /// Report findings of CODE without failing.
    #[arg(long, value_name = "CODE", value_delimiter = ',', value_parser = lint_code)]
    pub warn: Vec<Code>,
    /// Drop findings of CODE.
    #[arg(long, value_name = "CODE", value_delimiter = ',', value_parser = lint_code)]
    pub allow: Vec<Code>,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let started = Instant::now();
    let (mut spec, spec_text) = match load_spec(&args.spec) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    if let Err(message) =
        policy::set_from_command_line(&mut spec.lints, &args.deny, &args.warn, &args.allow)
    {
        eprintln!("error: {message}");
        return ExitCode::from(EXIT_INPUT_ERROR);
    }
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
    let (map, findings) = check::check(&spec, cb, &analysis.resolution);
    let known_paths: BTreeSet<&str> = cb
        .modules
        .iter()
        .map(|m| m.path.as_str())
        .chain(analysis.resolution.items.iter().map(|i| i.path.as_str()))
        .collect();
    let empty = Baseline::default();
    let comparison = baseline::compare(&findings, old_baseline.as_ref().unwrap_or(&empty), |p| {
        known_paths.contains(p)
    });
    let mut refused_growth = false;
    if args.update_baseline
        && let (Some(path), Some(old)) = (&args.baseline, &old_baseline)
    {
        let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        let (new, refused) = baseline::updated(old, &findings, in_ci);
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
    let mut sources = vec![SourceText {
        path: args.spec.clone(),
        text: spec_text,
    }];
    if args.format == Format::Human {
        sources.extend(read_sources(&cb.root, &args.spec, &findings));
    }
    let report = CheckReport {
        root: args.path.display().to_string(),
        spec: args.spec.display().to_string(),
        findings: &findings,
        comparison: &comparison,
        baseline: args.baseline.as_ref().map(|p| p.display().to_string()),
        ownership: map.module_counts(&spec),
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

/// The spec and its text (for snippets of the spec lines findings point at).
fn load_spec(path: &Path) -> Result<(Spec, String), ExitCode> {
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
        Some(spec) => Ok((spec, text)),
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

/// The files the findings point into, but the spec (read already).
fn read_sources(root: &Path, spec: &Path, findings: &[Diagnostic]) -> Vec<SourceText> {
    let files: BTreeSet<&Path> = findings
        .iter()
        .flat_map(|d| d.labels.iter().map(|l| l.location.file.as_path()))
        .filter(|f| *f != spec)
        .collect();
    files
        .into_iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(root.join(f)).ok()?;
            Some(SourceText {
                path: f.to_path_buf(),
                text,
            })
        })
        .collect()
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
