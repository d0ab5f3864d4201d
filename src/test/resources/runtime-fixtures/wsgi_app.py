"""An HTTP function (WSGI) fixture."""
import json


def app(environ, start_response):
    if environ["PATH_INFO"] == "/raise":
        raise KeyError("wsgi broke")
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    doc = {
        "method": environ["REQUEST_METHOD"],
        "path": environ["PATH_INFO"],
        "query": environ["QUERY_STRING"],
        "body": body.decode(),
        "header": environ.get("HTTP_X_CUSTOM"),
        "request_uri": environ["fc.request_uri"],
        "request_id": environ["fc.context"].request_id,
    }
    start_response("201 Created", [("Content-Type", "application/json"), ("X-App", "yes")])
    return [json.dumps(doc).encode()]
