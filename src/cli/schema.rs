//! `fissure schema`: prints the JSON Schema (draft-07) of fissure.yaml for editors.

use std::io::Write;
use std::process::ExitCode;

use crate::spec::schema::json_schema;

pub fn run() -> ExitCode {
    let text = serde_json::to_string_pretty(&json_schema()).unwrap_or_default() + "\n";
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    ExitCode::SUCCESS
}
