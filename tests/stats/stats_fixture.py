"""A small synthetic population, its measurement stored with `dfdg measure --store-db`, and `dfdg serve
--plain-http` on a free loopback port serving /v3/* and /statistik from it (docs/statistics.md)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from serve_wait import wait_for_port  # noqa: E402


class Fixture:
    def __init__(self, dfdg, web_dir, persons=1500, first="2024-01", last="2025-12"):
        self.dfdg = dfdg
        self.dir = tempfile.mkdtemp(prefix="dfdg-stats-")
        self.stats_db = os.path.join(self.dir, "stats.db")
        self.out = os.path.join(self.dir, "measure")
        self.run([dfdg, "synth", "--persons", str(persons), "--years", "3", "--seed", "7", "--end", "2025-12-31",
                  "--out", os.path.join(self.dir, "pop")])
        self.run([dfdg, "measure", "--input", os.path.join(self.dir, "pop"), "--from", first, "--to", last,
                  "--out", self.out, "--store-db", self.stats_db])
        self.log = open(os.path.join(self.dir, "serve.log"), "w+")
        self.server = subprocess.Popen(
            [dfdg, "serve", "--sandbox", "--sandbox-persons", "3", "--plain-http", "--host", "127.0.0.1", "--port", "0",
             "--db", os.path.join(self.dir, "sandbox.db"), "--stats-db", self.stats_db, "--web-dir", web_dir],
            stdout=subprocess.DEVNULL, stderr=self.log)
        self.port = wait_for_port(self.server, self.log)
        if not self.port:
            self.close()
            raise RuntimeError("dfdg serve did not start")
        self.base = f"http://127.0.0.1:{self.port}"

    def run(self, cmd):
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)}: exit {r.returncode}\n{r.stderr}")
        return r

    def get(self, path):
        """(status, content type, body text) of a GET without any system header."""
        try:
            with urllib.request.urlopen(self.base + path) as r:
                return r.status, r.headers.get("Content-Type"), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type"), e.read().decode()

    def json(self, path):
        status, _, body = self.get(path)
        assert status == 200, (path, status, body)
        return json.loads(body)

    def close(self):
        if self.server.poll() is None:
            self.server.terminate()
            self.server.wait(timeout=20)
        shutil.rmtree(self.dir, ignore_errors=True)
