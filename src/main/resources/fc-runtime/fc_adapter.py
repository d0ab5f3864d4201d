"""A custom runtime's adapter (docs/runtime-contract.md, "Custom runtimes: the adapter"): the user's program is an
HTTP server on 127.0.0.1:FC_CUSTOM_LISTEN_PORT in the pod, and the hooks and invocations reach it as FC sends them:
POST /initialize, GET /pre-stop, POST /invoke for an event, the request as it came for an HTTP function; each
with x-fc-request-id and FC's other x-fc-* headers. 2xx is success, anything else is failure.

fc_lifecycle.Lifecycle keeps what it keeps for Python (the Initializer at most once within its timeout, PreStop
exactly once after the drain, FC's log lines, the termination message); this module is only the calls.
"""
import http.client
import socket
import time
from urllib.parse import urlsplit

from . import fc_http
from . import fc_invoke
from . import fc_termination

HOST = "127.0.0.1"
# How long the adapter waits between two connection attempts while the user's server is not listening yet.
CONNECT_RETRY_SECONDS = 0.05
# A hook's call is bounded by its timeout in fc_call; the socket's own timeout only frees the worker afterwards.
SOCKET_SLACK_SECONDS = 5
# Headers that belong to one connection (RFC 9110 section 7.6.1), not to the request or answer forwarded.
_HOP_BY_HOP = frozenset(("connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
                         "upgrade", "content-length", "host"))
# FC's bound on a synchronous invocation's answer, as on its request (fc_http.MAX_REQUEST_BODY): a larger answer of
# the user's server is not passed on (nor held whole in the adapter's memory).
MAX_ANSWER_BODY = fc_http.MAX_REQUEST_BODY
# The hooks' paths on the user's server: an HTTP function's caller cannot reach them (the Initializer runs once).
RESERVED_PATHS = ("/initialize", "/pre-stop")
# How much of a failing answer's body goes into the error message.
_BODY_EXCERPT = 300


class ServerError(Exception):
    """The user's server could not be reached, or answered a hook with a status other than 2xx."""


class ServerNotStarted(ServerError):
    """The user's server did not listen within its share of the startup probe's hold."""


def fc_headers(config, request_id, control_path):
    """FC's x-fc-* request headers of a call to the user's server (fc-facts: the custom runtime contract)."""
    headers = [
        ("x-fc-request-id", request_id),
        ("x-fc-function-name", config.function_name),
        ("x-fc-function-handler", config.handler),
        ("x-fc-function-memory", str(config.memory)),
        ("x-fc-function-timeout", str(config.timeout)),
        ("x-fc-region", config.region),
        ("x-fc-account-id", config.account_id),
        ("x-fc-qualifier", config.qualifier),
        ("x-fc-service-name", config.service_name),
        ("x-fc-instance-id", config.instance_id),
        ("x-fc-control-path", control_path),
    ]
    if config.initializer:
        headers += [("x-fc-function-initializer", config.initializer),
                    ("x-fc-initialization-timeout", str(config.initialization_timeout))]
    if config.pre_stop:
        headers += [("x-fc-instance-lifecycle-pre-stop-handler", config.pre_stop)]
    for name, value in (("x-fc-access-key-id", config.access_key_id),
                        ("x-fc-access-key-secret", config.access_key_secret),
                        ("x-fc-security-token", config.security_token)):
        if value:
            headers.append((name, value))
    return [(name, value) for name, value in headers if value]


def _excerpt(body):
    # a character cut at the excerpt's end is dropped, not shown as U+FFFD
    text = body[:_BODY_EXCERPT].decode("utf-8", "ignore").strip()
    return fc_termination.one_line(text) if text else ""


class Upstream(object):
    """The user's server on 127.0.0.1:port: one connection per call."""

    def __init__(self, port):
        self.port = port

    def where(self):
        return "%s:%d" % (HOST, self.port)

    def await_listening(self, seconds):
        """Returns once a connection to the server succeeds; raises ServerNotStarted after seconds."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                socket.create_connection((HOST, self.port), timeout=1).close()
                return
            except OSError as e:
                last = e.strerror or type(e).__name__
            if time.monotonic() + CONNECT_RETRY_SECONDS >= deadline:
                raise ServerNotStarted("nothing listened on %s within %d s (%s): the server must listen on the "
                                       "function's customContainerConfig.port or customRuntimeConfig.port"
                                       % (self.where(), seconds, last))
            time.sleep(CONNECT_RETRY_SECONDS)

    def exchange(self, method, target, headers, body, timeout):
        """(status, reason, headers, body) of one request; raises ServerError when no whole answer came."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", self.where())
            for name, value in headers:
                connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            answer = connection.getresponse()
            data = answer.read(MAX_ANSWER_BODY + 1)
            if len(data) > MAX_ANSWER_BODY:
                raise ServerError("the function's server on %s answered more than %d bytes (FC's bound on a "
                                  "synchronous invocation's answer)" % (self.where(), MAX_ANSWER_BODY))
            return answer.status, answer.reason, answer.getheaders(), data
        except (OSError, http.client.HTTPException) as e:
            broken = isinstance(e, (http.client.HTTPException, ConnectionResetError))
            raise ServerError("the function's server on %s %s: %s" % (
                self.where(), "gave no whole answer" if broken else "could not be reached", fc_http.describe(e)))
        finally:
            connection.close()


class ServerCode(object):
    """fc_lifecycle.Lifecycle's code for a custom runtime: the hooks are HTTP calls to the user's server."""

    def __init__(self, config, upstream=None):
        self._config = config
        self.upstream = upstream if upstream is not None else Upstream(config.custom_listen_port)

    def start_seconds(self):
        """How long the server may take to listen, before the Initializer's clock starts: the startup probe's
        hold less the Initializer's timeout (10 s as the operator sets them, HookTimingPolicy), at least 1 s."""
        config = self._config
        return max(1, config.startup_probe_hold - (config.initialization_timeout if config.initializer else 0))

    def start(self):
        """Returns once the server listens; raises ServerNotStarted when it did not within start_seconds()."""
        self.upstream.await_listening(self.start_seconds())

    def initialize(self, context):
        """POST /initialize, if an Initializer is configured (fc_call bounds it by the Initializer's timeout)."""
        if self._config.initializer:
            self._hook("POST", "/initialize", context, self._config.initialization_timeout)

    def pre_stop(self, context):
        self._hook("GET", "/pre-stop", context, self._config.pre_stop_timeout)

    def _hook(self, method, path, context, timeout):
        headers = fc_headers(self._config, context.request_id, path)
        if method == "POST":
            headers.append(("Content-Type", "application/octet-stream"))
        status, _, _, body = self.upstream.exchange(method, path, headers, b"", timeout + SOCKET_SLACK_SECONDS)
        if not 200 <= status < 300:
            excerpt = _excerpt(body)
            raise ServerError("%s %s answered HTTP %d%s" % (method, path, status, ": " + excerpt if excerpt else ""))

    def failure(self, outcome):
        """(the text logged, the termination message's one line) of an Initializer (or start) that failed."""
        error = outcome.error_message() if isinstance(outcome.error, ServerError) else outcome.traceback_text()
        if self._config.initializer and not isinstance(outcome.error, ServerNotStarted):
            return error, "Initializer %s failed: %s" % (self._config.initializer, fc_termination.one_line(error))
        return error, "The function's server did not start: %s" % fc_termination.one_line(error)

    @staticmethod
    def pre_stop_failure(outcome):
        return outcome.error_message() if isinstance(outcome.error, ServerError) else outcome.traceback_text()


class ServerCalls(object):
    """fc_invoke.Invoker's calls for a custom runtime: each invocation forwarded to the user's server."""

    def __init__(self, config, upstream):
        self._config = config
        self._upstream = upstream

    def call(self, request, context, http):
        return self._forward, (request, context, http)

    def _forward(self, request, context, http):
        config = self._config
        if http:
            if urlsplit(request.target).path in RESERVED_PATHS:
                body = ("%s is the lifecycle hooks' path on the function's server, not an HTTP function's"
                        % urlsplit(request.target).path).encode("utf-8")
                return 404, "Not Found", [("Content-Type", "text/plain; charset=utf-8"),
                                          ("x-fc-error-type", "NotFound")], body
            headers = [(name, value) for name, value in request.headers.items()
                       if name.lower() not in _HOP_BY_HOP and not name.lower().startswith("x-fc-")]
            method, target = request.method, request.target
        else:
            content_type = request.headers.get("Content-Type") or "application/octet-stream"
            headers = [("Content-Type", content_type)]
            method, target = "POST", "/invoke"
        headers += fc_headers(config, context.request_id, "/http-invoke" if http else "/invoke")
        # fc_call bounds the call by FC_TIMEOUT; the socket's timeout only frees this worker afterwards.
        return self._upstream.exchange(method, target, headers, request.body, config.timeout + SOCKET_SLACK_SECONDS)

    @staticmethod
    def answer(value, http):
        """The server's answer as it came (less its connection's headers). For an event function, a status
        other than 2xx, or FC's x-fc-status: 404, is the function's error (x-fc-error-type
        UnhandledInvocationError), its body passed on."""
        status, reason, headers, body = value
        kept = [(name, value) for name, value in headers
                if name.lower() not in _HOP_BY_HOP and name.lower() != "x-fc-request-id"]
        if http:
            return fc_http.Response(status, body, kept, reason), False
        failed = not 200 <= status < 300 or any(
            name.lower() == "x-fc-status" and value.strip() == "404" for name, value in headers)
        if failed:
            kept = [(n, v) for n, v in kept if n.lower() != "x-fc-error-type"]
            kept.append(("x-fc-error-type", "UnhandledInvocationError"))
        return fc_http.Response(status, body, kept, reason), failed

    def failure(self, outcome, http):
        """A server that could not be reached or broke off its answer: 502 FunctionUnavailable."""
        text = outcome.error_message() if isinstance(outcome.error, ServerError) else outcome.traceback_text()
        return text, fc_invoke.error_response(502, "FunctionUnavailable", text)
