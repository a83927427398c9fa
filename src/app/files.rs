//! The files a command reads besides the source code (the spec, a baseline, a truth file)
//! and the ones it writes (a baseline, a draft spec). Each loader turns every problem into a
//! [`Failure`] that points at the file, line and column, with the text for a snippet.

use std::collections::BTreeSet;
use std::io;
use std::path::Path;

use crate::check::baseline::Baseline;
use crate::diagnostics::{Code, Diagnostic, Location, Severity};
use crate::eval::Truth;
use crate::report::check::SourceText;
use crate::spec::{self, Spec};

use super::failure::{Failure, SourceFile};

/// Reads the spec at `path` as text. A missing or non-UTF-8 file is an `unreadable-file`
/// diagnostic.
pub fn read_spec(path: &Path) -> Result<SourceFile, Failure> {
    let display = path.display();
    let why = match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => {
            return Ok(SourceFile {
                path: path.to_path_buf(),
                text,
            });
        }
        Ok(Err(_)) => Diagnostic::error(
            Code::UnreadableFile,
            format!("cannot read spec `{display}`: it is not UTF-8 text"),
        ),
        Err(e) => Diagnostic::error(
            Code::UnreadableFile,
            format!("cannot read spec `{display}`: {e}"),
        )
        .with_help("pass the spec with `--spec FILE`, or run in the folder that has fissure.yaml"),
    };
    Err(why.into())
}

/// Reads and validates the spec at `path`: the spec when it has no error (its warnings are
/// dropped, `validate` shows them), or every diagnostic with the spec's text.
pub fn load_spec(path: &Path) -> Result<Spec, Failure> {
    load_spec_and_text(path).map(|(spec, _)| spec)
}

/// [`load_spec`], keeping the spec's text for snippets of the spec lines findings point at.
pub fn load_spec_and_text(path: &Path) -> Result<(Spec, SourceFile), Failure> {
    let file = read_spec(path)?;
    let (spec, diagnostics) = spec::load(&path.display().to_string(), &file.text);
    match spec {
        Some(spec) if !diagnostics.iter().any(|d| d.severity == Severity::Error) => {
            Ok((spec, file))
        }
        _ => Err(Failure::InvalidSpec {
            spec: file,
            diagnostics,
        }),
    }
}

/// Reads the baseline at `path`. A missing file is an empty baseline when the run is about to
/// create it (`creating`), else a `bad-baseline` diagnostic.
pub fn load_baseline(path: &Path, creating: bool) -> Result<Baseline, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound && creating => {
            return Ok(Baseline::default());
        }
        Err(e) => {
            let d = Diagnostic::error(
                Code::BadBaseline,
                format!("cannot read baseline `{}`: {e}", path.display()),
            )
            .with_help("create it with `--update-baseline`");
            return Err(d.into());
        }
    };
    Baseline::parse(&text).map_err(|e| {
        let (line, column, message) = position_and_message(&e);
        let location = Location {
            file: path.to_path_buf(),
            line,
            column,
        };
        let d = Diagnostic::error(Code::BadBaseline, format!("invalid baseline: {message}"))
            .at(location);
        let source = SourceFile {
            path: path.to_path_buf(),
            text,
        };
        Failure::diagnostic(d, Some(source))
    })
}

/// `line:column: message`, as `Baseline::parse` says it (1:1 when a number is missing).
fn position_and_message(error: &str) -> (u32, u32, &str) {
    let mut parts = error.splitn(3, ':');
    let mut number = || {
        parts
            .next()
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(1)
    };
    let (line, column) = (number(), number());
    let message = parts.next().unwrap_or(error).trim();
    (line, column, message)
}

/// Reads a truth file of hand-made domain labels (`analyze --eval`).
pub fn load_truth(path: &Path) -> Result<Truth, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::message(format!("cannot read {}: {e}", path.display())))?;
    Truth::parse(&text).map_err(|e| Failure::message(format!("{}:{e}", path.display())))
}

/// Writes through a temporary file in the same folder, then renames: a crash never leaves
/// a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Files written together by [`write_all_or_nothing`], kept so the whole edit can be undone
/// (`split --verify` when the compiler refuses the result).
#[derive(Debug, Default)]
pub struct Written {
    /// Each path touched, with what it held before (`None`: it did not exist).
    before: Vec<(std::path::PathBuf, Option<Vec<u8>>)>,
    /// Folders made for new files, deepest last.
    made: Vec<std::path::PathBuf>,
}

impl Written {
    /// Puts every file back as it was and removes the folders made. Best effort: a failure to
    /// restore one file does not stop the others.
    pub fn roll_back(self) {
        for (path, old) in self.before.into_iter().rev() {
            let _ = match old {
                Some(bytes) => std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))
                    .and_then(|()| write_atomic(&path, &bytes)),
                None => std::fs::remove_file(&path),
            };
        }
        for dir in self.made.into_iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Writes (`Some`) and deletes (`None`) every file under `root`, each write atomic, all or
/// nothing: on the first error everything done so far is rolled back. Every path must stay
/// inside `root` (no `..`, no symlink leading out), checked before anything is written.
pub fn write_all_or_nothing(
    root: &Path,
    files: &[(String, Option<String>)],
) -> Result<Written, String> {
    let mut targets = Vec::new();
    for (rel, content) in files {
        let path = crate::generate::writer::safe_target(root, rel).map_err(|e| e.to_string())?;
        targets.push((path, content));
    }
    let mut written = Written::default();
    // Writes first, deletions after: a crash in between leaves copies, never losses.
    let order = (targets.iter().filter(|(_, c)| c.is_some()))
        .chain(targets.iter().filter(|(_, c)| c.is_none()));
    for (path, content) in order {
        if let Err(e) = write_one(path, content.as_deref(), &mut written) {
            written.roll_back();
            return Err(format!("cannot write {}: {e}", path.display()));
        }
    }
    Ok(written)
}

fn write_one(path: &Path, content: Option<&str>, written: &mut Written) -> io::Result<()> {
    let old = match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    written.before.push((path.to_path_buf(), old));
    match content {
        Some(text) => {
            let dir = path.parent().unwrap_or(Path::new("."));
            let mut missing = Vec::new();
            let mut d = dir;
            while !d.exists() {
                missing.push(d.to_path_buf());
                d = d.parent().unwrap_or(Path::new("."));
            }
            std::fs::create_dir_all(dir)?;
            written.made.extend(missing.into_iter().rev());
            write_atomic(path, text.as_bytes())
        }
        None => {
            std::fs::remove_file(path)?;
            // A folder the move emptied goes too (restored by the rollback's writes).
            if let Some(dir) = path.parent() {
                let _ = std::fs::remove_dir(dir);
            }
            Ok(())
        }
    }
}

/// The text of every file the findings' labels point into (paths relative to `root`), but
/// `except` (a file the caller holds already); a file that cannot be read is left out, and
/// its findings render without a snippet.
pub(crate) fn read_label_sources<'a>(
    root: &Path,
    findings: impl IntoIterator<Item = &'a Diagnostic>,
    except: Option<&Path>,
) -> Vec<SourceText> {
    let files: BTreeSet<&Path> = (findings.into_iter())
        .flat_map(|d| d.labels.iter().map(|l| l.location.file.as_path()))
        .filter(|f| Some(*f) != except)
        .collect();
    files
        .into_iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(root.join(f)).ok()?;
            Some(SourceText {
                path: f.to_path_buf(),
                text,
            })
        })
        .collect()
}
