//! Names that resolve without an import: the std prelude, built-in macros and the
//! standard crates. They are external: recorded, never graph nodes.

use crate::syntax::Namespace;

const PRELUDE_TYPES: &[&str] = &[
    "Option", "Result", "Vec", "String", "Box", "ToString", "ToOwned", "Clone", "Copy",
    "Default", "Drop", "Fn", "FnMut", "FnOnce", "Iterator", "IntoIterator", "DoubleEndedIterator",
    "ExactSizeIterator", "Extend", "Send", "Sync", "Sized", "Unpin", "PartialEq", "Eq",
    "PartialOrd", "Ord", "AsRef", "AsMut", "Into", "From", "TryFrom", "TryInto", "FromIterator",
    "Debug", "Hash", "Self",
];

const PRELUDE_VALUES: &[&str] = &["Some", "None", "Ok", "Err", "drop", "Box", "String", "Vec"];

const STD_CRATES: &[&str] = &["std", "core", "alloc", "proc_macro", "test"];

const BUILTIN_MACROS: &[&str] = &[
    "println", "print", "eprintln", "eprint", "format", "format_args", "write", "writeln",
    "vec", "panic", "assert", "assert_eq", "assert_ne", "debug_assert", "debug_assert_eq",
    "debug_assert_ne", "unreachable", "unimplemented", "todo", "matches", "dbg", "concat",
    "stringify", "include", "include_str", "include_bytes", "env", "option_env", "cfg",
    "line", "column", "file", "module_path", "compile_error", "macro_rules", "thread_local",
    "try", "trace_macros", "log_syntax", "concat_idents", "global_asm", "asm",
];

/// The crate a prelude name comes from, when `name` is one.
pub fn builtin(name: &str, ns: Namespace) -> Option<&'static str> {
    let hit = match ns {
        Namespace::Type => PRELUDE_TYPES.contains(&name) || STD_CRATES.contains(&name),
        Namespace::Value => PRELUDE_VALUES.contains(&name),
        Namespace::Macro => BUILTIN_MACROS.contains(&name),
    };
    if !hit {
        return None;
    }
    Some(match name {
        "core" => "core",
        "alloc" => "alloc",
        "proc_macro" => "proc_macro",
        _ => "std",
    })
}

/// Method names so common on std types (`v.push(x)`, `s.len()`) that a single workspace
/// impl defining one says nothing about what `x.name()` calls.
pub const COMMON_METHODS: &[&str] = &[
    "clone", "to_string", "to_owned", "into", "from", "as_ref", "as_mut", "borrow", "len",
    "is_empty", "push", "pop", "insert", "remove", "get", "get_mut", "contains", "iter",
    "iter_mut", "into_iter", "map", "and_then", "unwrap", "expect", "unwrap_or",
    "unwrap_or_default", "unwrap_or_else", "ok", "err", "ok_or", "collect", "filter", "find",
    "fmt", "eq", "cmp", "partial_cmp", "hash", "default", "next", "lock", "read", "write",
    "send", "recv", "join", "split", "trim", "parse", "as_str", "as_bytes", "extend", "clear",
    "first", "last", "keys", "values", "entry", "sum", "count", "min", "max", "sort",
    "sort_by", "sort_by_key", "retain", "drain", "take", "skip", "chain", "zip", "rev",
    "enumerate", "any", "all", "position", "fold", "for_each", "await", "poll", "build",
    "new", "with_capacity", "is_some", "is_none", "is_ok", "is_err", "map_err", "cloned",
    "copied", "flatten", "flat_map", "starts_with", "ends_with", "replace", "to_lowercase",
    "to_uppercase", "lines", "chars", "bytes", "as_slice", "to_vec", "deref", "drop", "flush",
];
