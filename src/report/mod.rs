//! Rendering: every format the CLI prints lives here, one file per format.

pub mod analysis;
