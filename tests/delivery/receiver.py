#!/usr/bin/env python3
"""A webhook receiver for the delivery tests (docs/delivery.md "Verifying a delivery"), written from the
documented wire format only: it checks the X-DFDG-Signature HMAC, de-duplicates on Idempotency-Key, and logs one
JSON line per request to LOG. With --hold ID it keeps the first request for message ID open (writes
LOG.holding) instead of answering, so a test can kill the sender mid-delivery.

Usage: receiver.py PORT_FILE LOG KEY_ID SECRET [--hold ID]
"""
import hashlib
import hmac
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, log_path, key_id, secret = sys.argv[1:5]
hold = sys.argv[6] if len(sys.argv) > 6 and sys.argv[5] == "--hold" else None
seen = set()
lock = threading.Lock()
held = False


def verify(header, body):
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    if parts.get("kid") != key_id or "t" not in parts or "v1" not in parts:
        return False
    if abs(time.time() - int(parts["t"])) > 300:
        return False
    mac = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(mac, parts["v1"])


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global held
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        key = self.headers.get("Idempotency-Key", "")
        ok = verify(self.headers.get("X-DFDG-Signature", ""), body)
        with lock:
            duplicate = key in seen
            hold_this = hold == key and not held
            if hold_this:
                held = True
            elif ok:
                seen.add(key)
            with open(log_path, "a") as log:
                log.write(json.dumps({"id": key, "verified": ok, "duplicate": duplicate, "held": hold_this,
                                      "attempt": self.headers.get("X-DFDG-Attempt"),
                                      "body_id": json.loads(body).get("id")}) + "\n")
        if hold_this:
            open(log_path + ".holding", "w").close()
            time.sleep(20)  # the sender is killed meanwhile; never answered
            return
        self.send_response(200 if ok else 401)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os  # noqa: E402

os.rename(port_file + ".tmp", port_file)
server.serve_forever()
