#!/usr/bin/env bash
# Failover under `dfdg serve` (issue 11, docs/storage.md "Switch-over"): an HTTP write load through the service
# on the primary (synchronous streaming replica); the primary is killed with SIGKILL mid-load, the service is
# killed too, the replica is promoted (pg_ctl promote) and the service restarted against it. Then:
#   - every request the service acknowledged (201) is on the promoted server (its x-requestId in `commands`, as
#     "<system id>:<x-requestId>", docs/api.md),
#     and no command is half-applied (the person versions add up to the stored commands);
#   - the audit chain verifies (`dfdg audit verify`) and holds a row for every acknowledged request;
#   - the restarted service takes new writes, and answers 412 to an acknowledged request sent again.
# Usage: serve_failover_test.sh DFDG SOURCE_DIR. Starts and stops its own cluster; loopback only; loops bounded.
set -euo pipefail
DFDG=$1
SRC=$2
work=$(mktemp -d)
state="$work/pg"
SERVE=""
LOAD=""
cleanup() {
  local rc=$?
  if [[ $rc -ne 0 ]]; then tail -n 5 "$work"/serve*.log "$work"/load.log 2>/dev/null || true; fi
  for p in $LOAD $SERVE; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  "$SRC/scripts/pg-cluster.sh" stop "$state" || true
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=own_cluster.sh
. "$SRC/tests/pg/own_cluster.sh"
own_cluster_start

cat >"$work/serve.yaml" <<'YAML'
listen: {host: 127.0.0.1, port: 0}
limits: {threads: 16}
systems:
  - {id: jc-101, kind: jobcenter, certificate_cn: jc-101, controller: "Københavns Kommune", municipality: 101}
YAML

start_serve() {  # $1 = database URL, $2 = log name; sets SERVE and PORT
  DFDG_TODAY=2025-09-15 "$DFDG" serve --db "$1" --config "$work/serve.yaml" --plain-http --port 0 --no-daily \
    --no-delivery 2>"$work/$2.log" &
  SERVE=$!
  PORT=""
  for _ in $(seq 1 150); do
    grep -q '"msg":"listening"' "$work/$2.log" 2>/dev/null && break
    sleep 0.1
  done
  PORT=$(grep -o '"port":[0-9]*' "$work/$2.log" | head -1 | cut -d: -f2)
  [[ -n "$PORT" ]] || { cat "$work/$2.log"; fail "serve ($2) did not start"; }
}

start_serve "$primary" serve1

# The load: 6 threads, each its own persons, one-day absences on distinct days with unique request ids. A
# thread writes the id of every 201 to acked.txt (one line, flushed, after the answer) and stops at the first
# answer that is neither 201 nor 422 (the database is gone) or after 60 s.
python3 - "$PORT" "$work" >"$work/load.log" 2>&1 <<'PY' &
import http.client, json, sys, threading, time
port, work = int(sys.argv[1]), sys.argv[2]
acked = open(work + "/acked.txt", "a", buffering=1)
lock = threading.Lock()

def post(conn, path, cpr, body, request_id, ctype="application/json"):
    headers = {"x-dev-system": "jc-101", "Content-Type": ctype, "x-civilRegistrationIdentifier": cpr,
               "x-requestId": request_id}
    conn.request("POST", path, body=body, headers=headers)
    res = conn.getresponse()
    res.read()
    return res.status

def worker(w):
    persons = ["%02d0975%04d" % (1 + (w * 8 + i) % 28, 2000 + w * 8 + i) for i in range(8)]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    deadline = time.time() + 60
    try:
        for cpr in persons:
            lines = [{"command": "set_municipality", "cpr": cpr, "municipality": 101, "start": "2025-09-01"},
                     {"command": "set_contact_group", "cpr": cpr, "contact_group": 2, "start": "2025-09-01"},
                     {"command": "set_visitation", "cpr": cpr, "category": "jobparat"}]
            status = post(conn, "/v1/batch", cpr, "\n".join(json.dumps(l) for l in lines), "setup-%s" % cpr,
                          "application/x-ndjson")
            if status != 200: return
        for day in range(300):
            for cpr in persons:
                if time.time() > deadline: return
                date = "2026-%02d-%02d" % (1 + day // 28, 1 + day % 28)
                rid = "fo-%s-%03d" % (cpr, day)
                status = post(conn, "/v1/Fravaer", cpr, json.dumps({"reason": 11, "start": date, "end": date}), rid)
                if status == 201:
                    with lock: acked.write(rid + "\n")
                elif status != 422:
                    print("worker %d stops at %d" % (w, status)); return
    except Exception as e:  # the service went away
        print("worker %d stops: %s" % (w, e))

threads = [threading.Thread(target=worker, args=(w,)) for w in range(6)]
for t in threads: t.start()
for t in threads: t.join()
PY
LOAD=$!
touch "$work/acked.txt"
for _ in $(seq 1 600); do  # bounded: until some requests are acknowledged (≤ 60 s)
  [ "$(wc -l <"$work/acked.txt")" -ge 300 ] && break
  kill -0 "$LOAD" 2>/dev/null || break
  sleep 0.1
done
[ "$(wc -l <"$work/acked.txt")" -ge 300 ] || fail "the load acknowledged only $(wc -l <"$work/acked.txt") requests"
kill -9 "$(head -1 "$base/primary/postmaster.pid")"
for _ in $(seq 1 600); do  # the load stops at the first failed answer (≤ 60 s)
  kill -0 "$LOAD" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$LOAD" 2>/dev/null && fail "the load did not stop after the primary was killed"
wait "$LOAD" || true
LOAD=""
grep -q "stops" "$work/load.log" || fail "the load finished before the primary was killed; nothing tested"
kill -9 "$SERVE"
wait "$SERVE" 2>/dev/null || true
SERVE=""
acknowledged=$(wc -l <"$work/acked.txt")

promote_replica
q() { "$PGBIN/psql" -X -A -t -q -d "$replica" "$@"; }
on_server=$(q -c "CREATE TEMP TABLE acked (id text)" -c "\\copy acked FROM '$work/acked.txt'" \
  -c "SELECT count(*) FROM acked a JOIN commands c ON c.id = 'jc-101:' || a.id" | tail -1)
[ "$on_server" = "$acknowledged" ] || fail "$acknowledged acknowledged requests, $on_server on the promoted server"
stored=$(q -c 'SELECT count(*) FROM commands')
[ "$(q -c 'SELECT COALESCE(sum(version), 0) FROM persons')" = "$stored" ] || fail "person versions != commands"
"$DFDG" audit verify --db "$replica" >"$work/verify.txt" || { cat "$work/verify.txt"; fail "audit verify"; }
audited=$(q -c "CREATE TEMP TABLE acked (id text)" -c "\\copy acked FROM '$work/acked.txt'" \
  -c "SELECT count(DISTINCT a.id) FROM acked a JOIN audit r ON r.request_id = a.id" | tail -1)
[ "$audited" = "$acknowledged" ] || fail "$acknowledged acknowledged requests, $audited in the audit trail"

# The service again, on the promoted server: new writes pass, an acknowledged request sent again is a repeat.
start_serve "$replica" serve2
first=$(head -1 "$work/acked.txt")
cpr=$(echo "$first" | cut -d- -f2)
day=$(echo "$first" | cut -d- -f3)
status() {  # $1 = request id, $2 = body
  curl -s -o /dev/null -w '%{http_code}' --max-time 30 -X POST -H "x-dev-system: jc-101" \
    -H "x-civilRegistrationIdentifier: $cpr" -H "x-requestId: $1" -H "Content-Type: application/json" \
    --data "$2" "http://127.0.0.1:$PORT/v1/Fravaer"
}
again=$(status "$first" '{"reason": 11, "start": "2026-12-20", "end": "2026-12-20"}')
[ "$again" = "412" ] || fail "an acknowledged request id sent again after the failover answered $again"
new=$(status "fo-after-$cpr" '{"reason": 11, "start": "2026-12-27", "end": "2026-12-27"}')
[ "$new" = "201" ] || fail "no write after the failover: $new"
kill -TERM "$SERVE"
wait "$SERVE" || true
SERVE=""
"$DFDG" audit verify --db "$replica" >/dev/null || fail "audit verify after the writes on the promoted server"
echo "serve failover: $acknowledged acknowledged before kill -9 (request $day of ${cpr:0:6}-**** repeated: 412)," \
  "all on the promoted server and in the audit chain; writes continue"
