"""The function of PythonRuntimeBench: a trivial handler and an Initializer that says when it began."""
import time


def initialize(context):
    # CLOCK_MONOTONIC, the clock of Java's System.nanoTime() too: the bench measures up to here.
    print("bench: initializer started at %d" % time.monotonic_ns())


def handler(event, context):
    return event
