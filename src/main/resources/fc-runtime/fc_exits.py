"""Why the runtime's process ends: each reason with its exit status, named once (docs/runtime-contract.md).

The operator reads the reason from the termination message's "exitReason" and the status from the container's
exit code; both sides must agree, so they are spelled here and nowhere else in the runtime.
"""
import collections

ExitKind = collections.namedtuple("ExitKind", "reason code")

STOPPED = ExitKind("Stopped", 0)                          # SIGTERM (or SIGINT): drained, PreStop run
INITIALIZER_FAILED = ExitKind("InitializerFailed", 1)     # the Initializer raised, or the code could not be loaded
INITIALIZER_TIMEOUT = ExitKind("InitializerTimeout", 2)   # the Initializer ran past FC_INITIALIZATION_TIMEOUT
INVOCATION_TIMEOUT = ExitKind("InvocationTimeout", 3)     # an invocation ran past FC_TIMEOUT: the instance retired
RUNTIME_FAILED = ExitKind("RuntimeFailed", 4)             # bad configuration, or a port it cannot listen on

ALL = (STOPPED, INITIALIZER_FAILED, INITIALIZER_TIMEOUT, INVOCATION_TIMEOUT, RUNTIME_FAILED)
