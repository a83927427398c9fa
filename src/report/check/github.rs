//! GitHub Actions workflow commands: one `::error` (or `::warning`, `::notice` for known
//! findings) annotation per finding, at its first occurrence, escaped as the runner expects;
//! the message lists the other occurrences.

use std::io::{self, Write};

use super::CheckReport;
use crate::diagnostics::Severity;

/// Escapes the message part of a workflow command (`%`, CR and LF).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`): also `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &CheckReport<'_>, out: &mut dyn Write) -> io::Result<()> {
    for (i, finding) in report.findings.iter().enumerate() {
        let Some(at) = &finding.location else {
            continue;
        };
        let command = match (finding.severity, report.is_new(i)) {
            (_, false) => "notice",
            (Severity::Error, true) => "error",
            (Severity::Warning, true) => "warning",
            (Severity::Note, true) => "notice",
        };
        let title = if report.is_new(i) {
            format!("fissure {}", finding.code)
        } else {
            format!("fissure {} (known)", finding.code)
        };
        let mut message = finding.message.clone();
        let occurrences = finding.occurrences();
        if occurrences.len() > 1 {
            let others: Vec<String> = occurrences[1..].iter().map(ToString::to_string).collect();
            message.push_str(&format!(
                "\nnote: {} occurrences, also at {}",
                occurrences.len(),
                others.join(", ")
            ));
        }
        if let Some(help) = &finding.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        writeln!(
            out,
            "::{command} file={},line={},col={},title={}::{}",
            escape_property(&at.file.display().to_string()),
            at.line,
            at.column,
            escape_property(&title),
            escape_data(&message)
        )?;
    }
    let c = report.comparison;
    writeln!(
        out,
        "fissure check: {} new, {} known, {} fixed, {} stale",
        c.new.len(),
        c.known.len(),
        c.fixed.len(),
        c.stale.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_runner_rules() {
        assert_eq!(escape_data("50% done\nnext\r"), "50%25 done%0Anext%0D");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
