//! The one integration test binary. Each module is one feature, tested the way a user meets
//! it: through the `fissure` binary (with [`support::Case`]) or the application layer.
//! One binary links once; thirty binaries linked the library thirty times.
//!
//! Add a feature as `mod <feature>;` below and `tests/integration/<feature>.rs`.

mod analyze;
mod app;
mod check;
mod cli;
mod diff;
mod diff_upcast;
mod eval;
mod export;
mod generate;
mod generate_brokers;
mod generate_files;
mod generate_saga_upcast;
mod generate_workspace;
mod hostile;
mod publish_rights;
mod report;
mod report_browser;
mod split;
mod suggest;
mod suggest_kernel;
mod support;
mod tidy;
mod usage;
mod validate;
