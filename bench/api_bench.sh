#!/usr/bin/env bash
# API benchmark on loopback (docs/performance.md): `dfdg serve` with mutual TLS over a sandbox population,
# driven by bench/api_load (keep-alive connections).
#   1. sustained accepted absence registrations per second (as fast as possible),
#   2. p50/p99 latency at a paced 1,000 requests/s,
#   3. GET /v1/status per second,
#   4. `dfdg apply` of the same commands in one process, and the ratio.
# Usage: bench/api_bench.sh [PERSONS] [CONNECTIONS]. Every server started here is stopped here.
set -euo pipefail
N=${1:-20000}
C=${2:-32}
DFDG=${DFDG:-build/dfdg}
LOAD=${LOAD:-build/dfdg_api_load}
T=$(mktemp -d)
PID=""
cleanup() {
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then kill -TERM "$PID"; wait "$PID" || true; fi
  rm -rf "$T"
}
trap cleanup EXIT
# shellcheck source=bench/lib_certs.sh
source "$(dirname "$0")/lib_certs.sh"
make_certs "$T" server jc-101 jc-147 jc-751 jc-461
{
  echo "listen: {host: 127.0.0.1, port: 0}"
  echo "tls: {cert: server.pem, key: server.key, client_ca: ca.pem}"
  echo "limits: {threads: $((C + 8)), max_in_flight: 4096}"
  echo "systems:"
  for m in 101 147 751 461; do
    echo "  - {id: jc-$m, kind: jobcenter, certificate_cn: jc-$m, controller: \"Kommune $m\", municipality: $m}"
  done
} > "$T/serve.yaml"

start() {  # start DB
  rm -f "$T/$1"*
  DFDG_TODAY=2025-09-15 "$DFDG" serve --sandbox --sandbox-persons "$N" --config "$T/serve.yaml" --db "$T/$1" \
    2> "$T/$1.log" &
  PID=$!
  for _ in $(seq 1 600); do grep -q '"msg":"listening"' "$T/$1.log" 2>/dev/null && break; sleep 0.1; done
  PORT=$(grep -o '"port":[0-9]*' "$T/$1.log" | head -1 | cut -d: -f2)
  export PORT
}
stop() { kill -TERM "$PID"; wait "$PID" || true; PID=""; }
# The server's CPU time (user + system, clock ticks) so far, and the CPU time per answered request of a load run
# between two such readings (the machine is shared: CPU per request is steadier than a rate).
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
per_request() {  # TICKS_BEFORE TICKS_AFTER LOAD_OUTPUT
  local ok
  ok=$(grep -o '"ok":[0-9]*' <<<"$3" | cut -d: -f2)
  echo "server CPU $(( ($2 - $1) * 1000000 / $(getconf CLK_TCK) / (ok > 0 ? ok : 1) )) us/request"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(uptime | sed 's/.*load/load/')"
start a.db
cp "$T/a.db" "$T/apply.db" 2>/dev/null || true
c0=$(cpu)
out=$("$LOAD" write "$T" "$T/a.db.persons.txt" "$C" 0)
echo "write, as fast as possible: $out; $(per_request "$c0" "$(cpu)" "$out")"
c0=$(cpu)
out=$("$LOAD" read "$T" "$T/a.db.persons.txt" "$C" 5)
echo "read GET /v1/status, 5 s:    $out; $(per_request "$c0" "$(cpu)" "$out")"
curl -s --cacert "$T/ca.pem" --cert "$T/jc-101.pem" --key "$T/jc-101.key" "https://127.0.0.1:$PORT/metrics" > "$T/metrics.txt"
grep -o 'dfdg_commit_batch_size_bucket{le="[^"]*"} [0-9]*' "$T/metrics.txt" | tr '\n' ' '; echo
# Where the writer thread's time went during both runs (docs/api.md "Operations"), and how many commits were
# validated on more than one thread.
grep -E '^dfdg_(writer_seconds_total|parallel_commits_total|commits_total)' "$T/metrics.txt" | tr '\n' ' '; echo
stop
start b.db
# The store's commit times and WAL checkpoints before and after the paced run (docs/storage.md "WAL
# checkpoints"; the sandbox's own load counts before; a binary without these metrics prints nothing here).
wal() {
  curl -s --cacert "$T/ca.pem" --cert "$T/jc-101.pem" --key "$T/jc-101.key" "https://127.0.0.1:$PORT/metrics" |
    grep -E '^dfdg_(store_commit_seconds_bucket|store_commit_max|wal_)' | sed 's/^dfdg_//' | tr '\n' ' '; echo
}
echo "store before: $(wal)"
echo "write paced at 1,000/s:      $("$LOAD" write "$T" "$T/b.db.persons.txt" "$C" 1000)"
echo "store after:  $(wal)"
stop

# The same commands through `dfdg apply` in one process, on a copy of a fresh sandbox population.
start c.db
stop
awk '{printf "{\"command\":\"register_absence\",\"cpr\":\"%s\",\"reason\":8,\"start\":\"2025-09-15\",\"end\":\"2025-09-15\",\"actor\":\"jc\"}\n", $1}' \
  "$T/c.db.persons.txt" > "$T/apply.jsonl"
s=$(date +%s.%N)
DFDG_TODAY=2025-09-15 "$DFDG" apply --db "$T/c.db" --input "$T/apply.jsonl" > "$T/apply.out" 2>/dev/null
e=$(date +%s.%N)
acc=$(grep -c '"accepted"' "$T/apply.out" || true)
echo "apply: $acc accepted in $(echo "$e - $s" | bc -l | cut -c1-6) s = $(echo "$acc / ($e - $s)" | bc -l | cut -d. -f1)/s"
