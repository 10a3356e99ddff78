#!/usr/bin/env bash
# Failover under a write load: `dfdg apply` writes to the primary (synchronous replica); the primary is killed
# with SIGKILL mid-load; the replica is promoted (pg_ctl promote); then every acknowledged registration (a
# result line is printed only after its batch committed) is on the promoted server, no command is
# half-applied (sum of person versions = commands), and writing continues there.
# Also: `dfdg apply`/`status --db postgresql://… --read-db …` on the cluster. Usage: failover_test.sh DFDG SOURCE_DIR. Starts and stops its own cluster.
set -euo pipefail
DFDG=$1
SRC=$2
work=$(mktemp -d)
state="$work/pg"
trap '"$SRC/scripts/pg-cluster.sh" stop "$state"; rm -rf "$work"' EXIT
# shellcheck source=own_cluster.sh
. "$SRC/tests/pg/own_cluster.sh"
own_cluster_start
python3 "$SRC/bench/gen_commands.py" 200000 "$work/commands.jsonl"

# The CLI on PostgreSQL: apply to the primary, status read through the replica (--read-db) sees it at once.
echo '{"command":"set_contact_group","cpr":"0101901234","registered_at":"2025-12-01","contact_group":2,"start":"2025-12-01"}' |
  DFDG_TODAY=2025-12-31 "$DFDG" apply --db "$primary" >"$work/first.jsonl"
grep -q '"accepted"' "$work/first.jsonl" || fail "apply --db postgresql://: $(cat "$work/first.jsonl")"
DFDG_TODAY=2025-12-31 "$DFDG" status --db "$primary" --read-db "$replica" --cpr 0101901234 --date 2025-12-31 \
  --json >"$work/status.json"
grep -q '"id": 2' "$work/status.json" || fail "status --read-db: $(cat "$work/status.json")"

DFDG_TODAY=2025-12-31 "$DFDG" apply --db "$primary" --batch 500 --input "$work/commands.jsonl" \
  >"$work/results.jsonl" 2>"$work/apply.err" &
apply_pid=$!
for _ in $(seq 1 300); do  # bounded: until some batches are acknowledged (≤ 30 s)
  [ "$(wc -l <"$work/results.jsonl")" -ge 2000 ] && break
  sleep 0.1
done
pid=$(head -1 "$base/primary/postmaster.pid")
kill -9 "$pid"
set +e
wait "$apply_pid"
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "apply finished before the primary was killed; nothing tested"
acknowledged=$(grep -c '"accepted"' "$work/results.jsonl" || true)
[ "$acknowledged" -ge 1000 ] || fail "only $acknowledged acknowledged before the kill"

promote_replica
q() { "$PGBIN/psql" -X -A -t -q -d "$replica" -c "$1"; }
stored=$(q 'SELECT count(*) FROM commands')
[ "$stored" -ge "$acknowledged" ] || fail "$acknowledged acknowledged, only $stored on the promoted server"
[ "$(q 'SELECT COALESCE(sum(version), 0) FROM persons')" = "$stored" ] || fail "person versions != commands"
# Every acknowledged result line's first fact (seq) is on the promoted server.
missing=$(python3 - "$work/results.jsonl" "$work/seqs.txt" <<'PY'
import json, sys
seqs = [str(json.loads(l)["stored"][0]["seq"]) for l in open(sys.argv[1]) if '"accepted"' in l]
open(sys.argv[2], "w").write("\n".join(seqs) + "\n")
print(len(seqs))
PY
)
on_server=$("$PGBIN/psql" -X -A -t -q -d "$replica" -c "CREATE TEMP TABLE acked (seq bigint)" \
  -c "\\copy acked FROM '$work/seqs.txt'" -c "SELECT count(*) FROM acked a JOIN facts f USING (seq)" | tail -1)
[ "$on_server" = "$missing" ] || fail "$missing acknowledged facts, $on_server on the promoted server"
# Continue on the promoted server.
echo '{"command":"set_contact_group","cpr":"0101901234","registered_at":"2025-12-31","contact_group":2,"start":"2025-12-31"}' |
  DFDG_TODAY=2025-12-31 "$DFDG" apply --db "$replica" >"$work/after.jsonl"
grep -q '"accepted"' "$work/after.jsonl" || fail "no write after promotion: $(cat "$work/after.jsonl")"
echo "failover: $acknowledged acknowledged before kill -9, $stored on the promoted server, writes continue"
