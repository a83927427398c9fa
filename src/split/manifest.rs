//! The manifests of a split: each new crate's Cargo.toml (the monolith's dependencies its
//! code names, path dependencies re-pointed, `workspace = true` kept, the edition, features
//! its `cfg`s name), the monolith package's new path dependencies, and the workspace's new
//! members (a `[workspace]` table made when the monolith was a single package). Edits are
//! textual, so the user's manifests keep their comments and layout.

use std::collections::BTreeSet;
use std::path::Path;

use super::Extraction;
use super::edit::relative;

/// The monolith package's manifest, parsed and as text.
pub struct MonolithManifest<'a> {
    /// Relative to the analysed root (`Cargo.toml`, `crates/shop/Cargo.toml`).
    pub path: &'a str,
    pub text: &'a str,
}

/// A new crate's Cargo.toml.
pub fn crate_manifest(
    e: &Extraction,
    monolith: &MonolithManifest<'_>,
    used: &BTreeSet<String>,
    features: &BTreeSet<String>,
    all: &[Extraction],
) -> Result<String, String> {
    let table: toml::Table = monolith
        .text
        .parse()
        .map_err(|e| format!("{}: {e}", monolith.path))?;
    let package = table.get("package").and_then(|p| p.as_table());
    let edition = package.and_then(|p| p.get("edition")).map_or(
        "edition = \"2021\"".to_string(),
        |v| match v {
            toml::Value::Table(_) => "edition.workspace = true".to_string(),
            other => format!("edition = {other}"),
        },
    );
    let mut out = format!(
        "[package]\nname = \"{}\"\nversion = \"0.1.0\"\n{edition}\npublish = false\ndescription = \"Split out of the monolith by fissure split\"\n",
        e.crate_name
    );
    let monolith_dir = Path::new(monolith.path).parent().unwrap_or(Path::new(""));
    out.push_str("\n[dependencies]\n");
    for d in &e.depends_on {
        if let Some(dep) = all.iter().find(|x| &x.crate_name == d) {
            let path = relative(Path::new(&e.folder), Path::new(&dep.folder));
            out.push_str(&format!("{d} = {{ path = \"{path}\" }}\n"));
        }
    }
    for section in ["dependencies", "dev-dependencies"] {
        let Some(deps) = table.get(section).and_then(|d| d.as_table()) else {
            continue;
        };
        let lines = dependency_lines(deps, used, monolith_dir, &e.folder);
        if section == "dev-dependencies" && !lines.is_empty() {
            out.push_str("\n[dev-dependencies]\n");
        }
        out.push_str(&lines);
    }
    // Platform dependencies (`[target.'cfg(unix)'.dependencies]`) the code uses.
    if let Some(targets) = table.get("target").and_then(|t| t.as_table()) {
        for (cfg, spec) in targets {
            let Some(deps) = spec.get("dependencies").and_then(|d| d.as_table()) else {
                continue;
            };
            let lines = dependency_lines(deps, used, monolith_dir, &e.folder);
            if !lines.is_empty() {
                out.push_str(&format!("\n[target.'{cfg}'.dependencies]\n{lines}"));
            }
        }
    }
    if !features.is_empty() {
        out.push_str("\n[features]\n");
        for f in features {
            out.push_str(&format!("{f} = []\n"));
        }
    }
    Ok(out)
}

/// The entries of `deps` whose library name the code uses, path dependencies re-pointed from
/// the monolith's folder to the new crate's.
fn dependency_lines(
    deps: &toml::Table,
    used: &BTreeSet<String>,
    from_dir: &Path,
    to_dir: &str,
) -> String {
    let mut out = String::new();
    for (name, spec) in deps {
        let lib = spec
            .get("package")
            .and_then(|p| p.as_str())
            .map_or(name.as_str(), |_| name.as_str())
            .replace('-', "_");
        if !used.contains(&lib) {
            continue;
        }
        let mut spec = spec.clone();
        if let Some(path) = spec.get("path").and_then(|p| p.as_str()) {
            let target = from_dir.join(path);
            let new_path = relative(Path::new(to_dir), &target);
            if let Some(t) = spec.as_table_mut() {
                t.insert("path".into(), toml::Value::String(new_path));
            }
        }
        let value = match &spec {
            toml::Value::Table(t) => inline(t),
            other => other.to_string(),
        };
        out.push_str(&format!("{name} = {value}\n"));
    }
    out
}

fn inline(t: &toml::Table) -> String {
    let parts: Vec<String> = t.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    format!("{{ {} }}", parts.join(", "))
}

/// The monolith's manifest with a path dependency on each new crate.
pub fn monolith_manifest(monolith: &MonolithManifest<'_>, extracted: &[Extraction]) -> String {
    let dir = Path::new(monolith.path).parent().unwrap_or(Path::new(""));
    let lines: String = (extracted.iter())
        .map(|e| {
            let path = relative(dir, Path::new(&e.folder));
            format!("{} = {{ path = \"{path}\" }}\n", e.crate_name)
        })
        .collect();
    insert_in_table(monolith.text, "dependencies", &lines)
}

/// The workspace root manifest with the new crates as members; a `[workspace]` table is made
/// when there is none.
pub fn workspace_manifest(text: &str, extracted: &[Extraction]) -> String {
    let folders: Vec<String> = extracted
        .iter()
        .map(|e| format!("\"{}\"", e.folder))
        .collect();
    let has_workspace = text.lines().any(|l| l.trim() == "[workspace]");
    if !has_workspace {
        return format!(
            "{}\n[workspace]\nmembers = [\".\", {}]\n",
            text.trim_end(),
            folders.join(", ")
        );
    }
    let members_line = text
        .lines()
        .position(|l| l.trim_start().starts_with("members") && l.contains('['));
    match members_line {
        Some(_) => {
            let at = text.find("members").unwrap_or(0);
            let open = at + text[at..].find('[').unwrap_or(0);
            format!(
                "{}[{}, {}",
                &text[..open],
                folders.join(", "),
                &text[open + 1..]
            )
        }
        None => {
            let extra = format!("members = [{}]\n", folders.join(", "));
            insert_in_table(text, "workspace", &extra)
        }
    }
}

/// `text` with `lines` added right after the `[table]` header (the table made at the end
/// when missing).
fn insert_in_table(text: &str, table: &str, lines: &str) -> String {
    let header = format!("[{table}]");
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        at += line.len();
        if line.trim() == header {
            return format!("{}{lines}{}", &text[..at], &text[at..]);
        }
    }
    format!("{}\n\n{header}\n{lines}", text.trim_end())
}
