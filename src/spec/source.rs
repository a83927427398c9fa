//! The spec against the code it describes (`fissure validate --source PATH`): module
//! patterns that match no module and `public` entries that name nothing are errors. The
//! analyzer produces the [`SourceIndex`]; this check never reads files itself.

use std::collections::BTreeSet;

use crate::diagnostics::{Code, Diagnostic};

use super::model::{ModulePattern, PatternRoot, Spec};
use super::names::did_you_mean;

/// What exists in the analysed code, as full paths whose first segment is the crate name:
/// modules (`shop::orders::service`) and items (`shop::orders::Order`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceIndex {
    pub modules: Vec<String>,
    pub items: Vec<String>,
}

impl SourceIndex {
    /// The crates the index covers, which `crate::` patterns stand for.
    pub fn crate_names(&self) -> Vec<&str> {
        let names: BTreeSet<&str> = self
            .modules
            .iter()
            .chain(&self.items)
            .filter_map(|path| path.split("::").next())
            .collect();
        names.into_iter().collect()
    }
}

pub fn check_against_source(spec: &Spec, index: &SourceIndex) -> Vec<Diagnostic> {
    let crates = index.crate_names();
    let mut diagnostics = Vec::new();
    let module_patterns = spec.shared.iter().map(|p| ("`shared`", p)).chain(
        spec.domains
            .values()
            .flat_map(|d| d.modules.iter().map(|p| ("`modules`", p))),
    );
    for (list, pattern) in module_patterns {
        if !index
            .modules
            .iter()
            .any(|m| pattern.matches(m, &crates).is_some())
        {
            let help = suggestion(pattern, &index.modules, &crates)
                .map(|close| format!("did you mean `{close}`?"))
                .unwrap_or_else(|| format!("remove it from {list}, or check the module path"));
            diagnostics.push(
                Diagnostic::error(
                    Code::UnmatchedModulePattern,
                    format!(
                        "module pattern `{}` matches no module of the source",
                        pattern.text
                    ),
                )
                .at(pattern.location.clone())
                .with_help(help),
            );
        }
    }
    for domain in spec.domains.values() {
        for pattern in &domain.public {
            let exists = index
                .items
                .iter()
                .chain(&index.modules)
                .any(|path| pattern.matches(path, &crates).is_some());
            if !exists {
                let paths: Vec<String> =
                    index.items.iter().chain(&index.modules).cloned().collect();
                let help = suggestion(pattern, &paths, &crates)
                    .map(|close| format!("did you mean `{close}`?"))
                    .unwrap_or_else(|| {
                        "remove it from `public`, or check the item's path".to_string()
                    });
                diagnostics.push(
                    Diagnostic::error(
                        Code::UnknownPublicItem,
                        format!("`{}` in the public interface of domain `{}` names no item or module of the source", pattern.text, domain.name),
                    )
                    .at(pattern.location.clone())
                    .with_help(help),
                );
            }
        }
    }
    diagnostics
}

/// The existing path closest to what the pattern names, with `crate` read as each crate.
fn suggestion(pattern: &ModulePattern, paths: &[String], crates: &[&str]) -> Option<String> {
    let roots: Vec<&str> = match &pattern.root {
        PatternRoot::AnyCrate => crates.to_vec(),
        PatternRoot::Crate(name) => vec![name.as_str()],
    };
    roots.iter().find_map(|root| {
        let wanted = std::iter::once(*root)
            .chain(pattern.segments.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("::");
        did_you_mean(&wanted, paths.iter().map(String::as_str)).map(str::to_string)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::load;

    const SPEC: &str = "\
version: 1
system: shop
shared: [crate::util]
domains:
  orders:
    modules: [crate::orders, crate::orders::**]
    public: [shop::orders::Order, crate::orders::OrderId]
  billing:
    modules: [shop::billing, shop::invoicing::*]
    public: [crate::billing::Invoce]
";

    fn index() -> SourceIndex {
        SourceIndex {
            modules: [
                "shop",
                "shop::util",
                "shop::orders",
                "shop::orders::service",
                "shop::billing",
            ]
            .map(String::from)
            .to_vec(),
            items: [
                "shop::orders::Order",
                "shop::orders::OrderId",
                "shop::billing::Invoice",
            ]
            .map(String::from)
            .to_vec(),
        }
    }

    #[test]
    fn patterns_without_modules_and_missing_public_items_are_errors() {
        let (spec, diagnostics) = load("fissure.yaml", SPEC);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let found = check_against_source(&spec.expect("valid"), &index());
        let summary: Vec<(String, u32, Option<String>)> = found
            .iter()
            .map(|d| {
                (
                    d.code.to_string(),
                    d.location.as_ref().map_or(0, |l| l.line),
                    d.help.clone(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "unmatched-module-pattern".to_string(),
                    9,
                    Some("remove it from `modules`, or check the module path".to_string())
                ),
                (
                    "unknown-public-item".to_string(),
                    10,
                    Some("did you mean `shop::billing::Invoice`?".to_string())
                ),
            ]
        );
    }

    #[test]
    fn a_matching_index_is_clean() {
        let (spec, _) = load("fissure.yaml", SPEC);
        let mut index = index();
        index.modules.push("shop::invoicing::pdf".to_string());
        index.items.push("shop::billing::Invoce".to_string());
        assert_eq!(check_against_source(&spec.expect("valid"), &index), []);
    }

    #[test]
    fn crate_names_come_from_the_paths() {
        assert_eq!(index().crate_names(), ["shop"]);
    }
}
