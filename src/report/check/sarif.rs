//! SARIF 2.1.0 for GitHub code scanning: one rule per check code, one result per finding
//! with a location per occurrence, the spec lines that explain it as related locations,
//! and a partial fingerprint from the baseline key so code scanning keeps tracking a
//! finding when the code around it moves.
//!
//! A rule's `id` is the code's stable [`rule_id`](Code::rule_id) (`boundary`), so alerts
//! opened before codes were renamed stay the same alerts; its `name` is the code
//! (`boundary-violation`), with the former name in `deprecatedNames`. Descriptions and help
//! come from the code's section of docs/diagnostics.md, the one place they are written.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_sarif::sarif::{
    ArtifactLocation, Location as SarifLocation, Message, MultiformatMessageString,
    PhysicalLocation, Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult,
    ResultLevel, Run, Sarif, Tool, ToolComponent,
};

use super::CheckReport;
use crate::check::baseline::Key;
use crate::diagnostics::{Code, Diagnostic, Level, Location, Severity};

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

const DOCS: &str = include_str!("../../../docs/diagnostics.md");

/// The text under `### code` in docs/diagnostics.md (a test keeps one heading per code).
fn documentation(code: Code) -> &'static str {
    let heading = format!("\n### {code}\n");
    let Some(start) = DOCS.find(&heading).map(|i| i + heading.len()) else {
        return "";
    };
    let rest = &DOCS[start..];
    let end = ["\n## ", "\n### "]
        .iter()
        .filter_map(|h| rest.find(h))
        .min()
        .unwrap_or(rest.len());
    rest[..end].trim()
}

/// The first sentence of a code's documentation.
fn summary(doc: &str) -> &str {
    doc.find(". ").map_or(doc, |i| &doc[..=i])
}

fn text(s: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s).build()
}

fn rule(code: Code) -> ReportingDescriptor {
    let doc = documentation(code);
    let level = match code.default_level() {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Allow => "none",
    };
    let descriptor = ReportingDescriptor::builder()
        .id(code.rule_id())
        .short_description(text(&summary(doc).replace('\n', " ")))
        .full_description(text(&doc.replace('\n', " ")))
        .help(
            MultiformatMessageString::builder()
                .text(doc.replace('\n', " "))
                .markdown(doc)
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::json!(level))
                .build(),
        );
    // SARIF wants `name` to differ from `id`, or be left out.
    match code.former_name() {
        Some(former) => descriptor
            .name(code.as_str())
            .deprecated_names(vec![former.to_string()])
            .build(),
        None => descriptor.build(),
    }
}

fn location(at: &Location, message: Option<&str>) -> SarifLocation {
    let region = Region::builder()
        .start_line(i64::from(at.line))
        .start_column(i64::from(at.column))
        .build();
    let physical = PhysicalLocation::builder()
        .artifact_location(
            ArtifactLocation::builder()
                .uri(at.file.display().to_string())
                .build(),
        )
        .region(region)
        .build();
    match message {
        Some(m) => SarifLocation::builder()
            .physical_location(physical)
            .message(Message::builder().text(m).build())
            .build(),
        None => SarifLocation::builder().physical_location(physical).build(),
    }
}

fn result(finding: &Diagnostic, new: bool) -> SarifResult {
    let level = match (finding.severity, new) {
        (_, false) => ResultLevel::Note,
        (Severity::Error, true) => ResultLevel::Error,
        (Severity::Warning, true) => ResultLevel::Warning,
        (Severity::Note, true) => ResultLevel::Note,
    };
    let occurrences = finding.occurrences();
    let mut message = finding.message.clone();
    if occurrences.len() > 1 {
        message.push_str(&format!(" ({} occurrences)", occurrences.len()));
    }
    if let Some(help) = &finding.help {
        message.push_str(&format!(" Help: {help}"));
    }
    let rule_index = Code::CHECK.iter().position(|c| *c == finding.code);
    let related: Vec<SarifLocation> = finding
        .labels
        .iter()
        .filter(|l| !l.primary)
        .enumerate()
        .map(|(i, l)| SarifLocation {
            id: Some(i as i64),
            ..location(&l.location, Some(&l.message))
        })
        .collect();
    let mut result = SarifResult::builder()
        .rule_id(finding.code.rule_id())
        .rule_index(rule_index.unwrap_or(0) as i64)
        .level(level)
        .message(Message::builder().text(message).build())
        .locations(
            occurrences
                .into_iter()
                .map(|at| location(at, None))
                .collect::<Vec<_>>(),
        )
        .build();
    result.partial_fingerprints = Key::of(finding).map(|key| {
        BTreeMap::from([(
            "fissureKey/v1".to_string(),
            format!("{}|{}|{}", key.rule, key.source, key.target),
        )])
    });
    result.related_locations = (!related.is_empty()).then_some(related);
    result
}

pub fn render(report: &CheckReport<'_>, out: &mut dyn Write) -> io::Result<()> {
    let results: Vec<SarifResult> = report
        .findings
        .iter()
        .enumerate()
        .map(|(i, finding)| result(finding, report.is_new(i)))
        .collect();
    let driver = ToolComponent::builder()
        .name("fissure")
        .version(env!("CARGO_PKG_VERSION"))
        .rules(Code::CHECK.iter().map(|&c| rule(c)).collect::<Vec<_>>())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_code_has_documentation_to_show() {
        for &code in Code::CHECK {
            let doc = documentation(code);
            assert!(doc.len() > 40, "{code}: {doc:?}");
            assert!(!doc.contains("\n### "), "{code} runs into the next section");
            assert!(summary(doc).ends_with('.'), "{code}: {:?}", summary(doc));
        }
    }
}
