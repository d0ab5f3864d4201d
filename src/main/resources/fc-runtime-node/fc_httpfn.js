'use strict';
// An HTTP function's handler(req, resp, context), FC's Node.js HTTP handler: req a readable stream of the body
// (so getRawBody(req) or req.on('data') read it) with method, path, queries, headers, url, clientIP and body (a
// Buffer); resp with setStatusCode, setHeader, deleteHeader and send(Buffer | string | stream.Readable).
const { Readable } = require('node:stream');

// Header names FC neither passes to the handler nor takes from it (x-fc-* too).
const IGNORED_REQUEST = new Set(['connection', 'keep-alive']);
const IGNORED_RESPONSE = new Set(['connection', 'content-length', 'date', 'keep-alive', 'server', 'upgrade',
  'transfer-encoding']);

function ignored(set, name) {
  const key = name.toLowerCase();
  return set.has(key) || key.startsWith('x-fc-');
}

function decoded(text) {
  try {
    return decodeURIComponent(text);
  } catch (e) {
    return text;
  }
}

/** The handler's req for a request whose body was read whole. */
function makeRequest(req, body) {
  const headers = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (!ignored(IGNORED_REQUEST, name)) {
      headers[name] = values.length === 1 ? values[0] : values.join(', ');
    }
  }
  let target = req.url;
  const absolute = /^https?:\/\/[^/?#]*/i.exec(target);
  if (absolute) {
    target = target.slice(absolute[0].length) || '/';
  }
  const q = target.indexOf('?');
  const queries = {};
  if (q >= 0) {
    for (const [name, value] of new URLSearchParams(target.slice(q + 1))) {
      if (!(name in queries)) {
        queries[name] = value;
      } else {
        queries[name] = [].concat(queries[name], value);
      }
    }
  }
  const stream = Readable.from(body.length > 0 ? [body] : [], { objectMode: false });
  const address = (req.socket && req.socket.remoteAddress) || '';
  return Object.assign(stream, {
    method: req.method,
    path: decoded(q >= 0 ? target.slice(0, q) : target),
    queries,
    headers,
    url: req.url,
    clientIP: address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address,
    body,
  });
}

/** The handler's resp; done(null, {status, headers, body}) once send() has its whole body. */
function makeResponse(done) {
  let status = 200;
  const headers = new Map(); // lower-case name -> [name, value]
  let sent = false;
  const finish = (body) => done(null, { status, headers: [...headers.values()], body });
  return {
    setStatusCode(code) {
      const n = Number(code);
      if (!Number.isInteger(n) || n < 100 || n > 999) {
        throw new TypeError(`status code ${code} is not an HTTP status`);
      }
      status = n;
    },
    setHeader(name, value) {
      if (!ignored(IGNORED_RESPONSE, String(name))) {
        headers.set(String(name).toLowerCase(), [String(name), Array.isArray(value) ? value.map(String)
          : String(value)]);
      }
    },
    deleteHeader(name) {
      headers.delete(String(name).toLowerCase());
    },
    send(body) {
      if (sent) {
        return;
      }
      sent = true;
      if (body instanceof Readable || (body && typeof body.pipe === 'function' && typeof body.on === 'function')) {
        const chunks = [];
        body.on('data', (c) => chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c))));
        body.on('end', () => finish(Buffer.concat(chunks)));
        body.on('error', (e) => done(e));
        return;
      }
      if (body === undefined || body === null) {
        finish(Buffer.alloc(0));
      } else if (Buffer.isBuffer(body) || body instanceof Uint8Array) {
        finish(Buffer.from(body));
      } else {
        finish(Buffer.from(typeof body === 'string' ? body : String(body), 'utf8'));
      }
    },
  };
}

module.exports = { makeRequest, makeResponse };
