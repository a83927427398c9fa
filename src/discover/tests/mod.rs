//! Unit tests of discovery on real folders: the small workspaces under fixtures/discover,
//! manifests written into temp folders, and hostile source files.

mod files;
mod fixtures;
mod manifests;
