//! The places `split` edits in a file, found on its tokens (macro bodies included, which
//! syn leaves unparsed): `crate::x` and `super::` paths with the inline-module depth they are
//! written at, `mod x;` declarations, `#[path]` and `include_str!`-style literals, the first
//! segment of every path (the crates the file uses) and the features its `cfg`s name. Every
//! site is a byte range into the original text, so edits keep everything else — comments,
//! layout — as it was.

use std::collections::BTreeSet;
use std::ops::Range;

use proc_macro2::{Delimiter, LineColumn, Spacing, Span, TokenStream, TokenTree};

use super::{ParseFailure, Pos};

/// `crate::name` (or a branch `name` of `crate::{..}`): `name` and its range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateSite {
    pub name: String,
    pub name_range: Range<usize>,
    /// Written inside `crate::{ .. }`.
    pub in_group: bool,
}

/// `super::super::...` at the start of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuperSite {
    /// From the first `super` to the end of the last one.
    pub range: Range<usize>,
    pub count: u32,
    /// How many inline `mod { }` enclose it in this file.
    pub depth: u32,
    pub pos: Pos,
    /// The segment after the last `super::`, when it is a name.
    pub next: Option<String>,
}

/// `[vis] mod name;` (without attributes), at an inline depth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModSite {
    pub name: String,
    /// `pub`, `pub(crate)`... as written, empty when private.
    pub vis: String,
    pub range: Range<usize>,
    pub depth: u32,
}

/// A string literal naming a file relative to this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileLiteral {
    pub value: String,
    /// The literal, quotes included.
    pub range: Range<usize>,
    /// `#[path]` (relative to the module's folder) rather than `include*!`.
    pub is_path_attr: bool,
}

/// `pub(crate)`, `pub(super)`, `pub(self)` or `pub(in path)`: the whole visibility.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestrictedSite {
    pub range: Range<usize>,
    /// What is inside the parentheses, as written (`crate`, `super`, `in crate::a`).
    pub inner: String,
    pub depth: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sites {
    pub restricted: Vec<RestrictedSite>,
    pub crate_paths: Vec<CrateSite>,
    pub super_paths: Vec<SuperSite>,
    pub mods: Vec<ModSite>,
    pub literals: Vec<FileLiteral>,
    /// First segments of paths (`serde` in `serde::Serialize`), and `extern crate` names.
    pub first_segments: BTreeSet<String>,
    /// `feature = "x"` inside attributes.
    pub features: BTreeSet<String>,
}

/// The sites of `text`. A file the lexer rejects, or one past the [`super::nesting`] budget,
/// is a [`ParseFailure`]; the walk, recursive over token groups, runs on a
/// [`crate::workers`] thread like every other parse.
pub fn sites(text: &str) -> Result<Sites, ParseFailure> {
    if let Some(failure) = super::past_nesting_budget(text) {
        return Err(failure);
    }
    crate::workers::install(|| sites_within_budget(text))
}

fn sites_within_budget(text: &str) -> Result<Sites, ParseFailure> {
    let result = match text.parse::<TokenStream>() {
        Ok(stream) => {
            let lines = LineStarts::new(text);
            let tokens: Vec<TokenTree> = stream.into_iter().collect();
            let mut out = Sites::default();
            walk(&tokens, 0, &lines, &mut out);
            Ok(out)
        }
        Err(e) => Err(ParseFailure {
            pos: super::paths::pos(e.span()),
            message: e.to_string(),
            too_deep: false,
        }),
    };
    proc_macro2::extra::invalidate_current_thread_spans();
    result
}

/// Byte offsets of line starts, to turn (line, column in characters) into a byte offset.
struct LineStarts<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineStarts<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineStarts { text, starts }
    }

    fn offset(&self, at: LineColumn) -> usize {
        let start = self
            .starts
            .get(at.line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        let line = &self.text[start..];
        start
            + line
                .char_indices()
                .nth(at.column)
                .map_or(line.len(), |(i, _)| i)
    }

    fn range(&self, span: Span) -> Range<usize> {
        self.offset(span.start())..self.offset(span.end())
    }
}

fn is_ident(t: Option<&TokenTree>, name: &str) -> bool {
    matches!(t, Some(TokenTree::Ident(i)) if i == name)
}

fn is_punct(t: Option<&TokenTree>, c: char) -> bool {
    matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

/// `::` starting at `i`.
fn is_path_sep(tokens: &[TokenTree], i: usize) -> bool {
    matches!(tokens.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
        && is_punct(tokens.get(i + 1), ':')
}

/// Whether the token at `i` starts a path (no `::` or `$` right before it).
fn starts_path(tokens: &[TokenTree], i: usize) -> bool {
    i == 0 || !(is_punct(tokens.get(i - 1), ':') || is_punct(tokens.get(i - 1), '$'))
}

fn walk(tokens: &[TokenTree], depth: u32, lines: &LineStarts<'_>, out: &mut Sites) {
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Ident(id) if starts_path(tokens, i) => {
                let name = id.to_string();
                match name.as_str() {
                    "crate" if is_path_sep(tokens, i + 1) => crate_path(tokens, i + 3, lines, out),
                    "super" if is_path_sep(tokens, i + 1) => {
                        i = super_path(tokens, i, depth, lines, out);
                        continue;
                    }
                    "mod" => module(tokens, i, depth, lines, out),
                    "pub" => restricted(tokens, i, depth, lines, out),
                    "include_str" | "include_bytes" | "include"
                        if is_punct(tokens.get(i + 1), '!') =>
                    {
                        include(tokens.get(i + 2), lines, out);
                    }
                    "extern" if is_ident(tokens.get(i + 1), "crate") => {
                        if let Some(TokenTree::Ident(n)) = tokens.get(i + 2) {
                            out.first_segments.insert(n.to_string());
                        }
                    }
                    "feature" if is_punct(tokens.get(i + 1), '=') => {
                        if let Some(TokenTree::Literal(l)) = tokens.get(i + 2) {
                            out.features
                                .insert(l.to_string().trim_matches('"').to_string());
                        }
                    }
                    _ if is_path_sep(tokens, i + 1) => {
                        out.first_segments.insert(name);
                    }
                    _ => {}
                }
            }
            TokenTree::Punct(p) if p.as_char() == '#' => {
                let next = if is_punct(tokens.get(i + 1), '!') {
                    i + 2
                } else {
                    i + 1
                };
                if let Some(TokenTree::Group(g)) = tokens.get(next) {
                    path_attr(g.stream(), lines, out);
                }
            }
            TokenTree::Group(g) => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                let inline_mod = g.delimiter() == Delimiter::Brace
                    && i >= 2
                    && is_ident(tokens.get(i - 2), "mod")
                    && matches!(tokens.get(i - 1), Some(TokenTree::Ident(_)));
                walk(&inner, depth + u32::from(inline_mod), lines, out);
            }
            _ => {}
        }
        i += 1;
    }
}

/// The segment after `crate::` at `i`: a name, or a `{ .. }` group of branches.
fn crate_path(tokens: &[TokenTree], i: usize, lines: &LineStarts<'_>, out: &mut Sites) {
    match tokens.get(i) {
        Some(TokenTree::Ident(name)) => out.crate_paths.push(CrateSite {
            name: name.to_string(),
            name_range: lines.range(name.span()),
            in_group: false,
        }),
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
            let inner: Vec<TokenTree> = g.stream().into_iter().collect();
            let mut branch_start = true;
            for t in &inner {
                if let (true, TokenTree::Ident(name)) = (branch_start, t) {
                    out.crate_paths.push(CrateSite {
                        name: name.to_string(),
                        name_range: lines.range(name.span()),
                        in_group: true,
                    });
                }
                branch_start = matches!(t, TokenTree::Punct(p) if p.as_char() == ',');
            }
        }
        _ => {}
    }
}

/// `super::super::..` from `i`; returns the index after the last `super`.
fn super_path(
    tokens: &[TokenTree],
    i: usize,
    depth: u32,
    lines: &LineStarts<'_>,
    out: &mut Sites,
) -> usize {
    let mut j = i;
    let mut count = 0;
    while is_ident(tokens.get(j), "super") && is_path_sep(tokens, j + 1) {
        count += 1;
        j += 3;
    }
    let start = tokens[i].span();
    let last = tokens[j - 3].span();
    out.super_paths.push(SuperSite {
        range: lines.offset(start.start())..lines.offset(last.end()),
        count,
        depth,
        pos: super::paths::pos(start),
        next: match tokens.get(j) {
            Some(TokenTree::Ident(n)) => Some(n.to_string()),
            _ => None,
        },
    });
    j
}

/// `pub( .. )`
fn restricted(tokens: &[TokenTree], i: usize, depth: u32, lines: &LineStarts<'_>, out: &mut Sites) {
    if let Some(TokenTree::Group(g)) = tokens.get(i + 1)
        && g.delimiter() == Delimiter::Parenthesis
    {
        let range = lines.offset(tokens[i].span().start())..lines.offset(g.span().end());
        out.restricted.push(RestrictedSite {
            range,
            inner: g.stream().to_string(),
            depth,
        });
    }
}

/// `[vis] mod name;`
fn module(tokens: &[TokenTree], i: usize, depth: u32, lines: &LineStarts<'_>, out: &mut Sites) {
    let (Some(TokenTree::Ident(name)), true) =
        (tokens.get(i + 1), is_punct(tokens.get(i + 2), ';'))
    else {
        return;
    };
    let mut start = i;
    if i >= 1 && is_ident(tokens.get(i - 1), "pub") {
        start = i - 1;
    } else if i >= 2
        && matches!(tokens.get(i - 1), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis)
        && is_ident(tokens.get(i - 2), "pub")
    {
        start = i - 2;
    }
    let begin = lines.offset(tokens[start].span().start());
    let vis_end = lines.offset(tokens[i].span().start());
    let vis = lines.text[begin..vis_end].trim().to_string();
    out.mods.push(ModSite {
        name: name.to_string(),
        vis,
        range: begin..lines.offset(tokens[i + 2].span().end()),
        depth,
    });
}

fn include(group: Option<&TokenTree>, lines: &LineStarts<'_>, out: &mut Sites) {
    let Some(TokenTree::Group(g)) = group else {
        return;
    };
    if let Some(TokenTree::Literal(l)) = g.stream().into_iter().next() {
        push_literal(&l, false, lines, out);
    }
}

/// `#[path = "x.rs"]`
fn path_attr(stream: TokenStream, lines: &LineStarts<'_>, out: &mut Sites) {
    let inner: Vec<TokenTree> = stream.into_iter().collect();
    if let ([TokenTree::Ident(id), eq, TokenTree::Literal(l)], true) = (inner.as_slice(), true)
        && id == "path"
        && matches!(eq, TokenTree::Punct(p) if p.as_char() == '=')
    {
        push_literal(l, true, lines, out);
    }
}

fn push_literal(
    l: &proc_macro2::Literal,
    is_path_attr: bool,
    lines: &LineStarts<'_>,
    out: &mut Sites,
) {
    let text = l.to_string();
    let Some(value) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
        return;
    };
    out.literals.push(FileLiteral {
        value: value.to_string(),
        range: lines.range(l.span()),
        is_path_attr,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_paths_mods_literals_and_crates_used() {
        let text = "//! doc\nuse crate::{billing::X, kernel};\npub(crate) mod jobs;\nmod tests {\n    use super::super::y;\n    const T: &str = include_str!(\"t.txt\");\n}\nfn f() { serde::x(); format!(\"{}\", crate::kernel::m()); }\n#[cfg(feature = \"pg\")]\nfn g() {}\n";
        let s = sites(text).unwrap();
        let names: Vec<&str> = s.crate_paths.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["billing", "kernel", "kernel"]);
        assert_eq!(&text[s.crate_paths[0].name_range.clone()], "billing");
        assert_eq!(s.mods.len(), 1);
        assert_eq!(&text[s.mods[0].range.clone()], "pub(crate) mod jobs;");
        assert_eq!(s.mods[0].vis, "pub(crate)");
        assert_eq!(s.super_paths.len(), 1);
        assert_eq!((s.super_paths[0].count, s.super_paths[0].depth), (2, 1));
        assert_eq!(&text[s.super_paths[0].range.clone()], "super::super");
        assert_eq!(s.literals[0].value, "t.txt");
        assert_eq!(&text[s.literals[0].range.clone()], "\"t.txt\"");
        assert!(s.first_segments.contains("serde"));
        assert!(s.features.contains("pg"));
    }
}
