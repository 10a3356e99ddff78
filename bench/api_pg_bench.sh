#!/usr/bin/env bash
# HTTP benchmark on PostgreSQL (docs/performance.md "The HTTP service on PostgreSQL"): accepted absence
# registrations per second through `dfdg serve --db postgresql://…` with ONE and with TWO service processes on the
# same primary, the same load on a SQLite file back to back for comparison, and the lag of the synchronous
# streaming replica sampled during each PostgreSQL run.
#   - the cluster is this script's own (scripts/pg-cluster.sh: primary + synchronous replica on free loopback
#     ports in a temporary directory, as `nobody` when run as root), stopped at exit;
#   - each run starts on a fresh database with a fresh sandbox population (PERSONS persons, mutual TLS);
#   - bench/api_load sends one POST /v1/Fravaer per person over CONNECTIONS keep-alive connections, spread over
#     both processes' ports in the two-process run;
#   - pg_stat_replication is sampled every 0.2 s during the load: write/flush/replay lag (ms) and the bytes
#     the replica's replay is behind the primary's current WAL position; max and median are printed.
# Usage: bench/api_pg_bench.sh [PERSONS] [CONNECTIONS]. Every process started here is stopped here.
set -euo pipefail
N=${1:-20000}
C=${2:-32}
DFDG=$(realpath "${DFDG:-build/dfdg}")
LOAD=$(realpath "${LOAD:-build/dfdg_api_load}")
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
PIDS=()
SAMPLER=""
stop_all() {
  if [[ -n "$SAMPLER" ]]; then kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=""; fi
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  done
  PIDS=()
}
cleanup() {
  stop_all
  "$here/../scripts/pg-cluster.sh" stop "$T/pg" || true
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

"$here/../scripts/pg-cluster.sh" start "$T/pg"
primary=$(sed -n 's/^PRIMARY_URL=//p' "$T/pg/env")
pport=$(sed -n 's/^PRIMARY_PORT=//p' "$T/pg/env")
admin() { "$PGBIN/psql" -X -A -t -q -h 127.0.0.1 -p "$pport" -U dfdg -d postgres -c "$1"; }

serve() {  # $1 = name, $2 = --db value, then extra options; appends the port to PORTS
  local name=$1 db=$2
  shift 2
  (cd "$T" && DFDG_TODAY=2025-09-15 exec "$DFDG" serve --config "$T/serve.yaml" --db "$db" --no-delivery --no-daily "$@" \
    2> "$T/$name.log") &
  PIDS+=($!)
  for _ in $(seq 1 1200); do grep -q '"msg":"listening"' "$T/$name.log" 2>/dev/null && break; sleep 0.1; done
  local port
  port=$(grep -o '"port":[0-9]*' "$T/$name.log" | head -1 | cut -d: -f2)
  [[ -n "$port" ]] || { tail -5 "$T/$name.log"; echo "server $name did not start" >&2; exit 1; }
  PORTS="${PORTS:+$PORTS,}$port"
}

# Samples pg_stat_replication into $1 (one line per 0.2 s: write_ms flush_ms replay_ms replay_bytes_behind).
sample_lag() {
  while true; do
    admin "SELECT COALESCE(EXTRACT(epoch FROM write_lag) * 1000, 0), COALESCE(EXTRACT(epoch FROM flush_lag) * 1000, 0),
                  COALESCE(EXTRACT(epoch FROM replay_lag) * 1000, 0), pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)
           FROM pg_stat_replication WHERE application_name = 'replica1'" 2>/dev/null | tr '|' ' ' >> "$1" || true
    sleep 0.2
  done
}
lag_summary() {
  python3 - "$1" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 4]
if not rows:
    print("replica lag: no samples"); sys.exit()
cols = list(zip(*rows))
def s(i, unit, scale=1.0):
    return f"median {statistics.median(cols[i]) / scale:.2f} {unit}, max {max(cols[i]) / scale:.2f} {unit}"
print(f"replica lag ({len(rows)} samples): write {s(0, 'ms')}; flush {s(1, 'ms')}; replay {s(2, 'ms')}; "
      f"replay behind {s(3, 'kB', 1024)}")
PY
}

run() {  # $1 = label, $2 = number of service processes, $3 = sqlite|postgresql
  local label=$1 procs=$2 backend=$3 db i
  PORTS=""
  if [[ $backend == sqlite ]]; then
    db="$T/bench.db"
    rm -f "$T"/bench.db*
  else
    admin "DROP DATABASE IF EXISTS dfdg" >/dev/null
    admin "CREATE DATABASE dfdg" >/dev/null
    db=$primary
  fi
  serve "${label}1" "$db" --sandbox --sandbox-persons "$N" --sandbox-list "$T/persons.txt"
  for ((i = 2; i <= procs; i++)); do serve "$label$i" "$db"; done
  : > "$T/lag.txt"
  if [[ $backend == postgresql ]]; then
    sample_lag "$T/lag.txt" &
    SAMPLER=$!
  fi
  echo "$label: $(PORT=$PORTS "$LOAD" write "$T" "$T/persons.txt" "$C" 0 || true)"
  if [[ $backend == postgresql ]]; then
    kill "$SAMPLER"; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=""
    lag_summary "$T/lag.txt"
  fi
  stop_all
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$N persons, $C connections, one POST /v1/Fravaer per person, as fast as possible"
run "sqlite, 1 process" 1 sqlite
run "postgresql, 1 process" 1 postgresql
run "postgresql, 2 processes" 2 postgresql
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
