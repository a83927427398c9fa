//! The nesting budget: a cheap lexical pass over a file before syn sees it, so that no file
//! can recurse deeper than the workers' stack holds.
//!
//! syn, the visitors and `Drop` recurse once per level of nesting, and nesting is not only
//! brackets: `-----x`, `&&&&T`, `|a| |b| ..`, `a + b + ..` (a left-deep tree) and
//! `a::b::..` in a `use` nest without a single bracket. What all of them share is a long run
//! of tokens that no `;` or `,` ends. So the pass counts, at every token, the tokens of the
//! expression still being built: those since the last `;` or `,` at the current bracket
//! level, plus the same count of every enclosing level where its bracket opened. A comma
//! inside `<..>` or closure parameters ends nothing (`A<x, A<x, ..>>` nests), and a `}` that
//! ends an item or statement ends the run too, unless the expression goes on (`} else`,
//! `}.f()`, `} + ..`). Real code stays in the low hundreds; a file past [`NESTING_BUDGET`] is
//! reported at the token that crossed it and skipped.

use super::facts::Pos;

/// The most unfinished tokens a file may hold at one point. 20,000 nested parentheses
/// (the classic stack-overflow file) pass and are analysed; the deepest construct per token
/// needs under 4 KiB of stack, so this stays far inside [`crate::workers::STACK_BYTES`].
pub const NESTING_BUDGET: u32 = 25_000;

/// Where a file first crosses the budget, if it does.
pub fn too_deep(text: &str) -> Option<Pos> {
    too_deep_with(text, NESTING_BUDGET)
}

pub(super) fn too_deep_with(text: &str, budget: u32) -> Option<Pos> {
    let mut scan = Scan::new(text);
    // The enclosing levels' cost and state, restored when their bracket closes.
    let mut open: Vec<(u32, Level)> = Vec::new();
    let mut outer = 0u32;
    let mut level = Level::default();
    let mut after_close_brace = false;
    while let Some((token, start)) = scan.next_token() {
        if after_close_brace && !continues_expression(token) {
            level = Level::default();
        }
        after_close_brace = false;
        level.run = level.run.saturating_add(1);
        if outer.saturating_add(level.run) > budget {
            return Some(scan.pos(start));
        }
        match token {
            Token::Open => {
                open.push((outer, level));
                outer = outer.saturating_add(level.run);
                level = Level::default();
            }
            Token::Close(brace) => {
                if let Some((o, l)) = open.pop() {
                    (outer, level) = (o, l);
                }
                after_close_brace = brace;
            }
            Token::Semicolon => level = Level::default(),
            // A comma inside `<..>` or closure parameters `|a, b|` does not end what nests
            // around it: `A<x, A<x, ..>>` and `|a,| |b,| ..` nest as deep as they are long.
            Token::Comma if level.angles == 0 && level.pipes % 2 == 0 => level = Level::default(),
            Token::Punct(b'<') => level.angles += 1,
            Token::Punct(b'>') => level.angles = level.angles.saturating_sub(1),
            Token::Punct(b'|') => level.pipes += 1,
            _ => {}
        }
    }
    None
}

/// What the pass knows about the innermost open bracket.
#[derive(Debug, Clone, Copy, Default)]
struct Level {
    /// Tokens since the last `;` or `,` that ended something.
    run: u32,
    /// `<` not yet closed by `>` (comparisons count too, which only errs on the safe side).
    angles: u32,
    /// `|` seen: an odd count means closure parameters are open.
    pipes: u32,
}

/// After `}`: does the expression go on (`} else {`, `}.await`, `}?`, `} + 1`, `} as T`)?
fn continues_expression(token: Token) -> bool {
    match token {
        Token::Word(word) => word == b"else" || word == b"as",
        Token::Punct(c) => b".?+-*/%^&|<>=!".contains(&c),
        _ => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Open,
    /// A closing bracket; `true` for `}`.
    Close(bool),
    Semicolon,
    Comma,
    /// An identifier, keyword, lifetime or number.
    Word(&'a [u8]),
    Punct(u8),
    /// A string or character literal.
    Literal,
}

/// Where a token starts, enough to give its line and column later.
#[derive(Debug, Clone, Copy)]
struct Mark {
    at: usize,
    line: u32,
    line_start: usize,
}

/// A lexer just good enough to count tokens: brackets, words, punctuation, and literals and
/// comments skipped whole so brackets inside them do not count.
struct Scan<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u32,
    line_start: usize,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Self {
        Scan {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.at + ahead).copied().unwrap_or(0)
    }

    fn mark(&self) -> Mark {
        Mark {
            at: self.at,
            line: self.line,
            line_start: self.line_start,
        }
    }

    /// Only for the token that crosses the budget: counting a line's characters at every
    /// token made a long line (minified or generated code) quadratic.
    fn pos(&self, mark: Mark) -> Pos {
        // Columns count characters: every byte that does not continue a UTF-8 sequence.
        let chars = self.bytes[mark.line_start..mark.at]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count();
        Pos {
            line: mark.line,
            column: u32::try_from(chars + 1).unwrap_or(u32::MAX),
        }
    }

    /// Moves one byte on, counting lines.
    fn bump(&mut self) {
        if self.peek(0) == b'\n' {
            self.line += 1;
            self.line_start = self.at + 1;
        }
        self.at += 1;
    }

    fn next_token(&mut self) -> Option<(Token<'a>, Mark)> {
        self.skip_trivia();
        if self.at >= self.bytes.len() {
            return None;
        }
        let start = self.mark();
        let c = self.peek(0);
        let token = match c {
            b'(' | b'[' | b'{' => {
                self.bump();
                Token::Open
            }
            b')' | b']' | b'}' => {
                self.bump();
                Token::Close(c == b'}')
            }
            b';' => {
                self.bump();
                Token::Semicolon
            }
            b',' => {
                self.bump();
                Token::Comma
            }
            b'"' => {
                self.bump();
                self.skip_quoted(b'"');
                Token::Literal
            }
            b'\'' => self.quote_or_lifetime(),
            // `::` is one step of a path, as a path segment is one level of a `use` tree;
            // `->` and `=>` are arrows, not the end of a `<..>`.
            b':' if self.peek(1) == b':' => self.pair(c),
            b'-' | b'=' if self.peek(1) == b'>' => self.pair(c),
            _ if is_word_byte(c) => self.word_or_prefixed_literal(),
            _ => {
                self.bump();
                Token::Punct(c)
            }
        };
        Some((token, start))
    }

    fn pair(&mut self, first: u8) -> Token<'a> {
        self.bump();
        self.bump();
        Token::Punct(first)
    }

    fn skip_trivia(&mut self) {
        loop {
            match (self.peek(0), self.peek(1)) {
                (b' ' | b'\t' | b'\n' | b'\r', _) => self.bump(),
                (b'/', b'/') => {
                    while self.at < self.bytes.len() && self.peek(0) != b'\n' {
                        self.bump();
                    }
                }
                (b'/', b'*') => self.skip_block_comment(),
                _ => return,
            }
        }
    }

    /// `/* .. */`, nested as Rust nests them; an unclosed one runs to the end.
    fn skip_block_comment(&mut self) {
        let mut depth = 0usize;
        while self.at < self.bytes.len() {
            match (self.peek(0), self.peek(1)) {
                (b'/', b'*') => {
                    depth += 1;
                    self.bump();
                }
                (b'*', b'/') => {
                    depth -= 1;
                    self.bump();
                    if depth == 0 {
                        self.bump();
                        return;
                    }
                }
                _ => {}
            }
            self.bump();
        }
    }

    /// Past the closing `quote`, honouring backslash escapes.
    fn skip_quoted(&mut self, quote: u8) {
        while self.at < self.bytes.len() {
            let c = self.peek(0);
            self.bump();
            if c == b'\\' {
                self.bump();
            } else if c == quote {
                return;
            }
        }
    }

    /// `'a'`, `'\n'` (a literal) or `'a` (a lifetime, a word).
    fn quote_or_lifetime(&mut self) -> Token<'a> {
        self.bump();
        if self.peek(0) == b'\\' {
            self.skip_quoted(b'\'');
            return Token::Literal;
        }
        // One character (of any UTF-8 length) then `'` is a char literal.
        let len = utf8_len(self.peek(0));
        if self.peek(len) == b'\'' {
            for _ in 0..=len {
                self.bump();
            }
            return Token::Literal;
        }
        let start = self.at;
        while is_word_byte(self.peek(0)) {
            self.bump();
        }
        Token::Word(&self.bytes[start..self.at])
    }

    /// A word, or a literal with a prefix: `b"..."`, `c"..."`, `r#"..."#`, `br"..."`, `b'x'`.
    fn word_or_prefixed_literal(&mut self) -> Token<'a> {
        let start = self.at;
        while is_word_byte(self.peek(0)) {
            self.bump();
        }
        let word = &self.bytes[start..self.at];
        let raw = matches!(word, b"r" | b"br" | b"cr");
        let next = self.peek(0);
        if raw && (next == b'"' || next == b'#') {
            let hashes = (0..).take_while(|&i| self.peek(i) == b'#').count();
            if self.peek(hashes) == b'"' {
                self.skip_raw_string(hashes);
                return Token::Literal;
            }
        }
        if matches!(word, b"b" | b"c") && (next == b'"' || next == b'\'') {
            self.bump();
            self.skip_quoted(next);
            return Token::Literal;
        }
        Token::Word(word)
    }

    /// From the `#`s before the opening `"` to past the `"` followed by as many `#`s.
    fn skip_raw_string(&mut self, hashes: usize) {
        for _ in 0..=hashes {
            self.bump();
        }
        while self.at < self.bytes.len() {
            let closes = self.peek(0) == b'"' && (1..=hashes).all(|i| self.peek(i) == b'#');
            if closes {
                for _ in 0..=hashes {
                    self.bump();
                }
                return;
            }
            self.bump();
        }
    }
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deep(text: &str, budget: u32) -> Option<(u32, u32)> {
        too_deep_with(text, budget).map(|p| (p.line, p.column))
    }

    #[test]
    fn nested_brackets_cross_the_budget_at_the_token_that_does() {
        assert_eq!(deep("fn f() { (((1))); }", 20), None);
        // `fn f ( ) {` = 5 unfinished tokens, then one per `(`.
        assert_eq!(deep("fn f() {\n  ((((((1))))));\n}", 8), Some((2, 7)));
    }

    #[test]
    fn bracketless_chains_count_too() {
        assert_eq!(deep("const X: i32 = ------1;", 10), Some((1, 21)));
        // `use a :: b :: c :: d :: e`: a segment and its `::` are two tokens.
        assert_eq!(deep("use a::b::c::d::e::f;", 10), Some((1, 18)));
        assert_eq!(
            deep("fn f() { if a {} else if b {} else if c {} }", 15),
            Some((1, 42))
        );
    }

    #[test]
    fn commas_inside_generics_and_closure_parameters_end_nothing() {
        let generics = format!("type T = {}u8{};", "A<x, ".repeat(10), ">".repeat(10));
        assert!(deep(&generics, 30).is_some());
        let closures = format!("const F: u8 = {}0;", "|a, b| ".repeat(10));
        assert!(deep(&closures, 30).is_some());
        let arrows = format!(
            "type T = {}u8{};",
            "A<fn() -> u8, ".repeat(10),
            ">".repeat(10)
        );
        assert!(deep(&arrows, 30).is_some());
        assert_eq!(deep("fn f<T: Fn(u8) -> u8>(a: T, b: T) {}", 15), None);
    }

    #[test]
    fn separators_and_finished_items_end_the_run() {
        let items = "fn a() {}\n".repeat(1000);
        assert_eq!(deep(&items, 20), None);
        let statements = format!("fn f() {{ {} }}", "let x = 1 + 2;".repeat(1000));
        assert_eq!(deep(&statements, 20), None);
        let list = format!("const L: [u8; 1000] = [{}];", "1, ".repeat(1000));
        assert_eq!(deep(&list, 20), None);
    }

    #[test]
    fn literals_and_comments_are_one_token_or_none() {
        let brackets = "(".repeat(100);
        for text in [
            format!("const S: &str = \"{brackets}\";"),
            format!("const S: &str = r#\"{brackets}\"#;"),
            format!("const S: &[u8] = b\"\\\"{brackets}\";"),
            format!("// {brackets}\nconst C: char = '(';"),
            format!("/* /* {brackets} */ */ fn f<'a>(x: &'a str) {{}}"),
        ] {
            assert_eq!(deep(&text, 20), None, "{text}");
        }
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(deep("const É: u8 = --1;", 7), Some((1, 17)));
    }
}
