"""stdout as FC prints it: the hook and invocation markers and the user's request logger."""
import logging
import sys
import threading
import time

_lock = threading.Lock()
_out = sys.stdout
ERROR_SUFFIX = ", Error: Unhandled function error"


def setup_stdio():
    """Unbuffered stdout and stderr, so lines reach the pod log as they are written."""
    global _out
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(line_buffering=True, write_through=True)
        except (AttributeError, ValueError):
            pass
    _out = sys.stdout


def emit(text):
    """Writes text as whole lines to stdout in one write, never interleaved with another emit."""
    if not text.endswith("\n"):
        text += "\n"
    with _lock:
        try:
            _out.write(text)
            _out.flush()
        except (OSError, ValueError):
            pass  # nobody reads stdout any more: the hooks must still run and the process still exit


def diagnostic(text):
    """The runtime's own remarks (not FC's format) go to stderr, one line each: a line end in text (which may
    carry what a client sent) is escaped, so a remark cannot pass for another line of the log."""
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    try:
        sys.stderr.write("fc-runtime: %s\n" % text)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def start(kind, request_id):
    emit("FC %s Start RequestId: %s" % (kind, request_id))


def end(kind, request_id, failed=False):
    emit("FC %s End RequestId: %s%s" % (kind, request_id, ERROR_SUFFIX if failed else ""))


class _Formatter(logging.Formatter):
    """`2024-03-04 09:57:28.192 <request id> [info] message`, timestamp in UTC."""

    def format(self, record):
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(record.created))
        text = record.getMessage()
        if record.exc_info:
            text = "%s\n%s" % (text, self.formatException(record.exc_info))
        if record.stack_info:
            text = "%s\n%s" % (text, self.formatStack(record.stack_info))
        return "%s.%03d %s [%s] %s" % (stamp, int(record.msecs), getattr(record, "fc_request_id", ""),
                                       record.levelname.lower(), text)


class _StdoutHandler(logging.Handler):
    def emit(self, record):
        try:
            emit(self.format(record))
        except Exception:
            self.handleError(record)


_base = logging.getLogger("fc")
_base.propagate = False
_base.setLevel(logging.INFO)
_handler = _StdoutHandler()
_handler.setFormatter(_Formatter())
_base.addHandler(_handler)


def request_logger(request_id):
    """The logger behind context.get_logger(): every line carries the request id."""
    return logging.LoggerAdapter(_base, {"fc_request_id": request_id})
