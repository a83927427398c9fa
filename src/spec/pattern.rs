//! Module patterns: `a::b` names exactly one module (or item), `a::*` its direct children,
//! `a::**` all its descendants. The first segment is a crate name, or `crate`, which stands
//! for the root of every analysed crate. When several patterns match a module, the most
//! specific one decides which domain it belongs to.

use std::fmt;

use crate::diagnostics::Location;

/// How a pattern ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PatternKind {
    /// `a::**`: every module strictly below `a`.
    Descendants,
    /// `a::*`: the modules directly below `a`.
    Children,
    /// `a::b`: that module (or item) only.
    Exact,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PatternRoot {
    /// `crate::..`: any analysed crate.
    AnyCrate,
    /// `shop::..`: that crate only.
    Crate(String),
}

/// How specific a match is; greater wins. A deeper fixed prefix is more specific, and at
/// equal depth an exact name beats `*`, which beats `**`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Specificity {
    /// Fixed segments, the crate root included.
    pub depth: usize,
    pub kind: PatternKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ModulePattern {
    /// As written in the spec.
    pub text: String,
    pub location: Location,
    pub root: PatternRoot,
    /// Fixed segments after the root.
    pub segments: Vec<String>,
    pub kind: PatternKind,
}

impl fmt::Display for ModulePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl ModulePattern {
    /// Parses `text`; the error says what is wrong with it, in words.
    pub fn parse(text: &str, location: Location) -> Result<ModulePattern, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err("a module pattern cannot be empty".to_string());
        }
        let parts: Vec<&str> = trimmed.split("::").collect();
        let (last, fixed) = parts
            .split_last()
            .ok_or("a module pattern cannot be empty")?;
        let (kind, fixed) = match *last {
            "**" => (PatternKind::Descendants, fixed),
            "*" => (PatternKind::Children, fixed),
            _ => (PatternKind::Exact, &parts[..]),
        };
        let Some((root, segments)) = fixed.split_first() else {
            return Err(format!(
                "`{trimmed}` has no crate: start it with `crate::` or a crate name"
            ));
        };
        for segment in fixed {
            if segment.is_empty() {
                return Err(format!(
                    "`{trimmed}` has an empty segment (`::::` or a trailing `::`)"
                ));
            }
            if segment.contains('*') {
                return Err(format!(
                    "`{trimmed}`: `*` and `**` may only be the last segment"
                ));
            }
            let ident = segment.strip_prefix("r#").unwrap_or(segment);
            let valid = ident
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && ident.chars().all(|c| c.is_alphanumeric() || c == '_');
            if !valid {
                return Err(format!(
                    "`{segment}` in `{trimmed}` is not a Rust identifier"
                ));
            }
        }
        let root = if *root == "crate" {
            PatternRoot::AnyCrate
        } else {
            PatternRoot::Crate((*root).to_string())
        };
        Ok(ModulePattern {
            text: trimmed.to_string(),
            location,
            root,
            segments: segments.iter().map(|s| (*s).to_string()).collect(),
            kind,
        })
    }

    /// Whether the pattern matches `module_path` (`shop::orders::service`, the crate name
    /// first), and how specifically. `crate::` patterns match in any crate of
    /// `crate_names`; with no crate names given they match in every crate.
    pub fn matches(&self, module_path: &str, crate_names: &[&str]) -> Option<Specificity> {
        let mut path = module_path.split("::");
        let krate = path.next()?;
        let rest: Vec<&str> = path.collect();
        let root_matches = match &self.root {
            PatternRoot::AnyCrate => crate_names.is_empty() || crate_names.contains(&krate),
            PatternRoot::Crate(name) => name == krate,
        };
        if !root_matches || rest.len() < self.segments.len() {
            return None;
        }
        let prefix_matches = self
            .segments
            .iter()
            .zip(&rest)
            .all(|(pattern, actual)| pattern == actual);
        let below = rest.len() - self.segments.len();
        let kind_matches = match self.kind {
            PatternKind::Exact => below == 0,
            PatternKind::Children => below == 1,
            PatternKind::Descendants => below >= 1,
        };
        (prefix_matches && kind_matches).then_some(self.specificity())
    }

    pub fn specificity(&self) -> Specificity {
        Specificity {
            depth: 1 + self.segments.len(),
            kind: self.kind,
        }
    }

    /// Whether some module could be matched by both patterns at the same specificity, judged
    /// from the patterns alone: same segments and kind, and roots that can name one crate.
    pub fn overlaps_at_same_specificity(&self, other: &ModulePattern) -> bool {
        let roots_meet = match (&self.root, &other.root) {
            (PatternRoot::Crate(a), PatternRoot::Crate(b)) => a == b,
            _ => true,
        };
        roots_meet && self.segments == other.segments && self.kind == other.kind
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str) -> ModulePattern {
        let location = Location {
            file: "fissure.yaml".into(),
            line: 1,
            column: 1,
        };
        ModulePattern::parse(text, location).expect("valid pattern")
    }

    #[test]
    fn exact_patterns_match_one_module() {
        let p = pattern("shop::orders");
        assert!(p.matches("shop::orders", &["shop"]).is_some());
        assert!(p.matches("shop::orders::service", &["shop"]).is_none());
        assert!(p.matches("shop", &["shop"]).is_none());
        assert!(p.matches("other::orders", &["shop", "other"]).is_none());
    }

    #[test]
    fn children_and_descendants() {
        let children = pattern("shop::orders::*");
        assert!(children.matches("shop::orders::service", &[]).is_some());
        assert!(children.matches("shop::orders", &[]).is_none());
        assert!(children.matches("shop::orders::service::db", &[]).is_none());
        let all = pattern("shop::orders::**");
        assert!(all.matches("shop::orders::service", &[]).is_some());
        assert!(all.matches("shop::orders::service::db", &[]).is_some());
        assert!(all.matches("shop::orders", &[]).is_none());
    }

    #[test]
    fn crate_stands_for_every_analysed_crate() {
        let p = pattern("crate::orders");
        assert!(p.matches("shop::orders", &["shop", "admin"]).is_some());
        assert!(p.matches("admin::orders", &["shop", "admin"]).is_some());
        assert!(p.matches("serde::orders", &["shop", "admin"]).is_none());
        assert!(p.matches("anything::orders", &[]).is_some());
        let root = pattern("crate");
        assert!(root.matches("shop", &["shop"]).is_some());
        assert!(root.matches("shop::orders", &["shop"]).is_none());
    }

    #[test]
    fn the_most_specific_pattern_wins() {
        let module = "shop::orders::service::db";
        let ranked = [
            pattern("shop::**"),
            pattern("shop::orders::**"),
            pattern("shop::orders::service::*"),
            pattern("crate::orders::service::db"),
        ];
        let specificities: Vec<Specificity> = ranked
            .iter()
            .map(|p| p.matches(module, &["shop"]).expect("all match"))
            .collect();
        assert!(
            specificities.windows(2).all(|w| w[0] < w[1]),
            "{specificities:?}"
        );
        assert!(pattern("a::b::*").specificity() > pattern("a::b::**").specificity());
        assert!(pattern("a::b").specificity() > pattern("a::b::*").specificity());
    }

    #[test]
    fn malformed_patterns_are_rejected_with_a_reason() {
        let at = Location {
            file: "f".into(),
            line: 1,
            column: 1,
        };
        for (text, needle) in [
            ("", "empty"),
            ("**", "no crate"),
            ("shop::**::orders", "last segment"),
            ("shop::::orders", "empty segment"),
            ("shop::order-lines", "identifier"),
            ("shop::", "empty segment"),
        ] {
            let err = ModulePattern::parse(text, at.clone()).expect_err(text);
            assert!(err.contains(needle), "{text}: {err}");
        }
    }

    #[test]
    fn overlap_is_judged_from_roots_segments_and_kind() {
        assert!(pattern("crate::users").overlaps_at_same_specificity(&pattern("hotel::users")));
        assert!(!pattern("shop::users").overlaps_at_same_specificity(&pattern("hotel::users")));
        assert!(
            !pattern("crate::users").overlaps_at_same_specificity(&pattern("crate::users::**"))
        );
    }
}
