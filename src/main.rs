//! The `gazette` command line: parse flags, run, exit with a code set in one place.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
