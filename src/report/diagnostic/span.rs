//! Where a label's span ends. Stages record where a finding starts (line and column); the
//! renderer underlines the token that starts there, read from the file's text: a Rust path
//! or string literal in `.rs` files, a YAML scalar elsewhere (the spec), and inside it the
//! label's focus word when it has one (a table's name in an SQL string).

use std::ops::Range;
use std::path::Path;

use crate::diagnostics::Label;

/// The byte range to underline for `label` in `text`, the content of `path`.
pub fn label_span(path: &Path, text: &str, label: &Label) -> Option<Range<usize>> {
    let (line, column) = (label.location.line, label.location.column);
    let token = if path.extension().is_some_and(|e| e == "rs") {
        rust_token(text, line, column)?
    } else {
        yaml_token(text, line, column)?
    };
    let focused = label
        .focus
        .as_deref()
        .and_then(|word| word_in(text, token.clone(), word));
    Some(focused.unwrap_or(token))
}

/// The byte offset where `line` starts and that line's text (without its line break).
fn line_at(text: &str, line: u32) -> Option<(usize, &str)> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line as usize - 2)?.0 + 1
    };
    let line_text = text[start..].split('\n').next().unwrap_or("");
    Some((start, line_text.strip_suffix('\r').unwrap_or(line_text)))
}

/// The Rust path (`a::b::c`) or string literal that starts at `line`:`column` (1-based;
/// column in characters).
fn rust_token(text: &str, line: u32, column: u32) -> Option<Range<usize>> {
    let (line_start, line_text) = line_at(text, line)?;
    let (offset, _) = line_text
        .char_indices()
        .nth(column.saturating_sub(1) as usize)?;
    let rest = &line_text[offset..];
    let start = line_start + offset;
    if let Some(body) = rest.strip_prefix('"') {
        // A string literal (SQL): up to its closing quote on this line.
        let close = body.find('"').map_or(rest.len(), |i| i + 2);
        return Some(start..start + close);
    }
    let len = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == ':'))
        .map_or(rest.len(), |(i, _)| i)
        .max(1.min(rest.len()));
    Some(start..start + len)
}

/// The YAML token that starts at `line`:`column` (1-based, column in characters): a quoted
/// string, or a plain scalar up to `,`, `]`, `}`, `: ` or a comment.
fn yaml_token(text: &str, line: u32, column: u32) -> Option<Range<usize>> {
    let (line_start, line_text) = line_at(text, line)?;
    let column_offset = match line_text
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
    {
        Some((offset, _)) => offset,
        None if column as usize == line_text.chars().count() + 1 => line_text.len(),
        None => return None,
    };
    let rest = &line_text[column_offset..];
    let start = line_start + column_offset;
    let mut chars = rest.char_indices().peekable();
    let len = match chars.peek() {
        None => 0,
        Some(&(_, quote @ ('"' | '\''))) => {
            chars.next();
            let mut end = rest.len();
            while let Some((i, c)) = chars.next() {
                if c == quote {
                    end = i + 1;
                    break;
                }
                if c == '\\' && quote == '"' {
                    chars.next();
                }
            }
            end
        }
        Some(_) => {
            // `,`, `]` and `}` end a scalar only inside a flow collection (`[a, b]`).
            let in_flow = line_text[..column_offset].contains(['[', '{']);
            let mut end = rest.len();
            let mut previous = ' ';
            for (i, c) in rest.char_indices() {
                let next = rest[i + c.len_utf8()..].chars().next();
                let ends = in_flow && matches!(c, ',' | ']' | '}') && i > 0
                    || c == '#' && previous.is_whitespace()
                    || c == ':' && next.is_none_or(char::is_whitespace);
                if ends {
                    end = i;
                    break;
                }
                previous = c;
            }
            rest[..end].trim_end().len().max(1.min(rest.len()))
        }
    };
    Some(start..start + len)
}

/// The first whole-word, case-insensitive occurrence of `word` inside `range` of `text`
/// (`addresses` after `JOIN`, not the `addresses.` of `addresses.city`).
fn word_in(text: &str, range: Range<usize>, word: &str) -> Option<Range<usize>> {
    let hay = text[range.clone()].to_ascii_lowercase();
    let word = word.to_ascii_lowercase();
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(i) = hay[from..].find(&word) {
        let start = from + i;
        let end = start + word.len();
        let before = hay[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_ident(c) && c != '.');
        let after = hay[end..]
            .chars()
            .next()
            .is_none_or(|c| !is_ident(c) && c != '.');
        if before && after {
            return Some(range.start + start..range.start + end);
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_tokens_end_at_yaml_punctuation() {
        let text = "a:\n  modlues: [x]\n  f: { a: Option<Strng>, b: u32 }\n  s: \"quoted, here\" # c\n  t: Map<A, B>\n";
        let slice = |line, column| yaml_token(text, line, column).map(|r| &text[r]);
        assert_eq!(slice(2, 3), Some("modlues"));
        assert_eq!(slice(2, 13), Some("x"));
        assert_eq!(slice(3, 11), Some("Option<Strng>"));
        assert_eq!(slice(4, 6), Some("\"quoted, here\""));
        assert_eq!(slice(5, 6), Some("Map<A, B>"));
        assert_eq!(slice(9, 1), None);
        assert_eq!(slice(1, 3), Some(""));
    }

    #[test]
    fn rust_tokens_cover_the_whole_path_or_literal() {
        let text = "fn f() {\n    let w = inventory::warehouses::pick(1);\n}\n";
        let span = rust_token(text, 2, 13).unwrap();
        assert_eq!(&text[span], "inventory::warehouses::pick");
        assert!(rust_token(text, 9, 1).is_none());
        let sql = "    db.query(\"SELECT * FROM orders\", &[]);\n";
        let span = rust_token(sql, 1, 14).unwrap();
        assert_eq!(&sql[span], "\"SELECT * FROM orders\"");
    }

    #[test]
    fn a_focus_word_narrows_the_span_to_a_whole_word() {
        let q = "\"SELECT addresses.city FROM shipments JOIN addresses ON x\"";
        let table = word_in(q, 0..q.len(), "addresses").unwrap();
        assert_eq!(
            table,
            43..52,
            "the table after JOIN, not the `addresses.` qualifier"
        );
        let label = Label {
            focus: Some("addresses".into()),
            ..Label::primary(
                crate::diagnostics::Location {
                    file: "a.rs".into(),
                    line: 1,
                    column: 1,
                },
                "sql",
            )
        };
        assert_eq!(label_span(Path::new("a.rs"), q, &label), Some(43..52));
        assert_eq!(
            label_span(Path::new("a.yaml"), q, &label),
            Some(43..52),
            "the focus applies in any file"
        );
    }
}
