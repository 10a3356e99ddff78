#!/usr/bin/env bash
# The a-kasser's nightly counter load and the citizen view (issue 14 "Benchmark"; docs/performance.md "Counters"):
#   1. REPORTS counter reports (create_dagpenge_consumption, § 72) from 4 a-kasser for their members through
#      `dfdg apply` in one process (aim >= 100,000 reports/s),
#   2. the same reports through `POST /v1/batch` over mutual TLS, each a-kasse's lines in batches of 10,000 posted
#      by CONNECTIONS curl processes at a time,
#   3. GET /v1/Borgervisning (the citizen view, as Jobnet) for 5 s with bench/api_load (aim >= 20,000/s),
#   and, beside step 1, the storage floor: SQLite alone writing the same rows per report (bench/storage_floor.cc),
#   so the apply rate can be read as a share of what the store's layout allows on this machine; and beside step 3
#   GET /healthz over the same connections (no person, no audit row): the HTTP + TLS floor.
# PERSONS members (REPORTS/PERSONS reports each, one per month) are loaded with `dfdg apply` first (not timed).
# Usage: bench/counter_bench.sh [REPORTS] [PERSONS] [CONNECTIONS]. Every server started here is stopped here.
set -euo pipefail
R=${1:-800000}
P=${2:-100000}
C=${3:-8}
DFDG=${DFDG:-build/dfdg}
LOAD=${LOAD:-build/dfdg_api_load}
FLOOR=${FLOOR:-build/dfdg_storage_floor}
T=$(mktemp -d)
PID=""
cleanup() {
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then kill -TERM "$PID"; wait "$PID" || true; fi
  rm -rf "$T"
}
trap cleanup EXIT
# shellcheck source=bench/lib_certs.sh
source "$(dirname "$0")/lib_certs.sh"
make_certs "$T" server jobnet ak-01 ak-02 ak-03 ak-04
{
  echo "listen: {host: 127.0.0.1, port: 0}"
  echo "tls: {cert: server.pem, key: server.key, client_ca: ca.pem}"
  echo "limits: {threads: $((C + 40)), max_in_flight: 4096, max_body_bytes: 16777216, max_batch_lines: 10000}"
  echo "systems:"
  for a in 01 02 03 04; do
    echo "  - {id: ak-$a, kind: akasse, certificate_cn: ak-$a, controller: \"A-kasse $a\", akasse: \"$a\"}"
  done
  echo "  - {id: jobnet, kind: jobnet, certificate_cn: jobnet, controller: \"STAR\"}"
} >"$T/serve.yaml"
export DFDG_TODAY=2025-09-15
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(uptime | sed 's/.*load/load/')"

# The members: person i in a-kasse 0(1 + i mod 4), in KG 1 from 2025-01-01; persons.txt as api_load reads it.
awk -v n="$P" 'BEGIN {
  for (i = 0; i < n; i++) {
    cpr = sprintf("%02d%02d%02d%04d", 1 + i % 28, 1 + int(i / 28) % 12, 70 + int(i / 336) % 30, i % 10000)
    a = sprintf("%02d", 1 + i % 4)
    printf "{\"cpr\":\"%s\",\"registered_at\":\"2025-01-01\",\"command\":\"set_contact_group\",\"contact_group\":1,\"start\":\"2025-01-01\"}\n", cpr
    printf "{\"cpr\":\"%s\",\"registered_at\":\"2025-01-01\",\"command\":\"register_akasse_intake\",\"channel\":\"akasse\",\"actor\":\"%s\",\"event\":\"intake\",\"start\":\"2025-01-01\",\"insurance_category\":\"fuldtid\",\"akasse_code\":\"%s\",\"branch\":\"1\"}\n", cpr, a, a
    print cpr " municipality=101 akasse=" a > "'"$T"'/persons.txt"
  } }' >"$T/members.jsonl"
"$DFDG" apply --db "$T/base.db" --input "$T/members.jsonl" >"$T/members.out" 2>/dev/null
echo "members: $(grep -c '"accepted"' "$T/members.out" || true) of $((2 * P)) commands accepted"

# The reports: report r for person r mod P, month 1 + r div P (computed on the 2nd of the next month).
awk -v n="$P" -v r="$R" -v dir="$T" 'BEGIN {
  for (k = 0; k < r; k++) {
    i = k % n; m = 1 + int(k / n) % 8
    cpr = sprintf("%02d%02d%02d%04d", 1 + i % 28, 1 + int(i / 28) % 12, 70 + int(i / 336) % 30, i % 10000)
    a = sprintf("%02d", 1 + i % 4)
    split("31 28 31 30 31 30 31 31", last, " ")
    line = sprintf("\"cpr\":\"%s\",\"registered_at\":\"2025-09-15\",\"command\":\"create_dagpenge_consumption\",\"hours_used\":%d,\"hours_remaining\":%d,\"consumption_month\":\"2025-%02d-%02d\",\"computation_date\":\"2025-%02d-02\",\"akasse_code\":\"%s\"", cpr, 160 * m, 3848 - 160 * m, m, last[m], m + 1, a)
    printf "{%s,\"channel\":\"akasse\",\"actor\":\"%s\"}\n", line, a > dir "/reports.jsonl"
    printf "{%s}\n", line > dir "/batch-" a ".jsonl"
  } }'

cp "$T/base.db" "$T/apply.db"
s=$(date +%s.%N)
"$DFDG" apply --db "$T/apply.db" --input "$T/reports.jsonl" >"$T/apply.out" 2>/dev/null
e=$(date +%s.%N)
acc=$(grep -c '"accepted"' "$T/apply.out" || true)
apply_rate=$(echo "$acc / ($e - $s)" | bc -l | cut -d. -f1)
echo "apply: $acc of $R reports accepted in $(echo "$e - $s" | bc -l | cut -c1-6) s = $apply_rate/s (aim 100,000/s)"
grep -o '"code":[0-9]*' "$T/apply.out" | sort | uniq -c | sort -rn | head -3 | sed 's/^/#   rejected /' || true
rm -f "$T/apply.out" "$T/apply.db"*

cp "$T/base.db" "$T/floor.db"
floor=$("$FLOOR" "$T/floor.db" "$R")
floor_rate=$(grep -o '"per_second":[0-9]*' <<<"$floor" | cut -d: -f2)
echo "storage floor (SQLite alone, the same 4 rows per report): $floor; apply reaches" \
  "$(echo "$apply_rate / $floor_rate" | bc -l | cut -c1-4)x of it"
rm -f "$T/floor.db"*

cp "$T/base.db" "$T/batch.db"
"$DFDG" serve --config "$T/serve.yaml" --db "$T/batch.db" 2>"$T/serve.log" &
PID=$!
for _ in $(seq 1 600); do grep -q '"msg":"listening"' "$T/serve.log" 2>/dev/null && break; sleep 0.1; done
PORT=$(grep -o '"port":[0-9]*' "$T/serve.log" | head -1 | cut -d: -f2)
export PORT
mkdir -p "$T/chunks" "$T/results"
for a in 01 02 03 04; do split -l 10000 -d -a 4 "$T/batch-$a.jsonl" "$T/chunks/$a-"; done
s=$(date +%s.%N)
# shellcheck disable=SC2016
ls "$T/chunks" | xargs -P "$C" -I{} sh -c 'a=${1%%-*}; curl -s --fail --cacert "$0/ca.pem" --cert "$0/ak-$a.pem" \
  --key "$0/ak-$a.key" -H "content-type: application/x-ndjson" --data-binary @"$0/chunks/$1" \
  "https://127.0.0.1:$2/v1/batch" >"$0/results/$1"' "$T" {} "$PORT"
e=$(date +%s.%N)
acc=$(cat "$T/results/"* | grep -c '"accepted"' || true)
batch_rate=$(echo "$acc / ($e - $s)" | bc -l | cut -d. -f1)
echo "POST /v1/batch (mTLS, $C at a time): $acc of $R reports accepted in $(echo "$e - $s" | bc -l | cut -c1-6) s =" \
  "$batch_rate/s (aim 100,000/s; $(echo "$batch_rate / $apply_rate" | bc -l | cut -c1-4)x apply)"
cat "$T/results/"* | grep -o '"code":[0-9]*' | sort | uniq -c | sort -rn | head -3 | sed 's/^/#   rejected /' || true
rm -rf "$T/chunks" "$T/results"

# The server's CPU time (user + system) per answered citizen view besides the rate (the machine is shared).
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
# First wait (at most 120 s) until the server is idle - its CPU time unchanged for a second - so the reads are not
# measured with the tail of the batch load (the WAL checkpoint in the background).
for _ in $(seq 1 120); do
  c0=$(ticks)
  sleep 1
  [[ "$(ticks)" == "$c0" ]] && break
done
c0=$(ticks)
out=$("$LOAD" citizen "$T" "$T/persons.txt" "$C" 5 || true)
ok=$(grep -o '"ok":[0-9]*' <<<"$out" | cut -d: -f2)
us=$(( ($(ticks) - c0) * 1000000 / $(getconf CLK_TCK) / (${ok:-0} > 0 ? ok : 1) ))
echo "GET /v1/Borgervisning (as Jobnet), 5 s: $out (aim 20,000/s); server CPU $us us/request"
# The same connections for GET /healthz (no person, no audit row): the floor of HTTP + TLS on this machine, with
# the load generator on the same cores. The citizen view cannot be answered faster than this.
c0=$(ticks)
out=$("$LOAD" health "$T" "$T/persons.txt" "$C" 5 || true)
ok=$(grep -o '"ok":[0-9]*' <<<"$out" | cut -d: -f2)
us=$(( ($(ticks) - c0) * 1000000 / $(getconf CLK_TCK) / (${ok:-0} > 0 ? ok : 1) ))
echo "GET /healthz (the HTTP + TLS floor), 5 s: $out; server CPU $us us/request"
kill -TERM "$PID"; wait "$PID" || true; PID=""
