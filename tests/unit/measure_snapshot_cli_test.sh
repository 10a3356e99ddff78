#!/usr/bin/env bash
# End-to-end test of `dfdg measure import` and `dfdg measure --snapshot` with the real binary
# (docs/measurement-snapshot.md). Usage: measure_snapshot_cli_test.sh DFDG SOURCE_DIR
set -euo pipefail
dfdg="$1"
src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cp -r "$src/tests/data/measure/example" "$tmp/in"
"$dfdg" measure import --input "$tmp/in" --out "$tmp/in.snap" 2>"$tmp/log" || fail "import: $(cat "$tmp/log")"
[ -s "$tmp/in.snap" ] || fail "no snapshot written"
[ ! -e "$tmp/in.snap.tmp" ] || fail "temporary file left behind"

# Same tables (and detail) from the CSV files and from the snapshot; explain the same.
"$dfdg" measure --input "$tmp/in" --from 2020-01 --to 2020-12 --out "$tmp/csv" --detail 2>/dev/null
"$dfdg" measure --input "$tmp/in" --snapshot "$tmp/in.snap" --from 2020-01 --to 2020-12 --out "$tmp/snap" --detail \
  2>"$tmp/log" || fail "measure --snapshot: $(cat "$tmp/log")"
grep -q "passer til" "$tmp/log" || fail "no snapshot check reported"
diff -r "$tmp/csv" "$tmp/snap" >/dev/null || fail "tables differ between CSV and snapshot"
[ "$(ls "$tmp/snap" | wc -l)" -eq 3 ] || fail "expected 3 tables"
"$dfdg" measure explain --input "$tmp/in" --cpr 0101901234 --month 2020-05 >"$tmp/e1" 2>/dev/null
"$dfdg" measure explain --input "$tmp/in" --snapshot "$tmp/in.snap" --cpr 0101901234 --month 2020-05 >"$tmp/e2" \
  2>/dev/null
cmp -s "$tmp/e1" "$tmp/e2" || fail "explain differs"
[ -s "$tmp/e2" ] || fail "empty explain"

# Stale: an input row changed after the import.
sed -i 's/2019-06-19/2019-06-18/' "$tmp/in/interviews.csv"
set +e
"$dfdg" measure --input "$tmp/in" --snapshot "$tmp/in.snap" --from 2020-12 --out "$tmp/stale" 2>"$tmp/log"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "stale snapshot: exit $rc"
grep -q "forældet snapshot.*interviews.csv" "$tmp/log" || fail "stale message: $(cat "$tmp/log")"
[ ! -e "$tmp/stale" ] || fail "stale snapshot still measured"
sed -i 's/2019-06-18/2019-06-19/' "$tmp/in/interviews.csv"

# Damaged: one byte changed in the records.
size=$(stat -c %s "$tmp/in.snap")
printf '\x7f' | dd of="$tmp/in.snap" bs=1 seek=$((size - 3)) conv=notrunc status=none
set +e
"$dfdg" measure --input "$tmp/in" --snapshot "$tmp/in.snap" --from 2020-12 --out "$tmp/damaged" 2>"$tmp/log"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "damaged snapshot: exit $rc"
grep -q "beskadiget snapshot" "$tmp/log" || fail "damaged message: $(cat "$tmp/log")"

# Bad rows: reported by file and line, nothing written.
printf 'cpr,from,to\n0101901234,2020-02-30,\n' >"$tmp/in/offers.csv"
set +e
"$dfdg" measure import --input "$tmp/in" --out "$tmp/bad.snap" 2>"$tmp/log"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "bad rows: exit $rc"
grep -q "offers.csv:2: " "$tmp/log" || fail "bad row not reported: $(cat "$tmp/log")"
[ ! -e "$tmp/bad.snap" ] || fail "snapshot written despite bad rows"
echo "measure snapshot CLI: ok"
