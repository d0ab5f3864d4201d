"""Event handler fixtures for the runtime tests."""
import hashlib
import threading
import time

_lock = threading.Lock()
_in_flight = 0
_max_in_flight = 0


def by_type(event, context):
    kind = event.decode()
    if kind == "str":
        return "hello \u00e9"
    if kind == "bytes":
        return b"\x00\x01\xfe\xff"
    if kind == "dict":
        return {"a": 1, "b": [True, None]}
    if kind == "list":
        return [1, "two", {"three": 3}]
    if kind == "raise":
        raise ValueError("handler broke")
    return None


def logs(event, context):
    print("handler printed")
    context.get_logger().info("handler logged %s", event.decode())
    return "ok"


def context_fields(event, context):
    f, s, c = context.function, context.service, context.credentials
    return {
        "request_id": context.request_id,
        "function": {"name": f.name, "handler": f.handler, "memory": f.memory, "timeout": f.timeout,
                     "initializer": f.initializer, "initialization_timeout": f.initialization_timeout},
        "service": {"name": s.name, "qualifier": s.qualifier, "log_project": s.log_project,
                    "log_store": s.log_store, "version_id": s.version_id},
        "region": context.region,
        "account_id": context.account_id,
        "instance_id": context.instance_id,
        "credentials": {"access_key_id": c.access_key_id, "access_key_secret": c.access_key_secret,
                        "security_token": c.security_token},
        "logger_is_get_logger": context.logger is context.get_logger(),
    }


def hold(event, context):
    """Stays busy for the number of seconds in the event; reports the most invocations seen at once."""
    global _in_flight, _max_in_flight
    with _lock:
        _in_flight += 1
        _max_in_flight = max(_max_in_flight, _in_flight)
    try:
        time.sleep(float(event.decode()))
    finally:
        with _lock:
            _in_flight -= 1
    return {"maxInFlight": _max_in_flight}


def hang(event, context):
    threading.Event().wait()


def initialize(context):
    pass


def echo(event, context):
    """What arrived (the request id, the body's size and digest); "sleep <s>" sleeps first, "big <n>" answers n
    bytes instead."""
    if event.startswith(b"sleep "):
        time.sleep(float(event[len(b"sleep "):]))
    if event.startswith(b"big "):
        return b"x" * int(event[len(b"big "):])
    return {"requestId": context.request_id, "length": len(event), "sha256": hashlib.sha256(event).hexdigest()}
