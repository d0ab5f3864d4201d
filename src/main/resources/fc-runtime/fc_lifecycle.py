"""The instance's life: Initializer at most once, readiness, stopping, PreStop exactly once, retirement."""
import os
import threading
import time
import uuid

from . import fc_call
from . import fc_exits
from . import fc_log
from . import fc_termination
from .fc_context import FCContext

# The Initializer's states: before and while it runs, then how a call ended (fc_call's outcomes, which the
# termination message's "initializer"/"preStop" entries report as they are).
NOT_STARTED = "notStarted"
RUNNING = "running"
SUCCEEDED = fc_call.SUCCEEDED
FAILED = fc_call.FAILED
TIMEOUT = fc_call.TIMEOUT


def _new_request_id():
    return str(uuid.uuid4())


def process_started():
    """When this process started, on time.monotonic()'s clock: /proc/self/stat's start time (clock ticks after
    boot, 10 ms apart), else now. The container's start, for the cold-start phases."""
    try:
        with open("/proc/self/stat") as f:
            stat = f.read()
        ticks = int(stat[stat.rindex(")") + 2:].split()[19])
        since_boot = ticks / float(os.sysconf("SC_CLK_TCK"))
        return time.monotonic() - (time.clock_gettime(time.CLOCK_BOOTTIME) - since_boot)
    except (OSError, ValueError, IndexError, AttributeError):
        return time.monotonic()


class Lifecycle(object):
    def __init__(self, config, slots, code):
        """code runs the user's side of the hooks: fc_loader.PythonCode, or fc_adapter.ServerCode for a custom
        runtime's server; the Initializer's and PreStop's timeouts, once-only and log lines are this class's."""
        self._config = config
        self.code = code
        self._slots = slots
        # How the process ends, with this instance's record in the termination message.
        self._exit = fc_termination.Exit(config.termination_message_path, self.snapshot)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # the Initializer's state or stopping changed
        self._init_state = NOT_STARTED
        self._hold_until = None   # held startup probes answer 503 from then on (FC_STARTUP_PROBE_HOLD)
        self._init_started = None
        self._init_entry = None   # the termination message's "initializer" entry
        self._initialized = False  # the termination message's "initialized": set before probes see it
        self._load_error = None   # code-loading error when no Initializer is configured
        self._process_started = process_started()
        self._init_ended = None   # monotonic, once the Initializer succeeded
        self._ready_at = None     # monotonic, the first /ready answered 200: the kubelet marks the pod ready
        self._stopping = False
        self._retiring = False
        self._stop_done = None    # set once PreStop (or its skip) is over
        self._pre_stop_entry = None
        self._pre_stop_started = None

    # ---- Initializer -------------------------------------------------------------------------

    def begin(self):
        """Starts loading the code and the Initializer, as FC does once the instance has started: called as
        soon as the lifecycle port listens, so no probe has to arrive first. At most once."""
        with self._lock:
            if self._init_state != NOT_STARTED:
                return
            self._init_state = RUNNING
            self._init_started = time.monotonic()
            self._hold_until = self._init_started + self._config.startup_probe_hold
            self._changed.notify_all()
        threading.Thread(target=self._initialize, name="fc-initialize", daemon=True).start()

    def await_startup(self):
        """The startup probe, long-polled: waits until the Initializer has succeeded or failed, the instance is
        stopping, or the hold (FC_STARTUP_PROBE_HOLD after the runtime started it) ran out; returns the state."""
        with self._lock:
            # A probe can be served before begin(): the lifecycle port listens first, and a probe queued there
            # while the runtime loaded is answered at once. It waits for begin() too, not for nothing (503).
            not_begun_until = time.monotonic() + self._config.startup_probe_hold
            while self._init_state in (NOT_STARTED, RUNNING) and not self._stopping:
                hold_until = self._hold_until if self._hold_until is not None else not_begun_until
                remaining = hold_until - time.monotonic()
                if remaining <= 0:
                    break
                self._changed.wait(remaining)
            return self._init_state

    def _set_init_state(self, state):
        with self._lock:
            self._init_state = state
            self._changed.notify_all()

    def _initialize(self):
        config = self._config
        request_id = _new_request_id()
        context = FCContext(request_id, config)
        configured = config.initializer is not None
        # What must be up before the Initializer's clock starts (a custom runtime's server listening); bounded
        # by the code itself within the startup probe's hold.
        started = fc_call.call(self.code.start, (), None, "fc-start")
        if started.status != fc_call.SUCCEEDED:
            error, message = self.code.failure(started)
            self._fail(FAILED, fc_exits.INITIALIZER_FAILED, context, error, message,
                       {"status": "skipped"} if configured else None, None)
            return
        if configured:
            fc_log.start("Initialize", request_id)

        outcome = fc_call.call(self.code.initialize, (context,),
                               config.initialization_timeout if configured else None, "fc-initializer")
        if outcome.status == fc_call.SUCCEEDED:
            with self._lock:
                self._init_ended = time.monotonic()
                self._initialized = True
                if configured:
                    self._init_entry = {"status": SUCCEEDED, "durationMs": outcome.duration_ms}
            # On file before the startup probe can pass: a kill from now on (out of memory, SIGKILL)
            # still leaves a message saying the instance was initialized.
            self._exit.provisional()
            self._set_init_state(SUCCEEDED)
            if configured:
                fc_log.end("Initialize", request_id)
            return
        if outcome.status == fc_call.TIMEOUT:
            error = "Initializer %s timed out after %d seconds" % (config.initializer, config.initialization_timeout)
            state, kind = TIMEOUT, fc_exits.INITIALIZER_TIMEOUT
            message = error
        else:
            error, message = self.code.failure(outcome)
            state, kind = FAILED, fc_exits.INITIALIZER_FAILED
        entry = {"status": state, "durationMs": outcome.duration_ms, "error": error} if configured else None
        self._fail(state, kind, context, error, message, entry, request_id if configured else None)

    def _fail(self, state, kind, context, error, message, entry, request_id):
        """The Initializer (or the code's load or start) failed: logged, recorded, and the process exits; with
        request_id, the Initializer's End line (failed) is printed."""
        context.get_logger().error(error)
        with self._lock:
            if entry is not None:
                self._init_entry = entry
            if entry is None or entry.get("status") == "skipped":
                self._load_error = error
        self._set_init_state(state)
        if request_id is not None:
            fc_log.end("Initialize", request_id, failed=True)
        self._exit.claim(kind, message)
        self._exit.exit_now()

    @property
    def exit(self):
        """The process's end (fc_termination.Exit), which writes this instance's snapshot."""
        return self._exit

    def initialized(self):
        with self._lock:
            return self._init_state == SUCCEEDED

    def ready(self):
        """The readiness probe. Its first 200 is when the kubelet marks the instance ready: that moment goes
        into the termination message's coldStart, written at once (provisional)."""
        with self._lock:
            ready = self._init_state == SUCCEEDED and not self._stopping
            first = ready and self._ready_at is None
            if first:
                self._ready_at = time.monotonic()
        if first:
            self._exit.provisional()
        return ready

    def stopping(self):
        with self._lock:
            return self._stopping

    def refusal(self):
        """None when invocations are taken, else the x-fc-error-type to answer with (status 503)."""
        with self._lock:
            if self._stopping:
                return "InstanceStopping"
            if self._init_state != SUCCEEDED:
                return "InstanceNotReady"
            return None

    # ---- Stopping ----------------------------------------------------------------------------

    def stop(self):
        """Stops taking invocations, drains, runs PreStop once; later callers wait and get the same entry."""
        with self._lock:
            self._stopping = True
            self._changed.notify_all()
            first = self._stop_done is None
            if first:
                self._stop_done = threading.Event()
            done = self._stop_done
        if not first:
            done.wait()
            return self._pre_stop_entry
        try:
            self._slots.close()
            if not self._slots.wait_idle(self._config.drain_timeout):
                fc_log.diagnostic("%d invocation(s) still running after FC_DRAIN_TIMEOUT (%d s); going on"
                                  % (self._slots.busy(), self._config.drain_timeout))
            self._pre_stop_entry = self._run_pre_stop()
            self._exit.provisional()
        finally:
            done.set()
        return self._pre_stop_entry

    def _run_pre_stop(self):
        config = self._config
        if config.pre_stop is None:
            return None
        if not self.initialized():
            return {"status": "skipped"}
        request_id = _new_request_id()
        context = FCContext(request_id, config)
        fc_log.start("PreStop", request_id)
        with self._lock:
            self._pre_stop_started = time.monotonic()
        self._exit.provisional()
        outcome = fc_call.call(self.code.pre_stop, (context,), config.pre_stop_timeout, "fc-pre-stop")
        entry = {"status": outcome.status, "durationMs": outcome.duration_ms}
        if outcome.status == fc_call.TIMEOUT:
            entry["error"] = "PreStop %s timed out after %d seconds" % (config.pre_stop, config.pre_stop_timeout)
        elif outcome.status == fc_call.FAILED:
            entry["error"] = self.code.pre_stop_failure(outcome)
        if "error" in entry:
            context.get_logger().error(entry["error"])
        fc_log.end("PreStop", request_id, failed="error" in entry)
        return entry

    def retire(self, message):
        """After an invocation timeout: refuse invocations, drain, PreStop, exit 3 (InvocationTimeout)."""
        with self._lock:
            if self._retiring:
                return
            self._retiring = True
            self._stopping = True
            self._changed.notify_all()
        self._slots.close()
        self._exit.claim(fc_exits.INVOCATION_TIMEOUT, message)

        def run():
            self.stop()
            self._exit.exit_now()

        threading.Thread(target=run, name="fc-retire", daemon=True).start()

    # ---- Termination message -----------------------------------------------------------------

    def snapshot(self, provisional=False):
        """The termination message's entries as they stand now. Provisional: for a message left in place
        in case the process is killed, so a hook still running has no duration yet."""
        config = self._config
        doc = {}
        with self._lock:
            doc["initialized"] = self._initialized
            cold_start = self._cold_start()
            if cold_start:
                doc["coldStart"] = cold_start
            if self._load_error is not None:
                doc["error"] = self._load_error
            if config.initializer is not None:
                doc["initializer"] = self._entry(self._init_entry, self._init_started, provisional)
            if config.pre_stop is not None:
                doc["preStop"] = self._entry(self._pre_stop_entry, self._pre_stop_started, provisional)
        return doc

    def _cold_start(self):
        """The phases of this instance's start that are known, in ms (docs/runtime-contract.md)."""
        phases = {}
        if self._init_started is not None:
            phases["initializerStartMs"] = _ms(self._init_started - self._process_started)
        if self._init_ended is not None:
            phases["initializerMs"] = _ms(self._init_ended - self._init_started)
        if self._ready_at is not None:
            phases["readyAfterInitializerMs"] = _ms(self._ready_at - self._init_ended)
        return phases

    @staticmethod
    def _entry(entry, started, provisional):
        if entry is not None:
            return entry
        if started is None:
            return {"status": "skipped"}
        if provisional:
            return {"status": "interrupted"}
        return {"status": "interrupted", "durationMs": int((time.monotonic() - started) * 1000)}


def _ms(seconds):
    return max(0, int(round(seconds * 1000)))
