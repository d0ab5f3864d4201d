'use strict';
// FC's Node.js HTTP handler: handler(req, resp, context).
exports.handler = (req, resp, context) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c)); // as getRawBody(req) reads it
  req.on('end', () => {
    if (req.path === '/fail') {
      throw new Error('http handler broke'); // escapes in an event callback: still this invocation's failure
    }
    resp.setStatusCode(201);
    resp.setHeader('Content-Type', 'application/json');
    resp.setHeader('X-Custom', 'yes');
    resp.setHeader('X-Dropped', 'no');
    resp.deleteHeader('x-dropped');
    resp.setHeader('x-fc-forged', 'nope');
    resp.send(JSON.stringify({
      method: req.method,
      path: req.path,
      queries: req.queries,
      url: req.url,
      clientIP: req.clientIP,
      header: req.headers['x-my-header'],
      fcHeaderSeen: Object.keys(req.headers).some((h) => h.startsWith('x-fc-')),
      streamed: Buffer.concat(chunks).toString(),
      body: req.body.toString(),
      requestId: context.requestId,
    }));
  });
};

exports.stream = async (req, resp) => {
  const { Readable } = require('stream');
  resp.setHeader('content-type', 'text/plain');
  resp.send(Readable.from(['streamed ', 'answer']));
};
