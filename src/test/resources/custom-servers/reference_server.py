"""A reference custom server for the contract's conformance suite (ContractConformanceTest): FC's HTTP contract
with the standard library alone, its behaviour chosen like the Python runtime's fixture runtime-fixtures/conformance.py:
  CONF_INIT     POST /initialize: ok (0.3 s, then 200), fail (500 "initializer broke"), fail-big (500 with
                "ü" * 5000 + "x" * 5000, 15 KB of UTF-8), hang (never answers)
  CONF_PRESTOP  GET /pre-stop: ok (200), fail (500 "pre-stop broke"), hang (never answers, after recording its call)
  POST /invoke  echo:TEXT answers TEXT, sleep:SECONDS answers "slept", fail answers 500 "handler broke",
                headers answers the x-fc-* headers it got as JSON, big:BYTES answers that many bytes (AdapterTest)
  any other request (an HTTP function's): 207 "METHOD TARGET BODY", with its X-Echo header sent back
Each call appends its x-fc-request-id to FIXTURE_OUT/<initializer|pre_stop|invoke> and prints "<id> <call>" (an
Initializer that fails or hangs records nothing). reference_server.js behaves the same.
"""
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_lock = threading.Lock()
BIG = "\u00fc" * 5000 + "x" * 5000


def record(name, request_id):
    with _lock:
        with open(os.path.join(os.environ["FIXTURE_OUT"], name), "a") as f:
            f.write(request_id + "\n")
    print("%s %s" % (request_id, name), flush=True)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        request_id = self.headers.get("x-fc-request-id", "")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
        if self.path == "/initialize":
            behaviour = os.environ.get("CONF_INIT", "ok")
            if behaviour == "hang":
                threading.Event().wait()
            if behaviour == "fail":
                return self.answer(500, "initializer broke")
            if behaviour == "fail-big":
                return self.answer(500, BIG)
            time.sleep(0.3)  # long enough for concurrent probes to arrive while it runs
            record("initializer", request_id)
            return self.answer(200, "")
        if self.path == "/invoke":
            record("invoke", request_id)
            kind, _, argument = body.partition(":")
            if kind == "echo":
                return self.answer(200, argument)
            if kind == "sleep":
                time.sleep(float(argument))
                return self.answer(200, "slept")
            if kind == "big":
                return self.answer(200, "x" * int(argument))
            if kind == "headers":
                return self.answer(200, json.dumps({k.lower(): v for k, v in self.headers.items()
                                                    if k.lower().startswith("x-fc-")}))
            return self.answer(500, "handler broke")
        self.echo(body)

    def do_GET(self):
        if self.path == "/pre-stop":
            record("pre_stop", self.headers.get("x-fc-request-id", ""))
            behaviour = os.environ.get("CONF_PRESTOP", "ok")
            if behaviour == "hang":
                threading.Event().wait()
            if behaviour == "fail":
                return self.answer(500, "pre-stop broke")
            return self.answer(200, "")
        self.echo("")

    def echo(self, body):
        self.answer(207, "%s %s %s" % (self.command, self.path, body), [("X-Echo", self.headers.get("X-Echo", ""))])

    do_PUT = do_DELETE = lambda self: self.echo(
        self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8"))

    def answer(self, status, text, extra=()):
        body = text.encode("utf-8")
        self.send_response(status)
        for name, value in extra:
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(os.environ["FC_CUSTOM_LISTEN_PORT"])), Handler).serve_forever()
