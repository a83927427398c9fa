//! SARIF 2.1.0 for GitHub code scanning: one rule per check rule, one result per
//! violation with its location, and a partial fingerprint from the baseline key so code
//! scanning keeps tracking a violation when the code around it moves.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};

use super::CheckReport;
use crate::check::Rule;
use crate::diagnostics::Severity;

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn rules() -> Vec<ReportingDescriptor> {
    Rule::ALL
        .iter()
        .map(|r| {
            ReportingDescriptor::builder()
                .id(r.id())
                .name(r.id())
                .short_description(
                    MultiformatMessageString::builder()
                        .text(r.description())
                        .build(),
                )
                .build()
        })
        .collect()
}

pub fn render(report: &CheckReport<'_>, out: &mut dyn Write) -> io::Result<()> {
    let results: Vec<SarifResult> = report
        .violations
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let level = match (v.severity, report.is_new(i)) {
                (_, false) => ResultLevel::Note,
                (Severity::Error, true) => ResultLevel::Error,
                (Severity::Warning, true) => ResultLevel::Warning,
                (Severity::Note, true) => ResultLevel::Note,
            };
            let region = Region::builder()
                .start_line(i64::from(v.location.line))
                .start_column(i64::from(v.location.column))
                .build();
            let physical = PhysicalLocation::builder()
                .artifact_location(
                    ArtifactLocation::builder()
                        .uri(v.location.file.display().to_string())
                        .build(),
                )
                .region(region)
                .build();
            let key = v.key();
            let mut fingerprints = BTreeMap::new();
            fingerprints.insert(
                "fissureKey/v1".to_string(),
                format!("{}|{}|{}", key.rule, key.source, key.target),
            );
            let rule_index = Rule::ALL.iter().position(|r| *r == v.rule).unwrap_or(0) as i64;
            SarifResult::builder()
                .rule_id(v.rule.id())
                .rule_index(rule_index)
                .level(level)
                .message(
                    Message::builder()
                        .text(format!("{} Help: {}", v.message, v.help))
                        .build(),
                )
                .locations(vec![
                    Location::builder().physical_location(physical).build(),
                ])
                .partial_fingerprints(fingerprints)
                .build()
        })
        .collect();
    let driver = ToolComponent::builder()
        .name("fissure")
        .version(env!("CARGO_PKG_VERSION"))
        .rules(rules())
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .build();
    let sarif = Sarif::builder()
        .schema(SARIF_SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}
