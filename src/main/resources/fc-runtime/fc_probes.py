"""Port 9001, for the kubelet only: GET /startup (long-polled), /ready and /pre-stop."""
from urllib.parse import urlsplit

from . import fc_http
from . import fc_lifecycle

_text = fc_http.text_response


def request_path(target):
    """The path of a request target, with repeated leading slashes folded: the kubelet of Kubernetes 1.20
    sends an httpGet hook's path "/pre-stop" as "GET //pre-stop", which urlsplit would read as a host."""
    return "/" + urlsplit("/" + target.lstrip("/")).path.lstrip("/")


class ProbeHandler(fc_http.Handler):
    def do_GET(self):
        lifecycle = self.server.app
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
