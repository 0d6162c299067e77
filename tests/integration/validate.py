"""Validates JSON Lines on stdin against schema/NAME.schema.json (JSON Schema draft 2020-12).

Usage: python3 validate.py SCHEMA_DIR NAME < lines.jsonl
Prints `line N: path: message` for every error and exits 1 when there is any; checks every
schema file in SCHEMA_DIR itself first. Run by tests/integration/schema.rs.
"""
import json
import pathlib
import sys

import jsonschema
from referencing import Registry, Resource

schema_dir, name = pathlib.Path(sys.argv[1]), sys.argv[2]
resources = []
for p in sorted(schema_dir.glob("*.schema.json")):
    s = json.loads(p.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(s)
    resources.append((s["$id"], Resource.from_contents(s)))
registry = Registry().with_resources(resources)
schema = json.loads((schema_dir / f"{name}.schema.json").read_text(encoding="utf-8"))
validator = jsonschema.Draft202012Validator(schema, registry=registry, format_checker=jsonschema.FormatChecker())
errors = 0
lines = 0
for n, line in enumerate(sys.stdin, 1):
    if not line.strip():
        continue
    lines += 1
    for e in validator.iter_errors(json.loads(line)):
        errors += 1
        print(f"line {n}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
print(f"{lines} lines, {errors} errors")
sys.exit(1 if errors else 0)
