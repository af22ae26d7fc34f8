"""A webhook receiver for the cluster test's outbox step: HTTPS with the
certificate it is given, one line a request in RECEIVED (arrival time, the
webhook-id header, the event's data.display_name), answering 204 after a
short pause. Asked to, it holds the first request for a name a while (an
instance is then killed mid-delivery), and while the file FAIL exists it
answers 503.

    python3 webhook_receiver.py PORT CERT KEY RECEIVED FAIL HOLD_NAME HOLD_SECONDS
"""
import json
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, CERT, KEY, RECEIVED, FAIL, HOLD_NAME, HOLD_SECONDS = sys.argv[1:8]
lock = threading.Lock()
held = set()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            name = json.loads(body)["data"].get("display_name", "")
        except (ValueError, KeyError, AttributeError):
            name = ""
        with lock:
            with open(RECEIVED, "a") as out:
                out.write("%.3f %s %s\n" % (time.time(), self.headers.get("webhook-id", "-"), name))
            hold = name == HOLD_NAME and name not in held
            held.add(name)
        if hold:
            time.sleep(float(HOLD_SECONDS))
        else:
            time.sleep(0.02)
        self.send_response(503 if os.path.exists(FAIL) else 204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", int(PORT)), Receiver)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(CERT, KEY)
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
