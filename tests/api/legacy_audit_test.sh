#!/usr/bin/env bash
# A legacy audit file (<db>.audit, before the trail moved into the store) is moved into the store when
# `dfdg serve` starts: same rows, same hashes, the chain continues; the file is renamed <db>.audit.imported.
# A legacy file that does not verify stops the start (exit 4) and changes nothing.
# Usage: legacy_audit_test.sh DFDG. Loopback only; every server started here is stopped here.
set -euo pipefail
DFDG=$1
T=$(mktemp -d)
PID=""
cleanup() {
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then kill -9 "$PID" 2>/dev/null || true; fi
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cat >"$T/serve.yaml" <<'YAML'
listen: {host: 127.0.0.1, port: 0}
systems:
  - {id: jc-101, kind: jobcenter, certificate_cn: jc-101, controller: "Københavns Kommune", municipality: 101}
YAML
# A legacy file with three chained rows (the format of docs/api.md "Audit"); $2 = 1 tampers row 2.
legacy() {
  python3 - "$1" "$2" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, system TEXT NOT NULL, controller TEXT NOT NULL,"
           " cpr TEXT NOT NULL, operation TEXT NOT NULL, outcome TEXT NOT NULL, request_id TEXT NOT NULL, hash TEXT NOT NULL)")
prev = "0" * 64
for seq in (1, 2, 3):
    row = ["2025-09-1%dT10:00:00.000Z" % seq, "jc-101", "Københavns Kommune", "0101901234", "GET /v1/status", "read", ""]
    prev = hashlib.sha256("\x1f".join([prev] + row + [str(seq)]).encode()).hexdigest()
    if sys.argv[2] == "1" and seq == 2: row[1] = "someone-else"
    db.execute("INSERT INTO audit VALUES (?,?,?,?,?,?,?,?,?)", [seq] + row + [prev])
db.commit()
print(prev)
PY
}
# Each start logs to its own new file, $1.log: the background shell may open (and truncate) its log after the
# wait loop below has begun, so a log shared with an earlier start could show that start's "listening" line.
serve_once() {  # starts and stops `dfdg serve --db $1`; returns its exit code
  local log="$1.log"
  rm -f "$log"
  DFDG_TODAY=2025-09-15 "$DFDG" serve --db "$1" --config "$T/serve.yaml" --plain-http --port 0 2>"$log" &
  PID=$!
  for _ in $(seq 1 100); do
    grep -q '"msg":"listening"' "$log" 2>/dev/null && break
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -TERM "$PID" 2>/dev/null || true
  local rc=0
  wait "$PID" || rc=$?
  PID=""
  return $rc
}

head=$(legacy "$T/a.db.audit" 0)
serve_once "$T/a.db" || fail "serve with a legacy audit file: $(cat "$T/a.db.log")"
[[ -f "$T/a.db.audit.imported" && ! -f "$T/a.db.audit" ]] || fail "legacy file not renamed"
"$DFDG" audit verify --db "$T/a.db" >"$T/verify" || fail "audit verify: $(cat "$T/verify")"
grep -q "3 rækker, hoved $head" "$T/verify" || fail "imported chain differs: $(cat "$T/verify")"
[[ $("$DFDG" audit show --db "$T/a.db" --cpr 0101901234 | grep -c '"outcome":"read"') == 3 ]] || fail "audit show"
# The old file can still be checked on its own.
# (Into a file first: with pipefail, `grep -q` leaving early can fail the pipeline by SIGPIPE.)
"$DFDG" audit verify --audit "$T/a.db.audit.imported" >"$T/verify2" || fail "verify --audit: $(cat "$T/verify2")"
grep -q "hoved $head" "$T/verify2" || fail "verify --audit: $(cat "$T/verify2")"

legacy "$T/b.db.audit" 1 >/dev/null
set +e
serve_once "$T/b.db"
rc=$?
set -e
[[ $rc == 4 ]] || fail "a tampered legacy file must stop the start (exit 4), got $rc: $(cat "$T/b.db.log")"
[[ -f "$T/b.db.audit" ]] || fail "tampered legacy file was moved"
echo "legacy audit: imported with the same head; a tampered file is refused"
