"""Reads one HTTP/1.1 request from a client, strictly (RFC 9112): what cannot be read unambiguously is refused.

http.server's own parsing is lenient where leniency is dangerous: it takes a head cut short by the client's
close, drops header lines it cannot parse along with every line after them, and leaves the body to the
handler. Here every request is read to its end by one set of rules, the same for both ports.
"""
import io
import ipaddress
import re
import socket
import time
from http.client import HTTPMessage

MAX_LINE = 65536        # bytes of the request line or of one header line, as http.server allows
MAX_HEADERS = 100       # header lines, as http.server allows
MAX_HEAD = 1024 * 1024  # bytes of the whole head: lines of the maximal size, but not a hundred of them
MAX_CHUNK_LINE = 4096   # a chunk's size line, extensions included

_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_REQUEST_LINE = re.compile(r"(%s) ([\x21-\x7e\x80-\xff]+) HTTP/([0-9])\.([0-9])\r?\n" % _TOKEN)
_HEADER_LINE = re.compile(r"(%s):[ \t]*([\t\x20-\x7e\x80-\xff]*?)[ \t]*\r?\n" % _TOKEN)
_CHUNK_SIZE = re.compile(br"([0-9A-Fa-f]+)[ \t]*(?:;[\t\x20-\x7e\x80-\xff]*)?\r?\n")
_DIGITS = re.compile(r"[0-9]+")
_EMPTY_LINE = (b"\r\n", b"\n")
# RFC 3986 section 3.2.2: a host is an IP literal in brackets, an IPv4 address or a registered name (possibly
# empty), then an optional port of digits; neither holds a space, "@", "/", "?" or "#"
_HOST = re.compile(r"(\[[^\[\]]*\]|(?:[A-Za-z0-9._~!$&'()*+,;=-]|%[0-9A-Fa-f]{2})*)(?::[0-9]*)?")
_IP_FUTURE = re.compile(r"v[0-9A-Fa-f]+\.[A-Za-z0-9._~!$&'()*+,;=:-]+")
# an absolute-form target of this server's schemes: authority, then path and query (RFC 9112 section 3.2.2)
_ABSOLUTE = re.compile(r"https?://([^/?#]*)([^#]*)", re.IGNORECASE)


class RequestError(Exception):
    """A request the runtime refuses; status is the answer's HTTP status."""

    def __init__(self, status, message):
        Exception.__init__(self, message)
        self.status = status
        self.message = message


class ClientTimeouts(object):
    def __init__(self, idle, read):
        self.idle = idle  # seconds a connection may wait for its next request's first byte
        self.read = read  # seconds a request may take to arrive, head and body, from its first byte


class ClientInput(io.RawIOBase):
    """The reading side of a connection. Between requests a read waits up to the idle timeout for the next
    request's first byte; from that byte on, the whole request must arrive before one deadline. A timeout per
    read alone would let a client that sends a byte now and then hold its thread for ever. The handler's run
    reads nothing, so it is not bounded by either."""

    def __init__(self, sock, timeouts):
        io.RawIOBase.__init__(self)
        self._sock = sock
        self._timeouts = timeouts
        self._deadline = None  # monotonic; None while waiting for a request

    def readable(self):
        return True

    def readinto(self, buffer):
        self._sock.settimeout(self._time_left())
        return self._sock.recv_into(buffer)

    def _time_left(self):
        if self._deadline is None:
            return self._timeouts.idle
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout("the request took longer than %d seconds to arrive" % self._timeouts.read)
        return left

    def await_request(self, rfile):
        """True once the next request's first byte is there (its deadline starts then); False when the client
        closed the connection or let it idle for the idle timeout."""
        self._deadline = None
        try:
            if not rfile.peek(1):
                return False
        except socket.timeout:
            return False
        self._deadline = time.monotonic() + self._timeouts.read
        return True

    def request_read(self):
        """The request is in: nothing is read while its handler runs."""
        self._deadline = None


class Head(object):
    def __init__(self, method, target, version, headers, requestline):
        self.method = method
        self.target = target    # origin-form: path and query as sent (from an absolute-form target too), or "*"
        self.version = version  # "HTTP/1.0" or "HTTP/1.1"
        self.headers = headers  # http.client.HTTPMessage; Host is the target's authority for an absolute-form one
        self.requestline = requestline  # as sent

    def keep_alive(self):
        options = _tokens(self.headers.get_all("Connection"))
        if self.version == "HTTP/1.0":
            return "keep-alive" in options
        return "close" not in options

    def expects_continue(self):
        return self.version != "HTTP/1.0" and "100-continue" in _tokens(self.headers.get_all("Expect"))


def _tokens(values):
    return [t.strip().lower() for t in ",".join(values or []).split(",") if t.strip()]


def _read_line(rfile, limit, too_long):
    """One line, its end included; too_long when it exceeds limit, a 400 when the client closed mid-line."""
    line = rfile.readline(limit + 1)
    if len(line) > limit:
        raise too_long
    if not line.endswith(b"\n"):
        raise RequestError(400, "the request ended early, in the middle of a line")
    return line


def read_head(rfile):
    """The request line and the headers, up to and including the empty line that ends them."""
    budget = MAX_HEAD
    line = _read_line(rfile, MAX_LINE, RequestError(414, "the request line is longer than %d bytes" % MAX_LINE))
    while line in _EMPTY_LINE:  # empty lines before a request are to be ignored (RFC 9112 section 2.2)
        budget = _spend(budget, line)
        line = _read_line(rfile, MAX_LINE, RequestError(414, "the request line is longer than %d bytes" % MAX_LINE))
    budget = _spend(budget, line)
    method, target, version = _request_line(line.decode("iso-8859-1"))
    headers = HTTPMessage()
    while True:
        line = _read_line(rfile, MAX_LINE, RequestError(431, "a header line is longer than %d bytes" % MAX_LINE))
        budget = _spend(budget, line)
        if line in _EMPTY_LINE:
            origin_form, authority = _target(method, target)
            _check_host(headers, version)
            if authority is not None:
                # an absolute-form target's host is the request's, whatever Host says (RFC 9112 section 3.2.2)
                del headers["Host"]
                headers["Host"] = authority
            return Head(method, origin_form, version, headers, "%s %s %s" % (method, target, version))
        if len(headers) >= MAX_HEADERS:
            raise RequestError(431, "more than %d header lines" % MAX_HEADERS)
        name, value = _header_line(line.decode("iso-8859-1"))
        headers[name] = value  # adds a field; a repeated name is kept as a second field


def _spend(budget, line):
    budget -= len(line)
    if budget < 0:
        raise RequestError(431, "the request's head is larger than %d bytes" % MAX_HEAD)
    return budget


def _request_line(text):
    match = _REQUEST_LINE.fullmatch(text)
    if match is None:
        raise RequestError(400, "bad request line %s" % _quote(text))
    method, target, major, minor = match.groups()
    if major != "1":
        raise RequestError(505, "HTTP/%s.%s is not supported; this server speaks HTTP/1.1" % (major, minor))
    return method, target, "HTTP/1.0" if minor == "0" else "HTTP/1.1"


def _target(method, target):
    """The target in origin-form, and the authority of an absolute-form target (else None). RFC 9112 section
    3.2: origin-form (/path?query) and absolute-form (http://host/path?query) for any method but CONNECT;
    authority-form (host:port) for CONNECT alone, asterisk-form (*) for OPTIONS alone. A target never holds a
    fragment (#)."""
    if "#" in target:
        raise RequestError(400, "bad request target %s: a fragment (#) is not sent in a request" % _quote(target))
    if method == "CONNECT":
        if target.startswith("/") or target == "*" or not _is_host(target) or ":" not in target:
            raise RequestError(400, "bad request target %s: CONNECT takes host:port" % _quote(target))
        return target, None
    if target == "*":
        if method != "OPTIONS":
            raise RequestError(400, "bad request target *: only OPTIONS asks about the server as a whole")
        return target, None
    if target.startswith("/"):
        return target, None
    absolute = _ABSOLUTE.fullmatch(target)
    if absolute is None:
        raise RequestError(400, "bad request target %s: a path starting with / or an http(s):// URL"
                           % _quote(target))
    authority, rest = absolute.groups()
    if "@" in authority:
        raise RequestError(400, "bad request target %s: no user information (@) in its host" % _quote(target))
    if not _is_host(authority) or authority.startswith(":") or not authority:
        raise RequestError(400, "bad request target %s: the host is missing or invalid" % _quote(target))
    return (rest if rest.startswith("/") else "/" + rest), authority


def _check_host(headers, version):
    """Host once, a valid host[:port], and required in HTTP/1.1 (RFC 9112 section 3.2); empty is valid."""
    hosts = headers.get_all("Host") or []
    if len(hosts) > 1:
        raise RequestError(400, "Host given %d times" % len(hosts))
    if not hosts:
        if version == "HTTP/1.1":
            raise RequestError(400, "an HTTP/1.1 request must have a Host header")
        return
    if not _is_host(hosts[0]):
        raise RequestError(400, "bad Host %s: a host name or address, and an optional :port" % _quote(hosts[0]))


def _is_host(text):
    """host[:port] as RFC 3986 writes it (the host may be empty)."""
    match = _HOST.fullmatch(text)
    if match is None:
        return False
    host = match.group(1)
    if host.startswith("["):
        literal = host[1:-1]
        if _IP_FUTURE.fullmatch(literal):
            return True
        try:
            ipaddress.IPv6Address(literal)
        except ValueError:
            return False
    return True


def _header_line(text):
    match = _HEADER_LINE.fullmatch(text)
    if match is None:
        # also an obsolete folded line (it starts with a space): a continuation is refused, not guessed at
        raise RequestError(400, "bad header line %s" % _quote(text))
    return match.group(1), match.group(2)


def _quote(text, limit=80):
    """text for an error message: control characters escaped, cut at limit characters."""
    text = text.rstrip("\r\n")
    shown = repr(text[:limit])
    return shown + ("..." if len(text) > limit else "")


# ---- body ------------------------------------------------------------------------------------------

CHUNKED = -1


def body_length(head, limit):
    """The body's length in bytes, or CHUNKED; refuses framing that two readers could read differently
    (RFC 9112 section 6.3) and, before any of it is read, a body longer than limit."""
    encodings = head.headers.get_all("Transfer-Encoding")
    lengths = head.headers.get_all("Content-Length")
    if encodings:
        if lengths:
            raise RequestError(400, "Content-Length and Transfer-Encoding together")
        return _chunked(head, encodings)
    if not lengths:
        return 0
    if len(lengths) > 1 or "," in lengths[0]:
        raise RequestError(400, "several Content-Length values")
    return _content_length(lengths[0], limit)


def _chunked(head, encodings):
    if head.version == "HTTP/1.0":
        raise RequestError(400, "Transfer-Encoding in an HTTP/1.0 request")  # RFC 9112 section 6.1: faulty framing
    codings = [c.strip().lower() for c in ",".join(encodings).split(",")]
    if codings[-1] != "chunked" or codings.count("chunked") > 1 or "" in codings:  # chunked once, and last
        raise RequestError(400, "bad Transfer-Encoding %s" % _quote(", ".join(encodings)))
    if codings != ["chunked"]:
        raise RequestError(501, "Transfer-Encoding %s is not supported, only chunked" % _quote(", ".join(encodings)))
    return CHUNKED


def _content_length(value, limit):
    if not _DIGITS.fullmatch(value):
        raise RequestError(400, "Content-Length must be a decimal number of bytes, got %s" % _quote(value))
    significant = value.lstrip("0")
    # a longer number than the limit's is over it; int() would refuse one of thousands of digits
    if len(significant) > len(str(limit)) or int(significant or "0") > limit:
        raise too_large(limit)
    return int(significant or "0")


def too_large(limit):
    return RequestError(413, "the request body is larger than %d bytes" % limit)


def read_body(rfile, length, limit):
    """The body as bytes: length of them, or the chunks of a chunked body (never more than limit bytes)."""
    if length == CHUNKED:
        return _read_chunks(rfile, limit)
    body = rfile.read(length) if length else b""
    if len(body) < length:
        raise RequestError(400, "the body ended after %d of its %d bytes" % (len(body), length))
    return body


def _read_chunks(rfile, limit):
    body = bytearray()
    while True:
        size = _chunk_size(_read_line(rfile, MAX_CHUNK_LINE, RequestError(400, "a chunk size line is too long")))
        if size == 0:
            _skip_trailers(rfile)
            return bytes(body)
        if len(body) + size > limit:
            raise too_large(limit)  # before reading the chunk: no more than limit bytes are ever held
        chunk = rfile.read(size)
        if len(chunk) < size:
            raise RequestError(400, "the body ended inside a chunk")
        body += chunk
        if _read_line(rfile, MAX_CHUNK_LINE, RequestError(400, "no line end after a chunk")) not in _EMPTY_LINE:
            raise RequestError(400, "a chunk is longer than its size says")


def _chunk_size(line):
    match = _CHUNK_SIZE.fullmatch(line)
    if match is None:
        raise RequestError(400, "bad chunk size line %s" % _quote(line.decode("iso-8859-1")))
    return int(match.group(1), 16)  # base 16 has no limit on digits; the size bound is checked after


def _skip_trailers(rfile):
    for _ in range(MAX_HEADERS + 1):
        if _read_line(rfile, MAX_LINE, RequestError(431, "a trailer line is longer than %d bytes" % MAX_LINE)) \
                in _EMPTY_LINE:
            return
    raise RequestError(431, "more than %d trailer lines" % MAX_HEADERS)
