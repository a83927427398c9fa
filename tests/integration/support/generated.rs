//! Generated workspaces in tests: [`GeneratedWorkspace`] generates one and runs cargo in it.
//! Their builds share one target folder, so their dependencies build once; they take turns
//! in it (see [`Turn`]).

use std::path::{Path, PathBuf};

/// The target folder that every generated workspace of the tests shares, so their
/// dependencies build once: `$FISSURE_GENERATED_TARGET_DIR`, else `$CARGO_TARGET_DIR/generated-ws`.
/// Build in it only while holding a [`take_turn`].
pub fn generated_target_dir() -> PathBuf {
    match std::env::var_os("FISSURE_GENERATED_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
            .join("generated-ws"),
    }
}

pub const GENERATED_TARGET_LIMIT: u64 = 4 << 30;

/// Generated workspaces have packages of the same names (`events`, `app`) whatever the spec,
/// and cargo keys a path package's artifacts by name, not by folder: two of them building at
/// once in the shared target folder overwrite each other. Tests that build one take turns: a
/// mutex between the threads of `cargo test`, and a file lock next to the target folder
/// between processes (`cargo nextest` runs each test in its own, and the broker and
/// workspace tests are separate binaries).
///
/// Every run generates into a fresh temporary folder, so cargo keeps a new copy of each
/// generated crate per run and the folder only grows; past [`GENERATED_TARGET_LIMIT`] the
/// turn holder empties it (the next build is cold, the disk does not fill up). Only the turn
/// holder: a process pruning it while another built made that build fail on missing files.
pub struct Turn {
    _thread: std::sync::MutexGuard<'static, ()>,
    _process: std::fs::File,
}

static SHARED_TARGET: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub fn take_turn() -> Turn {
    let thread = SHARED_TARGET
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let dir = generated_target_dir();
    // Beside the folder, not in it, so emptying the folder does not delete a held lock.
    let mut lock_path = dir.clone().into_os_string();
    lock_path.push(".lock");
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent).expect("target folder's parent");
    }
    let file = std::fs::File::create(&lock_path).expect("lock file");
    file.lock().expect("lock the shared target folder");
    if folder_size(&dir) > GENERATED_TARGET_LIMIT {
        eprintln!("note: emptying {} (over 4 GiB)", dir.display());
        let _ = std::fs::remove_dir_all(&dir);
    }
    Turn {
        _thread: thread,
        _process: file,
    }
}

fn folder_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// A workspace `fissure generate` wrote into a temporary folder, built with cargo in the
/// shared target folder (hold a [`take_turn`] while building).
///
/// Nothing is built offline: a fresh machine with an empty cargo cache fetches what it
/// lacks. The repository's `Cargo.lock` is copied in first, so the workspace builds with the
/// dependency versions fissure's own runtime is tested with (and that the cache already holds
/// once `cargo test` built the runtime), not whatever the registry's newest is today.
pub struct GeneratedWorkspace {
    _dir: tempfile::TempDir,
    /// Where the spec the workspace was generated from is.
    pub spec: PathBuf,
    /// The workspace's root folder.
    pub root: PathBuf,
}

impl GeneratedWorkspace {
    /// Generates `spec_text` (written to `fissure.yaml` beside the workspace).
    pub fn generate(spec_text: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let spec = dir.path().join("fissure.yaml");
        std::fs::write(&spec, spec_text).expect("write the spec");
        let workspace = Self {
            root: dir.path().join("ws"),
            spec,
            _dir: dir,
        };
        workspace.regenerate();
        workspace
    }

    /// Generates `fixtures/<rel>`.
    pub fn from_fixture(rel: &str) -> Self {
        let text = std::fs::read_to_string(super::fixture(rel)).expect("read the fixture spec");
        Self::generate(&text)
    }

    /// Runs `fissure generate` again from the (maybe edited) spec.
    pub fn regenerate(&self) {
        let path = |p: &Path| p.to_str().expect("a UTF-8 path").to_owned();
        let folder = self.spec.parent().expect("the spec's folder");
        super::Case::in_folder(folder)
            .args([
                "generate",
                "--spec",
                &path(&self.spec),
                "--out",
                &path(&self.root),
            ])
            .run();
        std::fs::copy(
            super::repo().join("Cargo.lock"),
            self.root.join("Cargo.lock"),
        )
        .expect("copy Cargo.lock");
    }

    /// `cargo ARGS` in the workspace, in the shared target folder.
    pub fn cargo(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO"))
            .args(args)
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", generated_target_dir())
            .env_remove("RUSTFLAGS")
            .output()
            .expect("cargo runs")
    }

    /// `cargo ARGS`, which must succeed; returns its stderr.
    pub fn cargo_ok(&self, args: &[&str]) -> String {
        let out = self.cargo(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            out.status.success(),
            "cargo {args:?} failed:\n{stderr}\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        stderr
    }

    /// A file of the workspace.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }
}
