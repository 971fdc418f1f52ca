//! The `naleving` binary: everything happens in [`naleving::cli`].

fn main() -> std::process::ExitCode {
    naleving::cli::main()
}
