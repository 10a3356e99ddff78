#!/usr/bin/env bash
# End-to-end checks of `dfdg catalog ...` through the real binary: exit codes, outputs, and that a broken
# catalogue stops the binary with the file and line of the problem.
set -u
DFDG="$1"
SRC="$2"
# shellcheck source=../lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$DFDG" catalog export --format json > "$tmp/cat.json"; rc=$?
check "export json exits 0" test $rc -eq 0
check "export json has 55+ absences" python3 -c "
import json,sys; d=json.load(open('$tmp/cat.json'))
ids={a['id'] for a in d['absences']}
assert len(ids)>=55, len(ids)
for a in d['absences']:
    assert a['name_da'] and a['source'] and (a['date_rules'] or not a['rows']), a['id']
    for r in a['rows']:
        assert all(isinstance(g,int) for g in r['contact_groups'])
        assert r['mode'] in ('must','may')
        assert isinstance(r['exempts'], list) and 'legal_ref' in r
assert {o['key'] for o in d['obligations']} >= {'kontaktforloeb','pligt_selvbooking'}
assert all('name_da' in g and 'valid_from' in g for g in d['contact_groups'])
"
"$DFDG" catalog export --format csv --date 2025-08-01 > "$tmp/cat.csv"; rc=$?
check "export csv exits 0" test $rc -eq 0
check "csv has header and rows" python3 -c "
import csv; rows=list(csv.DictReader(open('$tmp/cat.csv'))); assert len(rows)>100, len(rows)
assert set(rows[0])=={'reason_id','reason_name_da','contact_groups','visitation','mode','exempts','legal_ref','valid_from','valid_to','source'}
"
"$DFDG" catalog show 8 --date 2025-08-01 > "$tmp/show.txt"; rc=$?
check "show 8 exits 0" test $rc -eq 0
check "show 8 is Danish and cites" grep -q "Barsel" "$tmp/show.txt"
check "show 8 cites seed 001" grep -q "001_ac98bd5917396cba.txt:" "$tmp/show.txt"
"$DFDG" catalog show kg12 --date 2025-08-01 > "$tmp/kg.txt"; rc=$?
check "show kg12" test $rc -eq 0
"$DFDG" catalog show 999 > /dev/null 2> "$tmp/err.txt"; rc=$?
check "show unknown id exits 2" test $rc -eq 2
check "show unknown id explains" grep -q "999" "$tmp/err.txt"
"$DFDG" catalog list --date 2025-13-01 > /dev/null 2> "$tmp/err.txt"; rc=$?
check "bad date exits 1" test $rc -eq 1
check "bad date explained" grep -q "invalid date" "$tmp/err.txt"
DFDG_TODAY=2025-08-01 "$DFDG" catalog list > "$tmp/list.txt"; rc=$?
check "list with injected today" grep -q "pr. 2025-08-01" "$tmp/list.txt"

cp -r "$SRC/catalog" "$tmp/broken"
sed -i '0,/exempts: \[/s//exempts: [no_such_duty, /' "$tmp/broken/absences/$(ls "$tmp/broken/absences" | head -1)"
"$DFDG" --catalog "$tmp/broken" catalog list > /dev/null 2> "$tmp/err.txt"; rc=$?
check "broken catalogue refused with exit 3" test $rc -eq 3
check "broken catalogue error names file and line" grep -Eq "catalog/absences/[^:]+\.yaml:[0-9]+: .*unknown obligation 'no_such_duty'" "$tmp/err.txt"

# A built-in area's actor with an unknown channel: `dfdg catalog check` refuses it with file and line.
cp -r "$SRC/catalog" "$tmp/badactor"
sed -i 's/- {channel: ksd, may:/- {channel: kommune, may:/' "$tmp/badactor/records/builtin/followup.yaml"
"$DFDG" --catalog "$tmp/badactor" catalog check > /dev/null 2> "$tmp/err.txt"; rc=$?
check "unknown actor channel refused" test $rc -ne 0
check "unknown actor channel names file and line" \
  grep -Eq "catalog/records/builtin/followup\.yaml:[0-9]+: .*unknown channel 'kommune'" "$tmp/err.txt"

echo "cli_catalog: $passed passed, $fail failed"
test $fail -eq 0
