//! Diagnostics are data: a stable code, a severity, a location and words. Stages return
//! them; only `report` turns them into text (rustc-style), JSON or SARIF.

use std::fmt;
use std::path::PathBuf;

/// How bad a finding is. Errors fail the command; warnings and notes do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A position in a file the user can open: 1-based line, 1-based column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// Stable, kebab-case identifiers of every finding fissure can report. Renaming one is a
/// breaking change for users' baselines and CI filters; `docs/diagnostics.md` documents each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A source file that could not be parsed; it is skipped and the analysis goes on.
    ParseError,
    /// A source file that could not be read (missing, not UTF-8, too large, a symlink loop).
    UnreadableFile,
    /// A `mod` declaration whose file does not exist.
    MissingModuleFile,
    /// A Cargo.toml that could not be read or understood.
    BadManifest,
}

impl Code {
    pub const ALL: &'static [Code] = &[
        Code::ParseError,
        Code::UnreadableFile,
        Code::MissingModuleFile,
        Code::BadManifest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::ParseError => "parse-error",
            Code::UnreadableFile => "unreadable-file",
            Code::MissingModuleFile => "missing-module-file",
            Code::BadManifest => "bad-manifest",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub location: Option<Location>,
    /// How to fix it, in one line.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            location: None,
            help: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}
