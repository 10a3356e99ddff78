#!/usr/bin/env bash
# End-to-end checks of DFDG's own actions through the real binary (docs/automation.md): `dfdg apply` writes
# triggered facts and outbox messages, `dfdg outbox list|show` print them with the CPR masked, `dfdg daily`
# catches up, is idempotent, refuses future dates, and a dry run changes nothing.
set -u
DFDG="$1"
SRC="$2"
# shellcheck source=../lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DFDG_CATALOG="$SRC/catalog"
db="$tmp/dfdg.db"

cat > "$tmp/in.jsonl" <<'JSONL'
{"command":"set_akasse","cpr":"0101901234","registered_at":"2024-01-01","akasse":"10","start":"2024-01-01"}
{"command":"set_contact_group","cpr":"0101901234","registered_at":"2025-01-01","contact_group":1,"start":"2025-01-01"}
{"command":"register_absence","cpr":"0101901234","channel":"akasse","registered_at":"2025-06-01","reason":75,"start":"2025-06-01"}
{"command":"set_contact_group","cpr":"0101901234","registered_at":"2025-08-01","contact_group":24,"start":"2025-08-01"}
{"command":"set_contact_group","cpr":"0308951234","registered_at":"2025-01-02","contact_group":12,"start":"2025-01-02"}
JSONL
DFDG_TODAY=2025-08-01 "$DFDG" apply --db "$db" --input "$tmp/in.jsonl" > "$tmp/apply.out"; rc=$?
check "apply exits 0" test $rc -eq 0
check "the KG 24 placement stored DFDG's inactivation of 75" python3 -c "
import json; lines=[json.loads(l) for l in open('$tmp/apply.out')]
assert all(l['status']=='accepted' for l in lines), lines
dfdg=[s for s in lines[3]['stored'] if 'dfdg' in s.get('details',{})]
assert len(dfdg)==1 and dfdg[0]['reason']==75 and dfdg[0]['details']['dfdg']['rule']=='r75_inactivate_on_contact_group', dfdg
"
"$DFDG" outbox list --db "$db" > "$tmp/outbox.out"; rc=$?
check "outbox list exits 0" test $rc -eq 0
# The a-kasse's own registration of 75 is not sent back to it (M2's channels, decision 0043); DFDG's inactivation is.
check "outbox holds entering KG 1, leaving KG 1 and DFDG's inactivation of 75, CPR masked" python3 -c "
import json; ms=[json.loads(l) for l in open('$tmp/outbox.out')]
kinds=[(m['type'], m['payload'].get('change') or m['payload'].get('action')) for m in ms]
assert kinds==[('kontaktgruppe_skift','tilgang'),('kontaktgruppe_skift','afgang'),('fravaer','inaktiveret')], kinds
assert all(m['cpr']=='010190-****' and m['recipient']=='10' for m in ms), ms
assert len({m['id'] for m in ms})==3
"
check "no full CPR in outbox output" bash -c "! grep -q 0101901234 '$tmp/outbox.out'"
id=$(python3 -c "import json; print(json.loads(open('$tmp/outbox.out').readline())['id'])")
"$DFDG" outbox show --db "$db" "$id" > "$tmp/show.out"; rc=$?
check "outbox show exits 0" test $rc -eq 0
check "outbox show prints the message with its cause" grep -q '"000_3808c1434fc20b2e.txt:666"' "$tmp/show.out"
"$DFDG" outbox show --db "$db" 999-9 > /dev/null 2>&1; rc=$?
check "outbox show of an unknown id exits 2" test $rc -eq 2

DFDG_TODAY=2025-08-05 "$DFDG" daily --db "$db" --date 2025-08-06 > /dev/null 2> "$tmp/err.txt"; rc=$?
check "daily for a future date exits 1" test $rc -eq 1
DFDG_TODAY=2025-08-05 "$DFDG" daily --db "$db" --date 2025-08-03 --dry-run > "$tmp/dry.out"; rc=$?
check "dry run exits 0" test $rc -eq 0
check "dry run plans the KG 12 → 2 conversion" grep -q '"kg12_to_2_at_30"' "$tmp/dry.out"
DFDG_TODAY=2025-08-05 "$DFDG" status --db "$db" --cpr 0308951234 --date 2025-08-03 --json > "$tmp/st.out"
check "dry run changed nothing" python3 -c "
import json; assert json.load(open('$tmp/st.out'))['contact_group']['id']==12"
DFDG_TODAY=2025-08-05 "$DFDG" daily --db "$db" --date 2025-08-01 > /dev/null; rc=$?
check "first daily run exits 0" test $rc -eq 0
DFDG_TODAY=2025-08-05 "$DFDG" daily --db "$db" --date 2025-08-04 > "$tmp/daily.out"; rc=$?
check "catch-up run exits 0" test $rc -eq 0
check "catch-up ran 08-02..08-04 in order and converted on 08-03" python3 -c "
import json; d=json.load(open('$tmp/daily.out'))
assert [x['date'] for x in d['days']]==['2025-08-02','2025-08-03','2025-08-04'], d
assert [a['rule'] for a in d['days'][1]['actions']]==['kg12_to_2_at_30'] and d['days'][1]['actions'][0]['status']=='accepted', d
"
DFDG_TODAY=2025-08-05 "$DFDG" status --db "$db" --cpr 0308951234 --date 2025-08-03 --json > "$tmp/st.out"
check "KG 2 from 08-03" python3 -c "
import json; assert json.load(open('$tmp/st.out'))['contact_group']['id']==2"
DFDG_TODAY=2025-08-05 "$DFDG" daily --db "$db" --date 2025-08-04 > "$tmp/again.out"; rc=$?
check "second run exits 0 and does nothing" python3 -c "
import json; d=json.load(open('$tmp/again.out')); assert d['already_done'] and d['days']==[], d"

echo "cli_automation: $passed passed, $fail failed"
test $fail -eq 0
