//! `cargo-fissure`: fissure as a cargo subcommand, so `cargo fissure check` runs
//! `fissure check`, the way `cargo deny check` runs cargo-deny.

fn main() -> std::process::ExitCode {
    fissure::cli::run_cargo()
}
