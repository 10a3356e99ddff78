#!/usr/bin/env bash
# Crash test: `kill -9` the server during a concurrent write load, restart it, and check that every
# acknowledged request is present, no request is half-applied, and `dfdg audit verify` passes.
# Usage: crash_test.sh DFDG_BINARY SOURCE_DIR. Loopback only; every loop is bounded; every server is stopped.
set -euo pipefail
DFDG=$1
T=$(mktemp -d)
PID=""
cleanup() {
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then kill -9 "$PID" 2>/dev/null || true; fi
  rm -rf "$T"
}
trap cleanup EXIT
cat > "$T/serve.yaml" <<'YAML'
listen: {host: 127.0.0.1, port: 0}
systems:
  - {id: jc-101, kind: jobcenter, certificate_cn: jc-101, controller: "Københavns Kommune", municipality: 101}
YAML

# DFDG_CHECKPOINT_PAGES=8: the background checkpointer (docs/storage.md "WAL checkpoints") runs all through the
# load, so the kill may land in a checkpoint.
start() {
  DFDG_TODAY=2025-09-15 DFDG_CHECKPOINT_PAGES=8 "$DFDG" serve --db "$T/c.db" --config "$T/serve.yaml" --plain-http --port 0 \
    2> "$T/log$1" &
  PID=$!
  for _ in $(seq 1 100); do
    grep -q '"msg":"listening"' "$T/log$1" 2>/dev/null && break
    sleep 0.1
  done
  PORT=$(grep -o '"port":[0-9]*' "$T/log$1" | head -1 | cut -d: -f2)
  [[ -n "$PORT" ]] || { echo "server did not start"; cat "$T/log$1"; exit 1; }
}

# One worker: up to 300 requests, each a 2-command batch for a new person (municipality + contact group).
worker() {
  local w=$1
  for i in $(seq 1 300); do
    local cpr
    cpr=$(printf "%02d%02d80%04d" $((1 + i % 28)) $((1 + w)) "$i")
    echo "$cpr" >> "$T/sent$w"
    local body="{\"command\":\"set_municipality\",\"cpr\":\"$cpr\",\"municipality\":101,\"start\":\"2025-09-01\"}
{\"command\":\"set_contact_group\",\"cpr\":\"$cpr\",\"contact_group\":2,\"start\":\"2025-09-01\"}"
    local out
    out=$(curl -s --max-time 5 -H "x-dev-system: jc-101" -H "Content-Type: application/x-ndjson" \
      --data-binary "$body" "http://127.0.0.1:$PORT/v1/batch" || true)
    if [[ $(grep -c '"status":"accepted"' <<< "$out") == 2 ]]; then echo "$cpr" >> "$T/acked$w"; fi
    [[ -z "$out" ]] && return 0  # the server is gone
  done
}

start 1
for w in 1 2 3 4; do worker $w & done
# Kill once at least 30 requests were acknowledged (after 1 s at the earliest, 10 s at the latest).
sleep 1
for _ in $(seq 1 90); do
  [[ $(cat "$T"/acked* 2>/dev/null | wc -l) -ge 30 ]] && break
  sleep 0.1
done
checkpoints=$(curl -s --max-time 5 -H "x-dev-system: jc-101" "http://127.0.0.1:$PORT/metrics" |
  { grep -o 'dfdg_wal_checkpoints_total{path="background"} [0-9]*' || true; } | awk '{print $2}')
kill -9 "$PID"
wait "$PID" 2>/dev/null || true
PID=""
wait
echo "background checkpoints before the crash: ${checkpoints:-none}"
[[ ${checkpoints:-0} -gt 0 ]] || { echo "the checkpointer did not run during the load"; exit 1; }
acked=$(cat "$T"/acked* 2>/dev/null | wc -l)
echo "acknowledged before the crash: $acked"
[[ $acked -gt 10 ]] || { echo "too few acknowledged requests to test"; exit 1; }

start 2
fail=0
count() {  # entities of a resource for a person
  curl -s --max-time 5 -H "x-dev-system: jc-101" -H "x-civilRegistrationIdentifier: $1" \
    "http://127.0.0.1:$PORT/v1/$2" | { grep -o '"entity_id"' || true; } | wc -l
}
for f in "$T"/acked*; do
  while read -r cpr; do
    [[ $(count "$cpr" Myndighed) == 1 && $(count "$cpr" Kontaktgruppe) == 1 ]] || { echo "lost: ${cpr:0:6}-****"; fail=1; }
  done < "$f"
done
# Every request sent, acknowledged or not: both commands or neither.
checked=0
for f in "$T"/sent*; do
  while read -r cpr; do
    m=$(count "$cpr" Myndighed); k=$(count "$cpr" Kontaktgruppe)
    [[ $m == "$k" ]] || { echo "half-applied: ${cpr:0:6}-****"; fail=1; }
    checked=$((checked + 1))
  done < <(tail -n 5 "$f")
done
kill -TERM "$PID"
wait "$PID" || true
PID=""
"$DFDG" audit verify --db "$T/c.db" || fail=1
# "Who has looked at me": the first acknowledged person's audit rows name the job centre.
first=$(head -1 "$(ls "$T"/acked* | head -1)")
"$DFDG" audit show --db "$T/c.db" --cpr "$first" >"$T/show.txt" || true
grep -q '"system":"jc-101"' "$T/show.txt" || { echo "audit show: no rows"; fail=1; }
# The application logs never hold a full CPR number (they are masked DDMMYY-****).
if cat "$T"/sent* | grep -F -f - "$T"/log1 "$T"/log2 >/dev/null; then echo "a full CPR in the logs"; fail=1; fi
grep -q '"cpr":"[0-9]\{6\}-\*\*\*\*"' "$T/log2" || { echo "no masked CPR in the logs"; fail=1; }
echo "checked $acked acknowledged and the last $checked sent requests"
exit $fail
