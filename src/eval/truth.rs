//! Hand-made domain labels of a real monolith (`<name>.truth.yaml`; `tests/eval_data/` holds
//! every labelled project, each file with its reasoning per domain): module path → fine
//! domain, each fine domain with a coarse parent. The format is the dev set's, whose own
//! description lives outside this repository, next to it (`shared/bench/README.md`).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// The label that marks genuine infrastructure, left out of scores by convention.
pub const SHARED: &str = "shared";

/// A parsed truth file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Truth {
    /// The labelled public repository (`owner/name`).
    pub repo: String,
    /// The commit the labels describe.
    pub commit: String,
    /// The folder of the repository that was analysed, when not its root (`server`).
    #[serde(default)]
    pub root: String,
    /// Fine domains by name.
    pub domains: BTreeMap<String, TruthDomain>,
    /// Module path (relative to the crate root; `crate` is the root) → fine domain.
    pub modules: BTreeMap<String, String>,
    /// Crate (target name) → domain of all its modules that `modules` does not list: a
    /// workspace labels whole crates here. Modules of crates other than the main one are
    /// written in `modules` with their crate's name (`shop_kernel::money`).
    #[serde(default)]
    pub crates: BTreeMap<String, String>,
    /// Modules (or other parts) deliberately not labelled, with the reason; not scored.
    #[serde(default)]
    pub excluded: BTreeMap<String, String>,
    /// Judgement calls: module → explanation with the secondary domain.
    #[serde(default)]
    pub mixed: BTreeMap<String, String>,
}

/// One fine domain of a truth file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TruthDomain {
    /// The coarse domain this one belongs to.
    pub coarse: String,
    /// One-line summary.
    #[serde(default)]
    pub summary: String,
    /// Why the modules were labelled so.
    #[serde(default)]
    pub reasoning: String,
}

/// A truth file that could not be read, with the position of the problem when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthError {
    /// 1-based line, if known.
    pub line: Option<u64>,
    /// 1-based column, if known.
    pub column: Option<u64>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for TruthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{line}:{column}: {}", self.message),
            _ => write!(f, "{}", self.message),
        }
    }
}

impl std::error::Error for TruthError {}

impl Truth {
    /// Parses the YAML text of a truth file. A module labelled with a domain that `domains`
    /// does not declare is an error.
    pub fn parse(text: &str) -> Result<Truth, TruthError> {
        let truth: Truth = serde_saphyr::from_str(text).map_err(|e| {
            let location = e.location();
            TruthError {
                line: location.map(|l| l.line()),
                column: location.map(|l| l.column()),
                message: e.to_string(),
            }
        })?;
        let undeclared =
            |(_, d): &(&String, &String)| d.as_str() != SHARED && !truth.domains.contains_key(*d);
        let module = truth.modules.iter().find(undeclared);
        let krate = truth.crates.iter().find(undeclared);
        if let Some((what, (name, domain))) = module
            .map(|m| ("module", m))
            .or(krate.map(|c| ("crate", c)))
        {
            return Err(TruthError {
                line: None,
                column: None,
                message: format!(
                    "{what} `{name}` is labelled `{domain}`, which `domains` does not declare"
                ),
            });
        }
        Ok(truth)
    }

    /// Module → coarse domain (`shared` stays `shared`).
    pub fn coarse_modules(&self) -> BTreeMap<String, String> {
        self.modules
            .iter()
            .map(|(module, fine)| {
                let coarse = self
                    .domains
                    .get(fine)
                    .map_or_else(|| fine.clone(), |d| d.coarse.clone());
                (module.clone(), coarse)
            })
            .collect()
    }
}
