import unittest

from runtime_package import module

fc_config = module("fc_config")
fc_listen = module("fc_listen")

TOKEN = "Zm9yLXRlc3RzLW9ubHktNDMtY2hhcmFjdGVycy1sb25n"


def config(**env):
    base = {"FC_LIFECYCLE_TOKEN": TOKEN}
    base.update(env)
    return fc_config.Config(base)


class PortsTest(unittest.TestCase):
    def test_defaults_are_fcs_ports(self):
        c = config()
        self.assertEqual((c.server_port, c.lifecycle_port), (9000, 9001))

    def test_a_port_out_of_range_names_the_variable(self):
        for name in ("FC_SERVER_PORT", "FC_LIFECYCLE_PORT"):
            for value, words in (("65536", "at most 65535"), ("-1", "at least 0"), ("x", "must be an integer")):
                with self.subTest(name=name, value=value):
                    with self.assertRaises(fc_config.ConfigError) as raised:
                        config(**{name: value})
                    self.assertTrue(str(raised.exception).startswith(name + " "), str(raised.exception))
                    self.assertIn(words, str(raised.exception))

    def test_listen_early_leaves_a_bad_port_to_the_settings(self):
        for raw in ("x", "-1", "65536", "99999999999999999999"):
            with self.subTest(raw=raw):
                self.assertIsNone(fc_listen.listen_early(raw, 9001))

    def test_listen_early_listens_on_a_free_port(self):
        s = fc_listen.listen_early("0", 9001)
        try:
            self.assertGreater(s.getsockname()[1], 0)
        finally:
            s.close()


class TokenTest(unittest.TestCase):
    def test_no_token_is_a_configuration_error(self):
        with self.assertRaises(fc_config.ConfigError):
            fc_config.Config({})


if __name__ == "__main__":
    unittest.main()
