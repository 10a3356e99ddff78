#!/usr/bin/env python3
"""Runs tests/e2e/statistik.mjs and tests/e2e/statistik_cache.mjs (English labels, validators, gzip) against `dfdg serve --plain-http` on a free loopback port over a small synthetic
population and its stored measurement. Usage: e2e_test.py DFDG SOURCE_DIR WEB_DIR OUT_DIR"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "stats"))
from stats_fixture import Fixture  # noqa: E402


def main():
    dfdg, source, web, out = sys.argv[1:5]
    for tool in ["node", os.environ.get("CHROMIUM", "chromium")]:
        if not shutil.which(tool):
            print(f"e2e: {tool} is missing (scripts/bootstrap.sh installs it)")
            sys.exit(1)
    os.makedirs(out, exist_ok=True)
    fx = Fixture(dfdg, web)
    try:
        codes = [subprocess.run(["node", os.path.join(source, "tests/e2e", script), fx.base,
                                 os.path.join(source, "web"), out], timeout=300).returncode
                 for script in ["statistik.mjs", "statistik_cache.mjs"]]
    finally:
        fx.close()
    sys.exit(max(codes))


if __name__ == "__main__":
    main()
