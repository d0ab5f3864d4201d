import unittest

from runtime_package import module

fc_exits = module("fc_exits")
fc_termination = module("fc_termination")


class ExitKindsTest(unittest.TestCase):
    def test_every_reason_and_every_code_is_distinct(self):
        self.assertEqual(len({k.reason for k in fc_exits.ALL}), len(fc_exits.ALL))
        self.assertEqual(len({k.code for k in fc_exits.ALL}), len(fc_exits.ALL))

    def test_only_a_stop_exits_zero(self):
        self.assertEqual([k for k in fc_exits.ALL if k.code == 0], [fc_exits.STOPPED])

    def test_codes_stay_clear_of_the_shells_and_signals_range(self):
        # 126-255 mean "not executable", "not found" and 128+signal to the kubelet and to people reading it
        self.assertTrue(all(0 <= k.code < 126 for k in fc_exits.ALL))


class ExitClaimTest(unittest.TestCase):
    def test_the_first_claim_wins(self):
        exit_ = fc_termination.Exit("", lambda provisional: {})
        self.assertTrue(exit_.claim(fc_exits.INVOCATION_TIMEOUT, "first"))
        self.assertFalse(exit_.claim(fc_exits.STOPPED, "second"))
        self.assertEqual(exit_.claimed(), ("InvocationTimeout", 3, "first"))


class RenderTest(unittest.TestCase):
    def test_a_long_message_is_cut_to_the_limit_and_stays_json(self):
        import json
        doc = {"exitReason": "InitializerFailed", "message": "x" * 10000, "initializer": {"error": "é" * 5000}}
        data = fc_termination.render(doc, limit=4096)
        self.assertLessEqual(len(data), 4096)
        parsed = json.loads(data.decode("utf-8"))
        self.assertEqual(parsed["exitReason"], "InitializerFailed")

    def test_one_line_keeps_the_first_line_within_its_limit(self):
        self.assertEqual(fc_termination.one_line("  first\nsecond "), "first")
        self.assertEqual(fc_termination.one_line("a" * 300, limit=10), "a" * 10 + "...")
        self.assertEqual(fc_termination.one_line("   "), "")


if __name__ == "__main__":
    unittest.main()
