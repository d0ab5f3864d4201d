"""Calls an HTTP function: a WSGI application (PEP 3333) with FC's extra environ keys."""
import io
import sys
from urllib.parse import unquote

_HOP_BY_HOP = ("connection", "content-length", "keep-alive", "transfer-encoding", "upgrade")


class Request(object):
    def __init__(self, method, target, version, headers, body, client, server_port):
        self.method = method
        self.target = target   # path and query as sent
        self.version = version
        self.headers = headers  # email.message.Message
        self.body = body
        self.client = client
        self.server_port = server_port


def _server_name(host):
    """Host without its port; an IPv6 literal keeps its brackets (RFC 3875 section 4.1.14)."""
    if host.startswith("["):
        return host[:host.find("]") + 1]
    return host.split(":", 1)[0]


def environ_for(request, context):
    path, _, query = request.target.partition("?")
    host = request.headers.get("Host") or "localhost:%d" % request.server_port
    environ = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote(path, "latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": _server_name(host),
        "SERVER_PORT": str(request.server_port),
        "SERVER_PROTOCOL": request.version,
        "REMOTE_ADDR": request.client[0] if request.client else "",
        "CONTENT_LENGTH": str(len(request.body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(request.body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "fc.context": context,
        "fc.request_uri": "http://%s%s" % (host, request.target),
    }
    if request.headers.get("Content-Type"):
        environ["CONTENT_TYPE"] = request.headers.get("Content-Type")
    for name in set(n.lower() for n in request.headers.keys()):
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            continue
        environ["HTTP_" + key] = ",".join(request.headers.get_all(name))
    return environ


def call_app(app, environ):
    """Returns (status code, reason, headers, body bytes); raises what the application raises."""
    state = {}
    written = []

    def start_response(status, headers, exc_info=None):
        if exc_info is None and "status" in state:
            raise AssertionError("start_response called a second time without exc_info")
        state["status"] = status
        state["headers"] = list(headers)
        return written.append

    result = app(environ, start_response)
    try:
        for chunk in result:
            if not isinstance(chunk, (bytes, bytearray)):
                raise TypeError("a WSGI application must yield bytes, got %s" % type(chunk).__name__)
            written.append(bytes(chunk))
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    if "status" not in state:
        raise RuntimeError("the WSGI application returned without calling start_response")
    code, _, reason = state["status"].partition(" ")
    headers = [(k, v) for k, v in state["headers"] if k.lower() not in _HOP_BY_HOP]
    return int(code), reason or None, headers, b"".join(written)
