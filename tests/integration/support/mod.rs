//! What every integration test module shares: the [`Case`] builder for CLI runs, paths of
//! the bundled fixtures, and the turn-taking for builds of generated workspaces.

#![allow(dead_code)]

mod case;
pub mod generated;
mod sections;

#[allow(unused_imports)]
pub use case::{Case, Run};
pub use sections::sections;

use std::path::{Path, PathBuf};

/// The repository root (where `Cargo.toml` and `fixtures/` are).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `fixtures/<rel>` in the repository.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}
