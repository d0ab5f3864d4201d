"""The first process of a container under `fc-operator local`: what the container runtime and the kernel do for a pod.

Run as `python3 -I -S -c <this file> COMMAND [ARG]...` (isolated, no site: nothing of the pod's PYTHON* variables
or PYTHONPATH runs here). It leaves the terminal's session, so that the terminal's Ctrl-C reaches `local` alone,
starts COMMAND with /dev/null as its input and stays its parent. As a child subreaper (Linux), it becomes the parent
of every process that COMMAND's tree orphans: a double-forked daemon, a child in a session of its own. So the whole
container is the tree under it, and:

- a signal it gets (SIGTERM from the kubelet) goes to COMMAND alone, as a container runtime signals PID 1 alone;
- when COMMAND ends, on its own or killed, every other process of the container is killed (SIGKILL) and reaped, as
  the kernel does when a PID namespace's first process ends; none keeps the container's output open;
- when its standard input ends (it is a pipe from `local`, closed when `local` ends, even killed outright), COMMAND
  is killed, then the rest as above;
- it ends with COMMAND's status: the exit code, or 128 + the signal that ended it.

Without a subreaper (not Linux), only COMMAND's process group can be killed when it ends.
"""
import ctypes
import os
import signal
import sys
import threading

PR_SET_CHILD_SUBREAPER = 36
FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)


class Command(object):
    """COMMAND's pid while it may be signalled: None before it started and once it was reaped (its pid may be
    another process's then)."""

    def __init__(self):
        self.lock = threading.RLock()  # the signal handler runs in the main thread, maybe while it holds the lock
        self.pid = None
        self.pending = []  # signals that came before it started

    def signal(self, signum):
        with self.lock:
            if self.pid is None:
                self.pending.append(signum)
                return
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def started(self, pid):
        with self.lock:
            self.pid = pid
            pending, self.pending = self.pending, []
        for signum in pending:
            self.signal(signum)

    def reaped(self):
        with self.lock:
            self.pid = None
            self.pending = []


def become_subreaper():
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False  # no prctl: not Linux


def children():
    """The pids whose parent is this process, from /proc (zombies too)."""
    me = os.getpid()
    found = []
    try:
        names = os.listdir("/proc")
    except OSError:
        return found
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as f:
                stat = f.read()
        except OSError:
            continue  # gone meanwhile
        # pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ")"
        fields = stat[stat.rindex(b")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == me:
            found.append(int(name))
    return found


def kill_the_rest(group, subreaper):
    """Kills every process left in the container and reaps them: the orphans of a killed process come to this one
    (a subreaper), so rounds go on until it has no child at all."""
    try:
        os.killpg(group, signal.SIGKILL)  # COMMAND's process group (all there is to find without a subreaper)
    except OSError:
        pass  # no process left in it
    while True:
        if subreaper:
            for pid in children():
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass  # reaped meanwhile
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def status_of(wait_status):
    if os.WIFSIGNALED(wait_status):
        return 128 + os.WTERMSIG(wait_status)
    return os.WEXITSTATUS(wait_status)


def exec_command(argv):
    """In the forked child: no input, signals as a new process has them, then COMMAND."""
    try:
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        for signum in FORWARDED:
            signal.signal(signum, signal.SIG_DFL)
        os.execvp(argv[0], argv)
    except OSError as e:
        os.write(2, ("[local] cannot start %s: %s\n" % (argv[0], e.strerror or e)).encode("utf-8", "replace"))
    os._exit(127)


def watch_input(command):
    """Ends the container when standard input ends: `local` closed it, or ended."""
    try:
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    command.signal(signal.SIGKILL)


def main(argv):
    if not argv:
        sys.stderr.write("usage: container_init COMMAND [ARG]...\n")
        return 2
    try:
        os.setsid()  # not the terminal's: Ctrl-C reaches `local` only, which stops the container the kubelet's way
    except OSError:
        pass  # a group leader already, so not in the terminal's foreground group
    subreaper = become_subreaper()
    command = Command()
    for signum in FORWARDED:
        signal.signal(signum, lambda signum, frame: command.signal(signum))
    pid = os.fork()
    if pid == 0:
        exec_command(argv)
    command.started(pid)
    threading.Thread(target=watch_input, args=(command,), name="input", daemon=True).start()
    while True:
        reaped, wait_status = os.waitpid(-1, 0)  # orphans that end before COMMAND are reaped on the way
        if reaped == pid:
            command.reaped()
            break
    kill_the_rest(pid, subreaper)
    return status_of(wait_status)


if __name__ == "__main__":
    os._exit(main(sys.argv[1:]))
