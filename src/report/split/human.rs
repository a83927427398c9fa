//! The plan for people: the order, each crate with its files and widened items, then each
//! blocked domain with its blockers rendered rustc-style by the one diagnostic renderer.

use std::fmt::Write;

use super::{SplitReport, summary};
use crate::report::diagnostic::{Source, render_one, renderer};

/// Blockers rendered per unit; the rest are counted (a cycle can hold hundreds).
const SHOWN: usize = 6;

pub fn render_human(report: &SplitReport<'_>, sources: &[Source<'_>], color: bool) -> String {
    let plan = report.plan;
    let mut out = String::new();
    let verb = if report.applied {
        "split"
    } else {
        "split plan for"
    };
    let _ = write!(out, "{verb} {} with {}", report.root, report.spec);
    if let Some(m) = &plan.monolith {
        let _ = write!(out, ": monolith crate `{}` ({})", m.crate_name, m.root_file);
    }
    out.push('\n');
    if !plan.extracted.is_empty() {
        let _ = writeln!(out, "\norder: {}", plan.order().join(", "));
    }
    for e in &plan.extracted {
        let _ = writeln!(
            out,
            "\n{} -> {}/ ({})",
            e.crate_name,
            e.folder,
            e.modules.join(", ")
        );
        if !e.depends_on.is_empty() {
            let _ = writeln!(out, "  depends on {}", e.depends_on.join(", "));
        }
        for f in &e.files {
            let _ = writeln!(out, "  move   {} -> {}", f.from, f.to);
        }
        for w in &e.widened {
            let _ = writeln!(
                out,
                "  widen  {} ({} -> pub) at {}:{}:{}",
                w.item, w.was, w.file, w.line, w.column
            );
        }
    }
    let r = renderer(color);
    for b in &plan.blocked {
        let n = b.blockers.len();
        let kernel_moved = plan.extracted.iter().any(|e| e.is_kernel);
        let what = if b.domain == "kernel" && kernel_moved {
            "kernel modules left in the monolith".to_string()
        } else {
            format!("{} stays", b.domain)
        };
        let plural = if n == 1 { "" } else { "s" };
        let _ = writeln!(out, "\n{what}: {n} blocker{plural}\n");
        for d in b.blockers.iter().take(SHOWN) {
            out.push_str(&render_one(d, sources, &r));
            out.push_str("\n\n");
        }
        if n > SHOWN {
            let _ = writeln!(
                out,
                "... and {} more blockers of {} (`--format markdown` or `json` lists them all)",
                n - SHOWN,
                b.domain
            );
        }
    }
    if !plan.staying.is_empty() {
        let _ = writeln!(
            out,
            "\nstaying (composition roots only): {}",
            plan.staying.join(", ")
        );
    }
    if !plan.already.is_empty() {
        let _ = writeln!(
            out,
            "\nalready in crates of their own: {}",
            plan.already.join(", ")
        );
    }
    let _ = writeln!(out, "\n{}", summary(plan));
    out
}
