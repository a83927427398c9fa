//! `fissure schema`: prints the JSON Schema (draft-07) of fissure.yaml for editors.

use std::process::ExitCode;

use crate::spec::schema::json_schema;

use super::{Stop, to_stdout};

pub fn run() -> Result<ExitCode, Stop> {
    let text = serde_json::to_string_pretty(&json_schema()).unwrap_or_default() + "\n";
    to_stdout(|out| out.write_all(text.as_bytes()))?;
    Ok(ExitCode::SUCCESS)
}
