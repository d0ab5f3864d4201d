"""Port 9001, for the kubelet only: GET /startup (long-polled), /ready and /pre-stop, each with the pod's secret."""
import hmac
from urllib.parse import parse_qs, urlsplit

from . import fc_http
from . import fc_lifecycle

# Where a request carries the pod's secret (docs/runtime-contract.md, "Threat model"): the probes send it as a
# header; the preStop hook also in its path's query, since kubelets before 1.26 send a hook's httpGet without its
# httpHeaders.
TOKEN_HEADER = "X-Fc-Lifecycle-Token"
TOKEN_PARAMETER = "token"

_text = fc_http.text_response


def request_path(target):
    """The path of a request target, with repeated leading slashes folded: the kubelet of Kubernetes 1.20
    sends an httpGet hook's path "/pre-stop" as "GET //pre-stop", which urlsplit would read as a host."""
    return "/" + _split(target).path.lstrip("/")


def _split(target):
    return urlsplit("/" + target.lstrip("/"))


def offered_tokens(target, headers):
    """Every value of the secret a request carries, in its header fields and its query."""
    values = list(headers.get_all(TOKEN_HEADER) or [])
    try:
        values += parse_qs(_split(target).query, keep_blank_values=True).get(TOKEN_PARAMETER, [])
    except ValueError:
        pass  # a query that cannot be parsed carries no token
    return values


def authorized(offered, token):
    """True when the request offers the secret and nothing else: each value compared in constant time."""
    expected = token.encode("ascii")
    results = [hmac.compare_digest(v.encode("latin-1", "replace"), expected) for v in offered]
    return bool(results) and all(results)


class Probes(object):
    """What the lifecycle port's handlers reach: the instance's life and the pod's secret."""

    def __init__(self, lifecycle, token):
        self.lifecycle = lifecycle
        self.token = token


class ProbeHandler(fc_http.Handler):
    def do_GET(self):
        probes = self.server.app
        if not authorized(offered_tokens(self.path, self.headers), probes.token):
            # Before the path is looked at: without the secret, nothing is read of the instance or changed in it.
            self.send(_text(403, "forbidden: the lifecycle port answers only the kubelet, whose requests carry the "
                                 "pod's secret (header %s)" % TOKEN_HEADER))
            return
        lifecycle = probes.lifecycle
        path = request_path(self.path)
        if path == "/startup":
            state = lifecycle.await_startup()
            if state == fc_lifecycle.SUCCEEDED:
                self.send(_text(200, "initialized"))
            elif state in (fc_lifecycle.FAILED, fc_lifecycle.TIMEOUT):
                self.send(_text(500, "initializer " + state))
            else:
                # the hold ran out, or the instance is stopping
                self.send(_text(503, "initializing" if state == fc_lifecycle.RUNNING and not lifecycle.stopping()
                                else "stopping"))
        elif path == "/ready":
            self.send(_text(200, "ready") if lifecycle.ready() else _text(503, "not ready"))
        elif path == "/pre-stop":
            entry = lifecycle.stop()
            self.send(fc_http.json_response(200, entry if entry is not None else {"status": "notConfigured"}))
        else:
            self.send(_text(404, "not found"))
