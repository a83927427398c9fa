//! The JSON Schema of `fissure.yaml` (draft-07, the version YAML editor plugins read),
//! generated from the same `raw` types the loader fills.

use schemars::generate::SchemaSettings;

use super::raw::RawSpec;

pub fn json_schema() -> serde_json::Value {
    SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<RawSpec>()
        .to_value()
}
