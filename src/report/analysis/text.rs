//! The human summary of `fissure analyze`: sizes, most coupled modules, heaviest
//! dependencies, cycles with evidence, orphans and files that were skipped.

use std::io::{self, Write};

use super::model::{AnalysisReport, EdgeRow, Example};

/// How many rows each "top" table shows.
const TOP: usize = 10;

fn pct(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        100.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

fn evidence(out: &mut dyn Write, e: &Example) -> io::Result<()> {
    writeln!(
        out,
        "      {}:{}:{}  {} -> {} ({})",
        e.file, e.line, e.column, e.from_item, e.to_item, e.kind
    )
}

fn kinds(e: &EdgeRow) -> String {
    let mut k: Vec<(&str, u32)> = e.kinds.iter().map(|(k, n)| (*k, *n)).collect();
    k.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    k.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn render(r: &AnalysisReport, out: &mut dyn Write) -> io::Result<()> {
    header(r, out)?;
    crates(r, out)?;
    largest_modules(r, out)?;
    coupled_modules(r, out)?;
    heaviest_dependencies(r, out)?;
    cycles(r, out)?;
    if let Some(suggestion) = &r.suggestion {
        super::text_domains::render(suggestion, out)?;
    }
    orphans(r, out)?;
    skipped(r, out)?;
    Ok(())
}

/// Stats: crates, modules, files, lines, items; how much resolved.
fn header(r: &AnalysisReport, out: &mut dyn Write) -> io::Result<()> {
    let s = &r.stats;
    writeln!(out, "fissure analyze {}", r.root)?;
    writeln!(
        out,
        "  {} crates, {} modules, {} files, {} lines, {} items",
        s.crates, s.modules, s.files, s.lines, s.items
    )?;
    let internal = s.resolved_refs + s.unresolved_refs;
    writeln!(
        out,
        "  references: {} resolved ({:.1}% of workspace paths), {} unresolved, {} external",
        s.resolved_refs,
        pct(s.resolved_refs, internal),
        s.unresolved_refs,
        s.external_refs
    )?;
    writeln!(
        out,
        "  method calls: {} typed, {} guessed from a unique impl, {} left out; field accesses: {} typed",
        s.method_typed, s.method_guess, s.methods_dropped, s.field_typed
    )?;
    Ok(())
}

/// One line per crate target.
fn crates(r: &AnalysisReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "\ncrates")?;
    let width = r.crates.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for c in &r.crates {
        writeln!(out, "  {:width$}  {:3}  {}", c.name, c.kind, c.root_file)?;
    }
    Ok(())
}

/// The largest file modules.
fn largest_modules(r: &AnalysisReport, out: &mut dyn Write) -> io::Result<()> {
    let mut largest: Vec<_> = r.modules.iter().filter(|m| !m.inline).collect();
    largest.sort_by(|a, b| b.lines.cmp(&a.lines).then(a.path.cmp(&b.path)));
    writeln!(out, "\nlargest modules")?;
    let width = largest
        .iter()
        .take(TOP)
        .map(|m| m.path.len())
        .max()
        .unwrap_or(0);
    for m in largest.iter().take(TOP) {
        writeln!(
            out,
            "  {:width$}  {:>6} lines  {:>4} items ({} pub)",
            m.path, m.lines, m.items, m.public_items
        )?;
    }
    Ok(())
}

/// The modules with the most fan-in + fan-out.
fn coupled_modules(r: &AnalysisReport, out: &mut dyn Write) -> io::Result<()> {
    let mut coupled: Vec<_> = r
        .modules
        .iter()
        .filter(|m| m.fan_in + m.fan_out > 0)
        .collect();
    coupled.sort_by(|a, b| {
        (b.fan_in + b.fan_out)
            .cmp(&(a.fan_in + a.fan_out))
            .then(a.path.cmp(&b.path))
    });
    writeln!(out, "\nmost coupled modules (fan-in + fan-out)")?;
    let width = coupled
        .iter()
        .take(TOP)
        .map(|m| m.path.len())
        .max()
        .unwrap_or(0);
    for m in coupled.iter().take(TOP) {
        writeln!(
            out,
            "  {:width$}  fan-in {:>3}  fan-out {:>3}  instability {:.2}",
            m.path, m.fan_in, m.fan_out, m.instability
        )?;
    }
    Ok(())
}

/// The heaviest module edges, each with one example.
fn heaviest_dependencies(r: &AnalysisReport, out: &mut dyn Write) -> io::Result<()> {
    let mut heavy: Vec<&EdgeRow> = r.edges.iter().collect();
    heavy.sort_by(|a, b| {
        b.weight
            .cmp(&a.weight)
            .then((&a.from, &a.to).cmp(&(&b.from, &b.to)))
    });
    writeln!(out, "\nheaviest dependencies")?;
    for e in heavy.iter().take(TOP) {
        writeln!(
            out,
            "  {} -> {}  weight {} ({})",
            e.from,
            e.to,
            e.weight,
            kinds(e)
        )?;
        if let Some(ex) = e.examples.first() {
            evidence(out, ex)?;
        }
    }
    Ok(())
}

/// Module cycles, each with its loop and evidence.
fn cycles(r: &AnalysisReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "\ncycles between modules: {}", r.cycles.len())?;
    for (i, c) in r.cycles.iter().enumerate() {
        let mut loop_path: Vec<&str> = c.hops.iter().map(|(f, _, _)| f.as_str()).collect();
        if let Some((_, to, _)) = c.hops.last() {
            loop_path.push(to);
        }
        writeln!(out, "  {}. {}", i + 1, loop_path.join(" -> "))?;
        if c.modules.len() > c.hops.len() {
            writeln!(
                out,
                "     component of {} modules: {}",
                c.modules.len(),
                c.modules.join(", ")
            )?;
        }
        for (_, _, ex) in &c.hops {
            evidence(out, ex)?;
        }
    }
    Ok(())
}

/// Files no `mod` reaches.
fn orphans(r: &AnalysisReport, out: &mut dyn Write) -> io::Result<()> {
    if !r.orphans.is_empty() {
        writeln!(
            out,
            "\norphan files (no `mod` reaches them; not analysed): {}",
            r.orphans.len()
        )?;
        for o in &r.orphans {
            writeln!(out, "  {o}")?;
        }
    }
    Ok(())
}

/// Files that were skipped, with why.
fn skipped(r: &AnalysisReport, out: &mut dyn Write) -> io::Result<()> {
    if !r.parse_errors.is_empty() || !r.diagnostics.is_empty() {
        writeln!(
            out,
            "\nskipped: {} files that do not parse, {} other problems",
            r.parse_errors.len(),
            r.diagnostics.len()
        )?;
        for d in r.parse_errors.iter().chain(&r.diagnostics) {
            match &d.location {
                Some(l) => writeln!(
                    out,
                    "  {l}: {}[{}]: {}",
                    d.severity.as_str(),
                    d.code,
                    d.message
                )?,
                None => writeln!(out, "  {}[{}]: {}", d.severity.as_str(), d.code, d.message)?,
            }
            if let Some(h) = &d.help {
                writeln!(out, "      help: {h}")?;
            }
        }
    }
    Ok(())
}
