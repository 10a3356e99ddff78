#!/usr/bin/env python3
"""Runs tests/e2e/pages.mjs (the person timeline and the citizen's page in headless chromium) against
`dfdg serve --plain-http` over the timeline demo person. Usage: pages_e2e_test.py DFDG SOURCE_DIR WEB_DIR OUT_DIR"""
import os
import shutil
import subprocess
import sys

from pages_fixture import PagesFixture


def main():
    dfdg, source, web, out = sys.argv[1:5]
    for tool in ["node", os.environ.get("CHROMIUM", "chromium")]:
        if not shutil.which(tool):
            print(f"e2e: {tool} is missing (scripts/bootstrap.sh installs it)")
            sys.exit(1)
    os.makedirs(out, exist_ok=True)
    fx = PagesFixture(dfdg, source, web)
    try:
        r = subprocess.run(["node", os.path.join(source, "tests/e2e/pages.mjs"), fx.base, os.path.join(source, "web"),
                            out, fx.expected_dir], timeout=300)
        if r.returncode != 0:
            fx.log.seek(0)
            print(fx.log.read()[-4000:])
    finally:
        fx.close()
    sys.exit(r.returncode)


if __name__ == "__main__":
    main()
