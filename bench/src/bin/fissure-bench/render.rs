//! The harness's output: a table for people, JSON for scripts. Both come from the same rows
//! and the same totals.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use serde_json::{Value, json};

use super::phase::Phase;
use super::{Row, Status};

/// Sums over all rows that finished (a `--many` sweep's headline).
#[derive(Debug, Default)]
pub struct Totals {
    pub targets: usize,
    pub ok: usize,
    pub refused: usize,
    pub panics: usize,
    pub crashes: usize,
    pub timeouts: usize,
    pub files: u64,
    pub lines: u64,
    pub parse_ms: f64,
    pub parse_all_ms: f64,
    pub analyze_ms: f64,
    pub parse_cpu_ms: f64,
    pub analyze_cpu_ms: f64,
    pub max_parse_rss_kb: u64,
    pub max_analyze_rss_kb: u64,
    pub max_analyze_rss_target: String,
    /// `(cpu ratio, target)` of the slowest analysis relative to its parse, among targets
    /// with at least 1,000 lines (below that, fixed costs dominate).
    pub worst_ratio: Option<(f64, String)>,
    pub skipped_by_code: BTreeMap<String, u64>,
    /// Per stage: (wall ms, cpu ms) summed over targets.
    pub stages_ms: BTreeMap<String, (f64, f64)>,
}

pub fn totals(rows: &[Row]) -> Totals {
    let mut t = Totals {
        targets: rows.len(),
        ..Totals::default()
    };
    for r in rows {
        match &r.status {
            Status::Ok => t.ok += 1,
            Status::Error(_) => t.refused += 1,
            Status::Panic(..) => t.panics += 1,
            Status::Crash(..) => t.crashes += 1,
            Status::Timeout(_) => t.timeouts += 1,
        }
        let (Some(p), Some(a)) = (r.parse_time.wall_ms(), r.analyze_time.wall_ms()) else {
            continue;
        };
        t.files += r.num("files");
        t.lines += r.num("lines");
        t.parse_ms += p;
        t.parse_all_ms += r.parse_all_time.wall_ms().unwrap_or(0.0);
        t.analyze_ms += a;
        t.parse_cpu_ms += r.parse_time.cpu_ms().unwrap_or(0.0);
        t.analyze_cpu_ms += r.analyze_time.cpu_ms().unwrap_or(0.0);
        t.max_parse_rss_kb = t.max_parse_rss_kb.max(r.parse_time.peak_rss_kb);
        if r.analyze_time.peak_rss_kb > t.max_analyze_rss_kb {
            t.max_analyze_rss_kb = r.analyze_time.peak_rss_kb;
            t.max_analyze_rss_target = r.name.clone();
        }
        if let Some(ratio) = r.cpu_ratio()
            && r.num("lines") >= 1000
            && t.worst_ratio.as_ref().is_none_or(|(w, _)| ratio > *w)
        {
            t.worst_ratio = Some((ratio, r.name.clone()));
        }
        for s in skipped(r) {
            let code = s["code"].as_str().unwrap_or("?").to_string();
            *t.skipped_by_code.entry(code).or_default() += 1;
        }
        let stages = (r.analyze.as_ref()).and_then(|a| a["stages"].as_object());
        let check = (r.check.as_ref()).map(|c| ("check, worst-case spec".to_string(), &c["check"]));
        for (k, v) in stages
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v))
            .chain(check)
        {
            let e = t.stages_ms.entry(k).or_default();
            e.0 += v["ms"].as_f64().unwrap_or(0.0);
            e.1 += v["cpu_ms"].as_f64().unwrap_or(0.0);
        }
    }
    t
}

fn skipped(r: &Row) -> &[Value] {
    r.analyze
        .as_ref()
        .and_then(|a| a["skipped"].as_array())
        .map_or(&[], |v| v.as_slice())
}

fn mb(kb: u64) -> String {
    format!("{:.1}", kb as f64 / 1024.0)
}

fn opt_ms(ms: Option<f64>) -> String {
    ms.map_or("-".to_string(), |m| format!("{m:.1}"))
}

pub fn status_text(s: &Status) -> String {
    match s {
        Status::Ok => "ok".to_string(),
        Status::Error(m) => format!("refused: {m}"),
        Status::Panic(p, m) => format!("PANIC in {}: {m}", p.as_str()),
        Status::Crash(p, m) => format!("CRASH in {}: {m}", p.as_str()),
        Status::Timeout(p) => format!("TIMEOUT in {}", p.as_str()),
    }
}

fn fmt_ratio(r: Option<f64>) -> String {
    r.map_or("-".to_string(), |x| format!("{x:.2}"))
}

pub fn table(out: &mut dyn Write, rows: &[Row], many: bool) -> io::Result<()> {
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(6).max(6);
    writeln!(
        out,
        "{:<width$} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>5} {:>5} {:>5} {:>8} {:>8} {:>8} {:>5}  status",
        "target",
        "files",
        "lines",
        "floor ms",
        "all ms",
        "anls ms",
        "anlz ms",
        "ratio",
        "r all",
        "cpu x",
        "parse MB",
        "anlz MB",
        "kept MB",
        "skip"
    )?;
    for r in rows {
        let kept = r
            .analyze
            .as_ref()
            .and_then(|a| a["retained_rss_kb"].as_u64())
            .unwrap_or(0);
        writeln!(
            out,
            "{:<width$} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>5} {:>5} {:>5} {:>8} {:>8} {:>8} {:>5}  {}",
            r.name,
            r.num("files"),
            r.num("lines"),
            opt_ms(r.parse_time.wall_ms()),
            opt_ms(r.parse_all_time.wall_ms()),
            opt_ms(r.analysis_time.wall_ms()),
            opt_ms(r.analyze_time.wall_ms()),
            fmt_ratio(r.ratio()),
            fmt_ratio(r.ratio_all()),
            fmt_ratio(r.cpu_ratio()),
            mb(r.parse_time.peak_rss_kb),
            mb(r.analyze_time.peak_rss_kb),
            mb(kept),
            skipped(r).len(),
            status_text(&r.status)
        )?;
    }
    let t = totals(rows);
    if many {
        writeln!(out)?;
        writeln!(
            out,
            "packages {}: ok {}, refused {}, panics {}, crashes {}, timeouts {}",
            t.targets, t.ok, t.refused, t.panics, t.crashes, t.timeouts
        )?;
        writeln!(
            out,
            "total: {} files, {} lines; parse {:.0} ms (cpu {:.0}), analyze {:.0} ms (cpu {:.0}); ratio {} (cpu {})",
            t.files,
            t.lines,
            t.parse_ms,
            t.parse_cpu_ms,
            t.analyze_ms,
            t.analyze_cpu_ms,
            fmt_ratio(super::ratio(Some(t.analyze_ms), Some(t.parse_ms))),
            fmt_ratio(super::ratio(Some(t.analyze_cpu_ms), Some(t.parse_cpu_ms))),
        )?;
        writeln!(
            out,
            "max peak RSS: parse {} MB, analyze {} MB ({})",
            mb(t.max_parse_rss_kb),
            mb(t.max_analyze_rss_kb),
            t.max_analyze_rss_target
        )?;
        if let Some((w, name)) = &t.worst_ratio {
            writeln!(out, "worst cpu ratio (>= 1000 lines): {w:.2} ({name})")?;
        }
        writeln!(out, "skipped by code: {:?}", t.skipped_by_code)?;
    }
    if !t.stages_ms.is_empty() {
        let line: Vec<String> = t
            .stages_ms
            .iter()
            .map(|(k, (wall, cpu))| format!("  {k}: {wall:.1} ms (cpu {cpu:.1} ms)"))
            .collect();
        writeln!(out, "stages:\n{}", line.join("\n"))?;
    }
    let mut failed = rows
        .iter()
        .filter(|r| {
            matches!(
                r.status,
                Status::Panic(..) | Status::Crash(..) | Status::Timeout(_)
            )
        })
        .peekable();
    if failed.peek().is_some() {
        writeln!(out, "\nfailures:")?;
        for r in failed {
            writeln!(out, "  {}: {}", r.name, status_text(&r.status))?;
        }
    }
    let with_skips: Vec<&Row> = rows.iter().filter(|r| !skipped(r).is_empty()).collect();
    if !with_skips.is_empty() {
        writeln!(out, "\nskipped:")?;
        for r in with_skips {
            for s in skipped(r) {
                writeln!(
                    out,
                    "  {}: {} {}:{}:{} {}",
                    r.name,
                    s["code"].as_str().unwrap_or("?"),
                    s["file"].as_str().unwrap_or(""),
                    s["line"],
                    s["column"],
                    s["message"].as_str().unwrap_or("").replace('\n', " ")
                )?;
            }
        }
    }
    Ok(())
}

pub fn json(out: &mut dyn Write, mode: &str, root: &Path, rows: &[Row]) -> io::Result<()> {
    let t = totals(rows);
    let rows_json: Vec<Value> = rows
        .iter()
        .map(|r| {
            let (status, phase, message) = match &r.status {
                Status::Ok => ("ok", None, None),
                Status::Error(m) => ("refused", None, Some(m.clone())),
                Status::Panic(p, m) => ("panic", Some(*p), Some(m.clone())),
                Status::Crash(p, m) => ("crash", Some(*p), Some(m.clone())),
                Status::Timeout(p) => ("timeout", Some(*p), None),
            };
            json!({
                "target": r.name,
                "status": status,
                "failed_phase": phase.map(Phase::as_str),
                "message": message,
                "runs": r.analyze_time.runs(),
                "parse_ms": r.parse_time.wall_ms(),
                "parse_cpu_ms": r.parse_time.cpu_ms(),
                "parse_all_ms": r.parse_all_time.wall_ms(),
                "parse_all_cpu_ms": r.parse_all_time.cpu_ms(),
                "analysis_ms": r.analysis_time.wall_ms(),
                "analysis_cpu_ms": r.analysis_time.cpu_ms(),
                "analyze_ms": r.analyze_time.wall_ms(),
                "analyze_cpu_ms": r.analyze_time.cpu_ms(),
                "ratio": r.ratio(),
                "ratio_all": r.ratio_all(),
                "cpu_ratio": r.cpu_ratio(),
                "parse_peak_rss_kb": r.parse_time.peak_rss_kb,
                "analyze_peak_rss_kb": r.analyze_time.peak_rss_kb,
                "analyze": r.analyze,
                "parse": r.parse,
                "parse_all": r.parse_all,
                "check": r.check,
            })
        })
        .collect();
    let doc = json!({
        "tool": "fissure-bench",
        "format_version": 2,
        "mode": mode,
        "root": root.display().to_string(),
        "cpus": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "targets": rows_json,
        "totals": {
            "targets": t.targets,
            "ok": t.ok,
            "refused": t.refused,
            "panics": t.panics,
            "crashes": t.crashes,
            "timeouts": t.timeouts,
            "files": t.files,
            "lines": t.lines,
            "parse_ms": t.parse_ms,
            "parse_all_ms": t.parse_all_ms,
            "analyze_ms": t.analyze_ms,
            "parse_cpu_ms": t.parse_cpu_ms,
            "analyze_cpu_ms": t.analyze_cpu_ms,
            "ratio": super::ratio(Some(t.analyze_ms), Some(t.parse_ms)),
            "cpu_ratio": super::ratio(Some(t.analyze_cpu_ms), Some(t.parse_cpu_ms)),
            "max_parse_peak_rss_kb": t.max_parse_rss_kb,
            "max_analyze_peak_rss_kb": t.max_analyze_rss_kb,
            "max_analyze_peak_rss_target": t.max_analyze_rss_target,
            "worst_ratio": t.worst_ratio.as_ref().map(|(r, n)| json!({ "ratio": r, "target": n })),
            "skipped_by_code": t.skipped_by_code,
            "stages": t.stages_ms.iter().map(|(k, (w, c))| (k.clone(), json!({ "ms": w, "cpu_ms": c }))).collect::<serde_json::Map<_, _>>(),
        },
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
