#!/usr/bin/env python3
"""Runs tests/e2e/pages.mjs (the person timeline and the citizen's page in headless chromium), then
tests/e2e/maaling.mjs (the timeline's Måling section) and tests/e2e/minside_booking.mjs (self-booking), against
`dfdg serve --plain-http` over the timeline demo person, with the demo person's measurement input
examples/timeline-demo-measure (--measure-input). Usage: pages_e2e_test.py DFDG SOURCE_DIR WEB_DIR OUT_DIR"""
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
    measure_input = os.path.join(source, "examples/timeline-demo-measure")
    fx = PagesFixture(dfdg, source, web, serve_args=["--measure-input", measure_input])
    try:
        for month in ["2026-03", "2026-07", "2026-12"]:
            text = subprocess.run([dfdg, "measure", "explain", "--input", measure_input, "--cpr", "0304851234",
                                   "--month", month], check=True, capture_output=True, text=True).stdout
            with open(os.path.join(fx.expected_dir, f"maaling-{month}.txt"), "w") as f:
                f.write(text)
        r = subprocess.run(["node", os.path.join(source, "tests/e2e/pages.mjs"), fx.base, os.path.join(source, "web"),
                            out, fx.expected_dir], timeout=300)
        if r.returncode == 0:
            r = subprocess.run(["node", os.path.join(source, "tests/e2e/maaling.mjs"), fx.base,
                                os.path.join(source, "web"), out, fx.expected_dir], timeout=300)
        if r.returncode == 0:  # last: it books a meeting for the demo person
            r = subprocess.run(["node", os.path.join(source, "tests/e2e/minside_booking.mjs"), fx.base,
                                os.path.join(source, "web"), out], timeout=300)
        if r.returncode != 0:
            fx.log.seek(0)
            print(fx.log.read()[-4000:])
    finally:
        fx.close()
    sys.exit(r.returncode)


if __name__ == "__main__":
    main()
