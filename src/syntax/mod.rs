//! Parsing: syn turns one file into [`FileFacts`]; the tree is dropped right after. And
//! [`print`], generated tokens checked and laid out as text. This is the only module that
//! knows syn.

mod attrs;
mod diesel_writes;
mod extract;
pub mod facts;
mod macros;
pub mod nesting;
mod paths;
pub mod print;
mod refs;
mod sea_orm;
pub mod sites;
pub mod sql;
mod tokens;
mod types;

pub use facts::*;
pub use paths::type_text;

/// Parses one file and keeps its facts. Never panics or overflows its stack on any input:
/// a file syn rejects becomes a [`ParseFailure`] with the position of the error, a file past
/// the [`nesting`] budget one at the token that crosses it; the rest is parsed on a
/// [`crate::workers`] thread.
pub fn parse_file(text: &str, options: ExtractOptions) -> Result<FileFacts, ParseFailure> {
    if let Some(failure) = past_nesting_budget(text) {
        return Err(failure);
    }
    crate::workers::install(|| parse_within_budget(text, options))
}

/// The failure of a file that crosses the [`nesting`] budget, checked before any recursive
/// pass over its tokens.
fn past_nesting_budget(text: &str) -> Option<ParseFailure> {
    nesting::too_deep(text).map(|pos| ParseFailure {
        pos,
        message: format!(
            "nesting deeper than fissure's budget of {} unfinished tokens; file skipped",
            nesting::NESTING_BUDGET
        ),
        too_deep: true,
    })
}

fn parse_within_budget(text: &str, options: ExtractOptions) -> Result<FileFacts, ParseFailure> {
    let lines = text.lines().count() as u32;
    let result = match syn::parse_file(text) {
        Ok(file) => {
            let mut module = macros::with_file_macros(text, &file, || {
                extract::module_facts(&file.items, options)
            });
            if !options.include_tests && attrs::is_cfg_test(&file.attrs) {
                // `#![cfg(test)]` at the top of a file: the whole module is test code. It
                // stays in the tree, empty; the files its `mod x;` declare are no orphans.
                let mut excluded = module.excluded_mods;
                excluded.extend(module.mods.into_iter().filter(|d| d.inline.is_none()));
                module = ModuleFacts {
                    excluded_mods: excluded,
                    ..ModuleFacts::default()
                };
            }
            Ok(FileFacts { module, lines })
        }
        Err(err) => Err(ParseFailure {
            pos: paths::pos(err.span()),
            message: err.to_string(),
            too_deep: false,
        }),
    };
    // With `span-locations`, proc-macro2 keeps every parsed source of this thread alive
    // forever unless told otherwise; the facts above hold no spans.
    proc_macro2::extra::invalidate_current_thread_spans();
    result
}

#[cfg(test)]
mod tests;
