"""Processes a function may leave behind. Each prints "marker: pid KIND PID" for the tests to find it; each runs
`sleep 7777`, so that a live process with that pid and that command line is one of these."""
import os
import subprocess

SLEEP = ["sleep", "7777"]
_started = []  # the Popen objects, kept


def inherits_stdout():
    """A child that keeps the container's output open."""
    child = subprocess.Popen(SLEEP)
    _started.append(child)
    return child.pid


def ignores_sigterm():
    child = subprocess.Popen(["sh", "-c", "trap '' TERM; exec " + " ".join(SLEEP)])
    _started.append(child)
    return child.pid


def own_session():
    """setsid: out of the container's session and process group."""
    child = subprocess.Popen(SLEEP, start_new_session=True)
    _started.append(child)
    return child.pid


def double_fork():
    """A daemon: forked twice in a session of its own, its first parent gone, so it is nobody's child here."""
    read_end, write_end = os.pipe()
    first = os.fork()
    if first == 0:
        try:
            os.setsid()
            second = os.fork()
            if second == 0:
                os.execvp(SLEEP[0], SLEEP)
            os.write(write_end, str(second).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    pid = int(os.read(read_end, 32))
    os.close(read_end)
    os.waitpid(first, 0)
    return pid


KINDS = {
    "inherits-stdout": inherits_stdout,
    "ignores-sigterm": ignores_sigterm,
    "own-session": own_session,
    "double-fork": double_fork,
}


def start(what):
    kinds = list(KINDS) if what == "all" else [] if what in ("", "none") else [what]
    for kind in kinds:
        print("marker: pid %s %d" % (kind, KINDS[kind]()), flush=True)
