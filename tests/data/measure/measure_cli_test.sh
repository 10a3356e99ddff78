#!/usr/bin/env bash
# End-to-end test of `dfdg measure`, `dfdg measure explain` and `dfdg synth` with the real binary.
# Usage: measure_cli_test.sh DFDG SOURCE_DIR
set -euo pipefail
dfdg="$1"
src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# The worked example of seed 004 through the CLI.
"$dfdg" measure --input "$src/tests/data/measure/example" --from 2020-01 --to 2020-12 --out "$tmp/out" --detail \
  2>"$tmp/err" || fail "measure exited $?"
grep -q '^2020-12,kommune,101,København,kontanthjaelp,12 måneder og derover,0,0,1,0,0,0,1,1,1.0000,0$' \
  "$tmp/out/maalinger.csv" || fail "worked example row missing"
test -s "$tmp/out/skaerpet_tilsyn.csv" || fail "no skaerpet_tilsyn.csv"
grep -q '2020-12,0101901234,maalt' "$tmp/out/detaljer.csv" || fail "detail row missing"
"$dfdg" measure --input "$src/tests/data/measure/example" --from 2020-12 --out "$tmp/json" --format json \
  2>/dev/null || fail "json run"
test -s "$tmp/json/maalinger.json" || fail "no maalinger.json"

# explain, with --input before or after the subcommand.
"$dfdg" measure explain --input "$src/tests/data/measure/example" --cpr 0101901234 --month 2020-05 >"$tmp/explain"
grep -q 'Måleperiode: 2019-03-01' "$tmp/explain" || fail "explain window"
grep -q 'Talte samtaler: 2' "$tmp/explain" || fail "explain count"
set +e
"$dfdg" measure explain --input "$src/tests/data/measure/example" --cpr 3112991234 --month 2020-05 >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown person should exit 2"

# A bad row stops the run with file:line; --allow-bad-rows measures the rest.
mkdir -p "$tmp/bad"
cp "$src/tests/data/measure/example/"*.csv "$tmp/bad/"
echo "0101901234,kontanthjaelp,2021-13-01,2021-12-31,,,,0,0" >>"$tmp/bad/benefits.csv"
"$dfdg" measure --input "$tmp/bad" --from 2020-12 --out "$tmp/badout" 2>"$tmp/baderr"
[ $? -eq 1 ] || fail "bad row should exit 1"
grep -q 'benefits.csv:5:' "$tmp/baderr" || fail "bad row not reported with line"
"$dfdg" measure --input "$tmp/bad" --from 2020-12 --out "$tmp/badout" --allow-bad-rows 2>/dev/null
[ $? -eq 0 ] || fail "--allow-bad-rows should measure"
set -e

# --db: the registry's own facts (demo commands) on top of a CSV with the benefit payments.
DFDG_TODAY=2025-09-15 "$dfdg" apply --db "$tmp/demo.db" --input "$src/examples/demo-commands.jsonl" >/dev/null
mkdir -p "$tmp/dbin"
printf 'cpr,pension_age_date\n0101901234,2057-01-01\n' >"$tmp/dbin/persons.csv"
printf 'cpr,benefit,from,to,rate\n0101901234,kontanthjaelp,2025-01-02,2025-09-30,hoejeste\n' >"$tmp/dbin/benefits.csv"
"$dfdg" measure explain --input "$tmp/dbin" --db "$tmp/demo.db" --cpr 0101901234 --month 2025-09 >"$tmp/dbexplain"
grep -q 'doed_periode_hele_maaneden' "$tmp/dbexplain" || fail "--db: barsel from the registry"
"$dfdg" measure explain --input "$tmp/dbin" --db "$tmp/demo.db" --cpr 0101901234 --month 2025-07 >"$tmp/dbexplain"
grep -q 'Kommune (bopæl sidste ydelsesdag): 101' "$tmp/dbexplain" || fail "--db: municipality from the registry"
grep -q '2025-07-01  jobsamtale' "$tmp/dbexplain" || fail "--db: interview from the registry"

# synth -> measure.
"$dfdg" synth --persons 200 --years 2 --seed 7 --out "$tmp/synth" 2>/dev/null
"$dfdg" measure --input "$tmp/synth" --from 2025-01 --to 2025-12 --out "$tmp/synthout" 2>/dev/null
test -s "$tmp/synthout/maalinger.csv" || fail "synth measure"
echo "ok"
