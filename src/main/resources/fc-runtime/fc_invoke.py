"""Port 9000: one invocation = Invoke markers around the user's handler, bounded by FC_TIMEOUT."""
import json
import re
import uuid
from urllib.parse import urlsplit

from . import fc_call
from . import fc_http
from . import fc_log
from . import fc_slots
from . import fc_wsgi
from .fc_context import FCContext


def error_response(status, error_type, message, stack=None, error_class=None):
    """FC's error body; errorType is the exception's class for handler errors, else error_type."""
    doc = {"errorMessage": message, "errorType": error_class or error_type, "stackTrace": stack or []}
    return fc_http.json_response(status, doc, [("x-fc-error-type", error_type)])


# FC's request ids ("1-65e59b07-1520da26-bf73bbb91b69") and UUIDs fit; the id is printed into FC's log lines,
# so a value that could forge one (", Error: Unhandled function error", a line end) or flood it is not taken.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def request_id_of(headers):
    """The caller's x-fc-request-id when it is one valid value, else a new UUID."""
    given = headers.get_all("x-fc-request-id") or []
    if len(given) == 1 and _REQUEST_ID.fullmatch(given[0]):
        return given[0]
    return str(uuid.uuid4())


def _path_of(target):
    try:
        return urlsplit(target).path
    except ValueError:  # e.g. "http://[::1/invoke": not a target this server has
        return None


def encode_result(value):
    """The handler's return value as (body, content type): str, bytes, dict/list as JSON, None empty."""
    if value is None:
        return b"", "text/plain; charset=utf-8"
    if isinstance(value, (bytes, bytearray)):
        return bytes(value), "application/octet-stream"
    if isinstance(value, str):
        return value.encode("utf-8"), "text/plain; charset=utf-8"
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value).encode("utf-8"), "application/json"
    return str(value).encode("utf-8"), "text/plain; charset=utf-8"


class PythonHandlerCalls(object):
    """How the Python runtime calls the user's handler for one invocation and answers with what it returned."""

    def __init__(self, lifecycle):
        self._lifecycle = lifecycle

    def call(self, request, context, http):
        """(fn, args) that run the invocation in a worker thread, bounded by FC_TIMEOUT."""
        handler = self._lifecycle.code.functions.handler
        if http:
            return fc_wsgi.call_app, (handler, fc_wsgi.environ_for(request, context))
        return handler, (request.body, context)

    @staticmethod
    def answer(value, http):
        """(response, failed) for what the call returned; raises when the value cannot be answered."""
        if http:
            status, reason, headers, body = value
            return fc_http.Response(status, body, headers, reason), False
        body, content_type = encode_result(value)
        return fc_http.Response(200, body, [("Content-Type", content_type)]), False

    @staticmethod
    def failure(outcome, http):
        """(the text logged, the answer) of a call that raised."""
        return outcome.traceback_text(), error_response(502 if http else 200, "UnhandledInvocationError",
                                                outcome.error_message(), outcome.stack,
                                                error_class=outcome.error_type())


class Invoker(object):
    def __init__(self, config, slots, lifecycle, calls):
        """calls runs one invocation: PythonHandlerCalls, or fc_adapter.ServerCalls for a custom runtime's server."""
        self.config = config
        self._slots = slots
        self._lifecycle = lifecycle
        self._calls = calls

    def handle(self, request_id, request, send):
        """Answers one request through send(Response); the slot is held until the answer is sent."""
        refusal = self._lifecycle.refusal()
        if refusal is not None:
            send(self._refused(refusal))
            return
        got = self._slots.acquire(self.config.timeout)
        if got == fc_slots.BUSY:
            send(error_response(429, "ConcurrencyLimitExceeded",
                        "no free slot within %d seconds: FC_INSTANCE_CONCURRENCY is %d"
                        % (self.config.timeout, self.config.concurrency)))
            return
        if got == fc_slots.CLOSED:
            send(self._refused("InstanceStopping"))
            return
        try:
            refusal = self._lifecycle.refusal()
            send(self._refused(refusal) if refusal is not None else self._run(request_id, request))
        finally:
            self._slots.release()

    @staticmethod
    def _refused(error_type):
        text = "the instance is stopping" if error_type == "InstanceStopping" else "the instance is not initialized"
        return error_response(503, error_type, text)

    def _run(self, request_id, request):
        config = self.config
        context = FCContext(request_id, config)
        http = config.handler_type == "http"
        fn, args = self._calls.call(request, context, http)
        fc_log.start("Invoke", request_id)
        outcome = fc_call.call(fn, args, config.timeout, "fc-invoke")
        if outcome.status == fc_call.TIMEOUT:
            message = "Function timed out after %d seconds" % config.timeout
            context.get_logger().error(message)
            fc_log.end("Invoke", request_id, failed=True)
            self._lifecycle.retire("Invocation %s ran past FC_TIMEOUT (%d s); the instance was retired"
                                   % (request_id, config.timeout))
            return error_response(504 if http else 200, "FunctionTimeout", message)
        if outcome.status == fc_call.SUCCEEDED:
            try:
                response, failed = self._calls.answer(outcome.value, http)
                fc_log.end("Invoke", request_id, failed=failed)
                return response
            except Exception as e:
                outcome = fc_call.Outcome(fc_call.FAILED, outcome.duration_ms, error=e)
        text, response = self._calls.failure(outcome, http)
        context.get_logger().error(text)
        fc_log.end("Invoke", request_id, failed=True)
        return response


class InvokeHandler(fc_http.Handler):
    def error_response(self, status, error_type, message):
        return error_response(status, error_type, message)

    def allowed_methods(self):
        if self.server.app.config.handler_type == "event":
            return ["POST"]
        return fc_http.Handler.allowed_methods(self)

    def _dispatch(self):
        invoker = self.server.app
        request_id = request_id_of(self.headers)

        def send(response):
            response.headers.append(("x-fc-request-id", request_id))
            self.send(response)

        if invoker.config.handler_type == "event":
            if _path_of(self.path) != "/invoke":
                send(error_response(404, "NotFound", "event functions are invoked with POST /invoke"))
                return
            if self.command != "POST":
                send(error_response(405, "MethodNotAllowed", "event functions are invoked with POST /invoke"))
                return
        request = fc_wsgi.Request(self.command, self.path, self.request_version, self.headers, self.body,
                                  self.client_address, self.server.server_address[1])
        invoker.handle(request_id, request, send)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _dispatch
