//! The YAML layer: serde-saphyr parses the text into a generic tree in which every node and
//! every mapping key keeps its position. The decoder walks this tree by hand instead of
//! deriving `Deserialize` on the spec types, because serde stops at the first unknown key or
//! wrong type, and the spec must report every error of a file in one run.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, MessageFormatter, Spanned, UserMessageFormatter};

/// Where a node starts: 1-based line and column (in characters), and its byte range in the
/// text when serde-saphyr knows it (it does for string input; block collections have len 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    pub byte_offset: usize,
    pub byte_len: usize,
}

impl Pos {
    fn of(location: &serde_saphyr::Location) -> Pos {
        let span = location.span();
        Pos {
            line: u32::try_from(location.line()).unwrap_or(u32::MAX),
            column: u32::try_from(location.column()).unwrap_or(u32::MAX),
            byte_offset: span
                .byte_offset()
                .and_then(|b| usize::try_from(b).ok())
                .unwrap_or(0),
            byte_len: span
                .byte_len()
                .and_then(|b| usize::try_from(b).ok())
                .unwrap_or(0),
        }
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in file order, duplicates included: the decoder reports duplicate keys itself
    /// so that it can point at both places.
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// What the user wrote, in words, for "expected X, found Y" messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Node {
    /// The scalar as the user spelled it. YAML resolves `no`, `on`, `1.0` to non-strings; a
    /// name field wants the text, so it is taken back from the source when the span is known.
    pub fn scalar_text(&self, source: &str) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Null => {
                let end = self.pos.byte_offset.checked_add(self.pos.byte_len)?;
                let text = source.get(self.pos.byte_offset..end)?;
                (!text.is_empty()).then(|| text.to_string())
            }
            Value::Seq(_) | Value::Map(_) => None,
        }
    }
}

/// A YAML syntax error: a message without position suffix, and where it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub pos: Pos,
}

/// Parses one YAML document. Duplicate keys are passed through (see [`Value::Map`]).
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let options = serde_saphyr::options! { duplicate_keys: DuplicateKeyPolicy::PassThrough };
    match serde_saphyr::from_str_with_options::<Spanned<RawNode>>(text, options) {
        Ok(spanned) => Ok(into_node(spanned)),
        Err(err) => {
            let pos = err.location().map(|l| Pos::of(&l)).unwrap_or(Pos {
                line: 1,
                column: 1,
                ..Pos::default()
            });
            let message = UserMessageFormatter
                .format_message(err.without_snippet())
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect::<String>();
            Err(SyntaxError { message, pos })
        }
    }
}

/// The innermost flow collection (`[` or `{`, with its line) still open before `line`:
/// parsers notice an unclosed bracket only lines later, so the help points back at it.
pub fn unclosed_bracket(text: &str, line: u32) -> Option<(char, u32)> {
    let mut open: Vec<(char, u32)> = Vec::new();
    for (number, content) in (1u32..).zip(text.lines()) {
        if number >= line {
            break;
        }
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        for c in content.chars() {
            match (quote, c) {
                (Some(q), _) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') if previous.is_whitespace() => break,
                (None, '[' | '{') => open.push((c, number)),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
            previous = c;
        }
    }
    open.pop()
}

fn into_node(spanned: Spanned<RawNode>) -> Node {
    Node {
        pos: Pos::of(&spanned.referenced),
        value: spanned.value.0,
    }
}

/// serde-saphyr only attaches positions through `Spanned<T>`, so the tree is built from
/// spanned children and flattened into [`Node`] afterwards.
struct RawNode(Value);

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawNodeVisitor).map(RawNode)
    }
}

struct RawNodeVisitor;

impl<'de> Visitor<'de> for RawNodeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(i128::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Int(i128::from(v)))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i128::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }

    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        RawNode::deserialize(deserializer).map(|n| n.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<RawNode>>()? {
            items.push(into_node(item));
        }
        Ok(Value::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<RawNode>>()? {
            let value = map.next_value::<Spanned<RawNode>>()?;
            entries.push((into_node(key), into_node(value)));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_keep_their_positions() {
        let node = parse("version: 1\ndomains:\n  users: {}\n").expect("valid yaml");
        let Value::Map(entries) = &node.value else {
            panic!("root is a map")
        };
        let (key, value) = &entries[1];
        assert_eq!((key.pos.line, key.pos.column), (2, 1));
        let Value::Map(inner) = &value.value else {
            panic!("domains is a map")
        };
        assert_eq!((inner[0].0.pos.line, inner[0].0.pos.column), (3, 3));
        assert_eq!(inner[0].0.pos.byte_len, "users".len());
    }

    #[test]
    fn duplicate_keys_are_kept_for_the_decoder() {
        let node = parse("a: 1\na: 2\n").expect("valid yaml");
        let Value::Map(entries) = node.value else {
            panic!("root is a map")
        };
        assert_eq!(entries.len(), 2);
    }

    #[test]
    fn syntax_errors_have_a_position_and_no_suffix() {
        let err = parse("a: [1, 2\nb: 3\n").expect_err("unclosed list");
        assert_eq!(err.pos.line, 2);
        assert!(!err.message.contains("at line"), "{}", err.message);
    }

    #[test]
    fn unclosed_brackets_are_found_before_the_error_line() {
        let text = "a: [1, 2\nb: { c: '[' }\nd: 3\n";
        assert_eq!(unclosed_bracket(text, 3), Some(('[', 1)));
        assert_eq!(unclosed_bracket("a: [1]\nb: 2\n", 2), None);
    }

    #[test]
    fn scalar_text_recovers_yaml_booleans_as_written() {
        let src = "no: 1\n";
        let node = parse(src).expect("valid yaml");
        let Value::Map(entries) = node.value else {
            panic!("root is a map")
        };
        assert_eq!(entries[0].0.scalar_text(src).as_deref(), Some("no"));
    }
}
