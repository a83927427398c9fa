//! Cargo.toml as written: the few tables discovery needs, read with `toml` + serde, with
//! byte spans kept where a later diagnostic has to point at a line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Code, Diagnostic, Location};

/// One Cargo.toml, parsed but not interpreted. Unknown keys are ignored on purpose: cargo
/// grows new keys every release and discovery must not break on them.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct RawManifest {
    pub package: Option<Spanned<RawPackage>>,
    pub lib: Option<Spanned<RawTarget>>,
    pub bin: Option<Vec<Spanned<RawTarget>>>,
    pub workspace: Option<RawWorkspace>,
    #[serde(default)]
    pub dependencies: DepTable,
    #[serde(default)]
    pub dev_dependencies: DepTable,
    /// `[target.'cfg(..)'.dependencies]`; the platform key does not matter for analysis.
    #[serde(default)]
    pub target: BTreeMap<String, RawPlatform>,
}

pub(crate) type DepTable = BTreeMap<String, Spanned<RawDep>>;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct RawPackage {
    pub name: Option<String>,
    pub autobins: Option<bool>,
    pub autolib: Option<bool>,
}

/// `[lib]` or one `[[bin]]`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RawTarget {
    pub name: Option<String>,
    pub path: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct RawWorkspace {
    #[serde(default)]
    pub members: Vec<Spanned<String>>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub dependencies: DepTable,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct RawPlatform {
    #[serde(default)]
    pub dependencies: DepTable,
    #[serde(default)]
    pub dev_dependencies: DepTable,
}

/// `foo = "1"` or `foo = { package = "bar", path = "..", workspace = true }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawDep {
    Version(#[allow(dead_code)] String),
    Detailed(RawDepDetail),
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RawDepDetail {
    pub package: Option<String>,
    pub path: Option<String>,
    #[serde(default)]
    pub workspace: bool,
}

/// A manifest with its file and text, so later diagnostics can turn spans into lines.
#[derive(Debug)]
pub(crate) struct Manifest {
    pub file: PathBuf,
    pub text: String,
    pub raw: RawManifest,
}

impl Manifest {
    /// The folder holding this Cargo.toml.
    pub fn dir(&self) -> &Path {
        self.file.parent().unwrap_or(Path::new("."))
    }

    pub fn location(&self, span: std::ops::Range<usize>) -> Location {
        location_of(&self.file, &self.text, span.start)
    }
}

/// Reads and parses one Cargo.toml; every failure is a `bad-manifest` diagnostic, positioned
/// when the parser knows where.
pub(crate) fn read_manifest(file: &Path) -> Result<Manifest, Diagnostic> {
    let text = std::fs::read_to_string(file).map_err(|err| {
        Diagnostic::error(
            Code::BadManifest,
            format!("cannot read {}: {err}", file.display()),
        )
        .at(Location {
            file: file.to_path_buf(),
            line: 1,
            column: 1,
        })
    })?;
    parse_manifest(file, text)
}

pub(crate) fn parse_manifest(file: &Path, text: String) -> Result<Manifest, Diagnostic> {
    match toml::from_str::<RawManifest>(&text) {
        Ok(raw) => Ok(Manifest {
            file: file.to_path_buf(),
            text,
            raw,
        }),
        Err(err) => {
            let offset = err.span().map_or(0, |span| span.start);
            let message = err.message().trim_end().to_string();
            Err(
                Diagnostic::error(Code::BadManifest, format!("invalid Cargo.toml: {message}"))
                    .at(location_of(file, &text, offset)),
            )
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn location_of(file: &Path, text: &str, offset: usize) -> Location {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Location {
        file: file.to_path_buf(),
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    }
}
