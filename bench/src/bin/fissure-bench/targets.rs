//! Finding what `--many` measures: every package below a folder.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// Every folder below `root` (or `root` itself) whose Cargo.toml declares a `[package]`,
/// sorted. The walk does not enter a package (its test fixtures and vendored examples are
/// not separate targets), nor hidden folders or `target/`. A Cargo.toml that is not valid
/// TOML still counts when it mentions `[package]`: the analyzer must cope with it.
pub fn packages_below(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut walk = WalkDir::new(root).sort_by_file_name().into_iter();
    while let Some(entry) = walk.next() {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if entry.depth() > 0 && (name.starts_with('.') || name == "target") {
            walk.skip_current_dir();
            continue;
        }
        let manifest = entry.path().join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        if declares_package(&text) {
            out.push(entry.path().to_path_buf());
            walk.skip_current_dir();
        }
    }
    out
}

fn declares_package(manifest: &str) -> bool {
    match manifest.parse::<toml::Table>() {
        Ok(table) => table.contains_key("package"),
        Err(_) => manifest.lines().any(|l| l.trim() == "[package]"),
    }
}

/// `dir` relative to `root` for display (`.` for the root itself).
pub fn display_name(root: &Path, dir: &Path) -> String {
    match dir.strip_prefix(root) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".to_string(),
        Ok(rel) => rel.display().to_string(),
        Err(_) => dir.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn finds_packages_without_entering_them() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        write(root, "ws/Cargo.toml", "[workspace]\nmembers = [\"a\"]\n");
        write(root, "ws/a/Cargo.toml", "[package]\nname = \"a\"\n");
        write(
            root,
            "ws/a/tests/fixture/Cargo.toml",
            "[package]\nname = \"f\"\n",
        );
        write(root, "b-1.0.0/Cargo.toml", "[package]\nname = \"b\"\n");
        write(root, "broken/Cargo.toml", "[package]\nname = \n");
        write(
            root,
            "b-1.0.0/target/x/Cargo.toml",
            "[package]\nname = \"x\"\n",
        );
        write(root, ".hidden/Cargo.toml", "[package]\nname = \"h\"\n");
        let found: Vec<String> = packages_below(root)
            .iter()
            .map(|p| display_name(root, p))
            .collect();
        assert_eq!(found, ["b-1.0.0", "broken", "ws/a"]);
    }

    #[test]
    fn the_root_itself_can_be_the_package() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "Cargo.toml", "[package]\nname = \"p\"\n");
        let found = packages_below(tmp.path());
        assert_eq!(found, [tmp.path().to_path_buf()]);
        assert_eq!(display_name(tmp.path(), &found[0]), ".");
    }
}
