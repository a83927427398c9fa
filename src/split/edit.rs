//! The edit a plan makes, as whole files: every moved file at its new place with its paths
//! rewritten, the new crates' roots and manifests, the monolith's `mod x;` turned into a
//! re-export of the new crate, the manifests and the spec. Pure: the texts in, the files out;
//! `apply.rs` writes them.
//!
//! Paths inside moved code mostly stay as written: the new crate's root gets an alias for
//! every name its code reaches through `crate::` (`use garage_kernel as kernel;`, and `use
//! crate as billing;` for the domain's own top module), so `crate::kernel::money::Money` still
//! means the same item. Only what cannot be aliased is rewritten: `super::` paths that climbed
//! out of the domain's top module (to `crate`), relative file literals (`#[path]`,
//! `include_str!`) and the visibility of widened items.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use crate::syntax::sites::{Sites, sites};

use super::{Extraction, SplitPlan};

/// One file of the edit, relative to the analysed root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdit {
    pub path: String,
    /// The new content; `None` deletes the file.
    pub content: Option<String>,
    /// The file this one was moved from (for the diff's rename header).
    pub moved_from: Option<String>,
}

/// What the edit needs to know about the analysed code beyond the plan.
pub struct Inputs<'a> {
    /// Every text the edit may read or change, by path relative to the root.
    pub texts: &'a BTreeMap<String, String>,
    /// For each moved file: how deep its module sits below its unit's top (0 for the top).
    pub depths: &'a BTreeMap<String, u32>,
    /// For each extraction's top module: its name and the file (relative) that declares it.
    pub declared_in: &'a BTreeMap<String, (String, String)>,
}

/// A problem that stops the edit (the file is named in it).
pub type EditError = String;

/// The edit of the work tree for `plan`: files to write, and files to delete.
pub fn edit(plan: &SplitPlan, inputs: &Inputs<'_>) -> Result<Vec<FileEdit>, EditError> {
    let mut out: BTreeMap<String, FileEdit> = BTreeMap::new();
    let moved: BTreeMap<&str, &str> = (plan.extracted.iter())
        .flat_map(|e| e.files.iter().map(|f| (f.from.as_str(), f.to.as_str())))
        .collect();
    for e in &plan.extracted {
        for (path, content, from) in moved_files(plan, e, inputs, &moved)? {
            out.insert(
                path.clone(),
                FileEdit {
                    path,
                    content: Some(content),
                    moved_from: from,
                },
            );
        }
        for f in &e.files {
            out.entry(f.from.clone()).or_insert(FileEdit {
                path: f.from.clone(),
                content: None,
                moved_from: None,
            });
        }
    }
    let mut declaring: BTreeMap<&str, String> = BTreeMap::new();
    for e in &plan.extracted {
        for m in &e.modules {
            let (name, file) = inputs
                .declared_in
                .get(m)
                .ok_or(format!("no declaration of `{m}`"))?;
            let text = declaring
                .entry(file.as_str())
                .or_insert_with(|| inputs.texts.get(file).cloned().unwrap_or_default());
            *text =
                reexport(text, name, e).ok_or(format!("{file}: no `mod {name};` to replace"))?;
        }
    }
    for (file, text) in declaring {
        out.insert(
            file.to_string(),
            FileEdit {
                path: file.to_string(),
                content: Some(text),
                moved_from: None,
            },
        );
    }
    Ok(out.into_values().collect())
}

fn parse(path: &str, text: &str) -> Result<Sites, EditError> {
    sites(text).map_err(|f| format!("{path}:{}:{}: {}", f.pos.line, f.pos.column, f.message))
}

/// The moved files of `e` with their new content, and the generated root of a crate of
/// several top modules.
fn moved_files(
    plan: &SplitPlan,
    e: &Extraction,
    inputs: &Inputs<'_>,
    moved: &BTreeMap<&str, &str>,
) -> Result<Vec<(String, String, Option<String>)>, EditError> {
    let single = e.modules.len() == 1;
    let tops: Vec<String> = e
        .modules
        .iter()
        .map(|m| last_segment(m).to_string())
        .collect();
    let mut names_used: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    let mut root_index = None;
    for f in &e.files {
        let text = inputs
            .texts
            .get(&f.from)
            .ok_or(format!("{}: not read", f.from))?;
        let found = parse(&f.from, text)?;
        names_used.extend(found.crate_paths.iter().map(|c| c.name.clone()));
        let depth = inputs.depths.get(&f.from).copied().unwrap_or(0);
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for s in &found.super_paths {
            if s.count > depth + s.depth {
                names_used.extend(s.next.clone());
                if single {
                    edits.push((s.range.clone(), "crate".to_string()));
                }
            }
        }
        for lit in &found.literals {
            let old_target = parent(&f.from).join(&lit.value);
            let target = normal(&old_target);
            let target_now = moved
                .get(target.as_str())
                .map_or(target.clone(), |t| t.to_string());
            let new_value = relative(&parent(&f.to), Path::new(&target_now));
            if new_value != lit.value {
                edits.push((lit.range.clone(), format!("{new_value:?}")));
            }
        }
        // Everything the unit made visible to the whole crate (methods and fields too,
        // which the analysis does not follow) becomes `pub`: the monolith may use it.
        for r in &found.restricted {
            if r.inner == "crate" || (r.inner == "super" && depth + r.depth == 0) {
                edits.push((r.range.clone(), "pub".to_string()));
            }
        }
        for w in e.widened.iter().filter(|w| w.file == f.from) {
            if let Some(edit) = widen_at(text, w.line, w.column)
                && !edits
                    .iter()
                    .any(|(r, _)| r.start <= edit.0.start && edit.0.start < r.end.max(r.start + 1))
            {
                edits.push(edit);
            }
        }
        if single && f.to.ends_with("/src/lib.rs") {
            root_index = Some(out.len());
        }
        out.push((f.to.clone(), apply(text, edits), Some(f.from.clone())));
    }
    let aliases = aliases(plan, e, &tops, &names_used);
    match root_index {
        Some(i) => out[i].1 = with_aliases(&out[i].1, &aliases),
        None => {
            let mut lib = format!(
                "//! `{}`, split out of the monolith by `fissure split`.\n\n",
                e.crate_name
            );
            for top in &tops {
                lib.push_str(&format!("pub mod {top};\n"));
            }
            out.push((
                format!("{}/src/lib.rs", e.folder),
                with_aliases(&lib, &aliases),
                None,
            ));
        }
    }
    Ok(out)
}

/// `use` lines the new crate's root needs so that `crate::<name>` keeps its meaning.
fn aliases(
    plan: &SplitPlan,
    e: &Extraction,
    tops: &[String],
    used: &BTreeSet<String>,
) -> Vec<String> {
    let mut out = Vec::new();
    for name in used {
        if tops.len() == 1 && tops.contains(name) {
            out.push(format!("use crate as {name};"));
            continue;
        }
        let other = (plan.extracted.iter())
            .filter(|o| e.depends_on.contains(&o.crate_name))
            .find(|o| o.modules.iter().any(|m| last_segment(m) == name));
        if let Some(o) = other {
            out.push(if o.modules.len() == 1 {
                format!("use {} as {name};", o.crate_name)
            } else {
                format!("use {}::{name};", o.crate_name)
            });
        }
    }
    out
}

/// `text` with the alias lines after its inner doc comments and attributes.
fn with_aliases(text: &str, aliases: &[String]) -> String {
    if aliases.is_empty() {
        return text.to_string();
    }
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("//!") || t.starts_with("#![") || (t.is_empty() && at > 0) {
            at += line.len();
        } else {
            break;
        }
    }
    let mut block =
        String::from("// Paths through `crate::` keep their meaning in the split crate.\n");
    for a in aliases {
        block.push_str("#[allow(unused_imports)]\n");
        block.push_str(a);
        block.push('\n');
    }
    block.push('\n');
    format!("{}{block}{}", &text[..at], &text[at..])
}

/// The monolith file that declared `mod name;` with the declaration turned into a re-export
/// of the new crate, keeping its visibility.
fn reexport(text: &str, name: &str, e: &Extraction) -> Option<String> {
    let found = sites(text).ok()?;
    let site = found.mods.iter().find(|m| m.name == name && m.depth == 0)?;
    let vis = if site.vis.is_empty() {
        String::new()
    } else {
        format!("{} ", site.vis)
    };
    let line = if e.modules.len() == 1 {
        format!("{vis}use {} as {name};", e.crate_name)
    } else {
        format!("{vis}use {}::{name};", e.crate_name)
    };
    Some(apply(text, vec![(site.range.clone(), line)]))
}

/// The visibility of the item named at `line:column` made `pub`: `pub(crate)` and the like
/// replaced, or `pub ` inserted before the item's keywords.
fn widen_at(text: &str, line: u32, column: u32) -> Option<(std::ops::Range<usize>, String)> {
    let start = text
        .split_inclusive('\n')
        .take(line as usize - 1)
        .map(str::len)
        .sum::<usize>();
    let name_at = start + text[start..].char_indices().nth(column as usize - 1)?.0;
    let mut head = text[..name_at].trim_end();
    const KEYWORDS: &[&str] = &[
        "fn", "struct", "enum", "union", "trait", "type", "const", "static", "mod", "async",
        "unsafe", "mut", "extern",
    ];
    while let Some(k) = KEYWORDS.iter().find(|k| {
        head.ends_with(*k)
            && !head[..head.len() - k.len()].ends_with(|c: char| c.is_alphanumeric() || c == '_')
    }) {
        head = head[..head.len() - k.len()].trim_end();
    }
    if head.ends_with(')') {
        let open = head.rfind("pub(")?;
        return Some((open..head.len(), "pub".to_string()));
    }
    if head.ends_with("pub") {
        return None;
    }
    let at = head.len() + text[head.len()..].len() - text[head.len()..].trim_start().len();
    Some((at..at, "pub ".to_string()))
}

/// `text` with the byte ranges replaced (ranges do not overlap).
fn apply(text: &str, mut edits: Vec<(std::ops::Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    for (range, with) in edits {
        out.replace_range(range, &with);
    }
    out
}

fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

fn parent(path: &str) -> PathBuf {
    Path::new(path)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `a/b/../c` as `a/c`, with `/`.
fn normal(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::ParentDir if parts.pop().is_none() => parts.push("..".into()),
            Component::ParentDir => {}
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

/// The relative path from the folder `from` to `to` (both relative to the same root).
pub fn relative(from: &Path, to: &Path) -> String {
    let from = normal(from);
    let to = normal(to);
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_then_descend() {
        assert_eq!(
            relative(
                Path::new("domains/billing/src"),
                Path::new("src/billing/terms.txt")
            ),
            "../../../src/billing/terms.txt"
        );
        assert_eq!(
            relative(Path::new("src/billing"), Path::new("src/billing/terms.txt")),
            "terms.txt"
        );
    }

    #[test]
    fn widening_replaces_a_restricted_visibility_or_adds_pub() {
        let text = "pub(crate) fn total() {}\nstruct S;\npub(super) const fn k() {}\n";
        assert_eq!(widen_at(text, 1, 15), Some((0..10, "pub".into())));
        assert_eq!(widen_at(text, 2, 8), Some((25..25, "pub ".into())));
        assert_eq!(
            widen_at(text, 3, 21).map(|(r, _)| &text[r]),
            Some("pub(super)")
        );
    }
}
