//! Field types as written (`Option<Vec<Money>>`) -> `FieldType`, with "did you mean" for
//! misspelled ones.

use std::collections::BTreeSet;

use super::model::FieldType;
use super::names::did_you_mean;

/// Parses `text` against the built-in types and the declared value types. The error is a
/// message and, when something close exists, the corrected spelling of the whole type.
pub fn parse_field_type(
    text: &str,
    declared: &BTreeSet<String>,
) -> Result<FieldType, (String, Option<String>)> {
    let text = text.trim();
    if let Some((wrapper, inner)) = split_generic(text) {
        if !["Option", "Vec"].contains(&wrapper) {
            let close = did_you_mean(wrapper, ["Option", "Vec"]).map(|w| format!("{w}<{inner}>"));
            return Err((format!("unknown field type `{text}`"), close));
        }
        let inner_type = parse_field_type(inner, declared)
            .map_err(|(message, fixed)| (message, fixed.map(|f| format!("{wrapper}<{f}>"))))?;
        return match wrapper {
            "Option" => Ok(FieldType::Option(Box::new(inner_type))),
            "Vec" => Ok(FieldType::Vec(Box::new(inner_type))),
            _ => {
                let close =
                    did_you_mean(wrapper, ["Option", "Vec"]).map(|w| format!("{w}<{inner}>"));
                Err((format!("unknown field type `{text}`"), close))
            }
        };
    }
    if let Some(scalar) = FieldType::scalar(text) {
        return Ok(scalar);
    }
    if declared.contains(text) {
        return Ok(FieldType::Named(text.to_string()));
    }
    let candidates = FieldType::SCALARS
        .iter()
        .copied()
        .chain(declared.iter().map(String::as_str));
    let close = did_you_mean(text, candidates).map(str::to_string);
    Err((format!("unknown field type `{text}`"), close))
}

/// `Wrapper<inner>` -> (`Wrapper`, `inner`), when the angle brackets enclose the rest.
fn split_generic(text: &str) -> Option<(&str, &str)> {
    let open = text.find('<')?;
    let inner = text.strip_suffix('>')?.get(open + 1..)?;
    let wrapper = text[..open].trim();
    Some((wrapper, inner))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared() -> BTreeSet<String> {
        ["Money".to_string()].into()
    }

    #[test]
    fn nested_types_parse() {
        let ty = parse_field_type("Option<Vec<Money>>", &declared()).expect("valid");
        assert_eq!(
            ty,
            FieldType::Option(Box::new(FieldType::Vec(Box::new(FieldType::Named(
                "Money".into()
            )))))
        );
        assert_eq!(ty.to_string(), "Option<Vec<Money>>");
        assert_eq!(ty.named(), Some("Money"));
        assert_eq!(parse_field_type(" u32 ", &declared()), Ok(FieldType::U32));
    }

    #[test]
    fn misspelled_types_get_a_suggestion() {
        let (message, fix) = parse_field_type("Strng", &declared()).expect_err("typo");
        assert_eq!(message, "unknown field type `Strng`");
        assert_eq!(fix.as_deref(), Some("String"));
        let (_, fix) = parse_field_type("Vec<Mony>", &declared()).expect_err("typo");
        assert_eq!(fix.as_deref(), Some("Vec<Money>"));
        let (_, fix) = parse_field_type("Optional<String>", &declared()).expect_err("typo");
        assert_eq!(fix.as_deref(), Some("Option<String>"));
        let (_, fix) =
            parse_field_type("HashMap<String, String>", &declared()).expect_err("unsupported");
        assert_eq!(fix, None);
        assert!(parse_field_type("", &declared()).is_err());
        assert!(parse_field_type("Vec<>", &declared()).is_err());
    }
}
