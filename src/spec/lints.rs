//! The spec's `lints` table (and the older `unassigned` key) -> [`Lints`]: which codes it
//! names, the level of each, and its exceptions. Each problem is reported at its line, with
//! the closest code when a name is misspelt.

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Level};

use super::model::{Exception, ExceptionTarget, LevelSetting, Lints};
use super::names::did_you_mean;
use super::raw::{At, RawException, RawLint, RawSpec, RawUnassigned};
use super::validate::Validator;

/// The check code a user wrote (on the command line or in `lints`): a code of
/// `fissure check`, or its former name. The error is the help to show.
pub fn lint_code(name: &str) -> Result<Code, String> {
    if let Some(code) = Code::from_name(name).filter(|c| Code::CHECK.contains(c)) {
        return Ok(code);
    }
    let names = Code::CHECK.iter().map(|c| c.as_str());
    // Former names are candidates too (`boundry` is close to `boundary`); the suggestion is
    // the code's current name.
    let candidates = Code::CHECK
        .iter()
        .flat_map(|c| std::iter::once(c.as_str()).chain(c.former_name()));
    let close = did_you_mean(name, candidates).and_then(Code::from_name);
    Err(match close {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!(
            "the codes of `fissure check` are: {}",
            names.collect::<Vec<_>>().join(", ")
        ),
    })
}

impl Validator<'_, '_> {
    pub(crate) fn lints(&mut self, raw: &RawSpec) -> Lints {
        let mut lints = Lints::default();
        // Where each code's level was set, to report a second setting.
        let mut set_by: BTreeMap<Code, String> = BTreeMap::new();
        if let Some(unassigned) = &raw.unassigned {
            let level = match unassigned.value {
                RawUnassigned::Error => Level::Deny,
                RawUnassigned::Warn => Level::Warn,
                RawUnassigned::Ignore => Level::Allow,
            };
            self.set_level(&mut lints, Code::UnassignedModule, unassigned, level);
            set_by.insert(
                Code::UnassignedModule,
                format!("`unassigned` on line {}", unassigned.pos.line),
            );
        }
        for (name, lint) in &raw.lints.0.0 {
            let code = match lint_code(&name.value) {
                Ok(code) => code,
                Err(help) => {
                    self.error(
                        Code::UnknownKey,
                        name,
                        format!("unknown lint `{}`", name.value),
                        Some(help),
                    );
                    continue;
                }
            };
            if let Some(first) = set_by.get(&code) {
                let message = format!("the lint `{code}` is set twice");
                let help = format!("{first} already sets it; keep one");
                self.error(Code::DuplicateName, name, message, Some(help));
                continue;
            }
            set_by.insert(code, format!("`{}` on line {}", name.value, name.pos.line));
            match lint {
                RawLint::Level(level) => self.set_level(&mut lints, code, level, level.value),
                RawLint::Detailed(detail) => {
                    if let Some(level) = &detail.level {
                        self.set_level(&mut lints, code, level, level.value);
                    }
                    if !detail.exceptions.is_empty() && !takes_exceptions(code) {
                        self.error(
                            Code::UnknownKey,
                            name,
                            format!("`{code}` takes no `exceptions`"),
                            Some(format!(
                                "it is not about one place in the code: set its level instead (`{code}: allow`)"
                            )),
                        );
                        continue;
                    }
                    for exception in &detail.exceptions {
                        if let Some(exception) = self.exception(code, exception) {
                            lints.exceptions.push(exception);
                        }
                    }
                }
            }
        }
        lints
    }

    fn set_level<T>(&mut self, lints: &mut Lints, code: Code, at: &At<T>, level: Level) {
        let setting = LevelSetting {
            level,
            set_at: Some(self.loc(at)),
        };
        lints.levels.insert(code, setting);
    }

    fn exception(&mut self, code: Code, raw: &RawException) -> Option<Exception> {
        // A missing `in` was reported by the decoder.
        let within_at = raw.r#in.as_ref()?;
        let within = self.pattern(within_at)?;
        let to = match &raw.to {
            None => None,
            Some(table) if code == Code::ForeignTableAccess => {
                Some(ExceptionTarget::Table(table.value.clone()))
            }
            Some(item) => Some(ExceptionTarget::Item(self.pattern(item)?)),
        };
        Some(Exception {
            code,
            location: self.loc(within_at),
            within,
            to,
            reason: raw.reason.as_ref().map(|r| r.value.clone()),
        })
    }
}

/// Whether findings of `code` sit in one place of the code an exception can name. A cycle
/// spans domains; an unmatched exception is about the spec itself.
fn takes_exceptions(code: Code) -> bool {
    !matches!(code, Code::CycleBetweenDomains | Code::UnmatchedException)
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::{Code, Level};
    use crate::spec::{ExceptionTarget, load};

    const HEAD: &str = "version: 1\nsystem: s\ndomains: { a: { modules: [crate::a] } }\n";

    /// (code, line, column, help) of each diagnostic of `HEAD` + `lints`.
    fn problems(lints: &str) -> Vec<(Code, u32, u32, String)> {
        let (_, diagnostics) = load("fissure.yaml", &format!("{HEAD}{lints}"));
        diagnostics
            .into_iter()
            .map(|d| {
                let at = d.location.expect("a location");
                (d.code, at.line, at.column, d.help.unwrap_or_default())
            })
            .collect()
    }

    #[test]
    fn a_valid_table_sets_levels_and_exceptions() {
        let yaml = format!(
            "{HEAD}unassigned: ignore\nlints:\n  boundary: warn\n  foreign-table-access:\n    level: deny\n    exceptions:\n      - {{ in: crate::a::**, to: Order_Lines, reason: why }}\n"
        );
        let (spec, diagnostics) = load("fissure.yaml", &yaml);
        let lints = spec.unwrap_or_else(|| panic!("{diagnostics:#?}")).lints;
        assert_eq!(lints.level(Code::BoundaryViolation), Level::Warn);
        assert_eq!(lints.level(Code::UnassignedModule), Level::Allow);
        assert_eq!(lints.level(Code::ForeignTableAccess), Level::Deny);
        assert_eq!(
            lints.level(Code::KernelDependsOnDomain),
            Level::Deny,
            "default"
        );
        let e = &lints.exceptions[0];
        assert_eq!(e.within.text, "crate::a::**");
        assert_eq!(e.to, Some(ExceptionTarget::Table("Order_Lines".into())));
        assert_eq!((e.location.line, e.location.column), (10, 15));
    }

    #[test]
    fn a_misspelt_code_is_an_unknown_key_with_the_closest_code() {
        assert_eq!(
            problems("lints:\n  boundary-violaton: warn\n"),
            vec![(
                Code::UnknownKey,
                5,
                3,
                "did you mean `boundary-violation`?".into()
            )]
        );
        let help = &problems("lints:\n  unknown-key: warn\n")[0].3;
        assert!(
            help.starts_with("the codes of `fissure check` are: "),
            "{help}"
        );
    }

    #[test]
    fn levels_are_three_words() {
        assert_eq!(
            problems("lints:\n  kernel: { level: forbid }\n"),
            vec![(
                Code::WrongType,
                5,
                20,
                "use one of: deny, warn, allow".into()
            )]
        );
        assert_eq!(
            problems("lints:\n  kernel: warns\n")[0].3,
            "did you mean `warn`?"
        );
    }

    #[test]
    fn a_level_set_twice_is_a_duplicate() {
        let found = problems("unassigned: warn\nlints:\n  unassigned-module: deny\n");
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].0, found[0].1), (Code::DuplicateName, 6));
        assert!(
            found[0].3.contains("`unassigned` on line 4"),
            "{}",
            found[0].3
        );
        let found = problems("lints:\n  boundary: warn\n  boundary-violation: deny\n");
        assert_eq!((found[0].0, found[0].1), (Code::DuplicateName, 6));
    }

    #[test]
    fn exceptions_are_checked_like_the_rest_of_the_spec() {
        let found = problems(
            "lints:\n  kernel:\n    exceptions:\n      - { inn: crate::a }\n      - { in: 'crate::**::a' }\n      - { in: crate::a, to: '' }\n",
        );
        let codes: Vec<(Code, u32)> = found.iter().map(|p| (p.0, p.1)).collect();
        assert_eq!(
            codes,
            vec![
                (Code::MissingKey, 7),
                (Code::UnknownKey, 7),
                (Code::InvalidModulePattern, 8),
                (Code::InvalidModulePattern, 9),
            ]
        );
        assert_eq!(found[1].3, "did you mean `in`?");
        let found = problems("lints:\n  domain-cycle: { exceptions: [{ in: crate::a }] }\n");
        assert_eq!((found[0].0, found[0].1), (Code::UnknownKey, 5));
        assert!(
            found[0].3.contains("set its level instead"),
            "{}",
            found[0].3
        );
    }
}
