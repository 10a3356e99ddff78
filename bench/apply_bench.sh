#!/usr/bin/env bash
# Bulk import benchmark: N synthetic registry commands through `dfdg apply` into a fresh SQLite file.
# Prints commands/second and the ratio to the issue's target (200,000/s). Usage: bench/apply_bench.sh [N]
set -euo pipefail
N=${1:-1000000}
DFDG=${DFDG:-build/dfdg}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$(dirname "$0")/gen_commands.py" "$N" "$work/commands.jsonl"
start=$(date +%s.%N)
DFDG_TODAY=2025-12-31 "$DFDG" apply --db "$work/bench.db" --input "$work/commands.jsonl" > "$work/results.jsonl"
end=$(date +%s.%N)
accepted=$(grep -c '"accepted"' "$work/results.jsonl" || true)
python3 - "$N" "$start" "$end" "$accepted" <<'PY'
import sys
n, start, end, accepted = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
seconds = end - start
rate = n / seconds
print(f"apply: {n} commands ({accepted} accepted) in {seconds:.2f} s = {rate:,.0f} commands/s; "
      f"ratio to target 200,000/s = {rate / 200000:.2f}")
PY
