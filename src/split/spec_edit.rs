//! fissure.yaml after the split: every module pattern (and `public` item, lint exception)
//! under a moved top module is rewritten to the new crate's path, in place, so comments and
//! layout stay and `fissure check` judges the same code the same way.

use super::SplitPlan;

/// `spec` with `<monolith>::<top>` rewritten to `<crate>` (a crate made of one top module)
/// or `<crate>::<top>`, outside comments, wherever the prefix ends at a segment boundary.
pub fn rewrite(spec: &str, plan: &SplitPlan) -> String {
    let Some(monolith) = &plan.monolith else {
        return spec.to_string();
    };
    let mut renames: Vec<(String, String)> = Vec::new();
    for e in &plan.extracted {
        for m in &e.modules {
            let top = m.rsplit("::").next().unwrap_or(m);
            let new = if e.modules.len() == 1 {
                e.crate_name.clone()
            } else {
                format!("{}::{top}", e.crate_name)
            };
            renames.push((format!("{}::{top}", monolith.crate_name), new));
        }
    }
    spec.split_inclusive('\n')
        .map(|line| {
            let code_end = comment_start(line).unwrap_or(line.len());
            let (code, comment) = line.split_at(code_end);
            format!("{}{comment}", rename_in(code, &renames))
        })
        .collect()
}

/// Where a YAML comment starts (a `#` at the start or after a space, outside quotes).
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return Some(i),
            None => {}
        }
        prev = c;
    }
    None
}

fn rename_in(code: &str, renames: &[(String, String)]) -> String {
    let mut out = code.to_string();
    for (old, new) in renames {
        let mut from = 0;
        while let Some(found) = out[from..].find(old.as_str()) {
            let at = from + found;
            let end = at + old.len();
            let before_ok = at == 0 || !is_path_char(out[..at].chars().next_back().unwrap_or(' '));
            let after_ok = !out[end..].starts_with(|c: char| c.is_alphanumeric() || c == '_');
            if before_ok && after_ok {
                out.replace_range(at..end, new);
                from = at + new.len();
            } else {
                from = end;
            }
        }
    }
    out
}

fn is_path_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == ':'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_whole_segments_outside_comments() {
        let renames = vec![("garage::billing".to_string(), "garage_billing".to_string())];
        assert_eq!(
            rename_in(
                "modules: [garage::billing, garage::billing::**, garage::billings]",
                &renames
            ),
            "modules: [garage_billing, garage_billing::**, garage::billings]"
        );
        assert_eq!(comment_start("  - a # garage::billing"), Some(6));
        assert_eq!(comment_start("  - \"a#b\""), None);
    }
}
