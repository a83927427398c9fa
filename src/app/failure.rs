//! Why a command could not do its work. Every command returns the same [`Failure`], and the
//! CLI renders it in one place (exit code 2); findings about the user's code are not
//! failures, they are part of a command's outcome.

use std::fmt;
use std::path::PathBuf;

use crate::diagnostics::Diagnostic;

/// A file's text, kept so that diagnostics pointing into it can show the offending line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as diagnostics carry it (as the user named it).
    pub path: PathBuf,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Input fissure cannot use, as diagnostics (file:line:col where known), with the text
    /// of the files they point into.
    Diagnostics {
        diagnostics: Vec<Diagnostic>,
        sources: Vec<SourceFile>,
    },
    /// A spec with errors: every diagnostic it has (warnings too) and its text.
    InvalidSpec {
        spec: SourceFile,
        diagnostics: Vec<Diagnostic>,
    },
    /// Anything else that stops a command: an option out of range, a file that cannot be
    /// read or written.
    Message {
        message: String,
        help: Option<String>,
    },
}

impl Failure {
    pub fn message(message: impl Into<String>) -> Self {
        Failure::Message {
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(message: impl Into<String>, help: impl Into<String>) -> Self {
        Failure::Message {
            message: message.into(),
            help: Some(help.into()),
        }
    }

    /// One diagnostic pointing into `source` (or into nothing fissure has read).
    pub fn diagnostic(diagnostic: Diagnostic, source: Option<SourceFile>) -> Self {
        Failure::Diagnostics {
            diagnostics: vec![diagnostic],
            sources: source.into_iter().collect(),
        }
    }
}

impl From<Diagnostic> for Failure {
    fn from(diagnostic: Diagnostic) -> Self {
        Failure::diagnostic(diagnostic, None)
    }
}

/// One line per problem, without snippets: for logs and library users. The CLI renders
/// failures rustc-style instead.
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let diagnostics = match self {
            Failure::Message { message, .. } => return f.write_str(message),
            Failure::Diagnostics { diagnostics, .. } => diagnostics,
            Failure::InvalidSpec { spec, diagnostics } => {
                writeln!(f, "{} is invalid", spec.path.display())?;
                diagnostics
            }
        };
        for (i, d) in diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}[{}]: ", d.severity.as_str(), d.code)?;
            if let Some(location) = &d.location {
                write!(f, "{location}: ")?;
            }
            f.write_str(&d.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}
