//! Workspace membership: `members` globs expanded against the disk, `exclude` applied, and
//! lexical path normalisation shared by the rest of discovery.

use std::path::{Component, Path, PathBuf};

/// Expands one `members` entry relative to `root` into existing folders, sorted. A segment
/// may hold `*` (any characters), `?` (one character) and `[abc]`/`[a-z]` classes; a whole
/// `**` segment matches any number of folders. Hidden folders match only a pattern that
/// itself starts with a dot, as in shells.
pub(crate) fn expand_member(root: &Path, pattern: &str) -> Vec<PathBuf> {
    let segments: Vec<&str> = pattern
        .split(['/', '\\'])
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    let mut found = Vec::new();
    expand_from(root.to_path_buf(), &segments, &mut found);
    found.sort();
    found.dedup();
    found
}

pub(crate) fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

fn expand_from(dir: PathBuf, segments: &[&str], found: &mut Vec<PathBuf>) {
    let Some((first, rest)) = segments.split_first() else {
        if dir.is_dir() {
            found.push(dir);
        }
        return;
    };
    if *first == "**" {
        expand_from(dir.clone(), rest, found);
        // `**` recurses, so it must not follow symlinks: a link to an ancestor would loop.
        for child in child_dirs(&dir, first) {
            if !child.is_symlink() {
                expand_from(child, segments, found);
            }
        }
    } else if is_glob(first) {
        for child in child_dirs(&dir, first) {
            let matches = child
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|name| glob_match(first, name));
            if matches {
                expand_from(child, rest, found);
            }
        }
    } else {
        expand_from(dir.join(first), rest, found);
    }
}

/// Sub-folders of `dir` a segment may descend into; `target` is a build folder, never a member.
fn child_dirs(dir: &Path, pattern: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let hidden_ok = !name.starts_with('.') || pattern.starts_with('.');
            hidden_ok && name != "target" && entry.path().is_dir()
        })
        .map(|entry| entry.path())
        .collect();
    dirs.sort();
    dirs
}

/// Matches one path segment against a shell-style pattern (`*`, `?`, `[..]`, `[!..]`).
pub(crate) fn glob_match(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    match_from(&pattern, &name)
}

fn match_from(pattern: &[char], name: &[char]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some(('*', rest)) => (0..=name.len()).any(|skip| match_from(rest, &name[skip..])),
        Some(('?', rest)) => !name.is_empty() && match_from(rest, &name[1..]),
        Some(('[', rest)) => match (parse_class(rest), name.split_first()) {
            (Some((class, after)), Some((c, name_rest))) => {
                class.matches(*c) && match_from(after, name_rest)
            }
            // An unclosed `[` is a literal character.
            (None, Some(('[', name_rest))) => match_from(rest, name_rest),
            _ => false,
        },
        Some((literal, rest)) => name
            .split_first()
            .is_some_and(|(c, name_rest)| c == literal && match_from(rest, name_rest)),
    }
}

struct CharClass {
    negated: bool,
    ranges: Vec<(char, char)>,
}

impl CharClass {
    fn matches(&self, c: char) -> bool {
        self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != self.negated
    }
}

/// Parses the inside of `[...]` (after the `[`); returns the class and the rest of the pattern.
fn parse_class(pattern: &[char]) -> Option<(CharClass, &[char])> {
    let (negated, mut i) = match pattern.first() {
        Some('!') | Some('^') => (true, 1),
        _ => (false, 0),
    };
    let mut ranges = Vec::new();
    let mut first = true;
    while i < pattern.len() {
        let c = pattern[i];
        if c == ']' && !first {
            return Some((CharClass { negated, ranges }, &pattern[i + 1..]));
        }
        first = false;
        if pattern.get(i + 1) == Some(&'-') && pattern.get(i + 2).is_some_and(|&e| e != ']') {
            ranges.push((c, pattern[i + 2]));
            i += 3;
        } else {
            ranges.push((c, c));
            i += 1;
        }
    }
    None
}

/// Removes `.` and folds `..` without touching the disk (exclude paths may not exist).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn segment_globs() {
        assert!(glob_match("*", "billing"));
        assert!(glob_match("bill*", "billing"));
        assert!(!glob_match("bill*", "orders"));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "ac"));
        assert!(glob_match("svc-[ab]", "svc-a"));
        assert!(!glob_match("svc-[ab]", "svc-c"));
        assert!(glob_match("svc-[!ab]", "svc-c"));
        assert!(glob_match("v[0-9]", "v7"));
        assert!(glob_match("*-core", "orders-core"));
        assert!(!glob_match("*-core", "orders-api"));
    }
}
