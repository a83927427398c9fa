fn main() -> std::process::ExitCode {
    fissure::cli::run()
}
