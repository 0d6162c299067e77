//! The `gazette` command line: parse flags, run, exit with a code set in one place.

mod cli;
mod progress;

/// mimalloc, not the system allocator: see its entry in `Cargo.toml` and BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
