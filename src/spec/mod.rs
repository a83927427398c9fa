//! The spec, `fissure.yaml`: the domains of a monolith and the domain events between them.
//! Text -> YAML tree with positions (`yaml`) -> `RawSpec` (`decode`, shape only) -> `Spec`
//! (`validate`, meaning). Pure: the CLI reads the file and renders the diagnostics.

mod decode;
mod fields;
mod lints;
pub(crate) mod model;
mod names;
pub(crate) mod pattern;
pub(crate) mod raw;
mod rules;
mod saga;
pub mod schema;
pub(crate) mod source;
#[cfg(test)]
mod tests;
mod upcast;
mod validate;
pub(crate) mod yaml;

pub use lints::lint_code;
pub use model::*;
pub use source::{SourceIndex, check_against_source};

use crate::diagnostics::{Code, Diagnostic, Severity};

/// The codes the spec loader and `check_against_source` report.
pub const CODES: &[Code] = Code::run_of_all(Code::SpecSyntaxError, Code::InvalidUpcast);

/// Loads a spec from its text. `path_display` is the file name diagnostics carry. Returns
/// the spec when it has no error (warnings allowed), and every diagnostic found, sorted by
/// position.
pub fn load(path_display: &str, text: &str) -> (Option<Spec>, Vec<Diagnostic>) {
    let mut decoder = decode::Decoder::new(path_display, text);
    let root = match yaml::parse(text) {
        Ok(root) => root,
        Err(err) => {
            let help = match yaml::unclosed_bracket(text, err.pos.line) {
                _ if err.message.contains("recursion limit") || err.message.contains("Depth {") => {
                    "the document nests deeper than a spec ever needs; nothing else was checked"
                        .to_string()
                }
                _ if err.message.contains("limits breached") => {
                    "the document expands to too many nodes, usually through aliases (`*name`): write it out plainly".to_string()
                }
                Some((bracket, line)) => {
                    format!(
                        "the `{bracket}` opened on line {line} is not closed; nothing else was checked"
                    )
                }
                None => "fix the YAML syntax; nothing else was checked".to_string(),
            };
            let diagnostic = Diagnostic::error(Code::SpecSyntaxError, err.message)
                .at(decoder.location(err.pos))
                .with_help(help);
            return (None, vec![diagnostic]);
        }
    };
    let raw = decoder.spec(&root);
    let spec = validate::Validator::new(&mut decoder, &raw).spec(&raw);
    let mut diagnostics = decoder.diagnostics;
    diagnostics.sort_by(|a, b| a.location.cmp(&b.location));
    let valid = diagnostics.iter().all(|d| d.severity != Severity::Error);
    (valid.then_some(spec), diagnostics)
}
