//! `fissure check [PATH]`: boundary findings of the spec's domain map, against an
//! optional baseline. Exit 0 clean, 1 new denied findings, 2 usage or config error.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::app::{self, BaselineConfig, BaselineUpdate, CheckConfig, CheckOutcome, LevelOverrides};
use crate::diagnostics::Code;
use crate::report::check::{self as render, Format};
use crate::spec::lint_code;

use super::color::Colors;
use super::progress::Spinner;
use super::{Stop, to_stdout};

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

impl CheckArgs {
    fn config(&self) -> CheckConfig {
        // In CI a baseline may only shrink: new debt must not slip in by a rewrite.
        let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        let update = self.update_baseline.then_some(if in_ci {
            BaselineUpdate::OnlyShrink
        } else {
            BaselineUpdate::AcceptAll
        });
        CheckConfig {
            path: self.path.clone(),
            spec: self.spec.clone(),
            baseline: (self.baseline.clone()).map(|path| BaselineConfig { path, update }),
            include_tests: self.include_tests,
            snippets: self.format == Format::Human,
            levels: LevelOverrides {
                deny: self.deny.clone(),
                warn: self.warn.clone(),
                allow: self.allow.clone(),
            },
        }
    }
}

pub fn run(args: &CheckArgs, colors: Colors) -> Result<ExitCode, Stop> {
    let outcome = app::check(&args.config(), &mut Spinner::start())?;
    eprint!("{}", baseline_update(&outcome));
    let report = outcome.report(colors.stdout);
    to_stdout(|out| render::render(&report, args.format, out))?;
    Ok(if outcome.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// What happened to the baseline: the violations a CI run refused to add, and its size.
fn baseline_update(outcome: &CheckOutcome) -> String {
    let Some(written) = &outcome.baseline_update else {
        return String::new();
    };
    let mut text = String::new();
    let refused = &written.refused;
    if !refused.is_empty() {
        text += &format!(
            "error: CI is set, so the baseline may only shrink; {} new violation{} not added:\n",
            refused.len(),
            if refused.len() == 1 { " was" } else { "s were" }
        );
        for k in refused {
            text += &format!("  {}: {} -> {}\n", k.rule, k.source, k.target);
        }
    }
    text += &format!(
        "baseline {} now holds {} entries\n",
        written.path.display(),
        written.entries
    );
    text
}
