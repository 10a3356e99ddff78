#!/usr/bin/env bash
# Before/after check of two builds in one run on one machine (docs/performance.md "no regression" sections):
# alternating rounds of `BM_ValidateAbsence`/`BM_ValidateAcceptedAbsence` (3 repetitions, mean) and `dfdg apply`
# of the same N synthetic commands (bench/gen_commands.py, generated once) into a fresh SQLite file.
#   bench/compare_builds.sh BEFORE_DIR AFTER_DIR [ROUNDS] [N]
# Each DIR holds `dfdg` and `dfdg_bench` of one build, and optionally `catalog/` (the catalogue that build reads;
# else the one compiled in). Prints one line per round and binary, with the load average, and the ratios.
set -euo pipefail
BEFORE=${1:?before dir}
AFTER=${2:?after dir}
ROUNDS=${3:-3}
N=${4:-200000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$(dirname "$0")/gen_commands.py" "$N" "$work/commands.jsonl"

validate() {  # $1 = dir; prints "<absence M/s> <accepted M/s>"
  "$1/dfdg_bench" --benchmark_filter='BM_ValidateA(bsence|cceptedAbsence)$' --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true --benchmark_format=json 2>/dev/null |
    python3 -c '
import json, sys
rows = {b["run_name"]: b for b in json.load(sys.stdin)["benchmarks"] if b.get("aggregate_name") == "mean"}
rate = lambda name: 1e3 / rows[name]["cpu_time"] if rows[name]["time_unit"] == "ns" else float("nan")
print("%.2f %.2f" % (rate("BM_ValidateAbsence"), rate("BM_ValidateAcceptedAbsence")))'
}

apply_rate() {  # $1 = dir; prints commands/s
  local env=()
  [ -d "$1/catalog" ] && env=(DFDG_CATALOG="$1/catalog")
  rm -f "$work/bench.db"*
  local start end
  start=$(date +%s.%N)
  env "${env[@]}" DFDG_TODAY=2025-12-31 "$1/dfdg" apply --db "$work/bench.db" --input "$work/commands.jsonl" \
    >"$work/results.jsonl" 2>/dev/null
  end=$(date +%s.%N)
  python3 -c "print('%.0f' % ($N / ($end - $start)))"
}

load() { cut -d' ' -f1 /proc/loadavg; }
declare -A sum
for round in $(seq 1 "$ROUNDS"); do
  for side in before after; do
    dir=$BEFORE
    [ "$side" = after ] && dir=$AFTER
    read -r absence accepted < <(validate "$dir")
    rate=$(apply_rate "$dir")
    printf 'round %d %-6s load %s  BM_ValidateAbsence %s M/s  BM_ValidateAcceptedAbsence %s M/s  apply %s commands/s\n' \
      "$round" "$side" "$(load)" "$absence" "$accepted" "$rate"
    sum[$side.absence]=$(python3 -c "print(${sum[$side.absence]:-0} + $absence)")
    sum[$side.accepted]=$(python3 -c "print(${sum[$side.accepted]:-0} + $accepted)")
    sum[$side.apply]=$(python3 -c "print(${sum[$side.apply]:-0} + $rate)")
  done
done
python3 -c "
b = (${sum[before.absence]}, ${sum[before.accepted]}, ${sum[before.apply]})
a = (${sum[after.absence]}, ${sum[after.accepted]}, ${sum[after.apply]})
print('after/before (means of $ROUNDS rounds): validation %.2f, accepted-only validation %.2f, apply %.2f'
      % (a[0] / b[0], a[1] / b[1], a[2] / b[2]))"
