//! A file's own `macro_rules!`, expanded where the file invokes them in an impl block or a
//! body, so that the methods and statements they generate are read like code written out
//! (kellnr's `impl_add_relation!` writes its join tables in the methods it generates).
//! Module-level invocations are not expanded: the items they define (svix's id types)
//! were measured and cost more than they gave (docs/benchmarks.md, eleventh round).
//!
//! Facts are read one file at a time, so only macros defined in the same file are seen
//! (textual scope: a definition before the invocation; the last such wins). The matcher is
//! the greedy subset of `macro_rules!` real code uses: literal tokens, groups, fragments
//! (`ident`, `tt`, `literal`, `lifetime`, `block` by token; `expr`, `ty`, `path`, `pat`,
//! `pat_param`, `stmt`, `item`, `meta`, `vis` by syn) and repetitions with an optional
//! separator, without backtracking into a repetition. An invocation no rule matches is read
//! as before (its arguments as expressions).
//!
//! Positions: tokens from an argument keep theirs (the invocation's); tokens from the
//! macro's body take the invocation's closing delimiter, so that everything an expansion
//! names lies inside the invocation, in the item or method that invokes it.

use std::cell::RefCell;
use std::collections::HashMap;

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::visit::Visit;

use super::facts::Pos;
use super::nesting;
use super::paths::pos;

/// Most expansions in progress at once (a macro whose expansion invokes a local macro..):
/// a macro that invokes itself without end stops here.
const MAX_DEPTH: u32 = 8;
/// Most text (bytes, printed) all expansions of one file may produce together, on top of
/// the file's own size: bounds time and memory on a macro that expands to a lot.
const EXTRA_BYTES: usize = 1 << 20;
/// Invocations with more tokens at their top level are not matched: matching a syn
/// fragment re-reads the rest of the input, quadratic in this length.
const MAX_INPUT_TOKENS: usize = 2_000;

enum Matcher {
    /// An identifier, literal or punctuation character, compared by its text.
    Token(String),
    Group(Delimiter, Vec<Matcher>),
    /// `$name:kind`
    Fragment(String, String),
    /// `$( .. ) sep op`
    Repeat(Vec<Matcher>, Option<TokenTree>, char),
}

struct Rule {
    matcher: Vec<Matcher>,
    body: Vec<TokenTree>,
}

struct Definition {
    pos: Pos,
    rules: Vec<Rule>,
}

enum Binding {
    One(Vec<TokenTree>),
    Many(Vec<Binding>),
}

type Bindings = HashMap<String, Binding>;

#[derive(Default)]
struct State {
    defs: HashMap<String, Vec<Definition>>,
    depth: u32,
    bytes_left: usize,
}

thread_local! {
    /// The macros of the file being extracted on this thread (extraction is one file at a
    /// time per thread); `None` outside [`with_file_macros`].
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

/// Runs `f` (the extraction of `file`) with the file's `macro_rules!` known to
/// [`with_expansion`].
pub(super) fn with_file_macros<R>(text: &str, file: &syn::File, f: impl FnOnce() -> R) -> R {
    let mut state = State {
        bytes_left: text.len() + EXTRA_BYTES,
        ..State::default()
    };
    if text.contains("macro_rules") {
        let mut collector = Collector(&mut state.defs);
        collector.visit_file(file);
    }
    let previous = STATE.with(|s| s.replace(Some(state)));
    let result = f();
    STATE.with(|s| *s.borrow_mut() = previous);
    result
}

struct Collector<'a>(&'a mut HashMap<String, Vec<Definition>>);

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item_macro(&mut self, m: &'ast syn::ItemMacro) {
        if let Some(ident) = &m.ident
            && m.mac.path.is_ident("macro_rules")
            && let Some(rules) = parse_rules(&m.mac.tokens)
        {
            let defs = self.0.entry(ident.to_string()).or_default();
            defs.push(Definition {
                pos: pos(ident.span()),
                rules,
            });
            defs.sort_by_key(|d| d.pos);
        }
    }
}

/// When `mac` invokes a macro of this file that matches it, runs `f` on the expansion and
/// returns its result; `None` otherwise (unknown macro, no rule matches, past the depth or
/// size budget, or an expansion that nests past the parser's budget).
pub(super) fn with_expansion<R>(mac: &syn::Macro, f: impl FnOnce(TokenStream) -> R) -> Option<R> {
    let name = mac.path.get_ident()?.to_string();
    let at = pos(mac.path.segments.last()?.ident.span());
    let tokens = STATE.with(|s| {
        let mut guard = s.borrow_mut();
        let state = guard.as_mut()?;
        if state.depth >= MAX_DEPTH {
            return None;
        }
        let def = state.defs.get(&name)?.iter().rev().find(|d| d.pos < at)?;
        let out = expand(def, &mac.tokens, mac.delimiter.span().close())?;
        let text = out.to_string();
        state.bytes_left = state.bytes_left.checked_sub(text.len())?;
        if nesting::too_deep(&text).is_some() {
            return None;
        }
        state.depth += 1;
        Some(out)
    })?;
    let result = f(tokens);
    STATE.with(|s| {
        if let Some(state) = s.borrow_mut().as_mut() {
            state.depth -= 1;
        }
    });
    Some(result)
}

/// The expansion by the first rule that matches all of `input`.
fn expand(def: &Definition, input: &TokenStream, span: Span) -> Option<TokenStream> {
    let input: Vec<TokenTree> = input.clone().into_iter().collect();
    if input.len() > MAX_INPUT_TOKENS {
        return None;
    }
    def.rules.iter().find_map(|rule| {
        let mut binds = Bindings::new();
        if match_seq(&rule.matcher, &input, &mut binds)? != input.len() {
            return None;
        }
        let view: HashMap<String, &Binding> = binds.iter().map(|(k, v)| (k.clone(), v)).collect();
        let mut out = Vec::new();
        transcribe(&rule.body, &view, span, &mut out)?;
        Some(out.into_iter().collect())
    })
}

/// `(matcher) => { body };` pairs; `None` when the definition is not in that shape.
fn parse_rules(tokens: &TokenStream) -> Option<Vec<Rule>> {
    let tts: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut rules = Vec::new();
    let mut i = 0;
    while i < tts.len() {
        let (TokenTree::Group(m), TokenTree::Punct(a), TokenTree::Punct(b), TokenTree::Group(body)) =
            (&tts[i], tts.get(i + 1)?, tts.get(i + 2)?, tts.get(i + 3)?)
        else {
            return None;
        };
        if a.as_char() != '=' || b.as_char() != '>' {
            return None;
        }
        rules.push(Rule {
            matcher: parse_matcher(m.stream())?,
            body: body.stream().into_iter().collect(),
        });
        i += 4;
        if matches!(tts.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ';') {
            i += 1;
        }
    }
    Some(rules)
}

fn parse_matcher(tokens: TokenStream) -> Option<Vec<Matcher>> {
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < tts.len() {
        match &tts[i] {
            TokenTree::Punct(p) if p.as_char() == '$' => match tts.get(i + 1) {
                Some(TokenTree::Ident(name)) => {
                    let (Some(TokenTree::Punct(colon)), Some(TokenTree::Ident(kind))) =
                        (tts.get(i + 2), tts.get(i + 3))
                    else {
                        return None;
                    };
                    if colon.as_char() != ':' {
                        return None;
                    }
                    out.push(Matcher::Fragment(name.to_string(), kind.to_string()));
                    i += 4;
                }
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                    let inner = parse_matcher(g.stream())?;
                    let (sep, op, used) = repetition_tail(&tts[i + 2..])?;
                    out.push(Matcher::Repeat(inner, sep, op));
                    i += 2 + used;
                }
                _ => return None,
            },
            TokenTree::Group(g) => {
                out.push(Matcher::Group(g.delimiter(), parse_matcher(g.stream())?));
                i += 1;
            }
            other => {
                out.push(Matcher::Token(other.to_string()));
                i += 1;
            }
        }
    }
    Some(out)
}

/// After `$( .. )`: an optional separator, then `*`, `+` or `?`; with the tokens used.
fn repetition_tail(rest: &[TokenTree]) -> Option<(Option<TokenTree>, char, usize)> {
    let op = |t: Option<&TokenTree>| match t {
        Some(TokenTree::Punct(p)) if matches!(p.as_char(), '*' | '+' | '?') => Some(p.as_char()),
        _ => None,
    };
    if let Some(c) = op(rest.first()) {
        return Some((None, c, 1));
    }
    let sep = rest.first().filter(|t| !matches!(t, TokenTree::Group(_)))?;
    Some((Some(sep.clone()), op(rest.get(1))?, 2))
}

fn same_token(t: &TokenTree, text: &str) -> bool {
    !matches!(t, TokenTree::Group(_)) && t.to_string() == text
}

/// Matches `ms` against the start of `tts`; the number of tokens used.
fn match_seq(ms: &[Matcher], tts: &[TokenTree], binds: &mut Bindings) -> Option<usize> {
    let mut i = 0;
    for m in ms {
        i += match_one(m, &tts[i..], binds)?;
    }
    Some(i)
}

fn match_one(m: &Matcher, tts: &[TokenTree], binds: &mut Bindings) -> Option<usize> {
    match m {
        Matcher::Token(text) => same_token(tts.first()?, text).then_some(1),
        Matcher::Group(delimiter, inner) => {
            let TokenTree::Group(g) = tts.first()? else {
                return None;
            };
            let inside: Vec<TokenTree> = g.stream().into_iter().collect();
            (g.delimiter() == *delimiter && match_seq(inner, &inside, binds)? == inside.len())
                .then_some(1)
        }
        Matcher::Fragment(name, kind) => {
            let n = fragment_len(kind, tts)?;
            binds.insert(name.clone(), Binding::One(tts[..n].to_vec()));
            Some(n)
        }
        Matcher::Repeat(inner, sep, op) => {
            let mut used = 0;
            let mut iterations: Vec<Bindings> = Vec::new();
            loop {
                let mut at = used;
                if let (false, Some(sep)) = (iterations.is_empty(), sep) {
                    match tts.get(at) {
                        Some(t) if same_token(t, &sep.to_string()) => at += 1,
                        _ => break,
                    }
                }
                let mut b = Bindings::new();
                let Some(n) = match_seq(inner, &tts[at..], &mut b) else {
                    break;
                };
                if at + n == used {
                    break;
                }
                used = at + n;
                iterations.push(b);
                if *op == '?' {
                    break;
                }
            }
            if *op == '+' && iterations.is_empty() {
                return None;
            }
            let mut names = Vec::new();
            fragment_names(inner, &mut names);
            for name in names {
                let list = (iterations.iter_mut())
                    .map(|b| b.remove(&name).unwrap_or(Binding::Many(Vec::new())))
                    .collect();
                binds.insert(name, Binding::Many(list));
            }
            Some(used)
        }
    }
}

fn fragment_names(ms: &[Matcher], out: &mut Vec<String>) {
    for m in ms {
        match m {
            Matcher::Fragment(name, _) => out.push(name.clone()),
            Matcher::Group(_, inner) | Matcher::Repeat(inner, _, _) => fragment_names(inner, out),
            Matcher::Token(_) => {}
        }
    }
}

/// How many tokens at the start of `tts` a fragment of `kind` takes.
fn fragment_len(kind: &str, tts: &[TokenTree]) -> Option<usize> {
    let first = tts.first();
    let punct =
        |t: Option<&TokenTree>, c: char| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c);
    match kind {
        "tt" => first.map(|_| 1),
        "ident" => matches!(first, Some(TokenTree::Ident(i)) if i != "_").then_some(1),
        "lifetime" => {
            (punct(first, '\'') && matches!(tts.get(1), Some(TokenTree::Ident(_)))).then_some(2)
        }
        "literal" => match first? {
            TokenTree::Literal(_) => Some(1),
            TokenTree::Ident(i) if i == "true" || i == "false" => Some(1),
            TokenTree::Punct(p) if p.as_char() == '-' => {
                matches!(tts.get(1), Some(TokenTree::Literal(_))).then_some(2)
            }
            _ => None,
        },
        "block" => matches!(first, Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace)
            .then_some(1),
        "expr" => syn_len(tts, |i| i.parse::<syn::Expr>().map(drop)),
        "ty" => syn_len(tts, |i| i.parse::<syn::Type>().map(drop)),
        "path" => syn_len(tts, |i| i.parse::<syn::Path>().map(drop)),
        "pat" => syn_len(tts, |i| {
            syn::Pat::parse_multi_with_leading_vert(i).map(drop)
        }),
        "pat_param" => syn_len(tts, |i| syn::Pat::parse_single(i).map(drop)),
        "stmt" => syn_len(tts, |i| i.parse::<syn::Stmt>().map(drop)),
        "item" => syn_len(tts, |i| i.parse::<syn::Item>().map(drop)),
        "meta" => syn_len(tts, |i| i.parse::<syn::Meta>().map(drop)),
        "vis" => syn_len(tts, |i| i.parse::<syn::Visibility>().map(drop)),
        _ => None,
    }
}

/// The tokens syn's `parse` takes from the start of `tts`.
fn syn_len(tts: &[TokenTree], parse: fn(ParseStream) -> syn::Result<()>) -> Option<usize> {
    let stream: TokenStream = tts.iter().cloned().collect();
    let parser = |input: ParseStream| {
        parse(input)?;
        let rest: TokenStream = input.parse()?;
        Ok(rest.into_iter().count())
    };
    let rest = parser.parse2(stream).ok()?;
    Some(tts.len() - rest)
}

/// Writes `body` with the bindings substituted; `None` when a variable is used at a
/// repetition depth it was not bound at.
fn transcribe(
    body: &[TokenTree],
    binds: &HashMap<String, &Binding>,
    span: Span,
    out: &mut Vec<TokenTree>,
) -> Option<()> {
    let mut i = 0;
    while i < body.len() {
        match (&body[i], body.get(i + 1)) {
            (TokenTree::Punct(p), Some(TokenTree::Ident(name))) if p.as_char() == '$' => {
                if name == "crate" {
                    out.push(TokenTree::Ident(Ident::new("crate", span)));
                } else {
                    match binds.get(&name.to_string()) {
                        Some(Binding::One(tokens)) => out.extend(tokens.iter().cloned()),
                        Some(Binding::Many(_)) => return None,
                        None => out.extend([respan(&body[i], span), respan(&body[i + 1], span)]),
                    }
                }
                i += 2;
            }
            (TokenTree::Punct(p), Some(TokenTree::Group(g)))
                if p.as_char() == '$' && g.delimiter() == Delimiter::Parenthesis =>
            {
                let (sep, _, used) = repetition_tail(&body[i + 2..])?;
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                repeat(&inner, sep.as_ref(), binds, span, out)?;
                i += 2 + used;
            }
            (TokenTree::Group(g), _) => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                let mut tokens = Vec::new();
                transcribe(&inner, binds, span, &mut tokens)?;
                let mut group = Group::new(g.delimiter(), tokens.into_iter().collect());
                group.set_span(span);
                out.push(TokenTree::Group(group));
                i += 1;
            }
            (other, _) => {
                out.push(respan(other, span));
                i += 1;
            }
        }
    }
    Some(())
}

/// `$( inner ) sep op` in a body: once per repetition of the variables it uses.
fn repeat(
    inner: &[TokenTree],
    sep: Option<&TokenTree>,
    binds: &HashMap<String, &Binding>,
    span: Span,
    out: &mut Vec<TokenTree>,
) -> Option<()> {
    let mut used = Vec::new();
    variables(inner, &mut used);
    let lists: Vec<(&String, &Vec<Binding>)> = (used.iter())
        .filter_map(|v| match binds.get(v) {
            Some(Binding::Many(list)) => Some((v, list)),
            _ => None,
        })
        .collect();
    let count = lists.iter().map(|(_, l)| l.len()).min()?;
    for k in 0..count {
        if let (true, Some(sep)) = (k > 0, sep) {
            out.push(respan(sep, span));
        }
        let mut view = binds.clone();
        for (name, list) in &lists {
            view.insert((*name).clone(), &list[k]);
        }
        transcribe(inner, &view, span, out)?;
    }
    Some(())
}

/// The `$name`s a body part uses.
fn variables(tts: &[TokenTree], out: &mut Vec<String>) {
    for (i, t) in tts.iter().enumerate() {
        match (t, tts.get(i + 1)) {
            (TokenTree::Punct(p), Some(TokenTree::Ident(name))) if p.as_char() == '$' => {
                out.push(name.to_string());
            }
            (TokenTree::Group(g), _) => {
                variables(&g.stream().into_iter().collect::<Vec<_>>(), out);
            }
            _ => {}
        }
    }
}

fn respan(t: &TokenTree, span: Span) -> TokenTree {
    let mut t = t.clone();
    t.set_span(span);
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand_in(src: &str, call: &str) -> Option<String> {
        let file: syn::File = syn::parse_str(src).unwrap();
        // Below the definitions: each string parsed counts its own lines.
        let call = format!("{}{call}", "\n".repeat(src.lines().count() + 1));
        let mac: syn::Macro = syn::parse_str(&call).unwrap();
        with_file_macros(src, &file, || with_expansion(&mac, |t| t.to_string()))
    }

    #[test]
    fn fragments_repetitions_and_dollar_crate_are_substituted() {
        let src = "macro_rules! m {\n\
                   (one $x:ident) => { fn $x() {} };\n\
                   ($($n:ident : $t:ty),* $(,)?) => { $(struct $n($t);)* $crate::done!(); };\n\
                   }";
        let one = expand_in(src, "m!(one go)").unwrap();
        assert_eq!(one, "fn go () { }");
        let many = expand_in(src, "m!(A: Vec<u8>, B: crate::x::Y,)").unwrap();
        assert_eq!(
            many,
            "struct A (Vec < u8 >) ; struct B (crate :: x :: Y) ; crate :: done ! () ;"
        );
    }

    #[test]
    fn unknown_unmatched_and_later_macros_do_not_expand() {
        let src = "macro_rules! m { ($x:ident) => { fn $x() {} }; }";
        assert_eq!(expand_in(src, "m!(1 + 2)"), None);
        assert_eq!(expand_in(src, "other!(x)"), None);
        assert_eq!(expand_in(src, "m::m!(x)"), None);
        // Textual scope: an invocation above the definition does not see it.
        let later = "fn f() { m!(x); }\nmacro_rules! m { ($x:ident) => { fn $x() {} }; }";
        let file: syn::File = syn::parse_str(later).unwrap();
        let syn::Item::Fn(f) = &file.items[0] else {
            panic!()
        };
        let syn::Stmt::Macro(call) = &f.block.stmts[0] else {
            panic!()
        };
        let out = with_file_macros(later, &file, || with_expansion(&call.mac, |_| ()));
        assert_eq!(out, None);
    }

    #[test]
    fn a_macro_that_invokes_itself_stops_at_the_depth_budget() {
        let src = "macro_rules! m { () => { m!(); }; }";
        let file: syn::File = syn::parse_str(src).unwrap();
        let mac: syn::Macro = syn::parse_str("\n\nm!()").unwrap();
        fn nest(mac: &syn::Macro) -> u32 {
            with_expansion(mac, |t| {
                let inner: syn::Macro = syn::parse2(strip_semi(t)).unwrap();
                1 + nest(&inner)
            })
            .unwrap_or(0)
        }
        fn strip_semi(t: TokenStream) -> TokenStream {
            let mut v: Vec<TokenTree> = t.into_iter().collect();
            v.pop();
            v.into_iter().collect()
        }
        assert_eq!(with_file_macros(src, &file, || nest(&mac)), MAX_DEPTH);
    }
}
