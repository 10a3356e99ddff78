#!/usr/bin/env bash
# Scale benchmark of the seed-004 measurement (issue 5). Not a test: run by hand or from `make bench`.
#   bench/measure_scale.sh [PERSONS...]        default: 100000 1000000
# Environment: DFDG (binary, default build/dfdg), WORK (scratch dir, default /tmp/dfdg-measure-bench),
# THREADS (default 2), YEARS (default 6).
# For each size: synthesise YEARS of history, then measure one month and all YEARS*12 months, printing wall
# time, parse ("indlæsning") vs engine ("måling") time and peak memory.
set -euo pipefail
DFDG=${DFDG:-build/dfdg}
WORK=${WORK:-/tmp/dfdg-measure-bench}
THREADS=${THREADS:-2}
YEARS=${YEARS:-6}
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100000 1000000)
end_year=2025
from_year=$((end_year - YEARS + 1))
mkdir -p "$WORK"
printf '%-10s %-8s %10s %10s %10s %10s\n' persons months wall_s parse_s engine_s peak_mb
for n in "${sizes[@]}"; do
  dir="$WORK/in-$n"
  if [ ! -s "$dir/persons.csv" ]; then
    "$DFDG" synth --persons "$n" --years "$YEARS" --seed 1 --out "$dir" 2>/dev/null
  fi
  for span in one all; do
    if [ "$span" = one ]; then args=(--from "$end_year-12"); months=1; else
      args=(--from "$from_year-01" --to "$end_year-12"); months=$((YEARS * 12)); fi
    log="$WORK/log-$n-$span"
    /usr/bin/time -v "$DFDG" measure --input "$dir" "${args[@]}" --out "$WORK/out-$n-$span" \
      --threads "$THREADS" >"$log" 2>&1
    wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
    peak=$(grep 'Maximum resident set size' "$log" | awk '{printf "%d", $NF/1024}')
    parse=$(grep -o 'indlæsning [0-9.]*' "$log" | awk '{print $2}')
    engine=$(grep -o 'måling [0-9.]*' "$log" | awk '{print $2}')
    printf '%-10s %-8s %10s %10s %10s %10s\n' "$n" "$months" "$wall" "$parse" "$engine" "$peak"
  done
done
