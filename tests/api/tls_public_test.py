#!/usr/bin/env python3
"""Public statistics over real TLS without a client certificate, everything else only with one (docs/api.md
"Authentication"). Certificates made with the openssl tool; `dfdg serve --config` over the timeline demo person
and a small stored measurement. Usage: tls_public_test.py DFDG SOURCE_DIR WEB_DIR"""
import http.client
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from pages_fixture import CPR, PagesFixture  # noqa: E402

failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what)


def sh(*cmd):
    subprocess.run(cmd, check=True, capture_output=True)


def make_certs(d):
    for ca in ["ca", "rogue-ca"]:
        sh("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
           "-subj", f"/CN={ca}", "-keyout", f"{d}/{ca}.key", "-out", f"{d}/{ca}.pem")
    for name, ca, ext in [("server", "ca", "subjectAltName=IP:127.0.0.1"), ("jc-101", "ca", "extendedKeyUsage=clientAuth"),
                          ("jobnet", "ca", "extendedKeyUsage=clientAuth"), ("rogue", "rogue-ca", "extendedKeyUsage=clientAuth")]:
        cn = "jc-101" if name == "rogue" else name
        sh("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
           f"{d}/{name}.key", "-out", f"{d}/{name}.csr", "-subj", f"/CN={cn}")
        with open(f"{d}/{name}.ext", "w") as f:
            f.write(ext + "\n")
        sh("openssl", "x509", "-req", "-in", f"{d}/{name}.csr", "-CA", f"{d}/{ca}.pem", "-CAkey", f"{d}/{ca}.key",
           "-CAcreateserial", "-days", "2", "-out", f"{d}/{name}.pem", "-extfile", f"{d}/{name}.ext")


class Client:
    def __init__(self, d, port, cert=None):
        self.ctx = ssl.create_default_context(cafile=f"{d}/ca.pem")
        self.ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        if cert:
            self.ctx.load_cert_chain(f"{d}/{cert}.pem", f"{d}/{cert}.key")
        self.port = port

    def get(self, path, cpr=None):
        """(status, content type, body) of one GET on a new connection."""
        c = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx, timeout=20)
        try:
            c.request("GET", path, headers={"x-civilRegistrationIdentifier": cpr} if cpr else {})
            r = c.getresponse()
            return r.status, r.getheader("Content-Type", ""), r.read().decode()
        finally:
            c.close()


def main():
    dfdg, source, web = sys.argv[1:4]
    d = tempfile.mkdtemp(prefix="dfdg-tls-")
    fx = None
    try:
        make_certs(d)
        with open(f"{d}/serve.yaml", "w") as f:
            f.write("""listen: {host: 127.0.0.1, port: 0}
tls: {cert: server.pem, key: server.key, client_ca: ca.pem}
systems:
  - {id: jc-101, kind: jobcenter, certificate_cn: jc-101, controller: "Københavns Kommune", municipality: 101}
  - {id: jobnet, kind: jobnet, certificate_cn: jobnet, controller: "STAR"}
""")
        sh(dfdg, "synth", "--persons", "300", "--years", "1", "--seed", "3", "--end", "2025-12-31", "--out", f"{d}/pop")
        sh(dfdg, "measure", "--input", f"{d}/pop", "--from", "2025-12", "--to", "2025-12", "--out", f"{d}/measure",
           "--store-db", f"{d}/stats.db")
        fx = PagesFixture(dfdg, source, web, config=f"{d}/serve.yaml", stats_db=f"{d}/stats.db", persons=4)
        anonymous, caseworker, jobnet = Client(d, fx.port), Client(d, fx.port, "jc-101"), Client(d, fx.port, "jobnet")

        # Without a client certificate: the handshake succeeds, the public statistics answer, nothing else does.
        status, ctype, body = anonymous.get("/v3/subjects")
        check(status == 200 and ctype.startswith("application/json") and json.loads(body), f"/v3/subjects: {status}")
        status, ctype, body = anonymous.get("/v3/data/jobsamtaler?period.M=2025M12&area=land")
        check(status == 200 and json.loads(body)["data"], f"/v3/data without a certificate: {status} {body[:200]}")
        status, ctype, _ = anonymous.get("/statistik")
        check(status == 200 and ctype.startswith("text/html"), f"/statistik without a certificate: {status}")
        status, ctype, body = anonymous.get("/v1/status", CPR)
        problem = json.loads(body) if ctype.startswith("application/problem+json") else {}
        check(status == 401 and problem.get("type") == "urn:dfdg:problem:unauthenticated" and problem.get("status") == 401,
              f"/v1/status without a certificate: {status} {ctype} {body[:200]}")
        for path in ["/v1/katalog", "/v1/Fravaer", "/v1/Registreringer", "/metrics", "/openapi.json"]:
            status, ctype, _ = anonymous.get(path, CPR)
            check(status == 401 and ctype.startswith("application/problem+json"), f"{path} without a certificate: {status}")
        status, ctype, body = anonymous.get("/tidslinje")
        check(status == 401 and ctype.startswith("text/html") and "klientcertifikat" in body and "<select" not in body,
              f"/tidslinje without a certificate: {status} (no development login over TLS)")
        status, _, _ = anonymous.get("/minside/app.js")
        check(status == 401, f"/minside/app.js without a certificate: {status}")

        # With a verified client certificate: the API and the caseworker's page; not the citizen's page.
        status, _, body = caseworker.get("/v1/status?dato=2026-05-10", CPR)
        with open(os.path.join(fx.expected_dir, "status-2026-05-10.json")) as f:
            want = json.load(f)
        check(status == 200 and json.loads(body)["obligations"] == want["obligations"], f"/v1/status with jc-101: {status}")
        status, _, body = caseworker.get("/v1/Registreringer", CPR)
        entities = json.loads(body)["entities"] if status == 200 else []
        check(status == 200 and any(e["record_type"] == "akasse_membership" for e in entities), f"/v1/Registreringer: {status}")
        status, _, body = caseworker.get("/v1/Fravaer", CPR)
        current = json.loads(body)
        status2, _, body2 = caseworker.get("/v1/Fravaer?berigtigede=med", CPR)
        withcorrected = json.loads(body2)
        check(status == 200 and status2 == 200 and len(withcorrected) == len(current) + 1
              and [f["deleted"] for f in withcorrected].count(True) == 1, "?berigtigede=med adds the corrected absence")
        status, _, body = caseworker.get("/v1/Fravaer?kendt_pr=2026-03-03", CPR)
        known = json.loads(body)
        check(status == 200 and len(known) == 1 and not known[0]["deleted"] and known[0]["start"] == "2026-03-02",
              f"?kendt_pr=2026-03-03: the sick leave as known before its correction: {body[:300]}")
        status, _, _ = caseworker.get("/v1/Fravaer?kendt_pr=2026-13-01", CPR)
        check(status == 400, f"a bad kendt_pr: {status}")
        status, ctype, _ = caseworker.get("/tidslinje")
        check(status == 200 and ctype.startswith("text/html"), f"/tidslinje with jc-101: {status}")
        status, _, _ = caseworker.get("/minside")
        check(status == 403, f"/minside with jc-101: {status}")
        status, _, _ = caseworker.get("/v3/subjects")
        check(status == 200, f"/v3/subjects with a certificate: {status}")

        # The citizen's channel: its page and the citizen view of the records, not the caseworker's.
        status, _, _ = jobnet.get("/minside")
        check(status == 200, f"/minside with jobnet: {status}")
        status, _, _ = jobnet.get("/tidslinje")
        check(status == 403, f"/tidslinje with jobnet: {status}")
        status, _, body = jobnet.get("/v1/Borgervisning?dato=2026-11-30", CPR)
        view = json.loads(body) if status == 200 else {}
        shown = view.get("records", {}).get("akasse_membership", [])
        check(status == 200 and shown and "branch" not in shown[0]["fields"] and "insurance_category" in shown[0]["fields"],
              f"/v1/Borgervisning with jobnet: {status} {body[:300]}")
        status, _, _ = jobnet.get("/v1/Registreringer", CPR)
        check(status == 403, f"/v1/Registreringer with jobnet: {status}")

        # A certificate from another CA is refused at the handshake (or the first read after it).
        try:
            status, _, _ = Client(d, fx.port, "rogue").get("/v3/subjects")
            check(False, f"untrusted certificate answered {status}")
        except (ssl.SSLError, ConnectionError, http.client.HTTPException, OSError):
            pass
    finally:
        if fx:
            fx.close()
        shutil.rmtree(d, ignore_errors=True)
    if failures:
        print(f"{failures} failure(s)")
        sys.exit(1)
    print("tls public: all checks passed")


if __name__ == "__main__":
    main()
