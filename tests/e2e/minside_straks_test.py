"""The immediate computation's deep link on /minside (tests/e2e/minside_straks.mjs) against `dfdg serve --sandbox
--plain-http` with a configuration naming Jobnet and a-kasser 10 (with an `immediate_computation_link`) and 11
(without). Usage: minside_straks_test.py DFDG SOURCE_DIR WEB_BUILD_DIR OUT_DIR"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pages_fixture import PagesFixture  # noqa: E402

LINK = "https://ak10.example/straksopgoerelse"


def main():
    dfdg, source, web, out = sys.argv[1:5]
    os.makedirs(out, exist_ok=True)
    config_dir = tempfile.mkdtemp(prefix="dfdg-straks-")
    config = os.path.join(config_dir, "serve.yaml")
    with open(config, "w") as f:
        f.write("systems:\n"
                "  - {id: jobnet, kind: jobnet, certificate_cn: jobnet, controller: \"STAR\"}\n"
                f"  - {{id: ak-10, kind: akasse, certificate_cn: ak-10, controller: \"A-kasse 10\", akasse: \"10\", "
                f"immediate_computation_link: \"{LINK}\"}}\n"
                "  - {id: ak-11, kind: akasse, certificate_cn: ak-11, controller: \"A-kasse 11\", akasse: \"11\"}\n")
    fx = PagesFixture(dfdg, source, web, serve_args=["--config", config])
    try:
        r = subprocess.run(["node", os.path.join(source, "tests/e2e/minside_straks.mjs"), fx.base,
                            os.path.join(source, "web"), out, LINK], timeout=300)
        if r.returncode != 0:
            fx.log.seek(0)
            print(fx.log.read()[-4000:])
    finally:
        fx.close()
    sys.exit(r.returncode)


if __name__ == "__main__":
    main()
