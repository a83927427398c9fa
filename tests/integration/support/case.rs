//! `Case`: one run of the `fissure` binary in one expression: the files it sees, the
//! arguments, and what it must print and return (after just's `Test` and ripgrep's
//! `rgtest!`).
//!
//! ```ignore
//! Case::new()
//!     .file("Cargo.toml", "[package]\nname = \"a\"\nversion = \"0.1.0\"\n")
//!     .file("src/lib.rs", "pub fn f() {}")
//!     .args(["analyze", "."])
//!     .status(0)
//!     .stdout_has("1 crates")
//!     .run();
//! ```
//!
//! The run happens in a fresh temporary folder (or a fixture, or a copy of one); `[ROOT]`
//! in expected text stands for that folder. `CI` is removed and `NO_COLOR` set, so the
//! output does not depend on the machine running the tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where a case runs.
enum Folder {
    /// A fresh temporary folder holding only the case's files.
    Temp(tempfile::TempDir),
    /// A folder read in place: a fixture of the repository (the command must not write into
    /// it) or a folder the test owns.
    InPlace(PathBuf),
}

pub struct Case {
    folder: Folder,
    current_dir: Option<String>,
    args: Vec<String>,
    env: Vec<(String, String)>,
    env_remove: Vec<String>,
    stdin: Option<String>,
    status: Option<i32>,
    stdout: Option<String>,
    stderr: Option<String>,
    stdout_has: Vec<String>,
    stderr_has: Vec<String>,
    stdout_lacks: Vec<String>,
}

/// What a finished case printed and returned. The temporary folder lives as long as this.
pub struct Run {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    folder: Folder,
}

impl Default for Case {
    fn default() -> Self {
        Self::new()
    }
}

impl Case {
    /// A case in a fresh, empty temporary folder.
    pub fn new() -> Self {
        Self::with_folder(Folder::Temp(
            tempfile::tempdir().expect("create a temporary folder"),
        ))
    }

    /// A case run inside `fixtures/<rel>` as it is in the repository.
    pub fn in_fixture(rel: &str) -> Self {
        Self::with_folder(Folder::InPlace(super::fixture(rel)))
    }

    /// A case in a temporary copy of `fixtures/<rel>` (without `target/`), for commands
    /// that write.
    pub fn copy_of_fixture(rel: &str) -> Self {
        let case = Self::new();
        copy_tree(&super::fixture(rel), case.root());
        case
    }

    /// A case run inside `folder`, as it is: for a command run several times on the same
    /// files (generate, then generate again). The folder outlives the case.
    pub fn in_folder(folder: &Path) -> Self {
        Self::with_folder(Folder::InPlace(folder.to_path_buf()))
    }

    fn with_folder(folder: Folder) -> Self {
        Case {
            folder,
            current_dir: None,
            args: Vec::new(),
            env: Vec::new(),
            env_remove: Vec::new(),
            stdin: None,
            status: None,
            stdout: None,
            stderr: None,
            stdout_has: Vec::new(),
            stderr_has: Vec::new(),
            stdout_lacks: Vec::new(),
        }
    }

    /// The folder the case runs in.
    pub fn root(&self) -> &Path {
        match &self.folder {
            Folder::Temp(dir) => dir.path(),
            Folder::InPlace(path) => path,
        }
    }

    /// Writes `contents` at `path` (relative to the case's folder), creating folders.
    pub fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        assert!(
            matches!(self.folder, Folder::Temp(_)),
            "files can only be added to a temporary folder"
        );
        let full = self.root().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(&full, contents).expect("write a case file");
        self
    }

    /// Writes `fissure.yaml` in the case's folder.
    pub fn spec(self, yaml: &str) -> Self {
        self.file("fissure.yaml", yaml)
    }

    /// A minimal single-crate package named `name` with `src/lib.rs` = `lib`.
    pub fn crate_lib(self, name: &str, lib: &str) -> Self {
        self.file(
            "Cargo.toml",
            format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
        )
        .file("src/lib.rs", lib)
    }

    /// Runs in `dir` (relative to the case's folder) instead of the folder itself.
    pub fn current_dir(mut self, dir: &str) -> Self {
        self.current_dir = Some(dir.to_owned());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.env_remove.push(key.to_owned());
        self
    }

    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.to_owned());
        self
    }

    /// The exit code the run must return (checked by [`Case::run`]).
    pub fn status(mut self, code: i32) -> Self {
        self.status = Some(code);
        self
    }

    /// The exact stdout (`[ROOT]` = the case's folder).
    pub fn stdout(mut self, text: &str) -> Self {
        self.stdout = Some(text.to_owned());
        self
    }

    /// The exact stderr (`[ROOT]` = the case's folder).
    pub fn stderr(mut self, text: &str) -> Self {
        self.stderr = Some(text.to_owned());
        self
    }

    pub fn stdout_has(mut self, text: &str) -> Self {
        self.stdout_has.push(text.to_owned());
        self
    }

    pub fn stdout_lacks(mut self, text: &str) -> Self {
        self.stdout_lacks.push(text.to_owned());
        self
    }

    pub fn stderr_has(mut self, text: &str) -> Self {
        self.stderr_has.push(text.to_owned());
        self
    }

    /// Runs `fissure` and checks every expectation; panics with the whole output when one
    /// fails. Without [`Case::status`], the run must succeed (exit 0).
    pub fn run(self) -> Run {
        let dir = match &self.current_dir {
            Some(d) => self.root().join(d),
            None => self.root().to_path_buf(),
        };
        let mut command = Command::new(env!("CARGO_BIN_EXE_fissure"));
        command
            .args(&self.args)
            .current_dir(&dir)
            .env_remove("CI")
            .env("NO_COLOR", "1")
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for key in &self.env_remove {
            command.env_remove(key);
        }
        for (k, v) in &self.env {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("start fissure");
        if let Some(text) = &self.stdin {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("piped stdin")
                .write_all(text.as_bytes())
                .expect("write stdin");
        }
        let output = child.wait_with_output().expect("wait for fissure");
        let root = self.root().display().to_string();
        let clean = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(&root, "[ROOT]");
        let run = Run {
            status: output.status.code(),
            stdout: clean(&output.stdout),
            stderr: clean(&output.stderr),
            folder: self.folder,
        };
        let context = || {
            format!(
                "fissure {}\n--- status: {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
                self.args.join(" "),
                run.status,
                run.stdout,
                run.stderr
            )
        };
        let want = self.status.unwrap_or(0);
        assert_eq!(run.status, Some(want), "exit code\n{}", context());
        if let Some(text) = &self.stdout {
            assert_eq!(&run.stdout, text, "stdout\n{}", context());
        }
        if let Some(text) = &self.stderr {
            assert_eq!(&run.stderr, text, "stderr\n{}", context());
        }
        for text in &self.stdout_has {
            assert!(
                run.stdout.contains(text),
                "stdout lacks {text:?}\n{}",
                context()
            );
        }
        for text in &self.stdout_lacks {
            assert!(
                !run.stdout.contains(text),
                "stdout has {text:?}\n{}",
                context()
            );
        }
        for text in &self.stderr_has {
            assert!(
                run.stderr.contains(text),
                "stderr lacks {text:?}\n{}",
                context()
            );
        }
        run
    }
}

impl Run {
    /// stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// The folder the case ran in (its files, and whatever the command wrote).
    pub fn root(&self) -> &Path {
        match &self.folder {
            Folder::Temp(dir) => dir.path(),
            Folder::InPlace(path) => path,
        }
    }

    /// The content of a file the run left in its folder.
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root().join(path))
            .unwrap_or_else(|e| panic!("read {path}: {e}"))
    }
}

/// Copies `from` into `to`, leaving out `target/` and `.git/`.
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| !matches!(e.file_name().to_str(), Some("target" | ".git")))
    {
        let entry = entry.expect("walk the fixture");
        let rel = entry.path().strip_prefix(from).expect("under the fixture");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("create folder");
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &dest).expect("copy file");
        }
    }
}
