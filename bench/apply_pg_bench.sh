#!/usr/bin/env bash
# Bulk import into PostgreSQL vs SQLite in one run: N synthetic commands through `dfdg apply`, once into a fresh
# SQLite file and once into a fresh PostgreSQL database on a primary with a synchronous streaming replica
# (scripts/pg-cluster.sh, started and stopped here). Prints both rates, the ratio PostgreSQL/SQLite and the
# ratio to the PostgreSQL target (100,000 commands/s). Usage: bench/apply_pg_bench.sh [N]
set -euo pipefail
N=${1:-1000000}
DFDG=${DFDG:-build/dfdg}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
state="$work/pg"
trap '"$here/../scripts/pg-cluster.sh" stop "$state"; rm -rf "$work"' EXIT
python3 "$here/gen_commands.py" "$N" "$work/commands.jsonl"
"$here/../scripts/pg-cluster.sh" start "$state"
pg_url=$(sed -n 's/^PRIMARY_URL=//p' "$state/env")

run() {  # $1 = --db value; prints seconds
  local start end
  start=$(date +%s.%N)
  DFDG_TODAY=2025-12-31 "$DFDG" apply --db "$1" --input "$work/commands.jsonl" >"$work/results.jsonl"
  end=$(date +%s.%N)
  echo "$start $end $(grep -c '"accepted"' "$work/results.jsonl" || true)"
}
read -r s1 e1 a1 < <(run "$work/bench.db")
read -r s2 e2 a2 < <(run "$pg_url")
python3 - "$N" "$s1" "$e1" "$a1" "$s2" "$e2" "$a2" <<'PY'
import sys
n = int(sys.argv[1])
s1, e1, a1, s2, e2, a2 = map(float, sys.argv[2:])
r1, r2 = n / (e1 - s1), n / (e2 - s2)
print(f"apply sqlite:     {n} commands ({int(a1)} accepted) in {e1 - s1:.2f} s = {r1:,.0f} commands/s")
print(f"apply postgresql: {n} commands ({int(a2)} accepted) in {e2 - s2:.2f} s = {r2:,.0f} commands/s "
      f"(synchronous replica); ratio to SQLite {r2 / r1:.2f}; ratio to target 100,000/s {r2 / 100000:.2f}")
PY
