#!/usr/bin/env bash
# The test command: installs what the tests need on a fresh Debian machine, then runs every
# test. `.ci/run` calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."
export GAZETTE_REQUIRE_TOOLS=1

# Databases and the schema validator for tests/integration/{databases,schema}.rs: sqlite3 and
# PostgreSQL from Debian, the DuckDB CLI and jsonschema from PyPI. Installed only when missing.
apt_missing=()
command -v sqlite3 >/dev/null || apt_missing+=(sqlite3)
{ command -v psql && ls /usr/lib/postgresql/*/bin/initdb; } >/dev/null 2>&1 || apt_missing+=(postgresql)
if ((${#apt_missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}" >/dev/null
  else
    echo "tests/run.sh: missing ${apt_missing[*]}; run as root to install them" >&2
  fi
fi
export PATH="$PATH:$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
command -v duckdb >/dev/null || python3 -m pip install -q --disable-pip-version-check duckdb-cli
python3 -c 'import jsonschema, referencing' 2>/dev/null || python3 -m pip install -q --disable-pip-version-check jsonschema

cargo test --release --locked 2>&1
