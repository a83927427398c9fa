//! Unit tests of clustering on hand-built graphs: planted communities, the shared kernel,
//! consensus and confidence, the vocabulary layer and domain names.

mod consensus;
mod crates;
mod files;
mod kernel;
mod naming;
mod planted;
mod vocab;
