//! What a spec adds to the page: which domains it declares, its events (with the call
//! sites each would replace), and check's findings with their snippets.

use crate::diagnostics::Diagnostic;
use crate::report::check::SourceText;
use crate::spec::Spec;

use super::page::*;

/// Lines of source shown before and after a finding's line.
const CONTEXT: u32 = 2;

/// `page`, its domains pinned to `spec`'s (analyse with the spec pinned), with the spec's
/// events and `findings`; `new` are the indices of findings not in the baseline, `sources`
/// the texts the findings point into.
pub fn with_check(
    mut page: Page,
    spec_path: &str,
    spec: &Spec,
    findings: &[Diagnostic],
    new: &[usize],
    sources: &[SourceText],
) -> Page {
    page.spec = Some(spec_path.to_owned());
    for d in &mut page.domains {
        d.declared = spec.domains.contains_key(&d.name);
    }
    page.declared_events = (spec.events.values())
        .map(|e| DeclaredEvent {
            name: e.name.clone(),
            owner: e.from.value.clone(),
            description: e.description.clone(),
            fields: (e.fields.iter())
                .map(|f| format!("{}: {}", f.name, f.ty))
                .collect(),
            subscribers: (spec.domains.values())
                .filter(|d| d.subscribes.iter().any(|s| s.event.value == e.name))
                .map(|d| d.name.clone())
                .collect(),
            replaces: (page.events.iter())
                .filter(|c| c.name == e.name)
                .flat_map(|c| c.call_sites.iter().cloned())
                .collect(),
        })
        .collect();
    page.findings = Some(
        (findings.iter().enumerate())
            .map(|(i, d)| finding(d, new.contains(&i), sources))
            .collect(),
    );
    page
}

fn finding(d: &Diagnostic, new: bool, sources: &[SourceText]) -> PageFinding {
    let location = (d.labels.iter().find(|l| l.primary))
        .map(|l| &l.location)
        .or(d.location.as_ref());
    let subject = d.subject.as_deref();
    PageFinding {
        code: d.code.as_str(),
        severity: d.severity.as_str(),
        message: d.message.clone(),
        from_domain: subject.and_then(|s| s.from_domain.clone()),
        to_domain: subject.and_then(|s| s.to_domain.clone()),
        file: location.map(|l| l.file.display().to_string()),
        line: location.map_or(0, |l| l.line),
        column: location.map_or(0, |l| l.column),
        snippet: location
            .and_then(|l| {
                let source = sources.iter().find(|s| s.path == l.file)?;
                Some(snippet(&source.text, l.line))
            })
            .unwrap_or_default(),
        help: d.help.clone(),
        also_at: (d.labels.iter())
            .filter(|l| l.primary && Some(&l.location) != location)
            .map(|l| Site {
                file: l.location.file.display().to_string(),
                line: l.location.line,
            })
            .collect(),
        new,
    }
}

/// The lines around `line` (1-based), numbered.
fn snippet(text: &str, line: u32) -> Vec<(u32, String)> {
    let first = line.saturating_sub(CONTEXT).max(1);
    (text.lines().enumerate())
        .map(|(i, l)| (i as u32 + 1, l))
        .skip_while(|(n, _)| *n < first)
        .take_while(|(n, _)| *n <= line + CONTEXT)
        .map(|(n, l)| (n, l.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_holds_the_line_and_its_neighbours_within_the_file() {
        let text = "a\nb\nc\nd\ne\nf";
        let lines = |s: Vec<(u32, String)>| s.into_iter().map(|(n, _)| n).collect::<Vec<_>>();
        assert_eq!(lines(snippet(text, 4)), [2, 3, 4, 5, 6]);
        assert_eq!(lines(snippet(text, 1)), [1, 2, 3]);
        assert_eq!(snippet(text, 6).last(), Some(&(6, "f".to_owned())));
    }
}
