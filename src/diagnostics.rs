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
    /// The spec is not valid YAML.
    SpecSyntaxError,
    /// A key the spec format does not have (often a typo).
    UnknownKey,
    /// A required key of the spec is absent.
    MissingKey,
    /// A spec value of the wrong kind (a string where a list is expected, an unknown keyword).
    WrongType,
    /// A name of the wrong case, or a Rust keyword.
    InvalidName,
    /// A name defined twice (duplicate YAML keys, a type named like an event).
    DuplicateName,
    /// A reference to a domain the spec does not declare.
    UnknownDomain,
    /// A reference to an event the spec does not declare.
    UnknownEvent,
    /// A `domain.Command` reference to a command that does not exist.
    UnknownCommand,
    /// An event `key` or saga `correlate_by` that is not a field of its event.
    UnknownField,
    /// A field type outside the spec's closed set and its `types`.
    UnknownFieldType,
    /// A module pattern that cannot be parsed.
    InvalidModulePattern,
    /// A domain subscribing to an event it publishes itself.
    SelfSubscription,
    /// An event named like an order (`RegisterUser`) instead of a fact (`UserRegistered`).
    CommandLikeEventName,
    /// A saga step with neither a compensation nor `pivot: true`.
    UncompensatedSagaStep,
    /// A saga step that does not invoke exactly one command or await one event, or a saga without steps.
    InvalidSagaStep,
    /// One module pattern claimed by two owners at the same specificity.
    ModuleClaimedTwice,
    /// A spec `version` this build cannot read.
    UnsupportedSpecVersion,
    /// An event `version` below 1.
    InvalidEventVersion,
    /// A module pattern that matches no module of the source (`--source`).
    UnmatchedModulePattern,
    /// A `public` entry naming no item or module of the source (`--source`).
    UnknownPublicItem,
}

impl Code {
    pub const ALL: &'static [Code] = &[
        Code::ParseError,
        Code::UnreadableFile,
        Code::MissingModuleFile,
        Code::BadManifest,
        Code::SpecSyntaxError,
        Code::UnknownKey,
        Code::MissingKey,
        Code::WrongType,
        Code::InvalidName,
        Code::DuplicateName,
        Code::UnknownDomain,
        Code::UnknownEvent,
        Code::UnknownCommand,
        Code::UnknownField,
        Code::UnknownFieldType,
        Code::InvalidModulePattern,
        Code::SelfSubscription,
        Code::CommandLikeEventName,
        Code::UncompensatedSagaStep,
        Code::InvalidSagaStep,
        Code::ModuleClaimedTwice,
        Code::UnsupportedSpecVersion,
        Code::InvalidEventVersion,
        Code::UnmatchedModulePattern,
        Code::UnknownPublicItem,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::ParseError => "parse-error",
            Code::UnreadableFile => "unreadable-file",
            Code::MissingModuleFile => "missing-module-file",
            Code::BadManifest => "bad-manifest",
            Code::SpecSyntaxError => "spec-syntax-error",
            Code::UnknownKey => "unknown-key",
            Code::MissingKey => "missing-key",
            Code::WrongType => "wrong-type",
            Code::InvalidName => "invalid-name",
            Code::DuplicateName => "duplicate-name",
            Code::UnknownDomain => "unknown-domain",
            Code::UnknownEvent => "unknown-event",
            Code::UnknownCommand => "unknown-command",
            Code::UnknownField => "unknown-field",
            Code::UnknownFieldType => "unknown-field-type",
            Code::InvalidModulePattern => "invalid-module-pattern",
            Code::SelfSubscription => "self-subscription",
            Code::CommandLikeEventName => "command-like-event-name",
            Code::UncompensatedSagaStep => "uncompensated-saga-step",
            Code::InvalidSagaStep => "invalid-saga-step",
            Code::ModuleClaimedTwice => "module-claimed-twice",
            Code::UnsupportedSpecVersion => "unsupported-spec-version",
            Code::InvalidEventVersion => "invalid-event-version",
            Code::UnmatchedModulePattern => "unmatched-module-pattern",
            Code::UnknownPublicItem => "unknown-public-item",
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
