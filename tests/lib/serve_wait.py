"""Waiting for a `dfdg serve` started on port 0 to say where it listens (shared by the test fixtures)."""
import re
import time


def wait_for_port(server, log, tries=300):
    """The port in the server's `"msg":"listening"` log line, read from the file object `log` it writes its
    stderr to; None when `server` (a subprocess.Popen) exits first or tries × 0.1 s pass without it."""
    for _ in range(tries):
        log.seek(0)
        m = re.search(r'"msg":"listening".*?"port":(\d+)', log.read())
        if m:
            return int(m.group(1))
        if server.poll() is not None:
            return None
        time.sleep(0.1)
    return None
