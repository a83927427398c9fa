//! The plan as a checklist a team pastes into its tracker: one box per crate to extract (in
//! order, with its widened items: the domain's new public interface) and one per blocker.

use std::fmt::Write;

use super::{SplitReport, summary};
use crate::diagnostics::Diagnostic;

pub fn render_markdown(report: &SplitReport<'_>) -> String {
    let plan = report.plan;
    let mut out = String::new();
    let _ = writeln!(out, "# Split plan: `{}`\n", plan.system);
    if let Some(m) = &plan.monolith {
        let _ = writeln!(
            out,
            "Monolith: crate `{}` (`{}`).\n",
            m.crate_name, m.root_file
        );
    }
    let _ = writeln!(out, "{}.\n", summary(plan));
    if !plan.extracted.is_empty() {
        out.push_str("## Extract, in this order\n\n");
    }
    for (i, e) in plan.extracted.iter().enumerate() {
        let check = if report.applied { "x" } else { " " };
        let modules: Vec<String> = e.modules.iter().map(|m| format!("`{m}`")).collect();
        let _ = writeln!(
            out,
            "{}. [{check}] `{}` in `{}/`: {} ({} file{})",
            i + 1,
            e.crate_name,
            e.folder,
            modules.join(", "),
            e.files.len(),
            if e.files.len() == 1 { "" } else { "s" }
        );
        if !e.depends_on.is_empty() {
            let _ = writeln!(out, "   - depends on {}", ticked(&e.depends_on));
        }
        for w in &e.widened {
            let _ = writeln!(
                out,
                "   - [ ] review the new public item `{}` (was {}), `{}:{}`",
                w.item, w.was, w.file, w.line
            );
        }
    }
    if !plan.blocked.is_empty() {
        out.push_str("\n## Blocked\n");
    }
    for b in &plan.blocked {
        let _ = writeln!(out, "\n### `{}`\n", b.domain);
        for d in &b.blockers {
            blocker(&mut out, d);
        }
    }
    if !plan.staying.is_empty() {
        let _ = writeln!(
            out,
            "\n## Staying in the monolith\n\n{} (composition roots only).",
            ticked(&plan.staying)
        );
    }
    out
}

fn blocker(out: &mut String, d: &Diagnostic) {
    let place = d
        .location
        .as_ref()
        .map_or(String::new(), |l| format!(" `{l}`"));
    let occurrences = d.labels.iter().filter(|l| l.primary).count();
    let more = if occurrences > 1 {
        format!(" ({occurrences} occurrences)")
    } else {
        String::new()
    };
    let _ = writeln!(out, "- [ ] **{}**{place}{more}: {}", d.code, d.message);
    if let Some(help) = &d.help {
        let _ = writeln!(out, "  - {help}");
    }
}

fn ticked(names: &[String]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    names.join(", ")
}
