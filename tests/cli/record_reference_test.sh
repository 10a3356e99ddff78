#!/usr/bin/env bash
# The generated record reference (docs/records.md) and JSON Schema (docs/record-schema.json) must be what the
# catalogue generates now; and every command the record scenarios expect to be accepted must satisfy the
# schema of its command (the schema and the parser agree). Usage: record_reference_test.sh DFDG SOURCE_DIR
set -u
DFDG="$1"
SRC="$2"
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DFDG_CATALOG="$SRC/catalog"

"$DFDG" catalog reference > "$tmp/records.md" || fail=1
if ! diff -u "$SRC/docs/records.md" "$tmp/records.md"; then
  echo "FAIL: docs/records.md is out of date: run \`build/dfdg catalog reference > docs/records.md\`"
  fail=1
fi
"$DFDG" catalog schema > "$tmp/schema.json" || fail=1
if ! diff -u "$SRC/docs/record-schema.json" "$tmp/schema.json"; then
  echo "FAIL: docs/record-schema.json is out of date: run \`build/dfdg catalog schema > docs/record-schema.json\`"
  fail=1
fi
"$DFDG" catalog schema referral > "$tmp/one.json" || fail=1
"$DFDG" catalog schema no_such_type > /dev/null 2>&1
if [ $? -ne 2 ]; then echo "FAIL: an unknown type must exit 2"; fail=1; fi

python3 - "$tmp/schema.json" "$tmp/one.json" "$SRC/tests/scenarios" <<'PY' || fail=1
import datetime, glob, json, sys
import jsonschema, yaml

schema = json.load(open(sys.argv[1]))
one = json.load(open(sys.argv[2]))
defs = schema["$defs"]
Validator = getattr(jsonschema, "Draft202012Validator", jsonschema.Draft7Validator)
errors = 0
if set(one["$defs"]) != {k for k in defs if k.endswith("_referral") or k == "referral.record"}:
    print("FAIL: `catalog schema referral` is not the referral part:", sorted(one["$defs"]))
    errors += 1

def plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str) and value.startswith("@"):
        return 1  # an entity reference resolved by the scenario runner
    return value

class Loader(yaml.SafeLoader):  # dates stay text (scenarios hold impossible dates on purpose)
    pass
Loader.yaml_implicit_resolvers = {k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
                                  for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}

checked = 0
for path in sorted(glob.glob(sys.argv[3] + "/*.yaml")):
    doc = yaml.load(open(path), Loader=Loader)
    for step in doc.get("steps", []):
        command = plain(step.get("command", {}))  # a `daily:` step has no command
        if command.get("command") not in defs:
            continue
        accepted = step["expect"] == "accepted"
        problems = list(Validator(defs[command["command"]]).iter_errors(command))
        checked += 1
        if accepted and problems:
            print(f"FAIL: {path}: {step.get('name')}: accepted by the registry, refused by the schema:",
                  [p.message for p in problems])
            errors += 1
if checked < 10:
    print(f"FAIL: only {checked} record commands found in the scenarios")
    errors += 1
sys.exit(1 if errors else 0)
PY
if [ $fail -ne 0 ]; then exit 1; fi
echo "record reference and schema up to date"
