//! The split plan as static markup (no script): the order, each crate to make, and each
//! blocked domain folded with its blockers. Every string is escaped.

use std::fmt::Write;

use super::escape;
use super::page::{PageBlocked, PageExtraction, PageSplit};

pub fn split_section(plan: &PageSplit) -> String {
    let mut s = String::from("<section id=\"split\"><h2>Split plan</h2>\n");
    let _ = writeln!(
        s,
        "<p class=\"hint\">What <code>fissure split</code> would do (a dry run): {}.</p>",
        escape(&plan.summary)
    );
    if !plan.order.is_empty() {
        let order: Vec<String> = plan.order.iter().map(|c| escape(c)).collect();
        let _ = writeln!(s, "<p class=\"order\">Order: {}</p>", order.join(" → "));
    }
    for e in &plan.extracted {
        extraction(&mut s, e);
    }
    let kernel_moved = plan.extracted.iter().any(|e| e.kernel);
    for b in &plan.blocked {
        blocked(&mut s, b, kernel_moved);
    }
    if !plan.staying.is_empty() {
        let _ = writeln!(
            s,
            "<p class=\"hint\">Staying (composition roots only): {}</p>",
            escape(&plan.staying.join(", "))
        );
    }
    s.push_str("</section>\n");
    s
}

/// A crate to make: its folder and modules, the files it takes, the items it widens.
fn extraction(s: &mut String, e: &PageExtraction) {
    let _ = write!(
        s,
        "<h3 class=\"crate\">{} <span class=\"hint\">→ {}/ ({})</span></h3>\n<ul>",
        escape(&e.crate_name),
        escape(&e.folder),
        escape(&e.modules.join(", "))
    );
    if !e.depends_on.is_empty() {
        let _ = write!(
            s,
            "<li>depends on {}</li>",
            escape(&e.depends_on.join(", "))
        );
    }
    for (from, to) in &e.files {
        let _ = write!(
            s,
            "<li>move <code>{}</code> → <code>{}</code></li>",
            escape(from),
            escape(to)
        );
    }
    for (item, was, at) in &e.widened {
        let _ = write!(
            s,
            "<li>widen <code>{}</code> ({} → pub) at <code>{}:{}</code></li>",
            escape(item),
            escape(was),
            escape(&at.file),
            at.line
        );
    }
    s.push_str("</ul>\n");
}

/// A domain that stays, folded: each blocker at its place, with its help.
fn blocked(s: &mut String, b: &PageBlocked, kernel_moved: bool) {
    let n = b.blockers.len();
    let what = if b.domain == "kernel" && kernel_moved {
        "<b>kernel</b> modules left in the monolith".to_owned()
    } else {
        format!("<b>{}</b> stays", escape(&b.domain))
    };
    let _ = write!(
        s,
        "<details class=\"blocked\"><summary>{what}: {n} blocker{}</summary>\n<ol>",
        if n == 1 { "" } else { "s" }
    );
    for d in &b.blockers {
        let at = (d.file.as_ref()).map(|f| format!("{}:{}", escape(f), d.line));
        let help =
            (d.help.as_ref()).map(|h| format!("<div class=\"help\">help: {}</div>", escape(h)));
        let _ = write!(
            s,
            "<li><code class=\"rule\">{}</code> <code>{}</code> {}{}</li>",
            escape(d.code),
            at.unwrap_or_default(),
            escape(&d.message),
            help.unwrap_or_default()
        );
    }
    s.push_str("</ol></details>\n");
}
