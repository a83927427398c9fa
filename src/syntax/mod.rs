//! Parsing: syn turns one file into [`FileFacts`]; the tree is dropped right after. And
//! [`print`], generated tokens checked and laid out as text. This is the only module that
//! knows syn.

mod extract;
pub mod facts;
pub mod print;
mod refs;
pub mod sites;
pub mod sql;
mod types;

pub use extract::{ExtractOptions, type_text};
pub use facts::*;

/// Parses one file and keeps its facts. Never panics on any input; a file syn rejects
/// becomes a [`ParseFailure`] with the position of the error.
pub fn parse_file(text: &str, options: ExtractOptions) -> Result<FileFacts, ParseFailure> {
    let lines = text.lines().count() as u32;
    let result = match syn::parse_file(text) {
        Ok(file) => {
            let mut module = extract::module_facts(&file.items, options);
            if !options.include_tests && extract::is_cfg_test(&file.attrs) {
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
            pos: extract::pos(err.span()),
            message: err.to_string(),
        }),
    };
    // With `span-locations`, proc-macro2 keeps every parsed source of this thread alive
    // forever unless told otherwise; the facts above hold no spans.
    proc_macro2::extra::invalidate_current_thread_spans();
    result
}

#[cfg(test)]
mod tests;
