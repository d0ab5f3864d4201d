"""Imports the runtime's modules for a test as the pod's bootstrap does: as the package "fc-runtime"."""
import importlib
import importlib.util
import os
import sys
import time

RUNTIME_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "main", "resources", "fc-runtime")


def module(name):
    """The runtime's module fc_NAME, e.g. module("fc_exits")."""
    if "fc-runtime" not in sys.modules:
        spec = importlib.util.spec_from_file_location("fc_bootstrap", os.path.join(RUNTIME_DIR, "bootstrap.py"))
        bootstrap = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bootstrap)
        bootstrap.load_package()
    return importlib.import_module("fc-runtime." + name)


def poll_until(condition, seconds=10):
    """Waits until condition() is true; fails the test after seconds."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for a condition")
        time.sleep(0.001)
