"""Initializer and PreStop fixtures for the runtime tests. FIXTURE_OUT is a folder the test reads."""
import os
import time


def _record(name):
    with open(os.path.join(os.environ["FIXTURE_OUT"], name), "a") as f:
        f.write("ran\n")


def init_ok(context):
    time.sleep(0.3)  # long enough for concurrent probes to arrive while it runs
    _record("initializer")
    print("initializer printed")
    context.get_logger().info("initializer logged")


def init_sleeps(context):
    time.sleep(float(os.environ.get("FIXTURE_INIT_SLEEP", "1.5")))


def init_sleeps_then_raises(context):
    time.sleep(float(os.environ.get("FIXTURE_INIT_SLEEP", "0.5")))
    raise ValueError("initializer broke late")


def init_raises(context):
    raise ValueError("initializer broke")


def pre_stop_ok(context):
    _record("pre_stop")
    print("pre_stop printed")
    context.get_logger().info("pre_stop logged")
