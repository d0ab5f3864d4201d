'use strict';
// NodeRuntimeBench's baseline: a bare Node http server on ECHO_PORT answering each request with its body, as the
// runtime's echo handler does, without the runtime (no slots, no FC lines, no context).
const http = require('http');

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  });
}).listen(Number(process.env.ECHO_PORT), '127.0.0.1', () => console.log('listening'));
