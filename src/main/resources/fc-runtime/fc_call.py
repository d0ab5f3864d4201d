"""Runs a user function in its own thread, bounded by a timeout (a stuck thread cannot be killed)."""
import os
import threading
import time
import traceback

_RUNTIME_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep

SUCCEEDED = "succeeded"
FAILED = "failed"
TIMEOUT = "timeout"


class Outcome(object):
    def __init__(self, status, duration_ms, value=None, error=None, stack=None):
        self.status = status
        self.duration_ms = duration_ms
        self.value = value
        self.error = error      # the exception, when status is FAILED
        self.stack = stack or []  # the user's frames (not the runtime's), formatted, when status is FAILED

    def error_type(self):
        return type(self.error).__name__ if self.error is not None else ""

    def error_message(self):
        return str(self.error) if self.error is not None else ""

    def traceback_text(self):
        """Python's usual "Traceback (most recent call last)" text, without the runtime's frames."""
        if self.error is None:
            return ""
        only = "".join(traceback.format_exception_only(type(self.error), self.error))
        return "Traceback (most recent call last):\n%s%s" % ("".join(self.stack), only)


def call(fn, args, timeout, name="fc-call"):
    """Calls fn(*args); waits at most timeout seconds (None: no bound)."""
    box = {}
    done = threading.Event()

    def run():
        try:
            box["value"] = fn(*args)
        except BaseException as e:  # the user's SystemExit too: it must not end the runtime
            box["error"] = e
            frames = [f for f in traceback.extract_tb(e.__traceback__) if not f.filename.startswith(_RUNTIME_DIR)]
            box["stack"] = traceback.format_list(frames)
        finally:
            done.set()

    started = time.monotonic()
    threading.Thread(target=run, name=name, daemon=True).start()
    finished = done.wait(timeout)
    duration_ms = int((time.monotonic() - started) * 1000)
    if not finished:
        return Outcome(TIMEOUT, duration_ms)
    if "error" in box:
        return Outcome(FAILED, duration_ms, error=box["error"], stack=box["stack"])
    return Outcome(SUCCEEDED, duration_ms, value=box.get("value"))
