#!/usr/bin/env bash
# The test command: installs what the tests need on a fresh Debian machine, then runs every
# test. `.ci/run` calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."
export GAZETTE_REQUIRE_TOOLS=1
# Browser tests of `gazette render` (tests/integration/render.rs) use Debian's headless chromium.
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
cargo test --release --locked 2>&1
