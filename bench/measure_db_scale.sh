#!/usr/bin/env bash
# Scale benchmark of `dfdg measure --db` (issue 13 item 4). Not a test: run by hand or from `make bench`.
#   bench/measure_db_scale.sh [PERSONS...]      default: 100000
# Environment: DFDG (binary, default build/dfdg), WORK (scratch dir, default /tmp/dfdg-measure-db-bench; the
# population, registry and snapshots of each size are kept there and reused), THREADS (default 2), YEARS
# (default 6), MONTH (default 2025-12), SOURCES (default "snapshot csv db+snapshot db+csv"), ROUNDS (default 1: each
# round measures every source once, back to back; x_snapshot is relative to the snapshot run of the same round).
# For each size: synthesise YEARS of history with the registry part also as registry commands (`dfdg synth
# --commands`, once), load those into a fresh SQLite registry with the bulk path (`dfdg apply`, timed, once),
# import two snapshots (the whole population; and the part the registry does not hold: persons, benefits but
# a-dagpenge, offers), then measure MONTH four ways, inputs in the page cache:
#   snapshot     the whole population from its snapshot (the reference of the issue's "within 2x")
#   csv          the whole population from the CSV files
#   db+snapshot  persons and benefits from their snapshot, the rest from the registry (--db)
#   db+csv       persons and benefits from CSV, the rest from the registry (--db)
# Prints wall time, CPU time (user + system), the reading phase (incl. the registry), the registry's share, the
# engine, peak memory, and the ratio of each run to the snapshot run of its round, with the 1-minute load average
# at the start of each run.
set -euo pipefail
DFDG=${DFDG:-build/dfdg}
WORK=${WORK:-/tmp/dfdg-measure-db-bench}
THREADS=${THREADS:-2}
YEARS=${YEARS:-6}
MONTH=${MONTH:-2025-12}
SOURCES=${SOURCES:-snapshot csv db+snapshot db+csv}
ROUNDS=${ROUNDS:-1}
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100000)
mkdir -p "$WORK"
load1() { cut -d' ' -f1 /proc/loadavg; }
wall_of() { grep 'Elapsed (wall clock)' "$1" | awk '{print $NF}' | awk -F: '{ if (NF == 2) print $1 * 60 + $2; else print $1 }'; }
cpu_of() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$1"; }
peak_of() { grep 'Maximum resident set size' "$1" | awk '{printf "%d", $NF/1024}'; }
for n in "${sizes[@]}"; do
  pop="$WORK/pop-$n"
  part="$WORK/part-$n"
  db="$WORK/registry-$n.db"
  if [ ! -s "$pop/persons.csv" ] || [ ! -s "$WORK/registry-$n.jsonl" ]; then
    rm -rf "$pop" "$db" "$db-wal" "$db-shm"
    "$DFDG" synth --persons "$n" --years "$YEARS" --seed 1 --out "$pop" --commands "$WORK/registry-$n.jsonl" 2>/dev/null
  fi
  mkdir -p "$part"
  # The a-dagpenge payments and the dagpenge periods come from the registry (dagpenge_payment, dagpenge_placement).
  for f in persons offers; do ln -sf "$pop/$f.csv" "$part/$f.csv"; done
  rm -f "$part/benefits.csv" "$part/dagpenge_periods.csv"
  grep -v ',a_dagpenge,' "$pop/benefits.csv" >"$part/benefits.csv"
  if [ ! -s "$db" ]; then
    l=$(load1)
    DFDG_TODAY=2025-12-31 /usr/bin/time -v "$DFDG" apply --db "$db" --input "$WORK/registry-$n.jsonl" \
      >"$WORK/apply-$n.jsonl" 2>"$WORK/log-$n-apply"
    commands=$(wc -l <"$WORK/registry-$n.jsonl")
    accepted=$(grep -c '"accepted"' "$WORK/apply-$n.jsonl" || true)
    echo "# $n persons: apply (bulk) of $commands commands, $accepted accepted: $(wall_of "$WORK/log-$n-apply") s," \
      "$(peak_of "$WORK/log-$n-apply") MB peak, registry $(($(stat -c %s "$db") / 1000000)) MB, load $l"
    grep -o '"code":[0-9]*' "$WORK/apply-$n.jsonl" | sort | uniq -c | sort -rn | head -5 | sed 's/^/#   rejected /' || true
    rm -f "$WORK/apply-$n.jsonl"
  fi
  for d in pop part; do
    dir="$WORK/$d-$n"
    [ -s "$dir.snap" ] || "$DFDG" measure import --input "$dir" --out "$dir.snap" --threads "$THREADS" 2>/dev/null
  done
  printf '%-9s %-5s %-12s %8s %8s %8s %8s %8s %8s %9s %5s\n' persons round source wall_s cpu_s read_s db_s engine_s \
    peak_mb x_snapshot load
  for round in $(seq 1 "$ROUNDS"); do
    ref=""
    for source in $SOURCES; do
      case $source in
        snapshot) args=(--input "$pop" --snapshot "$pop.snap") ;;
        csv) args=(--input "$pop") ;;
        db+snapshot) args=(--input "$part" --snapshot "$part.snap" --db "$db") ;;
        db+csv) args=(--input "$part" --db "$db") ;;
      esac
      # Inputs in the page cache.
      cat "$pop"/*.csv "$pop.snap" "$part.snap" "$db"* >/dev/null
      l=$(load1)
      log="$WORK/log-$n-$source-$round"
      /usr/bin/time -v "$DFDG" measure "${args[@]}" --from "$MONTH" --out "$WORK/out-$n-$source" --threads "$THREADS" \
        >"$log" 2>&1
      wall=$(wall_of "$log")
      read_s=$(grep -o 'indlæsning [0-9.e-]*' "$log" | tail -1 | awk '{print $2}')
      engine=$(grep -o 'måling [0-9.e-]*' "$log" | awk '{print $2}')
      db_s=$(grep -o 'registret læst på [0-9.e-]*' "$log" | awk '{print $4}' || true)
      [ -z "$ref" ] && ref=$wall
      printf '%-9s %-5s %-12s %8.2f %8s %8.2f %8s %8.2f %8s %9.2f %5s\n' "$n" "$round" "$source" "$wall" \
        "$(cpu_of "$log")" "$read_s" "${db_s:--}" "$engine" "$(peak_of "$log")" "$(echo "$wall / $ref" | bc -l)" "$l"
    done
  done
done
