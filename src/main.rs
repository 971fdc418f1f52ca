//! The `naleving` binary: everything happens in [`naleving::cli`].

/// mimalloc instead of the system allocator: rules over large collections
/// build and drop millions of small CEL values, and glibc's malloc spent
/// more time consolidating free lists than the rules spent judging
/// (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    naleving::cli::main()
}
