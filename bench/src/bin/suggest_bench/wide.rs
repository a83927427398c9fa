//! `suggest-bench wide N...`: the suggestion's scaling in one wide module. For each N it
//! writes a crate whose one module holds N one-line fns (each calling the one before, so
//! the reference layer is not empty) into a temporary folder, runs `fissure::app::analyze`
//! with a stage timer and prints the analysis and the suggestion times, and how much the
//! suggestion grew against the previous N (2.0 per doubling is linear).

use std::fmt::Write;
use std::path::Path;

use bench::{ANALYSIS, StageTimer};
use fissure::app::{self, AnalyzeConfig, Stage};

/// The crate: `wide::items` holds `n` fns.
pub fn write_wide_crate(root: &Path, n: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(root.join("src"))?;
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"wide\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )?;
    std::fs::write(root.join("src/lib.rs"), "pub mod items;\n")?;
    std::fs::write(root.join("src/items.rs"), wide_module(n))
}

/// `n` one-line fns, `f{i}` calling `f{i-1}`.
pub fn wide_module(n: usize) -> String {
    let mut text = String::with_capacity(n * 48);
    for i in 0..n {
        if i == 0 {
            text.push_str("pub fn f0(x: u32) -> u32 { x }\n");
        } else {
            let _ = writeln!(text, "pub fn f{i}(x: u32) -> u32 {{ f{}(x) + 1 }}", i - 1);
        }
    }
    text
}

/// Runs the scaling case for every size in `args` (default 12,500, 25,000, 50,000).
pub fn wide(args: &[String]) -> Result<(), String> {
    let sizes: Vec<usize> = if args.is_empty() {
        vec![12_500, 25_000, 50_000]
    } else {
        (args.iter())
            .map(|a| a.parse().map_err(|_| format!("not a size: {a}")))
            .collect::<Result<_, _>>()?
    };
    let mut previous: Option<f64> = None;
    for n in sizes {
        let dir =
            tempfile::tempdir().map_err(|e| format!("cannot make a temporary folder: {e}"))?;
        write_wide_crate(dir.path(), n).map_err(|e| format!("cannot write the crate: {e}"))?;
        let config = AnalyzeConfig::plain(dir.path(), false);
        let mut timer = StageTimer::default();
        let outcome = app::analyze(&config, &mut timer).map_err(|f| f.to_string())?;
        let analyze = timer.total(&ANALYSIS);
        let suggest = timer.total(&[Stage::Suggest]);
        let growth = match previous {
            Some(p) if p > 0.0 => format!(", x{:.2} the previous", suggest.cpu_ms / p),
            _ => String::new(),
        };
        println!(
            "{n} fns: {} items; analyze {:.0} ms (cpu {:.0}), suggest {:.0} ms (cpu {:.0}{growth})",
            outcome.analysis.resolution.items.len(),
            analyze.wall_ms,
            analyze.cpu_ms,
            suggest.wall_ms,
            suggest.cpu_ms,
        );
        previous = Some(suggest.cpu_ms);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::wide_module;

    #[test]
    fn the_wide_module_has_one_fn_a_line_each_calling_the_one_before() {
        let text = wide_module(3);
        assert_eq!(
            text,
            "pub fn f0(x: u32) -> u32 { x }\n\
             pub fn f1(x: u32) -> u32 { f0(x) + 1 }\n\
             pub fn f2(x: u32) -> u32 { f1(x) + 1 }\n"
        );
    }
}
