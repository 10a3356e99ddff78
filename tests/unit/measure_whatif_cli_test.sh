#!/usr/bin/env bash
# End-to-end test of `dfdg measure --whatif` and `dfdg measure explain --whatif` with the real binary
# (docs/measurement-whatif.md). Usage: measure_whatif_cli_test.sh DFDG SOURCE_DIR
set -euo pipefail
dfdg="$1"
src="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
in="$src/tests/data/measure/example"

# Sygdom counted for kontanthjælp, with a sickness absence for the example's person: they become exempt.
cp -r "$in" "$tmp/in"
printf 'cpr,reason,from,to,registered\n0101901234,11,2019-06-01,2020-12-31,2019-06-01\n' >"$tmp/in/absences.csv"
printf '# test\nmeasure_exemptions:\n  - benefit_group: kontanthjaelp\n    reasons:\n      - {id: 11}\n' \
  >"$tmp/CHANGES.yaml"
"$dfdg" measure --input "$tmp/in" --from 2020-06 --out "$tmp/plain" 2>/dev/null
"$dfdg" measure --input "$tmp/in" --from 2020-06 --out "$tmp/w" --whatif "$tmp/CHANGES.yaml" 2>"$tmp/log" ||
  fail "whatif: $(cat "$tmp/log")"
cmp -s "$tmp/plain/maalinger.csv" "$tmp/w/maalinger.csv" || fail "base tables differ from a normal run"
grep -q '^2020-06,0101901234,101,maalt,fritaget,.*CHANGES.yaml:5 fraværsårsag 11' "$tmp/w/whatif_personer.csv" ||
  fail "changed person missing: $(cat "$tmp/w/whatif_personer.csv")"
grep -q '^2020-06,kommune,101,København,kontanthjaelp,12 måneder og derover,m5,0,1,1$' "$tmp/w/whatif_forskel.csv" ||
  fail "difference missing: $(cat "$tmp/w/whatif_forskel.csv")"
[ ! -e "$tmp/w/.whatif" ] || fail "scratch left behind"
"$dfdg" measure explain --input "$tmp/in" --cpr 0101901234 --month 2020-06 --whatif "$tmp/CHANGES.yaml" \
  >"$tmp/explain" 2>/dev/null
grep -q "Med ændringerne" "$tmp/explain" && grep -q "Resultat: ÆNDRET" "$tmp/explain" || fail "explain --whatif"

# With --detail: the detail is the catalogue's, byte-identical to a run without --whatif, beside the what-if files.
"$dfdg" measure --input "$tmp/in" --from 2020-06 --out "$tmp/plaind" --detail 2>/dev/null
"$dfdg" measure --input "$tmp/in" --from 2020-06 --out "$tmp/wd" --whatif "$tmp/CHANGES.yaml" --detail 2>"$tmp/log" ||
  fail "whatif --detail: $(cat "$tmp/log")"
cmp -s "$tmp/plaind/detaljer.csv" "$tmp/wd/detaljer.csv" || fail "whatif --detail: detail differs from a normal run"
cmp -s "$tmp/w/whatif_personer.csv" "$tmp/wd/whatif_personer.csv" || fail "whatif --detail: changed persons differ"
cmp -s "$tmp/plain/maalinger.csv" "$tmp/wd/maalinger.csv" || fail "whatif --detail: base tables differ"
"$dfdg" measure --input "$tmp/in" --from 2020-06 --out "$tmp/wdj" --whatif "$tmp/CHANGES.yaml" --detail \
  --format json 2>/dev/null || fail "whatif --detail --format json"
test -s "$tmp/wdj/detaljer.json" && test -s "$tmp/wdj/whatif_personer.csv" || fail "whatif --detail json files"

# With --format xlsx: one workbook, the normal sheets and the two what-if tables as sheets (and detaljer).
"$dfdg" measure --input "$tmp/in" --from 2020-06 --out "$tmp/wx" --whatif "$tmp/CHANGES.yaml" --format xlsx \
  --detail 2>"$tmp/log" || fail "whatif xlsx: $(cat "$tmp/log")"
[ "$(ls -A "$tmp/wx")" = "maalinger.xlsx" ] || fail "whatif xlsx: other files written: $(ls -A "$tmp/wx")"
python3 - "$tmp/wx/maalinger.xlsx" <<'PY' || fail "whatif xlsx: sheets"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
assert names == ["maalinger", "skaerpet_tilsyn", "detaljer", "whatif_forskel", "whatif_personer"], names
persons = z.read("xl/worksheets/sheet5.xml").decode()
assert "0101901234" in persons and "fraværsårsag 11" in persons, "changed person missing from whatif_personer"
diff = z.read("xl/worksheets/sheet4.xml").decode()
assert "12 måneder og derover" in diff and "m5" in diff, "difference missing from whatif_forskel"
PY

# Empty changes: zero difference.
: >"$tmp/empty.yaml"
"$dfdg" measure --input "$tmp/in" --from 2020-06 --out "$tmp/e" --whatif "$tmp/empty.yaml" 2>/dev/null
[ "$(wc -l <"$tmp/e/whatif_forskel.csv")" -eq 1 ] || fail "empty changes gave a difference"
[ "$(wc -l <"$tmp/e/whatif_personer.csv")" -eq 1 ] || fail "empty changes changed persons"

# A change that refers to nothing real: refused with file:line, nothing written.
printf 'measure_exemptions:\n  - benefit_group: kontanthjaelp\n    reasons:\n      - {id: 999}\n' >"$tmp/bad.yaml"
set +e
"$dfdg" measure --input "$tmp/in" --from 2020-06 --out "$tmp/bad" --whatif "$tmp/bad.yaml" 2>"$tmp/log"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "bad CHANGES: exit $rc"
grep -q "bad.yaml:4: fraværsårsag '999' findes ikke" "$tmp/log" || fail "bad CHANGES message: $(cat "$tmp/log")"
[ ! -e "$tmp/bad" ] || fail "output written for a refused CHANGES file"
echo "measure what-if CLI: ok"
