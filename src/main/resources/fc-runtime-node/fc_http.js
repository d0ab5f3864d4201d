'use strict';
// HTTP plumbing shared by the invocation and lifecycle servers: Node's http server (its parser, llhttp, refuses
// what cannot be read unambiguously: CL with TE, bad chunks, bad header lines), with the runtime's bounds on the
// client (read and idle timeouts, the body's size) and its own form of refusal; never a stack trace on the log.
const http = require('node:http');
const fcLog = require('./fc_log');

// FC's bound on a synchronous invocation's request body (32 MiB); a larger one is refused before it is read.
const MAX_REQUEST_BODY = 32 * 1024 * 1024;
const MAX_HEAD = 1024 * 1024;
const MAX_LINE = 64 * 1024; // a request line or a header line
const MAX_HEADER_LINES = 100;
const LISTEN_BACKLOG = 1024;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

const ERROR_TYPES = {
  400: 'BadRequest',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  408: 'RequestTimeout',
  413: 'RequestEntityTooLarge',
  414: 'RequestURITooLong',
  431: 'RequestHeaderFieldsTooLarge',
  500: 'InternalError',
  501: 'NotImplemented',
  505: 'HTTPVersionNotSupported',
};

function errorType(status) {
  if (ERROR_TYPES[status]) {
    return ERROR_TYPES[status];
  }
  const phrase = http.STATUS_CODES[status];
  return phrase ? phrase.replace(/-/g, ' ').split(/\s+/).map((w) => w.charAt(0).toUpperCase()
    + w.slice(1).toLowerCase()).join('') : 'HTTPError';
}

class RequestError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** {status, headers: [[name, value]...], body: Buffer}. */
function response(status, body, headers = []) {
  return { status, body: Buffer.isBuffer(body) ? body : Buffer.from(body || '', 'utf8'), headers };
}

function jsonResponse(status, doc, headers = []) {
  return response(status, JSON.stringify(doc), [['Content-Type', 'application/json'], ...headers]);
}

function textResponse(status, text) {
  return response(status, `${text}\n`, [['Content-Type', 'text/plain; charset=utf-8']]);
}

/** Sends a response; true if it went out, false if it could not be (the connection gone, a header refused). */
function send(res, answer) {
  if (res.headersSent || res.destroyed || !res.socket || res.socket.destroyed || res.socket.writableEnded) {
    return false;
  }
  try {
    const headers = {};
    for (const [name, value] of answer.headers) {
      const key = name.toLowerCase();
      headers[key] = key in headers ? [].concat(headers[key], value) : value;
    }
    headers['content-length'] = String(answer.body.length);
    res.writeHead(answer.status, headers);
  } catch (e) {
    fcLog.diagnostic(`error while answering: ${e.name}: ${e.message}`);
    if (!res.headersSent) {
      return send(res, jsonResponse(500, { errorMessage: 'the runtime failed to serve the request',
        errorType: 'InternalError', stackTrace: [] }, [['x-fc-error-type', 'InternalError']]));
    }
    return false;
  }
  res.end(answer.body);
  return true;
}

/** The whole body, at most MAX_REQUEST_BODY bytes; rejects with a RequestError 413 beyond. */
function readBody(req) {
  return new Promise((resolve, reject) => {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > MAX_REQUEST_BODY) {
      reject(new RequestError(413, `the request body is larger than ${MAX_REQUEST_BODY} bytes`));
      return;
    }
    const chunks = [];
    let length = 0;
    req.on('data', (chunk) => {
      length += chunk.length;
      if (length > MAX_REQUEST_BODY) {
        req.pause();
        reject(new RequestError(413, `the request body is larger than ${MAX_REQUEST_BODY} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, length)));
    req.on('error', reject);
    req.on('aborted', () => reject(new RequestError(400, 'the client closed before the body was complete')));
  });
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const REQUEST_LINE = new RegExp(`^${TOKEN} [^ ]+ HTTP/(\\d)\\.(\\d)$`);

/** What a client's fault that Node's parser found answers: its error code, and the request line it stopped in. */
function clientErrorStatus(error) {
  const raw = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.toString('latin1') : '';
  const line = REQUEST_LINE.exec(raw.split(/\r?\n/, 1)[0]);
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW': return 431;
    case 'ERR_HTTP_REQUEST_TIMEOUT': case 'HPE_HEADERS_TIMEOUT': return 408;
    case 'HPE_INVALID_METHOD': return line ? 501 : 400; // a method of no known name, or no request line at all
    case 'HPE_INVALID_VERSION': return line && line[1] !== '1' ? 505 : 400;
    case 'HPE_INVALID_CONTENT_LENGTH': case 'HPE_INVALID_CHUNK_SIZE':
      return /overflow/i.test(error.reason || '') ? 413 : 400; // a length of too many digits: too large
    default: return 400;
  }
}

// RFC 3986 host[:port]: a name (unreserved, sub-delims but "," and percent escapes), IPv4, or [IPv6].
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|(?:[A-Za-z0-9._~!$&'()*+;=-]|%[0-9A-Fa-f]{2})*)(?::\d*)?$/;

function validIpv6(literal) {
  const inner = literal.slice(1, -1);
  const net = require('node:net'); // eslint-disable-line global-require
  return net.isIPv6(inner);
}

function validHost(host) {
  return HOST.test(host) && (!host.startsWith('[') || validIpv6(host.slice(0, host.lastIndexOf(']') + 1)));
}

/**
 * What RFC 9112 refuses that Node's parser lets through, as [status, reason], or null: the request line's and
 * header lines' bounds, the target's form for its method, Host, the transfer codings, a body too large.
 */
function fault(req) {
  if (req.httpVersionMajor === 0) {
    return [400, 'HTTP/0.9 is not served'];
  }
  if (req.httpVersionMajor !== 1) {
    return [505, `HTTP/${req.httpVersion} is not supported`];
  }
  const target = req.url;
  if (req.method.length + target.length + 10 > MAX_LINE) {
    return [414, `the request line is longer than ${MAX_LINE} bytes`];
  }
  const raw = req.rawHeaders;
  if (raw.length / 2 > MAX_HEADER_LINES) {
    return [431, `more than ${MAX_HEADER_LINES} header lines`];
  }
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length + raw[i + 1].length + 2 > MAX_LINE) {
      return [431, `a header line is longer than ${MAX_LINE} bytes`];
    }
  }
  if (target.includes('#')) {
    return [400, 'a fragment in the request target'];
  }
  if (target === '*') {
    if (req.method !== 'OPTIONS') {
      return [400, 'the target * is for OPTIONS alone'];
    }
  } else if (!target.startsWith('/')) {
    const absolute = /^https?:\/\/([^/?]*)(.*)$/i.exec(target);
    if (!absolute || !absolute[1] || absolute[1].includes('@') || absolute[1].startsWith(':')
      || !validHost(absolute[1])) {
      return [400, 'the request target is neither /path nor http://host/path'];
    }
  }
  const hosts = req.headersDistinct.host || [];
  if (hosts.length > 1 || (hosts.length === 0 && req.httpVersionMinor >= 1)) {
    return [400, hosts.length > 1 ? 'Host is given more than once' : 'an HTTP/1.1 request without Host'];
  }
  if (hosts.length === 1 && hosts[0] !== '' && !validHost(hosts[0])) {
    return [400, 'Host is not host[:port]'];
  }
  const codings = req.headersDistinct['transfer-encoding'];
  if (codings) {
    if (req.httpVersionMinor === 0) {
      return [400, 'Transfer-Encoding in an HTTP/1.0 request'];
    }
    const list = codings.join(',').split(',').map((c) => c.trim().toLowerCase());
    if (list[list.length - 1] !== 'chunked') {
      return [400, 'Transfer-Encoding does not end in chunked'];
    }
    if (list.length > 1) {
      return [501, `the transfer coding ${list.slice(0, -1).join(', ')} is not supported`];
    }
  }
  if (Number(req.headers['content-length']) > MAX_REQUEST_BODY) {
    return [413, `the request body is larger than ${MAX_REQUEST_BODY} bytes`];
  }
  return null;
}

/**
 * A server for one port. handle(req, res) serves a request whose method is one of methods (others answer 501;
 * OPTIONS * answers Allow: allow); refusal(status,
 * errorType, message) is the port's answer to a request it refuses (the invocation port's JSON error body).
 */
function createServer(timeouts, methods, allow, refusal, handle) {
  const server = http.createServer({
    requireHostHeader: false, // checked below, to answer in the port's form
    maxHeaderSize: MAX_HEAD,
    requestTimeout: timeouts.read * 1000, // the whole request, head and body, from its first byte
    headersTimeout: timeouts.read * 1000,
    keepAliveTimeout: timeouts.idle * 1000, // the wait for the next request of a connection
    noDelay: true,
    connectionsCheckingInterval: Math.min(1000, timeouts.read * 1000), // how often both are checked
  });
  const refuse = (res, status, message) => {
    const answer = refusal(status, errorType(status), message);
    answer.headers.push(['Connection', 'close']);
    send(res, answer);
  };
  const serve = (req, res) => {
    const refused = fault(req);
    if (refused !== null) {
      refuse(res, refused[0], refused[1]);
      return;
    }
    if (!methods.includes(req.method)) {
      refuse(res, 501, `method ${req.method} is not supported`);
      return;
    }
    if (req.url === '*') { // OPTIONS * asks about the server as a whole, not a resource (RFC 9110 9.3.7)
      if (req.method === 'OPTIONS') {
        send(res, response(200, '', [['Allow', allow.join(', ')]]));
      } else {
        refuse(res, 400, 'the target * is for OPTIONS alone');
      }
      return;
    }
    Promise.resolve().then(() => handle(req, res)).catch((e) => {
      if (e instanceof RequestError) {
        refuse(res, e.status, e.message);
        return;
      }
      fcLog.diagnostic(`error while serving ${req.method} on port ${server.address() && server.address().port}: `
        + `${e && e.name}: ${e && e.message}`);
      if (!res.headersSent) {
        refuse(res, 500, 'the runtime failed to serve the request');
      } else {
        res.destroy();
      }
    });
  };
  server.on('request', serve);
  // Expect: 100-continue is invited only once the head was accepted: a body to be refused is never sent.
  server.on('checkContinue', (req, res) => {
    const refused = fault(req);
    if (refused !== null) {
      refuse(res, refused[0], refused[1]);
      return;
    }
    res.writeContinue();
    serve(req, res);
  });
  server.on('connect', (req, socket) => {
    // authority-form host:port is CONNECT's, which neither port serves; any other target is not CONNECT's
    const status = /^[^/*?#@\s]+:\d+$/.test(req.url) ? 501 : 400;
    const answer = refusal(status, errorType(status), status === 501 ? 'method CONNECT is not supported'
      : 'CONNECT takes a target host:port');
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Length: ${answer.body.length}\r\n`
      + `Connection: close\r\n${answer.headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n${answer.body}`);
  });
  server.on('clientError', (error, socket) => {
    // a client gone, or a connection that never sent a byte (idle too long): closed without an answer
    if (error.code === 'ECONNRESET' || !socket.writable || socket.bytesWritten > 0 || socket.bytesRead === 0) {
      socket.destroy();
      return;
    }
    const status = clientErrorStatus(error);
    const answer = refusal(status, errorType(status), `the request could not be read: ${error.code || error.message}`);
    const head = [`HTTP/1.1 ${status} ${http.STATUS_CODES[status] || 'Error'}`, 'Connection: close',
      `Content-Length: ${answer.body.length}`, ...answer.headers.map(([n, v]) => `${n}: ${v}`)];
    socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), answer.body]));
  });
  return server;
}

/** Resolves once server listens on 0.0.0.0:port. */
function listen(server, port) {
  return new Promise((resolve, reject) => {
    const failed = (e) => reject(e);
    server.once('error', failed);
    server.listen({ port, host: '0.0.0.0', backlog: LISTEN_BACKLOG }, () => {
      server.removeListener('error', failed);
      resolve(server);
    });
  });
}

module.exports = {
  MAX_REQUEST_BODY, METHODS, RequestError, errorType, response, jsonResponse, textResponse, send, readBody,
  createServer, listen,
};
