"""The termination message (JSON, at most 4096 bytes) and the process exit that follows it."""
import copy
import json
import os
import sys
import threading

from . import fc_log

LIMIT = 4096
CUT_MARK = "... [truncated]"
# The message of a provisional termination message: what is left when the process is killed.
KILLED = "the runtime was killed before it could write why it ended"
# The free-text fields that may be shortened, in the document.
_CUTTABLE = (("message",), ("error",), ("initializer", "error"), ("preStop", "error"))


def one_line(text, limit=200):
    """The first line of text, at most limit characters: for the message meant for humans."""
    line = text.strip().split("\n", 1)[0] if text.strip() else ""
    return line if len(line) <= limit else line[:limit] + "..."


def _dump(doc):
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _get(doc, path):
    for key in path:
        if not isinstance(doc, dict) or key not in doc:
            return None
        doc = doc[key]
    return doc if isinstance(doc, str) else None


def _set(doc, path, value):
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


def render(doc, limit=LIMIT):
    """UTF-8 JSON of doc, its longest texts cut (whole characters, so still valid JSON) to fit limit bytes."""
    doc = copy.deepcopy(doc)
    data = _dump(doc)
    while len(data) > limit:
        candidates = [(len(_get(doc, p)), p) for p in _CUTTABLE if _get(doc, p) is not None]
        length, path = max(candidates) if candidates else (0, None)
        if length <= len(CUT_MARK):
            return _dump({"exitReason": doc.get("exitReason"), "message": "termination message too long"})
        text = _get(doc, path)
        low, high = 0, length - len(CUT_MARK)  # the longest prefix that fits, found by bisection
        while low < high:
            middle = (low + high + 1) // 2
            _set(doc, path, text[:middle] + CUT_MARK)
            if len(_dump(doc)) <= limit:
                low = middle
            else:
                high = middle - 1
        _set(doc, path, text[:low] + CUT_MARK)
        data = _dump(doc)
    return data


class Exit(object):
    """Records why the process ends (the first claim wins) and ends it after writing the message.

    Before that, provisional() keeps a message without exitReason in the file, so that a process
    killed without a chance to write (SIGKILL, out of memory) still leaves what it had done.
    """

    def __init__(self, path, snapshot):
        self._path = path
        self._snapshot = snapshot  # (provisional) -> dict of "initialized", "coldStart", "initializer", "preStop", "error"
        self._claim_lock = threading.Lock()
        self._exit_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._final = False
        self._claim = None

    def claim(self, kind, message):
        """Records why the process ends (an fc_exits.ExitKind) unless an earlier claim did; True if this one."""
        with self._claim_lock:
            if self._claim is None:
                self._claim = (kind.reason, kind.code, message)
                return True
            return False

    def claimed(self):
        with self._claim_lock:
            return self._claim

    def provisional(self):
        """Writes the message as it stands, without exitReason, unless the final one is being written."""
        try:
            doc = {"message": KILLED}
            doc.update(self._snapshot(True))
        except BaseException as e:
            fc_log.diagnostic("could not build the termination message: %r" % (e,))
            return
        with self._write_lock:
            if not self._final:
                self.write(doc)

    def exit_now(self):
        """Writes the termination message and exits; never returns (a second caller just waits)."""
        self._exit_lock.acquire()
        code = 1
        try:
            reason, code, message = self.claimed() or ("Stopped", 0, "stopped")
            doc = {"exitReason": reason, "message": message}
            doc.update(self._snapshot(False))
            with self._write_lock:
                self._final = True
                self.write(doc)
        except BaseException as e:
            fc_log.diagnostic("could not build the termination message: %r" % (e,))
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except Exception:
                    pass
            os._exit(code)

    def write(self, doc):
        if not self._path:
            return
        try:
            with open(self._path, "wb") as f:
                f.write(render(doc))
        except OSError as e:
            fc_log.diagnostic("could not write the termination message to %s: %s" % (self._path, e))
