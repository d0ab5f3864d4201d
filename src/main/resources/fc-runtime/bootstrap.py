"""Entry point of the function runtime: python3 /var/fc/runtime/bootstrap.py (docs/runtime-contract.md)."""
import os
import signal
import sys
import threading

sys.dont_write_bytecode = True  # the runtime's folder is read-only in the pod
_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import fc_config  # noqa: E402
import fc_http  # noqa: E402
import fc_invoke  # noqa: E402
import fc_lifecycle  # noqa: E402
import fc_log  # noqa: E402
import fc_probes  # noqa: E402
import fc_request  # noqa: E402
import fc_slots  # noqa: E402
import fc_termination  # noqa: E402

# The runtime's modules are loaded; its folder must not shadow the user's modules.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

EXIT_RUNTIME_FAILED = 4


def _fail_to_start(path, message):
    fc_log.diagnostic(message)
    exit_ = fc_termination.Exit(path, lambda provisional: {})
    exit_.claim("RuntimeFailed", EXIT_RUNTIME_FAILED, message)
    exit_.exit_now()


def main():
    fc_log.setup_stdio()
    try:
        config = fc_config.Config()
    except fc_config.ConfigError as e:
        _fail_to_start(os.environ.get("FC_TERMINATION_MESSAGE_PATH", ""), "bad configuration: %s" % e)
        return
    slots = fc_slots.Slots(config.concurrency)
    lifecycle = None
    exit_ = fc_termination.Exit(config.termination_message_path,
                                lambda provisional: lifecycle.snapshot(provisional))
    lifecycle = fc_lifecycle.Lifecycle(config, slots, exit_)

    stop_requested = threading.Event()

    def on_signal(signum, frame):
        stop_requested.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    timeouts = fc_request.ClientTimeouts(config.http_idle_timeout, config.http_read_timeout)
    try:
        # The lifecycle port first, so the kubelet's first startup probe finds it listening; then the
        # Initializer starts at once, without waiting for a probe; then the invocation port.
        fc_http.serve(config.lifecycle_port, fc_probes.ProbeHandler, lifecycle, "fc-lifecycle-server", timeouts)
        lifecycle.begin()
        fc_http.serve(config.server_port, fc_invoke.InvokeHandler,
                      fc_invoke.Invoker(config, slots, lifecycle), "fc-invoke-server", timeouts)
    except OSError as e:
        _fail_to_start(config.termination_message_path, "cannot listen on ports %d and %d: %s"
                       % (config.server_port, config.lifecycle_port, e))
        return

    while not stop_requested.wait(0.5):
        pass
    exit_.claim("Stopped", 0, "Stopped by SIGTERM")
    try:
        lifecycle.stop()
    finally:
        exit_.exit_now()


if __name__ == "__main__":
    main()
