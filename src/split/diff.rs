//! The split as a unified diff (`--dry-run`): a moved file is one rename with the changes to
//! its paths, as `git diff -M` would show it.

use std::collections::BTreeMap;
use std::fmt::Write;

use similar::TextDiff;

use super::edit::FileEdit;

pub fn unified_diff(edits: &[FileEdit], texts: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let renamed: Vec<&str> = edits
        .iter()
        .filter_map(|e| e.moved_from.as_deref())
        .collect();
    for e in edits {
        let old_path = e.moved_from.as_deref().unwrap_or(&e.path);
        let old = texts.get(old_path).map_or("", String::as_str);
        match &e.content {
            None if renamed.contains(&e.path.as_str()) => {}
            None => {
                let diff = TextDiff::from_lines(old, "");
                let _ = write!(
                    out,
                    "{}",
                    diff.unified_diff()
                        .header(&format!("a/{}", e.path), "/dev/null")
                );
            }
            Some(new) => {
                let from = if texts.contains_key(old_path) {
                    format!("a/{old_path}")
                } else {
                    "/dev/null".to_string()
                };
                if e.moved_from.is_some() {
                    let _ = writeln!(out, "rename from {old_path}\nrename to {}", e.path);
                }
                if old == new {
                    continue;
                }
                let diff = TextDiff::from_lines(old, new.as_str());
                let to = format!("b/{}", e.path);
                let _ = write!(
                    out,
                    "{}",
                    diff.unified_diff().context_radius(3).header(&from, &to)
                );
            }
        }
    }
    out
}
