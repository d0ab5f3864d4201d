"""The Python runtime's side of the contract's conformance suite (ContractConformanceTest): the same behaviour as
the reference custom servers (custom-servers/reference_server.py and reference_server.js), as Python functions:
  CONF_INIT     initialize: ok (0.3 s), fail (raises "initializer broke"), fail-big (raises "ü" * 5000 +
                "x" * 5000, 15 KB of UTF-8), hang
  CONF_PRESTOP  pre_stop: ok, fail (raises "pre-stop broke"), hang (after recording its call)
  handler       echo:TEXT returns TEXT, sleep:SECONDS returns "slept", fail raises "handler broke"
Each call appends its request id to FIXTURE_OUT/<initializer|pre_stop|invoke> and prints "<id> <call>" (an
Initializer that fails or hangs records nothing).
"""
import os
import threading
import time

_lock = threading.Lock()
BIG = "\u00fc" * 5000 + "x" * 5000


def _record(name, request_id):
    with _lock:
        with open(os.path.join(os.environ["FIXTURE_OUT"], name), "a") as f:
            f.write(request_id + "\n")
    print("%s %s" % (request_id, name), flush=True)


def initialize(context):
    behaviour = os.environ.get("CONF_INIT", "ok")
    if behaviour == "hang":
        threading.Event().wait()
    if behaviour == "fail":
        raise RuntimeError("initializer broke")
    if behaviour == "fail-big":
        raise RuntimeError(BIG)
    time.sleep(0.3)  # long enough for concurrent probes to arrive while it runs
    _record("initializer", context.request_id)


def pre_stop(context):
    _record("pre_stop", context.request_id)
    behaviour = os.environ.get("CONF_PRESTOP", "ok")
    if behaviour == "fail":
        raise RuntimeError("pre-stop broke")
    if behaviour == "hang":
        threading.Event().wait()


def handler(event, context):
    _record("invoke", context.request_id)
    kind, _, argument = event.decode("utf-8").partition(":")
    if kind == "echo":
        return argument
    if kind == "sleep":
        time.sleep(float(argument))
        return "slept"
    raise RuntimeError("handler broke")
