#!/usr/bin/env bash
# The test command: installs what the tests need on a fresh Debian machine, then runs every
# test. `.ci/run` calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."
export GAZETTE_REQUIRE_TOOLS=1
cargo test --release --locked 2>&1
