//! Black-box tests of the `gazette` binary and table-driven tests through the library.
//! All integration tests are one binary (`autotests = false`).

mod cli;
mod corpus;
mod events;
mod props;
mod render;
mod util;
mod databases;
mod schema;
