"""The demo person of examples/timeline-demo.jsonl applied to a fresh SQLite store, the expected answers of
`dfdg status --json` for it, and `dfdg serve --sandbox` (a few more synthetic persons) on a free loopback port,
with the clock at 2026-11-30 (DFDG_TODAY). Plain HTTP (x-dev-system / the development cookie) or, given a
configuration file, mutual TLS."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from serve_wait import wait_for_port  # noqa: E402

TODAY = "2026-11-30"
CPR = "0304851234"
# (file name, date, known at) of the expected `dfdg status --json` answers.
EXPECTED = [("status-2026-05-10.json", "2026-05-10", None),
            ("status-2026-03-03.json", "2026-03-03", None),
            ("status-2026-03-03-known-2026-03-03.json", "2026-03-03", "2026-03-03"),
            ("status-2026-11-30.json", "2026-11-30", None)]


class PagesFixture:
    def __init__(self, dfdg, source, web_dir, config=None, stats_db=None, persons=8, serve_args=()):
        self.dir = tempfile.mkdtemp(prefix="dfdg-pages-")
        self.db = os.path.join(self.dir, "pages.db")
        self.env = dict(os.environ, DFDG_TODAY=TODAY)
        r = subprocess.run([dfdg, "apply", "--db", self.db, "--input", os.path.join(source, "examples/timeline-demo.jsonl")],
                           capture_output=True, text=True, env=self.env)
        rejected = [line for line in r.stdout.splitlines() if '"status":"accepted"' not in line]
        if r.returncode != 0 or rejected:
            raise RuntimeError(f"timeline demo: exit {r.returncode}\n{r.stderr}\n" + "\n".join(rejected))
        self.expected_dir = os.path.join(self.dir, "expected")
        os.makedirs(self.expected_dir)
        for name, date, known in EXPECTED:
            cmd = [dfdg, "status", "--db", self.db, "--cpr", CPR, "--date", date, "--json"]
            if known:
                cmd += ["--known-at", known]
            out = subprocess.run(cmd, capture_output=True, text=True, env=self.env, check=True).stdout
            json.loads(out)
            with open(os.path.join(self.expected_dir, name), "w") as f:
                f.write(out)
        cmd = [dfdg, "serve", "--sandbox", "--sandbox-persons", str(persons), "--host", "127.0.0.1", "--port", "0",
               "--db", self.db, "--web-dir", web_dir]
        cmd += ["--config", config] if config else ["--plain-http"]
        if stats_db:
            cmd += ["--stats-db", stats_db]
        cmd += list(serve_args)
        self.log = open(os.path.join(self.dir, "serve.log"), "w+")
        self.server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.log, env=self.env)
        self.port = wait_for_port(self.server, self.log)
        if not self.port:
            self.log.seek(0)
            text = self.log.read()
            self.close()
            raise RuntimeError("dfdg serve did not start:\n" + text)
        self.base = f"{'https' if config else 'http'}://127.0.0.1:{self.port}"

    def close_server(self):
        if self.server.poll() is None:
            self.server.terminate()
            self.server.wait(timeout=20)

    def close(self):
        self.close_server()
        shutil.rmtree(self.dir, ignore_errors=True)
