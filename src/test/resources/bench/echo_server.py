"""The baseline of PythonRuntimeBench: a bare stdlib echo server, served as the runtime serves.

python3 echo_server.py PORT. The same server and handler classes and settings as fc_http.py
(ThreadingHTTPServer with daemon threads, BaseHTTPRequestHandler speaking HTTP/1.1 with keep-alive,
TCP_NODELAY, no access log), so that the difference measured is the runtime's own work per invocation.
POST answers the body as it came, GET an empty 200 (the start-up poll).
"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # as fc_http.Handler (without it both wait 40 ms for a delayed ACK)

    def log_message(self, format, *args):
        pass

    def _answer(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(self.rfile.read(length) if length > 0 else b"")

    def do_GET(self):
        self._answer(b"")


if __name__ == "__main__":
    Server(("0.0.0.0", int(sys.argv[1])), Echo).serve_forever()
