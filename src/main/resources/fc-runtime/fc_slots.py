"""At most N invocations at once; the rest wait their turn in arrival order for a bounded time."""
import collections
import threading

GRANTED = "granted"
BUSY = "busy"      # no slot freed up within the wait
CLOSED = "closed"  # the instance stopped taking invocations


class _Waiter(object):
    def __init__(self):
        self.event = threading.Event()
        self.granted = False


class Slots(object):
    def __init__(self, limit):
        self._limit = limit
        self._busy = 0
        self._waiters = collections.deque()
        self._closed = False
        self._cond = threading.Condition()

    def acquire(self, wait_seconds):
        with self._cond:
            if self._closed:
                return CLOSED
            if self._busy < self._limit and not self._waiters:
                self._busy += 1
                return GRANTED
            waiter = _Waiter()
            self._waiters.append(waiter)
        waiter.event.wait(wait_seconds)
        with self._cond:
            if waiter.granted:
                return GRANTED
            if waiter in self._waiters:
                self._waiters.remove(waiter)
            return CLOSED if self._closed else BUSY

    def release(self):
        with self._cond:
            if self._waiters:  # hand the slot to the longest waiting request
                waiter = self._waiters.popleft()
                waiter.granted = True
                waiter.event.set()
                return
            self._busy -= 1
            self._cond.notify_all()

    def close(self):
        """No new invocations; those waiting for a slot are refused at once."""
        with self._cond:
            self._closed = True
            while self._waiters:
                self._waiters.popleft().event.set()

    def wait_idle(self, timeout):
        """True once no invocation holds a slot, False if some still do after timeout seconds."""
        with self._cond:
            return self._cond.wait_for(lambda: self._busy == 0, timeout)

    def busy(self):
        with self._cond:
            return self._busy
