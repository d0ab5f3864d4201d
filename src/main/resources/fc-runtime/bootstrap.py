"""The runtime's entry point, the pod's command: python3 -I /var/fc/runtime/bootstrap.py (docs/runtime-contract.md).

Nothing of the user's runs before the runtime, and nothing of the user's replaces a module the runtime uses:
- -I, Python's isolated mode: no PYTHON* variable is read (PYTHONPATH, PYTHONHOME, PYTHONSTARTUP, PYTHONINSPECT,
  ...), there is no user site-packages, and neither this folder nor the working directory (/code) is on sys.path,
  so a sitecustomize.py or usercustomize.py of the user's is not run when the interpreter starts;
- the runtime's modules form a package of their own, "fc-runtime", a name no import statement can spell and no file
  can take: the user's fc_log.py is the user's module fc_log, and the runtime's folder is never on sys.path;
- the runtime's modules import every module of the standard library they use when they are loaded, here, before
  the user's paths are put on sys.path (fc_loader does that, just before it loads the user's code), so a user's
  json.py or uuid.py cannot take the place of the standard library's in the runtime.
"""
import importlib
import importlib.machinery
import importlib.util
import os
import sys

PACKAGE = "fc-runtime"


def load_package():
    """Makes the runtime's package, this file's folder, importable by its name; imports none of its modules."""
    spec = importlib.machinery.ModuleSpec(PACKAGE, None, is_package=True)
    spec.submodule_search_locations = [os.path.dirname(os.path.abspath(__file__))]
    package = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = package
    return package


if __name__ == "__main__":
    sys.dont_write_bytecode = True  # the runtime's folder is read-only in the pod; the user's /code too
    load_package()
    # The lifecycle port listens before the rest of the runtime is loaded (a tenth of a second and more):
    # the kubelet's first startup probe then waits in the kernel's queue instead of being refused.
    listening = importlib.import_module(PACKAGE + ".fc_listen").listen_early(
        os.environ.get("FC_LIFECYCLE_PORT", ""), 9001)
    importlib.import_module(PACKAGE + ".fc_main").main(listening)
