#!/usr/bin/env bash
# A file of sanction decisions and availability assessments (seed 000 § 59 stk. 3, 000:1742) through the real
# binary: `dfdg apply` reads JSON Lines, answers one result per line in order, applies the good lines, rejects the
# bad ones with their numbered codes and line numbers, and a rejected line changes nothing (docs/commands.md).
set -u
DFDG="$1"
SRC="$2"
# shellcheck source=../lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DFDG_CATALOG="$SRC/catalog"
db="$tmp/dfdg.db"

cat > "$tmp/setup.jsonl" <<'JSONL'
{"command":"set_contact_group","cpr":"0101901234","registered_at":"2025-01-01","contact_group":2,"start":"2025-01-01"}
{"command":"set_contact_group","cpr":"0202801234","registered_at":"2025-01-01","contact_group":12,"start":"2025-01-01"}
{"command":"set_contact_group","cpr":"0405941234","registered_at":"2025-01-01","contact_group":4,"start":"2025-01-01"}
JSONL
DFDG_TODAY=2025-09-01 "$DFDG" apply --db "$db" --input "$tmp/setup.jsonl" > /dev/null 2>&1
check "set-up applied" test $? -eq 0

# Line 1 good, 2 bad (no sanction period), 3 good ("no sanction"), 4 bad (KG 4 not in § 49), 5 bad (not JSON),
# 6 good (availability assessment), 7 bad (unknown result code).
cat > "$tmp/sanctions.jsonl" <<'JSONL'
{"command":"create_sanction_decision","cpr":"0101901234","registered_at":"2025-08-10","municipality":101,"decision":"nedsaettelse","reason":"Udeblevet fra samtale","decision_date":"2025-08-08","sanction_from":"2025-08-01","sanction_to":"2025-08-31"}
{"command":"create_sanction_decision","cpr":"0101901234","registered_at":"2025-08-10","municipality":101,"decision":"ophoer","reason":"Afvist tilbud","decision_date":"2025-08-08"}
{"command":"create_sanction_decision","cpr":"0202801234","registered_at":"2025-08-10","municipality":101,"decision":"ingen_sanktion","reason":"Rimelig grund","decision_date":"2025-08-08"}
{"command":"create_sanction_decision","cpr":"0405941234","registered_at":"2025-08-10","municipality":101,"decision":"ingen_sanktion","reason":"Rimelig grund","decision_date":"2025-08-08"}
{"command":"create_sanction_decision","cpr":"0101901234",
{"command":"create_availability_assessment","cpr":"0101901234","registered_at":"2025-08-05","municipality":101,"event":"Udeblevet","event_date":"2025-08-01","result":"ikke_til_raadighed_sanktion","result_date":"2025-08-05"}
{"command":"create_availability_assessment","cpr":"0101901234","registered_at":"2025-08-05","municipality":101,"event":"Udeblevet","event_date":"2025-08-01","result":"advarsel","result_date":"2025-08-05"}
JSONL
DFDG_TODAY=2025-09-01 "$DFDG" apply --db "$db" --input "$tmp/sanctions.jsonl" > "$tmp/out.jsonl" 2> "$tmp/err.txt"
rc=$?
check "apply of a file with bad lines exits 0 (per-line results)" test $rc -eq 0
check "one result per line, in order, good and bad lines with their codes" python3 -c "
import json
lines = [json.loads(l) for l in open('$tmp/out.jsonl')]
assert len(lines) == 7, lines
status = [l['status'] for l in lines]
assert status == ['accepted', 'rejected', 'accepted', 'rejected', 'rejected', 'accepted', 'rejected'], status
codes = [sorted({v['code'] for v in l.get('violations', [])}) for l in lines]
assert codes[1] == [5205] and codes[3] == [5001] and codes[5] == [] and codes[4] == [1001], codes
assert codes[6] == [4003], codes
"
check "the summary counts good and bad lines" grep -q "3 accepted, 4 rejected" "$tmp/err.txt"
DFDG_TODAY=2025-09-01 "$DFDG" status --db "$db" --cpr 0101901234 --date 2025-08-20 --json > "$tmp/st.json"
check "only the good lines were stored" python3 -c "
import json; s = json.load(open('$tmp/st.json'))
assert len(s['records']['sanction_decision']) == 1, s['records']
assert s['records']['sanction_decision'][0]['fields']['decision'] == 'nedsaettelse'
assert len(s['records']['availability_assessment']) == 1, s['records']
"
echo "sanctions_file_cli_test: $passed passed, $fail failed"
test $fail -eq 0
