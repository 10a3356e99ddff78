#!/usr/bin/env python3
"""Runs tests/e2e/other_actor.mjs: an other actor (anden aktør) uses the person timeline (/tidslinje) in headless
chromium with its own client certificate over mutual TLS, acting for the municipality it chooses on the page
(seed 000 § 6 stk. 4; docs/pages.md "Other actors"). Certificates made with the openssl tool; `dfdg serve
--config` over the timeline demo person (municipality 101). Usage: other_actor_e2e_test.py DFDG SOURCE_DIR WEB_DIR"""
import os
import shutil
import subprocess
import sys
import tempfile

from pages_fixture import PagesFixture

CONFIG = """listen: {host: 127.0.0.1, port: 0}
tls: {cert: server.pem, key: server.key, client_ca: ca.pem}
systems:
  - {id: aa-1, kind: other_actor, certificate_cn: aa.example, cvr: "12345678",
     municipalities: {101: "Københavns Kommune", 147: "Frederiksberg Kommune"}}
  - {id: jc-101, kind: jobcenter, certificate_cn: jc-101, controller: "Københavns Kommune", municipality: 101}
"""


def sh(*cmd):
    subprocess.run(cmd, check=True, capture_output=True)


def make_certs(d):
    sh("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
       "-subj", "/CN=ca", "-keyout", f"{d}/ca.key", "-out", f"{d}/ca.pem")
    for name, cn, ext in [("server", "server", "subjectAltName=IP:127.0.0.1"),
                          ("aa", "aa.example", "extendedKeyUsage=clientAuth"),
                          ("jc-101", "jc-101", "extendedKeyUsage=clientAuth")]:
        sh("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
           f"{d}/{name}.key", "-out", f"{d}/{name}.csr", "-subj", f"/CN={cn}")
        with open(f"{d}/{name}.ext", "w") as f:
            f.write(ext + "\n")
        sh("openssl", "x509", "-req", "-in", f"{d}/{name}.csr", "-CA", f"{d}/ca.pem", "-CAkey", f"{d}/ca.key",
           "-CAcreateserial", "-days", "2", "-out", f"{d}/{name}.pem", "-extfile", f"{d}/{name}.ext")


def main():
    dfdg, source, web = sys.argv[1:4]
    for tool in ["node", os.environ.get("CHROMIUM", "chromium"), "openssl"]:
        if not shutil.which(tool):
            print(f"e2e: {tool} is missing (scripts/bootstrap.sh installs it)")
            sys.exit(1)
    d = tempfile.mkdtemp(prefix="dfdg-aa-")
    fx = None
    r = None
    try:
        make_certs(d)
        with open(f"{d}/serve.yaml", "w") as f:
            f.write(CONFIG)
        fx = PagesFixture(dfdg, source, web, config=f"{d}/serve.yaml", persons=4)
        r = subprocess.run(["node", os.path.join(source, "tests/e2e/other_actor.mjs"), fx.base,
                            os.path.join(source, "web"), d, fx.expected_dir], timeout=300)
        if r.returncode != 0:
            fx.log.seek(0)
            print(fx.log.read()[-4000:])
    finally:
        if fx:
            fx.close()
        shutil.rmtree(d, ignore_errors=True)
    sys.exit(r.returncode if r else 1)


if __name__ == "__main__":
    main()
