#!/usr/bin/env bash
# The own person-group projects read through the real binary (seed 000 § 135 stk. 4-5, docs/decisions/0044):
# `dfdg projects list` gives each project's current version (`--date`: those that exist on the day, `--known-at`:
# as known then), `dfdg projects show --project ID` one project with every version; an unknown id exits 2.
set -u
DFDG="$1"
SRC="$2"
# shellcheck source=../lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DFDG_CATALOG="$SRC/catalog"
db="$tmp/dfdg.db"

cat > "$tmp/projects.jsonl" <<'JSONL'
{"command":"create_project","registered_at":"2025-02-20","actor":"101","project":"hold_a","name":"Hold A","project_kind":"jobcenter","owner":"101","start":"2025-03-01"}
{"command":"create_project","registered_at":"2025-02-20","channel":"akasse","actor":"10","project":"ak10_hold","name":"Pulje","project_kind":"akasse","owner":"10","start":"2025-03-01"}
{"command":"close_project","registered_at":"2025-06-15","actor":"101","project":"hold_a","project_kind":"jobcenter","owner":"101","end":"2025-06-30"}
{"command":"correct_project","registered_at":"2025-07-01","actor":"101","project":"hold_a","project_kind":"jobcenter","owner":"101","name":"Hold Alfa","comment":"Navnet rettet"}
JSONL
DFDG_TODAY=2025-08-01 "$DFDG" apply --db "$db" --input "$tmp/projects.jsonl" > "$tmp/apply.jsonl" 2>&1
check "the project commands were accepted" python3 -c "
import json
lines = [json.loads(l) for l in open('$tmp/apply.jsonl') if l.startswith('{')]
assert [l['status'] for l in lines] == ['accepted'] * 4, lines
"

"$DFDG" projects list --db "$db" > "$tmp/list.json"
check "list: every project's current version" python3 -c "
import json; l = json.load(open('$tmp/list.json'))
assert [p['project'] for p in l] == ['ak10_hold', 'hold_a'], l
a = l[1]
assert a['name'] == 'Hold Alfa' and a['start'] == '2025-03-01' and a['end'] == '2025-06-30', a
assert a['project_kind'] == 'jobcenter' and a['owner'] == '101' and a['comment'] == 'Navnet rettet', a
assert l[0]['end'] is None and l[0]['project_kind'] == 'akasse' and l[0]['owner'] == '10', l[0]
"
"$DFDG" projects list --db "$db" --date 2025-06-30 > "$tmp/on_closing.json"
"$DFDG" projects list --db "$db" --date 2025-07-01 > "$tmp/after.json"
check "list --date: the closing day inclusive, the day after not" python3 -c "
import json
assert [p['project'] for p in json.load(open('$tmp/on_closing.json'))] == ['ak10_hold', 'hold_a']
assert [p['project'] for p in json.load(open('$tmp/after.json'))] == ['ak10_hold']
"
"$DFDG" projects list --db "$db" --known-at 2025-06-14 > "$tmp/known.json"
check "list --known-at: as known before the closing was registered" python3 -c "
import json; l = json.load(open('$tmp/known.json'))
a = [p for p in l if p['project'] == 'hold_a'][0]
assert a['end'] is None and a['name'] == 'Hold A', a
"
"$DFDG" projects show --db "$db" --project hold_a > "$tmp/show.json"
check "show: the current version and every version, oldest first" python3 -c "
import json; s = json.load(open('$tmp/show.json'))
assert s['project'] == 'hold_a' and s['name'] == 'Hold Alfa', s
v = s['versions']
assert len(v) == 3, v
assert v[0]['end'] is None and v[1]['end'] == '2025-06-30' and v[2]['comment'] == 'Navnet rettet', v
assert [x['recorded_on'] for x in v] == ['2025-02-20', '2025-06-15', '2025-07-01'], v
"
"$DFDG" projects show --db "$db" --project findes_ikke > /dev/null 2>&1
check "show of an unknown project exits 2" test $? -eq 2
"$DFDG" projects show --db "$db" --project hold_a --known-at 2025-02-19 > /dev/null 2>&1
check "show of a project not yet known on --known-at exits 2" test $? -eq 2
"$DFDG" audit show --db "$db" > /dev/null 2>&1
check "audit show needs --cpr or --project" test $? -eq 1
"$DFDG" audit show --db "$db" --project hold_a > "$tmp/audit.txt" 2>&1
check "audit show --project reads the project's rows (none written by dfdg apply)" test $? -eq 0
echo "projects_cli_test: $passed passed, $fail failed"
test $fail -eq 0
