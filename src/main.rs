//! The `gazette` command line: parse flags, run, exit with a code set in one place.

mod cli;
mod progress;

fn main() -> std::process::ExitCode {
    cli::main()
}
