import os
import tempfile
import threading
import unittest

from runtime_package import module, poll_until

fc_config = module("fc_config")
fc_lifecycle = module("fc_lifecycle")
fc_slots = module("fc_slots")


class StartupProbeTest(unittest.TestCase):
    def test_a_probe_served_before_the_initializer_began_waits_for_it(self):
        # The lifecycle port listens before begin(): a probe queued while the runtime loaded is served at once,
        # and must wait for the Initializer, not answer "initializing" (a failed startup probe, a Warning).
        code = tempfile.mkdtemp()
        with open(os.path.join(code, "index.py"), "w") as f:
            f.write("def handler(event, context):\n    return event\n")
        config = fc_config.Config({"FC_FUNCTION_HANDLER": "index.handler", "FC_FUNC_CODE_PATH": code,
                                   "FC_LIFECYCLE_TOKEN": "t" * 43,
                                   "FC_TERMINATION_MESSAGE_PATH": os.path.join(code, "termination-log")})
        lifecycle = fc_lifecycle.Lifecycle(config, fc_slots.Slots(1), module("fc_loader").PythonCode(config))
        answers = []
        probe = threading.Thread(target=lambda: answers.append(lifecycle.await_startup()))
        probe.start()
        poll_until(lambda: lifecycle._changed._waiters)  # the probe waits, before begin()
        lifecycle.begin()
        probe.join(10)
        self.assertEqual(answers, [fc_lifecycle.SUCCEEDED])


if __name__ == "__main__":
    unittest.main()
