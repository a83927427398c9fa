//! GitHub Actions workflow commands: one `::error` (or `::warning`, `::notice` for known
//! violations) annotation per violation, escaped as the runner expects.

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
    for (i, v) in report.violations.iter().enumerate() {
        let command = match (v.severity, report.is_new(i)) {
            (_, false) => "notice",
            (Severity::Error, true) => "error",
            (Severity::Warning, true) => "warning",
            (Severity::Note, true) => "notice",
        };
        let title = if report.is_new(i) {
            format!("fissure {}", v.rule.id())
        } else {
            format!("fissure {} (known)", v.rule.id())
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},title={}::{}",
            escape_property(&v.location.file.display().to_string()),
            v.location.line,
            v.location.column,
            escape_property(&title),
            escape_data(&format!("{}\nhelp: {}", v.message, v.help))
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
