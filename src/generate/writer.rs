//! Writes a plan under the output folder: the only part of `generate` that touches the disk.
//! Generated files are rewritten when their content changed; user files are created when
//! missing and never touched again. Every path is checked to stay inside the output folder
//! (no `..`, no absolute paths, no symlink leading out), and every write is atomic (a
//! temporary file in the same folder, then a rename).

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use similar::TextDiff;

use super::{GeneratedFile, Ownership};

/// What writing a file of the plan does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Unchanged,
    /// A user file that exists: left as the user wrote it.
    KeepUser,
}

/// A file of the plan with what writing it would do and its current content.
#[derive(Debug, Clone)]
pub struct Planned<'a> {
    pub file: &'a GeneratedFile,
    pub target: PathBuf,
    pub action: Action,
    pub current: Option<String>,
}

#[derive(Debug)]
pub enum WriteError {
    /// A path of the plan would leave the output folder.
    Escapes {
        path: String,
        reason: String,
    },
    Io {
        path: PathBuf,
        error: io::Error,
    },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Escapes { path, reason } => write!(f, "refusing to write `{path}`: {reason}"),
            Self::Io { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |error| WriteError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Where `relative` goes under `out`, refusing paths that leave it: absolute paths, `..`,
/// and existing symlinks (of the file or a folder on the way) that resolve outside `out`.
pub fn safe_target(out: &Path, relative: &str) -> Result<PathBuf, WriteError> {
    let escapes = |reason: &str| WriteError::Escapes {
        path: relative.to_string(),
        reason: reason.to_string(),
    };
    let rel = Path::new(relative);
    if relative.is_empty() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(escapes("the path must be relative, without `..`"));
    }
    let root = match fs::canonicalize(out) {
        Ok(root) => root,
        Err(_) => return Ok(out.join(rel)),
    };
    let mut current = root.clone();
    for component in rel.components() {
        current.push(component);
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let resolved = fs::canonicalize(&current)
                    .map_err(|_| escapes("it goes through a dangling symlink"))?;
                if !resolved.starts_with(&root) {
                    return Err(escapes(
                        "a symlink on its path points outside the output folder",
                    ));
                }
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(out.join(rel))
}

/// What writing `files` under `out` would do, without writing anything.
pub fn plan_writes<'a>(
    out: &Path,
    files: &'a [GeneratedFile],
) -> Result<Vec<Planned<'a>>, WriteError> {
    files
        .iter()
        .map(|file| {
            let target = safe_target(out, &file.path)?;
            let current = match fs::read(&target) {
                Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => None,
                Err(e) => return Err(io_error(&target)(e)),
            };
            let action = match (&current, file.ownership) {
                (None, _) => Action::Create,
                (Some(_), Ownership::User) => Action::KeepUser,
                (Some(c), Ownership::Generated) if *c == file.content => Action::Unchanged,
                (Some(_), Ownership::Generated) => Action::Update,
            };
            Ok(Planned {
                file,
                target,
                action,
                current,
            })
        })
        .collect()
}

/// Writes the files whose action is `Create` or `Update`; returns how many were written.
pub fn write(planned: &[Planned<'_>]) -> Result<usize, WriteError> {
    let mut written = 0;
    for p in planned {
        if matches!(p.action, Action::Create | Action::Update) {
            write_atomic(&p.target, &p.file.content)?;
            written += 1;
        }
    }
    Ok(written)
}

fn write_atomic(target: &Path, content: &str) -> Result<(), WriteError> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io_error(dir))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.fissure-tmp"));
    fs::write(&temp, content).map_err(io_error(&temp))?;
    fs::rename(&temp, target).map_err(|e| {
        let _ = fs::remove_file(&temp);
        io_error(target)(e)
    })
}

/// Generated files that are missing or differ from the plan (drift, for `--check`).
pub fn drift<'a>(planned: &'a [Planned<'a>]) -> Vec<&'a Planned<'a>> {
    planned
        .iter()
        .filter(|p| {
            p.file.ownership == Ownership::Generated
                && matches!(p.action, Action::Create | Action::Update)
        })
        .collect()
}

/// A unified diff of every file writing would create or change (for `--dry-run`).
pub fn unified_diff(planned: &[Planned<'_>]) -> String {
    let mut out = String::new();
    for p in planned {
        if !matches!(p.action, Action::Create | Action::Update) {
            continue;
        }
        let old = p.current.as_deref().unwrap_or("");
        let from = if p.current.is_some() {
            format!("a/{}", p.file.path)
        } else {
            "/dev/null".to_string()
        };
        let to = format!("b/{}", p.file.path);
        let diff = TextDiff::from_lines(old, p.file.content.as_str());
        let _ = write!(
            out,
            "{}",
            diff.unified_diff().context_radius(3).header(&from, &to)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::safe_target;

    #[test]
    fn paths_that_leave_out_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        for bad in ["../x", "/etc/passwd", "a/../../x", ""] {
            assert!(safe_target(dir.path(), bad).is_err(), "{bad}");
        }
        assert!(safe_target(dir.path(), "a/b.rs").is_ok());
    }
}
