//! `fissure split`: moves every domain that can move into a crate of its own, in place, and
//! explains the rest. Exit 0 (the plan ran, or nothing could move), 2 (unreadable input, a
//! dirty work tree, a failed `--verify`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::app::{self, SplitConfig};
use crate::report::diagnostic::Source;
use crate::report::split::{Format, SplitReport, render_human, render_json, render_markdown};

use super::color::Colors;
use super::progress::Spinner;
use super::{Stop, to_stdout};

#[derive(Debug, Args)]
pub struct SplitArgs {
    /// The monolith: a crate or a workspace root.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The spec declaring the domains.
    #[arg(long, default_value = "fissure.yaml")]
    pub spec: PathBuf,
    /// Split only this domain (and what it needs); repeatable. Every domain by default.
    #[arg(long = "domain", value_name = "NAME")]
    pub domains: Vec<String>,
    /// Print the plan and the diff; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Edit a work tree with uncommitted changes.
    #[arg(long)]
    pub allow_dirty: bool,
    /// Run `cargo check --all-targets` on the result; roll everything back when it fails.
    #[arg(long)]
    pub verify: bool,
    /// Features for the verifying `cargo check` (comma-separated, repeatable).
    #[arg(long, value_delimiter = ',')]
    pub features: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

pub fn run(args: &SplitArgs, colors: Colors) -> Result<ExitCode, Stop> {
    let config = SplitConfig {
        path: args.path.clone(),
        spec: args.spec.clone(),
        domains: args.domains.clone(),
        dry_run: args.dry_run,
        allow_dirty: args.allow_dirty,
        verify: args.verify,
        features: args.features.clone(),
    };
    let outcome = app::split(&config, &mut Spinner::start())?;
    let report = SplitReport {
        plan: &outcome.plan,
        root: &outcome.root,
        spec: &outcome.spec_path,
        applied: outcome.applied,
    };
    let mut output = match args.format {
        Format::Json => render_json(&report),
        Format::Markdown => render_markdown(&report),
        Format::Human => {
            let sources: Vec<Source<'_>> = (outcome.sources.iter())
                .map(|s| Source {
                    path: &s.path,
                    text: &s.text,
                })
                .collect();
            render_human(&report, &sources, colors.stdout)
        }
    };
    if args.dry_run && args.format != Format::Json {
        output.push_str(&outcome.diff);
    }
    to_stdout(|out| out.write_all(output.as_bytes()))?;
    Ok(ExitCode::SUCCESS)
}
