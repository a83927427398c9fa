//! `fissure`: the command line (`fissure::cli`).

fn main() -> std::process::ExitCode {
    fissure::cli::run()
}
