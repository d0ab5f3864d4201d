"""The runtime's settings, read once from the environment (docs/runtime-contract.md)."""
import os
import re

# The lifecycle port's secret (docs/runtime-contract.md, "Threat model"): the operator issues each pod its own when
# it creates it; the pod template, as `render` prints it, holds TEMPLATE_TOKEN in its place.
LIFECYCLE_TOKEN = "FC_LIFECYCLE_TOKEN"
TEMPLATE_TOKEN = "set-per-pod-at-creation"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,256}")


class ConfigError(Exception):
    """A variable of the contract holds a value the runtime cannot use."""


def _text(env, name, default=""):
    value = env.get(name, "")
    return value.strip() if value.strip() else default


def _int(env, name, default, minimum):
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError("%s must be an integer, got %r" % (name, raw))
    if value < minimum:
        raise ConfigError("%s must be at least %d, got %d" % (name, minimum, value))
    return value


def _port(env, name, default):
    value = _int(env, name, default, 0)
    if value > 65535:
        raise ConfigError("%s must be a TCP port, at most 65535, got %d" % (name, value))
    return value


def _lifecycle_token(env):
    token = env.get(LIFECYCLE_TOKEN, "")
    if token == TEMPLATE_TOKEN:
        raise ConfigError("%s is the pod template's placeholder %r: the operator (and `local`) issues each pod a "
                          "secret of its own when it creates it, so a pod printed by `render` cannot run as it is"
                          % (LIFECYCLE_TOKEN, TEMPLATE_TOKEN))
    if not _TOKEN.fullmatch(token):
        raise ConfigError("%s must be 32 to 256 characters of [A-Za-z0-9_-], the secret the lifecycle port requires, "
                          "got %s" % (LIFECYCLE_TOKEN, "nothing" if not token else "%d character(s)" % len(token)))
    return token


class Config(object):
    def __init__(self, env=None):
        env = os.environ if env is None else env
        self.function_name = _text(env, "FC_FUNCTION_NAME")
        self.service_name = _text(env, "FC_SERVICE_NAME")
        self.qualifier = _text(env, "FC_QUALIFIER", "LATEST")
        self.handler = _text(env, "FC_FUNCTION_HANDLER")
        self.handler_type = _text(env, "FC_HANDLER_TYPE", "event").lower()
        if self.handler_type not in ("event", "http"):
            raise ConfigError("FC_HANDLER_TYPE must be event or http, got %r" % self.handler_type)
        self.runtime = _text(env, "FC_RUNTIME")
        self.memory = _int(env, "FC_FUNCTION_MEMORY_SIZE", 512, 1)
        self.timeout = _int(env, "FC_TIMEOUT", 3, 1)
        self.concurrency = _int(env, "FC_INSTANCE_CONCURRENCY", 1, 1)
        self.initializer = _text(env, "FC_INITIALIZER_HANDLER") or None
        self.initialization_timeout = _int(env, "FC_INITIALIZATION_TIMEOUT", 3, 1)
        # How long a startup probe may be held, counted from when the runtime started the Initializer; the
        # operator sets it from HookTimingPolicy (10 s to load the code, then the whole Initializer timeout).
        self.startup_probe_hold = _int(env, "FC_STARTUP_PROBE_HOLD",
                                       10 + (self.initialization_timeout if self.initializer else 0), 1)
        self.pre_stop = _text(env, "FC_PRESTOP_HANDLER") or None
        self.pre_stop_timeout = _int(env, "FC_PRESTOP_TIMEOUT", 3, 1)
        self.drain_timeout = _int(env, "FC_DRAIN_TIMEOUT", self.timeout, 0)
        self.code_path = _text(env, "FC_FUNC_CODE_PATH", "/code/")
        self.region = _text(env, "FC_REGION")
        self.account_id = _text(env, "FC_ACCOUNT_ID")
        self.instance_id = _text(env, "FC_INSTANCE_ID")
        self.server_port = _port(env, "FC_SERVER_PORT", 9000)
        self.lifecycle_port = _port(env, "FC_LIFECYCLE_PORT", 9001)
        # A custom runtime's server, which the adapter calls on 127.0.0.1 (fc_adapter); FC's default port.
        self.custom_listen_port = _port(env, "FC_CUSTOM_LISTEN_PORT", 9000)
        self.termination_message_path = _text(env, "FC_TERMINATION_MESSAGE_PATH")
        self.lifecycle_token = _lifecycle_token(env)
        # The user's module path, which the runtime puts on sys.path for the user's code (Python, started isolated,
        # does not read it); the pod builder sets FC's /code:/code/python:/opt/python unless the user sets it.
        self.python_path = env.get("PYTHONPATH", "")
        # Bounds on the clients of both ports, not on the handler's run: how long a connection may wait for its
        # next request, and how long a request may take to arrive from its first byte. The pod builder leaves
        # them unset; tests shorten them.
        self.http_idle_timeout = _int(env, "FC_HTTP_IDLE_TIMEOUT", 60, 1)
        self.http_read_timeout = _int(env, "FC_HTTP_READ_TIMEOUT", 30, 1)
        # The user's own credentials variables (FC's newer runtimes), not the runtime's settings.
        self.access_key_id = env.get("ALIBABA_CLOUD_ACCESS_KEY_ID", "")
        self.access_key_secret = env.get("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "")
        self.security_token = env.get("ALIBABA_CLOUD_SECURITY_TOKEN", "")
