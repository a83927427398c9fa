//! The repository history for the co-change evidence of `analyze --git`: which files changed
//! together in each commit. The only part that runs `git`; everything after it is pure
//! (`suggest::cochange`).

use std::path::Path;
use std::process::Command;

/// The files of each commit, relative to the analysed folder, newest commit first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub commits: Vec<Vec<String>>,
}

/// Commits considered, newest first: enough to see a project's habits, bounded so a
/// decade-old repository does not dominate the run time.
pub const MAX_COMMITS: usize = 5_000;

/// Reads the history of the folder `root` with `git log` (merges left out: they repeat their
/// parents' changes). Paths are relative to `root` and limited to it.
pub fn read(root: &Path) -> Result<History, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "log",
            "--no-merges",
            "--no-renames",
            "--relative",
            "--name-only",
            "--format=%x00",
        ])
        .arg(format!("--max-count={MAX_COMMITS}"))
        .arg("--")
        .arg(".")
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "git log failed in {}: {}",
            root.display(),
            stderr.trim()
        ));
    }
    Ok(parse(&String::from_utf8_lossy(&output.stdout)))
}

/// `git log --format=%x00 --name-only` output: a NUL line opens each commit, file names follow.
pub fn parse(log: &str) -> History {
    let commits = log
        .split('\0')
        .map(|block| {
            block
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|files| !files.is_empty())
        .collect();
    History { commits }
}

/// The paths with uncommitted changes under `root` (`git status --porcelain`, untracked files
/// included), for `split`, which edits the work tree in place like `cargo fix`. Not a git
/// work tree, or git missing, is an error.
pub fn uncommitted(root: &Path) -> Result<Vec<String>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["status", "--porcelain", "--untracked-files=all", "--", "."])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "{} is not in a git work tree: {}",
            root.display(),
            stderr.trim()
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    Ok(text
        .lines()
        .filter_map(|l| l.get(3..))
        .map(str::to_string)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_are_split_on_nul_lines() {
        let log = "\0\n\nsrc/a.rs\nsrc/b.rs\n\0\n\nsrc/c.rs\n\0\n\n";
        assert_eq!(
            parse(log).commits,
            vec![
                vec!["src/a.rs".to_owned(), "src/b.rs".to_owned()],
                vec!["src/c.rs".to_owned()]
            ]
        );
    }

    #[test]
    fn a_folder_that_is_not_a_repository_is_an_error() {
        let dir = std::env::temp_dir().join(format!("fissure-nogit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err = read(&dir).unwrap_err();
        assert!(err.contains("git"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
