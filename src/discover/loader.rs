//! Loading source files: every way a read can fail becomes an `unreadable-file` diagnostic,
//! and later stages get their text through `SourceLoader` so they can run from memory.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic, Location};

/// Files larger than this are skipped: no hand-written module is this big, and generated
/// blobs (bindings, tables) would cost memory without adding useful edges.
pub const MAX_SOURCE_BYTES: u64 = 8 * 1024 * 1024;

/// Where later stages get file contents from; the filesystem in the CLI, a map in tests.
pub trait SourceLoader: Sync {
    fn load(&self, path: &Path) -> Result<String, Diagnostic>;
}

/// Reads from disk through [`read_source`].
#[derive(Debug, Clone, Copy, Default)]
pub struct FsLoader;

impl SourceLoader for FsLoader {
    fn load(&self, path: &Path) -> Result<String, Diagnostic> {
        read_source(path)
    }
}

/// Files held in memory, keyed by the exact path later stages ask for.
#[derive(Debug, Clone, Default)]
pub struct MemoryLoader {
    pub files: BTreeMap<PathBuf, String>,
}

impl MemoryLoader {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file (builder style, for tests).
    pub fn file(mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        self.files.insert(path.into(), text.into());
        self
    }
}

impl SourceLoader for MemoryLoader {
    fn load(&self, path: &Path) -> Result<String, Diagnostic> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| unreadable(path, "file not found"))
    }
}

/// Reads one source file as UTF-8 text. Missing files, folders, special files (FIFOs,
/// devices), files over [`MAX_SOURCE_BYTES`], permission errors, symlink loops and invalid UTF-8 (located at its
/// line and column) are all returned as `unreadable-file` diagnostics.
pub fn read_source(path: &Path) -> Result<String, Diagnostic> {
    let metadata = std::fs::metadata(path).map_err(|err| io_failure(path, &err))?;
    if metadata.is_dir() {
        return Err(unreadable(path, "is a directory, not a file"));
    }
    if !metadata.is_file() {
        // A FIFO or a device would block or never end; sources are regular files.
        return Err(unreadable(path, "not a regular file"));
    }
    if metadata.len() > MAX_SOURCE_BYTES {
        return Err(too_large(path, metadata.len()));
    }
    let file = std::fs::File::open(path).map_err(|err| io_failure(path, &err))?;
    // The size was checked above, but the file may grow in between: never read past the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(MAX_SOURCE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| io_failure(path, &err))?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(too_large(path, bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let bytes = err.as_bytes();
        // The prefix up to `valid` is UTF-8 by definition, so it can be counted in characters.
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let line = prefix.matches('\n').count() + 1;
        let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
        let column = prefix[line_start..].chars().count() + 1;
        Diagnostic::error(
            Code::UnreadableFile,
            format!(
                "{} is not valid UTF-8 (invalid byte 0x{:02x} at offset {valid}); skipped",
                path.display(),
                bytes[valid]
            ),
        )
        .at(Location {
            file: path.to_path_buf(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        })
    })
}

/// `ELOOP`: `io::ErrorKind::FilesystemLoop` is not stable yet, so match the OS code.
#[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
const ELOOP: i32 = 62;
#[cfg(not(any(target_os = "macos", target_os = "ios", target_os = "freebsd")))]
const ELOOP: i32 = 40;

fn io_failure(path: &Path, err: &io::Error) -> Diagnostic {
    let why = match err.kind() {
        io::ErrorKind::NotFound => "file not found".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::IsADirectory => "is a directory, not a file".to_string(),
        _ if cfg!(unix) && err.raw_os_error() == Some(ELOOP) => {
            "symlink loop (too many levels of symbolic links)".to_string()
        }
        _ => err.to_string(),
    };
    unreadable(path, &why)
}

fn too_large(path: &Path, len: u64) -> Diagnostic {
    unreadable(
        path,
        &format!("too large ({len} bytes, limit {MAX_SOURCE_BYTES}), skipped"),
    )
}

/// A whole-file failure points at 1:1 so every renderer has a file to show.
pub(crate) fn unreadable(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::error(
        Code::UnreadableFile,
        format!("cannot read {}: {why}", path.display()),
    )
    .at(Location {
        file: path.to_path_buf(),
        line: 1,
        column: 1,
    })
}
