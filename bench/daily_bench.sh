#!/usr/bin/env bash
# The daily run over a synthetic registry: bench/gen_commands.py (contact groups 1, 2, 12, 24, a visitation, a
# municipality and three absences per person) plus persons due on the day (about 1 %: KG 12 turning 30, KG 1 job
# seekers with an absence starting that day) imported with `dfdg apply`, then `dfdg daily` for one day, timed, and
# the ratio to a plain scan of the same rows (every person's stored facts read once with sqlite3: a search through
# the bytes for a pair that never occurs, so every page of every row is read).
# Usage: bench/daily_bench.sh [N] [persons]
#   N commands (default 1,000,000, about N/5.5 persons), or with `persons` N persons (the registry of the issue's
#   aim: `bench/daily_bench.sh 1000000 persons`, about 5.5 million commands, some 2 GB of SQLite, 10-20 min to build).
#   The `uptime` load before and after the run is printed: the machine is shared.
set -euo pipefail
N=${1:-1000000}
MODE=${2:-commands}
DFDG=${DFDG:-build/dfdg}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ "$MODE" = persons ]; then
  python3 "$(dirname "$0")/gen_commands.py" --persons "$N" "$work/commands.jsonl"
else
  python3 "$(dirname "$0")/gen_commands.py" "$N" "$work/commands.jsonl"
fi
# Due on 2025-08-03 (about 1 % of the persons each): KG 12 persons turning 30 (KG 12 → 2, 002:424) and KG 1
# job seekers whose Barsel (8), registered before, starts that day (deregistration, 001:1368).
python3 - "$N" "$MODE" >> "$work/commands.jsonl" <<'PY'
import json, sys
due = max(1, int(sys.argv[1]) // (100 if sys.argv[2] == "persons" else 600))
for i in range(due):
    kg12 = f"030895{i % 10000:04d}" if i < 10000 else None
    if kg12:
        print(json.dumps({"command": "set_contact_group", "cpr": kg12, "registered_at": "2025-01-02",
                          "contact_group": 12, "start": "2025-01-02"}))
    cpr = f"{1 + i % 28:02d}{1 + (i // 28) % 12:02d}0{(i // 336) % 10}{i % 10000:04d}"
    for c in [{"command": "set_contact_group", "contact_group": 1, "start": "2025-01-02"},
              {"command": "register_jobseeker", "category": 3, "start": "2025-01-02", "ledighedsgrad": 100,
               "job_titles": [{"code": "251210"}]},
              {"command": "register_absence", "reason": 8, "start": "2025-08-03", "end": "2025-12-31",
               "registered_at": "2025-08-01"}]:
        c.setdefault("registered_at", "2025-01-02")
        c["cpr"] = cpr
        print(json.dumps(c))
PY
DFDG_TODAY=2025-12-31 "$DFDG" apply --db "$work/bench.db" --input "$work/commands.jsonl" > /dev/null
persons=$(sqlite3 "$work/bench.db" "SELECT count(*) FROM persons")
sqlite3 "$work/bench.db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
echo "load before: $(uptime)"
start=$(date +%s.%N)
sqlite3 "$work/bench.db" "SELECT sum(instr(facts, X'FFFE')) FROM persons" > /dev/null
scanned=$(date +%s.%N)
DFDG_TODAY=2025-12-31 "$DFDG" daily --db "$work/bench.db" --date 2025-08-03 > "$work/daily.json"
end=$(date +%s.%N)
echo "load after: $(uptime)"
actions=$(python3 -c "import json; print(sum(len(d['actions']) for d in json.load(open('$work/daily.json'))['days']))")
python3 - "$persons" "$actions" "$start" "$scanned" "$end" <<'PY'
import sys
persons, actions = int(sys.argv[1]), int(sys.argv[2])
start, scanned, end = map(float, sys.argv[3:6])
scan, daily = scanned - start, end - scanned
print(f"daily: {persons} persons, {actions} actions in {daily:.2f} s ({persons / daily:,.0f} persons/s); "
      f"plain scan {scan:.2f} s; ratio daily/scan = {daily / scan:.1f}; aim 1,000,000 persons in 60 s")
PY
