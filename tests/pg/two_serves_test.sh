#!/usr/bin/env bash
# Two `dfdg serve` processes on ONE PostgreSQL primary (issue 11 point 2), hammered at the same moment for the
# same persons over loopback:
#   1. an overlap ban (Barsel 8 / Sorgorlov 79 must not overlap): per person one request to each process at
#      once -> exactly one 201 and one 422, and exactly one of the two absences stored;
#   2. a concurrent write load on the same persons through both processes: every acknowledged (201) request
#      is stored, nothing else is, and the person versions add up to the stored commands (no lost update);
#   3. process B reads through the streaming replica (--read-db) and still sees every write acknowledged
#      before the read, A's included (read your writes);
#   4. the audit trail written by both processes is ONE chain that `dfdg audit verify` accepts, with a row
#      for every request.
# Usage: two_serves_test.sh DFDG PG_ENV_FILE (the env file of scripts/pg-cluster.sh; ctest fixture pg_cluster).
set -euo pipefail
DFDG=$1
ENV_FILE=$2
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
primary=$(sed -n 's/^PRIMARY_URL=//p' "$ENV_FILE" 2>/dev/null || true)
replica=$(sed -n 's/^REPLICA_URL=//p' "$ENV_FILE" 2>/dev/null || true)
[[ -n "$primary" && -n "$replica" ]] || { echo "FAIL: no PostgreSQL test cluster in $ENV_FILE"; exit 1; }
T=$(mktemp -d)
schema="dfdg_two_serves_$$"
url="$primary?options=-csearch_path%3D$schema"
PIDS=()
cleanup() {
  local rc=$?
  if [[ $rc -ne 0 ]]; then tail -n 5 "$T"/log* 2>/dev/null || true; fi
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  "$PGBIN/psql" -X -q -d "$primary" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
q() { "$PGBIN/psql" -X -A -t -q -d "$url" -c "$1"; }
"$PGBIN/psql" -X -q -d "$primary" -c "CREATE SCHEMA $schema" >/dev/null

cat >"$T/serve.yaml" <<'YAML'
listen: {host: 127.0.0.1, port: 0}
limits: {threads: 16}
systems:
  - {id: jc-101, kind: jobcenter, certificate_cn: jc-101, controller: "Københavns Kommune", municipality: 101}
YAML

start() {  # $1 = name, then extra options; sets PORT_$1
  local name=$1
  shift
  DFDG_TODAY=2025-09-15 "$DFDG" serve --db "$url" "$@" --config "$T/serve.yaml" --plain-http --port 0 2>"$T/log$name" &
  PIDS+=($!)
  for _ in $(seq 1 150); do
    grep -q '"msg":"listening"' "$T/log$name" 2>/dev/null && break
    sleep 0.1
  done
  local port
  port=$(grep -o '"port":[0-9]*' "$T/log$name" | head -1 | cut -d: -f2)
  [[ -n "$port" ]] || { cat "$T/log$name"; fail "server $name did not start"; }
  eval "PORT_$name=$port"
}
start A
start B --read-db "$replica?options=-csearch_path%3D$schema"

python3 - "$PORT_A" "$PORT_B" "$T" <<'PY'
import http.client, json, sys, threading
port_a, port_b, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
persons = ["%02d0980%04d" % (1 + i % 28, 1000 + i) for i in range(24)]

def request(port, method, path, cpr=None, body=None, ctype="application/json", conn=None):
    if conn is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"x-dev-system": "jc-101", "Content-Type": ctype}
    if cpr: headers["x-civilRegistrationIdentifier"] = cpr
    conn.request(method, path, body=body, headers=headers)
    res = conn.getresponse()
    data = res.read().decode()
    conn.close()
    return res.status, data

requests = 0
# Setup through A: municipality 101, contact group 2, job-ready.
for cpr in persons:
    lines = [{"command": "set_municipality", "cpr": cpr, "municipality": 101, "start": "2025-09-01"},
             {"command": "set_contact_group", "cpr": cpr, "contact_group": 2, "start": "2025-09-01"},
             {"command": "set_visitation", "cpr": cpr, "category": "jobparat"}]
    status, data = request(port_a, "POST", "/v1/batch", body="\n".join(json.dumps(l) for l in lines),
                           ctype="application/x-ndjson")
    requests += 3
    assert status == 200 and data.count('"accepted"') == 3, (status, data)

# 1. The overlap ban: per person Barsel to A and Sorgorlov to B at the same moment, over connections opened
# one by one beforehand (so the listen backlog is not what is tested).
barrier = threading.Barrier(2 * len(persons))
outcome = {}
def ban(port, cpr, body, conn):
    barrier.wait()
    outcome[(port, cpr)] = request(port, "POST", "/v1/Fravaer", cpr, json.dumps(body), conn=conn)[0]
threads = []
for cpr in persons:
    for port, body in ((port_a, {"reason": 8, "start": "2025-09-15", "end": "2026-01-31"}),
                       (port_b, {"reason": 79, "start": "2025-09-20", "end": "2025-10-31"})):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.connect()
        threads.append(threading.Thread(target=ban, args=(port, cpr, body, conn)))
for t in threads: t.start()
for t in threads: t.join()
requests += 2 * len(persons)
ban_accepted = {}
for cpr in persons:
    codes = sorted([outcome[(port_a, cpr)], outcome[(port_b, cpr)]])
    if codes != [201, 422]:
        print("FAIL: overlap ban for %s-****: %s" % (cpr[:6], codes)); sys.exit(1)
    ban_accepted[cpr] = 8 if outcome[(port_a, cpr)] == 201 else 79
# B reads through the replica: every person's one absence is there, whichever process stored it.
for cpr in persons:
    status, data = request(port_b, "GET", "/v1/Fravaer", cpr)
    requests += 1
    if status != 200 or data.count('"entity_id"') != 1 or ('"code":%d' % ban_accepted[cpr]) not in data:
        print("FAIL: read through the replica for %s-****: %d %s" % (cpr[:6], status, data[:300])); sys.exit(1)

# 2. A write load on the same persons through both processes: one-day absences (reason 11) on distinct days.
accepted = {cpr: 0 for cpr in persons}
lock = threading.Lock()
other = []
def load(port, worker):
    for i in range(12):
        for cpr in persons[worker % 3::3]:
            day = 1 + worker * 12 + i  # distinct per (worker, i): never overlapping
            date = "2026-%02d-%02d" % (3 + day // 28, 1 + day % 28)
            status, data = request(port, "POST", "/v1/Fravaer", cpr,
                                   json.dumps({"reason": 11, "start": date, "end": date}))
            with lock:
                if status == 201: accepted[cpr] += 1
                elif status != 422: other.append((status, data[:200]))
threads = [threading.Thread(target=load, args=(port_a if w % 2 == 0 else port_b, w)) for w in range(6)]
for t in threads: t.start()
for t in threads: t.join()
requests += 6 * 12 * (len(persons) // 3)
if other:
    print("FAIL: unexpected answers:", other[:3]); sys.exit(1)
total = sum(accepted.values())
if total < len(persons):
    print("FAIL: only %d of the load's requests accepted" % total); sys.exit(1)
with open(work + "/expected.txt", "w") as f:
    for cpr in persons:
        f.write("%s %d %d\n" % (cpr, 3 + 1 + accepted[cpr], ban_accepted[cpr]))
with open(work + "/requests.txt", "w") as f:
    f.write("%d\n" % requests)
print("two serves: %d persons, overlap ban held for each, %d load requests accepted" % (len(persons), total))
PY

# Stored state: per person exactly the acknowledged commands, exactly one of the two banned-together absences.
while read -r cpr commands reason; do
  stored=$(q "SELECT count(*) FROM commands WHERE cpr = '$cpr'")
  [[ "$stored" == "$commands" ]] || fail "${cpr:0:6}-****: $commands acknowledged, $stored stored"
  version=$(q "SELECT version FROM persons WHERE cpr = '$cpr'")
  [[ "$version" == "$commands" ]] || fail "${cpr:0:6}-****: version $version after $commands commands"
  ban=$(q "SELECT count(*) FROM commands WHERE cpr = '$cpr' AND (request LIKE '%\"reason\":8,%' OR request LIKE '%\"reason\":79,%')")
  [[ "$ban" == "1" ]] || fail "${cpr:0:6}-****: $ban of the two absences that must not overlap stored"
done <"$T/expected.txt"
[[ "$(q 'SELECT sum(version) FROM persons')" == "$(q 'SELECT count(*) FROM commands')" ]] || fail "versions != commands"

# Group commit and conflict retries as each process counted them (information, not a pass condition).
for name in A B; do
  port_var="PORT_$name"
  curl -s --max-time 5 -H "x-dev-system: jc-101" "http://127.0.0.1:${!port_var}/metrics" |
    grep -E '^dfdg_(commits_total|committed_commands_total|conflict_retries_total) ' | tr '\n' ' ' || true
  echo "(serve $name)"
done

# Both processes shut down cleanly; the audit trail is one chain holding a row for every request.
for pid in "${PIDS[@]}"; do kill -TERM "$pid"; done
for pid in "${PIDS[@]}"; do wait "$pid" || true; done
PIDS=()
"$DFDG" audit verify --db "$url" >"$T/verify.txt" || { cat "$T/verify.txt"; fail "audit verify"; }
cat "$T/verify.txt"
rows=$(q "SELECT count(*) FROM audit")
[[ "$rows" == "$(cat "$T/requests.txt")" ]] || fail "$rows audit rows for $(cat "$T/requests.txt") requests"
[[ "$(q "SELECT seq = (SELECT count(*) FROM audit) FROM audit_head")" == "t" ]] || fail "audit_head is not the last row"
# A removed last row is found against the stored head (audit_head).
q "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)" >/dev/null
if "$DFDG" audit verify --db "$url" >/dev/null 2>&1; then fail "audit verify passed with the last row removed"; fi
echo "two serves: passed (audit rows $rows)"
