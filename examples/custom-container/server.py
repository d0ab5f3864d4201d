"""A custom container's HTTP server, FC's HTTP contract with the standard library alone (docs/runtime-contract.md):
  POST /initialize  the Initializer: once per instance, before any invocation (2xx = success)
  POST /invoke      an event invocation: the body is the event, the answer is the result
  GET  /pre-stop    PreStop: once, before the instance is destroyed
Every call carries x-fc-request-id; the FC lines around it (FC Invoke Start RequestId: ...) come from the
adapter beside this container, with the same id.
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EMOJIS = {}


def log(request_id, text):
    print("%s %s" % (request_id, text), flush=True)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        request_id = self.headers.get("x-fc-request-id", "-")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/initialize":
            EMOJIS.update({"happy": "😄", "sad": "😢", "love": "😍", "cool": "😎"})
            log(request_id, "initializer: loaded %d emojis" % len(EMOJIS))
            return self.answer(200, b"")
        if self.path == "/invoke":
            name = body.decode("utf-8").strip()
            log(request_id, "invoked with %r" % name)
            if name not in EMOJIS:
                return self.answer(404, json.dumps({"error": "no emoji named %r" % name}).encode())
            return self.answer(200, EMOJIS[name].encode("utf-8"))
        self.answer(404, b"")

    def do_GET(self):
        if self.path == "/pre-stop":
            log(self.headers.get("x-fc-request-id", "-"), "pre-stop: %d emojis served, goodbye" % len(EMOJIS))
            return self.answer(200, b"")
        self.answer(404, b"")

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):  # one line per call is printed above; no access log
        pass


if __name__ == "__main__":
    port = int(os.environ.get("FC_CUSTOM_LISTEN_PORT", "9000"))
    print("listening on %d" % port, flush=True)
    sys.stdout.flush()
    ThreadingHTTPServer(("0.0.0.0", port), Handler).serve_forever()
