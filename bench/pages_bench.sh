#!/usr/bin/env bash
# Page-load benchmark (docs/performance.md "Pages"): a synthetic population of PERSONS measured over 24 months and
# stored (the statistics), the timeline demo person plus PERSONS sandbox persons in the registry, `dfdg serve
# --plain-http` on loopback, then bench/pages_bench.mjs in headless chromium: time to first render of /statistik and
# /tidslinje and the latency of their API calls. Usage: bench/pages_bench.sh [PERSONS] [RUNS]. With COMPARE_WEB=DIR
# a second server (same binary, same stored results) serves the page files of DIR (e.g. an earlier commit's
# `node web/build.mjs DIR`) and /statistik's breakdown is measured on both, alternating. The servers started here
# are stopped here.
set -euo pipefail
N=${1:-100000}
RUNS=${2:-20}
DFDG=${DFDG:-build/dfdg}
WEB=${WEB:-build/web}
HERE="$(cd "$(dirname "$0")" && pwd)"
T=$(mktemp -d)
PID=""
PID2=""
cleanup() {
  for p in "$PID" "$PID2"; do
    if [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null; then kill -TERM "$p"; wait "$p" || true; fi
  done
  rm -rf "$T"
}
trap cleanup EXIT
"$DFDG" synth --persons "$N" --years 2 --seed 1 --end 2025-12-31 --out "$T/pop" >/dev/null
"$DFDG" measure --input "$T/pop" --from 2024-01 --to 2025-12 --out "$T/measure" --store-db "$T/stats.db" >/dev/null
DFDG_TODAY=2026-11-30 "$DFDG" apply --db "$T/reg.db" --input "$HERE/../examples/timeline-demo.jsonl" >/dev/null
[[ -z "${COMPARE_WEB:-}" ]] || cp "$T/reg.db" "$T/reg2.db"
DFDG_TODAY=2026-11-30 "$DFDG" serve --sandbox --sandbox-persons "$N" --plain-http --host 127.0.0.1 --port 0 \
  --db "$T/reg.db" --stats-db "$T/stats.db" --web-dir "$WEB" 2> "$T/serve.log" &
PID=$!
for _ in $(seq 600); do
  grep -q '"msg":"listening"' "$T/serve.log" 2>/dev/null && break
  sleep 0.2
done
PORT=$(grep -o '"msg":"listening".*"port":[0-9]*' "$T/serve.log" | grep -o '[0-9]*$')
COMPARE_URL=""
if [[ -n "${COMPARE_WEB:-}" ]]; then
  DFDG_TODAY=2026-11-30 "$DFDG" serve --sandbox --sandbox-persons 1 --plain-http --host 127.0.0.1 --port 0 \
    --db "$T/reg2.db" --stats-db "$T/stats.db" --web-dir "$COMPARE_WEB" 2> "$T/serve2.log" &
  PID2=$!
  for _ in $(seq 600); do
    grep -q '"msg":"listening"' "$T/serve2.log" 2>/dev/null && break
    sleep 0.2
  done
  COMPARE_URL="http://127.0.0.1:$(grep -o '"msg":"listening".*"port":[0-9]*' "$T/serve2.log" | grep -o '[0-9]*$')"
fi
echo "pages bench: $N persons, $RUNS runs, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
node "$HERE/pages_bench.mjs" "http://127.0.0.1:$PORT" "$HERE/../web" "$RUNS" $COMPARE_URL
