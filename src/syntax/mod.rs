//! Parsing: syn turns one file into [`FileFacts`]; the tree is dropped right after.
//! This is the only module that knows syn.

pub mod facts;

pub use facts::*;
