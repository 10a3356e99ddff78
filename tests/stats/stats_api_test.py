#!/usr/bin/env python3
"""API tests of /v3/* against stored measurement results (docs/statistics.md): the numbers served equal the
measurement's own maalinger.csv / skaerpet_tilsyn.csv of the same run, with the suppression rule of
catalog/statistics.yaml applied (primary: every small count hidden; secondary: no published sum reveals a hidden
count, and the same cells are hidden whichever areas a request names); bad parameters answer problem+json naming the parameter.
Usage: stats_api_test.py DFDG SOURCE_DIR WEB_DIR"""
import csv
import io
import json
import os
import subprocess
import sys
import urllib.request
import xml.etree.ElementTree as ET
import zipfile

import yaml

from stats_fixture import Fixture

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def main():
    dfdg, source, web = sys.argv[1], sys.argv[2], sys.argv[3]
    min_count = yaml.safe_load(open(os.path.join(source, "catalog/statistics.yaml")))["suppression"]["min_count"]
    fx = Fixture(dfdg, web)
    try:
        run_tests(fx, min_count)
    finally:
        fx.close()
    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print("stats api: all checks passed")


def period(month):  # 2025-12 -> 2025M12
    return month[:4] + "M" + month[5:]


def area_id(level, code):
    return "land" if level == "land" else ("R" if level == "region" else "K") + str(code)


def suppress(n, min_count):
    return None if 0 < n < min_count else n


def run_tests(fx, min_count):
    # The measurement's own output of the same run, keyed by (period, area, group, interval name).
    rows = {}
    with open(os.path.join(fx.out, "maalinger.csv"), newline="") as f:
        for r in csv.DictReader(f):
            rows[(period(r["maaned"]), area_id(r["geo_niveau"], r["geo_kode"]), r["ydelsesgruppe"], r["varighed"])] = r

    subjects = fx.json("/v3/subjects")
    check(subjects[0]["id"] == "jobsamtaler" and "skaerpet_tilsyn" in subjects[0]["tables"], "subjects")
    tables = fx.json("/v3/tables")
    check([t["id"] for t in tables] == ["jobsamtaler", "skaerpet_tilsyn"], "tables")
    check(tables[0]["first_period"] == "2024M01" and tables[0]["last_period"] == "2025M12", "table periods")
    check(tables[1]["first_period"] == "2024M12", "skærpet tilsyn starts with the 12th month")

    meta = fx.json("/v3/table/jobsamtaler")
    check("v1.75" in meta["method_version"], "method version")
    check(meta["run"]["inputs"]["input"].endswith("pop"), "the run's inputs are stored")
    check(meta["run"]["first_month"] == "2024-01" and meta["run"]["last_month"] == "2025-12", "run months")
    periods = meta["period_types"][0]["periods"]
    check(len(periods) == 24 and periods[0] == "2024M01", "24 monthly periods")
    land = next(d for d in meta["dimensions"] if d["id"] == "area")["hierarchy"]
    regions = [c for c in land["children"] if c["level"] == "region"]
    municipalities = [k for r in regions for k in r["children"]]
    check(len(regions) == 5, f"5 regions, got {len(regions)}")
    check(len(municipalities) == 98, f"98 municipalities under the regions, got {len(municipalities)}")
    check(any(k["id"] == "K101" and k["name"] == "København" for k in
              next(r for r in regions if r["id"] == "R1084")["children"]), "København under Region Hovedstaden")
    intervals = {v["name"]: v["id"] for v in next(d for d in meta["dimensions"] if d["id"] == "varighed")["values"]}
    check(intervals.get("I alt") == "i_alt" and intervals.get("12 måneder og derover") == "12_maaneder_og_derover",
          "interval ids")
    name_of = {v: k for k, v in intervals.items()}

    def compare(data, what):
        published = suppressed = 0
        for d in data:
            key = (d["period"], d["area"], d["ydelsesgruppe"], name_of[d["varighed"]])
            r = rows.get(key)
            counts = {c: int(r[c]) if r else 0 for c in ["m1_0", "m1_1", "m1_2", "m1_3", "m1_4", "m1_5plus", "m2", "m3", "m5"]}
            for c, n in counts.items():
                # Published = measured; every small count hidden (more may be hidden: secondary suppression).
                check(d[c] == n or (d[c] is None and n > 0), f"{what} {key} {c}: served {d[c]}, measured {n}")
                check(suppress(n, min_count) is not None or d[c] is None, f"{what} {key} {c}: small count {n} shown")
                if d[c] is None:
                    suppressed += 1
                elif n:
                    published += 1
            m2, m3 = counts["m2"], counts["m3"]
            hidden = (m2 < min_count or 0 < m3 < min_count or 0 < m2 - m3 < min_count or d["m2"] is None or
                      d["m3"] is None)
            expected = None if hidden or m2 == 0 else m3 / m2
            check((d["m4"] is None and expected is None) or
                  (d["m4"] is not None and expected is not None and abs(d["m4"] - expected) < 1e-9 and
                   abs(d["m4"] - float(r["m4"])) < 5e-5), f"{what} {key} m4: {d['m4']} vs {expected}")
        return published, suppressed

    everything = fx.json("/v3/data/jobsamtaler?period.M=2024M01:2025M12&area=land,R1084,K101")
    check(len(everything["data"]) == 24 * 3, "24 months × 3 areas")
    check(everything["run_id"] == meta["run"]["id"], "run id")
    pub, _ = compare(everything["data"], "land/region/kommune")
    check(pub > 50, "published numbers exist")

    bars = fx.json("/v3/data/jobsamtaler?period.M=latest:1&area=kommuner&varighed=12_maaneder_og_derover")
    check(len(bars["data"]) == 98 + sum(1 for k in land["children"] if k["level"] == "kommune"),
          "one row per municipality")
    check(all(d["period"] == "2025M12" for d in bars["data"]), "latest:1 is the last month")
    pub, sup = compare(bars["data"], "kommuner")
    check(sup > 0 and pub > 0, f"both suppressed ({sup}) and published ({pub}) counts among municipalities")

    groups = fx.json("/v3/data/jobsamtaler?period.M=2025M06,2025M07&ydelsesgruppe=a_dagpenge,kontanthjaelp_grundsats"
                     "&varighed=i_alt,under_12_maaneder,1_2_aar&measure=m2,m4")
    check(groups["columns"][-2:] == ["m2", "m4"] and "m5" not in groups["data"][0], "measure selects columns")
    check(len(groups["data"]) == 2 * 2 * 3, "periods × groups × intervals")
    for d in groups["data"]:
        r = rows.get((d["period"], d["area"], d["ydelsesgruppe"], name_of[d["varighed"]]))
        n = int(r["m2"]) if r else 0
        check(d["m2"] == n or (d["m2"] is None and n > 0), f"group row {d}")
        check(suppress(n, min_count) is not None or d["m2"] is None, f"group row {d}: small count shown")

    reordered = fx.json("/v3/data/jobsamtaler?period.M=latest:1&area=K751,land,K101,K751")["data"]
    check([d["area"] for d in reordered] == ["land", "K101", "K751"], "areas in canonical order, each once")

    latest3 = fx.json("/v3/data/jobsamtaler?period.M=latest:3")
    check([d["period"] for d in latest3["data"]] == ["2025M10", "2025M11", "2025M12"], "latest:3")
    check(len(fx.json("/v3/data/jobsamtaler?period.M=latest:999")["data"]) == 24, "latest:N clamped to the run")

    status, ctype, body = fx.get("/v3/data/jobsamtaler?period.M=latest:1&area=kommuner&format=csv")
    check(status == 200 and ctype.startswith("text/csv"), "csv content type")
    as_csv = list(csv.DictReader(io.StringIO(body)))
    as_json = fx.json("/v3/data/jobsamtaler?period.M=latest:1&area=kommuner")["data"]
    check(len(as_csv) == len(as_json), "csv rows")
    for c, j in zip(as_csv, as_json):
        for k in ["area", "m2", "m3", "m5", "m4"]:
            want = ".." if j[k] is None else (f"{j[k]:.4f}" if k == "m4" else str(j[k]))
            check(c[k] == want, f"csv {k}: {c[k]} vs {want}")

    # XLSX: the same rows as JSON in one sheet, numbers as number cells, ".." for suppressed values.
    with urllib.request.urlopen(fx.base + "/v3/data/jobsamtaler?period.M=latest:1&area=kommuner&format=xlsx") as r:
        check(r.headers.get("Content-Type") == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "xlsx content type")
        book = zipfile.ZipFile(io.BytesIO(r.read()))
    sheet = ET.fromstring(book.read("xl/worksheets/sheet1.xml"))
    ns = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    shared = []
    if "xl/sharedStrings.xml" in book.namelist():
        shared = ["".join(t.text or "" for t in si.iter("{%s}t" % ns["s"]))
                  for si in ET.fromstring(book.read("xl/sharedStrings.xml")).findall("s:si", ns)]

    def cell_value(c):
        v = c.find("s:v", ns)
        if c.get("t") == "s":
            return shared[int(v.text)]
        if c.get("t") == "inlineStr":
            return "".join(t.text or "" for t in c.iter("{%s}t" % ns["s"]))
        return float(v.text) if v is not None else None

    sheet_rows = [[cell_value(c) for c in row.findall("s:c", ns)] for row in sheet.find("s:sheetData", ns)]
    header = sheet_rows[0]
    check(header == ["period", "area", "area_name", "ydelsesgruppe", "varighed", "m1_0", "m1_1", "m1_2", "m1_3", "m1_4",
                     "m1_5plus", "m2", "m3", "m4", "m5"], f"xlsx header {header}")
    check(len(sheet_rows) - 1 == len(as_json), "xlsx rows")
    for values, j in zip(sheet_rows[1:], as_json):
        got = dict(zip(header, values))
        for k in ["area", "m2", "m3", "m4", "m5"]:
            want = ".." if j[k] is None else j[k]
            ok = got[k] == want if isinstance(want, str) else abs(got[k] - want) < 1e-9
            check(ok, f"xlsx {j['area']} {k}: {got[k]} vs {want}")

    tilsyn_rows = {}
    with open(os.path.join(fx.out, "skaerpet_tilsyn.csv"), newline="") as f:
        for r in csv.DictReader(f):
            tilsyn_rows[(period(r["maaned"]), area_id(r["geo_niveau"], r["geo_kode"]))] = r
    tilsyn = fx.json("/v3/data/skaerpet_tilsyn?period.M=latest:2&area=land,kommuner")["data"]
    check(len(tilsyn) > 100, "tilsyn rows")
    for d in tilsyn:
        r = tilsyn_rows.get((d["period"], d["area"]))
        if r:
            check(abs(d["m4_gennemsnit_12_maaneder"] - float(r["m4_gennemsnit_12_maaneder"])) < 5e-5, f"tilsyn {d}")
        else:
            check(d["m4_gennemsnit_12_maaneder"] is None and d["maaneder_uden_population"] == 12, f"tilsyn empty {d}")

    bad = {
        "/v3/data/jobsamtaler?period.M=2019M01": "period.M",
        "/v3/data/jobsamtaler?period.M=2025M12:2025M01": "period.M",
        "/v3/data/jobsamtaler?period.M=latest:0": "period.M",
        "/v3/data/jobsamtaler?period.M=2025-12": "period.M",
        "/v3/data/jobsamtaler?area=K9999": "area",
        "/v3/data/jobsamtaler?ydelsesgruppe=folkepension": "ydelsesgruppe",
        "/v3/data/jobsamtaler?varighed=evigt": "varighed",
        "/v3/data/jobsamtaler?measure=m9": "measure",
        "/v3/data/jobsamtaler?format=xml": "format",
        "/v3/data/jobsamtaler?format=xlsx&format=csv": "format",
        "/v3/data/jobsamtaler?kommune=101": "kommune",
        "/v3/data/skaerpet_tilsyn?varighed=i_alt": "varighed",
        "/v3/data/jobsamtaler?area=kommuner&ydelsesgruppe=alle,a_dagpenge,sygedagpenge,kontanthjaelp,revalidering"
        "&varighed=i_alt,under_1_maaned,1_maaned,2_maaneder,3_maaneder,4_maaneder,5_maaneder,6_maaneder,7_maaneder,"
        "8_maaneder,9_maaneder,10_maaneder,11_maaneder,12_maaneder_og_derover&period.M=latest:24": "area",
    }
    for path, parameter in bad.items():
        status, ctype, body = fx.get(path)
        problem = json.loads(body) if ctype and "json" in ctype else {}
        check(status == 400 and ctype == "application/problem+json" and problem.get("parameter") == parameter
              and problem.get("title") and problem.get("detail"), f"bad request {path}: {status} {body[:200]}")
    status, ctype, _ = fx.get("/v3/table/ukendt")
    check(status == 404 and ctype == "application/problem+json", "unknown table 404")
    status, ctype, body = fx.get("/v3/data/ukendt")
    check(status == 404, "unknown table data 404")

    # Public reads: no system header needed (catalog/access.yaml public_reads); the registry routes still need one.
    status, _, _ = fx.get("/v1/katalog")
    check(status == 401, "registry routes still need a connected system")

    secondary_tests(fx, min_count, rows, land, name_of)

    # A new run is served at once (the latest run), without recomputation by the server.
    fx.run([fx.dfdg, "measure", "--input", os.path.join(fx.dir, "pop"), "--from", "2025-06", "--to", "2025-12",
            "--out", os.path.join(fx.dir, "second"), "--store-db", fx.stats_db])
    meta2 = fx.json("/v3/table/jobsamtaler")
    check(meta2["run"]["id"] == meta["run"]["id"] + 1 and len(meta2["period_types"][0]["periods"]) == 7,
          "the latest run answers")
    # A run that cannot be stored changes nothing and says so; --whatif results are never published.
    r = subprocess.run([fx.dfdg, "measure", "--input", os.path.join(fx.dir, "pop"), "--from", "2025-12",
                        "--out", os.path.join(fx.dir, "third"), "--store-db", fx.dir], capture_output=True, text=True)
    check(r.returncode == 5 and "gemmes" in r.stderr, f"unwritable store: exit {r.returncode} {r.stderr}")
    check(fx.json("/v3/table/jobsamtaler")["run"]["id"] == meta2["run"]["id"], "failed store left the runs as they were")
    changes = os.path.join(fx.dir, "changes.yaml")
    open(changes, "w").write("changes: []\n")
    r = subprocess.run([fx.dfdg, "measure", "--input", os.path.join(fx.dir, "pop"), "--from", "2025-12",
                        "--out", os.path.join(fx.dir, "w"), "--whatif", changes, "--store-db", fx.stats_db],
                       capture_output=True, text=True)
    check(r.returncode == 1 and "--whatif" in r.stderr, f"--whatif with --store-db refused: {r.returncode}")


COUNTS = ["m1_0", "m1_1", "m1_2", "m1_3", "m1_4", "m1_5plus", "m2", "m3", "m5"]


def secondary_tests(fx, min_count, rows, land, name_of):
    """Secondary suppression: in each month × interval over all areas, no published sum (country = regions +
    municipalities without a region, country = municipalities, region = its municipalities, m2 = Σ m1, m3 =
    m1_0..m1_3, m2 = m3 + m1_4 + m1_5plus) has exactly one hidden term; the cases where primary suppression alone
    left a hidden count recoverable occur (so this can fail); a request naming one area hides the same cells."""
    regions = {r["id"]: [k["id"] for k in r["children"]] for r in land["children"] if r["level"] == "region"}
    top = list(regions) + [k["id"] for k in land["children"] if k["level"] == "kommune"]
    municipalities = [k for ks in regions.values() for k in ks] + [k for k in top if k.startswith("K")]
    sums = [("land", top), ("land", municipalities)] + list(regions.items())
    recoverable_by_primary = secondary = checked = 0
    for interval in ["i_alt", "12_maaneder_og_derover", "under_1_maaned"]:
        data = fx.json(f"/v3/data/jobsamtaler?period.M=latest:3&area=land,regioner,kommuner&varighed={interval}")
        by = {(d["period"], d["area"]): d for d in data["data"]}
        for p in sorted({d["period"] for d in data["data"]}):
            measured = {}
            for a in ["land"] + top + municipalities:
                r = rows.get((p, a, "alle", name_of[interval]))
                measured[a] = {c: int(r[c]) if r else 0 for c in COUNTS}
            for c in COUNTS:
                for total, parts in sums:
                    terms = [total] + parts
                    hidden = sum(by[(p, a)][c] is None for a in terms)
                    check(hidden != 1, f"{p} {interval} {c}: {total} = Σ{parts}: exactly one hidden term")
                    primary = sum(0 < measured[a][c] < min_count for a in terms)
                    recoverable_by_primary += primary == 1
                    checked += 1
            for a in ["land"] + top + municipalities:
                d = by[(p, a)]
                for total, parts in [("m2", COUNTS[:6]), ("m3", COUNTS[:4]), ("m2", ["m3", "m1_4", "m1_5plus"])]:
                    hidden = sum(d[c] is None for c in [total] + parts)
                    check(hidden != 1, f"{p} {interval} {a}: {total} = Σ{parts}: exactly one hidden term")
                secondary += sum(d[c] is None and not 0 < measured[a][c] < min_count for c in COUNTS)
    check(checked == 3 * 3 * len(COUNTS) * len(sums), f"sums checked: {checked}")
    check(recoverable_by_primary > 0, "some sum had exactly one small count (secondary suppression was needed)")
    check(secondary > 0, "some counts of 0 or >= min_count are hidden by secondary suppression")
    # The same cells are hidden whichever areas a request names.
    full = fx.json("/v3/data/jobsamtaler?period.M=latest:1&area=land,regioner,kommuner&varighed=under_1_maaned")
    for d in full["data"][:40]:
        one = fx.json(f"/v3/data/jobsamtaler?period.M=latest:1&area={d['area']}&varighed=under_1_maaned")["data"][0]
        check(one == d, f"{d['area']}: alone {one} vs among all {d}")


if __name__ == "__main__":
    main()
