#!/usr/bin/env bash
# A throw-away PostgreSQL 15 primary + synchronous streaming replica on free loopback ports, for tests and
# benchmarks (docs/storage.md "PostgreSQL").
#
#   scripts/pg-cluster.sh start STATE_DIR   # prints nothing; writes STATE_DIR/env (PRIMARY_URL, REPLICA_URL, ...)
#   scripts/pg-cluster.sh stop  STATE_DIR   # stops both servers (if running) and removes their data
#
# The data lives in a fresh mktemp directory under /tmp. PostgreSQL refuses to run as root, so when run as
# root the servers run as `nobody`. Durability: synchronous_commit=on and synchronous_standby_names =
# 'FIRST 1 (replica1)', so a commit returns only after the replica has flushed it to disk.
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
cmd=${1:?start|stop}
state=$(realpath -m "${2:?state directory}")
cd /  # the servers' user may not be able to enter the caller's directory
RUN=()
if [ "$(id -u)" -eq 0 ]; then RUN=(runuser -u nobody --); fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

stop_one() {  # $1 = data dir; returns when that postmaster is gone (bounded: ~70 s, then SIGKILL)
  local data=$1 pid
  [ -f "$data/postmaster.pid" ] || return 0
  pid=$(head -1 "$data/postmaster.pid")
  "${RUN[@]}" "$PGBIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  if grep -q postgres "/proc/$pid/cmdline" 2>/dev/null; then kill -9 "$pid" || true; fi
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
}

do_stop() {
  [ -f "$state/env" ] || return 0
  # shellcheck disable=SC1091
  local base
  base=$(sed -n 's/^BASE=//p' "$state/env")
  if [ -n "$base" ] && [ -d "$base" ]; then
    stop_one "$base/replica"
    stop_one "$base/primary"
    rm -rf "$base"
  fi
  rm -f "$state/env"
}

sql() {  # $1 = port, $2 = SQL; prints the single value
  "$PGBIN/psql" -X -A -t -q -h 127.0.0.1 -p "$1" -U dfdg -d postgres -c "$2"
}

wait_for() {  # $1 = port, $2 = SQL returning t when ready; bounded (30 s)
  for _ in $(seq 1 150); do
    [ "$(sql "$1" "$2" 2>/dev/null || true)" = "t" ] && return 0
    sleep 0.2
  done
  echo "pg-cluster: timed out waiting for: $2" >&2
  return 1
}

do_start() {
  do_stop
  mkdir -p "$state"
  local base pport rport
  base=$(mktemp -d /tmp/dfdg-pg.XXXXXX)
  chmod 755 "$base"
  pport=$(free_port)
  rport=$(free_port)
  while [ "$rport" = "$pport" ]; do rport=$(free_port); done
  {
    echo "BASE=$base"
    echo "PRIMARY_PORT=$pport"
    echo "REPLICA_PORT=$rport"
    echo "PRIMARY_URL=postgresql://dfdg@127.0.0.1:$pport/dfdg"
    echo "REPLICA_URL=postgresql://dfdg@127.0.0.1:$rport/dfdg"
  } >"$state/env"
  if [ "${#RUN[@]}" -gt 0 ]; then chown nobody "$base"; fi
  trap 'do_stop' ERR
  "${RUN[@]}" "$PGBIN/initdb" -D "$base/primary" -U dfdg --auth=trust -E UTF8 --no-locale >"$base/initdb.log"
  cat >>"$base/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $pport
unix_socket_directories = '$base'
wal_level = replica
max_wal_senders = 5
wal_keep_size = '512MB'
synchronous_commit = on
shared_buffers = '256MB'
max_wal_size = '2GB'
hot_standby = on
hot_standby_feedback = on
CONF
  "${RUN[@]}" "$PGBIN/pg_ctl" -D "$base/primary" -l "$base/primary.log" -w -t 60 start >/dev/null
  "${RUN[@]}" "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$pport" -U dfdg -D "$base/replica" -X stream
  cat >>"$base/replica/postgresql.conf" <<CONF
port = $rport
primary_conninfo = 'host=127.0.0.1 port=$pport user=dfdg application_name=replica1'
CONF
  "${RUN[@]}" touch "$base/replica/standby.signal"
  "${RUN[@]}" "$PGBIN/pg_ctl" -D "$base/replica" -l "$base/replica.log" -w -t 60 start >/dev/null
  wait_for "$pport" "SELECT count(*) = 1 FROM pg_stat_replication WHERE application_name = 'replica1' AND state = 'streaming'"
  sql "$pport" "ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 (replica1)'" >/dev/null
  sql "$pport" "SELECT pg_reload_conf()" >/dev/null
  wait_for "$pport" "SELECT sync_state = 'sync' FROM pg_stat_replication WHERE application_name = 'replica1'"
  sql "$pport" "CREATE DATABASE dfdg" >/dev/null
  trap - ERR
}

case "$cmd" in
  start) do_start ;;
  stop) do_stop ;;
  *) echo "usage: $0 start|stop STATE_DIR" >&2; exit 2 ;;
esac
