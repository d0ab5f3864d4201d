"""HTTP plumbing shared by the invocation and lifecycle servers (stdlib http.server, a thread per connection).

The stdlib provides the threads and the answer's status line and headers; reading requests is fc_request's,
and every fault of a client (a malformed or oversized request, one too slow to arrive, a connection gone) ends
in an answer or a quiet close, never in a traceback on the pod's log.
"""
import io
import json
import socket
import sys
import threading
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import fc_listen
from . import fc_log
from . import fc_request

# FC's bound on a synchronous invocation's request body (32 MB); a larger one is refused before it is read.
MAX_REQUEST_BODY = 32 * 1024 * 1024
# After refusing a request whose body may still be on its way, the server reads and drops input for this
# long before it closes: closing with unread input resets the connection, and a reset can destroy the answer
# before the client read it (RFC 9112 section 9.6).
LINGER_SECONDS = 2.0
_WRITE_SLICE = 64 * 1024  # the write timeout bounds each slice: a slow reader is fine, a stalled one is not

CLIENT_GONE = (ConnectionError, socket.timeout)  # ConnectionReset, BrokenPipe, ConnectionAborted; a stall
_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")

_ERROR_TYPES = {
    400: "BadRequest",
    408: "RequestTimeout",
    413: "RequestEntityTooLarge",
    414: "RequestURITooLong",
    431: "RequestHeaderFieldsTooLarge",
    500: "InternalError",
    501: "NotImplemented",
    505: "HTTPVersionNotSupported",
}


def error_type(status):
    """The x-fc-error-type of an answer the runtime gives for a request it could not take."""
    if status in _ERROR_TYPES:
        return _ERROR_TYPES[status]
    try:
        return "".join(w.capitalize() for w in HTTPStatus(status).phrase.replace("-", " ").split())
    except ValueError:
        return "HTTPError"


class Response(object):
    def __init__(self, status, body=b"", headers=None, reason=None):
        self.status = status
        self.body = body
        self.headers = list(headers or [])
        self.reason = reason


def json_response(status, doc, headers=None):
    body = json.dumps(doc).encode("utf-8")
    return Response(status, body, [("Content-Type", "application/json")] + list(headers or []))


def text_response(status, text):
    return Response(status, (text + "\n").encode("utf-8"), [("Content-Type", "text/plain; charset=utf-8")])


class Server(ThreadingHTTPServer):
    """Serves on a socket already listening (fc_listen), so that none is refused between bind and serve."""
    daemon_threads = True

    def __init__(self, listening, handler_class):
        super().__init__(listening.getsockname()[:2], handler_class, bind_and_activate=False)
        self.socket.close()
        self.socket = listening
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request, client_address):
        """Called for an exception that escaped a connection's handler: one line on stderr, no traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, CLIENT_GONE):
            fc_log.diagnostic("error while serving a connection on port %d: %s" % (self.server_address[1],
                                                                                   describe(error)))


def describe(error):
    """An exception in one line: its type, its message and where it was raised."""
    where = ""
    frames = traceback.extract_tb(error.__traceback__) if error is not None else []
    if frames:
        where = " (%s:%d)" % (frames[-1].filename.rsplit("/", 1)[-1], frames[-1].lineno)
    return "%s: %s%s" % (type(error).__name__, error, where)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fc-runtime"
    # An answer sent before the request line was understood still has a status line (http.server omits it
    # for what it takes to be HTTP/0.9, which this server does not speak).
    default_request_version = "HTTP/1.1"
    # TCP_NODELAY: http.server writes the headers and the body apart; with Nagle's algorithm the body waits
    # for the client's delayed ACK of the headers, 40 ms on Linux, on every keep-alive answer.
    disable_nagle_algorithm = True

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):  # no access log: stdout belongs to FC's lines
        pass

    def setup(self):
        BaseHTTPRequestHandler.setup(self)
        self.rfile.close()  # replaced by a reader whose every read is bounded by the client timeouts
        self._input = fc_request.ClientInput(self.connection, self.server.timeouts)
        self.rfile = io.BufferedReader(self._input)

    # ---- one request -------------------------------------------------------------------------------

    def handle_one_request(self):
        self.close_connection = True
        self.command, self.requestline, self.request_version = None, "", self.default_request_version
        self.body = b""
        self._answering = False
        self._linger = False
        reading = False
        try:
            if not self._input.await_request(self.rfile):
                return  # the client closed the connection, or left it idle too long
            reading = True
            handler = self._read_request()
            reading = False
            handler()
            self.wfile.flush()
        except fc_request.RequestError as e:
            self.refuse(e.status, e.message)
        except socket.timeout:
            if reading:
                self.refuse(408, "the request did not arrive within %d seconds of its first byte"
                            % self.server.timeouts.read)
            self.close_connection = True
        except CLIENT_GONE:
            self.close_connection = True
        except Exception as e:
            fc_log.diagnostic("error while serving %s on port %d: %s"
                              % (self.command or "a request", self.server.server_address[1], describe(e)))
            if not self._answering:
                self._headers_buffer = []  # an answer built halfway is not sent
                self.refuse(500, "the runtime failed to serve the request")
            self.close_connection = True

    def _read_request(self):
        """Reads the head and the whole body into self.body; returns the do_<method> to run."""
        head = fc_request.read_head(self.rfile)
        self.command, self.path, self.request_version = head.method, head.target, head.version
        self.requestline, self.headers = head.requestline, head.headers
        handler = getattr(self, "do_" + head.method, None)
        if handler is None:
            raise fc_request.RequestError(501, "method %s is not supported" % head.method)
        if head.target == "*":  # OPTIONS * asks about the server as a whole, not a resource (RFC 9110 9.3.7)
            handler = self._answer_server_options
        length = fc_request.body_length(head, MAX_REQUEST_BODY)
        if length and head.expects_continue():
            # invited only now: a body to be refused (413) must not be sent at all
            self.send_response_only(100)
            self.end_headers()
        self.body = fc_request.read_body(self.rfile, length, MAX_REQUEST_BODY)
        self._input.request_read()
        self.close_connection = not head.keep_alive()
        return handler

    # ---- answers -----------------------------------------------------------------------------------

    def allowed_methods(self):
        """The methods this port serves, for OPTIONS *."""
        return [m for m in _METHODS if hasattr(self, "do_" + m)]

    def _answer_server_options(self):
        self.send(Response(200, b"", [("Allow", ", ".join(self.allowed_methods()))]))

    def error_response(self, status, error_type, message):
        """The answer to a request the runtime refuses; the invocation port answers FC's JSON error body."""
        return text_response(status, message)

    def refuse(self, status, message):
        """Answers status, then closes the connection: the rest of the request may still be unread."""
        self.close_connection = True
        self._linger = True
        response = self.error_response(status, error_type(status), message)
        response.headers.append(("Connection", "close"))
        try:
            self.send(response)
        except CLIENT_GONE:
            pass

    def send_error(self, code, message=None, explain=None):
        """http.server's own error answers take the runtime's form too."""
        self.refuse(code, message or explain or HTTPStatus(code).phrase)

    def send(self, response):
        # Writing is bounded like reading: a client that takes none of the answer for the read timeout is
        # dropped, so it does not keep its invocation's slot.
        self.connection.settimeout(self.server.timeouts.read)
        self.send_response(response.status, response.reason)
        for name, value in response.headers:
            self.send_header(name, value)  # buffered; a value latin-1 cannot encode raises here, unsent
        self.send_header("Content-Length", str(len(response.body)))
        self._answering = True  # from here on bytes go out: a failure can only drop the connection
        self.end_headers()
        if self.command != "HEAD":
            body = memoryview(response.body)
            for start in range(0, len(body), _WRITE_SLICE):
                self.wfile.write(body[start:start + _WRITE_SLICE])
        self.wfile.flush()

    def finish(self):
        try:
            BaseHTTPRequestHandler.finish(self)
        except CLIENT_GONE:
            pass
        if self._linger:
            self._drain_before_close()

    def _drain_before_close(self):
        try:
            self.connection.shutdown(socket.SHUT_WR)  # the client sees the end of the answer
            until = time.monotonic() + LINGER_SECONDS
            while True:
                left = until - time.monotonic()
                if left <= 0:
                    return
                self.connection.settimeout(left)
                if not self.connection.recv(65536):
                    return
        except OSError:
            pass  # gone, reset or timed out: closing is all that is left


def serve(port, handler_class, app, name, timeouts, listening=None):
    """Serves 0.0.0.0:port (on listening, if it is already bound) in a background thread; handlers reach app as
    self.server.app."""
    server = Server(listening if listening is not None else fc_listen.listen(port), handler_class)
    server.app = app
    server.timeouts = timeouts
    threading.Thread(target=server.serve_forever, name=name, daemon=True).start()
    return server
