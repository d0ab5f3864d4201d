"""A custom runtime's adapter, the fc-adapter container's command: python3 -I /var/fc/runtime/adapter.py
(docs/runtime-contract.md, "Custom runtimes: the adapter").

The same runtime as bootstrap.py's, serving the lifecycle port for the kubelet and the invocation port behind the
Service; the user's code is not loaded here but called over HTTP: the user's server on 127.0.0.1 at
FC_CUSTOM_LISTEN_PORT, in the pod's other container (fc_adapter). Started in isolated mode, like the runtime.
"""
import importlib
import importlib.util
import os
import sys

if __name__ == "__main__":
    sys.dont_write_bytecode = True
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location("fc_bootstrap", os.path.join(here, "bootstrap.py"))
    bootstrap = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bootstrap)
    bootstrap.load_package()
    listening = importlib.import_module(bootstrap.PACKAGE + ".fc_listen").listen_early(
        os.environ.get("FC_LIFECYCLE_PORT", ""), 9001)
    importlib.import_module(bootstrap.PACKAGE + ".fc_main").main(listening, adapter=True)
