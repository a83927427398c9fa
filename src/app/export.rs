//! `export asyncapi`: the spec's events as an AsyncAPI 3.0 document for one broker.

use std::path::PathBuf;

use crate::export::{Broker, asyncapi};

use super::Failure;
use super::files::load_spec;
use super::progress::Progress;

/// What `export asyncapi` is asked to do.
#[derive(Debug, Clone)]
pub struct ExportConfig {
    pub spec: PathBuf,
    pub broker: Broker,
}

/// The document, as JSON text (JSON is YAML 1.2, so AsyncAPI tools read it either way).
#[derive(Debug, Clone)]
pub struct ExportOutcome {
    pub document: String,
}

pub fn export_asyncapi(
    config: &ExportConfig,
    _progress: &mut dyn Progress,
) -> Result<ExportOutcome, Failure> {
    let spec = load_spec(&config.spec)?;
    let value = asyncapi(&spec, config.broker);
    let document = serde_json::to_string_pretty(&value)
        .map_err(|e| Failure::message(format!("cannot render the AsyncAPI document: {e}")))?;
    Ok(ExportOutcome {
        document: document + "\n",
    })
}
