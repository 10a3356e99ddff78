#!/usr/bin/env bash
# `dfdg serve` delivers the outbox in the background and runs the daily job itself once for the clock's day
# (docs/delivery.md "In dfdg serve"); `dfdg daily` for the same day then does nothing; --no-delivery and
# --no-daily turn them off. Usage: serve_test.sh DFDG_BINARY SOURCE_DIR. Loopback only; loops are bounded.
set -u
DFDG="$1"
SRC="$2"
export DFDG_CATALOG="$SRC/catalog"
# shellcheck source=../lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
T=$(mktemp -d)
RECV=""
SERVE=""
cleanup() {
  for p in $SERVE $RECV; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT
SECRET="serve-test-secret-0123456789abcdef"

# Two messages to a-kasse 10 (entering KG 1); a person in KG 12 who turns 30 on 2025-08-03 (KG 12 → 2).
cat > "$T/in.jsonl" <<'JSONL'
{"command":"set_akasse","cpr":"0101901234","registered_at":"2025-01-01","akasse":"10","start":"2025-01-01"}
{"command":"set_contact_group","cpr":"0101901234","registered_at":"2025-02-01","contact_group":1,"start":"2025-02-01"}
{"command":"set_akasse","cpr":"0202902345","registered_at":"2025-01-01","akasse":"10","start":"2025-01-01"}
{"command":"set_contact_group","cpr":"0202902345","registered_at":"2025-02-01","contact_group":1,"start":"2025-02-01"}
{"command":"set_contact_group","cpr":"0308951234","registered_at":"2025-01-02","contact_group":12,"start":"2025-01-02"}
JSONL
for db in a b; do DFDG_TODAY=2025-08-01 "$DFDG" apply --db "$T/$db.db" --input "$T/in.jsonl" > /dev/null; done

python3 "$SRC/tests/delivery/receiver.py" "$T/port" "$T/log" k1 "$SECRET" &
RECV=$!
for _ in $(seq 1 100); do [[ -f "$T/port" ]] && break; sleep 0.1; done
printf '%s\n' "$SECRET" > "$T/k1.key"
cat > "$T/serve.yaml" <<YAML
listen: {host: 127.0.0.1, port: 0}
systems:
  - {id: jc-101, kind: jobcenter, certificate_cn: jc-101, controller: "Københavns Kommune", municipality: 101}
delivery:
  poll_ms: 100
  recipients:
    - {kind: akasse, id: "*", url: "http://127.0.0.1:$(cat "$T/port")/dfdg", key_id: k1, secret_file: k1.key}
YAML

start() {  # start DB LOG EXTRA_FLAGS...
  local db=$1 log=$2; shift 2
  DFDG_TODAY=2025-08-03 "$DFDG" serve --db "$db" --config "$T/serve.yaml" --plain-http --port 0 \
    --daily-check-seconds 1 "$@" 2> "$log" &
  SERVE=$!
  for _ in $(seq 1 100); do grep -q '"msg":"listening"' "$log" 2>/dev/null && break; sleep 0.1; done
}
stop() { kill "$SERVE"; wait "$SERVE" 2>/dev/null; SERVE=""; }

# Disabled: nothing delivered, no daily run.
start "$T/b.db" "$T/serve_b.log" --no-delivery --no-daily
sleep 2
stop
check "--no-delivery: nothing sent" test ! -s "$T/log"
DFDG_TODAY=2025-08-03 "$DFDG" daily --db "$T/b.db" --date 2025-08-03 --dry-run > "$T/b_daily.out"
check "--no-daily: the day is not done" python3 -c "
import json; d=json.load(open('$T/b_daily.out')); assert not d['already_done'], d"

# /metrics of the running serve (docs/delivery.md "Dead-letter alert"): metrics LOG prints the page.
metrics() {
  local port
  port=$(grep -o '"msg":"listening".*"port":[0-9]*' "$1" | grep -o '[0-9]*$')
  curl -s --max-time 5 -H "x-dev-system: jc-101" "http://127.0.0.1:$port/metrics"
}
# gauge PAGE NAME prints the value of the gauge NAME on the metrics page in file PAGE.
gauge() { awk -v n="$2" '$1 == n { print $2 }' "$1"; }
# wait_gauges LOG PAGE NAME=VALUE...: fetches /metrics into PAGE until every NAME has VALUE (at most 5 s); the gauges
# come from the delivery thread's last pass.
wait_gauges() {
  local log=$1 page=$2; shift 2
  for _ in $(seq 1 50); do
    metrics "$log" > "$page"
    local ok=1 kv
    for kv in "$@"; do [[ "$(gauge "$page" "${kv%=*}")" == "${kv#*=}" ]] || ok=0; done
    ((ok)) && return 0
    sleep 0.1
  done
}

# Enabled.
start "$T/a.db" "$T/serve_a.log"
for _ in $(seq 1 100); do
  [[ $(wc -l < "$T/log" 2>/dev/null || echo 0) -ge 2 ]] && grep -q '"msg":"daily run"' "$T/serve_a.log" && break
  sleep 0.1
done
wait_gauges "$T/serve_a.log" "$T/metrics_a.txt" dfdg_outbox_pending=0
stop
check "/metrics: no dead letters, none pending, no alert after delivery" test \
  "$(gauge "$T/metrics_a.txt" dfdg_outbox_dead_letters) $(gauge "$T/metrics_a.txt" dfdg_outbox_pending) $(gauge "$T/metrics_a.txt" dfdg_outbox_dead_letter_alert)" = "0 0 0"
check "serve delivered both messages, signed" python3 -c "
import json; rs=[json.loads(l) for l in open('$T/log')]
assert len(rs)==2 and all(r['verified'] for r in rs), rs"
check "serve logged its daily run" grep -q '"msg":"daily run","date":"2025-08-03"' "$T/serve_a.log"
DFDG_TODAY=2025-08-03 "$DFDG" status --db "$T/a.db" --cpr 0308951234 --date 2025-08-03 --json > "$T/st.json"
check "the daily run converted KG 12 to 2 on the birthday" python3 -c "
import json; assert json.load(open('$T/st.json'))['contact_group']['id']==2"
DFDG_TODAY=2025-08-03 "$DFDG" daily --db "$T/a.db" --date 2025-08-03 > "$T/again.out"
check "dfdg daily for the same day does nothing" python3 -c "
import json; d=json.load(open('$T/again.out')); assert d['already_done'] and d['days']==[], d"
"$DFDG" outbox list --db "$T/a.db" > "$T/outbox.jsonl"
check "the outbox shows both delivered" python3 -c "
import json; ms=[json.loads(l) for l in open('$T/outbox.jsonl')]
assert len(ms)==2 and all(m['state']=='delivered' and m['attempts']==1 for m in ms), ms"

# A receiver that is never there and one attempt allowed: both messages of c.db become dead letters, and /metrics
# says so with the alert raised; `dfdg outbox retry` and a working receiver bring the alert back to 0.
DFDG_TODAY=2025-08-01 "$DFDG" apply --db "$T/c.db" --input "$T/in.jsonl" > /dev/null
closed_port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1]); s.close()")
sed -e "s|poll_ms: 100|poll_ms: 100\n  max_attempts: 1|" -e "s|127.0.0.1:$(cat "$T/port")|127.0.0.1:$closed_port|" \
  "$T/serve.yaml" > "$T/serve_dead.yaml"
start_dead() {  # start_dead CONFIG LOG EXTRA_FLAGS...
  DFDG_TODAY=2025-08-03 "$DFDG" serve --db "$T/c.db" --config "$1" --plain-http --port 0 --no-daily "${@:3}" 2> "$2" &
  SERVE=$!
  for _ in $(seq 1 100); do grep -q '"msg":"listening"' "$2" 2>/dev/null && break; sleep 0.1; done
}
start_dead "$T/serve_dead.yaml" "$T/serve_c.log"
wait_gauges "$T/serve_c.log" "$T/metrics_c.txt" dfdg_outbox_dead_letters=2
stop
check "/metrics: two dead letters, none pending, the alert raised" test \
  "$(gauge "$T/metrics_c.txt" dfdg_outbox_dead_letters) $(gauge "$T/metrics_c.txt" dfdg_outbox_pending) $(gauge "$T/metrics_c.txt" dfdg_outbox_dead_letter_alert)" = "2 0 1"
for id in $("$DFDG" outbox list --db "$T/c.db" | python3 -c "import json,sys; [print(json.loads(l)['id']) for l in sys.stdin]"); do
  "$DFDG" outbox retry --db "$T/c.db" "$id" > /dev/null
done
start_dead "$T/serve.yaml" "$T/serve_c2.log"
wait_gauges "$T/serve_c2.log" "$T/metrics_c2.txt" dfdg_outbox_dead_letters=0 dfdg_outbox_pending=0
stop
check "/metrics: after retry and delivery the alert is back to 0" test \
  "$(gauge "$T/metrics_c2.txt" dfdg_outbox_dead_letters) $(gauge "$T/metrics_c2.txt" dfdg_outbox_dead_letter_alert)" = "0 0"
start_dead "$T/serve.yaml" "$T/serve_c3.log" --no-delivery
metrics "$T/serve_c3.log" > "$T/metrics_c3.txt"
stop
check "/metrics without a delivery thread has no outbox gauges" test -z "$(grep dfdg_outbox_ "$T/metrics_c3.txt")"
check "/metrics without a delivery thread still answers" grep -q '^dfdg_commits_total ' "$T/metrics_c3.txt"

echo "delivery_serve: $passed passed, $fail failed"
test $fail -eq 0
