//! The check report, rendered for people (`human`, through the one diagnostic renderer),
//! machines (`json`), code scanning (`sarif`) and GitHub workflow annotations (`github`).

mod github;
mod human;
mod json;
mod sarif;

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Duration;

use crate::check::baseline::Comparison;
use crate::diagnostics::{Diagnostic, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

/// A file's text, for the human renderer's snippets: a source file the findings point
/// into, or the spec.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub path: PathBuf,
    pub text: String,
}

pub struct CheckReport<'a> {
    /// The analysed folder as the user named it.
    pub root: String,
    /// The spec file as the user named it.
    pub spec: String,
    /// The findings, sorted by code, then place.
    pub findings: &'a [Diagnostic],
    pub comparison: &'a Comparison,
    pub baseline: Option<String>,
    /// Per domain: how many modules it owns (shared kernel and unassigned included).
    pub ownership: Vec<(String, usize)>,
    /// Files skipped by the analysis (parse errors, unreadable); a check over a partial
    /// codebase says so.
    pub skipped_files: usize,
    pub elapsed: Duration,
    /// The texts of the files the findings point into (the spec's too), for snippets.
    pub sources: &'a [SourceText],
    /// ANSI colours in human output.
    pub color: bool,
}

impl CheckReport<'_> {
    /// Whether the finding at `i` is new (not in the baseline). Without a baseline every
    /// finding is new.
    pub fn is_new(&self, i: usize) -> bool {
        self.comparison.new.contains(&i)
    }

    /// The run fails when a new finding has error severity (its level is `deny`).
    pub fn fails(&self) -> bool {
        self.comparison
            .new
            .iter()
            .any(|&i| self.findings[i].severity == Severity::Error)
    }
}

pub fn render(report: &CheckReport<'_>, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, out),
        Format::Json => json::render(report, out),
        Format::Sarif => sarif::render(report, out),
        Format::Github => github::render(report, out),
    }
}
