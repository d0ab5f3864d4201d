"""HTTP plumbing shared by the invocation and lifecycle servers (stdlib http.server, a thread per connection)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Connections the kernel queues for accept(); the stdlib's 5 reset new connections under a burst of clients.
LISTEN_BACKLOG = 1024


class Response(object):
    def __init__(self, status, body=b"", headers=None, reason=None):
        self.status = status
        self.body = body
        self.headers = list(headers or [])
        self.reason = reason


def json_response(status, doc, headers=None):
    body = json.dumps(doc).encode("utf-8")
    return Response(status, body, [("Content-Type", "application/json")] + list(headers or []))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fc-runtime"
    # TCP_NODELAY: http.server writes the headers and the body apart; with Nagle's algorithm the body waits
    # for the client's delayed ACK of the headers, 40 ms on Linux, on every keep-alive answer.
    disable_nagle_algorithm = True

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):  # no access log: stdout belongs to FC's lines
        pass

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _read_chunked(self):
        parts = []
        while True:
            size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline()

    def send(self, response):
        self.send_response(response.status, response.reason)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)
        self.wfile.flush()


def serve(port, handler_class, app, name):
    """Listens on 0.0.0.0:port in a background thread; handlers reach app as self.server.app."""
    server = Server(("0.0.0.0", port), handler_class)
    server.app = app
    threading.Thread(target=server.serve_forever, name=name, daemon=True).start()
    return server
