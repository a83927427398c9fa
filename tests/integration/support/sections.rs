//! A pretty-printed JSON report cut into sections small enough to review, for snapshots: one
//! per top-level key, and a long array cut further into runs of elements that share a
//! subject (the first string field's module, two segments deep, three where two leave a long
//! run; or its folder). The cut is on lines of the text as
//! printed, so the sections, concatenated in order, are the report byte for byte.

/// Arrays longer than this many lines are cut into runs of elements.
const LONG: usize = 300;

/// `(name, text)` for each section, in order; the names are unique and safe in file names.
pub fn sections(report: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = report.split_inclusive('\n').collect();
    let mut out: Vec<(String, String)> = Vec::new();
    for (key, range) in runs(&lines, 2, |line| top_level_key(line).map(str::to_owned)) {
        let section = &lines[range];
        if section.len() > LONG && section[0].trim_end().ends_with('[') {
            for (coarse, sub) in runs(section, 4, |e| subject(e, 2)) {
                let run = &section[sub];
                if run.len() <= LONG {
                    push(&mut out, format!("{key}__{coarse}"), run);
                    continue;
                }
                for (finer, sub) in runs(run, 4, |e| subject(e, 3)) {
                    push(&mut out, format!("{key}__{finer}"), &run[sub]);
                }
            }
        } else {
            push(&mut out, key, section);
        }
    }
    out
}

fn push(out: &mut Vec<(String, String)>, name: String, lines: &[&str]) {
    let taken = |n: &str| out.iter().any(|(other, _)| other == n);
    let mut unique = name.clone();
    let mut i = 2;
    while taken(&unique) {
        unique = format!("{name}_{i}");
        i += 1;
    }
    out.push((unique, lines.concat()));
}

/// Consecutive runs of lines: a run starts at a line indented `indent` spaces (not a closing
/// bracket) whose name (`name_of` the run's lines) differs from the run before. The lines
/// before the first start join the first run, and the closing lines join the last.
fn runs(
    lines: &[&str],
    indent: usize,
    name_of: impl Fn(&str) -> Option<String>,
) -> Vec<(String, std::ops::Range<usize>)> {
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| starts_element(lines[i], indent))
        .collect();
    let mut out: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(lines.len());
        let element = lines[start..end].concat();
        let name = name_of(&element).unwrap_or_else(|| "other".to_owned());
        match out.last_mut() {
            Some((last, range)) if *last == name => range.end = end,
            _ => out.push((name, start..end)),
        }
    }
    match out.first_mut() {
        Some((_, range)) => range.start = 0,
        None => out.push(("all".to_owned(), 0..lines.len())),
    }
    out
}

fn starts_element(line: &str, indent: usize) -> bool {
    let rest = &line[line.len() - line.trim_start().len()..];
    line.len() - rest.len() == indent && !rest.starts_with(']') && !rest.starts_with('}')
}

/// `"key"` of a line `  "key": ...` (a top-level key of a report indented by two).
fn top_level_key(line: &str) -> Option<&str> {
    line.strip_prefix("  \"")?.split('"').next()
}

/// What an array element is about: its first string field, cut to a module of `depth`
/// segments (`a::b`) or a folder (`crates/x/src`), as a file-name-safe name.
fn subject(element: &str, depth: usize) -> Option<String> {
    let value = element
        .lines()
        .find_map(|l| {
            l.split_once("\": \"")
                .map(|(_, v)| v.trim_end_matches([',', '"']))
        })
        .or_else(|| {
            element
                .trim()
                .strip_prefix('"')
                .map(|v| v.trim_end_matches([',', '"']))
        })?;
    let cut = if value.contains("::") {
        value.split("::").take(depth).collect::<Vec<_>>().join("__")
    } else if let Some((folder, _)) = value.rsplit_once('/') {
        folder.replace('/', "__")
    } else {
        value.to_owned()
    };
    Some(cut.replace(|c: char| !c.is_ascii_alphanumeric() && c != '_', "_"))
}
