"""The runtime's start: settings, the two ports, the Initializer, and the wait for SIGTERM."""
import os
import signal
import sys
import threading

from . import fc_config
from . import fc_exits
from . import fc_http
from . import fc_invoke
from . import fc_lifecycle
from . import fc_log
from . import fc_probes
from . import fc_request
from . import fc_slots
from . import fc_termination


def _fail_to_start(path, message):
    fc_log.diagnostic(message)
    exit_ = fc_termination.Exit(path, lambda provisional: {})
    exit_.claim(fc_exits.RUNTIME_FAILED, message)
    exit_.exit_now()


def main(lifecycle_listening=None):
    """Runs the runtime until SIGTERM; lifecycle_listening is the lifecycle port's socket if bootstrap bound it."""
    fc_log.setup_stdio()
    if not sys.flags.isolated:
        _fail_to_start(os.environ.get("FC_TERMINATION_MESSAGE_PATH", ""),
                       "the runtime must run in Python's isolated mode, as the pod's command starts it: "
                       "python3 -I %s (docs/runtime-contract.md)" % os.path.join(os.path.dirname(__file__),
                                                                                "bootstrap.py"))
        return
    try:
        config = fc_config.Config()
    except fc_config.ConfigError as e:
        _fail_to_start(os.environ.get("FC_TERMINATION_MESSAGE_PATH", ""), "bad configuration: %s" % e)
        return
    # The lifecycle port's secret is the runtime's, not the function's: out of the environment the user's code and
    # its child processes see (the kernel's copy of the initial environment, /proc/self/environ, still has it).
    os.environ.pop(fc_config.LIFECYCLE_TOKEN, None)
    slots = fc_slots.Slots(config.concurrency)
    lifecycle = fc_lifecycle.Lifecycle(config, slots)
    exit_ = lifecycle.exit

    stop_requested = threading.Event()

    def on_signal(signum, frame):
        stop_requested.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    timeouts = fc_request.ClientTimeouts(config.http_idle_timeout, config.http_read_timeout)
    try:
        # The lifecycle port first, so the kubelet's first startup probe finds it listening; then the
        # Initializer starts at once, without waiting for a probe; then the invocation port.
        fc_http.serve(config.lifecycle_port, fc_probes.ProbeHandler,
                      fc_probes.Probes(lifecycle, config.lifecycle_token), "fc-lifecycle-server", timeouts,
                      lifecycle_listening)
        lifecycle.begin()
        fc_http.serve(config.server_port, fc_invoke.InvokeHandler,
                      fc_invoke.Invoker(config, slots, lifecycle), "fc-invoke-server", timeouts)
    except (OSError, OverflowError) as e:
        _fail_to_start(config.termination_message_path, "cannot listen on ports %d and %d: %s"
                       % (config.server_port, config.lifecycle_port, e))
        return

    while not stop_requested.wait(0.5):
        pass
    exit_.claim(fc_exits.STOPPED, "Stopped by SIGTERM")
    try:
        lifecycle.stop()
    finally:
        exit_.exit_now()
