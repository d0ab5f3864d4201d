"""Runs a user function in a worker thread, bounded by a timeout (a stuck thread cannot be killed)."""
import os
import threading
import time
import traceback
# Imported lazily by traceback (to place its carets, 3.11+) and linecache (to read a frame's source, 3.13+): imported
# here, before the user's folders are on sys.path, so that a user's ast.py or tokenize.py is not taken for them.
import ast  # noqa: F401,E402
import tokenize  # noqa: F401,E402

_RUNTIME_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep

SUCCEEDED = "succeeded"
FAILED = "failed"
TIMEOUT = "timeout"


def user_frames(tb):
    """The frames of a traceback that are not the runtime's own."""
    return [f for f in traceback.extract_tb(tb) if not f.filename.startswith(_RUNTIME_DIR)]


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


class _Worker(object):
    """A daemon thread that runs one call at a time. Starting a thread costs more than a typical invocation
    (PythonRuntimeBench), so an idle worker takes the next call; a worker stuck in a call that timed out is
    simply never idle again. A worker is made only when none is idle: about as many as calls ever ran at
    once. Plain locks serve as the signals (cheaper than Events, which are a Condition each)."""

    _idle = []
    _idle_lock = threading.Lock()

    def __init__(self):
        self._task = None
        self._wake = threading.Lock()
        self._wake.acquire()
        threading.Thread(target=self._loop, name="fc-worker", daemon=True).start()

    @classmethod
    def take(cls):
        with cls._idle_lock:
            if cls._idle:
                return cls._idle.pop()
        return cls()

    def submit(self, task):
        self._task = task
        self._wake.release()

    def _loop(self):
        while True:
            self._wake.acquire()
            task, self._task = self._task, None
            task()
            with _Worker._idle_lock:
                _Worker._idle.append(self)


def call(fn, args, timeout, name="fc-call"):
    """Calls fn(*args) in a worker thread (named name while it runs); waits at most timeout seconds (None: no
    bound)."""
    box = {}
    done = threading.Lock()
    done.acquire()  # released when the call is over

    def run():
        thread = threading.current_thread()
        thread.name = name
        try:
            box["value"] = fn(*args)
        except BaseException as e:  # the user's SystemExit too: it must not end the runtime
            box["error"] = e
            box["stack"] = traceback.format_list(user_frames(e.__traceback__))
        finally:
            thread.name = "fc-worker"
            done.release()

    started = time.monotonic()
    _Worker.take().submit(run)
    finished = done.acquire(timeout=-1 if timeout is None else timeout)
    duration_ms = int((time.monotonic() - started) * 1000)
    if not finished:
        return Outcome(TIMEOUT, duration_ms)
    if "error" in box:
        return Outcome(FAILED, duration_ms, error=box["error"], stack=box["stack"])
    return Outcome(SUCCEEDED, duration_ms, value=box.get("value"))
