"""A listening TCP socket, the one thing the runtime does before it loads anything else (bootstrap.py).

The kubelet's startup probe may come as soon as the container runs; a port that is listening queues that
connection in the kernel until the runtime, loaded, serves it, where a port not yet listening refuses it (a
Warning "Unhealthy" on the pod, and a probe period lost). Only the standard library's socket module here.
"""
import socket

# Connections the kernel queues for accept(); the stdlib's 5 reset new connections under a burst of clients.
LISTEN_BACKLOG = 1024


def listen(port):
    """A socket listening on 0.0.0.0:port; raises OSError (or OverflowError for a port out of range)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port))
        s.listen(LISTEN_BACKLOG)
    except BaseException:
        s.close()
        raise
    return s


def listen_early(raw_port, default):
    """The socket for a port as the environment gives it, or None if it is not a port one can listen on: the
    runtime's settings then report the fault as without this."""
    try:
        return listen(int(raw_port.strip() or default))
    except (ValueError, OverflowError, OSError):
        return None
