# Sourced by the failover tests, which kill their cluster's primary and so run their own (scripts/pg-cluster.sh)
# instead of the shared ctest fixture. Needs SRC (the source tree) and a `state` directory path.
#   own_cluster_start   starts the primary and its synchronous replica; sets base, primary, replica
#   promote_replica     promotes the replica (pg_ctl promote) and checks it left recovery
#   fail MESSAGE        prints FAIL: MESSAGE and exits 1
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
RUN=()
if [ "$(id -u)" -eq 0 ]; then RUN=(runuser -u nobody --); fi  # PostgreSQL refuses to run as root
fail() { echo "FAIL: $*" >&2; exit 1; }

own_cluster_start() {
  "$SRC/scripts/pg-cluster.sh" start "$state"
  base=$(sed -n 's/^BASE=//p' "$state/env")
  primary=$(sed -n 's/^PRIMARY_URL=//p' "$state/env")
  replica=$(sed -n 's/^REPLICA_URL=//p' "$state/env")
}

promote_replica() {
  "${RUN[@]}" "$PGBIN/pg_ctl" -D "$base/replica" -w -t 60 promote >/dev/null
  [ "$("$PGBIN/psql" -X -A -t -q -d "$replica" -c 'SELECT pg_is_in_recovery()')" = "f" ] || fail "replica not promoted"
}
