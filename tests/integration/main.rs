//! Black-box tests of the `gazette` binary and table-driven tests through the library.
//! All integration tests are one binary (`autotests = false`).

mod cli;
mod util;
mod databases;
mod schema;
