//! The draft `fissure.yaml` written by `fissure analyze --emit-spec`: the suggested domains
//! with their modules and tables, the shared kernel, and the event candidates with their
//! fields and subscribers. Evidence goes into comments, so the draft validates as written
//! and the user edits names and moves modules from there. Same suggestion, same bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::DomainSuggestion;

/// A YAML scalar, double-quoted when a plain scalar could be misread.
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '*' | '-' | '.'))
        && !s.starts_with(['*', '-', ':', '.'])
        && !s.ends_with(':');
    if plain {
        s.to_owned()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// A system name from the analysed folder: snake_case, never empty.
pub fn system_name(root: &str) -> String {
    let last = root
        .trim_end_matches(['/', '\\'])
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("");
    let mut name = snake_chars(last);
    while name.contains("__") {
        name = name.replace("__", "_");
    }
    let name = name.trim_matches('_').to_owned();
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        format!("system_{name}").trim_end_matches('_').to_owned()
    } else {
        name
    }
}

/// `s` lowercased, every character but ASCII letters and digits made `_`.
pub(super) fn snake_chars(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// Renders the draft spec of `suggestion` for the system `system`.
pub fn draft_spec(system: &str, s: &DomainSuggestion) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Draft written by `fissure analyze --emit-spec` (resolution {:.3}, seed {}).",
        s.resolution, s.seed
    );
    out.push_str(
        "# The domains are suggestions: rename them, move modules, and turn the event\n\
         # candidates into the facts your domains really publish. Then run `fissure validate`.\n",
    );
    out.push_str("version: 1\n");
    let _ = writeln!(out, "system: {}", scalar(system));
    if s.kernel.is_empty() {
        out.push_str("shared: []\n");
    } else {
        out.push_str("shared:\n");
        for k in &s.kernel {
            let _ = writeln!(out, "  - {}  # {}", scalar(&k.module), k.why);
        }
    }
    write_domains(&mut out, s);
    write_events(&mut out, s);
    out
}

/// `domains:`, sorted by name: each with its evidence as a comment, its modules, tables and
/// the events it subscribes to.
fn write_domains(out: &mut String, s: &DomainSuggestion) {
    let mut subscriptions: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for e in &s.events {
        for sub in &e.subscribers {
            subscriptions
                .entry(sub.as_str())
                .or_default()
                .insert(e.name.as_str());
        }
    }
    if s.domains.is_empty() {
        out.push_str("domains: {}\n");
    } else {
        out.push_str("domains:\n");
    }
    for d in sorted_by_name(&s.domains, |d| &d.name) {
        let _ = writeln!(out, "  {}:", d.name);
        let _ = writeln!(
            out,
            "    # {} items, confidence {:.2}, {} crossing references; top types: {}",
            d.items,
            d.confidence,
            d.crossings,
            if d.top_types.is_empty() {
                "-".to_owned()
            } else {
                d.top_types.join(", ")
            }
        );
        if d.modules.is_empty() {
            out.push_str("    modules: []\n");
        } else {
            out.push_str("    modules:\n");
            for m in &d.modules {
                let _ = writeln!(out, "      - {}", scalar(m));
            }
        }
        if !d.tables.is_empty() {
            let tables: Vec<String> = d.tables.iter().map(|t| scalar(t)).collect();
            let _ = writeln!(out, "    tables: [{}]", tables.join(", "));
        }
        if let Some(events) = subscriptions.get(d.name.as_str()) {
            let events: Vec<&str> = events.iter().copied().collect();
            let _ = writeln!(out, "    subscribes: [{}]", events.join(", "));
        }
    }
}

/// `events:`, sorted by name: each candidate with the calls it replaces as a comment, its
/// owner, key and fields.
fn write_events(out: &mut String, s: &DomainSuggestion) {
    if s.events.is_empty() {
        out.push_str("events: {}\n");
        return;
    }
    out.push_str("events:\n");
    for e in sorted_by_name(&s.events, |e| &e.name) {
        let _ = writeln!(out, "  {}:", e.name);
        let _ = writeln!(
            out,
            "    # replaces calls to {} ({}) from {} place(s)",
            e.callee,
            e.reason,
            e.call_sites.len()
        );
        let _ = writeln!(out, "    from: {}", e.owner);
        out.push_str("    version: 1\n");
        let key = e
            .fields
            .iter()
            .find(|f| f.name == "id" || f.name.ends_with("_id"))
            .or_else(|| e.fields.first());
        if let Some(key) = key {
            let _ = writeln!(out, "    key: {}", key.name);
        }
        if e.fields.is_empty() {
            out.push_str("    fields: {}\n");
            continue;
        }
        out.push_str("    fields:\n");
        for f in &e.fields {
            match &f.note {
                Some(note) => {
                    let _ = writeln!(out, "      {}: {}  # {}", f.name, f.ty, note);
                }
                None => {
                    let _ = writeln!(out, "      {}: {}", f.name, f.ty);
                }
            }
        }
    }
}

/// `items` in the order of their names (stable: equal names keep their order).
fn sorted_by_name<T>(items: &[T], name: impl Fn(&T) -> &String) -> Vec<&T> {
    let mut sorted: Vec<&T> = items.iter().collect();
    sorted.sort_by(|a, b| name(a).cmp(name(b)));
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_names() {
        assert_eq!(system_name("fixtures/shop"), "shop");
        assert_eq!(system_name("/x/zero-to-production/"), "zero_to_production");
        assert_eq!(system_name("."), "system");
        assert_eq!(system_name("/tmp/9lives"), "system_9lives");
    }

    #[test]
    fn scalars_are_quoted_when_needed() {
        assert_eq!(scalar("shop::orders"), "shop::orders");
        assert_eq!(scalar("a b"), "\"a b\"");
        assert_eq!(scalar("*x"), "\"*x\"");
    }
}
