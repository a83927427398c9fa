//! The suggested domains in the human summary: each domain with its modules, confidence and
//! evidence, the modules set apart as shared kernel, split candidates, disagreements with a
//! declared spec, and the event candidates with their call sites.

use std::io::{self, Write};

use crate::suggest::DomainSuggestion;

/// How many call sites, crossings or modules are listed before "... and N more".
const LIST: usize = 8;

fn more(out: &mut dyn Write, total: usize) -> io::Result<()> {
    if total > LIST {
        writeln!(out, "      ... and {} more", total - LIST)?;
    }
    Ok(())
}

pub fn render(s: &DomainSuggestion, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "\nsuggested domains: {} (resolution {:.3}, seed {})",
        s.domains.len(),
        s.resolution,
        s.seed
    )?;
    for d in &s.domains {
        writeln!(
            out,
            "  {}  {} modules, {} items, confidence {:.2}, {} crossing references",
            d.name,
            d.modules.len(),
            d.items,
            d.confidence,
            d.crossings
        )?;
        if !d.top_types.is_empty() {
            writeln!(out, "      top types: {}", d.top_types.join(", "))?;
        }
        if !d.tables.is_empty() {
            writeln!(out, "      tables owned: {}", d.tables.join(", "))?;
        }
        for m in d.modules.iter().take(LIST) {
            let p = &s.modules[m];
            let note = if p.inherited {
                " (no items; follows its children or uses)".to_owned()
            } else {
                format!(" ({:.2})", p.confidence)
            };
            writeln!(out, "      {m}{note}")?;
        }
        more(out, d.modules.len())?;
    }
    writeln!(out, "  shared kernel: {} modules", s.kernel.len())?;
    for k in s.kernel.iter().take(LIST) {
        writeln!(out, "      {}: {}", k.module, k.why)?;
    }
    more(out, s.kernel.len())?;

    let splits: Vec<(&String, &crate::suggest::ModulePlacement)> = s
        .modules
        .iter()
        .filter(|(_, p)| !p.split.is_empty())
        .collect();
    if !splits.is_empty() {
        writeln!(
            out,
            "\nsplit candidates (items of one module in several domains)"
        )?;
        for (m, p) in splits {
            let parts: Vec<String> = p
                .split
                .iter()
                .map(|(d, share)| format!("{d} {:.0}%", share * 100.0))
                .collect();
            writeln!(out, "  {m}: {}", parts.join(", "))?;
        }
    }
    if !s.disagreements.is_empty() {
        writeln!(
            out,
            "\nmodules the code places outside their declared domain"
        )?;
        for d in &s.disagreements {
            writeln!(
                out,
                "  {}: declared {}, suggested {}",
                d.module, d.declared, d.suggested
            )?;
        }
    }
    writeln!(
        out,
        "\nreferences crossing suggested domains: {}",
        s.crossings.len()
    )?;
    for c in s.crossings.iter().take(LIST) {
        writeln!(
            out,
            "  {}:{}:{}  {} -> {} ({} -> {}, {})",
            c.file, c.line, c.column, c.from_item, c.to_item, c.from_domain, c.to_domain, c.kind
        )?;
    }
    if s.crossings.len() > LIST {
        writeln!(out, "  ... and {} more", s.crossings.len() - LIST)?;
    }

    writeln!(out, "\nevent candidates: {}", s.events.len())?;
    for e in &s.events {
        let fields: Vec<String> = e
            .fields
            .iter()
            .map(|f| format!("{}: {}", f.name, f.ty))
            .collect();
        writeln!(
            out,
            "  {} (from {}, to {})  {{ {} }}",
            e.name,
            e.owner,
            e.subscribers.join(", "),
            fields.join(", ")
        )?;
        writeln!(out, "      replaces calls to {} ({})", e.callee, e.reason)?;
        for (file, line) in e.call_sites.iter().take(LIST) {
            writeln!(out, "      {file}:{line}")?;
        }
        more(out, e.call_sites.len())?;
    }
    Ok(())
}
