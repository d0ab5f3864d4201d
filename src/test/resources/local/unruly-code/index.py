"""Handlers that leave processes behind, then end the instance in several ways.

An event is ENDING:WHAT[:PATH]. WHAT is one of the kinds of process in spawn.KINDS, or "all" of them, or "none".
ENDING:
- answer: the handler returns; local then stops the instance (preStop hook, SIGTERM: the runtime exits 0);
- retire: the handler runs past the function timeout: the runtime answers FunctionTimeout and exits 3 by itself;
- stubborn: the runtime ignores SIGTERM from now on, so the stop ends with SIGKILL after the grace period;
- close-ports: the runtime's sockets are closed before the handler returns (but this invocation's), and the process
  exits with status 7 as soon as a client connects to the Unix socket the handler listens on at PATH: a container
  that is ending by itself when local comes to stop it, its end told by the test.
"""
import ctypes
import gc
import os
import signal
import socket
import socketserver
import threading
import time

import spawn


def initialize(context):
    pass


def initialize_spawns_then_fails(context):
    spawn.start("all")
    raise RuntimeError("failed after starting processes")


def pre_stop(context):
    pass


def handler(event, context):
    ending, _, rest = event.decode("utf-8").partition(":")
    what, _, path = rest.partition(":")
    spawn.start(what)
    if ending == "retire":
        time.sleep(5)
    elif ending == "stubborn":
        libc = ctypes.CDLL(None)
        libc.signal.restype = ctypes.c_void_p
        libc.signal(int(signal.SIGTERM), ctypes.c_void_p(1))  # SIG_IGN, for the whole process
    elif ending == "close-ports":
        close_sockets()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        listener.listen(1)
        threading.Thread(target=exit_when_told, args=(listener, 7), daemon=True).start()
    return ending


def exit_when_told(listener, status):
    """Ends the process once a client connected."""
    listener.accept()
    os._exit(status)


def close_sockets():
    """As a process that is ending: new connections to either port are refused from now on, and the lifecycle
    port's open connections (the probes' kept alive) are closed; this invocation's connection goes on."""
    lifecycle_port = int(os.environ["FC_LIFECYCLE_PORT"])
    for o in gc.get_objects():
        if isinstance(o, socketserver.BaseServer):
            o.socket.shutdown(socket.SHUT_RDWR)
            threading.Thread(target=o.shutdown, daemon=True).start()  # its loop would spin on the dead socket
        elif isinstance(o, socketserver.BaseRequestHandler) and o.server.server_address[1] == lifecycle_port:
            try:
                o.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # closed already
