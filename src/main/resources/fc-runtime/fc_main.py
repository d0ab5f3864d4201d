"""The runtime's start: settings, the two ports, the Initializer, and the wait for SIGTERM."""
import os
import signal
import sys
import threading

from . import fc_adapter
from . import fc_config
from . import fc_exits
from . import fc_http
from . import fc_invoke
from . import fc_lifecycle
from . import fc_loader
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


def main(lifecycle_listening=None, adapter=False):
    """Runs the runtime until SIGTERM; lifecycle_listening is the lifecycle port's socket if bootstrap bound it.
    adapter: a custom runtime's adapter (adapter.py), whose hooks and invocations are calls to the user's server
    (fc_adapter); else the Python runtime, which loads the user's module (fc_loader)."""
    fc_log.setup_stdio()
    if not sys.flags.isolated:
        _fail_to_start(os.environ.get("FC_TERMINATION_MESSAGE_PATH", ""),
                       "the runtime must run in Python's isolated mode, as the pod's command starts it: "
                       "python3 -I %s (docs/runtime-contract.md)" % os.path.join(
                           os.path.dirname(__file__), "adapter.py" if adapter else "bootstrap.py"))
        return
    try:
        config = fc_config.Config()
        if adapter and config.custom_listen_port in (config.server_port, config.lifecycle_port):
            raise fc_config.ConfigError("FC_CUSTOM_LISTEN_PORT %d is one of the adapter's own ports (%d, %d)"
                                        % (config.custom_listen_port, config.server_port, config.lifecycle_port))
    except fc_config.ConfigError as e:
        _fail_to_start(os.environ.get("FC_TERMINATION_MESSAGE_PATH", ""), "bad configuration: %s" % e)
        return
    # The lifecycle port's secret is the runtime's, not the function's: out of the environment the user's code and
    # its child processes see (the kernel's copy of the initial environment, /proc/self/environ, still has it).
    os.environ.pop(fc_config.LIFECYCLE_TOKEN, None)
    slots = fc_slots.Slots(config.concurrency)
    if adapter:
        code = fc_adapter.ServerCode(config)
        lifecycle = fc_lifecycle.Lifecycle(config, slots, code)
        calls = fc_adapter.ServerCalls(config, code.upstream)
    else:
        lifecycle = fc_lifecycle.Lifecycle(config, slots, fc_loader.PythonCode(config))
        calls = fc_invoke.PythonHandlerCalls(lifecycle)
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
                      fc_invoke.Invoker(config, slots, lifecycle, calls), "fc-invoke-server", timeouts)
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
