//! The application layer: one function per command, from a checked configuration to an
//! outcome (what the command found, as data) or a [`Failure`] (why it could not run).
//! It reads the files a command needs (the spec, a baseline) and writes the ones it is
//! asked to write; it never prints. `cli` builds the configurations from the arguments,
//! calls these functions, renders the outcomes and maps them to exit codes; a library user
//! or a benchmark calls them directly, with its own [`Progress`].
//!
//! A new command is a `<command>.rs` here (`<Command>Config`, `<Command>Outcome`,
//! `pub fn <command>(&Config, &mut dyn Progress) -> Result<Outcome, Failure>`) and a thin
//! `cli/<command>.rs` (arguments → config, outcome → output and exit code).

pub mod analyze;
pub mod check;
pub mod diff;
pub mod export;
mod failure;
mod files;
pub mod generate;
mod progress;
pub mod report;
pub mod split;
pub mod validate;
mod workspace;

pub use analyze::{AnalyzeConfig, AnalyzeOutcome, AnalyzeProduct, EmitSpec, analyze};
pub use check::{BaselineConfig, BaselineUpdate, CheckConfig, CheckOutcome, LevelOverrides, check};
pub use diff::{DiffConfig, DiffOutcome, diff};
pub use export::{ExportConfig, ExportOutcome, export_asyncapi};
pub use failure::{Failure, SourceFile};
pub use files::{load_spec, load_truth, read_spec};
pub use generate::{GenerateConfig, GenerateMode, GenerateOutcome, generate};
pub use progress::{Progress, Quiet, Stage};
pub use report::{ReportConfig, ReportOutcome, report};
pub use split::{SplitConfig, SplitOutcome, split};
pub use validate::{ValidateConfig, ValidateOutcome, validate};
pub use workspace::{AnalyzeOptions, analyze_workspace};
