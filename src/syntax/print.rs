//! The other direction: Rust built as tokens (by `generate`) checked and laid out as text,
//! with syn and prettyplease, so that syn stays inside this module.

use proc_macro2::TokenStream;

/// Whether `name` is a plain Rust identifier: keywords, raw identifiers (`r#type`), paths and
/// other text are not.
pub fn is_identifier(name: &str) -> bool {
    !name.starts_with("r#") && syn::parse_str::<proc_macro2::Ident>(name).is_ok()
}

/// The tokens of a whole Rust file laid out by prettyplease, or why they are not a file.
/// prettyplease drops comments: callers add headers after.
pub fn format_file(tokens: TokenStream) -> Result<String, String> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| e.to_string())?;
    Ok(prettyplease::unparse(&file))
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn keywords_and_paths_are_not_identifiers() {
        assert!(is_identifier("user_id"));
        for not in ["type", "r#type", "../x", "a*/b", "", "a b"] {
            assert!(!is_identifier(not), "{not}");
        }
    }

    #[test]
    fn tokens_of_a_file_are_laid_out_and_others_refused() {
        let text = format_file(quote!(
            pub fn f() -> u8 {
                1
            }
        ))
        .expect("a file");
        assert_eq!(text, "pub fn f() -> u8 {\n    1\n}\n");
        assert!(format_file(quote!(fn)).is_err());
    }
}
