#!/usr/bin/env bash
# kill -9 of `dfdg outbox deliver` while a receiver holds a request open: the message is not lost (sent again
# by the next run: at least once), nothing delivered is sent twice except that one, and after de-duplication on
# Idempotency-Key the receiver holds every message exactly once, each with a valid signature
# (docs/delivery.md). Usage: kill_test.sh DFDG_BINARY SOURCE_DIR. Loopback only; every loop is bounded.
set -u
DFDG="$1"
SRC="$2"
export DFDG_CATALOG="$SRC/catalog"
# shellcheck source=../lib/common.sh
. "$(dirname "$0")/../lib/common.sh"
T=$(mktemp -d)
RECV=""
DELIVER=""
cleanup() {
  for p in $DELIVER $RECV; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT
db="$T/d.db"
SECRET="kill-test-secret-0123456789abcdef"

# Five persons in a-kasse 10 enter KG 1: five messages to a-kasse 10 (§ 16 stk. 7).
for i in 1 2 3 4 5; do
  cpr="0${i}0190123${i}"
  echo "{\"command\":\"set_akasse\",\"cpr\":\"$cpr\",\"registered_at\":\"2025-01-01\",\"akasse\":\"10\",\"start\":\"2025-01-01\"}"
  echo "{\"command\":\"set_contact_group\",\"cpr\":\"$cpr\",\"registered_at\":\"2025-02-01\",\"contact_group\":1,\"start\":\"2025-02-01\"}"
done > "$T/in.jsonl"
DFDG_TODAY=2025-02-01 "$DFDG" apply --db "$db" --input "$T/in.jsonl" > /dev/null
"$DFDG" outbox list --db "$db" | python3 -c "import json,sys; [print(json.loads(l)['id']) for l in sys.stdin]" \
  > "$T/ids"
check "five messages pending" test "$(wc -l < "$T/ids")" -eq 5
third=$(sed -n 3p "$T/ids")

python3 "$SRC/tests/delivery/receiver.py" "$T/port" "$T/log" k1 "$SECRET" --hold "$third" &
RECV=$!
for _ in $(seq 1 100); do [[ -f "$T/port" ]] && break; sleep 0.1; done
printf '%s\n' "$SECRET" > "$T/k1.key"
cat > "$T/serve.yaml" <<YAML
delivery:
  initial_backoff_ms: 100
  max_backoff_ms: 1000
  timeout_ms: 30000
  poll_ms: 100
  recipients:
    - {kind: akasse, id: "10", url: "http://127.0.0.1:$(cat "$T/port")/dfdg", key_id: k1, secret_file: k1.key}
YAML

"$DFDG" outbox deliver --db "$db" --config "$T/serve.yaml" > "$T/deliver.out" 2>&1 &
DELIVER=$!
for _ in $(seq 1 100); do [[ -f "$T/log.holding" ]] && break; sleep 0.1; done
check "the receiver holds the third message" test -f "$T/log.holding"
kill -9 "$DELIVER"
wait "$DELIVER" 2>/dev/null
DELIVER=""
"$DFDG" outbox show --db "$db" "$third" > "$T/third.json"
check "the held message is still pending, with no attempt recorded" python3 -c "
import json; m=json.load(open('$T/third.json')); assert m['state']=='pending' and m['attempts']==0, m"

"$DFDG" outbox deliver --db "$db" --config "$T/serve.yaml" --once > "$T/once.out"
check "the next run delivers the rest" python3 -c "
import json; r=json.load(open('$T/once.out')); assert r['delivered']==3 and r['dead']==0, r"
"$DFDG" outbox list --db "$db" > "$T/after.jsonl"
check "every message delivered" python3 -c "
import json; ms=[json.loads(l) for l in open('$T/after.jsonl')]
assert len(ms)==5 and all(m['state']=='delivered' for m in ms), ms"
check "receiver: all signatures valid, each id once after de-duplication, only the held one twice" python3 -c "
import json; rs=[json.loads(l) for l in open('$T/log')]
ids=[l.strip() for l in open('$T/ids')]
assert all(r['verified'] and r['id']==r['body_id'] for r in rs), rs
accepted=[r['id'] for r in rs if not r['held'] and not r['duplicate']]
assert sorted(accepted)==sorted(ids), (accepted, ids)
assert [r['id'] for r in rs].count('$third')==2 and len(rs)==6, rs
"
# A wrong secret: the receiver answers 401, the message is retried, never counted as delivered.
"$DFDG" outbox replay --db "$db" --since 2000-01-01 > "$T/replay.out"
check "replay --since (no last day) requeues the five" grep -q '"requeued":5' "$T/replay.out"
sed -i 's/secret_file: k1.key/secret_file: wrong.key/' "$T/serve.yaml"
printf 'a-wrong-secret-0123456789abcdef\n' > "$T/wrong.key"
"$DFDG" outbox deliver --db "$db" --config "$T/serve.yaml" --once > "$T/wrong.out"
check "a wrong secret is refused by the receiver: nothing delivered" python3 -c "
import json; r=json.load(open('$T/wrong.out')); assert r['delivered']==0 and r['retrying']==5, r"
"$DFDG" outbox retry --db "$db" "$third" > /dev/null
check "retry of a pending message requeues it" test $? -eq 0
"$DFDG" outbox retry --db "$db" 999-9 > /dev/null 2>&1
check "retry of an unknown id exits 2" test $? -eq 2
"$DFDG" outbox replay --db "$db" --from 2025-02-02 --to 2025-02-01 > /dev/null 2>&1
check "replay with --from after --to exits 1" test $? -eq 1
"$DFDG" outbox replay --db "$db" --since 2100-01-01 > "$T/replay_none.out"
check "replay --since a later day requeues none" grep -q '"requeued":0' "$T/replay_none.out"

echo "delivery_kill: $passed passed, $fail failed"
test $fail -eq 0
