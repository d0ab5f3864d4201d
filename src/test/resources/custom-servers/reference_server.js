// A reference custom server for the contract's conformance suite (ContractConformanceTest), in Node.js with its
// standard library alone: the same behaviour as reference_server.py (see there for CONF_INIT, CONF_PRESTOP and the
// events), so the adapter is shown to be language-agnostic.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');

const BIG = '\u00fc'.repeat(5000) + 'x'.repeat(5000);

function record(name, requestId) {
  fs.appendFileSync(path.join(process.env.FIXTURE_OUT, name), requestId + '\n');
  process.stdout.write(`${requestId} ${name}\n`);
}

function answer(res, status, text, extra = {}) {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { ...extra, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const requestId = req.headers['x-fc-request-id'] || '';
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'POST' && req.url === '/initialize') {
      const behaviour = process.env.CONF_INIT || 'ok';
      if (behaviour === 'hang') return; // never answers
      if (behaviour === 'fail') return answer(res, 500, 'initializer broke');
      if (behaviour === 'fail-big') return answer(res, 500, BIG);
      // long enough for concurrent probes to arrive while it runs
      return setTimeout(() => { record('initializer', requestId); answer(res, 200, ''); }, 300);
    }
    if (req.method === 'POST' && req.url === '/invoke') {
      record('invoke', requestId);
      const colon = body.indexOf(':');
      const kind = colon < 0 ? body : body.slice(0, colon);
      const argument = colon < 0 ? '' : body.slice(colon + 1);
      if (kind === 'echo') return answer(res, 200, argument);
      if (kind === 'sleep') return setTimeout(() => answer(res, 200, 'slept'), parseFloat(argument) * 1000);
      if (kind === 'headers') {
        const fc = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith('x-fc-')));
        return answer(res, 200, JSON.stringify(fc));
      }
      return answer(res, 500, 'handler broke');
    }
    if (req.method === 'GET' && req.url === '/pre-stop') {
      record('pre_stop', requestId);
      const behaviour = process.env.CONF_PRESTOP || 'ok';
      if (behaviour === 'hang') return; // never answers
      if (behaviour === 'fail') return answer(res, 500, 'pre-stop broke');
      return answer(res, 200, '');
    }
    // any other request (an HTTP function's)
    answer(res, 207, `${req.method} ${req.url} ${body}`, { 'X-Echo': req.headers['x-echo'] || '' });
  });
});
server.keepAliveTimeout = 60000;
server.listen(parseInt(process.env.FC_CUSTOM_LISTEN_PORT, 10), '127.0.0.1');
