#!/usr/bin/env bash
# The test command: installs what the tests need on a fresh Debian machine (only what is
# missing), then runs every test. `.ci/run` calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."
export GAZETTE_REQUIRE_TOOLS=1

# Debian packages: sqlite3 and PostgreSQL (tests/integration/databases.rs), headless chromium
# (tests/integration/render.rs).
apt_missing=()
command -v sqlite3 >/dev/null || apt_missing+=(sqlite3)
{ command -v psql && ls /usr/lib/postgresql/*/bin/initdb; } >/dev/null 2>&1 || apt_missing+=(postgresql)
command -v chromium >/dev/null || apt_missing+=(chromium)
if ((${#apt_missing[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi

# PyPI: the DuckDB CLI (databases.rs) and jsonschema (schema.rs).
export PATH="$PATH:$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
command -v duckdb >/dev/null || python3 -m pip install -q --disable-pip-version-check duckdb-cli
python3 -c 'import jsonschema, referencing' 2>/dev/null || python3 -m pip install -q --disable-pip-version-check jsonschema

cargo test --release --locked 2>&1
