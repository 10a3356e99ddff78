#!/usr/bin/env bash
# Scale benchmark of the seed-004 measurement (issues 5 and 13). Not a test: run by hand or from `make bench`.
#   bench/measure_scale.sh [PERSONS...]        default: 100000 1000000
# Environment: DFDG (binary, default build/dfdg), WORK (scratch dir, default /tmp/dfdg-measure-bench; the
# populations in-N and snapshots in-N.snap are kept there and reused), THREADS (default 2), YEARS (default 6),
# SOURCES (default "csv snapshot").
# For each size: synthesise YEARS of history (once), import the snapshot (once, timed), measure the read limit
# (`cat` of every input file to /dev/null, inputs in the page cache), then measure one month and all YEARS*12
# months from each source, printing wall time, the phases, peak memory, the ratio wall / read limit and the
# 1-minute load average at the start of the run (the machine may be shared: compare figures of one run only).
set -euo pipefail
DFDG=${DFDG:-build/dfdg}
WORK=${WORK:-/tmp/dfdg-measure-bench}
THREADS=${THREADS:-2}
YEARS=${YEARS:-6}
SOURCES=${SOURCES:-csv snapshot}
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100000 1000000)
end_year=2025
from_year=$((end_year - YEARS + 1))
mkdir -p "$WORK"
secs() { date +%s.%N; }
load1() { cut -d' ' -f1 /proc/loadavg; }
printf '%-8s %-6s %-8s %7s %7s %7s %7s %7s %7s %6s %7s %5s\n' persons months source wall_s verify_s parse_s \
  engine_s write_s peak_mb cat_s x_cat load
for n in "${sizes[@]}"; do
  dir="$WORK/in-$n"
  snap="$WORK/in-$n.snap"
  if [ ! -s "$dir/persons.csv" ]; then
    "$DFDG" synth --persons "$n" --years "$YEARS" --seed 1 --out "$dir" 2>/dev/null
  fi
  if [[ " $SOURCES " == *" snapshot "* ]]; then
    l=$(load1)
    /usr/bin/time -v "$DFDG" measure import --input "$dir" --out "$snap" --threads "$THREADS" >"$WORK/log-$n-import" 2>&1
    echo "# $n persons: import $(grep 'Elapsed (wall clock)' "$WORK/log-$n-import" | awk '{print $NF}') wall," \
      "$(grep 'Maximum resident set size' "$WORK/log-$n-import" | awk '{printf "%d", $NF/1024}') MB peak," \
      "snapshot $(($(stat -c %s "$snap") / 1000000)) MB, CSV $(($(cat "$dir"/*.csv | wc -c) / 1000000)) MB, load $l"
  fi
  for source in $SOURCES; do
    src_args=()
    [ "$source" = snapshot ] && src_args=(--snapshot "$snap")
    for span in one all; do
      if [ "$span" = one ]; then args=(--from "$end_year-12"); months=1; else
        args=(--from "$from_year-01" --to "$end_year-12"); months=$((YEARS * 12)); fi
      # Inputs in the page cache: the snapshot is read once untimed; the read limit in the same run is the CSV
      # bytes to /dev/null (which also warms them).
      [ "$source" = snapshot ] && cat "$snap" >/dev/null
      t0=$(secs)
      cat "$dir"/*.csv >/dev/null
      t1=$(secs)
      cat_s=$(echo "$t1 - $t0" | bc -l)
      l=$(load1)
      log="$WORK/log-$n-$source-$span"
      /usr/bin/time -v "$DFDG" measure --input "$dir" "${src_args[@]}" "${args[@]}" --out "$WORK/out-$n-$source-$span" \
        --threads "$THREADS" >"$log" 2>&1
      wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF == 2) print $1 * 60 + $2; else print $1 }')
      peak=$(grep 'Maximum resident set size' "$log" | awk '{printf "%d", $NF/1024}')
      parse=$(grep -o 'indlæsning [0-9.e-]*' "$log" | tail -1 | awk '{print $2}')
      engine=$(grep -o 'måling [0-9.e-]*' "$log" | awk '{print $2}')
      verify=$(grep -o 'kontrol [0-9.e-]*' "$log" | awk '{print $2}' || true)
      verify=${verify:-0}
      write=$(echo "$wall - $parse - $engine" | bc -l)
      ratio=$(echo "$wall / $cat_s" | bc -l)
      printf '%-8s %-6s %-8s %7.2f %7.2f %7.2f %7.2f %7.2f %7s %6.2f %7.1f %5s\n' "$n" "$months" "$source" "$wall" \
        "$verify" "$(echo "$parse - $verify" | bc -l)" "$engine" "$write" "$peak" "$cat_s" "$ratio" "$l"
    done
  done
done
