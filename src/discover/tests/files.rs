//! Reading source files and listing `.rs` files: every failure is an `unreadable-file`
//! diagnostic naming the file, never a panic. Hostile files are made in temp folders.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};
use crate::discover::{
    FsLoader, MAX_SOURCE_BYTES, MemoryLoader, SourceLoader, read_source, rust_files_under,
};

fn write(path: &Path, text: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn unreadable(result: Result<String, Diagnostic>, path: &Path) -> Diagnostic {
    let diagnostic = result.expect_err("must not read");
    assert_eq!(diagnostic.code, Code::UnreadableFile);
    assert_eq!(diagnostic.location.as_ref().unwrap().file, path);
    assert!(
        diagnostic.message.contains(&path.display().to_string()),
        "{}",
        diagnostic.message
    );
    diagnostic
}

#[test]
fn reads_utf8_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lib.rs");
    write(&file, "pub fn é() {}\n".as_bytes());
    assert_eq!(read_source(&file).unwrap(), "pub fn é() {}\n");
    assert_eq!(FsLoader.load(&file).unwrap(), "pub fn é() {}\n");
    write(&dir.path().join("empty.rs"), b"");
    assert_eq!(read_source(&dir.path().join("empty.rs")).unwrap(), "");
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nope.rs");
    let diagnostic = unreadable(read_source(&file), &file);
    assert!(diagnostic.message.ends_with("file not found"));
}

#[test]
fn directory_instead_of_file() {
    let dir = tempfile::tempdir().unwrap();
    let diagnostic = unreadable(read_source(dir.path()), dir.path());
    assert!(diagnostic.message.contains("is a directory"));
}

#[test]
fn invalid_utf8_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.rs");
    write(&file, b"fn a() {}\nlet \xc3\xa9 = \xff;\n");
    let diagnostic = unreadable(read_source(&file), &file);
    let location = diagnostic.location.unwrap();
    // "let é = " is 8 characters, so the bad byte is at column 9 of line 2.
    assert_eq!((location.line, location.column), (2, 9));
    assert!(diagnostic.message.contains("not valid UTF-8"));
    assert!(
        diagnostic.message.contains("0xff at offset 19"),
        "{}",
        diagnostic.message
    );
}

#[test]
fn huge_file_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.rs");
    // Sparse: costs no disk, but its length is over the limit.
    std::fs::File::create(&file)
        .unwrap()
        .set_len(MAX_SOURCE_BYTES + 1)
        .unwrap();
    let diagnostic = unreadable(read_source(&file), &file);
    assert!(
        diagnostic.message.contains("too large") && diagnostic.message.ends_with("skipped"),
        "{}",
        diagnostic.message
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.rs");
    let b = dir.path().join("b.rs");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    let diagnostic = unreadable(read_source(&a), &a);
    assert!(
        diagnostic.message.contains("symlink loop"),
        "{}",
        diagnostic.message
    );
}

#[test]
fn memory_loader_serves_its_files_only() {
    let loader = MemoryLoader::new().file("/m/src/lib.rs", "mod a;");
    assert_eq!(loader.load(Path::new("/m/src/lib.rs")).unwrap(), "mod a;");
    let missing = Path::new("/m/src/a.rs");
    let diagnostic = unreadable(loader.load(missing), missing);
    assert!(diagnostic.message.ends_with("file not found"));
}

fn relative(files: &[PathBuf], base: &Path) -> Vec<String> {
    files
        .iter()
        .map(|f| f.strip_prefix(base).unwrap().display().to_string())
        .collect()
}

#[test]
fn lists_rs_files_skipping_target_and_hidden_folders() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    for file in [
        "lib.rs",
        "orders/mod.rs",
        "orders/line.rs",
        "zeta.rs",
        "notes.txt",
        ".cache/x.rs",
        "target/debug/build.rs",
        "bin/tool.rs",
    ] {
        write(&src.join(file), b"");
    }
    let (files, diagnostics) = rust_files_under(&src);
    assert_eq!(
        relative(&files, &src),
        [
            "bin/tool.rs",
            "lib.rs",
            "orders/line.rs",
            "orders/mod.rs",
            "zeta.rs"
        ]
    );
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let (files, diagnostics) = rust_files_under(&dir.path().join("missing"));
    assert!(files.is_empty() && diagnostics.is_empty());
}

#[cfg(unix)]
#[test]
fn follows_symlinks_and_reports_loops() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    write(&src.join("lib.rs"), b"");
    write(&dir.path().join("shared/util.rs"), b"");
    std::os::unix::fs::symlink(dir.path().join("shared"), src.join("shared")).unwrap();
    std::os::unix::fs::symlink(&src, src.join("again")).unwrap();
    std::os::unix::fs::symlink(src.join("gone.rs"), src.join("dangling.rs")).unwrap();

    let (files, diagnostics) = rust_files_under(&src);
    assert_eq!(relative(&files, &src), ["lib.rs", "shared/util.rs"]);
    let messages: Vec<String> = diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.code, Code::UnreadableFile);
            let file = &d.location.as_ref().unwrap().file;
            format!(
                "{} {}",
                file.strip_prefix(&src).unwrap().display(),
                d.message
            )
        })
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("again ") && messages[0].contains("symlink loop"));
    assert!(messages[1].starts_with("dangling.rs ") && messages[1].contains("broken symlink"));
}

#[cfg(unix)]
#[test]
fn device_file_is_not_read() {
    // Reading /dev/zero would never end; a symlink named like a source file must not hang.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("zero.rs");
    std::os::unix::fs::symlink("/dev/zero", &file).unwrap();
    let diagnostic = unreadable(read_source(&file), &file);
    assert!(
        diagnostic.message.ends_with("not a regular file"),
        "{}",
        diagnostic.message
    );
}
