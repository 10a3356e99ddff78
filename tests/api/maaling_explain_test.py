#!/usr/bin/env python3
"""GET /v1/Maaling/forklaring (docs/api.md) against a real `dfdg serve --plain-http --measure-input` on loopback
over a small synthetic measurement input: for persons in the input the answer is the verdict of
`dfdg measure explain` for that month (same text, same outcome); a person not in the input is 404, a bad month
400, a system without access to the resource is refused, the read is in the audit trail, and a serve without
--measure-input answers 404 and one with a broken input does not start.
Usage: maaling_explain_test.py DFDG SOURCE_DIR WEB_DIR"""
import csv
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from pages_fixture import PagesFixture  # noqa: E402

failures = 0
MONTH = "2025-12"


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what)


def get(port, path, system, cpr):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", path, headers={"x-dev-system": system, "x-civilRegistrationIdentifier": cpr})
    r = c.getresponse()
    body = r.read().decode()
    c.close()
    return r.status, r.getheader("Content-Type") or "", body


def main():
    dfdg, source, web = sys.argv[1:4]
    work = tempfile.mkdtemp(prefix="dfdg-maaling-")
    try:
        population = os.path.join(work, "population")
        subprocess.run([dfdg, "synth", "--persons", "300", "--years", "2", "--seed", "7", "--out", population],
                       check=True, capture_output=True)
        with open(os.path.join(population, "persons.csv"), newline="") as f:
            cprs = [row["cpr"] for row in csv.DictReader(f)]
        # The CLI's verdict per person for the month.
        expected = {}
        for cpr in cprs[:60]:
            out = subprocess.run([dfdg, "measure", "explain", "--input", population, "--cpr", cpr, "--month", MONTH],
                                 check=True, capture_output=True, text=True).stdout
            expected[cpr] = out
        outcomes = {re.search(r"^Udfald: (\S+)", t, re.M).group(1) for t in expected.values()}
        check("maalt" in outcomes and len(outcomes) >= 2, f"the sample has measured and other outcomes: {outcomes}")

        fx = PagesFixture(dfdg, source, web, serve_args=["--measure-input", population])
        try:
            for cpr, text in expected.items():
                status, ctype, body = get(fx.port, f"/v1/Maaling/forklaring?maaned={MONTH}", "sandbox-agency", cpr)
                check(status == 200, f"{cpr}: 200, got {status} {body[:200]}")
                if status != 200:
                    continue
                m = json.loads(body)
                outcome = re.search(r"^Udfald: (\S+)", text, re.M).group(1)
                check(m["tekst"] == text, f"{cpr}: tekst equals `dfdg measure explain`")
                check(m["udfald"] == outcome, f"{cpr}: udfald {m['udfald']} == {outcome}")
                check(m["maaned"] == MONTH and m["cpr"] == cpr, f"{cpr}: month and cpr echoed")
                check(m["i_maalingen"] == (outcome in ("maalt", "fritaget")), f"{cpr}: i_maalingen matches {outcome}")
                check(m["fritaget"] == (outcome == "fritaget"), f"{cpr}: fritaget matches {outcome}")
                if outcome == "maalt":
                    counted = re.search(r"^Talte samtaler: (\d+)", text, re.M).group(1)
                    check(m["samtaler_talt"] == int(counted), f"{cpr}: samtaler_talt {m['samtaler_talt']} == {counted}")
                    check(sum(1 for s in m["samtaler"] if s["talt"]) == m["samtaler_talt"], f"{cpr}: counted notes")
            unknown = "0101010101"
            check(unknown not in cprs, "the unknown CPR is not in the input")
            status, ctype, body = get(fx.port, f"/v1/Maaling/forklaring?maaned={MONTH}", "sandbox-agency", unknown)
            check(status == 404 and "problem+json" in ctype, f"unknown person: 404 problem, got {status} {ctype}")
            for bad in ["2025-13", "2025-1", "december", ""]:
                status, ctype, body = get(fx.port, f"/v1/Maaling/forklaring?maaned={bad}", "sandbox-agency", cprs[0])
                check(status == 400 and "problem+json" in ctype, f"month {bad!r}: 400 problem, got {status}")
            for system in ["sandbox-jobnet", "sandbox-akasse-10", "sandbox-ksd-101"]:
                status, _, body = get(fx.port, f"/v1/Maaling/forklaring?maaned={MONTH}", system, cprs[0])
                check(status == 403, f"{system}: refused, got {status} {body[:200]}")
            # The person's first municipality is not the job centre's (no registry state): refused as other reads.
            status, _, _ = get(fx.port, f"/v1/Maaling/forklaring?maaned={MONTH}", "sandbox-jobcenter-101", cprs[0])
            check(status == 403, f"jobcenter without the person in its municipality: refused, got {status}")
            db = fx.db
        finally:
            fx.close_server()
        shown = subprocess.run([dfdg, "audit", "show", "--db", db, "--cpr", cprs[0]], capture_output=True, text=True)
        check(shown.returncode == 0 and "Maaling" in shown.stdout and "sandbox-agency" in shown.stdout,
              f"the read is audited: {shown.stdout[-400:]} {shown.stderr[-400:]}")
        shutil.rmtree(fx.dir, ignore_errors=True)

        fx = PagesFixture(dfdg, source, web)  # no --measure-input
        try:
            status, ctype, _ = get(fx.port, f"/v1/Maaling/forklaring?maaned={MONTH}", "sandbox-agency", cprs[0])
            check(status == 404 and "problem+json" in ctype, f"no measurement input: 404, got {status}")
        finally:
            fx.close()

        broken = os.path.join(work, "broken")
        os.makedirs(broken)
        with open(os.path.join(broken, "persons.csv"), "w") as f:
            f.write("cpr,pension_age_date\n12345,2060-01-01\n")
        r = subprocess.run([dfdg, "serve", "--sandbox", "--plain-http", "--port", "0", "--db",
                            os.path.join(work, "x.db"), "--measure-input", broken], capture_output=True, text=True,
                           timeout=60)
        check(r.returncode != 0 and "--measure-input" in r.stderr, f"broken input refused at start: {r.stderr[-300:]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("maaling_explain:", "FAILED" if failures else "ok")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
