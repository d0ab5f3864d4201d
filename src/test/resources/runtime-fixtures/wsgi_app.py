"""An HTTP function (WSGI) fixture."""
import json


def app(environ, start_response):
    if environ["PATH_INFO"] == "/raise":
        raise KeyError("wsgi broke")
    if environ["PATH_INFO"] == "/bad-header":  # a value HTTP/1.1 cannot carry (not latin-1)
        start_response("200 OK", [("X-Price", "3 \u20ac")])
        return [b"unsendable"]
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    doc = {
        "method": environ["REQUEST_METHOD"],
        "path": environ["PATH_INFO"],
        "query": environ["QUERY_STRING"],
        "body": body.decode(),
        "header": environ.get("HTTP_X_CUSTOM"),
        "request_uri": environ["fc.request_uri"],
        "server_name": environ["SERVER_NAME"],
        "request_id": environ["fc.context"].request_id,
    }
    start_response("201 Created", [("Content-Type", "application/json"), ("X-App", "yes")])
    return [json.dumps(doc).encode()]
